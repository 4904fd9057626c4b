"""codec.columnbytes: byte columns written a chunk at a time hold exactly what Whoosh's writer writes."""

from __future__ import annotations

import zlib
from io import BytesIO
from typing import Any

import pytest
from whoosh.columns import CompressedBytesColumn, VarBytesColumn
from whoosh.filedb.structfile import StructFile

from searchkit.codec import columnbytes
from searchkit.codec.columnbytes import BytesSink


def _written(column: Any, rows: list[tuple[int, bytes]], doccount: int, sink: bool) -> bytes:
    f = BytesIO()
    writer = column.writer(StructFile(f))
    adder = BytesSink.create(writer) if sink else writer
    assert adder is not None
    for docnum, value in rows:
        adder.add(docnum, value)
    if sink:
        adder.flush()
    writer.finish(doccount)
    return f.getvalue()


ROWS = {
    "short values, documents skipped": [(0, b"a"), (1, b""), (3, b"ccc"), (7, b"dd")],
    "lengths over a byte, then over two": [(0, b"x" * 300), (1, b"y"), (2, b"z" * 70_000), (5, b"w")],
    "offsets over two bytes": [(n, b"v" * 500) for n in range(400)],
    "out of order": [(0, b"a"), (2, b"b"), (1, b"c"), (3, b"d")],
}


@pytest.mark.parametrize("rows", ROWS.values(), ids=ROWS.keys())
@pytest.mark.parametrize("chunk", [1, 3, 1024])
@pytest.mark.parametrize(
    "column", [VarBytesColumn(), VarBytesColumn(write_offsets_cutoff=2), CompressedBytesColumn()], ids=repr
)
def test_a_sink_writes_the_writers_bytes(
    column: object, rows: list[tuple[int, bytes]], chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(columnbytes, "CHUNK", chunk)
    doccount = max(d for d, _ in rows) + 3
    assert _written(column, rows, doccount, sink=True) == _written(column, rows, doccount, sink=False)


def test_a_compressed_column_compresses_each_value() -> None:
    f = BytesIO()
    writer = CompressedBytesColumn().writer(StructFile(f))
    sink = BytesSink.create(writer)
    assert sink is not None
    sink.add(0, b"hello" * 20)
    sink.flush()
    assert writer._lengths.array.tolist() == [len(zlib.compress(b"hello" * 20, 3))]
