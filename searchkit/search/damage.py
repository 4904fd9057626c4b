"""The damage guard: errors met while reading a damaged index become one IndexCorruptError.

A truncated or overwritten segment file shows up in the middle of a search as
whatever the reading code trips on (an OSError, a short read, a bad pickle, a
zlib stream or struct that does not decode). Every read of an open index (search,
show, similar, stats) goes through `reading`, so the caller always gets the same
error, saying what to do in library terms.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from searchkit.errors import IndexCorruptError

#: What reading a damaged index raises from below Whoosh's API.
DAMAGE = (EOFError, OSError, struct.error, zlib.error, pickle.UnpicklingError)


def damaged(path: str | Path, exc: BaseException) -> IndexCorruptError:
    """The error for an index found damaged while reading it."""
    return IndexCorruptError(f"the index in {path} is damaged ({type(exc).__name__}: {exc}); rebuild it (rebuild=True)")


@contextmanager
def reading(path: str | Path) -> Iterator[None]:
    """Run a read of the index in `path`; damage found meanwhile raises IndexCorruptError."""
    try:
        yield
    except DAMAGE as exc:
        raise damaged(path, exc) from exc
