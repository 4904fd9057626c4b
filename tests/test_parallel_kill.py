"""Never wedged (issue 17, item 7): killing the parent of a parallel build leaves no worker and no lock.

`searchkit index --jobs 2` runs in a child process over a corpus big enough for
the worker path; once its workers exist, the parent alone is killed (SIGKILL or
SIGTERM) at a random moment. Every worker must be gone soon after, and the next
`searchkit index` must take the lock and finish. benchmarks/stress_kill.py runs
the same trials many more times.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from searchkit.codec import probe
from tests.helpers import WORDS, write

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads process parents from /proc"),
    pytest.mark.skipif(
        not probe.layout_known(), reason="workers need the bulk writer, which needs the whoosh3 layout it knows"
    ),
]

#: Seconds a worker may take to die after its parent (the watchdog's poll is 1 s).
GRACE = 15.0


def big_corpus(folder: Path, megabytes: float = 5.0, seed: int = 3) -> Path:
    """Plain-text articles of random words, over the worker path's threshold (4 MB)."""
    rng = random.Random(seed)
    size, i = 0, 0
    while size < megabytes * 1_000_000:
        paras = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 120))) + "." for _ in range(8)]
        text = f"Article {i} {rng.choice(WORDS)}\n\n" + "\n\n".join(paras) + "\n"
        write(folder, f"d{i % 20}/a{i}.txt", text)
        size += len(text.encode())
        i += 1
    return folder


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a parent that never reaps it counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def searchkit_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "searchkit", *args]


@dataclass
class KillTally:
    trials: int = 0
    kills: int = 0
    wedged: int = 0  # a worker outlived its parent by GRACE seconds
    failed_next: int = 0  # the next run did not succeed
    notes: list[str] = field(default_factory=list)


def kill_trial(
    corpus: Path, index_dir: Path, sig: signal.Signals, rng: random.Random, tally: KillTally, max_delay: float = 0.3
) -> None:
    """One build killed at a random moment after its workers started; then the checks."""
    tally.trials += 1
    proc = subprocess.Popen(
        searchkit_cmd("index", str(corpus), "--index", str(index_dir), "--jobs", "2", "--rebuild"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = children(proc.pid)
        time.sleep(0.01)
    # A random moment early in the workers' life: a quiet host builds this corpus in about two seconds,
    # so a later moment would often find the build finished (nothing killed, nothing proved).
    time.sleep(rng.uniform(0.0, max_delay))
    if proc.poll() is None:
        workers = sorted(set(workers) | set(children(proc.pid)))
        proc.send_signal(sig)
        tally.kills += 1
    proc.wait()
    end = time.monotonic() + GRACE
    while any(alive(w) for w in workers) and time.monotonic() < end:
        time.sleep(0.05)
    survivors = [w for w in workers if alive(w)]
    if survivors:
        tally.wedged += 1
        tally.notes.append(f"{sig.name}: workers {survivors} outlived their parent")
        for w in survivors:  # don't leave them to the next trial
            os.kill(w, signal.SIGKILL)
    nxt = subprocess.run(
        searchkit_cmd("index", str(corpus), "--index", str(index_dir), "--jobs", "2", "--wait", "2"),
        capture_output=True,
        text=True,
    )
    if nxt.returncode != 0:
        tally.failed_next += 1
        tally.notes.append(f"{sig.name}: next run exit {nxt.returncode}: {nxt.stderr.strip()[-300:]}")


def run_kills(workdir: Path, trials: int, sig: signal.Signals, seed: int = 11) -> KillTally:
    corpus = big_corpus(workdir / "corpus")
    rng = random.Random(seed)
    tally = KillTally()
    for _ in range(trials):
        kill_trial(corpus, workdir / "ix", sig, rng, tally)
    return tally


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_the_parent_of_a_parallel_build_leaves_no_worker_and_no_lock(
    tmp_path: Path, sig: signal.Signals
) -> None:
    tally = run_kills(tmp_path, trials=3, sig=sig)
    assert tally.kills >= 1, "the builds finished before they could be killed"
    assert (tally.wedged, tally.failed_next) == (0, 0), tally.notes
