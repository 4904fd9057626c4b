"""The zlib streams searchkit writes: made by ISA-L where installed, always readable by zlib."""

from __future__ import annotations

import importlib
import platform
import sys
import zlib

import pytest

from searchkit.codec import deflate


@pytest.mark.parametrize("size", [0, 1, 100, 900, 5000, 300_000])
def test_streams_are_zlib_streams(size: int) -> None:
    data = (b"the minister said the budget would rise " * (size // 40 + 1))[:size]
    for level in (1, 3, 6):
        assert zlib.decompress(deflate.compress(data, level)) == data
    stored = deflate.compress(data, 0)
    assert zlib.decompress(stored) == data
    assert len(stored) >= len(data)  # level 0 stores, as zlib's does


@pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64", "aarch64", "arm64"),
    reason="isal is only a dependency where it has wheels",
)
def test_isal_is_used_where_it_is_a_dependency() -> None:
    assert deflate.BACKEND == "isal"
    assert deflate.compress is not zlib.compress


def test_without_isal_zlib_does_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "isal", None)  # import isal now fails
    try:
        fallback = importlib.reload(deflate)
        assert fallback.BACKEND == "zlib"
        assert fallback.compress is zlib.compress
    finally:
        monkeypatch.undo()
        importlib.reload(deflate)
