"""Readers for the search side: field lengths, a term's postings, the article-id column.

Searching needs three things from a segment that Whoosh's public API gives one
document or one call at a time: every paragraph's length in a field, a term's
posting matcher from a TermInfo already looked up, and the runs of paragraphs that
share an article id. For whoosh3's layout (`probe`) they are read here below the
public API, in one piece; any other reader gets the same values through the public
calls, only slower.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh.util.numeric import byte_to_length

from searchkit.codec import probe

#: Byte -> field length, as Whoosh decodes its one-byte length columns.
LENGTH_OF_BYTE: NDArray[np.float64] = np.array([float(byte_to_length(i)) for i in range(256)])

_lengths: weakref.WeakKeyDictionary[Any, dict[str, NDArray[np.float64]]] = weakref.WeakKeyDictionary()
_lengths_lock = threading.Lock()


def field_lengths(reader: Any, fieldname: str) -> NDArray[np.float64]:
    """Every document's length in `fieldname` on one segment reader, as `doc_field_length` says (cached).

    Kept as long as the reader lives: a segment's lengths never change.
    """
    try:
        with _lengths_lock:
            per_reader = _lengths.setdefault(reader, {})
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        return _read_lengths(reader, fieldname)
    got = per_reader.get(fieldname)
    if got is None:
        got = per_reader[fieldname] = _read_lengths(reader, fieldname)
    return got


def _read_lengths(reader: Any, fieldname: str) -> NDArray[np.float64]:
    size = reader.doc_count_all()
    raw = _length_column(reader, fieldname, size)
    if raw is not None:
        return LENGTH_OF_BYTE[raw]
    # Portable, slow: one call per paragraph (Whoosh answers None for a zero byte).
    return np.array([float(reader.doc_field_length(d, fieldname, 0) or 0) for d in range(size)])


def _length_column(reader: Any, fieldname: str, size: int) -> NDArray[np.uint8] | None:
    """The field's one-byte length column in one read (zeros where absent), or None off the known layout."""
    perdoc: Any = getattr(reader, "_perdoc", None)
    if not probe.is_w3(perdoc, "perdoc"):
        return None
    from whoosh.codec import whoosh3

    w3: Any = whoosh3  # its helpers are untyped
    try:
        col = perdoc._cached_reader(w3._lenfield(fieldname), w3.LENGTHS_COLUMN)
        out = np.zeros(size, dtype=np.uint8)
        if col is not None:  # no column: no paragraph of the segment has the field
            raw = col._dbfile.get(col._basepos, col._count * col._fixedlen)
            out[: col._count] = np.frombuffer(raw, dtype=np.uint8)
        return out
    except (AttributeError, TypeError, ValueError):
        return None


def postings(reader: Any, fieldname: str, text: str, info: Any) -> Any:
    """The term's posting matcher, made from its TermInfo `info` (already looked up) where the codec allows.

    `reader.postings` looks the term up again; the W3 codec builds the matcher from
    the TermInfo directly. A segment with deletions goes through `reader.postings`,
    which wraps the matcher in Whoosh's deletion filter.
    """
    terms: Any = getattr(reader, "_terms", None)
    if not probe.is_w3(terms, "terms") or reader.has_deletions():
        return reader.postings(fieldname, text)
    field = reader.schema[fieldname]
    term = (fieldname, field.to_bytes(text))
    return terms._codec.postings_reader(terms._postfile, info, field.format, term=term, scorer=None)


def article_runs(reader: Any, column: str = "article_id") -> tuple[NDArray[np.int64], list[Any]]:
    """Runs of documents with the same value in a (variable-bytes) column: (first docnum of each run, its value).

    An article's paragraphs are written one after another, so there are about as
    many runs as articles; on the known layout the column's bytes are compared in
    bulk, not per paragraph. Values are bytes there and str through the public API.
    """
    got = _column_runs(reader, column)
    if got is not None:
        return got
    size = reader.doc_count_all()
    if reader.has_column(column):
        values = [v or "" for v in reader.column_reader(column)]
    else:
        values = [reader.stored_fields(d).get(column, "") for d in range(size)]
    return np.arange(size, dtype=np.int64), values


def _column_runs(reader: Any, column: str) -> tuple[NDArray[np.int64], list[Any]] | None:
    perdoc: Any = getattr(reader, "_perdoc", None)
    if not probe.is_w3(perdoc, "perdoc"):
        return None
    size = reader.doc_count_all()
    try:
        col = perdoc.column_reader(column, reader.schema[column].column_type)
        offsets = np.asarray(col._offsets, dtype=np.int64)
        lengths = np.asarray(col._lengths, dtype=np.int64)
        if len(lengths) != size or len(offsets) != size:
            return None
        if not size:
            return np.zeros(0, dtype=np.int64), []
        data = col._dbfile.get(col._basepos, int((offsets + lengths).max()))
        return _runs(data, offsets, lengths)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def _runs(data: bytes, offsets: NDArray[np.int64], lengths: NDArray[np.int64]) -> tuple[NDArray[np.int64], list[Any]]:
    """Where the value (`data[offset:offset+length]`) changes from one document to the next, and the values there."""
    size = len(offsets)
    width = max(int(lengths.max()), 1)
    buf = np.frombuffer(data + bytes(width), dtype=np.uint8)
    table = np.lib.stride_tricks.sliding_window_view(buf, width)[offsets]  # each value, padded
    table[np.arange(width) >= lengths[:, None]] = 0
    change = np.ones(size, dtype=bool)
    change[1:] = (table[1:] != table[:-1]).any(axis=1) | (lengths[1:] != lengths[:-1])
    heads = np.flatnonzero(change)
    return heads, [data[o : o + n] for o, n in zip(offsets[heads].tolist(), lengths[heads].tolist())]
