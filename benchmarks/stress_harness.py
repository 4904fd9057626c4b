"""Stress: the "nothing lost" harnesses of the test suite, run longer (attacks for benchmarks/stress.py).

- crash: `searchkit index` killed with SIGKILL at seeded random moments (half of
  them aimed inside the commit); each trial checks the index holds the old or the
  new state exactly, searches as it, and that a re-run equals a clean build
  (tests/test_crash.py). Trials = kills.
- concurrency: searches in threads and processes while a writer commits N times,
  with second writers contending for the lock (tests/test_concurrency.py). Trials = commits.
- fuzz: the hypothesis targets of tests/test_fuzz.py; trials = examples each.
- incremental: the incremental-equals-clean property; trials = change sequences.
- bigfile: a large text file indexed in bounded memory; trials = its size in MB.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SEED = 2024
#: attack -> (trials of a full run, trials of --quick).
TRIALS = {
    "crash": (100, 6),
    "concurrency": (50, 5),
    "incremental": (300, 20),
    "fuzz": (10_000, 200),
    "bigfile": (100, 10),
}


def crash(workdir: Path, trials: int) -> dict[str, int | float | str]:
    from tests.test_crash import prepare, run_trials

    ref = prepare(workdir)
    started = time.monotonic()
    try:
        tally = run_trials(ref, trials, SEED)
    except AssertionError as exc:
        print(f"crash: FAILED: {str(exc)[:500]}", file=sys.stderr)
        return {"trials": trials, "kills": trials, "lost": 1, "errors": 1}
    return {
        "trials": trials,
        "kills": trials,
        "lost": trials - tally.survived,
        "old": tally.state["A"],
        "new": tally.state["B"],
        "seconds": round(time.monotonic() - started),
    }


def concurrency(workdir: Path, trials: int) -> dict[str, int | float | str]:
    from tests.test_concurrency import run_concurrency

    started = time.monotonic()
    out = run_concurrency(workdir, commits=trials, threads=4, processes=3)
    for e in out.errors[:5]:
        print("  concurrency error:", e, file=sys.stderr)
    return {"commits": trials, "errors": len(out.errors), "seconds": round(time.monotonic() - started)}


def _pytest(env_name: str, target: str) -> Callable[[Path, int], dict[str, int | float | str]]:
    def run(workdir: Path, trials: int) -> dict[str, int | float | str]:
        env = dict(os.environ, **{env_name: str(trials)})
        started = time.monotonic()
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", target, "-s", "-o", "addopts="]
        proc = subprocess.run(
            [*cmd, "--hypothesis-show-statistics", f"--basetemp={workdir / 'pytest'}"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        passing = re.findall(r"- during generate phase \([^)]*\): (\d+) passing examples", proc.stdout)
        if proc.returncode != 0:
            print(proc.stdout[-3000:], file=sys.stderr)
        figures = [
            line.lstrip(".") for line in proc.stdout.splitlines() if re.match(r"^\.*(\d+ MB file|10k files):", line)
        ]
        return {
            "trials": trials,
            "passing": sum(int(n) for n in passing),
            "note": "; ".join(figures),
            "errors": int(proc.returncode != 0),
            "seconds": round(time.monotonic() - started),
        }

    return run


def attacks() -> list[tuple[str, Callable[[Path, int], dict[str, int | float | str]]]]:
    return [
        ("crash", crash),
        ("concurrency", concurrency),
        ("incremental", _pytest("SEARCHKIT_INCREMENTAL_EXAMPLES", "tests/test_incremental.py")),
        ("fuzz", _pytest("SEARCHKIT_FUZZ_EXAMPLES", "tests/test_fuzz.py")),
        (
            "bigfile",
            _pytest("SEARCHKIT_BIG_FILE_MB", "tests/test_bad_input.py::test_huge_file_indexes_in_bounded_memory"),
        ),
    ]
