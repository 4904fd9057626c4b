"""Writing a segment with numpy's huge-page advice off: fresh memory is cheaper to touch in small pages.

numpy asks the kernel for transparent huge pages (`madvise(MADV_HUGEPAGE)`) on
every array of 4 MB or more. Writing a segment makes dozens of such arrays,
each used once (token, document and position arrays of millions of entries,
their sort orders and regroupings), and on a host whose memory is fragmented
the kernel compacts memory to find each huge page: touching a fresh 128 MB
took 15-700 ms with the advice and 60-120 ms without it, and a 100k-paragraph
segment was written in 3.6-3.7 s instead of 4.7-5.0 (benchmarks/README.md,
sixth speed pass). The arrays and the bytes written are the same either way.

`small_pages()` turns the advice off for a block and restores what it was
(numpy's own switch, also set by the NUMPY_MADVISE_HUGEPAGE environment
variable); a numpy without that switch is left alone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast


def _switch() -> Callable[[bool], Any] | None:
    """numpy's setter of the huge-page advice (it returns the previous setting), or None."""
    for module in ("numpy._core.multiarray", "numpy.core.multiarray"):  # numpy 2, then 1
        try:
            found = getattr(importlib.import_module(module), "_set_madvise_hugepage", None)
        except ImportError:
            continue
        if callable(found):
            return cast("Callable[[bool], Any]", found)
    return None


_SET = _switch()


@contextmanager
def small_pages() -> Iterator[None]:
    """numpy's huge-page advice off inside the block, as it was after it."""
    if _SET is None:
        yield
        return
    previous = bool(_SET(False))
    try:
        yield
    finally:
        _SET(previous)
