"""Stress: the "nothing lost" harnesses of the test suite, run longer.

    python benchmarks/stress.py                      # 100 crash trials, 50 commits, 10,000 fuzz examples each
    python benchmarks/stress.py --crash-trials 300 --fuzz-examples 20000 --seed 7

- crash: `searchkit index` killed with SIGKILL at seeded random moments (half of
  them aimed inside the commit); each trial checks the index holds the old or the
  new state exactly, searches as it, and that a re-run equals a clean build
  (tests/test_crash.py).
- concurrency: searches in threads and processes while a writer commits N times,
  with second writers contending for the lock (tests/test_concurrency.py).
- fuzz: the hypothesis targets of tests/test_fuzz.py with N examples each.
- incremental: the incremental-equals-clean property with more sequences.
- bigfile: a 100 MB text file indexed, with its time and peak memory.

Prints one figure per line; the last line is the headline figure. Exit status 1
if any check failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def crash(trials: int, seed: int) -> bool:
    from tests.test_crash import prepare, run_trials

    with tempfile.TemporaryDirectory(prefix="sk-stress-crash-") as tmp:
        ref = prepare(Path(tmp))
        started = time.monotonic()
        try:
            tally = run_trials(ref, trials, seed)
        except AssertionError as exc:
            print(f"crash: FAILED after some trials: {exc}")
            return False
        print(tally.line() + f" ({time.monotonic() - started:.0f} s)")
        return tally.survived == trials


def concurrency(commits: int) -> bool:
    from tests.test_concurrency import run_concurrency

    with tempfile.TemporaryDirectory(prefix="sk-stress-conc-") as tmp:
        started = time.monotonic()
        out = run_concurrency(Path(tmp), commits=commits, threads=4, processes=3)
        print(out.line(commits) + f" ({time.monotonic() - started:.0f} s)")
        for e in out.errors[:5]:
            print("  error:", e)
        return not out.errors


def pytest_with(env_name: str, value: int, target: str, label: str) -> bool:
    env = dict(os.environ, **{env_name: str(value)})
    started = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            target,
            "-s",
            "-o",
            "addopts=",
            "--hypothesis-show-statistics",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    counts = re.findall(r"(\S+\.py::\S+):\n\n\s+- during generate phase \([^)]*\): (\d+) passing examples", proc.stdout)
    for line in proc.stdout.splitlines():
        if line.startswith(("10k files:", f"{value} MB file:")):
            print(f"{label}: {line.lstrip('.')}")
    for name, n in counts:
        print(f"{label}: {name.split('::')[-1]} {int(n):,} passing examples")
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-500:]
    print(f"{label}: {summary} ({time.monotonic() - started:.0f} s)")
    if proc.returncode != 0:
        print(proc.stdout[-3000:])
    return proc.returncode == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--crash-trials", type=int, default=100)
    ap.add_argument("--concurrency-commits", type=int, default=50)
    ap.add_argument("--fuzz-examples", type=int, default=10_000)
    ap.add_argument("--incremental-examples", type=int, default=300)
    ap.add_argument("--big-file-mb", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--only", choices=["crash", "concurrency", "fuzz", "incremental", "bigfile"], action="append")
    args = ap.parse_args(argv)
    only = set(args.only or ["crash", "concurrency", "fuzz", "incremental", "bigfile"])
    ok = {}
    if "crash" in only:
        ok["crash"] = crash(args.crash_trials, args.seed)
    if "concurrency" in only:
        ok["concurrency"] = concurrency(args.concurrency_commits)
    if "incremental" in only:
        ok["incremental"] = pytest_with(
            "SEARCHKIT_INCREMENTAL_EXAMPLES", args.incremental_examples, "tests/test_incremental.py", "incremental"
        )
    if "fuzz" in only:
        ok["fuzz"] = pytest_with("SEARCHKIT_FUZZ_EXAMPLES", args.fuzz_examples, "tests/test_fuzz.py", "fuzz")
    if "bigfile" in only:
        ok["bigfile"] = pytest_with(
            "SEARCHKIT_BIG_FILE_MB",
            args.big_file_mb,
            "tests/test_bad_input.py::test_huge_file_indexes_in_bounded_memory",
            "bigfile",
        )
    failed = [k for k, v in ok.items() if not v]
    print(
        f"stress: {len(ok) - len(failed)}/{len(ok)} harnesses passed"
        + (f"; FAILED: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
