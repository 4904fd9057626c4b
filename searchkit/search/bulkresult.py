"""The bulk scorer's result: every match scored, ranked on demand, collapsed lazily.

Only the top of the ranking is ever sorted: `argpartition` finds the k-th best score,
and everything within rounding distance of it is sorted with the Whoosh path's key
(score rounded to 9 places desc, article id, paragraph number), which makes the order
total and the same on every run. Exact per-article counts come from the matches'
article ordinals by `bincount`; stored fields are loaded only for the rows shown.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh.searching import Searcher

from searchkit.search.collapse import Collapsed, collapse
from searchkit.search.context import interpolate
from searchkit.search.segments import UNDATED, View

#: Scores this close are not told apart by the ranking key (rounded to 9 places).
TIE_MARGIN = 2e-9


class ArticleCounts(Mapping[str, int]):
    """Matching paragraphs per article id (a read-only Counter, backed by an array)."""

    def __init__(
        self, counts: NDArray[np.int64], names: list[str], ordinal: dict[str, int], total: int | None = None
    ) -> None:
        self._counts = counts
        self._names = names
        self._ordinal = ordinal
        self._len = int(np.count_nonzero(counts))
        # The counts' sum, when the caller knows it (the matches counted), without summing every article.
        self._total = int(counts.sum()) if total is None else total

    def __getitem__(self, article_id: str) -> int:
        i = self._ordinal.get(article_id)
        if i is None or i >= len(self._counts) or not self._counts[i]:
            raise KeyError(article_id)
        return int(self._counts[i])

    def __iter__(self) -> Iterator[str]:
        return (self._names[i] for i in np.flatnonzero(self._counts))

    def __len__(self) -> int:
        return self._len

    def total(self) -> int:
        """All matching paragraphs (as `Counter.total`)."""
        return self._total


class FastResult:
    """Every match of a query, scored; rows come out in ranking order on demand.

    It is a `collapse.RankedRows` whose rows are indexes into `docs` / `scores`.
    """

    def __init__(
        self,
        searcher: Searcher,
        view: View,
        docs: NDArray[np.int64],
        scores: NDArray[np.float64],
        context: float = 0.0,
    ) -> None:
        self._searcher = searcher
        self._view = view
        self.docs = docs
        # With article context (`search.context`), paragraphs of one article that tie
        # (all of them when context is 1) are ordered by their own scores first.
        self.own = scores if context else None
        # Which matches hold a query word in their own text (`marks.own_query`), when the
        # scorer learnt it from the postings it read (`bulk`); None: `ownmatch` reads them.
        self.own_text: NDArray[np.bool_] | None = None
        # Which matches `lift` raised (a quote-seeking question's speaker quoted on its topic), if any.
        self.lifted: NDArray[np.bool_] | None = None
        article = view.article[docs]
        self.scores = interpolate(article, scores, context)
        counts = np.bincount(article, minlength=len(view.names))
        self.counts = ArticleCounts(counts, view.names, view.ordinal, total=len(docs))
        self._stored: dict[int, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.docs)

    def lift(self, mask: NDArray[np.bool_], by: float) -> None:
        """Add `by` to the score of each match `mask` holds (a mask over every docnum).

        With `by` at least any match's score, those matches rank above all the others
        and keep their order among themselves (a quote-seeking question's, `quoteseek`).
        """
        self.lifted = mask[self.docs]
        self.scores = self.scores + by * self.lifted

    def order(self, k: int) -> list[int]:
        """Indexes (into docs/scores) of the first k matches in ranking order."""
        scores = self.scores
        if k <= 0 or not len(scores):
            return []
        if k < len(scores):
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            cand = np.flatnonzero(scores >= kth - TIE_MARGIN)
        else:
            cand = np.arange(len(scores))
        s = scores[cand].tolist()
        art = self._view.article[self.docs[cand]].tolist()
        keys: list[tuple[float | int, ...]] = [(-round(x, 9), a) for x, a in zip(s, art)]
        if self.own is not None and len(set(keys)) < len(keys):
            keys = [(*key, -round(o, 9)) for key, o in zip(keys, self.own[cand].tolist())]
        if len(set(keys)) < len(keys):  # paragraphs of one article tie: the earlier paragraph first
            numbers = self._view.paragraph_numbers(self.docs[cand])
            keys = [(*key, n) for key, n in zip(keys, numbers)]
        keyed = sorted(range(len(cand)), key=keys.__getitem__)
        return [int(cand[i]) for i in keyed[:k]]

    def by_date(self) -> DateOrdered:
        """The same matches, newest article first (see `DateOrdered`)."""
        dated = DateOrdered(self._searcher, self._view, self.docs, self.scores)
        dated.own = self.own
        dated.own_text = self.own_text
        return dated

    def collapse(self, need: int, per_article: bool) -> list[Collapsed]:
        """The first `need` results, collapsed as `collapse` says, loading only the rows shown."""
        return collapse(self, need, per_article)

    # The ranking as `collapse.RankedRows`.

    def window(self, fetch: int) -> list[int]:
        return self.order(fetch)

    def article(self, row: int) -> int:
        return int(self._view.article[int(self.docs[row])])

    def article_id(self, row: int) -> str:
        return self._view.names[self.article(row)]

    def score(self, row: int) -> float:
        return float(self.scores[row])

    def fields(self, row: int) -> dict[str, Any]:
        doc = int(self.docs[row])
        fields = self._stored.get(doc)
        if fields is None:
            fields = self._stored[doc] = self._searcher.reader().stored_fields(doc)
        return fields

    def copies(self, wires: Collection[str]) -> Callable[[int], str | None]:
        """Rows whose paragraph shares one of these wire keys, by the `wire` field's postings (no stored fields)."""
        wire_of: dict[int, str] = {}
        for wire in wires:
            for doc in self._view.wire_copies(self._searcher, wire):
                wire_of[doc] = wire
        docs = self.docs
        return lambda row: wire_of.get(int(docs[row]))


class DateOrdered(FastResult):
    """Matches newest first: by date (undated last), then by the ranking key within a date.

    Every paragraph of an article has the article's date, so an article's first row
    here is its best paragraph, and per-article results show it with its relevance score.
    """

    def order(self, k: int) -> list[int]:
        if k <= 0 or not len(self.scores):
            return []
        dates = self._view.dates()[self.docs]
        undated = dates == UNDATED
        # np.lexsort: the last key sorts first. Ties in one article: the earlier docnum (paragraph).
        own = self.scores if self.own is None else self.own
        keys = (self.docs, -np.round(own, 9), self._view.article[self.docs], -np.round(self.scores, 9), ~dates, undated)
        return [int(i) for i in np.lexsort(keys)[:k]]
