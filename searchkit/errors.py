"""The errors searchkit raises, all under one base class.

Every message says what happened and what to do about it, in library terms, so any
front end can show it as one line; the CLI prints it and exits 2 without a traceback::

    SearchkitError
     ├── CorpusError            a path to index is missing or holds nothing readable
     ├── IndexNotFoundError     no index at the given folder (build one)
     ├── IndexLockedError       another process is writing to the index
     ├── IndexCorruptError      the index files are damaged or truncated (rebuild)
     ├── SchemaMismatchError    the index was built by another schema version (rebuild)
     ├── IndexingError          indexing could not finish (a worker failed); nothing was committed
     ├── DeletionRefusedError   an update would delete many articles without prune/mirror; nothing was changed
     ├── ArticleNotFoundError   `show`/`similar` named an article or paragraph that is not indexed
     ├── QueryError             the query cannot be understood (empty, too long, bad field)
     └── RankingError           a ranking setting is out of range or not a number

The advice at the end of a message names the library's way to fix it; the CLI's error
mapper (`searchkit.cli.cli_message`) swaps in the command that does the same:

    library message ends with     the CLI prints
    rebuild it (rebuild=True)     rebuild it with `searchkit index --rebuild`   (IndexCorruptError, SchemaMismatchError)
    build one (Index.build)       run `searchkit index` to build one            (IndexNotFoundError)
    (wait=SECONDS)                (--wait SECONDS)                              (IndexLockedError)
    (jobs=1)                      (--jobs 1)                                    (IndexingError)
    pass prune=True               pass --prune                                  (DeletionRefusedError)
    mirror=True                   --mirror PATHS                                (DeletionRefusedError, CorpusError)
    (remove_roots=['P'])          (--remove-root 'P')                           (CorpusError)
"""

from __future__ import annotations


class SearchkitError(Exception):
    """Base class of every error searchkit raises on purpose."""


class CorpusError(SearchkitError):
    """A path to index does not exist or cannot be read."""


class IndexNotFoundError(SearchkitError):
    """There is no searchkit index in the given folder."""


class IndexLockedError(SearchkitError):
    """Another process holds the index's write lock."""


class IndexCorruptError(SearchkitError):
    """The index exists but cannot be read."""


class SchemaMismatchError(SearchkitError):
    """The index was written with a different schema version."""


class ArticleNotFoundError(SearchkitError):
    """An article id or paragraph number is not in the index."""


class QueryError(SearchkitError):
    """The query string cannot be turned into a search."""


class IndexingError(SearchkitError):
    """Indexing could not finish (a worker process failed); nothing was committed."""


class RankingError(SearchkitError, ValueError):
    """A ranking setting (k1, b, a boost) is not a finite number in its allowed range.

    Also a ValueError, so code written against 0.1 (which raised ValueError) still catches it.
    """


class DeletionRefusedError(SearchkitError):
    """An update would delete many articles whose files are gone; nothing was changed (pass prune=True)."""


class ShardError(SearchkitError):
    """A shard of a sharded index is missing, damaged, or failed to build (the message names it)."""


class DaskNotInstalledError(SearchkitError):
    """A Dask cluster was asked for, but dask and distributed are not installed."""
