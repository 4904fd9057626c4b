"""The guards around `Index`'s methods: reads inside the damage guard, writes with their OS errors mapped.

`guarded` runs a reading method through `damage.retrying`: damaged files met
while reading become an `IndexCorruptError` that says to rebuild, and a file a
commit deleted under the read is read again from the new commit. `writes` turns
an OSError of a write (disk full, read-only) into a `FileSystemError`, and
damage met by an update's reads into an `IndexCorruptError`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from searchkit.errors import IndexCorruptError, SearchkitError
from searchkit.indexing import store
from searchkit.search import damage

if TYPE_CHECKING:
    from searchkit.api import Index

_P = ParamSpec("_P")
_R = TypeVar("_R")


def guarded(method: Callable[Concatenate[Index, _P], _R]) -> Callable[Concatenate[Index, _P], _R]:
    """Run a reading method inside the index's damage guard."""

    @functools.wraps(method)
    def wrapper(self: Index, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if self._closed:
            # Whoosh would quietly reopen its files; a closed Index must not read.
            raise SearchkitError(f"the Index of {self.path} is closed; open it again (Index.open)")
        # A commit may delete files under a read (stats reads every stored paragraph): read again.
        return damage.retrying(self.path, lambda: method(self, *args, **kwargs), self._moved_on)

    return wrapper


def writes(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a method that writes the index: an OSError (disk full, read-only, ...) becomes a FileSystemError,
    damage met reading the index an IndexCorruptError."""

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with store.os_errors(wrote=True):
            try:
                return method(*args, **kwargs)
            except damage.DAMAGE as exc:  # an update reads the index too (what it holds of each file)
                if isinstance(exc, OSError):
                    raise
                raise IndexCorruptError(
                    f"the index is damaged ({type(exc).__name__}: {exc}); rebuild it (rebuild=True)"
                ) from exc

    return wrapper
