"""Compression: searchkit.codec.deflate (ISA-L where installed) against zlib, same run.

Every paragraph's stored fields, and every large posting block, are written as
a zlib stream. This measures what making them costs, two ways:

1. per stream, on the stored fields of real paragraphs: each paragraph's
   stored-field pickle (read back from a searchkit index of the corpus)
   compressed by zlib at Whoosh's level 3 and by `searchkit.codec.deflate.compress`;
   µs per stream and mean bytes, medians of `--reps` passes;
2. a whole build (`--build`): the corpus indexed in a fresh subprocess with
   `deflate.compress` as shipped, alternating with builds where it is replaced
   by `zlib.compress`; wall and CPU seconds, medians and spread.

    python benchmarks/compress.py                         # BBC paragraphs, per stream
    python benchmarks/compress.py --size 100k --build --reps 5
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path

import corpora

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # an installed searchkit wins; else the working copy

WHOOSH_LEVEL = 3  # CompressedBytesColumn's default, what Whoosh's own writer uses


def child_build(corpus: str, target: str, use_zlib: bool) -> dict:
    from searchkit import Index
    from searchkit.codec import deflate

    if use_zlib:
        deflate.compress = zlib.compress
    start, cpu = time.perf_counter(), time.process_time()
    Index.build([corpus], target, rebuild=True).close()
    wall = time.perf_counter() - start
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the parallel build's workers
    return {"wall": wall, "cpu": time.process_time() - cpu + kids.ru_utime + kids.ru_stime}


def stored_pickles(index_dir: Path) -> list[bytes]:
    from whoosh.index import open_dir

    ix = open_dir(str(index_dir))
    try:
        with ix.searcher() as s:
            return [pickle.dumps(fields, 2) for fields in s.all_stored_fields()]
    finally:
        ix.close()


def per_stream(data: list[bytes], reps: int) -> None:
    from searchkit.codec import deflate

    coders = {
        f"zlib level {WHOOSH_LEVEL}": lambda b: zlib.compress(b, WHOOSH_LEVEL),
        f"searchkit.codec.deflate ({deflate.BACKEND})": lambda b: deflate.compress(b, WHOOSH_LEVEL),
    }
    times: dict[str, list[float]] = {name: [] for name in coders}
    for _ in range(reps):
        for name, fn in coders.items():  # alternating, so both see the same machine
            start = time.perf_counter()
            for b in data:
                fn(b)
            times[name].append((time.perf_counter() - start) / len(data) * 1e6)
    raw = statistics.mean(map(len, data))
    print(f"\nper stream: {len(data)} stored-field pickles, mean {raw:.0f} bytes, {reps} passes")
    print("| coder | µs per stream, median [min-max] | mean bytes |")
    print("|---|---|---|")
    for name, fn in coders.items():
        t = times[name]
        size = statistics.mean(len(fn(b)) for b in data)
        print(f"| {name} | {statistics.median(t):.1f} [{min(t):.1f}-{max(t):.1f}] | {size:.0f} |")
    ratio = statistics.median(times[list(coders)[1]]) / statistics.median(times[list(coders)[0]])
    print(f"deflate / zlib time per stream: x{ratio:.2f}")


def builds(corpus: Path, reps: int) -> None:
    target = HERE / ".work" / "index-compress"
    res: dict[str, list[dict]] = {"deflate": [], "zlib": []}
    for rep in range(reps):
        for name in ("deflate", "zlib") if rep % 2 == 0 else ("zlib", "deflate"):
            shutil.rmtree(target, ignore_errors=True)
            out = subprocess.run(
                [sys.executable, __file__, "--_build", str(corpus), str(target), name],
                capture_output=True,
                text=True,
                check=True,
            )
            res[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(
                f"build rep {rep + 1} {name}: {res[name][-1]['wall']:.2f} s wall, {res[name][-1]['cpu']:.2f} s CPU",
                flush=True,
            )
    shutil.rmtree(target, ignore_errors=True)
    print(f"\nwhole build of {corpus.name}, {reps} alternating repetitions")
    print("| compression | wall s, median [min-max] | CPU s, median [min-max] |")
    print("|---|---|---|")
    for name, rows in res.items():
        w, c = [r["wall"] for r in rows], [r["cpu"] for r in rows]
        print(
            f"| {name} | {statistics.median(w):.2f} [{min(w):.2f}-{max(w):.2f}] "
            f"| {statistics.median(c):.2f} [{min(c):.2f}-{max(c):.2f}] |"
        )
    med = {n: statistics.median(r["wall"] for r in rows) for n, rows in res.items()}
    print(f"build with deflate / with zlib: x{med['deflate'] / med['zlib']:.2f}")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--_build":
        print(json.dumps(child_build(argv[1], argv[2], argv[3] == "zlib")))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="bbc", help="corpus: bbc, 100k, 1m (default bbc)")
    ap.add_argument("--reps", type=int, default=5, help="passes / build repetitions (default 5)")
    ap.add_argument("--data", default=None, help="folder holding bbc-fulltext/ (default ../shared/data)")
    ap.add_argument("--build", action="store_true", help="also time whole builds, alternating")
    args = ap.parse_args(argv)
    if args.reps < 1:
        ap.error("--reps must be at least 1")
    from searchkit import Index
    from searchkit.codec import deflate

    corpus = corpora.corpus_path(args.size, args.data)
    print(f"corpus {corpus.name}; searchkit.codec.deflate uses {deflate.BACKEND}")
    target = HERE / ".work" / "index-compress-read"
    shutil.rmtree(target, ignore_errors=True)
    Index.build([str(corpus)], str(target), rebuild=True).close()
    data = stored_pickles(target)
    shutil.rmtree(target, ignore_errors=True)
    per_stream(data[:20_000], args.reps)
    if args.build:
        builds(corpus, args.reps)


if __name__ == "__main__":
    main()
