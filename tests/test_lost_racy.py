"""An edit within one timestamp tick of the last update is still seen (issue 17, item 5).

On a file system with 1-second (or FAT's 2-second) timestamps, a same-size
edit made in the tick the file was indexed leaves size and mtime as recorded.
Simulated here by putting the old whole-second mtime back after the edit. The
index stores nothing for it (two builds of one corpus stay identical whenever
they run): files modified within 2 s of the last commit are hashed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from helpers import write

from searchkit import Index
from searchkit.indexing import changes, indexer


def _index_files(index_dir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in index_dir.iterdir() if p.is_file() and p.suffix != ".json"}


def test_same_size_edit_in_the_same_coarse_tick_is_seen(tmp_path: Path) -> None:
    corpus, idx = tmp_path / "c", tmp_path / "ix"
    path = write(corpus, "a.txt", "Coast\n\nThe storm hit the coast on Monday.\n")
    write(corpus, "b.txt", "Other\n\nA quiet day in the council chamber.\n")
    tick = time.time_ns() // 1_000_000_000 * 1_000_000_000  # what a 1-second file system records
    os.utime(path, ns=(tick, tick))
    indexer.update(idx, [corpus])
    files = _index_files(idx)
    assert not indexer.update(idx, [corpus]).changed  # hashed, found equal: still nothing written
    assert _index_files(idx) == files
    path.write_text("Coast\n\nThe flood hit the coast on Monday.\n", encoding="utf-8")  # same size
    os.utime(path, ns=(tick, tick))  # the same tick: size and mtime exactly as recorded
    report = indexer.update(idx, [corpus])
    assert report.updated == 1
    with Index.open(idx) as ix:
        assert [h.article_id for h in ix.search("flood")] == ["a"]


def test_a_settled_file_is_trusted_by_size_and_mtime() -> None:
    now = time.time_ns()
    assert changes.racy(now - 1_000_000_000, now) and changes.racy(now + 5_000_000_000, now)  # recent, or future
    assert not changes.racy(now - changes.RACY_NS - 1, now)
    assert not changes.racy(now, None)  # no index yet: nothing recorded to doubt
