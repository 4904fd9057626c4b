"""A bounded cache for functions of one string: the extractor's per-word and per-name answers.

News text repeats the same words and names over and over, so their analysis is
worth keeping. The bounds keep the memory small: a rare huge token is worked out
afresh instead of being held on to, and a full cache simply starts over. The
cached function is the cache's own `__getitem__`, so a hit runs no Python code.

This module is never compiled (see `native`): mypyc compiles neither a class
inside a function nor a subclass of dict, and the hit path is C either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

_T = TypeVar("_T")


class _Cache(dict[str, _T]):
    """fn's answers by argument; a miss asks fn and keeps the answer if the argument is short."""

    def __init__(self, fn: Callable[[str], _T], maxsize: int, maxlen: int) -> None:
        super().__init__()
        self._fn = fn
        self._maxsize = maxsize
        self._maxlen = maxlen

    def __missing__(self, s: str) -> _T:
        value = self._fn(s)
        if len(s) <= self._maxlen:
            if len(self) >= self._maxsize:
                self.clear()
            self[s] = value
        return value


def memo(maxsize: int, maxlen: int) -> Callable[[Callable[[str], _T]], Callable[[str], _T]]:
    """Cache a function of one string, for strings of at most `maxlen` characters, `maxsize` at most."""

    def wrap(fn: Callable[[str], _T]) -> Callable[[str], _T]:
        return _Cache(fn, maxsize, maxlen).__getitem__

    return wrap
