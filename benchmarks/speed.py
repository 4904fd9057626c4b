"""Speed: searchkit against raw Whoosh and SQLite FTS5 on the same paragraphs, same run.

For each corpus size (bbc = the ~10.5k real BBC paragraphs; 100k / 1m = seeded
scale-ups, see corpora.py) and each repetition, every system (in an order that
rotates per repetition) is

1. built from scratch in its own subprocess: build wall time including the
   commit (interpreter start-up and imports excluded), index size on disk, and
   the build process's peak RSS (VmHWM; for a builder that forks workers, the
   largest single process);
2. queried in a fresh subprocess with one reused searcher / connection: one
   untimed warm-up pass over the 300 queries, then a timed pass returning the
   top 10 (id, score, headline) and a timed pass that also makes each hit's
   snippet, each query's wall time and its process CPU time (steadier on a
   busy host). Opening the index is timed separately. For searchkit a last lap
   alternates, query by query, the plain query and the same query plus its
   facets (`search --facets`: source, month, speaker, folder), so the facet
   cost is measured against a plain query timed beside it.

Figures are medians over the repetitions with the spread (min-max). The last
line is the headline figure: searchkit / FTS5 ratios at 100k (or the largest
size run).

    python benchmarks/speed.py                        # bbc and 100k, 3 reps, all systems
    python benchmarks/speed.py --sizes bbc --systems whoosh,fts5 --reps 5
    python benchmarks/speed.py --sizes 100k --profile # cProfile a searchkit build + queries
    python benchmarks/speed.py --same REV             # are REV's results what this tree gives?
    python benchmarks/speed.py --sizes 100k --phrases # CPU time of phrases of stop words

`--same REV` and `--phrases` are in `speedcheck.py`.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import json
import pstats
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import corpora
import speedcheck

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # an installed searchkit wins; else the working copy

SYSTEMS = ("searchkit", "whoosh", "fts5")
_TERM = re.compile(r"\w+")


# --------------------------------------------------------------------------- measuring helpers


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM), or that of its largest child if bigger, in MB."""
    own = 0.0
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    own = int(line.split()[1]) / 1024
    except OSError:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(own, children)


def disk_size_mb(path: Path) -> float:
    if path.is_file():
        files = [path] + [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]
        return sum(f.stat().st_size for f in files if f.exists()) / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def paragraphs_of(corpus: Path):
    for art in corpora.read_jsonl(corpus):
        for para in art["paragraphs"]:
            yield art["headline"], para


def import_searchkit():
    """The searchkit module if its Index API is there, else None (with the reason)."""
    try:
        import searchkit
    except Exception as exc:  # ImportError, or a half-written library failing at import
        return None, f"cannot import searchkit ({type(exc).__name__}: {exc})"
    index = getattr(searchkit, "Index", None)
    if index is None or not all(hasattr(index, m) for m in ("build", "open")):
        return None, "searchkit.Index.build/open not available yet"
    return searchkit, ""


# --------------------------------------------------------------------------- builders (run in a child)


def build_whoosh(corpus: Path, target: Path) -> None:
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import TEXT, Schema

    schema = Schema(
        headline=TEXT(analyzer=StemmingAnalyzer(), stored=True), body=TEXT(analyzer=StemmingAnalyzer(), stored=True)
    )
    target.mkdir(parents=True)
    ix = index.create_in(str(target), schema)
    writer = ix.writer()
    for headline, para in paragraphs_of(corpus):
        writer.add_document(headline=headline, body=para)
    writer.commit()
    ix.close()


def build_fts5(corpus: Path, target: Path) -> None:
    con = sqlite3.connect(str(target))
    con.execute("CREATE VIRTUAL TABLE t USING fts5(headline, body, tokenize='porter unicode61')")
    with con:  # one transaction
        con.executemany("INSERT INTO t(headline, body) VALUES (?, ?)", paragraphs_of(corpus))
    con.close()


def build_searchkit(corpus: Path, target: Path) -> None:
    searchkit, why = import_searchkit()
    if searchkit is None:
        raise SystemExit(why)
    build = searchkit.Index.build
    kwargs = {"rebuild": True} if "rebuild" in inspect.signature(build).parameters else {}
    ix = build([str(corpus)], str(target), **kwargs)
    if hasattr(ix, "close"):
        ix.close()


BUILDERS = {"searchkit": build_searchkit, "whoosh": build_whoosh, "fts5": build_fts5}


# --------------------------------------------------------------------------- query runners (run in a child)


def searcher_whoosh(target: Path):
    from whoosh import index
    from whoosh.qparser import OrGroup, QueryParser

    ix = index.open_dir(str(target))
    searcher = ix.searcher()
    parser = QueryParser("body", ix.schema, group=OrGroup)

    def plain(q):
        return [(h.docnum, h.score, h["headline"]) for h in searcher.search(parser.parse(q), limit=10)]

    def snippets(q):
        return [
            (h.docnum, h.score, h["headline"], h.highlights("body")) for h in searcher.search(parser.parse(q), limit=10)
        ]

    return plain, snippets, searcher.close


def searcher_fts5(target: Path):
    con = sqlite3.connect(str(target))
    plain_sql = "SELECT rowid, bm25(t), headline FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10"
    snip_sql = (
        "SELECT rowid, bm25(t), headline, snippet(t, 1, '[', ']', '\u2026', 12) "
        "FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10"
    )

    def match(q):
        return " OR ".join(f'"{t}"' for t in _TERM.findall(q))

    def plain(q):
        return con.execute(plain_sql, (match(q),)).fetchall()

    def snippets(q):
        return con.execute(snip_sql, (match(q),)).fetchall()

    return plain, snippets, con.close


def searcher_searchkit(target: Path):
    searchkit, why = import_searchkit()
    if searchkit is None:
        raise SystemExit(why)
    ix = searchkit.Index.open(str(target))
    cheap = {"snippets": False} if "snippets" in inspect.signature(ix.search).parameters else {}

    def plain(q):
        return [(h.article_id, h.paragraph, h.score, h.headline) for h in ix.search(q, limit=10, **cheap)]

    def snippets(q):
        out = []
        for h in ix.search(q, limit=10):
            snip = h.snippet
            out.append((h.article_id, h.paragraph, h.score, h.headline, snip() if callable(snip) else snip))
        return out

    return plain, snippets, getattr(ix, "close", lambda: None)


SEARCHERS = {"searchkit": searcher_searchkit, "whoosh": searcher_whoosh, "fts5": searcher_fts5}

#: The facets `searchkit search --facets` shows.
FACETS = ("source", "month", "speaker", "folder")


def facet_laps(target: Path, queries: list[str]) -> dict:
    """searchkit's plain query against the same query plus its facets, alternated query by query (A/B, B/A)."""
    searchkit, _ = import_searchkit()
    ix = searchkit.Index.open(str(target))
    if not hasattr(ix, "facets"):
        return {}
    fields = [f for f in FACETS if f != "folder" or "under" in inspect.signature(ix.facets).parameters]

    def plain(q):
        return ix.search(q, limit=10, snippets=False)

    def faceted(q):
        return ix.search(q, limit=10, snippets=False), ix.facets(q, fields=fields)

    for q in queries[:20]:  # warm-up: the facet table is built once per searcher
        faceted(q)
    lat: dict[str, list[float]] = {"facet_plain": [], "facets": []}
    for i, q in enumerate(queries):
        pair = (("facet_plain", plain), ("facets", faceted))
        for name, fn in pair if i % 2 == 0 else pair[::-1]:
            t = time.perf_counter()
            fn(q)
            lat[name].append((time.perf_counter() - t) * 1000)
    ix.close()
    return lat


def child_build(system: str, corpus: Path, target: Path) -> dict:
    t0 = time.perf_counter()
    BUILDERS[system](corpus, target)
    seconds = time.perf_counter() - t0
    return {"build_s": seconds, "size_mb": disk_size_mb(target), "rss_mb": peak_rss_mb()}


def child_query(system: str, target: Path, queries_file: Path) -> dict:
    queries = json.loads(queries_file.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    plain, snippets, close = SEARCHERS[system](target)
    open_s = time.perf_counter() - t0
    hits = sum(len(plain(q)) for q in queries)  # warm-up pass
    for fn in (snippets,):
        for q in queries[:20]:
            fn(q)
    timings = {}
    for name, fn in (("plain", plain), ("snippets", snippets)):
        lat, cpu = [], []
        for q in queries:
            t, c = time.perf_counter(), time.process_time()
            fn(q)
            lat.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)  # CPU time: steadier than wall time on a busy host
        timings[name] = lat
        timings[name + "_cpu"] = cpu
    close()
    if system == "searchkit":
        timings.update(facet_laps(target, queries))
    return {"open_s": open_s, "hits": hits, "rss_mb": peak_rss_mb(), **timings}


# --------------------------------------------------------------------------- parent


def run_child(args: list[str]) -> dict | str:
    """Run this script in a child mode; its last stdout line is JSON. Returns the dict or an error text."""
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        lines = (proc.stderr.strip() or proc.stdout.strip() or f"exit {proc.returncode}").splitlines()
        return lines[-1]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def target_for(system: str, name: str) -> Path:
    work = corpora.WORK_DIR
    return work / (f"fts5-{name}.db" if system == "fts5" else f"index-{system}-{name}")


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        for p in [path] + [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]:
            if p.exists():
                p.unlink()


def median_spread(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def fmt(values: list[float], digits: int = 2) -> str:
    m, lo, hi = median_spread(values)
    return f"{m:.{digits}f} [{lo:.{digits}f}-{hi:.{digits}f}]"


def measure_size(label: str, args, systems: list[str]) -> dict:
    print(f"\n== {label}: preparing corpus", flush=True)
    corpus = corpora.corpus_path(label, args.data)
    queries = corpora.queries_for(corpus)
    qfile = corpus.with_name(corpus.name.replace("corpus-", "queries-").replace(".jsonl", f"-{len(queries)}.json"))
    n_paras = sum(len(a["paragraphs"]) for a in corpora.read_jsonl(corpus))
    print(f"{label}: {n_paras} paragraphs, {len(queries)} queries", flush=True)
    name = corpus.stem.replace("corpus-", "")
    results: dict[str, dict[str, list]] = {s: {} for s in systems}
    skipped: dict[str, str] = {}
    for rep in range(args.reps):
        order = systems[rep % len(systems) :] + systems[: rep % len(systems)]
        for system in order:
            if system in skipped:
                continue
            target = target_for(system, name)
            remove(target)
            built = run_child(["--_build", system, str(corpus), str(target)])
            if isinstance(built, str):
                skipped[system] = built
                print(f"{label} rep {rep + 1}: {system} skipped: {built}", flush=True)
                continue
            asked = run_child(["--_query", system, str(target), str(qfile)])
            if isinstance(asked, str):
                skipped[system] = asked
                print(f"{label} rep {rep + 1}: {system} queries failed: {asked}", flush=True)
                continue
            r = results[system]
            for key in ("build_s", "size_mb", "rss_mb"):
                r.setdefault(key, []).append(built[key])
            r.setdefault("open_s", []).append(asked["open_s"])
            r.setdefault("hits", []).append(asked["hits"])
            for kind in ("plain", "snippets", "plain_cpu", "snippets_cpu", "facet_plain", "facets"):
                if kind not in asked:
                    continue
                for q in (50, 95, 99):
                    r.setdefault(f"{kind}_p{q}", []).append(percentile(asked[kind], q))
            print(
                f"{label} rep {rep + 1}: {system:9s} build {built['build_s']:.2f} s, "
                f"query p50 {percentile(asked['plain'], 50):.2f} ms, "
                f"+snippets p50 {percentile(asked['snippets'], 50):.2f} ms",
                flush=True,
            )
    if not args.keep:
        for system in systems:
            remove(target_for(system, name))
    return {s: results[s] for s in systems if s not in skipped and results[s]}


def print_table(label: str, res: dict) -> None:
    print(f"\n{label}: medians [min-max] over repetitions")
    head = (
        f"{'system':9s} | {'build s':>22s} | {'size MB':>7s} | {'peak RSS MB':>11s} | {'open s':>6s} | "
        f"{'query p50/p95/p99 ms':>26s} | {'+snippets p50/p95/p99 ms':>26s}"
    )
    print(head)
    print("-" * len(head))
    for system, r in res.items():
        q = "/".join(f"{statistics.median(r[f'plain_p{p}']):.2f}" for p in (50, 95, 99))
        s = "/".join(f"{statistics.median(r[f'snippets_p{p}']):.2f}" for p in (50, 95, 99))
        print(
            f"{system:9s} | {fmt(r['build_s']):>22s} | {statistics.median(r['size_mb']):7.1f} | "
            f"{statistics.median(r['rss_mb']):11.0f} | {statistics.median(r['open_s']):6.2f} | {q:>26s} | {s:>26s}"
        )
    if "facets_p50" in res.get("searchkit", {}):
        r = res["searchkit"]
        print(
            f"{label} searchkit query+facets (source, month, speaker, folder) p50/p95 ms: "
            f"{statistics.median(r['facets_p50']):.2f}/{statistics.median(r['facets_p95']):.2f}, "
            f"plain query in the same A/B lap {statistics.median(r['facet_plain_p50']):.2f}/"
            f"{statistics.median(r['facet_plain_p95']):.2f}: "
            f"x{ratio(res, 'searchkit', 'searchkit', 'facets_p50', 'facet_plain_p50'):.2f} at p50"
        )
    for system, r in res.items():
        cpu = " / ".join(
            f"{statistics.median(r[f'{kind}_cpu_p{p}']):.2f}" for kind in ("plain", "snippets") for p in (50, 95)
        )
        print(f"{label} {system} CPU ms per query, query p50 / p95, +snippets p50 / p95: {cpu}")
    for system, r in res.items():
        print(
            f"{label} {system} query p50 spread ms: {fmt(r['plain_p50'])}; "
            f"+snippets p50 spread ms: {fmt(r['snippets_p50'])}; "
            f"hits over 300 queries: {int(statistics.median(r['hits']))}"
        )


def ratio(res: dict, a: str, b: str, key: str, b_key: str | None = None) -> float | None:
    if a in res and b in res:
        return statistics.median(res[a][key]) / statistics.median(res[b][b_key or key])
    return None


def print_ratios(label: str, res: dict) -> None:
    keys = [
        ("build_s", "build"),
        ("size_mb", "size"),
        ("rss_mb", "peak RSS"),
        ("plain_p50", "query p50"),
        ("plain_p95", "query p95"),
        ("plain_p99", "query p99"),
        ("snippets_p50", "query+snippets p50"),
        ("snippets_p95", "query+snippets p95"),
        ("snippets_p99", "query+snippets p99"),
        ("plain_cpu_p50", "query CPU p50"),
        ("plain_cpu_p95", "query CPU p95"),
        ("snippets_cpu_p50", "query+snippets CPU p50"),
        ("snippets_cpu_p95", "query+snippets CPU p95"),
    ]
    for base, base_name in (("fts5", "FTS5"), ("whoosh", "raw Whoosh")):
        for key, name in keys:
            r = ratio(res, "searchkit", base, key)
            if r is not None:
                print(f"{label}: searchkit/{base_name} {name} x{r:.2f}")
    for key, name in (("build_s", "build"), ("snippets_p50", "query+snippets p50")):
        r = ratio(res, "whoosh", "fts5", key)
        if r is not None:
            print(f"{label}: raw Whoosh/FTS5 {name} x{r:.2f}")


def headline(label: str, res: dict) -> str:
    def x(key):
        r = ratio(res, "searchkit", "fts5", key)
        return "n/a" if r is None else f"{r:.2f}"

    return f"{label}: build x{x('build_s')} FTS5, query+snippets p50 x{x('snippets_p50')} p95 x{x('snippets_p95')}"


def profile(label: str, args, system: str) -> None:
    corpus = corpora.corpus_path(label, args.data)
    queries = corpora.queries_for(corpus)
    target = target_for(system, "profile")
    remove(target)
    if system == "searchkit" and import_searchkit()[0] is None:
        print(f"profile: {import_searchkit()[1]}")
        return
    for stage in ("build", "query+snippets"):
        prof = cProfile.Profile()
        if stage == "build":
            prof.runcall(BUILDERS[system], corpus, target)
        else:
            _, snippets, close = SEARCHERS[system](target)
            prof.runcall(lambda snippets=snippets: [snippets(q) for q in queries])
            close()
        for sort in ("cumulative", "tottime"):
            print(f"\n== profile {system} {stage} {label}: top 25 by {sort}")
            pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats(sort).print_stats(25)
    remove(target)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--_build":
        print(json.dumps(child_build(argv[1], Path(argv[2]), Path(argv[3]))))
        return
    if argv and argv[0] == "--_query":
        print(json.dumps(child_query(argv[1], Path(argv[2]), Path(argv[3]))))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="bbc,100k", help="comma-separated: bbc, 100k, 1m (default bbc,100k)")
    ap.add_argument("--reps", type=int, default=3, help="repetitions per system (default 3, at least 1)")
    ap.add_argument("--data", default=None, help="folder holding bbc-fulltext/ (default ../shared/data)")
    ap.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset of " + ",".join(SYSTEMS))
    ap.add_argument("--keep", action="store_true", help="keep the indexes under benchmarks/.work/")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="instead of timing, cProfile a build and the 300 queries+snippets of each size "
        "(searchkit unless --systems names others)",
    )
    ap.add_argument("--same", metavar="REV", help="compare every result with REV's on the BBC articles, then stop")
    ap.add_argument("--phrases", action="store_true", help="instead of timing, time phrases of stop words on searchkit")
    args = ap.parse_args(argv)
    if args.same:
        raise SystemExit(1 if speedcheck.same(args.same, args.data) else 0)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    for s in systems:
        if s not in SYSTEMS:
            ap.error(f"unknown system {s!r}; choose from {', '.join(SYSTEMS)}")
    for s in sizes:
        try:
            corpora.parse_size(s)
        except ValueError as exc:
            ap.error(str(exc))
    if args.reps < 1:
        ap.error("--reps must be at least 1")
    if args.phrases:
        for label in sizes:
            speedcheck.phrase_times(label, args)
        return
    if args.profile:
        chosen = systems if "--systems" in " ".join(argv) else ["searchkit"]
        for label in sizes:
            for system in chosen:
                profile(label, args, system)
        return
    if args.reps < 3:
        print(f"warning: --reps {args.reps}: medians of fewer than 3 runs are noisy", file=sys.stderr)
    if "searchkit" in systems:
        _, why = import_searchkit()
        if why:
            print(f"searchkit skipped: {why}")
            systems.remove("searchkit")
    all_res = {}
    for label in sizes:
        all_res[label] = measure_size(label, args, systems)
    for label, res in all_res.items():
        print_table(label, res)
        print_ratios(label, res)
    hundred_k = [lab for lab in all_res if corpora.parse_size(lab) == 100_000]
    last = hundred_k[0] if hundred_k else max(all_res, key=lambda lab: corpora.parse_size(lab) or 0)
    print(headline(last, all_res[last]))


if __name__ == "__main__":
    main()
