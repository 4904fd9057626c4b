"""The bulk scorer: free text and AND / OR / NOT queries scored over whole posting blocks.

The common query is free text: an `Or` of `CombinedTerm`s (one word across headline,
body and quotes). Whoosh answers it one posting at a time through Python matcher
objects, which costs microseconds per matching paragraph and field, and searchkit then
walked the matches a second time for exact per-article counts. This module answers
the same queries in bulk, with numpy, and gives the same scores, order and collapse:

- `wordscores`: one word's BM25F scores in a segment, from the Whoosh path's own matcher;
- `phrases`: plain phrases, by positions read for candidate paragraphs only;
- `algebra`: AND / OR / NOT (+word / -word) combinations, by set operations;
- `segments`: per-segment and per-searcher arrays (articles, deletions, filters);
- `bulkresult`: ranking on demand, exact per-article counts, lazy collapse.

Deleted paragraphs and the filter (date range, source) are boolean masks. Anything
else (fields, wildcards, sloppy phrases, sort by date, another ranking model) returns
None from `execute`, and the caller uses Whoosh.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from whoosh.query.compound import Or
from whoosh.query.qcore import Query
from whoosh.searching import Searcher

from searchkit.search import marks
from searchkit.search.algebra import is_boolean, match
from searchkit.search.bm25f import CombinedTerm, FreeText
from searchkit.search.bulkresult import ArticleCounts, FastResult
from searchkit.search.segments import Segment, view
from searchkit.search.wordscores import Unsupported, empty, sum_by_id, word_scores

__all__ = ["ArticleCounts", "FastResult", "enabled", "execute", "is_boolean", "terms_of"]

#: Set to False to send every query through Whoosh (tests, benchmarks).
enabled = True

#: One segment's matches: local ids, scores, and which match by their own text (None: not known).
_Owned = tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_] | None]

#: Scores one segment's matches: (sub-searcher, segment arrays) -> (local ids, scores, own-text matches).
_SegmentScorer = Callable[[Searcher, Segment], _Owned]


def terms_of(q: Query) -> tuple[list[CombinedTerm], float, float] | None:
    """(combined terms, boost, coordination) of a plain free-text query, or None for any other shape.

    Free text is a `CombinedTerm`, an `Or` of them, or bm25f's `FreeText` (an `Or`
    whose score is multiplied by `1 + coordination * (matched words - 1)`).
    """
    if isinstance(q, CombinedTerm) and type(q) is CombinedTerm:
        return [q], 1.0, 0.0
    if isinstance(q, Or) and type(q) in (Or, FreeText) and q.subqueries and not (type(q) is Or and q.scale):
        subs = list(q.subqueries)
        if all(type(s) is CombinedTerm for s in subs):
            coordination = q.coordination if isinstance(q, FreeText) else 0.0
            return [s for s in subs if isinstance(s, CombinedTerm)], float(q.boost), float(coordination)
    return None


def execute(searcher: Searcher, q: Query, flt: Query | None = None, context: float = 0.0) -> FastResult | None:
    """Score every match of a free-text or boolean query, or None when the query has another shape.

    `context` is `Ranking.context`: the article-context weight (`search.context`).
    """
    if not enabled:
        return None
    shape = terms_of(q)
    if shape is not None:
        known = _own_known(shape[0])
        return _scored(searcher, flt, lambda sub, seg: _free_text(type(q) is FreeText, shape, sub, known), context)
    if is_boolean(q):
        return _scored(searcher, flt, lambda sub, seg: (*match(q, sub, seg), None), context)
    return None


def _own_known(terms: list[CombinedTerm]) -> bool:
    """True when the scorer reads every posting list `marks.own_query` would (no own field weighs 0)."""
    return all(w > 0 for t in terms for f, w, _ in t.fields if f in marks.own_fields(t))


def _free_text(
    free_text: bool, shape: tuple[list[CombinedTerm], float, float], sub: Searcher, known: bool = False
) -> _Owned:
    """(local ids, scores, own-text matches) of a free-text query in one segment.

    The own-text matches (`marks.own_query`) come from the postings the scores read
    anyway (body, speakers): `ownmatch` need not read them a second time.
    """
    terms, boost, coordination = shape
    own_ids: list[NDArray[np.int64]] | None = [] if known else None
    found = [
        got
        for got in (word_scores(t, sub, own_ids, marks.own_fields(t) if known else ()) for t in terms)
        if got is not None
    ]
    if not found:
        return (*empty(), np.zeros(0, dtype=bool) if known else None)
    ids_l, scores_l = [ids for ids, _ in found], [sc for _, sc in found]
    local, total = sum_by_id(ids_l, scores_l)
    own = None
    if own_ids is not None:  # every own id is one of `local` (sorted, distinct)
        own = np.zeros(len(local), dtype=bool)
        for ids in own_ids:
            own[np.searchsorted(local, ids)] = True
    if free_text and coordination:  # FreeText: boost * sum * (1 + c * (matched - 1))
        matched = sum_by_id(ids_l, [np.ones(len(x)) for x in ids_l])[1]
        total = boost * total * (1.0 + coordination * (matched - 1))
    elif free_text:
        total = boost * total
    elif boost != 1.0:  # Or's boost: Whoosh wraps the matcher, score * boost
        total = total * boost
    return local, total, own


def _scored(searcher: Searcher, flt: Query | None, score: _SegmentScorer, context: float) -> FastResult | None:
    """Every segment's matches by `score(sub, seg)`, minus deleted and filtered-out paragraphs."""
    v = view(searcher)
    parts_docs: list[NDArray[np.int64]] = []
    parts_scores: list[NDArray[np.float64]] = []
    parts_own: list[NDArray[np.bool_]] | None = []
    for leaf in v.leaves:
        try:
            local, total, own = score(leaf.sub, leaf.segment)
        except Unsupported:
            return None
        if own is None:
            parts_own = None
        if not len(local):
            continue
        keep = None if leaf.live is None else leaf.live[local]
        if flt is not None:
            allowed = v.filter_mask(searcher, flt)[local + leaf.offset]
            keep = allowed if keep is None else keep & allowed
        if keep is not None:
            local, total = local[keep], total[keep]
            own = None if own is None else own[keep]
        parts_docs.append(local + leaf.offset)
        parts_scores.append(total)
        if parts_own is not None and own is not None:
            parts_own.append(own)
    if parts_docs:
        docs, scores = np.concatenate(parts_docs), np.concatenate(parts_scores)
    else:
        docs, scores = empty()
    result = FastResult(searcher, v, docs, scores, context)
    if parts_own is not None:
        result.own_text = np.concatenate(parts_own) if parts_own else np.zeros(len(docs), dtype=bool)
    return result
