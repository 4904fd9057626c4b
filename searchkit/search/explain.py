"""Why a paragraph scored what it did: each query word's BM25F score, split by field.

A BM25F word score is `weight * tf~ * (k1 + 1) / (k1 + tf~)` where `tf~` sums the
fields' weighted, length-normalised term frequencies (see `bm25f`). Each field's
share of the word's score is its part of `tf~`, so the shares add up to the
word's score and the words add up to the paragraph's (plus any coordination
bonus, reported separately). Words matched through syntax the BM25F model does
not cover (phrases, prefixes, fields) are reported as one total. What article
context (`Ranking.context`) added to the paragraph's own score is reported apart
too, so the words, the rest and the context add up to the score shown.
"""

from __future__ import annotations

from whoosh.query.qcore import Query
from whoosh.searching import Searcher

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


def explain(searcher: Searcher, q: Query, docnum: int, score: float, context: float = 0.0) -> Explanation:
    """Break `score` (the paragraph `docnum`'s score for `q`) down by word and field.

    `context`: the part of `score` that article context added (`search.context`).
    """
    sub, local = _segment(searcher, docnum)
    words = []
    for leaf in q.leaves() if not isinstance(q, CombinedTerm) else [q]:
        if isinstance(leaf, CombinedTerm):
            w = _word(leaf, sub, local)
            if w is not None:
                words.append(w)
    explained = sum(w.score for w in words)
    return Explanation(score=score, words=tuple(words), other=score - explained - context, context=context)
