"""Files skipped for a reason that can change are retried on every update (issue 17, item 2)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import write

from searchkit.indexing import indexer
from searchkit.ingest.articles import SourceFile

PAGE = "<html><head><title>Harbour reopens</title></head><body><article><p>{}</p></article></body></html>"
BODY = "The harbour reopened on Monday after a month of repairs to the sea wall, the council said. " * 3


def _index_files(index_dir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in index_dir.iterdir() if p.is_file() and p.suffix != ".json"}


def _messages(report: indexer.IndexReport) -> list[str]:
    return [str(w) for w in report.warnings]


def test_html_skipped_without_the_extra_is_indexed_once_it_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("trafilatura", reason="needs the html extra")
    corpus, idx = tmp_path / "c", tmp_path / "ix"
    write(corpus, "a.txt", "Plain story\n\nSome words about the town council budget.\n")
    write(corpus, "page.html", PAGE.format(BODY))
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "trafilatura", None)  # the extra is not installed
        first = indexer.update(idx, [corpus])
        assert first.added == 1 and any("page.html: HTML support is not installed" in w for w in _messages(first))
        files = _index_files(idx)
        again = indexer.update(idx, [corpus])  # still missing: the warning again, and nothing written
        assert not again.changed and any("page.html: HTML support" in w for w in _messages(again))
        assert _index_files(idx) == files
    installed = indexer.update(idx, [corpus])  # today: "nothing to do" until --rebuild
    assert installed.added == 1 and not installed.warnings
    assert not indexer.update(idx, [corpus]).changed


def test_unreadable_file_is_indexed_once_readable_without_being_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, idx = tmp_path / "c", tmp_path / "ix"
    write(corpus, "a.txt", "Plain story\n\nSome words about the town council budget.\n")
    locked = write(corpus, "locked.txt", "Locked story\n\nWords about the harbour wall.\n")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    with monkeypatch.context() as m:
        m.setattr(Path, "read_bytes", read_bytes)
        files = None
        for _ in range(2):
            report = indexer.update(idx, [corpus])
            assert "locked.txt: cannot be read (Permission denied); fix its permissions" in _messages(report)
            assert files is None or _index_files(idx) == files  # still failing: retried, and nothing written
            files = _index_files(idx)
    assert locked.exists()
    report = indexer.update(idx, [corpus])
    assert report.added == 1 and not report.warnings


def test_a_file_deleted_during_the_run_is_reported_as_vanished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, idx = tmp_path / "c", tmp_path / "ix"
    write(corpus, "a.txt", "Plain story\n\nSome words about the town council budget.\n")
    gone = write(corpus, "gone.txt", "Gone story\n\nWords about the harbour wall.\n")
    real = indexer.find_sources

    def find_then_delete(paths: list[str]) -> tuple[list[SourceFile], list[object]]:
        found = real(paths)
        gone.unlink()  # after the walk listed it, before it is read
        return found

    monkeypatch.setattr(indexer, "find_sources", find_then_delete)
    report = indexer.update(idx, [corpus])
    assert _messages(report) == ["gone.txt: vanished while being indexed (deleted or moved); skipped"]
    monkeypatch.undo()
    write(corpus, "gone.txt", "Gone story\n\nWords about the harbour wall.\n")  # put back (e.g. an editor's save)
    assert indexer.update(idx, [corpus]).added == 1
