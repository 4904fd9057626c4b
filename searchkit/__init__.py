"""searchkit: full-text search for news archives, one hit per paragraph.

    import searchkit
    ix = searchkit.Index.build(["corpus"], "index")   # build or update; returns an open Index
    for hit in ix.search("three minutes", limit=5):
        print(hit.rank, hit.headline, hit.paragraph, hit.snippet, hit.highlights)

Everything public is re-exported here; the modules behind it are one pipeline
stage each (articles -> quotes -> indexer -> searcher -> snippets).
"""

from searchkit.api import ArticleView, Index, IndexStats
from searchkit.articles import Article, CorpusWarning, read_corpus
from searchkit.errors import (
    ArticleNotFoundError,
    CorpusError,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    QueryError,
    SchemaMismatchError,
    SearchkitError,
)
from searchkit.indexer import IndexReport, Progress
from searchkit.quotes import Quote
from searchkit.results import Hit, SearchResults
from searchkit.schema import Ranking
from searchkit.snippets import Snippet

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleNotFoundError",
    "ArticleView",
    "CorpusError",
    "CorpusWarning",
    "Hit",
    "Index",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexReport",
    "IndexStats",
    "Progress",
    "QueryError",
    "Quote",
    "Ranking",
    "SchemaMismatchError",
    "SearchResults",
    "SearchkitError",
    "Snippet",
    "read_corpus",
    "__version__",
]
