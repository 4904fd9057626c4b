"""Per-segment and per-searcher arrays the bulk scorer works on.

A segment never changes (except for deletions, read per searcher), so what the bulk
scorer needs of it (its size, each paragraph's article as an ordinal) is built once
per segment reader and kept as long as the reader lives; a refreshed searcher reuses
the readers of unchanged segments. Per searcher (`View`), the segments' article
ordinals are merged into one global order (article ids sorted), deletions become
live-document masks, and the masks of recent filters (date range, source) are kept,
with the paragraph numbers (read once, when ranking first needs them) and which wire
keys have copies.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

import numpy as np
from numpy.typing import NDArray
from whoosh.query.qcore import Query
from whoosh.query.terms import Term
from whoosh.reading import IndexReader, SegmentReader
from whoosh.searching import Searcher

from searchkit.codec import readers

#: The date column's value for a document without a date (Whoosh's default for a missing number).
UNDATED = 2**64 - 1

#: Filter masks remembered per searcher (the least recently used is dropped).
FILTER_CACHE_SIZE = 16
#: Wire keys whose copies are remembered per searcher (cleared when it grows past this).
WIRE_CACHE_SIZE = 100_000


class Segment:
    """Arrays of one segment that never change: its size and each paragraph's article."""

    def __init__(self, reader: IndexReader) -> None:
        self.size: int = reader.doc_count_all()
        # A paragraph's article id, as an ordinal into self.names (sorted).
        heads, names = readers.article_runs(reader)
        uniq = sorted(set(names))
        where = {v: i for i, v in enumerate(uniq)}
        ordinals = np.fromiter(map(where.__getitem__, names), dtype=np.int64, count=len(names))
        self.article: NDArray[np.int64] = np.repeat(ordinals, np.diff(np.append(heads, self.size)))
        self.names: list[str] = [v.decode("utf-8") if isinstance(v, bytes) else v for v in uniq]


_segments: weakref.WeakKeyDictionary[IndexReader, Segment] = weakref.WeakKeyDictionary()
_segments_lock = threading.Lock()


def segment(reader: IndexReader) -> Segment:
    """The segment's arrays, kept as long as its reader lives (refreshed searchers reuse readers).

    Keyed by the reader object, not the segment id: ids are random strings that a
    seeded `random` (or a rebuilt index) can repeat.
    """
    with _segments_lock:
        try:
            got = _segments.get(reader)
        except TypeError:  # a reader that cannot be weakly referenced: no cache
            return Segment(reader)
    if got is None:
        got = Segment(reader)
        with _segments_lock:
            _segments[reader] = got
    return got


class Leaf:
    """One segment of a searcher: its sub-searcher, docnum offset, arrays and live mask (None: no deletions)."""

    def __init__(self, sub: Searcher, offset: int) -> None:
        self.sub = sub
        self.offset = offset
        reader = sub.reader()
        self.segment = segment(reader)
        deleted = _deleted(reader) if reader.has_deletions() else []
        self.live: NDArray[np.bool_] | None = None
        if deleted:
            self.live = np.ones(self.segment.size, dtype=bool)
            self.live[np.array(deleted, dtype=np.int64)] = False


def _deleted(reader: IndexReader) -> list[int]:
    """The reader's deleted docnums, sorted."""
    if isinstance(reader, SegmentReader):
        return sorted(reader.deleted_docs_set)
    return [d for d in range(reader.doc_count_all()) if reader.is_deleted(d)]


class View:
    """One searcher's segments with global article ordinals and live-document masks."""

    def __init__(self, searcher: Searcher) -> None:
        self.leaves = [Leaf(sub, offset) for sub, offset in searcher.leaf_searchers()]
        segs = [leaf.segment for leaf in self.leaves]
        self.names: list[str] = sorted(set().union(*(s.names for s in segs))) if segs else []
        self.ordinal = {s: i for i, s in enumerate(self.names)}
        self.size: int = searcher.doc_count_all()
        # Global article ordinal (in article id order) per docnum.
        self.article: NDArray[np.int64] = np.zeros(self.size, dtype=np.int64)
        for leaf in self.leaves:
            seg, offset = leaf.segment, leaf.offset
            local = np.array([self.ordinal[s] for s in seg.names], dtype=np.int64)
            self.article[offset : offset + seg.size] = local[seg.article] if seg.size else local[:0]
        reader = searcher.reader()
        self._n = reader.column_reader("n") if reader.has_column("n") else None
        self._reader = reader
        self._dates: NDArray[np.uint64] | None = None
        self._numbers: NDArray[np.int64] | None = None
        self._wires: dict[str, tuple[int, ...]] = {}
        self._searcher = weakref.ref(searcher)
        self._filters: OrderedDict[Query, NDArray[np.bool_]] = OrderedDict()
        self._lock = threading.Lock()

    def paragraph_number(self, docnum: int) -> int:
        if self._n is not None:
            return int(self._n[docnum])
        searcher = self._searcher()
        return int(searcher.reader().stored_fields(docnum).get("n", 0)) if searcher is not None else 0

    def paragraph_numbers(self, docs: NDArray[np.int64]) -> list[int]:
        """`paragraph_number` of each of `docs`: from the whole column, read once (ties are frequent)."""
        if self._n is None:
            return [self.paragraph_number(int(d)) for d in docs]
        with self._lock:
            if self._numbers is None:
                self._numbers = np.fromiter((int(v) for v in self._n), dtype=np.int64, count=self.size)
            numbers = self._numbers
        return [int(x) for x in numbers[docs].tolist()]

    def wire_copies(self, searcher: Searcher, wire: str) -> tuple[int, ...]:
        """The docnums holding wire key `wire` if there are several, else () (remembered per searcher).

        Most keys are unique; the result's collapse asks for its top rows' keys on every query.
        """
        with self._lock:
            got = self._wires.get(wire)
        if got is None:
            got = ()
            if searcher.reader().doc_frequency("wire", wire) > 1:
                got = tuple(searcher.docs_for_query(Term("wire", wire)))
            with self._lock:
                if len(self._wires) >= WIRE_CACHE_SIZE:
                    self._wires.clear()
                self._wires[wire] = got
        return got

    def dates(self) -> NDArray[np.uint64]:
        """Each docnum's date as the date column's number; `UNDATED` where it has none (read once)."""
        with self._lock:
            if self._dates is None:
                reader = self._reader
                if reader.has_column("date"):
                    column = reader.column_reader("date", translate=False)
                    self._dates = np.fromiter((int(v) for v in column), dtype=np.uint64, count=self.size)
                else:
                    self._dates = np.full(self.size, UNDATED, dtype=np.uint64)
            return self._dates

    def filter_mask(self, searcher: Searcher, flt: Query) -> NDArray[np.bool_]:
        """Which docnums the filter query lets through (remembered for the last few filters)."""
        with self._lock:
            got = self._filters.get(flt)
            if got is not None:
                self._filters.move_to_end(flt)
                return got
        mask = np.zeros(self.size, dtype=bool)
        docs = np.fromiter(searcher.docs_for_query(flt), dtype=np.int64)
        mask[docs] = True
        with self._lock:
            self._filters[flt] = mask
            while len(self._filters) > FILTER_CACHE_SIZE:
                self._filters.popitem(last=False)
        return mask


_views: weakref.WeakKeyDictionary[Searcher, View] = weakref.WeakKeyDictionary()
_views_lock = threading.Lock()


def view(searcher: Searcher) -> View:
    """The searcher's view, built once per searcher."""
    with _views_lock:
        got = _views.get(searcher)
    if got is not None:
        return got
    got = View(searcher)
    with _views_lock:
        _views[searcher] = got
    return got
