"""Quote extraction against the hand-checked development set, and its speed.

Runs `searchkit.ingest.quotes.extract` over ../shared/data/quotes-dev (every
article's paragraphs in one call, as the indexer does) and scores it with that
folder's own `score.py` (a predicted span matches a gold speech span at
character IoU >= 0.5). Prints span P/R/F1, exact-span F1, speaker accuracy on
matched spans and the share of titles / scare quotes kept out, overall and by
kind of gold span:

* chain   - a segment of a quotation reopened inside a block or across blocks;
* partial - a fragment built into the writer's sentence ("called it "a disgrace"");
* plain   - any other full utterance;

and the speaker errors by type (no name, descriptor kept, short form, wrong name).

    python benchmarks/quotes.py              # the table
    python benchmarks/quotes.py --errors     # also list every miss and wrong speaker
    python benchmarks/quotes.py --speed      # extraction time over the 2,225 BBC articles
    python benchmarks/quotes.py --build      # extraction CPU on the 100k build corpus, old vs now
    python benchmarks/quotes.py --same REV   # is every quote and speaker what REV's extractor gives?
    python benchmarks/quotes.py --whole-build --against REV   # the whole 100k build's CPU, REV vs now

`--build` times extraction alone on the corpus `benchmarks/speed.py` builds
(made by `corpora.py` if missing), for this tree and for the extractor of an
older commit (`--against`, taken with `git archive` into a temporary folder),
each in a fresh process, alternating old and new so that the shared machine's
noise falls on both. It reports CPU seconds (steadier than wall time) and what
the difference means for the whole build, given the share of build CPU the old
extraction took (`--share`, measured once with `speed.py --profile`).

This tree's extractor is compiled if the package was installed with a C
compiler (`searchkit/ingest/native.py`; the first line printed says which);
`SEARCHKIT_PURE_PYTHON=1` in front of the command times its Python sources.
An older commit's tree is always its sources.

`--whole-build` times the whole build instead (`Index.build` on the same
corpus, as `speed.py` builds it, each tree in a fresh process, alternating): the
CPU seconds of that process and every process it started and waited for.

The data is read in place and never copied (research-use licence).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from searchkit.ingest import native  # noqa: E402
from searchkit.ingest.quotes import extract  # noqa: E402

DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
KINDS = ("chain", "partial", "plain")


def load_scorer(folder: Path) -> ModuleType:
    """The dev set's own score.py, imported from where it lies."""
    spec = importlib.util.spec_from_file_location("quotes_dev_score", folder / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {folder}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def articles(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Gold records grouped by article, in paragraph order."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        out[r["path"]].append(r)
    for recs in out.values():
        recs.sort(key=lambda r: r["n"])
    return out


def predict(gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """searchkit's quotes as prediction records (score.py's format)."""
    pred = []
    for path, recs in articles(gold).items():
        found = extract([r["paragraph"] for r in recs])
        for r, qs in zip(recs, found):
            quotes = [{"start": q.start, "end": q.end, "speaker": q.speaker, "text": q.text} for q in qs]
            pred.append({"path": path, "n": r["n"], "quotes": quotes})
    return pred


def kind_of(q: dict[str, Any]) -> str:
    chained = q["continues_from_previous_span"] or q["continues_to_next_span"]
    if chained or q["continues_from_previous"] or q["continues_to_next"]:
        return "chain"
    return "partial" if q["partial"] else "plain"


def speaker_error(scorer: ModuleType, gold: str, got: str | None) -> str | None:
    """None when right, else the kind of mistake."""
    g, p = scorer.norm_speaker(gold), scorer.norm_speaker(got)
    if p == g:
        return None
    if p is None:
        return "no name"
    if g in p:
        return "descriptor kept"
    if set(p.split()) < set(g.split()):
        return "short form"
    return "wrong name"


def by_kind(scorer: ModuleType, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, Any]:
    """Recall, speaker accuracy and error types per kind of gold speech span (one-to-one IoU match)."""
    preds = {(p["path"], p["n"]): p["quotes"] for p in pred}
    stats: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    errors: Counter[str] = Counter()
    listing: list[str] = []
    for r in gold:
        got = [(q["start"], q["end"], q["speaker"]) for q in preds.get((r["path"], r["n"]), [])]
        used: set[int] = set()
        for q in r["quotes"]:
            if q["kind"] != "speech":
                continue
            k = kind_of(q)
            stats[k]["gold"] += 1
            best = max(
                ((scorer.iou(g, (q["start"], q["end"])), i) for i, g in enumerate(got) if i not in used),
                default=(0.0, -1),
            )
            where = f"{r['path']} p{r['n']} [{k}] {q['text'][:60]!r}"
            if best[0] < 0.5:
                listing.append(f"MISSED   {where} ({q['speaker']})")
                continue
            used.add(best[1])
            stats[k]["matched"] += 1
            if q["speaker"] is None:
                continue
            stats[k]["scored"] += 1
            err = speaker_error(scorer, q["speaker"], got[best[1]][2])
            if err is None:
                stats[k]["right"] += 1
            else:
                errors[err] += 1
                listing.append(f"SPEAKER  {where} gold={q['speaker']!r} got={got[best[1]][2]!r} ({err})")
        for i, (s, e, sp) in enumerate(got):
            if i not in used:
                listing.append(f"EXTRA    {r['path']} p{r['n']} {r['paragraph'][s:e][:60]!r} ({sp})")
    return {"kinds": stats, "errors": errors, "listing": listing}


def fmt(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:.3f}"


def report(scorer: ModuleType, gold: list[dict[str, Any]], show_errors: bool) -> None:
    pred = predict(gold)
    res = scorer.score(gold, pred)
    merged = scorer.score(gold, pred, merge_chains=True)
    print(
        f"quotes-dev: {len(gold)} paragraphs, {res['gold_speech_units']} gold speech spans, "
        f"{res['predicted_spans']} predicted"
    )
    print(
        f"span (IoU>=0.5)   P {fmt(res['span_precision'])}  R {fmt(res['span_recall'])}  "
        f"F1 {fmt(res['span_f1'])}   ({res['matched']} matched)"
    )
    print(f"exact span        P {fmt(res['exact_precision'])}  R {fmt(res['exact_recall'])}  F1 {fmt(res['exact_f1'])}")
    print(f"speaker accuracy  {fmt(res['speaker_accuracy'])}   ({res['speaker_correct']}/{res['speaker_scored']})")
    print(
        f"other kept out    {fmt(res['other_avoidance'])}   ({res['other_without_overlap']}/{res['gold_other_spans']})"
    )
    print(f"chains merged     span F1 {fmt(merged['span_f1'])}  speaker {fmt(merged['speaker_accuracy'])}")
    detail = by_kind(scorer, gold, pred)
    print()
    print(f"{'kind':<8} {'gold':>5} {'recall':>7} {'speaker':>8}")
    for k in KINDS:
        c = detail["kinds"][k]
        recall = c["matched"] / c["gold"] if c["gold"] else None
        spk = c["right"] / c["scored"] if c["scored"] else None
        print(f"{k:<8} {c['gold']:>5} {fmt(recall):>7} {fmt(spk):>8}")
    print()
    print("speaker errors: " + (", ".join(f"{k} {v}" for k, v in detail["errors"].most_common()) or "none"))
    if show_errors:
        print()
        print("\n".join(detail["listing"]))


def speed(data: Path, reps: int) -> None:
    """Median time of `extract` over every BBC article (paragraphs as the benchmarks split them)."""
    from corpora import bbc_articles

    arts = [a["paragraphs"] for a in bbc_articles(data)]
    times = []
    found = 0
    for _ in range(reps):
        t0 = time.perf_counter()
        found = sum(len(qs) for paras in arts for qs in extract(paras))
        times.append(time.perf_counter() - t0)
    paras = sum(len(a) for a in arts)
    med = statistics.median(times)
    print(
        f"extraction over {len(arts)} BBC articles ({paras} paragraphs, {found} quotes): "
        f"median {med * 1000:.0f} ms of {reps} runs (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); "
        f"{med / paras * 1e6:.1f} us a paragraph"
    )


# Run in a child process with the tree to time first on sys.path: the CPU seconds
# of extracting every article of the corpus, printed on the last line.
_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from searchkit.ingest.quotes import extract
arts = [json.loads(line)["paragraphs"] for line in open(sys.argv[2], encoding="utf-8")]
t0 = time.process_time()
n = sum(len(qs) for paras in arts for qs in extract(paras))
print(len(arts), n, time.process_time() - t0)
"""


def _tree_at(rev: str, into: Path) -> Path:
    """The searchkit package of commit `rev`, unpacked under `into`."""
    tar = subprocess.run(
        ["git", "-C", str(HERE.parent), "archive", rev, "searchkit"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=__import__("io").BytesIO(tar)) as t:
        t.extractall(into, filter="data")
    return into


def _child_cpu(tree: Path, corpus: Path) -> tuple[int, int, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tree), str(corpus)], check=True, capture_output=True, text=True
    ).stdout
    arts, quotes, cpu = out.split()[-3:]
    return int(arts), int(quotes), float(cpu)


# Run in a child process with the tree to read first on sys.path: every article's
# quotes as (start, end, speaker, partial) per paragraph, pickled to a file.
_DUMP = """
import json, pickle, sys
sys.path.insert(0, sys.argv[1])
from searchkit.ingest.quotes import extract
arts = pickle.load(open(sys.argv[2], "rb"))
def row(q):
    return (q.start, q.end, q.speaker, getattr(q, "partial", False))
out = [[[row(q) for q in qs] for qs in extract(paras)] for paras in arts]
pickle.dump(out, open(sys.argv[3], "wb"))
"""


def same(data: Path, against: str, size: str | None) -> None:
    """Compare every quote and speaker of `against`'s extractor with this tree's.

    On the BBC articles, quotes-dev's articles and, with `size`, the build corpus.
    """
    import pickle

    from corpora import bbc_articles, corpus_path

    sets: dict[str, list[list[str]]] = {"bbc": [a["paragraphs"] for a in bbc_articles(data)]}
    folder = data / "quotes-dev"
    if (folder / "quotes.jsonl").is_file():
        gold = load_scorer(folder).load_jsonl(str(folder / "quotes.jsonl"))
        sets["quotes-dev"] = [[r["paragraph"] for r in recs] for recs in articles(gold).values()]
    if size:
        with open(corpus_path(size, data), encoding="utf-8") as f:
            sets[size] = [json.loads(line)["paragraphs"] for line in f]
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = _tree_at(against, Path(tmp))
        for name, arts in sets.items():
            src, outs = Path(tmp) / "in.pickle", {}
            src.write_bytes(pickle.dumps(arts))
            for label, tree in (("old", old_tree), ("new", HERE.parent)):
                dst = Path(tmp) / f"{label}.pickle"
                subprocess.run([sys.executable, "-c", _DUMP, str(tree), str(src), str(dst)], check=True)
                outs[label] = pickle.loads(dst.read_bytes())
            diff = [k for k, (a, b) in enumerate(zip(outs["old"], outs["new"])) if a != b]
            n = sum(len(q) for art in outs["new"] for q in art)
            print(f"{name}: {len(arts)} articles, {n} quotes, {len(diff)} articles differ")
            for k in diff[:5]:
                for j, (a, b) in enumerate(zip(outs["old"][k], outs["new"][k])):
                    if a != b:
                        print(f"  article {k} paragraph {j}: {against} {a} / now {b}")


def build_share(data: Path, size: str, against: str, reps: int, share: float) -> None:
    """Extraction CPU on the build corpus, `against`'s extractor and this tree's, alternating."""
    from corpora import corpus_path

    corpus = corpus_path(size, data)
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = _tree_at(against, Path(tmp))
        runs: dict[str, list[float]] = {"old": [], "new": []}
        found = {}
        for _ in range(reps):
            for label, tree in (("old", old_tree), ("new", HERE.parent)):
                arts, quotes, cpu = _child_cpu(tree, corpus)
                runs[label].append(cpu)
                found[label] = (arts, quotes)
    old, new = statistics.median(runs["old"]), statistics.median(runs["new"])
    for label in ("old", "new"):
        arts, quotes = found[label]
        cpus = ", ".join(f"{c:.2f}" for c in runs[label])
        name = against if label == "old" else "this tree"
        med = statistics.median(runs[label])
        print(f"{name:>10}: {arts} articles, {quotes} quotes, extraction CPU median {med:.2f} s ({cpus})")
    growth = new / old - 1
    print(
        f"extraction {growth:+.0%}; with extraction {share:.0%} of the old build's CPU, "
        f"the build {growth * share:+.1%} (budget +5%: extraction may grow {0.05 / share:+.0%})"
    )


# Run in a child process with the tree to time first on sys.path: speed.py's own
# build_searchkit (from this benchmarks folder), so both time the same build.
_BUILD = """
import sys
from pathlib import Path
sys.path[:0] = [sys.argv[1], sys.argv[4]]
from speed import build_searchkit
build_searchkit(Path(sys.argv[2]), Path(sys.argv[3]))
"""


def _build_cpu(tree: Path, corpus: Path, target: Path) -> tuple[float, float]:
    """CPU seconds of one whole build in a fresh process (and the processes it waited for), and its wall time."""
    import resource
    import shutil

    shutil.rmtree(target, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", _BUILD, str(tree), str(corpus), str(target), str(HERE)], check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(target, ignore_errors=True)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def whole_build(data: Path, size: str, against: str, reps: int) -> None:
    """The whole build's CPU on the build corpus, `against`'s tree and this one, alternating."""
    from corpora import corpus_path

    corpus = corpus_path(size, data)
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = _tree_at(against, Path(tmp))
        runs: dict[str, list[float]] = {"old": [], "new": []}
        walls: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(reps):
            for label, tree in (("old", old_tree), ("new", HERE.parent)):
                cpu, wall = _build_cpu(tree, corpus, Path(tmp) / "index")
                runs[label].append(cpu)
                walls[label].append(wall)
                print(f"  {label} build CPU {cpu:.2f} s, wall {wall:.2f} s", flush=True)
    for what, got in (("CPU, all processes", runs), ("wall time (what speed.py reports)", walls)):
        old, new = statistics.median(got["old"]), statistics.median(got["new"])
        for label, name in (("old", against), ("new", "this tree")):
            each = ", ".join(f"{c:.2f}" for c in got[label])
            print(f"{name:>10}: {size} build {what}, median {statistics.median(got[label]):.2f} s ({each})")
        print(f"the build's {what.split(',')[0].split(' (')[0]} {new / old - 1:+.1%} on {against} (budget +5%)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="folder holding quotes-dev/ and bbc-fulltext/")
    ap.add_argument("--errors", action="store_true", help="list every missed span, extra span and wrong speaker")
    ap.add_argument("--speed", action="store_true", help="time extraction over the BBC articles instead")
    ap.add_argument("--reps", type=int, default=5, help="runs for --speed and --build (median reported; default 5)")
    ap.add_argument("--build", action="store_true", help="extraction CPU on the build corpus, --against vs this tree")
    ap.add_argument("--size", default="100k", help="corpus for --build (corpora.py sizes; default 100k)")
    ap.add_argument("--against", default="7f7f158", help="commit whose extractor --build compares with")
    ap.add_argument("--share", type=float, default=0.28, help="old extraction's share of build CPU (default 0.28)")
    ap.add_argument("--whole-build", action="store_true", help="the whole build's CPU, --against vs this tree")
    ap.add_argument("--same", metavar="REV", help="compare every quote and speaker with REV's extractor")
    ap.add_argument("--json", metavar="FILE", help="also write the predictions as score.py's JSON Lines")
    a = ap.parse_args(argv)
    data = Path(a.data)
    # Compiled when installed with a compiler (searchkit/ingest/native.py); SEARCHKIT_PURE_PYTHON=1
    # runs this tree's Python sources instead, here and in every child process.
    print(f"this tree's extractor: {native.STATE}")
    if a.speed:
        speed(data, a.reps)
        return
    if a.same:
        same(data, a.same, None if a.size == "none" else a.size)
        return
    if a.whole_build:
        whole_build(data, a.size, a.against, a.reps)
        return
    if a.build:
        build_share(data, a.size, a.against, a.reps, a.share)
        return
    folder = data / "quotes-dev"
    if not (folder / "quotes.jsonl").is_file():
        raise SystemExit(f"quotes-dev not found in {data}; pass --data DIR")
    scorer = load_scorer(folder)
    gold = scorer.load_jsonl(str(folder / "quotes.jsonl"))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            for rec in predict(gold):
                f.write(json.dumps(rec) + "\n")
    report(scorer, gold, a.errors)


if __name__ == "__main__":
    main()
