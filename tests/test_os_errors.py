"""OS errors are one-line errors (issue 17, item 12, and the stats and first-build parts of item 17)."""

from __future__ import annotations

import errno
import random
import resource
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import main
from searchkit.errors import FileSystemError, IncompleteIndexError
from searchkit.indexing import parallel, store, transaction
from tests.helpers import generated_corpus, write


def _build(tmp_path: Path) -> tuple[Path, Path]:
    corpus = generated_corpus(tmp_path / "corpus", articles=20)
    ix_dir = tmp_path / "ix"
    searchkit.Index.build([corpus], ix_dir, jobs=1).close()
    return corpus, ix_dir


def _hits(ix_dir: Path, text: str = "election") -> list[tuple[str, int]]:
    with searchkit.Index.open(ix_dir) as ix:
        return [(h.article_id, h.paragraph) for h in ix.search(text, limit=50)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE as a full disk")
def test_a_full_disk_is_one_line_exit_2_and_the_index_is_intact(tmp_path: Path) -> None:
    corpus, ix_dir = _build(tmp_path)
    before = _hits(ix_dir)
    biggest = max(f.stat().st_size for f in ix_dir.iterdir() if f.is_file())
    rng = random.Random(5)
    for i in range(30):  # new files of new words make a segment bigger than any file the index has
        words = " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(8)) for _ in range(2000))
        write(corpus, f"big/{i}.txt", f"Big story {i}\n\nThe election. {words}\n")
    limit = biggest + 4096

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    res = subprocess.run(
        [sys.executable, "-m", "searchkit", "index", "--index", str(ix_dir), "--jobs", "1"],
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
    )
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr
    lines = [line for line in res.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "too large" in lines[0] and "nothing was committed" in lines[0], res.stderr
    assert _hits(ix_dir) == before


def test_a_library_write_error_is_a_searchkit_error_saying_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, ix_dir = _build(tmp_path)
    write(corpus, "new.txt", "A new story\n\nAbout the election.\n")

    def full(*_: Any, **__: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(ix_dir / "MAIN_x.seg"))

    monkeypatch.setattr(transaction.Transaction, "commit", full)
    with pytest.raises(FileSystemError, match=r"^no space left on the device: .*MAIN_x\.seg; nothing was committed"):
        searchkit.Index.build([corpus], ix_dir, jobs=1)


def test_a_read_only_folder_is_one_line_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, ix_dir = _build(tmp_path)
    write(corpus, "new.txt", "A new story\n\nAbout the election.\n")

    def read_only(*_: Any, **__: Any) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(ix_dir / "MAIN_WRITELOCK"))

    monkeypatch.setattr(store, "acquire_writer", read_only)
    res = CliRunner().invoke(main, ["index", str(corpus), "--index", str(ix_dir), "--jobs", "1"])
    assert res.exit_code == 2, res.output
    assert "read-only file system" in res.output and "writable" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the patch reaches workers by fork")
def test_a_worker_meeting_a_full_disk_reports_it_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.codec import bulkwrite, probe

    if not probe.layout_known():
        pytest.skip("workers need the bulk writer, which needs the whoosh3 layout it knows")
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_PARAGRAPHS", 5)
    corpus = generated_corpus(tmp_path / "corpus", articles=40)

    def full(self: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "MAIN_w.seg")

    monkeypatch.setattr(bulkwrite.BulkWriter, "flush", full)
    with pytest.raises(FileSystemError, match="no space left"):
        searchkit.Index.build([corpus], tmp_path / "ix", jobs=2)


def test_stats_while_a_commit_deletes_files_reads_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, ix_dir = _build(tmp_path)
    with searchkit.Index.open(ix_dir) as ix:
        ix.stats()
        calls = []
        building = []  # the build below reads last_modified too (change detection): not this read's calls
        real = type(ix._ix).last_modified

        def racing(self: Any) -> float:
            if building:
                return float(real(self))
            calls.append(1)
            if len(calls) == 1:  # a commit lands and deletes what this read was about to open
                write(corpus, "late.txt", "A late story\n\nAbout the election.\n")
                building.append(1)
                searchkit.Index.build([corpus], ix_dir, jobs=1).close()
                building.clear()
                raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(ix_dir / "MAIN_gone.seg"))
            return float(real(self))

        monkeypatch.setattr(type(ix._ix), "last_modified", racing)
        stats = ix.stats()
    assert len(calls) == 2 and stats.articles == 20 + 4 + 1


def test_an_interrupted_first_build_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = generated_corpus(tmp_path / "corpus", articles=10)
    ix_dir = tmp_path / "ix"

    killed = (  # the build process dies just before its first commit
        "import os, sys; from searchkit.indexing import transaction; import searchkit\n"
        "transaction.Transaction.commit = lambda *a, **k: os._exit(9)\n"
        "searchkit.Index.build([sys.argv[1]], sys.argv[2], jobs=1)\n"
    )
    res = subprocess.run([sys.executable, "-c", killed, str(corpus), str(ix_dir)], capture_output=True, text=True)
    assert res.returncode == 9, res.stderr
    assert store.has_index(ix_dir)  # what a kill before the first commit leaves: searchkit.json, no commit
    with pytest.raises(IncompleteIndexError, match=r"first build .* did not finish; build it again \(Index\.build\)"):
        searchkit.Index.open(ix_dir)
    res = CliRunner().invoke(main, ["search", "election", "--index", str(ix_dir)])
    assert res.exit_code == 2
    assert "the first build" in res.output and "did not finish; run `searchkit index` again" in res.output
    searchkit.Index.build([corpus], ix_dir, jobs=1).close()  # the re-run completes it
    assert _hits(ix_dir)
