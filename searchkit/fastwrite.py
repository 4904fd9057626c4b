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
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from whoosh.analysis import IDTokenizer
from whoosh.columns import NumericColumn
from whoosh.formats import Existence
from whoosh.system import pack_int, pack_long, pack_ushort

from searchkit.textpostings import Grouped, TextBatch, TextField
from whoosh.util.numeric import byte_to_length, length_to_byte

#: Set to False to make `FastWriter.create` decline (tests compare both paths).
ENABLED = True

#: Postings held in memory before the batch is written as a segment. About
#: 30 bytes each (docnum, weight, a value that is usually a shared object),
#: so the default keeps a batch near 300 MB.
MAX_POSTINGS = 10_000_000

#: Non-text field values whose postings are remembered (per field).
GENERIC_CACHE_SIZE = 4096
#: Posting blocks with fewer postings are written uncompressed: zlib costs more
#: time on them than it saves bytes (the block header records the choice, and
#: every reader honours it).
COMPRESS_MIN_POSTINGS = 16
#: zlib level of posting blocks (at most the codec's). Measured on 100k
#: paragraphs: level 1 takes a quarter less time than the codec's 3 for an index
#: 0.3% larger.
POSTINGS_LEVEL = 1

# -------------------------------------------------- other fields' postings


class _Postings(NamedTuple):
    """One non-text value's postings, from the field's own `index()`."""

    terms: list[bytes]
    values: list[bytes]  # encoded posting values, parallel to terms
    weights: dict[int, float]  # index in terms -> weight, where it is not the field's default
    length: int  # the field length the value adds (0 for unscored fields)


class _FieldIndexer:
    """Postings of IDs, numbers, dates and keywords, exactly as the field's own `index()` makes them."""

    def __init__(self, field: Any) -> None:
        self.field = field
        self.scorable = bool(field.scorable)
        # A one-occurrence posting weighs the field boost; others are listed as exceptions.
        self.default_weight = float(field.format.field_boost)
        self._last_value: Any = None
        self._last = _Postings([], [], {}, 0)
        # Such values (paragraph numbers, dates, sources) repeat across documents.
        self._cache: dict[tuple[type, Any], _Postings] = {}
        # A plain ID field indexes the value itself, often a new one each time (a fingerprint).
        self._plain_id = type(field.analyzer) is IDTokenizer and type(field.format) is Existence

    def postings(self, value: Any) -> _Postings:
        """The postings of one value (remembered, for a value seen before)."""
        if value == self._last_value and type(value) is type(self._last_value):
            return self._last
        if self._plain_id and type(value) is str:
            return _Postings([value.encode("utf-8")], [b""], {}, 1 if self.scorable else 0)
        key = (type(value), value)
        result = self._cache.get(key) if value.__hash__ is not None else None
        if result is None:
            terms, values, weights, length = [], [], {}, 0
            for tbytes, freq, weight, vbytes in self.field.index(value):
                if weight != self.default_weight:
                    weights[len(terms)] = weight
                terms.append(tbytes)
                values.append(vbytes)
                if self.scorable:
                    length += freq
            result = _Postings(terms, values, weights, length)
            if value.__hash__ is not None:
                if len(self._cache) >= GENERIC_CACHE_SIZE:
                    self._cache.clear()
                self._cache[key] = result
        self._last_value, self._last = value, result
        return result


class _TermIds(dict):  # type: ignore[type-arg]
    """term -> a small int, numbered in order of first use (a hit is a C-level lookup)."""

    def __missing__(self, term: Any) -> int:
        number = self[term] = len(self)
        return number


class _FieldPostings:
    """One non-text field's postings in a batch, as flat parallel arrays in arrival (docnum) order.

    A posting costs 12 bytes (term, document and value numbers; values, like
    terms, are numbered, as most are shared). Weights are kept only where they
    differ from the field's default.
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
        if n == 1 and not posts.weights:  # the usual value: one term
            value = posts.values[0] if posts.values else b""
            if not value:
                self.all_values = False
            self.term_ids.append(self.terms[posts.terms[0]])
            self.docs.append(docnum)
            self.value_ids.append(self.values[value])
            return
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

    def grouped(self, default_weight: float) -> Grouped:
        """The postings reordered by term, terms in byte order; the batch's arrays are released."""
        import numpy as np

        keyed = sorted(self.terms.items())
        self.terms = _TermIds()
        rank = np.empty(len(keyed), dtype=np.uint32)
        rank[np.fromiter((tid for _, tid in keyed), dtype=np.int64, count=len(keyed))] = np.arange(
            len(keyed), dtype=np.uint32
        )
        key = rank[np.frombuffer(self.term_ids, dtype=np.uint32)]
        self.term_ids = array("I")
        order = np.argsort(key, kind="stable")  # stable: docnums stay ascending per term
        starts = np.zeros(len(keyed) + 1, dtype=np.int64)
        np.cumsum(np.bincount(key, minlength=len(keyed)), out=starts[1:])
        docs = np.frombuffer(self.docs, dtype=np.uint32)[order]
        vids = np.frombuffer(self.value_ids, dtype=np.uint32)[order]
        self.docs, self.value_ids = array("I"), array("I")
        weights = np.full(len(order), default_weight, dtype=np.float32)
        if self.weights:
            weights[np.fromiter(self.weights, dtype=np.int64)] = np.fromiter(self.weights.values(), dtype=np.float32)
            self.weights = {}
        values = list(self.values)
        self.values = _TermIds()
        return Grouped([t for t, _ in keyed], starts, docs, weights[order], vids, values, self.all_values)


# ------------------------------------------------------------- the segment


class _FieldPlan(NamedTuple):
    """What adding a value of one field involves, worked out once per build."""

    field: Any
    indexed: bool
    scorable: bool
    stored: bool
    column: Any  # the field's column type, or None
    text: TextField | None  # the fast analysis of a text field


class _SegmentBatch:
    """One segment being built: stored fields and columns streamed, postings held in memory.

    Stored fields and column values go straight to the column writers of the
    codec's per-document writer (what its start_doc/add_field/finish_doc would
    do, minus the per-call bookkeeping); field lengths, known per document as
    it arrives, are written as their columns when the batch finishes.
    """

    def __init__(self, owner: FastWriter) -> None:
        w = owner.writer
        self.owner = owner
        self.segment = w.codec.new_segment(w.storage, w.indexname)
        self.perdoc = w.codec.per_document_writer(w.storage, self.segment)
        _ensure_columns(self.perdoc, owner.schema)
        self.stored = self.perdoc._get_column("_stored")
        self.columns: dict[str, Any] = {}
        self.doccount = 0
        self.npostings = 0  # postings of other fields plus raw tokens of text fields: the memory budget
        self.text: dict[str, TextBatch] = {}
        self.postings: dict[str, _FieldPostings] = {}
        # field -> length byte per docnum (for the length column and the block statistics), and the total
        self.lengths: dict[str, array[int]] = {}
        self.totals: dict[str, int] = {}

    def _column(self, name: str, column: Any) -> Any:
        writer = self.columns.get(name)
        if writer is None:
            if not self.perdoc._has_column(name):
                self.perdoc._create_column(name, column)
            writer = self.columns[name] = self.perdoc._get_column(name)
        return writer

    def add(self, doc: dict[str, Any]) -> None:
        docnum = self.doccount
        plans = self.owner.plans
        stored = {}
        for name in sorted(doc):  # add_document's order, so stored dicts come out the same
            value = doc[name]
            if value is None:
                continue
            plan = plans[name]
            if plan.indexed:
                length = 0
                if plan.text is not None and isinstance(value, str):
                    ids = plan.text.ids(value)
                    batch = self.text.get(name)
                    if batch is None:
                        batch = self.text[name] = TextBatch()
                    batch.add(docnum, ids)
                    self.npostings += len(ids)
                    if plan.scorable:
                        length = len(ids) - ids.count(-1)
                else:
                    posts = self.owner.indexer(name).postings(value)
                    table = self.postings.get(name)
                    if table is None:
                        table = self.postings[name] = _FieldPostings()
                    table.add(docnum, posts)
                    self.npostings += len(posts.terms)
                    length = posts.length
                if length:
                    lens = self.lengths.get(name)
                    if lens is None:
                        lens = self.lengths[name] = array("B")
                        self.totals[name] = 0
                    if len(lens) < docnum:
                        lens.extend(bytes(docnum - len(lens)))
                    lens.append(length_to_byte(length))
                    self.totals[name] += length
            if plan.stored:
                stored[name] = value
            if plan.column is not None:
                self._column(name, plan.column).add(docnum, plan.field.to_column_value(value))
        if stored:
            self.stored.add(docnum, stored)
        self.doccount += 1

    def _close_documents(self) -> None:
        """Write the length columns and close the per-document writer, as its own close would after finish_doc."""
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        perdoc = self.perdoc
        for name in self.lengths:
            writer = self._column(_lenfield(name), LENGTHS_COLUMN)
            lens = self._lengths_of(name)
            if type(writer) is NumericColumn.Writer and writer._fixedlen == 1 and writer._count == 0:
                # The bytes its add() would write, one per document, defaults (0) included.
                writer._dbfile.write(lens.tobytes())
                writer._count = len(lens)
            else:
                for docnum, byte in enumerate(lens):
                    if byte:
                        writer.add(docnum, byte)
            perdoc._fieldlengths[name] += self.totals[name]
        perdoc._doccount = self.doccount
        perdoc.close()

    def finish(self) -> Any:
        """Write the postings, close the files and return the finished segment."""
        w = self.owner.writer
        schema = self.owner.schema
        self._close_documents()
        self.segment.set_doc_count(self.doccount)
        fieldwriter = w.codec.field_writer(w.storage, self.segment)
        for name in sorted({*self.postings, *self.text}):
            field = schema[name]
            fieldwriter.start_field(name, field)
            # A field may have both: a text field's non-text values go through its own code.
            parts = []
            if name in self.text:
                text = self.owner.plans[name].text
                assert text is not None
                parts.append(self.text.pop(name).grouped(text, field.format))
            if name in self.postings:
                parts.append(self.postings.pop(name).grouped(float(field.format.field_boost)))
            _write_field(fieldwriter, field.format, _merged(parts), self._lengths_of(name))
            fieldwriter.finish_field()
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


def _merged(parts: list[Grouped]) -> Grouped:
    """One field's postings from its text and its other values (rare: a text field given a non-string)."""
    if len(parts) == 1:
        return parts[0]
    import numpy as np

    rows: dict[bytes, list[tuple[int, float, bytes]]] = {}
    for g in parts:
        for i, term in enumerate(g.terms):
            s, e = int(g.starts[i]), int(g.starts[i + 1])
            vals = [g.values[v] for v in g.value_ids[s:e].tolist()]
            rows.setdefault(term, []).extend(zip(g.docs[s:e].tolist(), g.weights[s:e].tolist(), vals))
    terms = sorted(rows)
    flat = [sorted(rows[t]) for t in terms]
    starts = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in flat], out=starts[1:])
    postings = [p for r in flat for p in r]
    values = [v for _, _, v in postings]
    return Grouped(
        terms, starts, np.array([d for d, _, _ in postings], dtype=np.uint32),
        np.array([w for _, w, _ in postings], dtype=np.float32), np.arange(len(values), dtype=np.uint32),
        values, all(g.all_values for g in parts),
    )


def _write_field(fieldwriter: Any, fmt: Any, grouped: Grouped, lens: array[int] | None) -> None:
    if _supports_blocks(fieldwriter):
        _write_w3_terms(fieldwriter, fmt, grouped, lens)
        return
    # Another codec or Whoosh version: the public one-posting-at-a-time calls.
    starts = grouped.starts.tolist()
    for i, tbytes in enumerate(grouped.terms):
        s, e = starts[i], starts[i + 1]
        fieldwriter.start_term(tbytes)
        for docnum, weight, vid in zip(
            grouped.docs[s:e].tolist(), grouped.weights[s:e].tolist(), grouped.value_ids[s:e].tolist()
        ):
            length = byte_to_length(lens[docnum]) if lens is not None and lens[docnum] else 0
            fieldwriter.add(docnum, weight, grouped.values[vid], length)
        fieldwriter.finish_term()


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


def _write_w3_terms(fieldwriter: Any, fmt: Any, g: Grouped, lens: array[int] | None) -> None:
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
    limit, level = pw._blocklimit, min(pw._compression, POSTINGS_LEVEL)
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
        blobs, rows = [], []
        offset = postfile.tell()
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
            blobs.append(blob)
            ti_row = pack_info(
                0, sum(b_sum[b0:b1]), bl[b1] - bl[b0], min(l_min[b0:b1]), max(l_max[b0:b1]), max(b_max[b0:b1]),
                firsts[ti], b_last[b1 - 1],
            )
            rows.append((prefix + g.terms[t0 + ti], ti_row + pack_long(offset) + pack_int(len(blob))))
            offset += len(blob)
        postfile.write(b"".join(blobs))
        _add_rows(tindex, rows)
        t0 = t1


def _add_rows(tindex: Any, rows: list[tuple[bytes, bytes]]) -> None:
    """Add rows, keys ascending, to the term table (an OrderedHashWriter) in one write.

    What `tindex.add` does row by row (three writes, a position and a hash
    each), done for a window of rows.
    """
    from whoosh.filedb import filetables

    if type(tindex) is not filetables.OrderedHashWriter or not hasattr(filetables, "_lengths"):
        for key, value in rows:
            tindex.add(key, value)
        return
    if rows[0][0] <= tindex.lastkey:
        raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{rows[0][0]!r}")
    dbfile, hashfn, buckets = tindex.dbfile, tindex.hashfn, tindex.buckets
    index_append, pack_lengths = tindex.index.append, filetables._lengths.pack
    pos = dbfile.tell()
    out = []
    for key, value in rows:
        index_append(pos)
        h = hashfn(key)
        buckets[h & 255].append((h, pos))
        row = pack_lengths(len(key), len(value)) + key + value
        out.append(row)
        pos += len(row)
    dbfile.write(b"".join(out))
    tindex.lastkey = rows[-1][0]


def _w3_layout(codec: Any) -> bool:
    """Whether `codec` is the whoosh3 codec whose per-document writer's columns we fill directly."""
    if type(codec).__name__ != "W3Codec":
        return False
    if not all(hasattr(codec, a) for a in ("new_segment", "per_document_writer", "field_writer")):
        return False
    from whoosh.codec import whoosh3

    perdoc = getattr(whoosh3, "W3PerDocWriter", None)
    return (
        all(hasattr(whoosh3, a) for a in ("_lenfield", "LENGTHS_COLUMN"))
        and perdoc is not None
        and all(hasattr(perdoc, a) for a in ("_has_column", "_create_column", "_get_column", "close"))
    )


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
        self.plans = {
            name: _FieldPlan(
                field, bool(field.indexed), bool(field.scorable), bool(field.stored), field.column_type or None,
                TextField.create(field) if field.indexed else None,
            )
            for name, field in self.schema.items()
        }

    @classmethod
    def create(cls, writer: Any, max_postings: int | None = None) -> FastWriter | None:
        """A FastWriter for `writer`, or None where only add_document is safe."""
        if not ENABLED:
            return None
        needed = ("codec", "storage", "indexname", "schema", "commit")
        if not all(hasattr(writer, a) for a in needed):
            return None
        if not _w3_layout(writer.codec):
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
            ix = self._indexers[name] = _FieldIndexer(self.schema[name])
        return ix


    def add(self, doc: dict[str, Any]) -> None:
        """Add one document (the keyword arguments add_document would get)."""
        if not doc.keys() <= self.plans.keys():  # one C-level check for the usual case
            if any(k.startswith("_") for k in doc):
                raise ValueError("boosts and custom stored values (_-prefixed keys) are not supported")
            from whoosh.fields import UnknownFieldError

            unknown = [k for k in doc if k not in self.plans]
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
