"""Stress: updates that run out of disk (issue 17, items 12 and 14 of the attacks).

Each trial puts an index on a small file system and runs `searchkit index` to
add a root of new articles that may or may not fit: on a tmpfs of a random size
between the index's and three times the updated index's (when this process may
mount one: root on Linux), else under a random RLIMIT_FSIZE (a per-file limit
that fails writes with EFBIG, the same path through the code). Counted:

- refused: runs that stopped (exit 2); their stderr must be one `Error:` line
  and no traceback (else errors);
- committed: runs that fit (exit 0);
- lost: the index afterwards does not answer as the old state (refused) or the
  new one (committed), or the re-run with room to spare does not give the new state;
- damaged: `searchkit check` fails afterwards.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TRIALS = {"disk-full": (30, 4)}
QUERIES = ("election", "market prices", "storm coast", "minister", "phone music")


def _corpus(workdir: Path) -> tuple[Path, Path]:
    from tests.helpers import generated_corpus, write

    base = generated_corpus(workdir / "base", articles=60)
    rng = random.Random(9)
    extra = workdir / "extra"
    for i in range(60):  # new words: the update writes a segment as big as the base index
        words = " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(600))
        write(extra, f"x{i}.txt", f"Extra story {i} about the election\n\n{words}\n\nThe market and the storm.\n")
    return base, extra


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _answers(index_dir: Path) -> list[list[tuple[str, int]]]:
    """Every paragraph each query matches (what the index holds, whatever the scores)."""
    import searchkit

    with searchkit.Index.open(index_dir) as ix:
        return [sorted((h.article_id, h.paragraph) for h in ix.search(q, limit=100_000)) for q in QUERIES]


def _cli(*args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def small() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    cmd = [sys.executable, "-m", "searchkit", *args]
    return subprocess.run(cmd, capture_output=True, text=True, preexec_fn=small, timeout=600)


def _can_mount(where: Path) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True)
    if ok.returncode == 0:
        subprocess.run(["umount", str(where)], check=True)
    return ok.returncode == 0


class _Disk:
    """A small file system at `where`: a tmpfs of `size` bytes, or a per-file limit for the writer."""

    def __init__(self, where: Path, tmpfs: bool) -> None:
        self.where, self.tmpfs, self.limit = where, tmpfs, None

    def make(self, size: int) -> None:
        self.where.mkdir(parents=True, exist_ok=True)
        if self.tmpfs:
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(self.where)], check=True)
        else:
            self.limit = size

    def grow(self) -> None:
        if self.tmpfs:
            subprocess.run(["mount", "-o", "remount,size=256m", str(self.where)], check=True)
        self.limit = None

    def drop(self) -> None:
        if self.tmpfs:
            subprocess.run(["umount", str(self.where)], check=True)
        shutil.rmtree(self.where, ignore_errors=True)


def disk_full(workdir: Path, trials: int) -> dict[str, int | float | str]:
    base, extra = _corpus(workdir)
    ref_old, ref_new = workdir / "old", workdir / "new"
    for ref, roots in ((ref_old, [base]), (ref_new, [base, extra])):
        done = _cli("index", *map(str, roots), "--index", str(ref), "--jobs", "1", "-q")
        assert done.returncode == 0, done.stderr
    old, new = _answers(ref_old), _answers(ref_new)
    disk = _Disk(workdir / "disk", _can_mount(workdir / "disk"))
    rng = random.Random(17)
    counts = {"trials": trials, "refused": 0, "committed": 0, "lost": 0, "damaged": 0, "errors": 0}
    for _ in range(trials):
        lo, hi = _size(ref_old), 3 * _size(ref_new)
        disk.make(rng.randint(int(lo * 1.2) + 65536, hi) if disk.tmpfs else rng.randint(4096, _size(ref_new)))
        try:
            _trial(disk, ref_old, base, extra, (old, new), counts)
        finally:
            disk.drop()
    counts["mode"] = "tmpfs" if disk.tmpfs else "RLIMIT_FSIZE"
    counts["files"] = len([p for p in extra.rglob("*") if p.is_file()])
    counts["bytes"] = _size(extra)
    return counts


def _trial(disk: _Disk, ref_old: Path, base: Path, extra: Path, states: tuple, counts: dict) -> None:
    ix = disk.where / "ix"
    shutil.copytree(ref_old, ix)
    res = _cli("index", str(base), str(extra), "--index", str(ix), "--jobs", "1", "-q", limit=disk.limit)
    if res.returncode == 2:
        counts["refused"] += 1
        errors = [line for line in res.stderr.splitlines() if line.startswith("Error:")]
        if "Traceback" in res.stderr or len(errors) != 1:
            counts["errors"] += 1
            print(f"  disk-full: {res.stderr.strip()[-400:]}", file=sys.stderr)
    elif res.returncode == 0:
        counts["committed"] += 1
    else:
        counts["errors"] += 1
        print(f"  disk-full: exit {res.returncode}: {res.stderr.strip()[-400:]}", file=sys.stderr)
    disk.grow()
    if _answers(ix) != states[res.returncode == 0]:
        counts["lost"] += 1
    if _cli("check", "--index", str(ix)).returncode != 0:
        counts["damaged"] += 1
    again = _cli("index", str(base), str(extra), "--index", str(ix), "--jobs", "1", "-q")
    if again.returncode != 0 or _answers(ix) != states[1]:
        counts["lost"] += 1


def attacks() -> list[tuple[str, Callable[[Path, int], dict[str, int | float | str]]]]:
    return [("disk-full", disk_full)]
