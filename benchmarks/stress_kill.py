"""Stress: the parent of a parallel build killed at random moments (issue 17, item 7).

`searchkit index --jobs 2 --rebuild` over a 5 MB corpus is started; once its two
workers exist, the parent alone gets SIGKILL (as from the OOM killer) or SIGTERM
(as from a supervisor) after a random delay. Counted: kills that landed, workers
that outlived their parent by 15 s (wedged), and next runs that did not succeed
(errors: the lock still held, or anything else). The harness is
tests/test_parallel_kill.py's, which runs it three times per signal in CI.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TRIALS = {"kill-parent-sigkill": (12, 2), "kill-parent-sigterm": (12, 2)}


def _kills(sig: signal.Signals) -> Callable[[Path, int], dict[str, int | float | str]]:
    def run(workdir: Path, trials: int) -> dict[str, int | float | str]:
        from tests.test_parallel_kill import run_kills

        tally = run_kills(workdir, trials, sig)
        for note in tally.notes[:5]:
            print(f"  {note}", file=sys.stderr)
        corpus = [p for p in (workdir / "corpus").rglob("*") if p.is_file()]
        return {
            "trials": tally.trials,
            "kills": tally.kills,
            "wedged": tally.wedged,
            "errors": tally.failed_next,
            "files": len(corpus),
            "bytes": sum(p.stat().st_size for p in corpus),
        }

    return run


def attacks() -> list[tuple[str, Callable[[Path, int], dict[str, int | float | str]]]]:
    if not sys.platform.startswith("linux"):
        return []  # the harness reads process parents from /proc
    return [("kill-parent-sigkill", _kills(signal.SIGKILL)), ("kill-parent-sigterm", _kills(signal.SIGTERM))]
