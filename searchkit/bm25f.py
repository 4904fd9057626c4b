"""A true BM25F term query for Whoosh.

Whoosh's `BM25F` weighting scores each field on its own and adds the scores, so
a word in the headline *and* the body saturates twice and a field boost
multiplies term frequency inside each field's saturation. Real BM25F (Robertson
and Zaragoza 2009; Elasticsearch's `combined_fields`) first merges the fields
into one pseudo-field:

    tf~ = sum_f  w_f * tf_f / (1 - b + b * len_f / avglen_f)
    score = idf * tf~ * (k1 + 1) / (k1 + tf~)

`CombinedTerm` is one query word across several weighted fields, scored that
way; a free-text query is an `Or` of them. The document frequency of the
combined field is the largest of the fields' (as Elasticsearch does), since a
paragraph that has the word in any field counts once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh import matching
from whoosh.query import qcore


def idf(doc_count: int, df: int) -> float:
    """BM25's probabilistic IDF, floored at a small positive value."""
    return math.log(1.0 + (doc_count - df + 0.5) / (df + 0.5))


class CombinedTerm(qcore.Query):
    """One analysed term searched in several fields as a single BM25F field."""

    def __init__(self, text: str, weights: Sequence[tuple[str, float]], k1: float, b: float) -> None:
        self.text = text
        self.weights = tuple(weights)
        self.k1 = k1
        self.b = b
        self.boost = 1.0
        self.fieldname = None  # spans several fields; Whoosh asks for one

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, CombinedTerm)
            and (self.text, self.weights, self.k1, self.b) == (other.text, other.weights, other.k1, other.b)
        )

    def __hash__(self) -> int:
        return hash((self.text, self.weights, self.k1, self.b))

    def __repr__(self) -> str:
        return f"CombinedTerm({self.text!r}, {self.weights!r})"

    def __str__(self) -> str:
        return "(" + " | ".join(f"{f}:{self.text}^{w:g}" for f, w in self.weights) + ")"

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, Any]]:
        for fieldname, _ in self.weights:
            yield (fieldname, self.text)

    def estimate_size(self, ixreader: Any) -> int:
        return sum(ixreader.doc_frequency(f, self.text) for f, _ in self.weights)

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        parent = searcher.get_parent()
        reader = searcher.reader()
        children: list[tuple[matching.Matcher, str, float, float]] = []
        df = 0
        for fieldname, weight in self.weights:
            if weight <= 0 or fieldname not in searcher.schema:
                continue
            df = max(df, parent.doc_frequency(fieldname, self.text))
            if (fieldname, self.text) in reader:
                m = searcher.postings(fieldname, self.text)
                avg = parent.avg_field_length(fieldname) or 1.0
                children.append((m, fieldname, weight, avg))
        if not children:
            return matching.NullMatcher()
        return CombinedMatcher(children, reader, idf(parent.doc_count_all(), df), self.k1, self.b)


class CombinedMatcher(matching.Matcher):
    """Walks the union of a term's per-field postings and scores each document once."""

    def __init__(
        self,
        children: list[tuple[matching.Matcher, str, float, float]],
        reader: Any,
        idf_: float,
        k1: float,
        b: float,
    ) -> None:
        self._children = children
        self._reader = reader
        self._idf = idf_
        self._k1 = k1
        self._b = b

    def _active(self) -> list[matching.Matcher]:
        return [m for m, *_ in self._children if m.is_active()]

    def is_active(self) -> bool:
        return any(m.is_active() for m, *_ in self._children)

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
        for m, *_ in self._children:
            m.reset()

    def copy(self) -> CombinedMatcher:
        return CombinedMatcher(
            [(m.copy(), f, w, a) for m, f, w, a in self._children], self._reader, self._idf, self._k1, self._b
        )

    def children(self) -> list[matching.Matcher]:
        return [m for m, *_ in self._children]

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        # Whoosh's union matchers ask for this even without block quality; tf~/(k1+tf~) < 1
        # makes idf * (k1 + 1) a true upper bound of any score.
        return self._idf * (self._k1 + 1.0)

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

    def score(self) -> float:
        current = self.id()
        tf = 0.0
        for m, fieldname, weight, avg in self._children:
            if m.is_active() and m.id() == current:
                length = self._reader.doc_field_length(current, fieldname, 1)
                tf += weight * m.weight() / (1.0 - self._b + self._b * length / avg)
        return self._idf * tf * (self._k1 + 1.0) / (self._k1 + tf)
