"""`searchkit.Index`: the library's front door over the indexer and the searcher.

An `Index` is an open index folder. It keeps one Whoosh searcher and refreshes it
when another process commits, so a long-lived program (or the benchmarks) pays
for opening only once. Close it, or use it as a context manager.
"""

from __future__ import annotations

import os
import pickle
import struct
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from whoosh import scoring
from whoosh.query import Or

from searchkit.errors import ArticleNotFoundError, IndexCorruptError
from searchkit.indexing import indexer, store
from searchkit.indexing.indexer import IndexReport, ProgressFn
from searchkit.indexing.schema import PARAGRAPH, Ranking
from searchkit.ingest.articles import Article
from searchkit.results import Facets, SearchResults
from searchkit.search import query as query_mod
from searchkit.search.searcher import SearchRequest, paragraph_docnum, run

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class ArticleView:
    """An article, or a window of its paragraphs, as stored in the index."""

    article_id: str
    headline: str
    paragraphs: tuple[tuple[int, str], ...]  # (number, text), numbers from 1
    total_paragraphs: int
    source: str = ""
    path: str = ""
    date: datetime | None = None
    url: str = ""


@dataclass(frozen=True)
class IndexStats:
    """What an index holds."""

    articles: int
    paragraphs: int
    files: int
    quotes: int
    speakers: int
    top_speakers: tuple[tuple[str, int], ...]
    size_bytes: int
    last_update: datetime | None


class Index:
    """An open searchkit index. Make one with `open`, `build` or `from_articles`."""

    def __init__(self, path: PathLike, *, ranking: Ranking | None = None) -> None:
        self.path = Path(path)
        self.ranking = ranking or Ranking()
        self.report: IndexReport | None = None
        self._ix = store.open_index(self.path)
        self._searcher: Any = None

    # -- making one ---------------------------------------------------------

    @classmethod
    def open(cls, path: PathLike = "index", *, ranking: Ranking | None = None) -> Index:
        """Open an existing index (IndexNotFoundError if there is none)."""
        return cls(path, ranking=ranking)

    @classmethod
    def build(
        cls,
        paths: Sequence[PathLike] = ("corpus",),
        path: PathLike = "index",
        *,
        rebuild: bool = False,
        wait: float = 5.0,
        progress: ProgressFn | None = None,
        ranking: Ranking | None = None,
        jobs: int | None = None,
    ) -> Index:
        """Build or incrementally update the index at `path` from `paths`; return it open.

        `jobs` worker processes share a large build (default: one per CPU; 1 =
        this process only). What the update did is in `.report` (counts,
        seconds, warnings).
        """
        report = indexer.update(path, list(paths), rebuild=rebuild, wait=wait, progress=progress, jobs=jobs)
        ix = cls(path, ranking=ranking)
        ix.report = report
        return ix

    @classmethod
    def from_articles(
        cls,
        articles: Iterable[Article],
        path: PathLike,
        *,
        progress: ProgressFn | None = None,
        ranking: Ranking | None = None,
    ) -> Index:
        """Replace whatever index is at `path` with exactly these articles."""
        report = indexer.write_articles(path, articles, progress=progress)
        ix = cls(path, ranking=ranking)
        ix.report = report
        return ix

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------

    def _current(self) -> Any:
        """The shared searcher, refreshed if another writer has committed since."""
        try:
            if self._searcher is None:
                weighting = scoring.BM25F(B=self.ranking.b, K1=self.ranking.k1)
                self._searcher = self._ix.searcher(weighting=weighting)
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
        except OSError as exc:
            raise IndexCorruptError(
                f"the index in {self.path} cannot be read ({exc}); rebuild it with `searchkit index --rebuild`"
            ) from exc
        return self._searcher

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        page: int = 1,
        per_article: bool = True,
        fragments: int = 1,
        width: int = 240,
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        sort: str = "relevance",
        fuzzy: bool = True,
        snippets: bool = True,
        explain: bool = False,
    ) -> SearchResults:
        """Ranked hits for `text`, best first (raises QueryError on a bad query).

        With `explain`, each hit carries an `Explanation` of its score by word and field.
        """
        req = SearchRequest(
            text=text,
            limit=limit,
            page=page,
            per_article=per_article,
            fragments=fragments,
            width=width,
            since=since,
            until=until,
            source=source,
            sort=sort,
            fuzzy=fuzzy,
            snippets=snippets,
            explain=explain,
        )
        with self._reading():
            return run(self._current(), req, self.ranking)

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Damage found while reading (not at open) is an IndexCorruptError too."""
        try:
            yield
        except (EOFError, OSError, struct.error, zlib.error, pickle.UnpicklingError) as exc:
            raise IndexCorruptError(
                f"the index in {self.path} is damaged ({type(exc).__name__}: {exc}); "
                "rebuild it with `searchkit index --rebuild`"
            ) from exc

    def show(self, article_id: str, paragraph: int | None = None, context: int = 0) -> ArticleView:
        """An article, or paragraph `paragraph` with `context` paragraphs either side."""
        with self._reading():
            docs = sorted(self._current().documents(article_id=article_id), key=lambda d: d["n"])
        if not docs:
            raise ArticleNotFoundError(f"no article {article_id!r} in the index; search for it first")
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

    def similar(self, article_id: str, paragraph: int, *, limit: int = 10) -> SearchResults:
        """Paragraphs of other articles most like the given one (more like this)."""
        s = self._current()
        docnum = paragraph_docnum(s, article_id, paragraph)
        if docnum is None:
            raise ArticleNotFoundError(f"no paragraph {article_id}#{paragraph} in the index")
        words = [w for w, _ in s.key_terms([docnum], "body", numterms=15)]
        if not words:
            return SearchResults(hits=(), query="", total=0, limit=limit)
        text = " ".join(words)
        q = Or([query_mod.combined(w, self.ranking) for w in words])
        req = SearchRequest(text=text, limit=limit + 1, fuzzy=False)
        with self._reading():
            res = run(s, req, self.ranking, parsed=q)
        others = [h for h in res.hits if h.article_id != article_id][:limit]
        hits = tuple(replace(h, rank=i) for i, h in enumerate(others, start=1))
        return SearchResults(hits=hits, query=text, total=max(0, res.total - 1), limit=limit, seconds=res.seconds)

    def stats(self) -> IndexStats:
        """Counts over the whole index (reads every stored paragraph)."""
        s = self._current()
        articles: set[str] = set()
        speakers: Counter[str] = Counter()
        paragraphs = quotes = 0
        with self._reading():
            for d in s.documents(kind=PARAGRAPH):
                paragraphs += 1
                articles.add(d["article_id"])
                quotes += sum(1 for x in d.get("quotes", "").split("\n") if x)
                speakers.update(x for x in d.get("speakers", "").split("; ") if x)
        files = sum(1 for _ in s.document_numbers(kind="f"))
        size = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        modified = self._ix.last_modified()
        return IndexStats(
            articles=len(articles),
            paragraphs=paragraphs,
            files=files,
            quotes=quotes,
            speakers=len(speakers),
            top_speakers=tuple(speakers.most_common(10)),
            size_bytes=size,
            last_update=datetime.fromtimestamp(modified, tz=timezone.utc) if modified > 0 else None,
        )

    def facets(
        self,
        text: str,
        *,
        fields: Sequence[str] = ("source", "month", "speaker"),
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        per_article: bool = True,
        fuzzy: bool = True,
        top: int = 10,
    ) -> Facets:
        """Counts by source, month ("YYYY-MM") and speaker over EVERY match of `search(text, ...)`.

        Give the same `text` and filters as the search they go with. Counts are articles
        (paragraphs when not `per_article`), the `top` most frequent values per field.
        """
        from searchkit.search import facets as facets_mod

        with self._reading():
            return facets_mod.count(
                self._current(),
                text,
                self.ranking,
                fields=fields,
                since=since,
                until=until,
                source=source,
                per_article=per_article,
                fuzzy=fuzzy,
                top=top,
            )
