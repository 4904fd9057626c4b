"""What a request asks of the library, as plain values both the pages and the API render.

`run_search` is the one place a search meets its facets: the same text and filters
go to `Index.search` and `Index.facets`, so the counts beside the hits always
describe the hits' query.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from searchkit.api import ArticleView, Index, IndexStats
from searchkit.errors import QueryError
from searchkit.results import Facets, SearchResults
from searchkit.web.library import Library
from searchkit.web.params import MAX_LIMIT, MAX_WIDTH, SearchParams


@dataclass(frozen=True)
class SearchOutcome:
    """A page of hits, the facets over every match, and how long both took."""

    params: SearchParams
    results: SearchResults
    facets: Facets
    took_ms: float

    def summary(self) -> dict[str, Any]:
        r = self.results
        return {
            "query": r.query,
            "total": r.total,
            "page": r.page,
            "pages": r.pages,
            "limit": r.limit,
            "per_article": r.per_article,
            "took_ms": round(self.took_ms, 3),
            "facets": self.facets.to_dict()["fields"],
        }

    def to_dict(self) -> dict[str, Any]:
        """The /api/search answer: hits as `search --json` prints them, then the summary."""
        r = self.results
        return {
            "hits": [h.to_dict() for h in r],
            "summary": self.summary(),
            "fuzzy": {word: list(used) for word, used in r.fuzzy},
            "suggestion": r.suggestion,
        }


def run_search(library: Library, p: SearchParams) -> SearchOutcome:
    """Search and facet in one borrow of the index (the same commit for both)."""

    def work(ix: Index) -> SearchOutcome:
        started = time.perf_counter()
        results = ix.search(p.text, **p.search_kwargs())
        facets = ix.facets(p.text, **p.facet_kwargs())
        return SearchOutcome(p, results, facets, (time.perf_counter() - started) * 1000)

    return library.use(work)


def article(library: Library, article_id: str, paragraph: int | None = None, context: int = 0) -> ArticleView:
    return library.use(lambda ix: ix.show(article_id, paragraph, context))


def paragraph_highlights(library: Library, article_id: str, q: str) -> dict[int, tuple[tuple[int, int], ...]]:
    """Where `q` matches in each paragraph of one article: paragraph -> highlight spans.

    The article's own paragraphs searched for `q` (`article:` narrows the query), with
    snippets as wide as a paragraph so the spans index the whole text. A query that
    cannot be read here just gives no highlights: the page still shows the article.
    """
    if not q.strip():
        return {}
    name = article_id.replace('"', " ")
    text = f'({q}) AND article:"{name}"'

    def work(ix: Index) -> SearchResults:
        return ix.search(text, limit=MAX_LIMIT, per_article=False, width=MAX_WIDTH, fuzzy=False)

    try:
        results = library.use(work)
    except QueryError:
        return {}
    return {h.paragraph: h.highlights for h in results if h.snippet == h.text}


def similar(library: Library, article_id: str, paragraph: int, limit: int) -> SearchResults:
    return library.use(lambda ix: ix.similar(article_id, paragraph, limit=limit))


def stats(library: Library) -> IndexStats:
    return library.use(lambda ix: ix.stats())
