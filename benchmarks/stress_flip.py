"""Stress: random bit flips in a committed index (issue 17, item 13 of the attacks).

Each trial copies a built index, flips one random bit of one random file the
last commit names (segment files and the table of contents, weighted by size),
then runs `Index.check()` and the reference queries. Counted:

- detected: flips `check` reports (IndexCorruptError naming the file);
- refused: flips after which a search stops with a one-line SearchkitError;
- changed: flips after which searches answer differently (hits or scores);
- damaged: flips that `check` did not report (a silently changed result can
  only be one of these);
- errors: searches that ended in anything but a SearchkitError (a traceback).
"""

from __future__ import annotations

import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TRIALS = {"bit-flip": (200, 10)}
QUERIES = ("election", "market prices", '"prime minister"', "storm coast", "minister", "phone music", "judge")


def _answers(index_dir: Path) -> list[object]:
    import searchkit

    with searchkit.Index.open(index_dir) as ix:
        out: list[object] = [[(h.article_id, h.paragraph, round(h.score, 6)) for h in ix.search(q)] for q in QUERIES]
        out.append(ix.show("a001"))
        return out


def bit_flip(workdir: Path, trials: int) -> dict[str, int | float | str]:
    import searchkit
    from searchkit.codec import integrity
    from searchkit.errors import SearchkitError
    from tests.helpers import generated_corpus

    ref = workdir / "ref"
    searchkit.Index.build([generated_corpus(workdir / "corpus", articles=120)], ref, jobs=1).close()
    want = _answers(ref)
    files = sorted(integrity.read_sums(ref))
    sizes = [(ref / f).stat().st_size for f in files]
    rng = random.Random(23)
    counts = {"trials": trials, "detected": 0, "refused": 0, "changed": 0, "damaged": 0, "errors": 0}
    for t in range(trials):
        ix = workdir / f"t{t}"
        shutil.copytree(ref, ix)
        victim = ix / rng.choices(files, weights=sizes)[0]
        data = bytearray(victim.read_bytes())
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        victim.write_bytes(bytes(data))
        try:
            with searchkit.Index.open(ix) as opened:
                opened.check()
        except SearchkitError:
            counts["detected"] += 1
        else:
            counts["damaged"] += 1
            print(f"  bit-flip: check missed a flip in {victim.name}", file=sys.stderr)
        try:
            counts["changed"] += _answers(ix) != want
        except SearchkitError:
            counts["refused"] += 1
        except Exception as exc:  # a traceback where a one-line error was due
            counts["errors"] += 1
            print(f"  bit-flip: {victim.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        shutil.rmtree(ix)
    counts["files"] = len(files)
    counts["bytes"] = sum(sizes)
    return counts


def attacks() -> list[tuple[str, Callable[[Path, int], dict[str, int | float | str]]]]:
    return [("bit-flip", bit_flip)]
