"""A Whoosh segment writer on a write lock its caller already holds.

`FileIndex.writer()` takes the index's write lock itself (waiting its own way)
and opens its segment files at once. searchkit takes the lock first, with its
own wait and error, and removes what killed writers left behind before any
file of the new writer exists (`indexing.store.acquire_writer`). Whoosh's
SegmentWriter allows that only through a private keyword, so it lives here.
"""

from __future__ import annotations

from typing import Any

from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter


def writer_holding(ix: FileIndex, lock: Any, limitmb: int) -> SegmentWriter:
    """A SegmentWriter of `ix` that owns `lock` (already acquired): its commit or cancel releases it."""
    writer = SegmentWriter(ix, _lk=False, limitmb=limitmb)
    writer.writelock = lock
    return writer
