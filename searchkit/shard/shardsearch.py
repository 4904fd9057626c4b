"""One shard's part of a search: its first rows in ranking order, scored with the collection's statistics.

Runs where the shard is read: a thread of the searching process, or a Dask worker. A
process keeps each shard it has searched open (`_open`, keyed by the shard's folder and
the manifest generation, whose statistics it scores with), so a worker pays for opening
a shard once. The rows are the ones the one-machine search ranks (the bulk scorer, or
Whoosh's matchers, article context applied; `searcher._ranked`), each with its stored
fields, the key that orders rows of all shards (`Row.key`), how many paragraphs of its
article match by their own text and whether only its headline matched (`ownmatch`).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from whoosh.query.compound import And
from whoosh.query.qcore import NullQuery, Query
from whoosh.query.terms import Term
from whoosh.searching import Searcher

from searchkit.errors import ShardError
from searchkit.indexing import store
from searchkit.indexing.schema import PARAGRAPH
from searchkit.search import bm25f, damage, ownmatch, segments
from searchkit.search import searcher as searcher_mod
from searchkit.search.bulkresult import FastResult
from searchkit.search.quoteseek import Seeking
from searchkit.shard.stats import GlobalBM25F, GlobalStatistics

#: Shards (folder, generation) a process keeps open.
OPEN_SHARDS = 64

_EPOCH = datetime(1, 1, 1)


@dataclass(frozen=True)
class ShardQuery:
    """What every shard is asked: the planned query, filter, order, window size and the statistics."""

    q: Query
    flt: Query | None
    sort: str
    per_article: bool
    fetch: int
    context: float
    b: float
    k1: float
    stats: GlobalStatistics
    seeking: Seeking | None = None  # a quote-seeking question's paragraphs to rank first (`searcher.Plan`)


@dataclass(frozen=True)
class Row:
    """One ranked paragraph of a shard."""

    key: tuple[Any, ...]
    score: float
    fields: dict[str, Any]
    count: int  # matching paragraphs of its article (own-text matches: `ownmatch`)
    headline_only: bool  # its article matched only by its headline

    @property
    def article_id(self) -> str:
        return str(self.fields["article_id"])


@dataclass(frozen=True)
class Window:
    """A shard's first rows, whether they are all it has, and its match counts."""

    shard: int
    rows: list[Row]
    complete: bool
    articles: int
    paragraphs: int
    seconds: float = 0.0  # time the shard spent on it (for the scale benchmark)


def sort_key(sort: str, score: float, own: float | None, fields: dict[str, Any]) -> tuple[Any, ...]:
    """The one-machine ranking order as a key (`bulkresult.FastResult.order` / `DateOrdered.order`).

    By relevance: score rounded to 9 places (best first), article id, own score (article
    context), paragraph number. By date: undated last, newest first, then the same.
    """
    rel = (-round(score, 9), str(fields["article_id"]), -round(score if own is None else own, 9), int(fields["n"]))
    if sort != "date":
        return rel
    when = fields.get("date")
    micros = (when - _EPOCH) // timedelta(microseconds=1) if isinstance(when, datetime) else 0
    return (when is None, -micros, *rel)


class _Open:
    """A shard open for searching: its searcher, scoring with the table it is given."""

    def __init__(self, folder: Path, sq: ShardQuery) -> None:
        self.ix = store.open_index(folder)
        self.stats = GlobalStatistics(sq.stats.doc_count(), sq.stats.lengths, {})
        self.searcher = self.ix.searcher(weighting=GlobalBM25F(self.stats, B=sq.b, K1=sq.k1))
        bm25f.inject_statistics(self.searcher, self.stats)


_shards: OrderedDict[tuple[str, int, float, float], _Open] = OrderedDict()
_lock = threading.Lock()


def _open(folder: str, generation: int, sq: ShardQuery) -> _Open:
    key = (folder, generation, sq.b, sq.k1)
    with _lock:
        got = _shards.get(key)
        if got is not None:
            _shards.move_to_end(key)
    if got is None:
        got = _Open(Path(folder), sq)
        with _lock:
            _shards[key] = got
            while len(_shards) > OPEN_SHARDS:
                _shards.popitem(last=False)[1].searcher.close()
    got.stats.add(sq.stats)
    return got


def window(shard: int, folder: str, generation: int, sq: ShardQuery) -> Window:
    """The shard's first `sq.fetch` rows (a Dask task, or a thread's work)."""
    if not Path(folder).is_dir():
        raise ShardError(f"shard {shard} ({Path(folder).name}) is missing; rebuild the index (rebuild=True)")
    started = time.perf_counter()
    try:
        with damage.reading(folder):
            found = _window(shard, _open(folder, generation, sq).searcher, sq)
            return replace(found, seconds=time.perf_counter() - started)
    except ShardError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the shard raised, said with its number
        raise ShardError(f"shard {shard} ({Path(folder).name}) cannot be searched: {exc}") from exc


def _window(shard: int, searcher: Searcher, sq: ShardQuery) -> Window:
    """The shard's ranking as `searcher._ranked` makes it, read as a window of rows with their counts."""
    q, flt = sq.q, sq.flt
    if q is NullQuery:
        return Window(shard, [], True, 0, 0)
    if searcher_mod.reaches_other_docs(q):
        flt = Term("kind", PARAGRAPH) if flt is None else And([flt, Term("kind", PARAGRAPH)])
    fast = searcher_mod.scored(searcher, q, flt, sq.context, sq.seeking)
    view = segments.view(searcher)
    if not sq.per_article:  # a paragraph list: narrowed to own-text matches (an article lives in one shard)
        fast, headline_only = ownmatch.narrow(searcher, view, q, fast)
        fast = fast.by_date() if sq.sort == "date" else fast
        return _rows(shard, fast, fast.window(sq.fetch), fast.counts, headline_only, sq)
    fast = fast.by_date() if sq.sort == "date" else fast
    picked = fast.window(sq.fetch)
    # Own-text counts for every article of the window: the articles shown are among them.
    shown = list(dict.fromkeys(str(fast.fields(i)["article_id"]) for i in picked))
    counts, headline_only = ownmatch.shown_counts(searcher, view, q, fast, shown)
    return _rows(shard, fast, picked, counts, headline_only, sq)


def _rows(
    shard: int,
    fast: FastResult,
    picked: list[int],
    counts: Mapping[str, int],
    headline_only: Callable[[str], bool],
    sq: ShardQuery,
) -> Window:
    rows = []
    for i in picked:
        fields = fast.fields(i)
        own = None if fast.own is None else float(fast.own[i])
        score = fast.score(i)
        a = str(fields["article_id"])
        rows.append(Row(sort_key(sq.sort, score, own, fields), score, fields, counts[a], headline_only(a)))
    return Window(shard, rows, len(rows) < sq.fetch, len(fast.counts), fast.counts.total())
