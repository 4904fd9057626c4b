"""Free text in bulk: one segment's scores of an OR of words, as Whoosh's matchers give them.

Free text is a `CombinedTerm` (one word across headline, body and quotes), a plain
`Or` of them, or bm25f's `FreeText` (an `Or` whose score is multiplied by
`1 + coordination * (matched words - 1)`). `terms_of` recognises the shape and
`free_text` scores it, word by word (`wordscores`), summed by paragraph. The bulk
scorer uses it for a whole query and `algebra` for a part of one (a free-text part
of an AND / OR / NOT combination).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from whoosh.query.compound import Or
from whoosh.query.qcore import Query
from whoosh.searching import Searcher

from searchkit.search import marks
from searchkit.search.bm25f import CombinedTerm, FreeText
from searchkit.search.wordscores import empty, sum_by_id, word_scores

#: One segment's matches: local ids, scores, and which match by their own text (None: not known).
Owned = tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_] | None]


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


def free_text(
    is_free_text: bool, shape: tuple[list[CombinedTerm], float, float], sub: Searcher, known: bool = False
) -> Owned:
    """(local ids, scores, own-text matches) of a free-text query in one segment (`is_free_text`: a `FreeText`).

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
    if is_free_text and coordination:  # FreeText: boost * sum * (1 + c * (matched - 1))
        matched = sum_by_id(ids_l, [np.ones(len(x)) for x in ids_l])[1]
        total = boost * total * (1.0 + coordination * (matched - 1))
    elif is_free_text:
        total = boost * total
    elif boost != 1.0:  # Or's boost: Whoosh wraps the matcher, score * boost
        total = total * boost
    return local, total, own
