"""The errors searchkit raises, all under one base class.

Every message says what happened and what to do about it, in library terms, so any
front end can show it as one line; the CLI prints it and exits 2 without a traceback::

    SearchkitError
     ├── CorpusError            a path to index is missing or holds nothing readable
     ├── IndexNotFoundError     no index at the given folder (build one)
     │    └── IncompleteIndexError   the first build was interrupted (build again)
     ├── IndexLockedError       another process is writing to the index
     ├── IndexCorruptError      the index files are damaged or truncated (rebuild)
     ├── SchemaMismatchError    the index was built by another schema version (rebuild)
     ├── IndexingError          indexing could not finish (a worker failed); nothing was committed
     ├── FileSystemError        the file system refused (disk full, read-only, permission, a file vanished)
     ├── DeletionRefusedError   an update would delete many articles without prune/mirror; nothing was changed
     ├── ArticleNotFoundError   `show`/`similar` named an article or paragraph that is not indexed
     ├── QueryError             the query cannot be understood (empty, too long, bad field)
     └── RankingError           a ranking setting is out of range or not a number

The advice at the end of a message names the library's way to fix it; the CLI's error
mapper (`searchkit.cli.cli_message`) swaps in the command that does the same:

    library message ends with     the CLI prints
    rebuild it (rebuild=True)     rebuild it with `searchkit index --rebuild`   (IndexCorruptError, SchemaMismatchError)
    build one (Index.build)       run `searchkit index` to build one            (IndexNotFoundError)
    build it again (Index.build)  run `searchkit index` again                   (IncompleteIndexError)
    (wait=SECONDS)                (--wait SECONDS)                              (IndexLockedError)
    (jobs=1)                      (--jobs 1)                                    (IndexingError)
    pass prune=True               pass --prune                                  (DeletionRefusedError)
    mirror=True                   --mirror PATHS                                (DeletionRefusedError, CorpusError)
    (remove_roots=['P'])          (--remove-root 'P')                           (CorpusError)
"""

from __future__ import annotations

import errno
import os


class SearchkitError(Exception):
    """Base class of every error searchkit raises on purpose."""


class CorpusError(SearchkitError):
    """A path to index does not exist or cannot be read."""


class IndexNotFoundError(SearchkitError):
    """There is no searchkit index in the given folder."""


class IncompleteIndexError(IndexNotFoundError):
    """The index's first build was interrupted: there is an index folder but it never held a commit."""


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


#: errno -> (what happened, what to do), for `FileSystemError.of`.
_OS_ADVICE: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the device", "free some space and try again"),
    errno.EDQUOT: ("disk quota exceeded", "free some space and try again"),
    errno.EFBIG: ("file too large for this file system or process limit", "raise the limit or use another folder"),
    errno.EROFS: ("read-only file system", "use a folder on a writable file system"),
    errno.EACCES: ("permission denied", "fix the permissions or use another folder"),
    errno.EPERM: ("operation not permitted", "fix the permissions or use another folder"),
    errno.ENOENT: ("a file vanished while in use (deleted by another program?)", "try again"),
    errno.EIO: ("input/output error (a failing disk?)", "check the disk"),
}


class FileSystemError(SearchkitError):
    """The file system refused a read or write: disk full, read-only, permission denied, a file vanished."""

    @classmethod
    def of(cls, exc: OSError, *, wrote: bool) -> FileSystemError:
        """The one-line error for `exc`; `wrote` when it stopped a write to the index (nothing was committed)."""
        what, advice = _OS_ADVICE.get(exc.errno or 0, (exc.strerror or type(exc).__name__, "try again"))
        where = os.fsdecode(exc.filename) if exc.filename is not None else ""
        done = "; nothing was committed, the index is as it was" if wrote else ""
        return cls(f"{what}{': ' + where if where else ''}{done}; {advice}")
