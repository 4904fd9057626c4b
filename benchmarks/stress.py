"""Stress: every attack of the `benchmarks/stress_*.py` modules, one table row each.

    python benchmarks/stress.py                  # every attack, full size
    python benchmarks/stress.py --quick          # every attack, a few trials each
    python benchmarks/stress.py --only kill      # one module (stress_kill.py) or one attack by name
    python benchmarks/stress.py --only crash --trials 300

Each module `benchmarks/stress_<name>.py` has `attacks()`, a list of
`(name, run)`; `run(workdir, trials)` performs the attack `trials` times in
`workdir` (a fresh empty folder) and returns its counts, e.g. {"trials": 20,
"kills": 20, "lost": 0, "wedged": 0, "bytes": ..., "files": ...}. A module may
set `TRIALS = {name: (full, quick)}`; otherwise an attack runs 10 times (2 with
--quick). The runner prints one row per attack and exits 1 if any count named
lost, wedged, damaged or errors is not zero.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the stress modules import each other by name
if str(HERE.parent) not in sys.path:
    sys.path.insert(1, str(HERE.parent))  # and the tests' harnesses

#: Counts that must be zero.
BAD = ("lost", "wedged", "damaged", "errors")
DEFAULT_TRIALS = (10, 2)

Run = Callable[[Path, int], dict[str, int | float | str]]


def modules() -> list[ModuleType]:
    return [importlib.import_module(p.stem) for p in sorted(HERE.glob("stress_*.py"))]


def selected(only: list[str] | None) -> list[tuple[str, Run, tuple[int, int]]]:
    out = []
    for module in modules():
        short = module.__name__.removeprefix("stress_")
        trials = getattr(module, "TRIALS", {})
        for name, run in module.attacks():
            if not only or short in only or name in only:
                out.append((name, run, trials.get(name, DEFAULT_TRIALS)))
    return out


def run_one(name: str, run: Run, trials: int) -> dict[str, int | float | str]:
    workdir = Path(tempfile.mkdtemp(prefix=f"sk-stress-{name}-"))
    started = time.monotonic()
    try:
        counts = run(workdir, trials)
    except Exception:  # an attack that crashes is a failure to report, not the end of the table
        traceback.print_exc()
        counts = {"trials": trials, "errors": 1}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    counts.setdefault("seconds", round(time.monotonic() - started))
    return counts


def table(rows: list[tuple[str, dict[str, int | float | str]]]) -> str:
    keys: list[str] = []
    for _, counts in rows:
        keys += [k for k in counts if k not in keys and k != "note"]
    header = ["attack", *keys]
    cells = [[name, *(_cell(counts.get(k, "")) for k in keys)] for name, counts in rows]
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *cells]]
    notes = [f"{name}: {counts['note']}" for name, counts in rows if counts.get("note")]
    return "\n".join(lines + notes)


def _cell(value: int | float | str) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a few trials per attack")
    ap.add_argument("--only", action="append", metavar="NAME", help="a module (kill = stress_kill.py) or an attack")
    ap.add_argument("--trials", type=int, default=None, help="trials for every selected attack")
    args = ap.parse_args(argv)
    chosen = selected(args.only)
    if not chosen:
        ap.error(f"no attack named {args.only}")
    rows = []
    for name, run, (full, quick) in chosen:
        trials = args.trials or (quick if args.quick else full)
        print(f"{name}: {trials} trials ...", file=sys.stderr, flush=True)
        rows.append((name, run_one(name, run, trials)))
    print(table(rows))
    failed = [name for name, counts in rows if any(counts.get(k, 0) for k in BAD)]
    print(
        f"stress: {len(rows) - len(failed)}/{len(rows)} attacks clean"
        + (f"; FAILED: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
