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
from whoosh.query.qcore import Query
from whoosh.searching import Searcher

from searchkit.search import marks
from searchkit.search.algebra import is_boolean, match
from searchkit.search.bm25f import CombinedTerm, FreeText
from searchkit.search.bulkresult import ArticleCounts, FastResult
from searchkit.search.freetext import Owned, free_text, terms_of
from searchkit.search.segments import Segment, view
from searchkit.search.wordscores import Unsupported, empty

__all__ = ["ArticleCounts", "FastResult", "enabled", "execute", "is_boolean", "terms_of"]

#: Set to False to send every query through Whoosh (tests, benchmarks).
enabled = True

#: Scores one segment's matches: (sub-searcher, segment arrays) -> (local ids, scores, own-text matches).
_SegmentScorer = Callable[[Searcher, Segment], Owned]


def execute(searcher: Searcher, q: Query, flt: Query | None = None, context: float = 0.0) -> FastResult | None:
    """Score every match of a free-text or boolean query, or None when the query has another shape.

    `context` is `Ranking.context`: the article-context weight (`search.context`).
    """
    if not enabled:
        return None
    shape = terms_of(q)
    if shape is not None:
        known = _own_known(shape[0])
        return _scored(searcher, flt, lambda sub, seg: free_text(type(q) is FreeText, shape, sub, known), context)
    if is_boolean(q):
        return _scored(searcher, flt, lambda sub, seg: (*match(q, sub, seg), None), context)
    return None


def _own_known(terms: list[CombinedTerm]) -> bool:
    """True when the scorer reads every posting list `marks.own_query` would (no own field weighs 0)."""
    return all(w > 0 for t in terms for f, w, _ in t.fields if f in marks.own_fields(t))


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
