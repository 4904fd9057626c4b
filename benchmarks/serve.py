"""`searchkit serve` under load: /api/search over loopback beside the same work through the library.

On the 100k-paragraph corpus (corpora.py; each synthetic article is given one of five
sources and a date over two years, deterministically, so the facets have something
to count) this measures, on the same query set:

1. the library in this process: `Index.search` alone, and `search` + `facets` (what
   one /api/search request does) -> the facet cost as a ratio of the plain query;
2. the server (uvicorn in a child process, loopback only) with ONE client, request
   after request -> each answer's latency minus the library time the server spent on
   it (its `took_ms`) = what the HTTP layer adds (routing, JSON encoding, loopback);
3. the server with 8 concurrent keep-alive clients -> requests/s and p50/p95 latency.

Bounded: at most --requests requests per phase and --seconds seconds each.

    python benchmarks/serve.py                 # 100k corpus (built once under benchmarks/.work)
    python benchmarks/serve.py --size bbc      # the BBC set itself
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import corpora

SOURCES = ("Riverside Gazette", "Harbour Times", "Daily Wire", "Evening Post", "Valley Herald")


def faceted_corpus(size: str) -> Path:
    """The corpus for `size` with a source and a date on each article (written once)."""
    plain = corpora.corpus_path(size)
    path = plain.with_name(plain.name.replace(".jsonl", "-faceted.jsonl"))
    if path.exists() and path.stat().st_mtime >= plain.stat().st_mtime:
        return path
    rng = random.Random(corpora.DEFAULT_SEED)
    with path.with_suffix(".tmp").open("w", encoding="utf-8") as out:
        for art in corpora.read_jsonl(plain):
            art["source"] = rng.choice(SOURCES)
            art["date"] = f"{rng.randint(2022, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.write(json.dumps(art, ensure_ascii=False) + "\n")
    path.with_suffix(".tmp").replace(path)
    return path


def build_index(corpus: Path) -> Path:
    """The index of `corpus` under benchmarks/.work, built once."""
    from searchkit import Index

    target = corpus.with_name(corpus.stem + "-index")
    if not (target / "searchkit.json").exists():
        started = time.perf_counter()
        Index.build([str(corpus)], str(target), rebuild=True).close()
        print(f"built {target.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return target


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def library_timings(index: Path, queries: list[str], rounds: int) -> dict[str, list[float]]:
    """Milliseconds per query: search alone, and search + facets (the server's work), best of `rounds`."""
    from searchkit import Index

    out: dict[str, list[float]] = {"search": [], "search+facets": [], "facets": []}
    with Index.open(index) as ix:
        for q in queries[:20]:  # warm caches and the facet table, as a running server has them
            ix.search(q)
            ix.facets(q)
        for q in queries:
            plain, both, facets = [], [], []
            for _ in range(rounds):
                t0 = time.perf_counter()
                ix.search(q)
                t1 = time.perf_counter()
                ix.facets(q)
                t2 = time.perf_counter()
                plain.append(t1 - t0)
                both.append(t2 - t0)
                facets.append(t2 - t1)
            out["search"].append(min(plain) * 1000)
            out["search+facets"].append(min(both) * 1000)
            out["facets"].append(min(facets) * 1000)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(index: Path, port: int) -> subprocess.Popen[bytes]:
    code = (
        "import sys, uvicorn; from searchkit.web import create_app;"
        "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(index), str(port)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def client(
    port: int, queries: list[str], latencies: list[float], overheads: list[float], stop: float, errors: list[str]
) -> None:
    """One keep-alive client sending its queries in turn until they or the time run out.

    `overheads` gets each answer's latency minus the library time the server reports
    (`summary.took_ms`): what HTTP, routing and JSON add to that request.
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for q in queries:
        if time.monotonic() > stop:
            break
        t0 = time.perf_counter()
        conn.request("GET", "/api/search?" + urlencode({"q": q}))
        resp = conn.getresponse()
        body = resp.read()
        elapsed = (time.perf_counter() - t0) * 1000
        latencies.append(elapsed)
        if resp.status != 200:
            errors.append(f"{resp.status} {body[:200]!r}")
        else:
            overheads.append(elapsed - json.loads(body)["summary"]["took_ms"])
    conn.close()


def load(
    port: int, queries: list[str], clients: int, seconds: float
) -> tuple[list[float], list[float], float, list[str]]:
    """Latencies and HTTP overheads (ms), wall seconds and errors of `clients` clients sharing `queries`."""
    latencies: list[float] = []
    overheads: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds
    shares = [queries[i::clients] for i in range(clients)]
    threads = [threading.Thread(target=client, args=(port, s, latencies, overheads, stop, errors)) for s in shares]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, overheads, time.perf_counter() - started, errors


def summary(label: str, ms: list[float], wall: float | None = None) -> dict[str, float]:
    row = {"n": len(ms), "p50_ms": statistics.median(ms), "p95_ms": percentile(ms, 0.95)}
    if wall:
        row["requests_per_s"] = len(ms) / wall
    print(f"{label:<34} " + "  ".join(f"{k} {v:,.2f}" for k, v in row.items()))
    return row


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="100k", help="corpus size label (corpora.py): 100k, 10k, bbc")
    ap.add_argument("--queries", type=int, default=200, help="distinct queries")
    ap.add_argument("--requests", type=int, default=800, help="most requests in the 8-client phase")
    ap.add_argument("--seconds", type=float, default=60.0, help="most seconds per HTTP phase")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3, help="library repetitions per query (best kept)")
    args = ap.parse_args(argv)

    index = build_index(faceted_corpus(args.size))
    queries = corpora.queries_for(corpora.corpus_path(args.size), n=args.queries)
    lib = library_timings(index, queries, args.rounds)
    print(f"corpus {args.size}, {len(queries)} queries; milliseconds")
    rows = {k: summary(f"library {k}", v) for k, v in lib.items()}
    ratio = statistics.median(b / max(p, 1e-9) for p, b in zip(lib["search"], lib["search+facets"]))
    print(f"{'facet query / plain query':<34} median ratio {ratio:.2f}x")

    port = free_port()
    server = start_server(index, port)
    try:
        load(port, queries[:20], 1, args.seconds)  # warm the server as the library was warmed
        one, extra, wall1, err1 = load(port, queries, 1, args.seconds)
        rows["http 1 client"] = summary("http /api/search, 1 client", one, wall1)
        rows["http layer, 1 client"] = summary("  of which HTTP+JSON (minus took_ms)", extra)
        added = rows["http layer, 1 client"]["p50_ms"]
        print(f"{'HTTP layer adds at p50':<34} {added:.2f} ms")
        work = (queries * (args.requests // len(queries) + 1))[: args.requests]
        many, _, wall8, err8 = load(port, work, args.clients, args.seconds)
        rows[f"http {args.clients} clients"] = summary(f"http /api/search, {args.clients} clients", many, wall8)
        for e in (err1 + err8)[:5]:
            print("error:", e, file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps({"facet_ratio": ratio, "http_added_p50_ms": added, **rows}, indent=1))


if __name__ == "__main__":
    main()
