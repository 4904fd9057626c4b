"""Marks: what a query matched, field by field — the words and phrases to highlight, and the own-text query.

Every paragraph document carries its article's headline, so a query can match a
paragraph by its headline alone. Highlights and counts keep the two apart:

- `Marks.body` is what to highlight in a paragraph's text (body and quotes): its
  loose words (stems, prefixes and fuzzy words expanded to the indexed words) and
  its phrases as stem sequences, so a phrase lights up only where the whole phrase
  stands, not a lone word of it. `Marks.headline` is the same for the headline.
- `own_query` is the query's positive clauses restricted to the paragraph's own
  text and quotes (and speakers): a paragraph it does not match matched only by its
  headline, which belongs to the article, once.

Excluded clauses (`NOT`, `-word`) mark nothing: they are not what a hit matched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.query.compound import AndNot, Or
from whoosh.query.positional import Phrase
from whoosh.query.qcore import NullQuery, Query
from whoosh.query.terms import Term
from whoosh.query.wrappers import Not
from whoosh.reading import IndexReader

from searchkit.search.bm25f import CombinedTerm

#: The fields that are a paragraph's own text: a match there is the paragraph's, not its article's.
OWN_FIELDS = ("body", "quotes", "speakers")
_TEXT_FIELDS = ("body", "quotes")


@dataclass(frozen=True)
class FieldMarks:
    """What to highlight in one kind of text: loose words (stems) and phrases (stem sequences)."""

    terms: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)


@dataclass(frozen=True)
class Marks:
    """What a query marks in a paragraph's text and in its headline."""

    body: FieldMarks = FieldMarks()
    headline: FieldMarks = FieldMarks()


def positive_leaves(q: Query) -> Iterator[Query]:
    """The leaves (and phrases, and combined terms) of `q` that a hit matches, excluded clauses left out."""
    if isinstance(q, Not):
        return
    if isinstance(q, AndNot):
        yield from positive_leaves(q.a)
    elif isinstance(q, (CombinedTerm, Phrase)) or q.is_leaf():
        yield q
    else:
        for child in q.children():
            yield from positive_leaves(child)


def _expanded(leaf: Query, reader: IndexReader) -> Iterator[str]:
    for _, text in leaf.expanded_terms(reader):
        yield text.decode("utf-8") if isinstance(text, bytes) else str(text)


def marks(q: Query, reader: IndexReader) -> Marks:
    """The words and phrases `q` matches, in paragraph text and in the headline."""
    words: dict[str, set[str]] = {"body": set(), "headline": set()}
    phrases: dict[str, list[tuple[str, ...]]] = {"body": [], "headline": []}
    for leaf in positive_leaves(q):
        if isinstance(leaf, CombinedTerm):
            for where in {"headline" if f == "headline" else "body" for f, _, _ in leaf.fields}:
                words[where].add(leaf.text)
            continue
        field = getattr(leaf, "fieldname", None)
        kind = "body" if field in _TEXT_FIELDS else "headline" if field == "headline" else None
        if kind is None:
            continue
        if isinstance(leaf, Phrase):
            seq = tuple(str(w) for w in leaf.words)
            if seq not in phrases[kind]:
                phrases[kind].append(seq)
        else:
            words[kind].update(_expanded(leaf, reader))
    return Marks(*(FieldMarks(frozenset(words[k]), tuple(phrases[k])) for k in ("body", "headline")))


def own_fields(term: CombinedTerm) -> list[str]:
    """The fields of `term` whose postings tell whether a paragraph matches it by its own text."""
    # A quotation is words of its paragraph's body, so a word in the quotes is in the body too:
    # the body's postings alone answer (the quotes' would be read for nothing).
    fields = [f for f, _, _ in term.fields if f in OWN_FIELDS]
    return [f for f in fields if f != "quotes" or "body" not in fields]


def own_query(q: Query) -> Query | None:
    """`q`'s positive clauses on the paragraph's own fields, OR-ed (NullQuery: it matches only by headline).

    None when `q` has no positive clause at all (`NOT said`): every match is its paragraph's own.
    """
    leaves = list(positive_leaves(q))
    if not leaves:
        return None
    own: list[Query] = []
    for leaf in leaves:
        if isinstance(leaf, CombinedTerm):
            own.extend(Term(f, leaf.text) for f in own_fields(leaf))
        elif getattr(leaf, "fieldname", None) in OWN_FIELDS:
            own.append(leaf)
    unique: list[Query] = []
    for leaf in own:  # Whoosh queries compare by value
        if leaf not in unique:
            unique.append(leaf)
    if not unique:
        return NullQuery
    return unique[0] if len(unique) == 1 else Or(unique)
