"""A value computed once per searcher (or reader) and forgotten with it.

Folder maps and facet tables are read from a whole index state; a searcher is one
state, so each is built on first use and kept while the searcher lives (a weak key).
The build runs under the lock, so concurrent first uses build it once.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """`memo(key)`: `build(key)` the first time, the same value after, until `key` is gone."""

    def __init__(self, build: Callable[[K], V]) -> None:
        self._build = build
        self._values: weakref.WeakKeyDictionary[K, V] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, key: K) -> V:
        with self._lock:
            found = self._values.get(key)
            if found is None:
                found = self._values[key] = self._build(key)
            return found
