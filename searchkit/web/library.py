"""The one open `Index` a server shares between requests, opened lazily and reopened after damage.

Each request borrows the Index under a lock: the library keeps one Whoosh searcher
and refreshes it when another process commits, so a request always sees the latest
commit. If the index is missing the server still starts and answers 503 until it
appears; if reading finds it damaged or of another schema, it is closed so the next
request opens it afresh (after a rebuild, that just works).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from searchkit.api import Index
from searchkit.errors import IndexCorruptError, IndexNotFoundError, SchemaMismatchError

T = TypeVar("T")


class Library:
    """A lazily opened, shared, read-only `Index` at `path`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._index: Index | None = None
        self._lock = threading.Lock()

    def use(self, work: Callable[[Index], T]) -> T:
        """Run `work` with the open Index (raises the library's errors)."""
        with self._lock:
            if self._index is None:
                self._index = Index.open(self.path)
            try:
                return work(self._index)
            except (IndexCorruptError, SchemaMismatchError, IndexNotFoundError):
                self._drop()
                raise

    def _drop(self) -> None:
        index, self._index = self._index, None
        if index is not None:
            try:
                index.close()
            except Exception:  # noqa: BLE001 - a damaged index may fail to close; it is dropped either way
                pass

    def close(self) -> None:
        with self._lock:
            self._drop()
