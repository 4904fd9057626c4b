"""Why a paragraph scored what it did: each query word's BM25F score, split by field.

A BM25F word score is `weight * tf~ * (k1 + 1) / (k1 + tf~)` where `tf~` sums the
fields' weighted, length-normalised term frequencies (see `bm25f`). Each field's
share of the word's score is its part of `tf~`, so the shares add up to the
word's score and the words add up to the paragraph's (plus any coordination
bonus, reported separately).

Clauses the combined model does not score — a phrase, a prefix, a fuzzy word, a
word in one field (`headline:budget`) — are reported by what Whoosh's matcher for
that clause scored in each field, under the clause as typed (`"video game"`,
`accou*`, `blare~`, `headline:budget`), one line per clause over its fields. A
required field clause beside other words (`speaker:smith` in `speaker:smith tax`)
filters without scoring; it is listed with 0.00. What is left (a coordination
bonus, a scoring rule of a compound) is `other`; what article context
(`Ranking.context`) added and what a quote-seeking question added to rank a
paragraph first (`quoteseek`) are reported apart, so the lines, the rest, the
context and the lift add up to the score shown.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.query.compound import AndNot, Require
from whoosh.query.positional import Phrase
from whoosh.query.qcore import Query
from whoosh.query.terms import FuzzyTerm, MultiTerm, Prefix, Term
from whoosh.query.wrappers import Not
from whoosh.searching import Searcher

from searchkit.analysis import TOKEN_PATTERN, stem
from searchkit.results import Explanation, FieldShare, WordScore
from searchkit.search.bm25f import CombinedMatcher, CombinedTerm


def _segment(searcher: Searcher, docnum: int) -> tuple[Searcher, int]:
    subs = getattr(searcher, "subsearchers", None) or [(searcher, 0)]  # None for a one-segment index
    for sub, offset in reversed(subs):
        if docnum >= offset:
            return sub, docnum - offset
    return searcher, docnum


def _word(term: CombinedTerm, sub: Searcher, local: int) -> WordScore | None:
    m = term.matcher(sub)
    if not isinstance(m, CombinedMatcher):
        return None
    m.skip_to(local)
    if not m.is_active() or m.id() != local:
        return None
    parts: list[tuple[str, float, int, float]] = []
    for name, fm, lengths, c0, c1 in m.parts:
        if fm.is_active() and fm.id() == local:
            parts.append((name, fm.weight(), int(lengths[local]), fm.weight() / (c0 + c1 * lengths[local])))
    score = m.score()
    total = sum(p for *_, p in parts) or 1.0
    fields = tuple(FieldShare(n, tf, length, score * p / total) for n, tf, length, p in parts)
    return WordScore(term.text, score, fields)


def explain(
    searcher: Searcher, q: Query, docnum: int, score: float, context: float = 0.0, first: float = 0.0
) -> Explanation:
    """Break `score` (the paragraph `docnum`'s score for `q`) down by word (or clause) and field.

    `context`: the part of `score` that article context added (`search.context`); `first`:
    what a quote-seeking question added to rank the paragraph first (`quoteseek`).
    """
    sub, local = _segment(searcher, docnum)
    words: list[WordScore] = []
    clauses: dict[str, list[FieldShare]] = {}
    asked: dict[str, set[str]] = {}  # clause -> the fields the query searches it in
    for leaf, scored in _clauses(q):
        if isinstance(leaf, CombinedTerm):
            w = _word(leaf, sub, local)
            if w is not None:
                words.append(w)
            continue
        label = _label(leaf, sub, local)
        asked.setdefault(label, set()).add(str(getattr(leaf, "fieldname", "")))
        share = _clause_share(leaf, sub, local, scored)
        if share is not None:
            clauses.setdefault(label, []).append(share)
    for label, shares in clauses.items():
        shown = label if len(asked[label]) > 1 else _fielded(label, shares[0].field)
        words.append(WordScore(shown, sum(f.share for f in shares), tuple(shares)))
    explained = sum(w.score for w in words)
    other = score - explained - context - first
    return Explanation(score=score, words=tuple(words), other=other, context=context, first=first)


def _clauses(q: Query, scored: bool = True) -> Iterator[tuple[Query, bool]]:
    """The clauses a hit matched, each with whether it adds to the score (a required filter does not)."""
    if isinstance(q, Not):
        return
    if isinstance(q, AndNot):
        yield from _clauses(q.a, scored)
    elif isinstance(q, Require):
        yield from _clauses(q.a, scored)
        yield from _clauses(q.b, False)
    elif isinstance(q, (CombinedTerm, Phrase)) or q.is_leaf():
        yield q, scored
    else:
        for child in q.children():
            yield from _clauses(child, scored)


def _clause_share(leaf: Query, sub: Searcher, local: int, scored: bool) -> FieldShare | None:
    """What the clause's own matcher gives this paragraph in its field, or None when it does not match."""
    field = getattr(leaf, "fieldname", None)
    if not isinstance(field, str):
        return None
    m = leaf.matcher(sub)
    m.skip_to(local)
    if not m.is_active() or m.id() != local:
        return None
    length = int(sub.reader().doc_field_length(local, field, 0) or 0)
    # A phrase's matcher weighs its words; how often the phrase stands is the number of its spans.
    tf = len(m.spans()) if isinstance(leaf, Phrase) and m.supports("positions") else m.weight()
    return FieldShare(field, float(tf), length, float(m.score()) if scored else 0.0)


def _label(leaf: Query, sub: Searcher, local: int) -> str:
    """The clause as a person would type it, without its field (a phrase in the words the paragraph writes)."""
    if isinstance(leaf, Phrase):
        return '"' + " ".join(_written(str(w), sub, local) for w in leaf.words) + '"'
    if isinstance(leaf, Prefix):
        return f"{leaf.text}*"
    if isinstance(leaf, FuzzyTerm):
        return f"{leaf.text}~"
    if isinstance(leaf, (Term, MultiTerm)):
        return str(getattr(leaf, "text", leaf))
    return str(leaf)


def _written(stem_: str, sub: Searcher, local: int) -> str:
    """A word of the paragraph (or its headline) whose stem is `stem_`, lower-cased; else the stem."""
    stored = sub.reader().stored_fields(local)
    for field in ("body", "quotes", "headline"):
        for word in TOKEN_PATTERN.findall(str(stored.get(field, ""))):  # findall is typed as list[Any]
            if stem(str(word).lower()) == stem_:
                return str(word).lower()
    return stem_


def _fielded(label: str, field: str) -> str:
    """A clause the query searches in one field, shown with it as typed (`speaker:blair`)."""
    return f"{ {'speakers': 'speaker', 'quotes': 'quote'}.get(field, field) }:{label}"
