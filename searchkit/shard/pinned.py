"""Wildcards, prefixes and fuzzy words expanded once, over every shard, before the shards score them.

Whoosh expands such a query against the reader it runs on, and scores it by how many
words it expanded to (one word: scored; several: each match a constant score). A shard
knows only its own words, so `acc*` could be one word there and twelve overall, and
the scores would depend on the sharding. The parent therefore replaces each one by a
`Pinned` query holding the words it expands to over the federated reader; on a shard
it matches exactly as Whoosh's own would over one index.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.matching.mcore import Matcher, NullMatcher
from whoosh.query.compound import Or
from whoosh.query.qcore import Query
from whoosh.query.terms import MultiTerm, Term
from whoosh.reading import IndexReader
from whoosh.searching import SearchContext, Searcher


class Pinned(Query):
    """A multi-word query with its words fixed: `MultiTerm.matcher`'s behaviour on a given word list."""

    def __init__(self, fieldname: str, words: list[str], boost: float, constantscore: bool) -> None:
        self.fieldname = fieldname
        self.words = words
        self.boost = boost
        self.constantscore = constantscore

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pinned) and (self.fieldname, self.words, self.boost, self.constantscore) == (
            other.fieldname,
            other.words,
            other.boost,
            other.constantscore,
        )

    def __hash__(self) -> int:
        return hash((self.fieldname, tuple(self.words), self.boost, self.constantscore))

    def __repr__(self) -> str:
        return f"Pinned({self.fieldname!r}, {len(self.words)} words)"

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        for word in self.words:
            yield (self.fieldname, word)

    def expanded_terms(self, ixreader: IndexReader, phrases: bool = True) -> Iterator[tuple[str, str]]:
        return self.terms(phrases)

    def estimate_size(self, ixreader: IndexReader) -> int:
        return sum(ixreader.doc_frequency(self.fieldname, w) for w in self.words)

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> Matcher:
        qs = [Term(self.fieldname, w, boost=self.boost) for w in self.words if w]
        if not qs:
            return NullMatcher  # Whoosh's shared empty matcher
        if len(qs) == 1:
            one: Matcher = qs[0].matcher(searcher, context)
            return one
        if self.constantscore:  # Whoosh: the words' scores do not matter, only that one matches
            context = context.set(weighting=None) if context else SearchContext(weighting=None)
        union: Matcher = Or(qs).matcher(searcher, context)
        return union


def pin(q: Query, reader: IndexReader) -> Query:
    """`q` with every wildcard, prefix and fuzzy word replaced by its words in `reader`."""
    if isinstance(q, MultiTerm) and q.field() is not None:
        words = [t.decode("utf-8") if isinstance(t, bytes) else t for _, t in q.expanded_terms(reader)]
        return Pinned(str(q.field()), words, float(getattr(q, "boost", 1.0)), bool(q.constantscore))
    if q.is_leaf():
        return q
    return q.apply(lambda child: pin(child, reader))
