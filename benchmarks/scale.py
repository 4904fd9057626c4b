"""Scale: build time and query latency of a sharded index against shard and worker count.

On a generated corpus (corpora.py's seeded scale-up of the BBC sentences; default
1,000,000 paragraphs, `--paragraphs` for fewer), for each worker count (a Dask
`LocalCluster` of that many single-threaded worker processes) and each shard count,
in an order that rotates per run:

1. the sharded index is built on the cluster: wall time, the build's phases (list,
   scan, write, commit) and each shard's write task (the per-shard work);
2. it is searched through the cluster with the `--queries` query set (one untimed
   warm-up pass, then a timed pass): per-query latency p50/p95, the shards' own time
   per query (the per-shard work) and the parent's time outside the shards (plan,
   statistics, merge, snippets: the merge cost); then searched again without the
   cluster, the shards in threads of the benchmark's process (`threads_p50/p95`).

A one-machine index (`Index.build(..., jobs=workers)`) is measured alongside as the
baseline. Medians over `--runs` runs. The host's CPU count bounds what more workers
can gain: on 2 cores, 4 shards share 2 CPUs.

    python benchmarks/scale.py                              # 1M paragraphs, shards 1,2,4, workers 1,2, 3 runs
    python benchmarks/scale.py --paragraphs 100000 --runs 3 # a tenth of it
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import corpora

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # an installed searchkit wins; else the working copy


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] if ordered else 0.0


def med(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def measure_queries(ix, queries: list[str]) -> dict[str, float]:
    """Warm-up pass, then a timed pass: latency percentiles, shard time and parent time per query (ms)."""
    for q in queries:
        ix.search(q)
    fan = getattr(getattr(ix, "_state", None), "fanout", None)
    times, parent, shard_ms = [], [], []
    for q in queries:
        waited, seen = (fan.waited, len(fan.shard_seconds)) if fan else (0.0, 0)
        started = time.perf_counter()
        ix.search(q)
        took = (time.perf_counter() - started) * 1000
        times.append(took)
        if fan is not None:
            parent.append(took - (fan.waited - waited) * 1000)
            shard_ms.extend(s * 1000 for s in fan.shard_seconds[seen:])
    out = {"p50": percentile(times, 50), "p95": percentile(times, 95)}
    if fan is not None:
        out["shard_ms"] = med(shard_ms)
        out["parent_ms"] = med(parent)
    return out


def run_sharded(corpus: Path, shards: int, client, queries: list[str], work: Path) -> dict[str, float]:
    from searchkit import Index

    target = work / f"sharded-{shards}"
    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    ix = Index.build([str(corpus)], target, shards=shards, client=client)
    build_s = time.perf_counter() - started
    report = ix.report
    phases = dict(getattr(report, "phases", ()))
    shard_s = list(getattr(report, "shard_seconds", ()))
    result = {"build_s": build_s, "read_s": phases.get("read", 0.0), "write_s": phases.get("write", 0.0)}
    result["shard_write_s"] = med(shard_s)
    result.update(measure_queries(ix, queries))
    ix.close()
    with Index.open(target) as local:  # the same shards searched in threads of this process, no cluster
        threads = measure_queries(local, queries)
    result.update({"threads_p50": threads["p50"], "threads_p95": threads["p95"]})
    shutil.rmtree(target, ignore_errors=True)
    return result


def run_single(corpus: Path, jobs: int, queries: list[str], work: Path) -> dict[str, float]:
    from searchkit import Index

    target = work / "single"
    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    ix = Index.build([str(corpus)], target, jobs=jobs)
    result = {"build_s": time.perf_counter() - started}
    result.update(measure_queries(ix, queries))
    ix.close()
    shutil.rmtree(target, ignore_errors=True)
    return result


def bench_workers(workers: int, args, corpus: Path, queries: list[str], work: Path) -> dict[str, list[dict]]:
    """Every run of every configuration with this many workers: {config: [result per run]}."""
    from distributed import Client, LocalCluster

    configs = ["single"] + [f"shards={s}" for s in args.shards]
    got: dict[str, list[dict]] = {c: [] for c in configs}
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        with Client(cluster) as client:
            for run in range(args.runs):
                order = configs[run % len(configs) :] + configs[: run % len(configs)]
                for config in order:
                    if config == "single":
                        r = run_single(corpus, workers, queries, work)
                    else:
                        r = run_sharded(corpus, int(config.split("=")[1]), client, queries, work)
                    got[config].append(r)
                    print(f"workers={workers} run {run + 1} {config}: " + fmt_row(r), flush=True)
    return got


def fmt_row(r: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3g}" for k, v in r.items())


COLUMNS = (
    "build_s",
    "read_s",
    "write_s",
    "shard_write_s",
    "p50",
    "p95",
    "shard_ms",
    "parent_ms",
    "threads_p50",
    "threads_p95",
)


def print_table(paragraphs: int, results: dict[int, dict[str, list[dict]]]) -> None:
    print(f"\n{paragraphs:,} paragraphs, medians over runs (build in s, latency in ms per query)")
    print("| workers | index | " + " | ".join(COLUMNS) + " |")
    print("|---|---|" + "---|" * len(COLUMNS))
    for workers, configs in results.items():
        for config, runs in configs.items():
            cells = [f"{med([r[c] for r in runs]):.2f}" if c in runs[0] else "-" for c in COLUMNS]
            print(f"| {workers} | {config} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paragraphs", type=int, default=1_000_000)
    ap.add_argument("--shards", default="1,2,4", type=lambda s: [int(x) for x in s.split(",")])
    ap.add_argument("--workers", default="1,2", type=lambda s: [int(x) for x in s.split(",")])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--data", default=None, help="folder holding bbc-fulltext/ (default ../shared/data)")
    args = ap.parse_args(argv)
    corpus = corpora.corpus_path(str(args.paragraphs), args.data)
    queries = corpora.queries_for(corpus, n=args.queries)
    print(f"corpus {corpus.name}: {args.paragraphs:,} paragraphs; {len(queries)} queries; {os.cpu_count()} CPUs")
    results: dict[int, dict[str, list[dict]]] = {}
    with tempfile.TemporaryDirectory(dir=HERE / ".work") as tmp:
        for workers in args.workers:
            results[workers] = bench_workers(workers, args, corpus, queries, Path(tmp))
    print_table(args.paragraphs, results)


if __name__ == "__main__":
    main()
