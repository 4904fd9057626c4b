"""The bulk scorer's own-text matches (`FastResult.own_text`) equal a second read of the own-text query.

`ownmatch` counts a page's "more paragraphs" by the paragraphs' own text; it used to
read the body and speaker postings of the query words again (`marks.own_query`
through `facets.matching_mask`). The bulk scorer now keeps those ids from the
postings it scores: on the random multi-segment corpus of `test_fastsearch`
(updates, deletions, wire copies, quotes), for random queries, filters and
rankings, both must give the same matches.
"""

from __future__ import annotations

from typing import Any

import pytest

from searchkit import Index
from searchkit.search import bulk as fastsearch
from searchkit.search import marks
from searchkit.search import query as query_mod
from searchkit.search.facets import matching_mask
from searchkit.search.ranking import Ranking
from searchkit.search.searcher import SearchRequest, _filter
from tests.test_fastsearch import FILTERS, RANKINGS, _queries, index

__all__ = ["index"]  # the fixture, shared with test_fastsearch


@pytest.mark.parametrize("ranking", RANKINGS, ids=["default", "low-k1-b", "high-k1-b-coordination"])
@pytest.mark.parametrize("flt", FILTERS, ids=["no-filter", "dates", "source"])
def test_own_text_matches_equal_a_second_read(index: Index, ranking: Ranking, flt: dict[str, Any]) -> None:
    """The own-text matches the scorer keeps from its postings are those `ownmatch` read again before."""
    s = index.searcher()
    texts = _queries(40, seed=7 + hash(str(flt)) % 1000) + ["said doe", "smith market", "jane lee bank"]
    checked = 0
    for text in texts:
        q = query_mod.parse(text, s.schema, ranking)
        if q is query_mod.NullQuery:
            continue
        fast = fastsearch.execute(s, q, _filter(SearchRequest(text=text, **flt)))
        assert fast is not None and fast.own_text is not None, text
        own_q = marks.own_query(q)
        assert own_q is not None
        want = matching_mask(s, own_q)[fast.docs] if own_q is not query_mod.NullQuery else fast.docs < 0
        assert fast.own_text.tolist() == want.tolist(), text
        checked += int((~want).sum())
    assert checked, "some matches should come by the headline alone"
