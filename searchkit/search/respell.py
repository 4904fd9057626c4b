"""Typo retry inside query syntax: a mistyped word in a phrase or a field clause.

Free text retries its unknown words itself (in `searcher`). A query with
syntax — `"tsunammi relief"`, `headline:tsunammi`, `speaker:blaire` — is parsed into
a tree, and a word the index does not hold in the field its clause searches is
replaced in place by the most frequent indexed word within the typo distance
(`typos.fuzzy_distance`): stems for the text fields (`typos.near`), names for
`speaker:` (its own word list). The tree keeps its shape: a phrase stays a phrase,
a field clause stays on its field, an excluded word is left alone (excluding a
word that is not there excludes nothing). What was retried is reported like free
text's retries, as (word typed, words searched).
"""

from __future__ import annotations

from copy import copy

from whoosh.query.compound import AndNot, Or
from whoosh.query.positional import Phrase
from whoosh.query.qcore import Query
from whoosh.query.terms import FuzzyTerm, Term
from whoosh.query.wrappers import Not
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from searchkit.search import typos
from searchkit.search.bm25f import CombinedTerm

Retried = tuple[tuple[str, tuple[str, ...]], ...]

#: Fields whose words are names, not stems: respelled against their own word list.
_NAME_FIELDS = ("speakers",)


def respell(searcher: Searcher, q: Query) -> tuple[Query, Retried]:
    """`q` with each unknown word of its positive clauses replaced by its nearest indexed word."""
    fixes: dict[tuple[str | None, str], str] = {}
    _find(searcher.reader(), q, fixes)
    if not fixes:
        return q, ()
    shown: dict[str, tuple[str, ...]] = {}
    for (field, word), new in fixes.items():
        shown.setdefault(word, (new if field in _NAME_FIELDS else typos.surface(searcher, new),))
    return _replaced(q, fixes), tuple(shown.items())


def _find(
    reader: IndexReader, q: Query, fixes: dict[tuple[str | None, str], str], fields: tuple[str, ...] = ()
) -> None:
    """Fill `fixes` ((field, word) -> replacement) from the clauses of `q` a hit would match.

    `fields`: where the same phrase or word is searched beside `q` (`_alike`); a word any
    of them holds is no typo.
    """
    if isinstance(q, Not):
        return
    if isinstance(q, AndNot):
        _find(reader, q.a, fixes)
    elif isinstance(q, CombinedTerm):
        if not any(reader.doc_frequency(f, q.text) for f, _, _ in q.fields):
            _fix(reader, None, q.text, fixes)
    elif isinstance(q, Phrase):
        for word in q.words:
            if not any(reader.doc_frequency(f, word) for f in fields or (q.fieldname,)):
                _fix(reader, q.fieldname, str(word), fixes)
    elif type(q) is Term:  # exactly a word (a prefix or fuzzy term is already loose)
        if not any(reader.doc_frequency(f, q.text) for f in fields or (q.fieldname,)):
            _fix(reader, q.fieldname, str(q.text), fixes)
    elif not q.is_leaf():
        children = list(q.children())
        for child in children:
            _find(reader, child, fixes, _alike(child, children) if isinstance(q, Or) else ())


def _alike(q: Query, siblings: list[Query]) -> tuple[str, ...]:
    """The fields of the siblings that search `q`'s very words: an unfielded phrase is parsed as one per field.

    `"marker stone"` is searched in headlines, paragraphs and quotes; "marker" is no typo
    because no headline holds it (the typo note would say "market" of a word spelled right).
    """
    mine = _field_words(q)
    if mine is None:
        return ()
    alike = (_field_words(s) for s in siblings)
    return tuple(fw[0] for fw in alike if fw is not None and fw[1] == mine[1])


def _field_words(q: Query) -> tuple[str, tuple[str, ...]] | None:
    """(field, words) of a phrase or an exact word, else None."""
    if isinstance(q, Phrase):
        return str(q.fieldname), tuple(str(w) for w in q.words)
    return (str(q.fieldname), (str(q.text),)) if isinstance(q, Term) and type(q) is Term else None


def _fix(reader: IndexReader, field: str | None, word: str, fixes: dict[tuple[str | None, str], str]) -> None:
    if (field, word) in fixes or not typos.fuzzy_distance(word):
        return
    found = _nearest_name(reader, field, word) if field in _NAME_FIELDS else typos.near(reader, word)
    if found:
        fixes[(field, word)] = found[0]


def _nearest_name(reader: IndexReader, field: str | None, word: str) -> list[str]:
    """The most frequent word of a name field within the typo distance of `word`."""
    assert field is not None
    if len(word) > typos.MAX_FUZZY_LENGTH:
        return []
    fq = FuzzyTerm(field, word, maxdist=typos.fuzzy_distance(word), prefixlength=1)
    near = [t.decode("utf-8") if isinstance(t, bytes) else str(t) for _, t in fq.expanded_terms(reader)]
    return sorted(near, key=lambda t: (-reader.doc_frequency(field, t), t))[:1]


def _replaced(q: Query, fixes: dict[tuple[str | None, str], str]) -> Query:
    """A copy of `q` with the fixed words put in (the tree's shape unchanged)."""
    if isinstance(q, CombinedTerm):
        new = fixes.get((None, q.text))
        return CombinedTerm(new, q.fields, q.k1, q.boost) if new else q
    if isinstance(q, Phrase):
        words = [fixes.get((q.fieldname, str(w)), str(w)) for w in q.words]
        if words == [str(w) for w in q.words]:
            return q
        phrase = copy(q)
        phrase.words = words
        return phrase
    if type(q) is Term:
        new = fixes.get((q.fieldname, str(q.text)))
        return Term(q.fieldname, new, boost=q.boost) if new else q
    if q.is_leaf() or isinstance(q, Not):
        return q
    if isinstance(q, AndNot):  # only the kept side: an excluded word is left as typed
        return AndNot(_replaced(q.a, fixes), q.b)
    return q.apply(lambda child: _replaced(child, fixes))
