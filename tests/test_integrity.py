"""Integrity (issue 17, item 13): commits are fsynced before they are visible, checksummed, and checked."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import main
from searchkit.codec import integrity, probe
from searchkit.errors import IndexCorruptError
from searchkit.indexing import parallel
from tests.helpers import generated_corpus, write


def _build(tmp_path: Path, jobs: int = 1) -> tuple[Path, Path]:
    corpus = generated_corpus(tmp_path / "corpus", articles=30)
    ix_dir = tmp_path / "ix"
    searchkit.Index.build([corpus], ix_dir, jobs=jobs).close()
    return corpus, ix_dir


def _generation(ix_dir: Path) -> int:
    return max(int(p.stem.rsplit("_", 1)[1]) for p in ix_dir.glob("_MAIN_*.toc"))


def _live_files(ix_dir: Path) -> list[Path]:
    return [ix_dir / name for name in integrity.read_sums(ix_dir)]


def _flip(path: Path, at: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0x10
    path.write_bytes(bytes(data))


def test_every_committed_file_has_a_checksum_and_check_passes(tmp_path: Path) -> None:
    _, ix_dir = _build(tmp_path)
    files = _live_files(ix_dir)
    assert files and all(f.exists() for f in files)
    with searchkit.Index.open(ix_dir) as ix:
        found = ix.check()
    assert found.files == len(files) and found.unrecorded == () and found.bytes > 0
    res = CliRunner().invoke(main, ["check", "--index", str(ix_dir)])
    assert res.exit_code == 0 and res.output.startswith("ok:"), res.output


@pytest.mark.skipif(not probe.layout_known(), reason="workers need the bulk writer (whoosh3 layout)")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")
def test_a_parallel_build_and_its_updates_are_checksummed_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_PARAGRAPHS", 5)
    corpus, ix_dir = _build(tmp_path, jobs=2)
    write(corpus, "late.txt", "A late story\n\nAbout the election.\n")
    (corpus / "txt/1.txt").unlink()
    searchkit.Index.build([corpus], ix_dir, jobs=2, prune=True).close()
    with searchkit.Index.open(ix_dir) as ix:
        assert ix.check().unrecorded == ()
    assert set(integrity.read_sums(ix_dir)) == {p.name for p in _live_files(ix_dir)}


@pytest.mark.parametrize("kind", ["segment", "toc"])
def test_a_flipped_bit_is_found_by_check(tmp_path: Path, kind: str) -> None:
    _, ix_dir = _build(tmp_path)
    victim = max(_live_files(ix_dir), key=lambda p: (p.suffix == ".toc") == (kind == "toc"))
    _flip(victim, at=0.999)  # (the end of a table of contents is the segment list; opening still works)
    named = victim.name if kind == "segment" else ""  # a garbled table of contents may not even open
    with pytest.raises(IndexCorruptError, match=rf"damaged.*{named}.*rebuild it"):
        with searchkit.Index.open(ix_dir) as ix:
            ix.check()
    res = CliRunner().invoke(main, ["check", "--index", str(ix_dir)])
    assert res.exit_code == 2 and named in res.output and "searchkit index --rebuild" in res.output


def test_an_update_refuses_to_commit_on_top_of_a_damaged_file(tmp_path: Path) -> None:
    corpus, ix_dir = _build(tmp_path)
    # A posting file: an update does not read it, so only its checksum can tell.
    victim = max(_live_files(ix_dir), key=lambda p: (p.suffix == ".pst", p.stat().st_size))
    _flip(victim)
    before = _generation(ix_dir)
    write(corpus, "late.txt", "A late story\n\nAbout the election.\n")
    with pytest.raises(IndexCorruptError, match=rf"{victim.name} fail.* checksums.*rebuild it"):
        searchkit.Index.build([corpus], ix_dir, jobs=1)
    assert _generation(ix_dir) == before
    searchkit.Index.build([corpus], ix_dir, jobs=1, rebuild=True).close()  # the advice works
    with searchkit.Index.open(ix_dir) as ix:
        assert ix.check().files > 0


def test_an_index_without_checksums_still_checks(tmp_path: Path) -> None:
    _, ix_dir = _build(tmp_path)
    (ix_dir / integrity.SUMS_FILE).unlink()
    with searchkit.Index.open(ix_dir) as ix:
        found = ix.check()
    assert found.files == 0 and found.unrecorded


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="names descriptors through /proc")
def test_segment_files_and_the_toc_are_fsynced_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", articles=10)
    ix_dir = tmp_path / "ix"
    events: list[tuple[str, str]] = []
    real_fsync, real_rename = os.fsync, os.rename

    def fsync(fd: int) -> None:
        events.append(("fsync", os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))))
        real_fsync(fd)

    def rename(src: Any, dst: Any, **kw: Any) -> None:
        events.append(("rename", os.path.basename(os.fspath(dst))))
        real_rename(src, dst, **kw)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "rename", rename)
    searchkit.Index.build([corpus], ix_dir, jobs=1).close()
    monkeypatch.undo()
    toc = f"_MAIN_{_generation(ix_dir)}.toc"
    renamed_at = events.index(("rename", toc))
    synced = {name for kind, name in events[:renamed_at] if kind == "fsync"}
    assert {p.name for p in _live_files(ix_dir) if p.suffix != ".toc"} <= synced
    assert any(name.startswith(toc + ".") for name in synced)  # the table of contents, before its rename
    assert ("fsync", ix_dir.name) in events[renamed_at:]  # and the folder after it


def test_a_garbled_checksum_record_is_damage_not_silence(tmp_path: Path) -> None:
    _, ix_dir = _build(tmp_path)
    sums = ix_dir / integrity.SUMS_FILE
    sums.write_text(sums.read_text()[:-5])
    with searchkit.Index.open(ix_dir) as ix, pytest.raises(IndexCorruptError, match="MAIN.sums is unreadable"):
        ix.check()
