"""`searchkit.Index`: the library's front door over the indexer and the searcher.

An `Index` is an open index folder. It keeps one Whoosh searcher and refreshes it
when another process commits, so a long-lived program (or the benchmarks) pays
for opening only once. Close it, or use it as a context manager.

Every reading method goes through one damage guard (`damage.retrying`): whatever
sign of damaged files Whoosh meets while reading becomes an `IndexCorruptError`
that says, in library terms, to rebuild; a file a commit deleted under the read
is read again from the new commit instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import scoring
from whoosh.query.compound import Or
from whoosh.query.terms import Term
from whoosh.searching import Searcher

from searchkit import analysis, defaults
from searchkit.codec.integrity import IndexCheck
from searchkit.errors import ArticleNotFoundError, QueryError
from searchkit.guards import guarded, writes
from searchkit.indexing import indexer, store, transaction
from searchkit.indexing.indexer import IndexReport, Progress, ProgressFn
from searchkit.indexing.schema import PARAGRAPH
from searchkit.ingest.articles import Article
from searchkit.results import ArticleView, FacetCount, Facets, IndexStats, QuoteHit, SearchResults, SpeakerCount
from searchkit.search import articleref, damage
from searchkit.search import query as query_mod
from searchkit.search.ranking import Ranking
from searchkit.search.scope import as_datetime
from searchkit.search.searcher import SearchRequest, paragraph_docnum, run

# Re-exported so that the faces (cli, render) need only this module for what they type.
__all__ = [
    "ArticleView",
    "Index",
    "IndexReport",
    "IndexStats",
    "PathLike",
    "Progress",
    "ProgressFn",
    "QuoteHit",
    "Ranking",
    "SpeakerCount",
]

PathLike = str | os.PathLike[str]

if TYPE_CHECKING:
    from distributed import Client as DaskClient


class Index:
    """An open searchkit index. Make one with `open`, `build` or `from_articles`."""

    def __init__(self, path: PathLike, *, ranking: Ranking | None = None) -> None:
        self.path = Path(path)
        self.ranking = ranking or Ranking()
        self.report: IndexReport | None = None
        self._ix = store.open_index(self.path, complete=True)
        self._searcher: Searcher | None = None
        self._closed = False

    # -- making one ---------------------------------------------------------

    @classmethod
    def open(
        cls, path: PathLike = defaults.INDEX_DIR, *, ranking: Ranking | None = None, client: DaskClient | None = None
    ) -> Index:
        """Open an existing index (IndexNotFoundError if there is none).

        A sharded index (`searchkit.shard`) opens as a `ShardedIndex`, the same API; with a
        Dask `client` its shards are searched on the cluster's workers, else in threads.
        """
        from searchkit.shard import ShardedIndex, is_sharded

        if is_sharded(path):
            return ShardedIndex(path, ranking=ranking, client=client)
        return cls(path, ranking=ranking)

    @classmethod
    @writes
    def build(
        cls,
        paths: Sequence[PathLike] | None = None,
        path: PathLike = defaults.INDEX_DIR,
        *,
        rebuild: bool = False,
        wait: float = defaults.WAIT,
        progress: ProgressFn | None = None,
        ranking: Ranking | None = None,
        jobs: int | None = None,
        mirror: bool = False,
        prune: bool = False,
        remove_roots: Sequence[PathLike] = (),
        shards: int | None = None,
        client: DaskClient | None = None,
    ) -> Index:
        """Build the index at `path`, or bring it up to date; return it open.

        The index remembers the paths it is built from (its roots, on `stats()`):
        `paths` are added to them, and with none the recorded roots are read
        again (./corpus for a first build). `mirror=True` makes `paths` the only
        roots, `remove_roots` drops some; either deletes their articles. An
        update that would delete more than 5 articles and more than 10% of the
        index because their files are gone raises DeletionRefusedError unless
        `prune=True`. `rebuild=True` with paths makes them the only roots.
        `jobs` worker processes share a large build (default: one per CPU;
        1 = this process only). What the update did is in `.report` (counts,
        seconds, warnings).

        `shards=N` builds a sharded index (N ordinary indexes and a manifest, see
        `searchkit.shard`), one task per shard on the Dask `client`'s workers, or in
        local processes without one; an existing sharded index at `path` is updated so.
        """
        from searchkit.shard import is_sharded

        if shards is not None or is_sharded(path):
            return cls._build_sharded(
                paths,
                path,
                shards=shards,
                client=client,
                rebuild=rebuild,
                ranking=ranking,
                mirror=mirror,
                remove_roots=remove_roots,
                wait=wait,
            )
        if client is not None:
            from searchkit.errors import ShardError

            raise ShardError("a Dask cluster builds sharded indexes; give the number of shards (shards=N)")
        report = indexer.update(
            os.fspath(path),
            None if paths is None else [os.fspath(p) for p in paths],
            rebuild=rebuild,
            wait=wait,
            progress=progress,
            jobs=jobs,
            mirror=mirror,
            prune=prune,
            remove_roots=[os.fspath(p) for p in remove_roots],
        )
        ix = cls(path, ranking=ranking)
        ix.report = report
        return ix

    @classmethod
    def _build_sharded(
        cls,
        paths: Sequence[PathLike] | None,
        path: PathLike,
        *,
        shards: int | None,
        client: DaskClient | None,
        rebuild: bool,
        ranking: Ranking | None,
        mirror: bool,
        remove_roots: Sequence[PathLike],
        wait: float,
    ) -> Index:
        from searchkit.errors import ShardError
        from searchkit.shard import ShardedIndex
        from searchkit.shard.build import build

        if mirror or remove_roots:
            raise ShardError("a sharded index adds to its roots; rebuild it (rebuild=True) from the paths wanted")
        report = build(path, paths, shards=shards, client=client, rebuild=rebuild, wait=wait)
        ix = ShardedIndex(path, ranking=ranking, client=client)
        ix.report = report
        return ix

    @classmethod
    @writes
    def from_articles(
        cls,
        articles: Iterable[Article],
        path: PathLike,
        *,
        progress: ProgressFn | None = None,
        ranking: Ranking | None = None,
    ) -> Index:
        """Replace whatever index is at `path` with exactly these articles."""
        report = indexer.write_articles(os.fspath(path), articles, progress=progress)
        ix = cls(path, ranking=ranking)
        ix.report = report
        return ix

    @writes
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
        """Bring this index up to date with its roots (plus `paths`, added to them), as `build` does.

        Searches after it see the update; the report is also kept in `.report`.
        """
        report = indexer.update(
            os.fspath(self.path),
            [os.fspath(p) for p in paths],
            wait=wait,
            progress=progress,
            jobs=jobs,
            mirror=mirror,
            prune=prune,
            remove_roots=[os.fspath(p) for p in remove_roots],
        )
        self.report = report
        return report

    def check(self) -> IndexCheck:
        """Verify the index: every file of the last commit against the checksum recorded when it was
        written, and every segment opened. IndexCorruptError names what is damaged (rebuild it);
        files written before searchkit recorded checksums are listed in `unrecorded`."""
        with store.os_errors(wrote=False):
            return store.check(self.path)

    @writes
    def optimize(self, *, wait: float = defaults.WAIT) -> None:
        """Merge the index into one segment, dropping deleted paragraphs for good (searches then see it)."""
        transaction.optimize(self.path, wait)
        self._moved_on()  # searches see the new segment

    def close(self) -> None:
        self._closed = True
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------

    @contextmanager
    def _damage_guard(self) -> Iterator[None]:
        """Damage found while reading becomes an IndexCorruptError (the guard of one read, without retries)."""
        with damage.reading(self.path):
            yield

    def _moved_on(self) -> bool:
        """Whether a commit happened since the shared searcher was made; if so it is dropped."""
        try:
            if self._searcher is not None and self._searcher.up_to_date():
                return False
        except OSError:
            pass
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        return True

    def _current(self) -> Searcher:
        """The shared searcher, refreshed if another writer has committed since (call inside the guard)."""
        if self._searcher is None:
            weighting = scoring.BM25F(B=self.ranking.b, K1=self.ranking.k1)
            self._searcher = self._ix.searcher(weighting=weighting)
        elif not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
        return self._searcher

    @guarded
    def searcher(self) -> Searcher:
        """The index's Whoosh searcher, up to date with the last commit, for reading stored
        documents or running Whoosh queries directly.

        It belongs to this `Index` (don't close it; `close()` does) and is replaced when
        another process commits, so ask again rather than keeping it.
        """
        return self._current()

    @guarded
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
        """Ranked hits for `text`, best first (raises QueryError on a bad query).

        `since`/`until` take a datetime, a date or an ISO 8601 string ("2005-01-01");
        `limit` and `page` count from 1. `source` matches a source by any of its words
        ("riverside" for "Riverside Gazette"), in any case; `under` keeps the articles in
        that folder (relative to the folder indexed, as `path:` in `text` does). With
        `explain`, each hit carries an `Explanation` of its score by word and field.
        """
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
        return run(self._current(), req, self.ranking)

    @guarded
    def show(self, article_id: str, paragraph: int | None = None, context: int = 0) -> ArticleView:
        """An article, or paragraph `paragraph` with `context` paragraphs either side.

        `article_id` may also be the path a hit shows (`politics/191.txt`) or a file path
        under an indexed folder (`corpus/politics/191.txt`); the view carries the real id.
        """
        s = self._current()
        found = articleref.resolve(article_id, lambda c: s.document_number(article_id=c) is not None)
        if found is None:
            near = articleref.closest(article_id, (str(t) for t in s.reader().field_terms("article_id")))
            hint = f"; did you mean {' or '.join(repr(x) for x in near)}?" if near else "; search for it first"
            raise ArticleNotFoundError(f"no article {article_id!r} in the index{hint}")
        article_id = found
        docs = sorted(s.documents(article_id=article_id), key=lambda d: d["n"])
        total = len(docs)
        if paragraph is not None:
            if not any(d["n"] == paragraph for d in docs):
                raise ArticleNotFoundError(
                    f"article {article_id!r} has no paragraph {paragraph}; it has paragraphs 1-{docs[-1]['n']}"
                )
            docs = [d for d in docs if abs(d["n"] - paragraph) <= context]
        first = docs[0]
        return ArticleView(
            article_id=article_id,
            headline=first.get("headline", ""),
            paragraphs=tuple((d["n"], d.get("body", "")) for d in docs),
            total_paragraphs=total,
            source=first.get("source", ""),
            path=first.get("path", ""),
            date=first.get("date"),
            url=first.get("url", ""),
        )

    @guarded
    def similar(self, article_id: str, paragraph: int, *, limit: int = defaults.LIMIT) -> SearchResults:
        """Paragraphs of other articles most like the given one (more like this)."""
        s = self._current()
        docnum = paragraph_docnum(s, article_id, paragraph)
        if docnum is None:
            raise ArticleNotFoundError(f"no paragraph {article_id}#{paragraph} in the index")
        # The index keeps stop words (analysis.index_analyzer); they say nothing about the subject.
        words = [w for w, _ in s.key_terms([docnum], "body", numterms=40) if not analysis.skipped_term(w)][:15]
        if not words:
            return SearchResults(hits=(), query="", total=0, limit=limit)
        text = " ".join(words)
        q = Or([query_mod.combined(w, self.ranking) for w in words])
        req = SearchRequest(text=text, limit=limit + 1, fuzzy=False)
        res = run(s, req, self.ranking, parsed=q)
        others = [h for h in res.hits if h.article_id != article_id][:limit]
        hits = tuple(replace(h, rank=i) for i, h in enumerate(others, start=1))
        return SearchResults(hits=hits, query=text, total=max(0, res.total - 1), limit=limit, seconds=res.seconds)

    @guarded
    def stats(self) -> IndexStats:
        """Counts over the whole index (reads every stored paragraph).

        Speakers are counted as `speakers()` counts them (variants of one name merged);
        `top_speakers` are the ten quoted in the most paragraphs.
        """
        from searchkit.search.speakercounts import Tally

        s = self._current()
        articles: set[str] = set()
        tally = Tally()
        paragraphs = quotes = 0
        for d in s.documents(kind=PARAGRAPH):
            paragraphs += 1
            articles.add(d["article_id"])
            quotes += sum(1 for x in d.get("quotes", "").split("\n") if x)
            tally.add(d)
        speakers = sorted(tally.counts(), key=lambda c: (-c.paragraphs, c.name))
        files = sum(1 for _ in s.document_numbers(kind="f"))
        size = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        modified = self._ix.last_modified()
        return IndexStats(
            articles=len(articles),
            paragraphs=paragraphs,
            files=files,
            quotes=quotes,
            speakers=len(speakers),
            top_speakers=tuple((c.name, c.paragraphs) for c in speakers[:10]),
            size_bytes=size,
            last_update=datetime.fromtimestamp(modified, tz=timezone.utc) if modified > 0 else None,
            roots=tuple(str(r.get("path", "")) for r in store.recorded_roots(self.path)),
        )

    @guarded
    def quotes(
        self, query: str | None = None, *, speaker: str | None = None, limit: int | None = defaults.LIMIT
    ) -> tuple[QuoteHit, ...]:
        """Quotations, one `QuoteHit` each: who said what, in which article and paragraph, when.

        With `query`, the quotations of the paragraphs it matches, in the order a search
        of every paragraph ranks them (raises QueryError on a bad query); without, every
        quotation in article id and paragraph order. `speaker` (a surname or a full name,
        as `speaker:` takes it) keeps only that person's. `limit=None` gives them all.
        """
        from searchkit.search import quotelist

        paragraphs = Term("kind", PARAGRAPH)
        return quotelist.find(self._current(), self.ranking, query, speaker=speaker, limit=limit, paragraphs=paragraphs)

    @guarded
    def speakers(self, *, limit: int | None = None) -> tuple[SpeakerCount, ...]:
        """Everyone quoted, most quotations first, variants of one name merged
        ("Blair" counted as "Tony Blair" when he is the only Blair with a full name)."""
        from searchkit.search.speakercounts import Tally

        if limit is not None and limit < 1:
            raise QueryError("limit must be 1 or more (or None for every speaker)")
        tally = Tally()
        for d in self._current().documents(kind=PARAGRAPH):
            tally.add(d)
        return tally.counts()[:limit]

    @guarded
    def facets(
        self,
        text: str,
        *,
        fields: Sequence[str] = ("source", "month", "speaker"),
        since: datetime | date | str | None = None,
        until: datetime | date | str | None = None,
        source: str | None = None,
        under: str | None = None,
        per_article: bool = True,
        fuzzy: bool = True,
        top: int = 10,
    ) -> Facets:
        """Counts by source, month ("YYYY-MM") and speaker over EVERY match of `search(text, ...)`.

        Give the same `text` and filters as the search they go with. Counts are articles
        (paragraphs when not `per_article`), the `top` most frequent values per field.
        `fields` may also name "folder": the folder an article's file lies in ("." at the top).
        """
        from searchkit.search import facets as facets_mod

        return facets_mod.count(
            self._current(),
            text,
            self.ranking,
            fields=fields,
            since=as_datetime(since, "since"),
            until=as_datetime(until, "until"),
            source=source,
            under=(under,) if under else (),
            per_article=per_article,
            fuzzy=fuzzy,
            top=top,
        )

    @guarded
    def sources(self) -> tuple[FacetCount, ...]:
        """Every source in the index with its number of articles, most first."""
        from searchkit.search import facets as facets_mod

        return facets_mod.source_counts(self._current())
