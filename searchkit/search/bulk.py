"""Fast free-text search: BM25F over whole posting blocks, with numpy.

The common query is free text: an `Or` of `CombinedTerm`s (one word across
headline, body and quotes). Whoosh answers it one posting at a time through
Python matcher objects, which costs microseconds per matching paragraph and
field, and searchkit then walked the matches a second time for exact
per-article counts. This module answers the same query in bulk:

1. Statistics come from the query itself: `CombinedTerm.matcher` is called for
   each leaf segment, so document frequency, idf, average lengths, k1, b and
   the weighted fields are exactly the ones the Whoosh path uses. Only the
   arithmetic of `CombinedMatcher.score` is repeated here, vectorised
   (`_bm25f`); `tests/test_fastsearch.py` compares the two paths on random
   queries, so a formula change in one fails the tests until the other agrees.
2. Each field's postings are read a block at a time (ids and term frequencies;
   positions are not decoded), field lengths come from per-segment arrays.
3. Deleted paragraphs and the filter (date range, source) are boolean masks;
   the matches' article ordinals give exact per-article counts by `bincount`.
4. Only the top of the ranking is ever sorted: `argpartition` finds the k-th
   best score, and everything within rounding distance of it is sorted with
   the Whoosh path's key (score rounded to 9 places desc, article id, paragraph
   number), which makes the order total and the same on every run.

Per-segment arrays (field lengths, article ordinals) are built once per
segment reader (segments never change, except for deletions, which are read
per searcher; a refreshed searcher reuses the readers of unchanged segments);
per searcher, the merged article ordinals, deletion masks and recent filter
masks are cached too.

AND / OR / NOT (and +word / -word) combinations of plain words are scored the
same way (`_match`): each word's (ids, scores) as above, combined with numpy
set operations that add scores as Whoosh's matchers do. (Whoosh's own
AndNotMatcher keeps a segment's first match when the excluded word's first
posting lies before it; the searcher's Whoosh path corrects that, and tests
check this path against set algebra.)

Phrases (`_phrase`) join them: the paragraphs holding every word, then the
positions of only those paragraphs' postings (`postings.read_positions`),
where the words must stand one after another; each word scores as Whoosh's
BM25F scores a single field's term, the phrase's boost on top.

Anything else (fields, wildcards, sloppy phrases, sort by date, another
ranking model) returns None, and the caller uses Whoosh.
"""

from __future__ import annotations

import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy is a dependency; without it Whoosh answers everything
    np = None
from whoosh import scoring
from whoosh.matching import NullMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, Not, Or, Phrase, Query, Require, Term
from whoosh.util.numeric import byte_to_length

from searchkit.codec import postings
from searchkit.search import bm25f
from searchkit.search.bm25f import CombinedMatcher, CombinedTerm
from searchkit.search.collapse import Collapsed, collapse

#: Set to False to send every query through Whoosh (tests, benchmarks).
enabled = True

#: Byte -> field length, as Whoosh decodes its one-byte length columns.
_LENGTH_OF_BYTE = np.array([float(byte_to_length(i)) for i in range(256)]) if np is not None else None
#: Scores this close are not told apart by the ranking key (rounded to 9 places).
_TIE_MARGIN = 2e-9
_FILTER_CACHE_SIZE = 16


def terms_of(q: Query) -> tuple[list[CombinedTerm], float, float] | None:
    """(combined terms, boost, coordination) of a plain free-text query, or None for any other shape.

    Free text is an `Or` of `CombinedTerm`s, or bm25f's `FreeText` (an `Or` whose
    score is multiplied by `1 + coordination * (matched words - 1)`).
    """
    free_text = getattr(bm25f, "FreeText", None)
    if type(q) is CombinedTerm:
        subs: list[Any] = [q]
        boost, coordination = 1.0, 0.0
    elif type(q) is Or and not q.scale and q.subqueries:
        subs, boost, coordination = list(q.subqueries), float(q.boost), 0.0
    elif free_text is not None and type(q) is free_text and q.subqueries:
        subs, boost, coordination = list(q.subqueries), float(q.boost), float(getattr(q, "coordination", 0.0))
    else:
        return None
    if all(type(s) is CombinedTerm for s in subs):
        return subs, boost, coordination
    return None


def _bm25f(plan: _Plan, seg: _Segment) -> tuple[np.ndarray, np.ndarray]:
    """(ids, scores) of one term in one segment: `CombinedMatcher.score`, vectorised.

    The same operations in the same order as the scalar code (fields summed in
    order from 0.0 by `bincount`), so the same floats.
    """
    ids_l, tf_l = [], []
    for child, fieldname, c0, c1 in plan.fields:
        ids, freq = postings.read_postings(child)
        length = seg.lengths(plan.reader, fieldname, ids)
        if plan.legacy:  # c0 = field weight, c1 = average length
            tf_l.append(c0 * freq / (1.0 - plan.b + plan.b * length / c1))
        else:
            tf_l.append(freq / (c0 + c1 * length))
        ids_l.append(ids)
    ids, t = _sum_by_id(ids_l, tf_l)
    k1 = plan.k1
    return ids, plan.weight * t * (k1 + 1.0) / (k1 + t)


def _sum_by_id(ids_l: list[np.ndarray], values_l: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct ids and, per id, the sum of its values in list order (from 0.0)."""
    if len(ids_l) == 1:
        return ids_l[0], values_l[0] + 0.0
    ids, where = np.unique(np.concatenate(ids_l), return_inverse=True)
    return ids, np.bincount(where.ravel(), weights=np.concatenate(values_l), minlength=len(ids))


class _Plan:
    """What `CombinedTerm.matcher` decided for one segment: postings and constants per field."""

    def __init__(
        self,
        reader: Any,
        fields: list[tuple[Any, str, float, float]],
        weight: float,
        k1: float,
        b: float = 0.0,
        legacy: bool = False,
    ) -> None:
        self.reader = reader
        self.fields = fields
        self.weight = weight
        self.k1 = k1
        self.b = b
        self.legacy = legacy


def _plan(term: CombinedTerm, sub: Any) -> _Plan | None:
    """The term's statistics, taken from the Whoosh path's own matcher so both agree.

    None when the matcher is not the `CombinedMatcher` this module knows how to
    repeat; an empty plan when the term is not in this segment.
    """
    m = term.matcher(sub)
    if isinstance(m, type(NullMatcher)):
        return _Plan(None, [], 0.0, 0.0)
    if type(m) is not CombinedMatcher:
        return None
    try:
        children = list(m._children)
        if all(len(c) == 4 and isinstance(c[1], str) for c in children):
            # (postings, field name, weight, average length); idf, k1, b on the matcher
            fields = [(c[0], c[1], float(c[2]), float(c[3])) for c in children]
            return _Plan(sub.reader(), fields, m._idf, m._k1, m._b, legacy=True)
        # (postings, lengths, c0, c1): tf_f / (c0 + c1 * len_f); weight, k1 on the matcher
        fields = [(c[0], _fieldname(c[0]), float(c[2]), float(c[3])) for c in children if len(c) == 4]
        if len(fields) != len(children):
            return None
        return _Plan(sub.reader(), fields, m._weight, m._k1)
    except (AttributeError, TypeError, ValueError):
        return None


def _fieldname(m: Any) -> str:
    leaf = m.child if type(m) is FilterMatcher else m
    return leaf.term()[0]


# --------------------------------------------------------------------------- per-segment arrays


class _Segment:
    """Arrays of one segment that never change: field lengths, articles, paragraph numbers."""

    def __init__(self, reader: Any) -> None:
        self.size = reader.doc_count_all()
        self.length_bytes: dict[str, np.ndarray | None] = {}
        # A paragraph's article id, as an ordinal into self.names (sorted).
        heads, names = _article_runs(reader)
        uniq = sorted(set(names))
        where = {v: i for i, v in enumerate(uniq)}
        ordinals = np.fromiter(map(where.__getitem__, names), dtype=np.int64, count=len(names))
        self.article = np.repeat(ordinals, np.diff(np.append(heads, self.size)))
        self.names = [v.decode("utf-8") if isinstance(v, bytes) else v for v in uniq]

    def lengths(self, reader: Any, fieldname: str, ids: np.ndarray) -> np.ndarray:
        """The lengths in `fieldname` of paragraphs `ids`, as Whoosh's doc_field_length says."""
        if fieldname not in self.length_bytes:
            self.length_bytes[fieldname] = postings.length_bytes(reader, fieldname, self.size)
        col = self.length_bytes[fieldname]
        if col is None:  # no length column: Whoosh's doc_field_length default (1)
            return np.ones(len(ids))
        return _LENGTH_OF_BYTE[col[ids]]


def _article_runs(reader: Any) -> tuple[np.ndarray, list[Any]]:
    """Runs of paragraphs with the same article id: (first docnum of each run, its id).

    An article's paragraphs are written one after another, so there are about
    as many runs as articles; the column is compared in bulk, not per paragraph.
    """
    size = reader.doc_count_all()
    try:
        col = reader._perdoc.column_reader("article_id", reader.schema["article_id"].column_type)
        offsets = np.asarray(col._offsets, dtype=np.int64)
        lengths = np.asarray(col._lengths, dtype=np.int64)
        if len(lengths) != size or len(offsets) != size:
            raise TypeError("column size")
        if not size:
            return np.zeros(0, dtype=np.int64), []
        data = col._dbfile.get(col._basepos, int((offsets + lengths).max()))
        width = max(int(lengths.max()), 1)
        buf = np.frombuffer(data + bytes(width), dtype=np.uint8)
        table = np.lib.stride_tricks.sliding_window_view(buf, width)[offsets]  # each id, padded
        table[np.arange(width) >= lengths[:, None]] = 0
        change = np.ones(size, dtype=bool)
        change[1:] = (table[1:] != table[:-1]).any(axis=1) | (lengths[1:] != lengths[:-1])
        heads = np.flatnonzero(change)
        return heads, [data[o : o + n] for o, n in zip(offsets[heads].tolist(), lengths[heads].tolist())]
    except (AttributeError, KeyError, TypeError, ValueError):
        pass
    if reader.has_column("article_id"):
        values = [v or "" for v in reader.column_reader("article_id")]
    else:
        values = [reader.stored_fields(d).get("article_id", "") for d in range(size)]
    return np.arange(size, dtype=np.int64), values


_segments: weakref.WeakKeyDictionary[Any, _Segment] = weakref.WeakKeyDictionary()
_segments_lock = threading.Lock()


def _segment(reader: Any) -> _Segment:
    """The segment's arrays, kept as long as its reader lives (refreshed searchers reuse readers).

    Keyed by the reader object, not the segment id: ids are random strings that a
    seeded `random` (or a rebuilt index) can repeat.
    """
    with _segments_lock:
        try:
            got = _segments.get(reader)
        except TypeError:  # a reader that cannot be weakly referenced: no cache
            return _Segment(reader)
    if got is None:
        got = _Segment(reader)
        with _segments_lock:
            _segments[reader] = got
    return got


# --------------------------------------------------------------------------- per-searcher view


class _View:
    """One searcher's segments with global article ordinals and live-document masks."""

    def __init__(self, searcher: Any) -> None:
        self.leaves: list[tuple[Any, int, _Segment, np.ndarray | None]] = []
        segs = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            seg = _segment(reader)
            deleted = sorted(reader.deleted_docs_set) if reader.has_deletions() else []
            live = None
            if deleted:
                live = np.ones(seg.size, dtype=bool)
                live[np.array(deleted, dtype=np.int64)] = False
            self.leaves.append((sub, offset, seg, live))
            segs.append(seg)
        self.names: list[str] = sorted(set().union(*(s.names for s in segs))) if segs else []
        self.ordinal = {s: i for i, s in enumerate(self.names)}
        self.size = searcher.doc_count_all()
        # Global article ordinal (in article id order) per docnum.
        self.article = np.zeros(self.size, dtype=np.int64)
        for _sub, offset, seg, _live in self.leaves:
            local = np.array([self.ordinal[s] for s in seg.names], dtype=np.int64)
            self.article[offset : offset + seg.size] = local[seg.article] if seg.size else local[:0]
        reader = searcher.reader()
        self._n = reader.column_reader("n") if reader.has_column("n") else None
        self._searcher = weakref.ref(searcher)
        self._filters: OrderedDict[Query, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def paragraph_number(self, docnum: int) -> int:
        if self._n is not None:
            return int(self._n[docnum])
        searcher = self._searcher()
        return int(searcher.stored_fields(docnum).get("n", 0)) if searcher is not None else 0

    def filter_mask(self, searcher: Any, flt: Query) -> np.ndarray:
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
            while len(self._filters) > _FILTER_CACHE_SIZE:
                self._filters.popitem(last=False)
        return mask


_views: weakref.WeakKeyDictionary[Any, _View] = weakref.WeakKeyDictionary()
_views_lock = threading.Lock()


def _view(searcher: Any) -> _View:
    with _views_lock:
        got = _views.get(searcher)
    if got is not None:
        return got
    got = _View(searcher)
    with _views_lock:
        _views[searcher] = got
    return got


# --------------------------------------------------------------------------- results


class ArticleCounts(Mapping[str, int]):
    """Matching paragraphs per article id (a read-only Counter, backed by an array)."""

    def __init__(self, counts: np.ndarray, names: list[str], ordinal: dict[str, int]) -> None:
        self._counts = counts
        self._names = names
        self._ordinal = ordinal
        self._len = int(np.count_nonzero(counts))
        self._total = int(counts.sum())

    def __getitem__(self, article_id: str) -> int:
        i = self._ordinal.get(article_id)
        if i is None or i >= len(self._counts) or not self._counts[i]:
            raise KeyError(article_id)
        return int(self._counts[i])

    def __iter__(self) -> Iterator[str]:
        return (self._names[i] for i in np.flatnonzero(self._counts))

    def __len__(self) -> int:
        return self._len

    def total(self) -> int:
        """All matching paragraphs (as `Counter.total`)."""
        return self._total


class FastResult:
    """Every match of a query, scored; rows come out in ranking order on demand."""

    def __init__(self, searcher: Any, view: _View, docs: np.ndarray, scores: np.ndarray) -> None:
        self._searcher = searcher
        self._view = view
        self.docs = docs
        self.scores = scores
        counts = np.bincount(view.article[docs], minlength=len(view.names))
        self.counts = ArticleCounts(counts, view.names, view.ordinal)
        self._stored: dict[int, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.docs)

    def order(self, k: int) -> list[int]:
        """Indexes (into docs/scores) of the first k matches in ranking order."""
        scores = self.scores
        if k <= 0 or not len(scores):
            return []
        if k < len(scores):
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            cand = np.flatnonzero(scores >= kth - _TIE_MARGIN)
        else:
            cand = np.arange(len(scores))
        s = scores[cand].tolist()
        art = self._view.article[self.docs[cand]].tolist()
        keys = [(-round(x, 9), a) for x, a in zip(s, art)]
        if len(set(keys)) < len(keys):  # paragraphs of one article tie: the earlier paragraph first
            docs = self.docs[cand].tolist()
            keys = [(*key, self._view.paragraph_number(d)) for key, d in zip(keys, docs)]
        keyed = sorted(range(len(cand)), key=keys.__getitem__)
        return [int(cand[i]) for i in keyed[:k]]

    def _fields(self, doc: int) -> dict[str, Any]:
        fields = self._stored.get(doc)
        if fields is None:
            fields = self._stored[doc] = self._searcher.stored_fields(doc)
        return fields

    def top(self, k: int) -> list[tuple[float, dict[str, Any]]]:
        """The first k matches as (score, stored fields), best first."""
        return [(float(self.scores[i]), self._fields(int(self.docs[i]))) for i in self.order(k)]

    def collapse(self, need: int, per_article: bool) -> list[Collapsed]:
        """The first `need` results, collapsed as `collapse` says, loading only the rows shown."""
        return collapse(self, need, per_article)

    # The ranking as `collapse.RankedRows`: a row is an index into docs/scores.

    def window(self, fetch: int) -> list[int]:
        return self.order(fetch)

    def article(self, row: int) -> int:
        return int(self._view.article[int(self.docs[row])])

    def article_id(self, row: int) -> str:
        return self._view.names[self.article(row)]

    def score(self, row: int) -> float:
        return float(self.scores[row])

    def fields(self, row: int) -> dict[str, Any]:
        return self._fields(int(self.docs[row]))

    def copies(self, wires: Collection[str]) -> Callable[[int], str | None]:
        """Rows whose paragraph shares one of these wire keys, by the `wire` field's postings (no stored fields)."""
        searcher = self._searcher
        wire_of: dict[int, str] = {}
        for wire in wires:
            if searcher.doc_frequency("wire", wire) > 1:
                for doc in searcher.docs_for_query(Term("wire", wire)):
                    wire_of[doc] = wire
        docs = self.docs
        return lambda row: wire_of.get(int(docs[row]))


# --------------------------------------------------------------------------- boolean queries


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0)


class _Unsupported(Exception):
    """A part of the query this module does not score: Whoosh answers the whole query."""


#: Query types `_match` evaluates (besides CombinedTerm); exact types, as subclasses may score otherwise.
_BOOLEAN = (Or, And, AndNot, Not, Require, AndMaybe)


def is_boolean(q: Query) -> bool:
    """True for AND / OR / NOT (and +/-) combinations of plain words and phrases."""
    if type(q) is CombinedTerm:
        return True
    if type(q) is Phrase:
        return q.slop == 1  # (char_ranges, which the parser sets, only serve highlighting)
    if type(q) not in _BOOLEAN or (type(q) is Or and (q.scale or q.minmatch)):
        return False
    return all(is_boolean(c) for c in q.children())


def _match(q: Query, sub: Any, seg: _Segment) -> tuple[np.ndarray, np.ndarray]:
    """(sorted local ids, scores) of every match of `q` in one segment, as Whoosh's matchers score them.

    Or and And sum their parts' scores (Union/IntersectionMatcher), a boost
    multiplies (WrappingMatcher), AndNot and Require keep the first part's
    score, AndMaybe adds the second part's where it matches, and Not matches
    every other document with score 1 (InverseMatcher).
    """
    kind = type(q)
    if kind is CombinedTerm:
        return _word(q, sub, seg) or _empty()
    if kind is Phrase:
        return _phrase(q, sub, seg)
    parts = [_match(c, sub, seg) for c in q.children()] if kind is not Not else []
    if kind is not Not and not parts:  # an empty And / Or matches nothing
        return _empty()
    if kind is Or:
        ids, scores = _sum_by_id([p[0] for p in parts], [p[1] for p in parts])
    elif kind is And:
        ids = parts[0][0]
        for other, _ in parts[1:]:
            ids = np.intersect1d(ids, other, assume_unique=True)
        scores = np.zeros(len(ids))
        for pids, pscores in parts:
            scores += pscores[np.searchsorted(pids, ids)]
    elif kind is AndNot or kind is Require:
        (ids, scores), (other, _) = parts
        keep = np.isin(ids, other, assume_unique=True, invert=kind is AndNot)
        ids, scores = ids[keep], scores[keep]
    elif kind is AndMaybe:
        (ids, scores), (other, oscores) = parts
        scores = scores.copy()
        where = np.searchsorted(other, ids)
        hit = where < len(other)
        hit[hit] = other[where[hit]] == ids[hit]
        scores[hit] += oscores[where[hit]]
    elif kind is Not:
        child, _ = _match(q.query, sub, seg)
        keep = np.ones(seg.size, dtype=bool)
        keep[child] = False
        ids = np.flatnonzero(keep)
        return ids, np.ones(len(ids))
    else:
        raise _Unsupported
    boost = float(getattr(q, "boost", 1.0))
    if kind in (Or, And) and len(parts) > 1 and boost != 1.0:
        scores = scores * boost
    return ids, scores


def _word(term: CombinedTerm, sub: Any, seg: _Segment) -> tuple[np.ndarray, np.ndarray] | None:
    """(sorted local ids, scores) of one word in one segment; None when the segment lacks it."""
    plan = _plan(term, sub)
    if plan is None:
        raise _Unsupported  # a matcher of an unexpected shape: let Whoosh answer
    if not plan.fields:
        return None
    ids, scores = _bm25f(plan, seg)
    return ids.astype(np.int64, copy=False), scores


def _phrase(q: Phrase, sub: Any, seg: _Segment) -> tuple[np.ndarray, np.ndarray]:
    """A phrase in one field, as Whoosh's SpanNear2 (slop 1, in order) matches and scores it.

    A paragraph matches when the words stand at consecutive positions; its
    score is the sum of each word's own score there (BM25F's per-field BM25 of
    the word's frequency, as the Term matchers inside the span matcher give),
    times the phrase's boost.
    """
    reader = sub.reader()
    fieldname = q.fieldname
    if fieldname not in sub.schema or not q.words:
        raise _Unsupported
    field = sub.schema[fieldname]
    if not field.format or not field.format.supports("positions"):
        raise _Unsupported
    words = []
    for word in q.words:
        try:
            word = field.to_bytes(word)
        except ValueError:
            return _empty()
        if (fieldname, word) not in reader:
            return _empty()  # as Whoosh: a word missing from the segment, no match in it
        words.append(word)
    postings_l, scorers = [], []
    for word in words:
        scorer = sub.weighting.scorer(sub, fieldname, word)
        if type(scorer).__name__ != "BM25FScorer" or not all(hasattr(scorer, a) for a in ("idf", "avgfl", "B", "K1")):
            raise _Unsupported
        m = reader.postings(fieldname, word)
        postings_l.append((m, *postings.read_postings(m)))
        scorers.append(scorer)
    docs = postings_l[0][1]
    for _, ids, _ in postings_l[1:]:
        docs = np.intersect1d(docs, ids, assume_unique=True)
    if len(words) > 1 and len(docs):
        starts = None  # doc << 32 | position of the phrase's first word
        for k, (m, ids, _) in enumerate(postings_l):
            try:
                pdocs, pos = postings.read_positions(m, ids, docs)
            except (TypeError, ValueError, pickle.UnpicklingError):
                raise _Unsupported from None
            keys = np.unique((pdocs << 32) | (pos - k))
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
        assert starts is not None
        docs = np.unique(starts >> 32)
    if not len(docs):
        return _empty()
    length = seg.lengths(reader, fieldname, docs)
    scores = np.zeros(len(docs))
    for (_, ids, tf), sc in zip(postings_l, scorers):
        scores += scoring.bm25(sc.idf, tf[np.searchsorted(ids, docs)], length, sc.avgfl, sc.B, sc.K1)
    if q.boost != 1.0:
        scores = scores * q.boost
    return docs, scores


def execute(searcher: Any, q: Query, flt: Query | None = None) -> FastResult | None:
    """Score every match of a free-text or boolean query, or None when the query has another shape."""
    if not enabled or np is None:
        return None
    shape = terms_of(q)
    if shape is not None:
        return _scored(searcher, flt, lambda sub, seg: _free_text(q, shape, sub, seg))
    if is_boolean(q):
        return _scored(searcher, flt, lambda sub, seg: _match(q, sub, seg))
    return None


def _free_text(
    q: Query, shape: tuple[list[CombinedTerm], float, float], sub: Any, seg: _Segment
) -> tuple[np.ndarray, np.ndarray]:
    """(local ids, scores) of a free-text query in one segment."""
    terms, boost, coordination = shape
    found = [got for got in (_word(term, sub, seg) for term in terms) if got is not None]
    if not found:
        return _empty()
    ids_l, scores_l = [ids for ids, _ in found], [sc for _, sc in found]
    local, total = _sum_by_id(ids_l, scores_l)
    free_text = type(q) is not Or and type(q) is not CombinedTerm
    if free_text and coordination:  # FreeText: boost * sum * (1 + c * (matched - 1))
        matched = _sum_by_id(ids_l, [np.ones(len(x)) for x in ids_l])[1]
        total = boost * total * (1.0 + coordination * (matched - 1))
    elif free_text:
        total = boost * total
    elif boost != 1.0:  # Or's boost: Whoosh wraps the matcher, score * boost
        total = total * boost
    return local, total


def _scored(searcher: Any, flt: Query | None, score: Any) -> FastResult | None:
    """Every segment's matches by `score(sub, seg)`, minus deleted and filtered-out paragraphs."""
    view = _view(searcher)
    parts_docs: list[np.ndarray] = []
    parts_scores: list[np.ndarray] = []
    for sub, offset, seg, live in view.leaves:
        try:
            local, total = score(sub, seg)
        except _Unsupported:
            return None
        if not len(local):
            continue
        keep = None if live is None else live[local]
        if flt is not None:
            allowed = view.filter_mask(searcher, flt)[local + offset]
            keep = allowed if keep is None else keep & allowed
        if keep is not None:
            local, total = local[keep], total[keep]
        parts_docs.append(local + offset)
        parts_scores.append(total)
    if parts_docs:
        docs, scores = np.concatenate(parts_docs), np.concatenate(parts_scores)
    else:
        docs, scores = _empty()
    return FastResult(searcher, view, docs, scores)
