"""The one capability probe: is this the whoosh3 on-disk layout the codec was written for?

searchkit reads and writes whoosh3's segment files below Whoosh's public API (posting
blocks, length columns, stored-field pickles) because that is 3-30x faster than the
public calls. Those private attributes and byte layouts are only known for the whoosh3
releases listed in `KNOWN_SERIES`; with any other Whoosh (whoosh-reloaded, a future
whoosh3) every fast path falls back to the public API and gives the same results.

`layout_known()` answers once per process; `is_w3(obj, kind)` tells whether one
object (a codec, a field writer, a leaf matcher, ...) is of that layout.
"""

from __future__ import annotations

import functools
from importlib import metadata

#: whoosh3 release series whose private layout the codec modules were checked against.
KNOWN_SERIES = ("3.54.",)

#: For each kind of object, its whoosh3 class name and the private attributes the codec uses.
_ATTRS: dict[str, tuple[str, tuple[str, ...]]] = {
    "codec": ("W3Codec", ("new_segment", "per_document_writer", "field_writer", "postings_reader")),
    "perdocwriter": ("W3PerDocWriter", ("_has_column", "_create_column", "_get_column", "_fieldlengths", "_doccount")),
    "fieldwriter": ("W3FieldWriter", ("_postfile", "_tindex", "_fieldid", "_postwriter")),
    "postwriter": ("W3PostingsWriter", ("_blocklimit", "_compression", "_inlinelimit", "_byteids")),
    "termtable": ("OrderedHashWriter", ("dbfile", "hashfn", "buckets", "index", "lastkey")),
    "matcher": (
        "W3LeafMatcher",
        ("_postfile", "_dataoffset", "_nextoffset", "_compression", "_goto", "_lastblock", "_blocklength", "_maxid"),
    ),
    "terms": ("W3TermsReader", ("_postfile", "_codec")),
    "perdoc": ("W3PerDocReader", ("_cached_reader", "column_reader")),
}


@functools.lru_cache(maxsize=1)
def layout_known() -> bool:
    """True when the installed Whoosh is a whoosh3 release whose private layout is known here."""
    try:
        version = metadata.version("whoosh3")
    except metadata.PackageNotFoundError:
        return False
    if not version.startswith(KNOWN_SERIES):
        return False
    try:
        from whoosh.codec import whoosh3
        from whoosh.filedb import filetables
    except ImportError:
        return False
    perdoc = getattr(whoosh3, "W3PerDocWriter", None)
    return (
        all(hasattr(whoosh3, a) for a in ("_lenfield", "LENGTHS_COLUMN", "WHOOSH3_HEADER_MAGIC"))
        and getattr(getattr(whoosh3, "W3TermInfo", None), "_struct", None) is not None
        and perdoc is not None
        and all(hasattr(perdoc, a) for a in ("_has_column", "_create_column", "_get_column", "close"))
        and hasattr(filetables, "_lengths")  # the term table's row header, written in bulk
    )


def is_w3(obj: object, kind: str) -> bool:
    """Whether `obj` is the whoosh3 object of `kind` (a key of `_ATTRS`) with the private attributes used here."""
    if not layout_known():
        return False
    class_name, attrs = _ATTRS[kind]
    return type(obj).__name__ == class_name and all(hasattr(obj, a) for a in attrs)
