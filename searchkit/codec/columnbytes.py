"""Variable-length byte columns (stored fields, an ID's sort column) written a chunk at a time.

Whoosh's VarBytesColumn writer spends several Python calls on every
document's value: a fill for skipped documents, a write, and an append to each
of two growable arrays (lengths and offsets). `BytesSink` collects the values
and hands a chunk of them to the writer at once: one write of their bytes
joined, and each array extended by one C-level call, leaving the writer as its
own `add` would have, value after value (the arrays widen as Whoosh's do:
`_extend`). The column's bytes are the same.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from whoosh.columns import CompressedBytesColumn, VarBytesColumn

#: Values held before they are handed to the writer.
CHUNK = 1024


class BytesSink:
    """`add(docnum, value)` for a VarBytesColumn (or CompressedBytesColumn) writer; `flush()` before it finishes."""

    def __init__(self, writer: Any, compress: Callable[[bytes], bytes] | None) -> None:
        self.writer = writer
        self.compress = compress
        self.values: list[bytes] = []
        self.next = writer._count  # the document the next value is for, if none is skipped

    @classmethod
    def create(cls, writer: Any) -> BytesSink | None:
        """A sink for `writer`, or None for a writer of another kind (its own `add` is then used)."""
        kind = type(writer)
        if kind is CompressedBytesColumn.Writer:
            compress, level = writer._compress, writer._level
            return cls(writer, lambda value: compress(value, level))
        if kind is VarBytesColumn.Writer:
            return cls(writer, None)
        return None

    def add(self, docnum: int, value: bytes) -> None:
        if docnum < self.next:  # out of order: never from the bulk writer; the writer's own add decides
            self.flush()
            self.writer.add(docnum, value)
            self.next = self.writer._count
            return
        if docnum > self.next:  # skipped documents: what the writer's fill() gives them, an empty value
            self.values += [b""] * (docnum - self.next)
        self.values.append(self.compress(value) if self.compress is not None else value)
        self.next = docnum + 1
        if len(self.values) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Hand the values held to the writer."""
        values, self.values = self.values, []
        if not values:
            return
        w = self.writer
        lengths = list(map(len, values))
        offsets = list(accumulate(lengths, initial=w._offset_base))
        end = offsets.pop()
        _extend(w._lengths, lengths)
        _extend(w._offsets, offsets)
        w._dbfile.write(b"".join(values))
        w._offset_base = end
        w._count = self.next


def _extend(grown: Any, numbers: list[int]) -> None:
    """Append `numbers` to a Whoosh GrowableArray, widening it as its own append would."""
    current = grown.array
    if isinstance(current, array):
        try:
            more = array(current.typecode, numbers)
        except OverflowError:  # a wider type is needed: Whoosh's own widening, number by number
            pass
        else:
            current.extend(more)
            return
    grown.extend(numbers)
