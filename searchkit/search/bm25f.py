"""A true BM25F term query for Whoosh.

Whoosh's `BM25F` weighting scores each field on its own and adds the scores, so
a word in the headline *and* the body saturates twice and a field boost
multiplies term frequency inside each field's saturation. Real BM25F (Robertson
and Zaragoza 2009; Elasticsearch's `combined_fields`) first merges the fields
into one pseudo-field, each field with its own weight w_f and length
normalisation b_f:

    tf~ = sum_f  w_f * tf_f / (1 - b_f + b_f * len_f / avglen_f)
    score = qw * idf * tf~ * (k1 + 1) / (k1 + tf~)

`CombinedTerm` is one query word across several weighted fields, scored that
way; a free-text query is an `Or` of them. `qw` is the query-side weight (how
often the word occurs in the query, see `query.py`). The document frequency of
the combined field is the largest of the fields' (as Elasticsearch does), since
a paragraph that has the word in any field counts once.

Field lengths are read once per index segment and field into a list, so scoring
a posting is a list lookup rather than a column read.
"""

from __future__ import annotations

import math
import weakref
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple, Protocol, TypeVar

from whoosh.matching.mcore import ListMatcher, Matcher, NullMatcher
from whoosh.query.compound import Or
from whoosh.query.qcore import Query
from whoosh.reading import IndexReader, TermInfo, TermNotFound
from whoosh.searching import SearchContext, Searcher

from searchkit.codec import readers

#: One field of a combined term: (field name, weight, b).
FieldSpec = tuple[str, float, float]

_lengths_cache: weakref.WeakKeyDictionary[IndexReader, dict[str, list[float]]] = weakref.WeakKeyDictionary()


#: Term infos remembered per segment reader (cleared when it grows past this).
TERM_INFO_CACHE = 20_000
_term_infos: weakref.WeakKeyDictionary[IndexReader, dict[tuple[str, str], TermInfo | None]] = (
    weakref.WeakKeyDictionary()
)

_K = TypeVar("_K")
_V = TypeVar("_V")


class CollectionStatistics(Protocol):
    """Whole-collection figures BM25F reads, when they come from elsewhere than the searcher's own index.

    A sharded index (`searchkit.shard`) injects them so that every shard scores with the
    figures of all shards together (`inject_statistics`); otherwise the searcher's are used.
    """

    def doc_count(self) -> int:
        """Documents in the collection, deleted or not (as `Searcher.doc_count_all`)."""

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """Documents holding the word in the field."""

    def avg_field_length(self, fieldname: str) -> float:
        """The field's average length over the collection's documents."""


_injected: weakref.WeakKeyDictionary[Searcher, CollectionStatistics] = weakref.WeakKeyDictionary()


def inject_statistics(searcher: Searcher, stats: CollectionStatistics) -> None:
    """Score every search of this (top-level) searcher with `stats` instead of its own index's figures."""
    _injected[searcher] = stats


def _of_reader(caches: weakref.WeakKeyDictionary[IndexReader, dict[_K, _V]], reader: IndexReader) -> dict[_K, _V]:
    """The reader's own dict in `caches`: it lives as long as the reader (a new dict each call if it cannot)."""
    try:
        return caches.setdefault(reader, {})
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        return {}


def term_info(reader: IndexReader, fieldname: str, text: str) -> TermInfo | None:
    """A reader's TermInfo for a word of a field, or None; remembered per reader.

    A word of a free-text query is looked up in every field and segment for its
    statistics, then again for its postings; each is a hash lookup in the term
    table. A segment never changes, so one lookup per word, field and segment serves
    every search of the reader's lifetime.
    """
    cache = _of_reader(_term_infos, reader)
    key = (fieldname, text)
    if key in cache:
        return cache[key]
    try:
        info = reader.term_info(fieldname, text)
    except TermNotFound:
        info = None
    if len(cache) >= TERM_INFO_CACHE:
        cache.clear()
    cache[key] = info
    return info


def idf(doc_count: int, df: int) -> float:
    """BM25's probabilistic IDF (Lucene's), always positive."""
    return math.log(1.0 + (doc_count - df + 0.5) / (df + 0.5))


def field_lengths(reader: IndexReader, fieldname: str) -> list[float]:
    """Every document's length in `fieldname` on one segment reader, as a list (cached per reader).

    A list, not the codec's array: scoring one posting is then a list lookup giving a
    Python float, as fast as it gets in the scalar path.
    """
    per_reader = _of_reader(_lengths_cache, reader)
    lengths = per_reader.get(fieldname)
    if lengths is None:
        lengths = readers.field_lengths(reader, fieldname).tolist()
        per_reader[fieldname] = lengths
    return lengths


class FieldPart(NamedTuple):
    """One field of a `CombinedMatcher`: its postings, lengths and normalisation constants.

    The field's share of tf~ for a document is `matcher.weight() / (c0 + c1 * lengths[doc])`.
    """

    field: str
    matcher: Matcher
    lengths: list[float]
    c0: float
    c1: float


class CombinedTerm(Query):
    """One analysed term searched in several fields as a single BM25F field."""

    def __init__(self, text: str, fields: Sequence[FieldSpec], k1: float, boost: float = 1.0) -> None:
        self.text = text
        self.fields = tuple(fields)
        self.k1 = k1
        self.boost = boost
        self.fieldname = None  # spans several fields; Whoosh asks for one
        self._stats: tuple[weakref.ref[Searcher], tuple[int, int, dict[str, float]]] | None = None

    def __getstate__(self) -> dict[str, object]:
        # The statistics cache holds a weak reference (not picklable) to one searcher:
        # a query sent to another process (a shard's worker) leaves it behind.
        return {**self.__dict__, "_stats": None}

    def identity(self) -> tuple[str, tuple[FieldSpec, ...], float, float]:
        """What makes two combined terms equal: word, fields, k1 and boost."""
        return (self.text, self.fields, self.k1, self.boost)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CombinedTerm) and self.identity() == other.identity()

    def __hash__(self) -> int:
        return hash(self.identity())

    def __repr__(self) -> str:
        return f"CombinedTerm({self.text!r}, {self.fields!r}, k1={self.k1!r}, boost={self.boost!r})"

    def __str__(self) -> str:
        inner = " | ".join(f"{f}:{self.text}^{w:g}" for f, w, _ in self.fields)
        return f"({inner})" + (f"^{self.boost:g}" if self.boost != 1 else "")

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        for fieldname, _, _ in self.fields:
            yield (fieldname, self.text)

    def estimate_size(self, ixreader: IndexReader) -> int:
        return sum(ixreader.doc_frequency(f, self.text) for f, _, _ in self.fields)

    def statistics(self, parent: Searcher) -> tuple[int, int, dict[str, float]]:
        """(documents, combined document frequency, average length per field) in the whole index.

        The same for every segment of one search, so computed once per parent
        searcher, not once per segment (each is a lookup in every segment).
        """
        cached = self._stats
        if cached is not None and cached[0]() is parent:
            return cached[1]
        df = 0
        avgs: dict[str, float] = {}
        leaves = [leaf for leaf, _ in parent.reader().leaf_readers()]
        injected = _injected.get(parent)
        for fieldname, weight, _ in self.fields:
            if weight > 0 and fieldname in parent.schema:
                if injected is not None:  # a shard: the whole collection's figures
                    df = max(df, injected.doc_frequency(fieldname, self.text))
                    avgs[fieldname] = injected.avg_field_length(fieldname) or 1.0
                    continue
                infos = [term_info(leaf, fieldname, self.text) for leaf in leaves]
                df = max(df, sum(info.doc_frequency() for info in infos if info is not None))
                avgs[fieldname] = parent.avg_field_length(fieldname) or 1.0
        stats = (parent.doc_count_all() if injected is None else injected.doc_count(), df, avgs)
        self._stats = (weakref.ref(parent), stats)
        return stats

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> Matcher:
        reader = searcher.reader()
        doc_count, df, avgs = self.statistics(searcher.get_parent())
        parts: list[FieldPart] = []
        for fieldname, weight, b in self.fields:
            info = term_info(reader, fieldname, self.text) if fieldname in avgs else None
            if info is None:
                continue
            # The reader's matcher, not the searcher's: that one also builds a Whoosh
            # BM25 scorer per field (more index lookups) that this scoring never uses.
            m = readers.postings(reader, fieldname, self.text, info)
            # tf_f * w_f / (1 - b + b * len / avg) == tf_f / (c0 + c1 * len)
            c0, c1 = (1.0 - b) / weight, b / (avgs[fieldname] * weight)
            parts.append(FieldPart(fieldname, m, field_lengths(reader, fieldname), c0, c1))
        if not parts:
            return NullMatcher  # Whoosh's shared empty matcher
        return CombinedMatcher(parts, self.boost * idf(doc_count, df), self.k1)

    def scores(self, searcher: Searcher, context: SearchContext | None = None) -> dict[int, float]:
        """Every matching document's score at once (faster than walking the matcher)."""
        m = self.matcher(searcher, context)
        if not isinstance(m, CombinedMatcher):
            return {}
        return m.all_scores()


class CombinedMatcher(Matcher):
    """Walks the union of a term's per-field postings and scores each document once.

    Its parts are public and read-only, so the bulk scorer and `explain` repeat its
    arithmetic from the same constants: `parts` (one `FieldPart` per field present in
    the segment), `term_weight` (query weight times idf) and `k1`.
    """

    def __init__(self, parts: Sequence[FieldPart], term_weight: float, k1: float) -> None:
        self._parts = tuple(parts)
        self._term_weight = term_weight
        self._k1 = k1

    @property
    def parts(self) -> tuple[FieldPart, ...]:
        """Per field: its name, posting matcher, lengths and the constants c0, c1."""
        return self._parts

    @property
    def term_weight(self) -> float:
        """The query word's weight (its boost in the query) times its idf."""
        return self._term_weight

    @property
    def k1(self) -> float:
        """BM25's saturation constant."""
        return self._k1

    def _active(self) -> list[Matcher]:
        return [p.matcher for p in self._parts if p.matcher.is_active()]

    def is_active(self) -> bool:
        return any(p.matcher.is_active() for p in self._parts)

    def id(self) -> int:
        return min(m.id() for m in self._active())

    def next(self) -> None:
        current = self.id()
        for m in self._active():
            if m.id() == current:
                m.next()

    def skip_to(self, id: int) -> None:  # noqa: A002 - Whoosh's signature
        for m in self._active():
            if m.id() < id:
                m.skip_to(id)

    def reset(self) -> None:
        for p in self._parts:
            p.matcher.reset()

    def copy(self) -> CombinedMatcher:
        return CombinedMatcher(
            [FieldPart(p.field, p.matcher.copy(), *p[2:]) for p in self._parts], self._term_weight, self._k1
        )

    def children(self) -> list[Matcher]:
        return [p.matcher for p in self._parts]

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        # Whoosh's union matchers ask for this even without block quality; tf~/(k1+tf~) < 1
        # makes weight * (k1 + 1) a true upper bound of any score.
        return self._term_weight * (self._k1 + 1.0)

    def block_quality(self) -> float:
        return self.max_quality()

    def supports(self, astype: str) -> bool:
        return False

    def value(self) -> bytes:
        raise NotImplementedError("a combined term has no posting values (supports() is False)")

    def value_as(self, astype: str) -> object:
        raise NotImplementedError("a combined term has no posting values (supports() is False)")

    def matching_terms(self, id: int | None = None) -> Iterator[tuple[str, bytes]]:  # noqa: A002 - Whoosh's signature
        id = self.id() if id is None else id
        for m in self._active():
            if m.id() == id:
                yield from m.matching_terms(id)

    def weight(self) -> float:
        current = self.id()
        return sum(float(m.weight()) for m in self._active() if m.id() == current)

    def all_scores(self) -> dict[int, float]:
        """{docnum: score} for every remaining document, consuming the matcher."""
        tfs: dict[int, float] = {}
        get = tfs.get
        for _, m, lengths, c0, c1 in self._parts:
            while m.is_active():
                d = m.id()
                tfs[d] = get(d, 0.0) + m.weight() / (c0 + c1 * lengths[d])
                m.next()
        w1 = self._term_weight * (self._k1 + 1.0)
        k1 = self._k1
        return {d: w1 * tf / (k1 + tf) for d, tf in tfs.items()}

    def score(self) -> float:
        current = self.id()
        tf = 0.0
        for _, m, lengths, c0, c1 in self._parts:
            if m.is_active() and m.id() == current:
                tf += m.weight() / (c0 + c1 * lengths[current])
        k1 = self._k1
        return self._term_weight * tf * (k1 + 1.0) / (k1 + tf)


class FreeText(Or):
    """An OR of query words that rewards paragraphs matching more of them.

    Each paragraph's score is the sum of its words' scores, times
    `1 + coordination * (matched - 1)`, where `matched` is how many of the
    query's words (subqueries) it contains. The scores of one index segment are
    computed at once, word by word, and served from a list.
    """

    def __init__(self, subqueries: Sequence[Query], boost: float = 1.0, coordination: float = 0.0) -> None:
        super().__init__(list(subqueries), boost=boost)
        self.coordination = coordination

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, FreeText)
            and self.subqueries == other.subqueries
            and (self.boost, self.coordination) == (other.boost, other.coordination)
        )

    def __hash__(self) -> int:
        return hash((tuple(self.subqueries), self.boost, self.coordination))

    def __repr__(self) -> str:
        return f"FreeText({self.subqueries!r}, coordination={self.coordination!r})"

    def normalize(self) -> Query:
        return self

    def apply(self, fn: Callable[[Query], Query]) -> FreeText:
        return FreeText([fn(q) for q in self.subqueries], boost=self.boost, coordination=self.coordination)

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> Matcher:
        return self._matcher(self.subqueries, searcher, context)

    def _matcher(self, subs: Sequence[Query], searcher: Searcher, context: SearchContext | None) -> Matcher:
        total: dict[int, float] = {}
        matched: dict[int, int] = {}
        coord = self.coordination
        for q in subs:
            if isinstance(q, CombinedTerm):
                scores = q.scores(searcher, context)
            else:
                scores = {}
                m = q.matcher(searcher, context)
                while m.is_active():
                    scores[m.id()] = m.score()
                    m.next()
            for d, sc in scores.items():
                total[d] = total.get(d, 0.0) + sc
            if coord:
                for d in scores:
                    matched[d] = matched.get(d, 0) + 1
        if not total:
            return NullMatcher  # Whoosh's shared empty matcher
        ids = sorted(total)
        boost = self.boost
        if coord:
            weights = [boost * total[d] * (1.0 + coord * (matched[d] - 1)) for d in ids]
        else:
            weights = [boost * total[d] for d in ids]
        return _ScoreList(ids, weights)


class _ScoreList(ListMatcher):
    """Precomputed (document, score) pairs; the score is the stored weight."""

    def __init__(self, ids: list[int], scores: list[float], position: int = 0) -> None:
        ListMatcher.__init__(self, ids, weights=scores, position=position)
        self._doc_ids = ids
        self._scores = scores
        self._max = max(scores, default=0.0)

    def copy(self) -> _ScoreList:
        ids = self._doc_ids
        active = ListMatcher.is_active(self)
        return _ScoreList(ids, self._scores, bisect_left(ids, ListMatcher.id(self)) if active else len(ids))

    def score(self) -> float:
        return float(ListMatcher.weight(self))

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self._max
