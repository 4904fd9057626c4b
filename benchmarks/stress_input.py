"""Stress attacks on the input side: what a corpus can throw at searchkit, each with counts and nothing lost.

Run by `benchmarks/stress.py` (which imports every `stress_*.py` module and calls
`attacks()`), or on its own: ``python benchmarks/stress_input.py [--quick] [--only NAME]``.
Each attack is `run(workdir, trials) -> counts`, working inside the fresh folder `workdir`:

- bad-names: files whose names are not valid UTF-8, among good ones; every file indexed.
- surrogates: JSON Lines records with lone surrogate escapes; every record indexed, found and shown.
- long-words: queries of one 10,000-character word (and a few); seconds per query, errors.
- big-file: one text file of 100 MB (10 MB with fewer than 5 trials) indexed in a child
  process; its peak memory (``peak_mb``) and every paragraph indexed.
- short-boilerplate: articles whose only paragraphs are closing lines repeated across the
  corpus; every article indexed, whole.
- id-collisions: random change sequences over files whose article ids collide (x.txt and
  x.md, one JSONL id in two files, two roots with the same paths); an incremental update
  must equal a clean build after every step (``lost`` counts the steps where it did not).

Counts named lost, wedged, damaged or errors make the runner fail when non-zero.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import searchkit  # noqa: E402
from searchkit.indexing import indexer  # noqa: E402

Counts = dict[str, int | float | str]
WORDS = "council budget storm flood court trial minister vote market bank river police school said year".split()


def _story(rng: random.Random, n: int = 3) -> str:
    return "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))) + "." for _ in range(n))


def _articles(index_dir: Path) -> dict[str, int]:
    """article id -> paragraphs held."""
    with searchkit.Index.open(index_dir) as ix:
        found: dict[str, int] = {}
        for d in ix.searcher().documents(kind="p"):
            found[d["article_id"]] = found.get(d["article_id"], 0) + 1
        return found


def bad_names(workdir: Path, trials: int) -> Counts:
    rng = random.Random(1)
    corpus = workdir / "c"
    corpus.mkdir()
    names = 0
    for i in range(trials):
        raw = b"bad-\xff%d-\xe9.txt" % i if i % 2 else b"good-%d.txt" % i
        with open(os.path.join(os.fsencode(corpus), raw), "wb") as f:
            f.write(f"Story {i}\n\n{_story(rng)}\n".encode())
        names += 1
    errors = 0
    try:
        report = indexer.update(workdir / "ix", [corpus])
        held = _articles(workdir / "ix")
    except Exception:
        errors, held, report = 1, {}, None
    warned = sum(1 for w in report.warnings if "not valid UTF-8" in w.message) if report else 0
    return {
        "trials": trials,
        "files": names,
        "indexed": len(held),
        "warned": warned,
        "lost": names - len(held),
        "errors": errors,
    }


def surrogates(workdir: Path, trials: int) -> Counts:
    corpus = workdir / "c"
    corpus.mkdir()
    lines = []
    for i in range(trials):
        body = f"Record {i} about the flood \\ud800 with a lone \\udfff surrogate."
        lines.append(f'{{"id": "s{i}", "headline": "Head \\udc80 {i}", "body": "{body}", "url": "http://x/\\ud83d"}}')
    (corpus / "s.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = lost = 0
    report = indexer.update(workdir / "ix", [corpus])
    with searchkit.Index.open(workdir / "ix") as ix:
        for i in range(trials):
            try:
                view = ix.show(f"s{i}")
                json.dumps(view.to_dict(), ensure_ascii=False).encode("utf-8")  # printable, storable
                if not any(h.article_id == f"s{i}" for h in ix.search(f"record {i} flood", limit=trials)):
                    lost += 1
            except Exception:
                errors += 1
    warned = sum(1 for w in report.warnings if "surrogate" in w.message)
    return {"trials": trials, "records": trials, "warned": warned, "lost": lost, "errors": errors}


def long_words(workdir: Path, trials: int) -> Counts:
    rng = random.Random(3)
    corpus = workdir / "c"
    corpus.mkdir()
    for i in range(50):
        (corpus / f"a{i}.txt").write_text(f"Story {i}\n\n{_story(rng, 5)}\n", encoding="utf-8")
    indexer.update(workdir / "ix", [corpus])
    errors, worst = 0, 0.0
    with searchkit.Index.open(workdir / "ix") as ix:
        for i in range(trials):
            word = "".join(rng.choice("abcdefghij") for _ in range(10_000 if i % 2 == 0 else 3_000))
            query = word if i % 3 else f"council {word} storm"
            started = time.perf_counter()
            try:
                ix.search(query[:10_000], limit=10)
            except Exception:
                errors += 1
            worst = max(worst, time.perf_counter() - started)
    return {"trials": trials, "chars": 10_000, "max_s": round(worst, 3), "errors": errors}


_BIG_CHILD = """
import resource, sys
from searchkit.indexing import indexer
report = indexer.update(sys.argv[1], [sys.argv[2]], jobs=1)
print(report.paragraphs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def big_file(workdir: Path, trials: int) -> Counts:
    """One big text file (100 MB, or 10 MB for a quick run) indexed by a child process: its peak memory."""
    mb = 100 if trials >= 5 else 10
    rng = random.Random(5)
    corpus = workdir / "c"
    corpus.mkdir()
    paragraphs = 0
    with open(corpus / "big.txt", "w", encoding="utf-8") as f:
        f.write("One very large article\n\n")
        size = 0
        while size < mb * 1_000_000:
            par = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 120))) + ".\n\n"
            f.write(par)
            size += len(par)
            paragraphs += 1
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-c", _BIG_CHILD, str(workdir / "ix"), str(corpus)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    if child.returncode != 0:
        return {"trials": 1, "bytes": size, "errors": 1, "lost": paragraphs, "why": child.stderr[-200:]}
    written, peak_kb = (int(x) for x in child.stdout.split()[-2:])
    return {
        "trials": 1,
        "bytes": size,
        "paragraphs": paragraphs,
        "lost": paragraphs - written,
        "peak_mb": round(peak_kb / 1024),
        "seconds": round(time.monotonic() - started, 1),
        "errors": 0,
    }


def short_boilerplate(workdir: Path, trials: int) -> Counts:
    rng = random.Random(7)
    corpus = workdir / "c"
    corpus.mkdir()
    closers = ["More to follow.", "Ends.", "Developing story."]
    for i in range(max(trials, 4)):  # long articles ending in the closers make them boilerplate
        (corpus / f"long{i}.txt").write_text(f"Story {i}\n\n{_story(rng)}\n\n{closers[i % 3]}\n", encoding="utf-8")
    short = {f"short{i}": rng.sample(closers, rng.randint(1, 2)) for i in range(trials)}
    for aid, paras in short.items():
        (corpus / f"{aid}.txt").write_text(f"Flash {aid}\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    report = indexer.update(workdir / "ix", [corpus])
    held = _articles(workdir / "ix")
    lost = sum(1 for aid, paras in short.items() if held.get(aid, 0) != len(paras))
    return {"trials": trials, "articles": len(held), "added": report.added, "lost": lost + report.added - len(held)}


_ID_NAMES = ["x.txt", "x.md", "y.txt", "a.jsonl", "b.jsonl"]


def _id_content(name: str, seed: int) -> str:
    body = " ".join(WORDS[(seed + k) % len(WORDS)] for k in range(8)).capitalize() + f" {seed}."
    if name.endswith(".jsonl"):
        ids = ["k1", "k2", "x", None]
        recs = []
        for k in range(1 + seed % 3):
            rec: dict[str, object] = {"headline": f"H{seed}", "body": f"{body} Record {k}."}
            if ids[(seed + k) % 4] is not None:
                rec["id"] = ids[(seed + k) % 4]
            recs.append(json.dumps(rec) + "\n")
        return "".join(recs)
    return (f"# H{seed}\n\n" if name.endswith(".md") else f"H{seed}\n\n") + body + "\n"


def _state(index_dir: Path) -> tuple[list[tuple[str, tuple[str, ...]]], list[tuple[str, int, str]]]:
    with searchkit.Index.open(index_dir) as ix:
        docs = list(ix.searcher().documents())
    files = sorted((d["path"], tuple(d["meta"]["ids"])) for d in docs if d["kind"] == "f")
    return files, sorted((d["article_id"], d["n"], d["body"]) for d in docs if d["kind"] == "p")


def id_collisions(workdir: Path, trials: int) -> Counts:
    lost = steps = 0
    for trial in range(trials):
        rng = random.Random(trial)
        roots = [workdir / f"t{trial}" / "r1", workdir / f"t{trial}" / "r2"]
        for root in roots:
            root.mkdir(parents=True)
        incr = workdir / f"t{trial}" / "incr"
        for n in range(10):
            path = rng.choice(roots) / rng.choice(_ID_NAMES)
            if rng.random() < 0.3:
                path.unlink(missing_ok=True)
            else:
                path.write_text(_id_content(path.name, rng.randrange(30)), encoding="utf-8")
            indexer.update(incr, roots, prune=True)
            clean = workdir / f"t{trial}" / f"clean{n}"
            indexer.update(clean, roots)
            steps += 1
            lost += _state(incr) != _state(clean)
    return {"trials": trials, "steps": steps, "lost": lost}


def attacks() -> list[tuple[str, Callable[[Path, int], Counts]]]:
    return [
        ("bad-names", bad_names),
        ("surrogates", surrogates),
        ("long-words", long_words),
        ("big-file", big_file),
        ("short-boilerplate", short_boilerplate),
        ("id-collisions", id_collisions),
    ]


def main() -> int:
    """Run the attacks without the runner: one line of counts each; 1 if any lost, wedged, damaged or errors."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few trials each, a 10 MB big file")
    parser.add_argument("--only", help="run only this attack")
    args = parser.parse_args()
    failed = False
    for name, run in attacks():
        if args.only and name != args.only:
            continue
        with tempfile.TemporaryDirectory(prefix=f"sk-stress-{name}-") as tmp:
            counts = run(Path(tmp), 3 if args.quick else 20)
        print(name.ljust(18), "  ".join(f"{k}={v}" for k, v in counts.items()), flush=True)
        failed |= any(counts.get(k) for k in ("lost", "wedged", "damaged", "errors"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
