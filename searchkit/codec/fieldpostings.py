"""Postings of the fields that are not text (IDs, numbers, dates, keywords), in bulk.

A value's postings come from the field's own `index()`, exactly as Whoosh's
writer would make them, remembered for values that repeat (paragraph numbers,
dates, sources) and short-cut for a plain ID (its own term). A batch keeps a
field's postings as flat arrays of term, document and value numbers, 12 bytes
a posting, and hands them to `segmentwrite` grouped by term (`Grouped`).
"""

from __future__ import annotations

from array import array
from typing import Any, NamedTuple

import numpy as np
from whoosh.analysis.tokenizers import IDTokenizer
from whoosh.fields import FieldType
from whoosh.formats import Existence

from searchkit.codec.segmentwrite import Grouped, by_term

#: Non-text field values whose postings are remembered (per field).
GENERIC_CACHE_SIZE = 4096


class Postings(NamedTuple):
    """One non-text value's postings, from the field's own `index()`."""

    terms: list[bytes]
    values: list[bytes]  # encoded posting values, parallel to terms
    weights: dict[int, float]  # index in terms -> weight, where it is not the field's default
    length: int  # the field length the value adds (0 for unscored fields)


class FieldIndexer:
    """Postings of IDs, numbers, dates and keywords, exactly as the field's own `index()` makes them."""

    def __init__(self, field: Any) -> None:
        self.field = field
        self.scorable = bool(field.scorable)
        # A one-occurrence posting weighs the field boost; others are listed as exceptions.
        self.default_weight = float(field.format.field_boost)
        self._last_value: Any = None
        self._last = Postings([], [], {}, 0)
        # Such values (paragraph numbers, dates, sources) repeat across documents.
        self._cache: dict[tuple[type, Any], Postings] = {}
        # A plain ID field indexes the value itself, often a new one each time (a fingerprint).
        # (NUMERIC and DATETIME have the same analyzer and format, but index() of their own.)
        self.plain_id = (
            type(field.analyzer) is IDTokenizer
            and type(field.format) is Existence
            and type(field).index is FieldType.index
        )

    def postings(self, value: Any) -> Postings:
        """The postings of one value (remembered, for a value seen before)."""
        if value == self._last_value and type(value) is type(self._last_value):
            return self._last
        if self.plain_id and type(value) is str:
            return Postings([value.encode("utf-8")], [b""], {}, 1 if self.scorable else 0)
        key = (type(value), value)
        result = self._cache.get(key) if value.__hash__ is not None else None
        if result is None:
            terms: list[bytes] = []
            values: list[bytes] = []
            weights: dict[int, float] = {}
            length = 0
            for tbytes, freq, weight, vbytes in self.field.index(value):
                if weight != self.default_weight:
                    weights[len(terms)] = weight
                terms.append(tbytes)
                values.append(vbytes)
                if self.scorable:
                    length += freq
            result = Postings(terms, values, weights, length)
            if value.__hash__ is not None:
                if len(self._cache) >= GENERIC_CACHE_SIZE:
                    self._cache.clear()
                self._cache[key] = result
        self._last_value, self._last = value, result
        return result


class PendingValues:
    """A non-text, unscored field's values as documents arrive; their postings are made in bulk later.

    Adding a value is two appends (and, for a value not seen before, the
    field's own `index()`: a bad value fails when it is added, and the number
    of postings, the batch's memory budget, is known). `drain()` adds every
    posting to the field's `FieldPostings` in document order, exactly as
    `FieldPostings.add` would one document at a time: a plain ID's values
    are their own terms (UTF-8, encoded as they come); other values get their
    postings once per distinct value (by type and value, as
    `FieldIndexer.postings` remembers them), laid out with numpy. A value of
    another shape (unhashable; not a string, for a plain ID) first drains what
    is pending, and from then on every value goes straight to the table.
    """

    __slots__ = ("indexer", "table", "docs", "values", "counts", "direct")

    def __init__(self, indexer: FieldIndexer, table: FieldPostings) -> None:
        self.indexer = indexer
        self.table = table
        self.docs = array("I")
        self.values: list[Any] = []  # a plain ID's terms, else the values
        self.counts: dict[tuple[type, Any], int] = {}  # a value seen before -> its number of postings
        self.direct = False

    def add(self, docnum: int, value: Any) -> int:
        """Add one document's value; return its number of postings."""
        if self.direct:
            return self._add_direct(docnum, value)
        if self.indexer.plain_id:
            if type(value) is not str:
                return self._go_direct(docnum, value)
            self.docs.append(docnum)
            self.values.append(value.encode("utf-8"))
            return 1
        key = (type(value), value)
        try:
            n = self.counts.get(key, -1)
        except TypeError:  # unhashable
            return self._go_direct(docnum, value)
        if n < 0:
            n = self.counts[key] = len(self.indexer.postings(value).terms)
        self.docs.append(docnum)
        self.values.append(value)
        return n

    def _go_direct(self, docnum: int, value: Any) -> int:
        self.drain()
        self.direct = True
        return self._add_direct(docnum, value)

    def _add_direct(self, docnum: int, value: Any) -> int:
        posts = self.indexer.postings(value)
        self.table.add(docnum, posts)
        return len(posts.terms)

    def drain(self) -> None:
        """Add the pending values' postings to the table, in document order."""
        docs, values = self.docs, self.values
        self.docs, self.values = array("I"), []
        if not values:
            return
        if self.indexer.plain_id:
            self.table.add_single(docs, values, b"")
            return
        keys = list(zip(map(type, values), values))
        postings = self.indexer.postings
        posts = {key: postings(key[1]) for key in dict.fromkeys(keys)}
        self.table.add_many(docs, keys, posts)


class _TermIds(dict):  # type: ignore[type-arg]
    """term -> a small int, numbered in order of first use (a hit is a C-level lookup)."""

    def __missing__(self, term: Any) -> int:
        number = self[term] = len(self)
        return number


class FieldPostings:
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

    def add(self, docnum: int, posts: Postings) -> None:
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

    def add_single(self, docs: array[int], terms: list[bytes], value: bytes) -> None:
        """Add one posting per document: `terms[i]` in `docs[i]`, each with `value` and the default weight."""
        if not value:
            self.all_values = False
        self.term_ids.extend(array("I", map(self.terms.__getitem__, terms)))
        self.docs.extend(docs)
        vid = self.values[value]  # numbered even when no document has it, as `add` would
        self.value_ids.extend(array("I", (vid,)) * len(terms))

    def add_many(self, docs: array[int], keys: list[Any], posts: dict[Any, Postings]) -> None:
        """Add the postings `posts[keys[i]]` of each document `docs[i]`, in that order, in bulk.

        The same as `add` called for each document: each distinct value's
        postings are numbered once, then laid out for every document with numpy.
        """
        index = {key: i for i, key in enumerate(posts)}
        plist = list(posts.values())
        counts = np.array([len(p.terms) for p in plist], dtype=np.int64)
        firsts = np.cumsum(counts) - counts
        flat_terms = np.array([self.terms[t] for p in plist for t in p.terms], dtype=np.uint32)
        flat_values = np.array(
            [self.values[v] for p in plist for v in (p.values or [b""] * len(p.terms))], dtype=np.uint32
        )
        if not all(p.values and all(p.values) for p in plist):  # as `add` decides it
            self.all_values = False
        uid = np.fromiter(map(index.__getitem__, keys), dtype=np.int64, count=len(keys))
        per_doc = counts[uid]
        starts = np.cumsum(per_doc) - per_doc  # each document's first posting
        at = np.repeat(firsts[uid] - starts, per_doc) + np.arange(int(per_doc.sum()))
        base = len(self.term_ids)
        self.term_ids.frombytes(flat_terms[at].tobytes())
        self.docs.frombytes(np.repeat(np.frombuffer(docs, dtype=np.uint32), per_doc).tobytes())
        self.value_ids.frombytes(flat_values[at].tobytes())
        if any(p.weights for p in plist):  # postings of another weight than the field's: rare
            for first, key in zip((starts + base).tolist(), keys):
                for i, weight in posts[key].weights.items():
                    self.weights[first + i] = weight

    def __len__(self) -> int:
        return len(self.term_ids)

    def grouped(self, default_weight: float) -> Grouped:
        """The postings reordered by term, terms in byte order; the batch's arrays are released."""
        keyed = sorted(self.terms.items())
        self.terms = _TermIds()
        rank = np.empty(len(keyed), dtype=np.uint32)
        rank[np.fromiter((tid for _, tid in keyed), dtype=np.int64, count=len(keyed))] = np.arange(
            len(keyed), dtype=np.uint32
        )
        key = rank[np.frombuffer(self.term_ids, dtype=np.uint32)]
        self.term_ids = array("I")
        order = by_term(key, len(keyed))  # stable: docnums stay ascending per term
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


def merged(parts: list[Grouped]) -> Grouped:
    """One field's postings from its text and its other values (rare: a text field given a non-string)."""
    if len(parts) == 1:
        return parts[0]
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
        terms,
        starts,
        np.array([d for d, _, _ in postings], dtype=np.uint32),
        np.array([w for _, w, _ in postings], dtype=np.float32),
        np.arange(len(values), dtype=np.uint32),
        values,
        all(g.all_values for g in parts),
    )
