"""Bulk indexing: write ordinary Whoosh segments without `writer.add_document`.

Whoosh's own write path costs two things per token and per posting: the
analyzer chain runs a generator of Token objects through four filters, and at
commit every posting goes through a sorting pool and one `add()` call on the
postings writer. This module does the same work in bulk:

- **Analysis**: one regex pass per field value and a dict from raw token to
  index term (lowercased, stop-filtered, stemmed — or "" for a dropped token),
  built from the field's own analyzer objects, so the terms and positions are
  exactly the analyzer's. A value equal to the previous one in the same field
  (the headline, repeated on each paragraph of an article) is analysed once.
- **Postings** are kept in memory per field as flat arrays in document order
  (term number, docnum, encoded value), grouped by term with one numpy sort
  when the segment is written, and written through the codec's field writer a
  whole block at a time. Stored fields, field lengths and columns go through the
  codec's per-document writer as each document arrives.
- **Memory** is bounded: after `max_postings` postings the batch is written out
  as a finished segment and a new one is started.

The result is a normal segment in the index's own codec: searching,
highlighting, deleting and merging treat it like any other. The segments stay
invisible until the enclosing SegmentWriter commits — `commit()` adds them to
the segment list that the writer's TOC records — so an exception (or a crash)
before that leaves the last committed index as it was; files of segments no
TOC names are removed by the next commit (`whoosh.index.clean_files`).

Anything the fast path does not recognise (another codec, an analyzer of
another shape, term vectors, spelling fields, per-document boosts) goes through
Whoosh's generic code for that field, or, if the writer itself is not a
codec-based SegmentWriter, `FastWriter.create` returns None and the caller
keeps using `add_document`.
"""

from __future__ import annotations

import pickle
import re
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from whoosh import formats
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

#: Set to False to make `FastWriter.create` decline (tests compare both paths).
ENABLED = True

#: Postings held in memory before the batch is written as a segment. About
#: 30 bytes each (docnum, weight, a value that is usually a shared object),
#: so the default keeps a batch near 300 MB.
MAX_POSTINGS = 10_000_000

#: Raw tokens whose analysis is remembered; cleared when it grows past this.
TOKEN_CACHE_SIZE = 1_000_000
#: Non-text field values whose postings are remembered (per field).
GENERIC_CACHE_SIZE = 4096
#: Posting blocks with fewer postings are written uncompressed: zlib costs more
#: time on them than it saves bytes (the block header records the choice, and
#: every reader honours it).
COMPRESS_MIN_POSTINGS = 16

Analyse = Callable[[str], "tuple[list[str], int]"]


# ---------------------------------------------------------------- analysis


def fast_analyser(analyzer: Any) -> Analyse | None:
    """A function equivalent to `analyzer` for indexing, or None if its shape is unknown.

    The function returns the kept terms in order and the position of the first
    one: Whoosh's StopFilter (renumber=True) numbers the first kept token by
    its place in the raw token stream and the rest consecutively after it.
    """
    items = list(getattr(analyzer, "items", [analyzer]))
    if not items or type(items[0]) is not RegexTokenizer or items[0].gaps:
        return None
    pattern = items[0].expression
    rest = items[1:]
    lower = bool(rest) and type(rest[0]) is LowercaseFilter
    if lower:
        rest = rest[1:]
    stop = rest.pop(0) if rest and type(rest[0]) is StopFilter else None
    stem = rest.pop(0) if rest and type(rest[0]) is StemFilter else None
    if rest or (stop is not None and not stop.renumber):
        return None
    stemfn = None
    if stem is not None:
        if stem.lang:
            from whoosh.lang import stemmer_for_language

            stemfn = stemmer_for_language(stem.lang)
        else:
            stemfn = stem.stemfn
    return _make_analyser(pattern, lower, stop, stemfn, stem.ignore if stem else frozenset())


def _make_analyser(
    pattern: re.Pattern[str], lower: bool, stop: Any, stemfn: Any, ignore: frozenset[str]
) -> Analyse:
    stops = stop.stops if stop is not None else frozenset()
    minsize = stop.min if stop is not None else 0
    maxsize = stop.max if stop is not None else None

    def term_of(token: str) -> str:
        # The filter chain for one token; "" means the token is dropped.
        text = token.lower() if lower else token
        if stop is not None and (
            len(text) < minsize or (maxsize is not None and len(text) > maxsize) or text in stops
        ):
            return ""
        if stemfn is not None and text not in ignore:
            text = stemfn(text)
        return text

    class _Cache(dict):  # type: ignore[type-arg]
        # dict.__getitem__ runs in C on a hit; only a miss calls Python.
        def __missing__(self, token: str) -> str:
            if len(self) >= TOKEN_CACHE_SIZE:
                self.clear()
            term = self[token] = term_of(token)
            return term

    lookup = _Cache().__getitem__
    # findall returns group(0) only when the pattern has no capturing groups.
    if pattern.groups == 0:
        tokenize: Callable[[str], list[str]] = pattern.findall
    else:
        def tokenize(text: str) -> list[str]:
            return [m.group(0) for m in pattern.finditer(text)]

    def analyse(text: str) -> tuple[list[str], int]:
        mapped = list(map(lookup, tokenize(text)))
        if stop is None:
            return mapped, 0
        first = 0
        for first, term in enumerate(mapped):  # noqa: B007 - usually stops at 0 or 1
            if term:
                break
        return [t for t in mapped if t], first

    return analyse


# --------------------------------------------------------- per-field indexing


class _Postings(NamedTuple):
    """One field value's postings, in the shape the batch stores them."""

    terms: list[Any]  # str for analysed text (encoded when written), else bytes
    values: list[bytes]  # encoded posting values, parallel to terms; [] if the format has none
    weights: dict[int, float]  # index in terms -> weight, where it is not the field's default
    length: int  # the field length the value adds (0 for unscored fields)


class _SharedValues(dict):  # type: ignore[type-arg]
    """Position (or count) -> its encoded posting value, made once and shared by every posting."""

    def __init__(self, encode: Callable[[int], bytes]) -> None:
        super().__init__()
        self.encode = encode

    def __missing__(self, key: int) -> bytes:
        value = self[key] = self.encode(key)
        return value


class _FieldIndexer:
    """Turns one field's values into postings, exactly as the field's own `index()` would."""

    def __init__(self, name: str, field: Any) -> None:
        self.name = name
        self.field = field
        self.scorable = bool(field.scorable)
        fmt = field.format
        self.analyse = None
        self.kind = ""
        if field.analyzer is not None and type(fmt) in (formats.Positions, formats.Frequency, formats.Existence):
            self.analyse = fast_analyser(field.analyzer)
            self.kind = type(fmt).__name__
        # A one-occurrence posting weighs the field boost; others are listed as exceptions.
        self.default_weight = float(fmt.field_boost)
        if self.kind == "Positions":  # the format's own encoder, of a position list
            self.encode_multi: Callable[[list[int]], bytes] = fmt.encode
            self.single = _SharedValues(lambda pos: fmt.encode([pos]))
        else:  # Frequency: the packed count its word_values yields
            self.encode_multi = lambda ps: pack_uint(len(ps))
            self.single = _SharedValues(lambda _pos: pack_uint(1))
        self._last_value: Any = None
        self._last = _Postings([], [], {}, 0)
        # Non-text values (paragraph numbers, dates, sources) repeat across documents.
        self._generic: dict[tuple[type, Any], _Postings] = {}

    def postings(self, value: Any) -> _Postings:
        """The postings of one value (the previous value's, if it is the same)."""
        if value == self._last_value and type(value) is type(self._last_value):
            return self._last
        if self.analyse is not None and isinstance(value, str):
            result = self._text_postings(value)
        else:
            key = (type(value), value)
            result = self._generic.get(key) if value.__hash__ is not None else None
            if result is None:
                result = self._generic_postings(value)
                if value.__hash__ is not None:
                    if len(self._generic) >= GENERIC_CACHE_SIZE:
                        self._generic.clear()
                    self._generic[key] = result
        self._last_value, self._last = value, result
        return result

    def _generic_postings(self, value: Any) -> _Postings:
        # The field's own code, as add_document uses it: IDs, numbers, dates, keywords.
        terms, values, weights, length = [], [], {}, 0
        for tbytes, freq, weight, vbytes in self.field.index(value):
            if weight != self.default_weight:
                weights[len(terms)] = weight
            terms.append(tbytes)
            values.append(vbytes)
            if self.scorable:
                length += freq
        return _Postings(terms, values, weights, length)

    def _text_postings(self, value: str) -> _Postings:
        assert self.analyse is not None
        terms, first = self.analyse(value)
        n = len(terms)
        length = n if self.scorable else 0
        if self.kind == "Existence":
            return _Postings(list(dict.fromkeys(terms)), [], {}, length)
        # Term -> its last position, built in C; when no term repeats (the
        # common case for a paragraph's rarer words) that is all there is.
        last = dict(zip(terms, range(first, first + n)))
        single = self.single.__getitem__
        if len(last) == n:
            return _Postings(list(last), list(map(single, last.values())), {}, length)
        repeated = {}
        boost = self.default_weight
        for term, count in Counter(terms).items():
            if count > 1:
                at = -1
                poses = []
                for _ in range(count):  # list.index scans in C
                    at = terms.index(term, at + 1)
                    poses.append(first + at)
                repeated[term] = (self.encode_multi(poses), count * boost)
        keys = list(last)
        values = [repeated[t][0] if t in repeated else single(p) for t, p in last.items()]
        weights = {i: repeated[t][1] for i, t in enumerate(keys) if t in repeated}
        return _Postings(keys, values, weights, length)


# ------------------------------------------------------------- the segment


class _TermIds(dict):  # type: ignore[type-arg]
    """term -> a small int, numbered in order of first use (a hit is a C-level lookup)."""

    def __missing__(self, term: Any) -> int:
        number = self[term] = len(self)
        return number


class _FieldPostings:
    """One field's postings in a batch, as flat parallel arrays in arrival (docnum) order.

    Adding a document's postings is a few C-level extends with no Python code
    per posting; `grouped` groups them by term once, with numpy, when the
    segment is written. Posting values (encoded positions) are numbered like
    terms: most are shared (a word seen once, at position p), so a posting
    costs 12 bytes (term, document, value numbers) and reordering them is numpy
    work, not a list of Python objects. Weights are kept only where they differ
    from the field's default (a word that occurs once).
    """

    __slots__ = ("term_ids", "terms", "docs", "value_ids", "values", "weights", "all_values")

    def __init__(self) -> None:
        self.terms = _TermIds()
        self.term_ids = array("I")
        self.docs = array("I")
        self.values = _TermIds()  # encoded value -> its number
        self.value_ids = array("I")
        self.weights: dict[int, float] = {}
        self.all_values = True  # every posting has a non-empty value (else empty ones are dropped)

    def add(self, docnum: int, posts: _Postings) -> None:
        n = len(posts.terms)
        base = len(self.term_ids)
        self.term_ids.extend(map(self.terms.__getitem__, posts.terms))
        self.docs.extend(array("I", (docnum,)) * n)
        if not (posts.values and all(posts.values)):
            self.all_values = False
        self.value_ids.extend(map(self.values.__getitem__, posts.values or [b""] * n))
        for i, weight in posts.weights.items():
            self.weights[base + i] = weight

    def __len__(self) -> int:
        return len(self.term_ids)

    def grouped(self, default_weight: float) -> _Grouped:
        """The postings reordered by term, terms in byte order (as the term table needs them).

        The batch's arrays are released as they are reordered, to keep the peak low.
        """
        import numpy as np

        # str order is UTF-8 byte order, so text terms sort as they are.
        keyed = sorted((t if isinstance(t, bytes) else t.encode("utf-8"), tid) for t, tid in self.terms.items())
        self.terms = _TermIds()
        rank = np.empty(len(keyed), dtype=np.uint32)
        rank[np.fromiter((tid for _, tid in keyed), dtype=np.int64, count=len(keyed))] = np.arange(
            len(keyed), dtype=np.uint32
        )
        key = rank[np.frombuffer(self.term_ids, dtype=np.uint32)]
        self.term_ids = array("I")
        del rank
        order = np.argsort(key, kind="stable")  # stable: docnums stay ascending per term
        starts = np.zeros(len(keyed) + 1, dtype=np.int64)
        np.cumsum(np.bincount(key, minlength=len(keyed)), out=starts[1:])
        del key
        count = len(order)
        docs = np.frombuffer(self.docs, dtype=np.uint32)[order]
        self.docs = array("I")
        vids = np.frombuffer(self.value_ids, dtype=np.uint32)[order]
        self.value_ids = array("I")
        weights = np.full(count, default_weight, dtype=np.float32)
        if self.weights:
            weights[np.fromiter(self.weights, dtype=np.int64)] = np.fromiter(self.weights.values(), dtype=np.float32)
            self.weights = {}
        weights = weights[order]
        del order
        values = list(self.values)
        self.values = _TermIds()
        return _Grouped([t for t, _ in keyed], starts, docs, weights, vids, values, self.all_values)


class _Grouped(NamedTuple):
    """One field's postings grouped by term: term i's are [starts[i], starts[i + 1])."""

    terms: list[bytes]  # in byte order
    starts: Any  # numpy int64, len(terms) + 1
    docs: Any  # numpy uint32 docnums
    weights: Any  # numpy float32
    value_ids: Any  # numpy uint32, indexes into values
    values: list[bytes]  # the distinct encoded values
    all_values: bool  # False: some postings have an empty value, which the postings writer drops

    def by_term(self) -> Iterator[tuple[bytes, list[int], list[float], list[bytes]]]:
        """(term, docnums, weights, non-empty values) one term at a time, for the generic path."""
        starts = self.starts.tolist()
        for i, tbytes in enumerate(self.terms):
            s, e = starts[i], starts[i + 1]
            vals = list(map(self.values.__getitem__, self.value_ids[s:e].tolist()))
            if not self.all_values:
                vals = [v for v in vals if v]
            yield tbytes, self.docs[s:e].tolist(), self.weights[s:e].tolist(), vals


class _SegmentBatch:
    """One segment being built: per-document data streamed, postings held in memory."""

    def __init__(self, owner: FastWriter) -> None:
        w = owner.writer
        self.owner = owner
        self.segment = w.codec.new_segment(w.storage, w.indexname)
        self.perdoc = w.codec.per_document_writer(w.storage, self.segment)
        _ensure_columns(self.perdoc, owner.schema)
        self.doccount = 0
        self.npostings = 0
        self.postings: dict[str, _FieldPostings] = {}
        # field -> length byte per docnum, for the block statistics
        self.lengths: dict[str, array[int]] = {}

    def add(self, doc: dict[str, Any]) -> None:
        docnum = self.doccount
        perdoc = self.perdoc
        schema = self.owner.schema
        perdoc.start_doc(docnum)
        for name in sorted(doc):  # add_document's order, so stored dicts come out the same
            value = doc[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                posts = self.owner.indexer(name).postings(value)
                self._add_postings(name, docnum, posts)
                length = posts.length
                if length:
                    lens = self.lengths.get(name)
                    if lens is None:
                        lens = self.lengths[name] = array("B")
                    if len(lens) < docnum:
                        lens.extend(bytes(docnum - len(lens)))
                    lens.append(length_to_byte(length))
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self.doccount += 1

    def _add_postings(self, name: str, docnum: int, posts: _Postings) -> None:
        table = self.postings.get(name)
        if table is None:
            table = self.postings[name] = _FieldPostings()
        table.add(docnum, posts)
        self.npostings += len(posts.terms)

    def finish(self) -> Any:
        """Write the postings, close the files and return the finished segment."""
        w = self.owner.writer
        self.perdoc.close()
        self.segment.set_doc_count(self.doccount)
        fieldwriter = w.codec.field_writer(w.storage, self.segment)
        for name in sorted(self.postings):
            default = self.owner.indexer(name).default_weight
            _write_field(fieldwriter, name, self.owner.schema[name], self.postings[name], default, self._lengths_of(name))
            self.postings[name] = _FieldPostings()  # free each field's postings once written
        fieldwriter.close()
        if self.segment.should_assemble():  # one compound file, as SegmentWriter makes
            self.segment.create_compound_file(w.storage)
        return self.segment

    def _lengths_of(self, name: str) -> array[int] | None:
        lens = self.lengths.get(name)
        if lens is not None and len(lens) < self.doccount:
            lens.extend(bytes(self.doccount - len(lens)))
        return lens

    def discard(self) -> None:
        """Close and delete whatever this batch wrote."""
        try:
            if not self.perdoc.is_closed:
                self.perdoc.close()
        except Exception:  # noqa: BLE001 - best effort on the way out; the files go next
            pass
        _delete_segment_files(self.owner.writer.storage, self.segment)


def _write_field(
    fieldwriter: Any, name: str, field: Any, table: _FieldPostings, default_weight: float, lens: array[int] | None
) -> None:
    fieldwriter.start_field(name, field)
    grouped = table.grouped(default_weight)
    if _supports_blocks(fieldwriter):
        _write_w3_terms(fieldwriter, field.format, grouped, lens)
    else:  # another codec or Whoosh version: the public one-posting-at-a-time calls
        for tbytes, ids, weights, values in grouped.by_term():
            fieldwriter.start_term(tbytes)
            for k, (docnum, weight) in enumerate(zip(ids, weights)):
                length = byte_to_length(lens[docnum]) if lens is not None and lens[docnum] else 0
                fieldwriter.add(docnum, weight, values[k] if values else b"", length)
            fieldwriter.finish_term()
    fieldwriter.finish_field()


def _supports_blocks(fieldwriter: Any) -> bool:
    """Whether this is the whoosh3 codec's field writer, whose files `_write_w3_terms` writes directly."""
    pw = getattr(fieldwriter, "_postwriter", None)
    if type(fieldwriter).__name__ != "W3FieldWriter" or type(pw).__name__ != "W3PostingsWriter":
        return False
    if not all(hasattr(fieldwriter, a) for a in ("_postfile", "_tindex", "_fieldid")):
        return False
    if not all(hasattr(pw, a) for a in ("_blocklimit", "_compression", "_inlinelimit", "_byteids")):
        return False
    from whoosh.codec import whoosh3

    return (
        pw._inlinelimit <= 1  # no posting list is ever inlined in the term info
        and not pw._byteids
        and hasattr(whoosh3, "WHOOSH3_HEADER_MAGIC")
        and getattr(getattr(whoosh3, "W3TermInfo", None), "_struct", None) is not None
    )


#: Postings turned into Python lists at a time by `_write_w3_terms` (whole terms).
WINDOW_POSTINGS = 1 << 18
#: Pickle protocol of a block's data. Whoosh writes protocol 2, which pickles
#: each bytes value (the encoded positions) through a codecs call: 14x slower
#: and 2.5x larger after zlib than protocol 4. Readers call pickle.loads, which
#: reads either.
_BLOCK_PICKLE = 4


def _write_w3_terms(fieldwriter: Any, fmt: Any, g: _Grouped, lens: array[int] | None) -> None:
    """Write the field's posting lists and term-table rows in the whoosh3 format, a window at a time.

    The bytes are those W3PostingsWriter writes after a run of add_posting
    calls (a header tag, then blocks of `_blocklimit` postings: the pickled
    block info and the pickled, maybe compressed, delta-coded docnums, weights
    and values), and the term-table row is W3TermInfo's. What Whoosh computes
    per posting in Python (deltas, block minima and maxima, weight sums) is
    computed here with numpy for a window of terms at once.
    """
    import numpy as np
    from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo

    pw = fieldwriter._postwriter
    limit, level = pw._blocklimit, pw._compression
    fixed = fmt.fixed_value_size()
    postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
    prefix = pack_ushort(fieldwriter._fieldid)
    pack_info = W3TermInfo._struct.pack
    dumps, compress = pickle.dumps, zlib.compress
    lengths = np.frombuffer(lens, dtype=np.uint8) if lens is not None else None
    table = g.values
    starts = g.starts
    nterms = len(g.terms)
    t0 = 0
    while t0 < nterms:
        # Whole terms, about WINDOW_POSTINGS postings (one term may be more).
        t1 = max(t0 + 1, int(np.searchsorted(starts, starts[t0] + WINDOW_POSTINGS, side="right")) - 1)
        p0, p1 = int(starts[t0]), int(starts[t1])
        tstarts = starts[t0 : t1 + 1] - p0
        counts = np.diff(tstarts)
        # Every term starts a block; a term with more than `limit` postings has several.
        bstarts = tstarts[:-1]
        long_terms = np.flatnonzero(counts > limit)
        if len(long_terms):
            extra = [np.arange(tstarts[i] + limit, tstarts[i + 1], limit) for i in long_terms.tolist()]
            bstarts = np.sort(np.concatenate([bstarts, *extra]))
        first_block = np.searchsorted(bstarts, tstarts).tolist()  # term -> its first block; [-1] = block count
        docs = g.docs[p0:p1].astype(np.int64)
        deltas = docs.copy()
        deltas[1:] -= docs[:-1]
        deltas[bstarts] = docs[bstarts]  # each block starts from 0
        weights = g.weights[p0:p1]
        bounds = np.append(bstarts, p1 - p0)
        b_last = docs[bounds[1:] - 1].tolist()
        b_min = np.minimum.reduceat(weights, bstarts).tolist()
        b_max = np.maximum.reduceat(weights, bstarts).tolist()
        b_sum = np.add.reduceat(weights.astype(np.float64), bstarts).tolist()
        if lengths is not None:
            lb = lengths[docs]
            l_min = np.minimum.reduceat(lb, bstarts).tolist()
            l_max = np.maximum.reduceat(lb, bstarts).tolist()
        else:  # unscored field: no lengths
            l_min = l_max = [0] * len(bstarts)
        dl, wl, bl = deltas.tolist(), weights.tolist(), bounds.tolist()
        firsts = docs[tstarts[:-1]].tolist()
        vals = list(map(table.__getitem__, g.value_ids[p0:p1].tolist())) if fixed != 0 else None
        for ti in range(t1 - t0):
            b0, b1 = first_block[ti], first_block[ti + 1]
            parts = [WHOOSH3_HEADER_MAGIC]
            for b in range(b0, b1):
                s, e = bl[b], bl[b + 1]
                lo, hi = b_min[b], b_max[b]
                mini_w = None if lo == hi == 1.0 else wl[s] if lo == hi else tuple(wl[s:e])
                if vals is None:  # fixed size 0: no values
                    mini_v = None
                elif fixed is not None and fixed > 0:
                    mini_v = b"".join(vals[s:e])
                else:  # the postings writer keeps only non-empty values
                    mini_v = tuple(vals[s:e] if g.all_values else [v for v in vals[s:e] if v])
                data = dumps((tuple(dl[s:e]), mini_w, mini_v), _BLOCK_PICKLE)
                comp = level if e - s >= COMPRESS_MIN_POSTINGS else 0
                if comp:
                    data = compress(data, comp)
                info = dumps((e - s, b_last[b], hi, comp, l_min[b], l_max[b]), 2)
                size = len(info) + len(data)
                parts += (pack_int(-size if b == b1 - 1 else size), info, data)  # negative: the last block
            blob = b"".join(parts)
            offset = postfile.tell()
            postfile.write(blob)
            ti_row = pack_info(
                0, sum(b_sum[b0:b1]), bl[b1] - bl[b0], min(l_min[b0:b1]), max(l_max[b0:b1]), max(b_max[b0:b1]),
                firsts[ti], b_last[b1 - 1],
            )
            tindex.add(prefix + g.terms[t0 + ti], ti_row + pack_long(offset) + pack_int(len(blob)))
        t0 = t1


def _ensure_columns(perdoc: Any, schema: Any) -> None:
    """Give a segment every column of the schema, filled with defaults where no document has a value.

    Whoosh's MultiReader.column_reader skips segments that lack a column and
    then maps their documents to the wrong segment (IndexError). One segment
    per build never shows it; paragraphs in our segments and the manifest in
    the writer's own would, e.g. for a query that matches every document.
    """
    if not (hasattr(perdoc, "_has_column") and hasattr(perdoc, "_create_column")):
        return
    for name in schema.names():
        column = schema[name].column_type
        if column is not None and not perdoc._has_column(name):
            perdoc._create_column(name, column)


def _delete_segment_files(storage: Any, segment: Any) -> None:
    prefix = segment.make_filename("")
    for name in list(storage.list()):
        if name.startswith(prefix):
            try:
                storage.delete_file(name)
            except OSError:
                pass


# -------------------------------------------------------------- the writer


class FastWriter:
    """Adds documents as pre-built segments of an open SegmentWriter's transaction.

    Use `add(doc)` instead of `writer.add_document(**doc)`, then
    `commit(mergetype=...)` instead of `writer.commit(mergetype=...)`, or
    `cancel()` instead of `writer.cancel()`. Deletes
    and other documents keep going through the writer itself.
    """

    def __init__(self, writer: Any, max_postings: int | None = None) -> None:
        self.writer = writer
        self.schema = writer.schema
        self.max_postings = MAX_POSTINGS if max_postings is None else max_postings
        self.segments: list[Any] = []
        self.documents = 0
        self._batch: _SegmentBatch | None = None
        self._indexers: dict[str, _FieldIndexer] = {}

    @classmethod
    def create(cls, writer: Any, max_postings: int | None = None) -> FastWriter | None:
        """A FastWriter for `writer`, or None where only add_document is safe."""
        if not ENABLED:
            return None
        needed = ("codec", "storage", "indexname", "schema", "commit")
        if not all(hasattr(writer, a) for a in needed):
            return None
        codec = writer.codec
        if not all(hasattr(codec, a) for a in ("new_segment", "per_document_writer", "field_writer")):
            return None
        for name in writer.schema.names():
            field = writer.schema[name]
            # Vectors and spelling words need extra per-document work we don't replicate.
            if field.vector or field.separate_spelling():
                return None
        return cls(writer, max_postings)

    def indexer(self, name: str) -> _FieldIndexer:
        ix = self._indexers.get(name)
        if ix is None:
            ix = self._indexers[name] = _FieldIndexer(name, self.schema[name])
        return ix

    def add(self, doc: dict[str, Any]) -> None:
        """Add one document (the keyword arguments add_document would get)."""
        if any(k.startswith("_") for k in doc):
            raise ValueError("boosts and custom stored values (_-prefixed keys) are not supported")
        unknown = [k for k in doc if k not in self.schema]
        if unknown:
            from whoosh.fields import UnknownFieldError

            raise UnknownFieldError(f"No field named {unknown[0]!r} in {self.schema}")
        if self._batch is None:
            self._batch = _SegmentBatch(self)
        self._batch.add(doc)
        self.documents += 1
        if self._batch.npostings >= self.max_postings:
            self.flush()

    def add_many(self, docs: Iterable[dict[str, Any]]) -> None:
        for doc in docs:
            self.add(doc)

    def flush(self) -> None:
        """Write the current batch as a segment (not yet part of the index)."""
        batch, self._batch = self._batch, None
        if batch is None or batch.doccount == 0:
            if batch is not None:
                batch.discard()
            return
        try:
            self.segments.append(batch.finish())
        except BaseException:
            batch.discard()
            raise

    def adopt(self, segments: Iterable[Any]) -> None:
        """Commit (or cancel) these finished segments, written by other processes, with ours."""
        self.segments.extend(segments)

    def commit(self, mergetype: Callable[[Any, list[Any]], list[Any]]) -> None:
        """Commit the writer with our segments added to the segment list it records.

        `mergetype` is the merge policy the writer's commit would get (CLEAR,
        MERGE_SMALL, ...); it still decides about the index's existing segments.
        """
        try:
            self.flush()
        except BaseException:
            self.cancel()
            raise
        ours = list(self.segments)
        # The writer's own segment gets documents if its merge policy merges
        # segments into it; it then needs every column too. (Unused, it is dropped.)
        _ensure_columns(getattr(self.writer, "perdocwriter", None), self.schema)

        def policy(writer: Any, segments: list[Any]) -> list[Any]:
            # The writer's merge policy decides about the existing segments;
            # ours are new and already the size we want.
            return list(mergetype(writer, segments)) + ours

        self.writer.commit(mergetype=policy)

    def cancel(self) -> None:
        """Cancel the writer and delete every segment file this object wrote."""
        if self._batch is not None:
            self._batch.discard()
            self._batch = None
        for segment in self.segments:
            _delete_segment_files(self.writer.storage, segment)
        self.segments.clear()
        if not getattr(self.writer, "is_closed", False):
            self.writer.cancel()
