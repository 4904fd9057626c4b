"""The damage guard: errors met while reading a damaged index become one IndexCorruptError.

A truncated or overwritten segment file shows up in the middle of a search as
whatever the reading code trips on (an OSError, a short read, a bad pickle, a
zlib stream or struct that does not decode). Every read of an open index (search,
show, similar, stats) goes through `reading`, so the caller always gets the same
error, saying what to do in library terms. Two OSErrors are not damage: a file
the reader may not open (permission) is a FileSystemError, and a file deleted
under the reader by a commit (FileNotFoundError while the index has moved on)
is retried on the new state by `retrying`.
"""

from __future__ import annotations

import pickle
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from whoosh import reading as whoosh_reading

from searchkit.errors import FileSystemError, IndexCorruptError

#: whoosh3's own error for a posting block it cannot read (other Whoosh releases have none).
_WHOOSH_CORRUPT: tuple[type[BaseException], ...] = tuple(
    c for c in (getattr(whoosh_reading, "CorruptIndexError", None),) if isinstance(c, type) and issubclass(c, Exception)
)

#: What reading a damaged index raises from below Whoosh's API.
DAMAGE: tuple[type[BaseException], ...] = (
    EOFError,
    OSError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    *_WHOOSH_CORRUPT,
)

#: Reads tried when a commit deletes files under them (each retry sees a newer commit).
READ_ATTEMPTS = 5

_T = TypeVar("_T")


def damaged(path: str | Path, exc: BaseException) -> IndexCorruptError:
    """The error for an index found damaged while reading it."""
    return IndexCorruptError(f"the index in {path} is damaged ({type(exc).__name__}: {exc}); rebuild it (rebuild=True)")


@contextmanager
def reading(path: str | Path) -> Iterator[None]:
    """Run a read of the index in `path`; damage found meanwhile raises IndexCorruptError."""
    try:
        yield
    except PermissionError as exc:
        raise FileSystemError.of(exc, wrote=False) from exc
    except DAMAGE as exc:
        raise damaged(path, exc) from exc


def retrying(path: str | Path, read: Callable[[], _T], moved_on: Callable[[], bool]) -> _T:
    """`read()` inside `reading(path)`, tried again while it meets a vanished file and `moved_on()` says a
    commit happened since (it also drops the stale reader); then the damage error as usual."""
    for attempt in range(READ_ATTEMPTS):
        try:
            with reading(path):
                return read()
        except IndexCorruptError as exc:
            vanished = isinstance(exc.__cause__, FileNotFoundError)
            if not vanished or attempt == READ_ATTEMPTS - 1 or not moved_on():
                raise
        time.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")
