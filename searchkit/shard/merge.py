"""Merging the shards' windows into the one ranking a one-machine index would give.

`Merged` is a `collapse.RankedRows`: its window of the first `fetch` rows is the first
`fetch` rows of the union of every shard's first `fetch` rows, ordered by the shared
key (`shardsearch.sort_key`); that is exactly the one-index window, since an article
(so each of its rows) lives in one shard and the key orders rows the same way in a
shard and overall. The one-machine `collapse` then keeps one row per article, folds
wire copies across shards (stored fields travel with the rows) and stops where one
index stops; when it needs a larger window, every shard that had more is asked again.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Hashable
from typing import Any

from searchkit.shard.shardsearch import Row, Window

#: Asks the shards (those numbered) for their first `fetch` rows: (shards, fetch) -> windows.
Fetch = Callable[[list[int], int], list[Window]]


class Merged:
    """The shards' rankings as one, read a window at a time."""

    def __init__(self, shards: int, fetch: Fetch) -> None:
        self._fetch = fetch
        self._windows: dict[int, Window] = {}
        self._asked: dict[int, int] = dict.fromkeys(range(shards), 0)

    def window(self, fetch: int) -> list[Row]:
        more = [s for s, w in self._asked.items() if w < fetch and not self._complete(s)]
        if more:
            for got in self._fetch(more, fetch):
                self._windows[got.shard] = got
                self._asked[got.shard] = fetch
        rows = heapq.merge(*(w.rows for w in self._windows.values()), key=lambda r: r.key)
        return [r for _, r in zip(range(fetch), rows)]

    def _complete(self, shard: int) -> bool:
        got = self._windows.get(shard)
        return got is not None and got.complete

    @property
    def windows(self) -> list[Window]:
        return list(self._windows.values())

    def article(self, row: Row) -> Hashable:
        return row.article_id

    def article_id(self, row: Row) -> str:
        return row.article_id

    def score(self, row: Row) -> float:
        return row.score

    def fields(self, row: Row) -> dict[str, Any]:
        return row.fields

    def copies(self, wires: Collection[str]) -> Callable[[Row], str | None]:
        return lambda row: row.fields.get("wire") or None

    def counts(self) -> dict[str, int]:
        """Matching paragraphs per article, for the articles of the rows read."""
        return {r.article_id: r.count for w in self._windows.values() for r in w.rows}

    def headline_only(self) -> frozenset[str]:
        """The articles of the rows read that matched only by their headline."""
        return frozenset(r.article_id for w in self._windows.values() for r in w.rows if r.headline_only)

    def totals(self) -> tuple[int, int]:
        """(matching articles, matching paragraphs) over every shard."""
        return sum(w.articles for w in self._windows.values()), sum(w.paragraphs for w in self._windows.values())
