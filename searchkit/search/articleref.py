"""Which article a person means: an id, the path a hit prints, or a file path under an indexed root.

An article's id is its path relative to the folder indexed, without the suffix
(`politics/191` for `politics/191.txt`), or a JSONL record's `id`. People copy
what they see: the printed path (`politics/191.txt`), or a path from their shell
(`corpus/politics/191.txt`, `./corpus/politics/191.txt`, an absolute path). Each
is tried as ids from the longest tail of its path down, so the indexed root need
not be known. When nothing fits, `closest` gives the ids that look most alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePath


def candidates(ref: str) -> Iterator[str]:
    """The ids `ref` may mean, most literal first (without repeats)."""
    seen: set[str] = set()
    parts = PurePath(ref.replace("\\", "/")).parts
    tails = ["/".join(p for p in parts[i:] if p not in ("/", ".")) for i in range(len(parts))]
    for text in [ref, *tails]:
        for form in (text, _without_suffix(text)):
            if form and form not in seen:
                seen.add(form)
                yield form


def _without_suffix(path: str) -> str:
    head, _, last = path.rpartition("/")
    stem = PurePath(last).stem if PurePath(last).suffix else last
    return f"{head}/{stem}" if head else stem


def resolve(ref: str, exists: Callable[[str], bool]) -> str | None:
    """The first of `ref`'s candidate ids that `exists`, or None."""
    return next((c for c in candidates(ref) if exists(c)), None)


def closest(ref: str, ids: Iterable[str], n: int = 3) -> list[str]:
    """Up to `n` ids most like `ref` (or like the id its path would give)."""
    pool = list(ids)
    found = difflib.get_close_matches(ref, pool, n=n, cutoff=0.6)
    return found or difflib.get_close_matches(_without_suffix(ref), pool, n=n, cutoff=0.6)
