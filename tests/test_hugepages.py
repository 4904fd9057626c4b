"""Segments are written with numpy's huge-page advice off, and the caller's setting comes back after."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit.codec import hugepages, probe
from searchkit.indexing import indexer
from tests.helpers import write


def test_small_pages_turns_the_advice_off_and_restores_it() -> None:
    if hugepages._SET is None:
        pytest.skip("this numpy has no huge-page switch")
    before = hugepages._SET(True)
    try:
        with hugepages.small_pages():
            assert hugepages._SET(False) is False  # off inside
        assert hugepages._SET(True) is True  # back on after
        with pytest.raises(RuntimeError), hugepages.small_pages():
            raise RuntimeError
        assert hugepages._SET(True) is True  # restored on the way out of an error too
    finally:
        hugepages._SET(before)


@pytest.mark.skipif(not probe.layout_known(), reason="segments are written by the bulk writer only on whoosh3's layout")
def test_a_build_writes_its_segments_with_small_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []

    def record(enabled: bool) -> bool:
        calls.append(enabled)
        return True

    monkeypatch.setattr(hugepages, "_SET", record)
    corpus = tmp_path / "corpus"
    write(corpus, "a.txt", "A headline\n\nSome text about AT&T and 9/11, said Jo Bloggs.\n")
    indexer.update(tmp_path / "ix", [corpus], rebuild=True)
    assert calls[:2] == [False, True]  # off while the segment was written, then as it was
