"""searchkit: full-text search for news archives, one hit per paragraph.

    import searchkit
    ix = searchkit.Index.build(["corpus"], "index")   # build or update; returns an open Index
    for hit in ix.search("three minutes", limit=5):
        print(hit.rank, hit.headline, hit.paragraph, hit.snippet, hit.highlights)

Everything public is re-exported here; the packages behind it are the pipeline's
stages (ingest -> indexing -> search, with codec alone knowing Whoosh's bytes;
see the README's "Development" section). Names load on first use, so
`searchkit --help` doesn't pay for importing Whoosh.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "ArticleView": "results",
    "Index": "api",
    "IndexStats": "results",
    "Article": "ingest.articles",
    "CorpusWarning": "ingest.articles",
    "read_corpus": "ingest.articles",
    "ArticleNotFoundError": "errors",
    "CorpusError": "errors",
    "IndexCorruptError": "errors",
    "IndexingError": "errors",
    "IndexLockedError": "errors",
    "IndexNotFoundError": "errors",
    "QueryError": "errors",
    "RankingError": "errors",
    "SchemaMismatchError": "errors",
    "SearchkitError": "errors",
    "IndexReport": "indexing.indexer",
    "Progress": "indexing.indexer",
    "Quote": "ingest.quotes",
    "Explanation": "results",
    "QuoteWarning": "ingest.quotes",
    "extract_quotes": "ingest.quotes",
    "Hit": "results",
    "SearchResults": "results",
    "Ranking": "search.ranking",
    "Snippet": "results",
}

__all__ = sorted(_EXPORTS) + ["__version__"]

if TYPE_CHECKING:
    from searchkit.api import Index
    from searchkit.errors import (
        ArticleNotFoundError,
        CorpusError,
        IndexCorruptError,
        IndexingError,
        IndexLockedError,
        IndexNotFoundError,
        QueryError,
        RankingError,
        SchemaMismatchError,
        SearchkitError,
    )
    from searchkit.indexing.indexer import IndexReport, Progress
    from searchkit.ingest.articles import Article, CorpusWarning, read_corpus
    from searchkit.ingest.quotes import Quote, QuoteWarning, extract_quotes
    from searchkit.results import ArticleView, Explanation, Hit, IndexStats, SearchResults, Snippet
    from searchkit.search.ranking import Ranking


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'searchkit' has no attribute {name!r}")
    value = getattr(import_module(f"searchkit.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
