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
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh import matching
from whoosh.query import Or, qcore
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

#: One field of a combined term: (field name, weight, b).
FieldSpec = tuple[str, float, float]

_LENGTH_OF_BYTE = [byte_to_length(i) for i in range(256)]
_lengths_cache: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


#: Term infos remembered per segment reader (cleared when it grows past this).
TERM_INFO_CACHE = 20_000
_term_infos: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], Any]] = weakref.WeakKeyDictionary()


def _of_reader(caches: weakref.WeakKeyDictionary[Any, dict[Any, Any]], reader: Any) -> dict[Any, Any]:
    """The reader's own dict in `caches`: it lives as long as the reader (a new dict each call if it cannot)."""
    try:
        return caches.setdefault(reader, {})
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        return {}


def term_info(reader: Any, fieldname: str, text: str) -> Any | None:
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


def postings(reader: Any, fieldname: str, text: str) -> matching.Matcher:
    """The term's posting matcher, from a segment reader's remembered TermInfo where the codec allows."""
    info = term_info(reader, fieldname, text)
    terms = getattr(reader, "_terms", None)
    codec = getattr(terms, "_codec", None)
    if (
        info is None
        or not hasattr(codec, "postings_reader")
        or not hasattr(terms, "_postfile")
        or reader.has_deletions()
    ):
        return reader.postings(fieldname, text)
    field = reader.schema[fieldname]
    tbytes = field.to_bytes(text)
    return codec.postings_reader(terms._postfile, info, field.format, term=(fieldname, tbytes), scorer=None)


def idf(doc_count: int, df: int) -> float:
    """BM25's probabilistic IDF (Lucene's), always positive."""
    return math.log(1.0 + (doc_count - df + 0.5) / (df + 0.5))


def field_lengths(reader: Any, fieldname: str) -> Any:
    """Every document's length in `fieldname` on one segment reader, as a sequence (cached)."""
    per_reader = _of_reader(_lengths_cache, reader)
    lengths = per_reader.get(fieldname)
    if lengths is None:
        lengths = _load_lengths(reader, fieldname)
        per_reader[fieldname] = lengths
    return lengths


def _load_lengths(reader: Any, fieldname: str) -> Any:
    try:  # Whoosh 3 codec: the length column holds one byte per document
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is not None:
            table = _LENGTH_OF_BYTE
            return [table[x] for x in column.load()]
    except (AttributeError, ImportError, TypeError):
        pass
    return _LazyLengths(reader, fieldname)


class _LazyLengths:
    """Fallback for other readers: ask the reader per document, remember the answer."""

    def __init__(self, reader: Any, fieldname: str) -> None:
        self._reader = reader
        self._fieldname = fieldname
        self._known: dict[int, int] = {}

    def __getitem__(self, docnum: int) -> int:
        length = self._known.get(docnum)
        if length is None:
            length = self._reader.doc_field_length(docnum, self._fieldname, 0) or 0
            self._known[docnum] = length
        return length


class CombinedTerm(qcore.Query):
    """One analysed term searched in several fields as a single BM25F field."""

    def __init__(self, text: str, fields: Sequence[FieldSpec], k1: float, boost: float = 1.0) -> None:
        self.text = text
        self.fields = tuple(fields)
        self.k1 = k1
        self.boost = boost
        self.fieldname = None  # spans several fields; Whoosh asks for one
        self._stats: tuple[Any, tuple[int, int, dict[str, float]]] | None = None

    def _key(self) -> tuple[Any, ...]:
        return (self.text, self.fields, self.k1, self.boost)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CombinedTerm) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"CombinedTerm({self.text!r}, {self.fields!r}, k1={self.k1!r}, boost={self.boost!r})"

    def __str__(self) -> str:
        inner = " | ".join(f"{f}:{self.text}^{w:g}" for f, w, _ in self.fields)
        return f"({inner})" + (f"^{self.boost:g}" if self.boost != 1 else "")

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, Any]]:
        for fieldname, _, _ in self.fields:
            yield (fieldname, self.text)

    def estimate_size(self, ixreader: Any) -> int:
        return sum(ixreader.doc_frequency(f, self.text) for f, _, _ in self.fields)

    def statistics(self, parent: Any) -> tuple[int, int, dict[str, float]]:
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
        for fieldname, weight, _ in self.fields:
            if weight > 0 and fieldname in parent.schema:
                infos = [term_info(leaf, fieldname, self.text) for leaf in leaves]
                df = max(df, sum(info.doc_frequency() for info in infos if info is not None))
                avgs[fieldname] = parent.avg_field_length(fieldname) or 1.0
        stats = (parent.doc_count_all(), df, avgs)
        self._stats = (weakref.ref(parent), stats)
        return stats

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        reader = searcher.reader()
        doc_count, df, avgs = self.statistics(searcher.get_parent())
        children: list[tuple[matching.Matcher, Any, float, float]] = []
        for fieldname, weight, b in self.fields:
            if fieldname not in avgs or term_info(reader, fieldname, self.text) is None:
                continue
            # The reader's matcher, not the searcher's: that one also builds a Whoosh
            # BM25 scorer per field (more index lookups) that this scoring never uses.
            m = postings(reader, fieldname, self.text)
            # tf_f * w_f / (1 - b + b * len / avg) == tf_f / (c0 + c1 * len)
            children.append((m, field_lengths(reader, fieldname), (1.0 - b) / weight, b / (avgs[fieldname] * weight)))
        if not children:
            return matching.NullMatcher()
        return CombinedMatcher(children, self.boost * idf(doc_count, df), self.k1)

    def scores(self, searcher: Any, context: Any = None) -> dict[int, float]:
        """Every matching document's score at once (faster than walking the matcher)."""
        m = self.matcher(searcher, context)
        if not isinstance(m, CombinedMatcher):
            return {}
        return m.all_scores()


class CombinedMatcher(matching.Matcher):
    """Walks the union of a term's per-field postings and scores each document once.

    `children` holds, per field: the posting matcher, the field's lengths, and the
    two constants of its normalisation (tf_f / (c0 + c1 * len_f)).
    """

    def __init__(self, children: list[tuple[matching.Matcher, Any, float, float]], weight: float, k1: float) -> None:
        self._children = children
        self._weight = weight
        self._k1 = k1

    def _active(self) -> list[matching.Matcher]:
        return [m for m, *_ in self._children if m.is_active()]

    def is_active(self) -> bool:
        return any(m.is_active() for m, *_ in self._children)

    def id(self) -> int:
        return min(m.id() for m, *_ in self._children if m.is_active())

    def next(self) -> None:
        current = self.id()
        for m, *_ in self._children:
            if m.is_active() and m.id() == current:
                m.next()

    def skip_to(self, id: int) -> None:  # noqa: A002 - Whoosh's signature
        for m, *_ in self._children:
            if m.is_active() and m.id() < id:
                m.skip_to(id)

    def reset(self) -> None:
        for m, *_ in self._children:
            m.reset()

    def copy(self) -> CombinedMatcher:
        return CombinedMatcher([(m.copy(), *rest) for m, *rest in self._children], self._weight, self._k1)

    def children(self) -> list[matching.Matcher]:
        return [m for m, *_ in self._children]

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        # Whoosh's union matchers ask for this even without block quality; tf~/(k1+tf~) < 1
        # makes weight * (k1 + 1) a true upper bound of any score.
        return self._weight * (self._k1 + 1.0)

    def block_quality(self) -> float:
        return self.max_quality()

    def supports(self, astype: str) -> bool:
        return False

    def matching_terms(self, id: int | None = None) -> Iterator[tuple[str, bytes]]:
        id = self.id() if id is None else id
        for m in self._active():
            if m.id() == id:
                yield from m.matching_terms(id)

    def weight(self) -> float:
        current = self.id()
        return sum(m.weight() for m in self._active() if m.id() == current)

    def all_scores(self) -> dict[int, float]:
        """{docnum: score} for every remaining document, consuming the matcher."""
        tfs: dict[int, float] = {}
        get = tfs.get
        for m, lengths, c0, c1 in self._children:
            while m.is_active():
                d = m.id()
                tfs[d] = get(d, 0.0) + m.weight() / (c0 + c1 * lengths[d])
                m.next()
        w1 = self._weight * (self._k1 + 1.0)
        k1 = self._k1
        return {d: w1 * tf / (k1 + tf) for d, tf in tfs.items()}

    def score(self) -> float:
        current = self.id()
        tf = 0.0
        for m, lengths, c0, c1 in self._children:
            if m.is_active() and m.id() == current:
                tf += m.weight() / (c0 + c1 * lengths[current])
        k1 = self._k1
        return self._weight * tf * (k1 + 1.0) / (k1 + tf)


class FreeText(Or):
    """An OR of query words that rewards paragraphs matching more of them.

    Each paragraph's score is the sum of its words' scores, times
    `1 + coordination * (matched - 1)`, where `matched` is how many of the
    query's words (subqueries) it contains. The scores of one index segment are
    computed at once, word by word, and served from a list.
    """

    def __init__(self, subqueries: Sequence[qcore.Query], boost: float = 1.0, coordination: float = 0.0) -> None:
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

    def normalize(self) -> qcore.Query:
        return self

    def apply(self, fn: Any) -> FreeText:
        return FreeText([fn(q) for q in self.subqueries], boost=self.boost, coordination=self.coordination)

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        return self._matcher(self.subqueries, searcher, context)

    def _matcher(self, subs: Sequence[qcore.Query], searcher: Any, context: Any) -> matching.Matcher:
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
            return matching.NullMatcher()
        ids = sorted(total)
        boost = self.boost
        if coord:
            weights = [boost * total[d] * (1.0 + coord * (matched[d] - 1)) for d in ids]
        else:
            weights = [boost * total[d] for d in ids]
        return _ScoreList(ids, weights)


class _ScoreList(matching.ListMatcher):
    """Precomputed (document, score) pairs; the score is the stored weight."""

    def __init__(self, ids: list[int], scores: list[float]) -> None:
        super().__init__(ids, weights=scores)
        self._scores = scores
        self._max = max(scores, default=0.0)

    def copy(self) -> _ScoreList:
        c = _ScoreList(self._ids, self._scores)
        c._i = self._i
        return c

    def score(self) -> float:
        return self._scores[self._i]

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self._max
