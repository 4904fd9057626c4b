"""Collapse: ranked paragraphs -> the results shown, one per article, wire copies folded.

Both scoring paths (Whoosh's matchers and the bulk scorer) rank paragraphs and then
collapse them here, by one rule:

- with `per_article`, each article is represented by its first (best) paragraph;
- a paragraph whose `wire` key (the same text word for word in several articles) was
  already kept is folded into that kept row, whose `also` lists the copy's article.

Only a window of the ranking is read: the first `need * 3 + 10` rows (`need + 10`
without `per_article`), four times more each time the window ends before `need`
results were found. Once `need` rows are kept, the rest of the window matters only as
copies of a kept row, which the source names directly (`RankedRows.copies`), so a
source that loads stored fields lazily loads only the rows it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Any, Protocol, TypeVar

#: One result: (score, stored fields, ids of other articles holding the same wire copy).
Collapsed = tuple[float, dict[str, Any], list[str]]

Row = TypeVar("Row")


class RankedRows(Protocol[Row]):
    """A ranking the collapse can read a window of, row by row."""

    def window(self, fetch: int) -> Sequence[Row]:
        """The first `fetch` rows in ranking order (fewer when there are no more)."""

    def article(self, row: Row) -> Hashable:
        """A key naming the row's article (its id or an ordinal)."""

    def article_id(self, row: Row) -> str:
        """The row's article id."""

    def score(self, row: Row) -> float: ...

    def fields(self, row: Row) -> dict[str, Any]:
        """The row's stored fields."""

    def copies(self, wires: Collection[str]) -> Callable[[Row], str | None]:
        """Which rows are copies of these wire keys: a row -> its wire key, or None."""


def first_window(need: int, per_article: bool) -> int:
    """How many ranked rows are read first to find `need` results."""
    return need * (3 if per_article else 1) + 10


def collapse(source: RankedRows[Row], need: int, per_article: bool) -> list[Collapsed]:
    """The first `need` results of `source` (fewer when it runs out), collapsed by the rule above."""
    fetch = first_window(need, per_article)
    while True:
        window = source.window(fetch)
        out = _fold(source, window, need, per_article)
        if len(out) >= need or len(window) < fetch:
            return out
        fetch *= 4


def _fold(source: RankedRows[Row], window: Sequence[Row], need: int, per_article: bool) -> list[Collapsed]:
    """Keep rows until `need` are kept, then fold the later copies of kept rows."""
    out: list[Collapsed] = []
    seen: set[Hashable] = set()
    by_wire: dict[str, list[str]] = {}
    for pos, row in enumerate(window):
        if len(out) >= need:
            _fold_late_copies(source, window[pos:], per_article, seen, by_wire)
            break
        article = source.article(row)
        if per_article and article in seen:
            continue
        seen.add(article)
        fields = source.fields(row)
        wire = fields.get("wire") or ""
        if wire and wire in by_wire:
            _add(by_wire[wire], fields["article_id"])
            continue
        also: list[str] = []
        if wire:
            by_wire[wire] = also
        out.append((source.score(row), fields, also))
    return out


def _fold_late_copies(
    source: RankedRows[Row], rest: Sequence[Row], per_article: bool, seen: set[Hashable], by_wire: dict[str, list[str]]
) -> None:
    """Rows after the last kept one: each that copies a kept row's wire adds its article to that row."""
    if not by_wire:
        return
    copy_of = source.copies(by_wire)
    for row in rest:
        article = source.article(row)
        if per_article and article in seen:
            continue
        seen.add(article)
        wire = copy_of(row)
        if wire is not None and wire in by_wire:
            _add(by_wire[wire], source.article_id(row))


def _add(also: list[str], article_id: str) -> None:
    if article_id not in also:
        also.append(article_id)


class RowList:
    """Loaded rows, (score, stored fields), already in ranking order."""

    def __init__(self, rows: Sequence[tuple[float, dict[str, Any]]]) -> None:
        self.rows = rows

    def window(self, fetch: int) -> Sequence[tuple[float, dict[str, Any]]]:
        return self.rows[:fetch]

    def article(self, row: tuple[float, dict[str, Any]]) -> Hashable:
        return self.article_id(row)

    def article_id(self, row: tuple[float, dict[str, Any]]) -> str:
        return str(row[1]["article_id"])

    def score(self, row: tuple[float, dict[str, Any]]) -> float:
        return row[0]

    def fields(self, row: tuple[float, dict[str, Any]]) -> dict[str, Any]:
        return row[1]

    def copies(self, wires: Collection[str]) -> Callable[[tuple[float, dict[str, Any]]], str | None]:
        return lambda row: row[1].get("wire") or None
