"""`ShardedIndex`: the `Index` API over a sharded folder.

A search is planned here by `searcher.plan`, over the federated reader of all shards
(the `path:` clauses, parse, typo retry, respelling, speaker rewrite and filter see
every shard's words, as one index's would); then each shard ranks its matches with the
collection's statistics (`stats`) in a thread or on a Dask worker (`fanout`), the
windows are merged and collapsed here (`merge`), and `searcher.present` makes the
page. Each shard counts its articles' own-text matches (`ownmatch`): an article lives
in one shard. The hits are the ones one index holding the same articles gives.

What reads stored paragraphs rather than ranking them (`show`, `quotes`, `speakers`,
`facets`, `stats`) runs here on the federated reader, which scores with the same
injected statistics: the shards are on a file system this process sees too.
The manifest is checked before each call: after an update, the next call reads the
new generation.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.query.compound import Or
from whoosh.query.qcore import Query
from whoosh.reading import IndexReader, MultiReader
from whoosh.searching import Searcher

from searchkit import defaults
from searchkit.api import Index, PathLike
from searchkit.errors import ArticleNotFoundError, IndexCorruptError, IndexNotFoundError, QueryError, ShardError
from searchkit.indexing import store
from searchkit.indexing.indexer import IndexReport, ProgressFn
from searchkit.indexing.schema import PARAGRAPH
from searchkit.results import IndexStats, SearchResults
from searchkit.search import bm25f
from searchkit.search import query as query_mod
from searchkit.search import searcher as searcher_mod
from searchkit.search.collapse import collapse
from searchkit.search.ranking import Ranking
from searchkit.search.scope import as_datetime
from searchkit.search.searcher import Plan, Ranked, SearchRequest
from searchkit.search.speakercounts import Tally
from searchkit.shard import build as build_mod
from searchkit.shard import manifest as manifest_mod
from searchkit.shard.fanout import Fanout
from searchkit.shard.manifest import Manifest
from searchkit.shard.merge import Merged
from searchkit.shard.pinned import pin
from searchkit.shard.shardsearch import ShardQuery
from searchkit.shard.stats import GlobalBM25F, ReaderStatistics, collection_size

if TYPE_CHECKING:
    from distributed import Client


@dataclass
class _State:
    """One committed generation, open: its manifest, shard indexes, federated searcher, fan-out."""

    manifest: Manifest
    stamp: int
    searcher: Searcher
    stats: ReaderStatistics
    fanout: Fanout

    def close(self) -> None:
        self.fanout.close()
        self.searcher.close()


def _open_shards(root: Path, m: Manifest) -> list[IndexReader]:
    """Every shard's reader; a missing or damaged shard is a ShardError naming it."""
    readers = []
    for k in range(m.shards):
        folder = m.shard_dir(root, k)
        try:
            readers.append(store.open_index(folder, verify=True).reader())
        except (IndexNotFoundError, IndexCorruptError) as exc:
            state = "missing" if not folder.is_dir() else "damaged"
            raise ShardError(
                f"shard {k} of {m.shards} ({folder.name}) of the sharded index in {root} is {state} ({exc}); "
                "rebuild it (rebuild=True)"
            ) from exc
    return readers


class ShardedIndex(Index):
    """An open sharded index (`Index.open` on a folder with a manifest gives one)."""

    def __init__(self, path: PathLike, *, ranking: Ranking | None = None, client: Client | None = None) -> None:
        # Not Index.__init__: there is no one Whoosh index here, only shards.
        self.path = Path(path)
        self.ranking = ranking or Ranking()
        self.report: IndexReport | None = None
        self.client = client
        self._searcher = None
        self._closed = False
        self._state: _State | None = None
        self._load()

    @property
    def shards(self) -> int:
        return self._load().manifest.shards

    def _stamp(self) -> int:
        try:
            return (self.path / manifest_mod.MANIFEST_FILE).stat().st_mtime_ns
        except FileNotFoundError:
            raise IndexNotFoundError(f"no sharded index in {self.path}; build one (Index.build)") from None

    def _load(self) -> _State:
        """The current generation, reopened when the manifest has changed since."""
        stamp = self._stamp()
        state = self._state
        if state is not None and state.stamp == stamp:
            return state
        m = manifest_mod.load(self.path)
        readers = [leaf for r in _open_shards(self.path, m) for leaf, _ in r.leaf_readers()]
        reader = MultiReader(readers)
        n = collection_size(reader.doc_count_all(), m.files_read)
        stats = ReaderStatistics(reader, n)
        searcher = Searcher(reader, weighting=GlobalBM25F(stats, B=self.ranking.b, K1=self.ranking.k1))
        bm25f.inject_statistics(searcher, stats)
        folders = [m.shard_dir(self.path, k) for k in range(m.shards)]
        if state is not None:
            state.close()
        self._state = _State(m, stamp, searcher, stats, Fanout(folders, m.generation, self.client))
        return self._state

    def _current(self) -> Searcher:
        return self._load().searcher

    def close(self) -> None:
        self._closed = True
        if self._state is not None:
            self._state.close()
            self._state = None

    # -- searching ------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        limit: int = defaults.LIMIT,
        page: int = 1,
        per_article: bool = True,
        fragments: int = 1,
        width: int = defaults.WIDTH,
        since: datetime | date | str | None = None,
        until: datetime | date | str | None = None,
        source: str | None = None,
        under: str | None = None,
        sort: str = "relevance",
        fuzzy: bool = True,
        snippets: bool = True,
        explain: bool = False,
    ) -> SearchResults:
        """Ranked hits for `text` over every shard, as `Index.search` (the same arguments and results)."""
        for name, value in (("limit", limit), ("page", page)):
            if value < 1:
                raise QueryError(f"{name}={value}: {name} must be 1 or more")
        req = SearchRequest(
            text=text,
            limit=limit,
            page=page,
            per_article=per_article,
            fragments=fragments,
            width=width,
            since=as_datetime(since, "since"),
            until=as_datetime(until, "until"),
            source=source,
            under=(under,) if under else (),
            sort=sort,
            fuzzy=fuzzy,
            snippets=snippets,
            explain=explain,
        )
        with self._damage_guard():
            return self._run(req)

    def _run(self, req: SearchRequest, parsed: Query | None = None) -> SearchResults:
        """`searcher.run` on the federated searcher, with the ranking done by the shards (`_rank`)."""
        started = time.perf_counter()
        state = self._load()
        planned = searcher_mod.plan(state.searcher, req, self.ranking, parsed)
        return searcher_mod.present(state.searcher, planned, self._rank(state, planned), self.ranking, started)

    def _rank(self, state: _State, planned: Plan) -> Ranked:
        """`searcher.rank` over the shards: each ranks its matches, the windows are merged and collapsed here."""
        req, r = planned.req, self.ranking
        q = pin(planned.q, state.searcher.reader())  # the words of wildcards as the whole collection has them
        stats = state.stats.for_query(q)
        sq = ShardQuery(q, planned.flt, req.sort, req.per_article, 0, r.context, r.b, r.k1, stats, planned.seeking)
        merged = Merged(state.manifest.shards, lambda shards, fetch: state.fanout(shards, sq, fetch))
        rows = collapse(merged, req.page * req.limit, req.per_article)
        articles, paragraphs = merged.totals()
        total = articles if req.per_article else paragraphs
        return Ranked(rows, merged.counts(), merged.headline_only().__contains__, total, paragraphs)

    def similar(self, article_id: str, paragraph: int, *, limit: int = defaults.LIMIT) -> SearchResults:
        """Paragraphs of other articles most like the given one, as `Index.similar`."""
        with self._damage_guard():
            s = self._current()
            docnum = searcher_mod.paragraph_docnum(s, article_id, paragraph)
            if docnum is None:
                raise ArticleNotFoundError(f"no paragraph {article_id}#{paragraph} in the index")
            words = [w for w, _ in s.key_terms([docnum], "body", numterms=15)]
            if not words:
                return SearchResults(hits=(), query="", total=0, limit=limit)
            text = " ".join(words)
            q = Or([query_mod.combined(w, self.ranking) for w in words])
            res = self._run(SearchRequest(text=text, limit=limit + 1, fuzzy=False), parsed=q)
        others = [h for h in res.hits if h.article_id != article_id][:limit]
        hits = tuple(replace(h, rank=i) for i, h in enumerate(others, start=1))
        return SearchResults(hits=hits, query=text, total=max(0, res.total - 1), limit=limit, seconds=res.seconds)

    # -- what it holds ----------------------------------------------------------

    def stats(self) -> IndexStats:
        """Counts over every shard, as `Index.stats` (files: the source files read)."""
        with self._damage_guard():
            state = self._load()
            articles: set[str] = set()
            tally = Tally()
            paragraphs = quotes = 0
            for d in state.searcher.documents(kind=PARAGRAPH):
                paragraphs += 1
                articles.add(d["article_id"])
                quotes += sum(1 for x in d.get("quotes", "").split("\n") if x)
                tally.add(d)
        speakers = sorted(tally.counts(), key=lambda c: (-c.paragraphs, c.name))
        current = [self.path / manifest_mod.MANIFEST_FILE, *(self.path / d for d in state.manifest.dirs)]
        size = sum(f.stat().st_size for folder in current for f in _files(folder))
        modified = state.stamp / 1e9
        return IndexStats(
            articles=len(articles),
            paragraphs=paragraphs,
            files=state.manifest.files_read,
            quotes=quotes,
            speakers=len(speakers),
            top_speakers=tuple((c.name, c.paragraphs) for c in speakers[:10]),
            size_bytes=size,
            last_update=datetime.fromtimestamp(modified, tz=timezone.utc),
            roots=state.manifest.roots,
        )

    def update(
        self,
        paths: Sequence[PathLike] = (),
        *,
        prune: bool = False,
        mirror: bool = False,
        remove_roots: Sequence[PathLike] = (),
        wait: float = defaults.WAIT,
        progress: ProgressFn | None = None,
        jobs: int | None = None,
    ) -> IndexReport:
        """Bring every shard up to date with the roots (plus `paths`), on the client's workers if there is one."""
        if mirror or remove_roots:
            raise ShardError("a sharded index keeps its roots; rebuild it (rebuild=True) with the paths wanted")
        report = build_mod.build(self.path, [os.fspath(p) for p in paths], client=self.client, wait=wait)
        self.report = report
        return report


def _files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    return [f for f in folder.iterdir() if f.is_file()] if folder.is_dir() else []
