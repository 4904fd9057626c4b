"""Query shapes: AND, OR, NOT, phrases and prefixes, searchkit against SQLite FTS5, same run.

`speed.py` times free text (1–3 words). People also type `a AND b`, `a OR b`,
`a NOT b`, `"a b"`, `abc*` and quote-seeking questions (`what Blair said about
iraq`, rewritten by `search.quoteseek`). For each shape this builds 50 seeded queries
from the corpus (the words of speed.py's query set; phrases are adjacent word
pairs of random paragraphs; prefixes the first five letters of a word; a quote-seeking query is "what
SURNAME said about WORD" for one of the index's 200 most quoted speakers, FTS5
getting the same words ORed), then
times each query with its top-10 snippets in three systems, alternating, on
indexes built once:

- searchkit as shipped (`Index.search`, defaults);
- searchkit with its bulk scorer off (`fastsearch.enabled = False`): every
  query through Whoosh's matchers, the path these shapes took before;
- SQLite FTS5 (`porter unicode61`, the same `MATCH` shape with quoted words,
  `ORDER BY bm25(t) LIMIT 10`, `snippet()`).

Figures: p50 / p95 ms per shape, medians over `--reps` passes.

    python benchmarks/shapes.py --size 100k --reps 3
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import corpora

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

PER_SHAPE = 50
SEED = 20261129
SHAPES = ("AND", "OR", "NOT", "phrase", "prefix", "quote-seeking")


def make_queries(corpus: Path) -> dict[str, list[tuple[str, str]]]:
    """Shape -> [(searchkit query, FTS5 MATCH)], seeded."""
    from searchkit import analysis

    rng = random.Random(SEED)
    words = sorted({w for q in corpora.queries_for(corpus) for w in q.split()})
    paragraphs = [p for art in corpora.read_jsonl(corpus) for p in art["paragraphs"]]
    out: dict[str, list[tuple[str, str]]] = {s: [] for s in SHAPES if s != "quote-seeking"}
    for _ in range(PER_SHAPE):
        a, b = rng.sample(words, 2)
        out["AND"].append((f"{a} AND {b}", f'"{a}" AND "{b}"'))
        a, b = rng.sample(words, 2)
        out["OR"].append((f"{a} OR {b}", f'"{a}" OR "{b}"'))
        a, b = rng.sample(words, 2)
        out["NOT"].append((f"{a} NOT {b}", f'"{a}" NOT "{b}"'))
        while True:  # two adjacent words, neither a stop word
            toks = [t.lower() for t in analysis.TOKEN_PATTERN.findall(rng.choice(paragraphs))]
            pairs = [
                (x, y)
                for x, y in zip(toks, toks[1:])
                if x.isalpha() and y.isalpha() and analysis.terms(x) and analysis.terms(y)
            ]
            if pairs:
                x, y = rng.choice(pairs)
                out["phrase"].append((f'"{x} {y}"', f'"{x} {y}"'))
                break
        w = rng.choice([w for w in words if len(w) >= 6])
        out["prefix"].append((f"{w[:5]}*", f'"{w[:5]}"*'))
    return out


def quote_queries(ix: Any, corpus: Path) -> list[tuple[str, str]]:
    """ "what SURNAME said about WORD" for the index's most quoted speakers (seeded), and FTS5's OR of its words."""
    rng = random.Random(SEED)
    words = sorted({w for q in corpora.queries_for(corpus) for w in q.split()})
    surnames = sorted({s.name.split()[-1] for s in ix.speakers(limit=200) if s.name.split()[-1].isalpha()})
    out = []
    for _ in range(PER_SHAPE):
        who, what = rng.choice(surnames), rng.choice(words)
        out.append((f"what {who} said about {what}", f'"{who}" OR "said" OR "{what}"'))
    return out


def timed(fn, queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        start = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - start) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * len(s) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="100k", help="bbc, 100k, 1m (default 100k)")
    ap.add_argument("--reps", type=int, default=3, help="timed passes (default 3)")
    ap.add_argument("--data", default=None, help="folder holding bbc-fulltext/ (default ../shared/data)")
    args = ap.parse_args(argv)
    if args.reps < 1:
        ap.error("--reps must be at least 1")
    import searchkit
    from searchkit.search import bulk as fastsearch

    corpus = corpora.corpus_path(args.size, args.data)
    queries = make_queries(corpus)
    work = HERE / ".work"
    sk_dir, db = work / f"index-shapes-{corpus.stem}", work / f"fts5-shapes-{corpus.stem}.db"
    shutil.rmtree(sk_dir, ignore_errors=True)
    db.unlink(missing_ok=True)
    print(f"building searchkit and FTS5 indexes of {corpus.name}", flush=True)
    searchkit.Index.build([str(corpus)], str(sk_dir), rebuild=True).close()
    con = sqlite3.connect(str(db))
    con.execute("CREATE VIRTUAL TABLE t USING fts5(headline, body, tokenize='porter unicode61')")
    with con:
        con.executemany(
            "INSERT INTO t(headline, body) VALUES (?, ?)",
            ((a["headline"], p) for a in corpora.read_jsonl(corpus) for p in a["paragraphs"]),
        )
    sql = (
        "SELECT rowid, bm25(t), headline, snippet(t, 1, '[', ']', '\u2026', 12) "
        "FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10"
    )
    ix = searchkit.Index.open(str(sk_dir))
    queries["quote-seeking"] = quote_queries(ix, corpus)

    def sk(q: str) -> list:
        return [(h.article_id, h.paragraph, h.snippet) for h in ix.search(q, limit=10)]

    def sk_whoosh(q: str) -> list:
        fastsearch.enabled = False
        try:
            return sk(q)
        finally:
            fastsearch.enabled = True

    def fts(q: str) -> list:
        return con.execute(sql, (q,)).fetchall()

    systems = {"searchkit": (sk, 0), "searchkit, Whoosh path": (sk_whoosh, 0), "FTS5": (fts, 1)}
    res: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for shape in SHAPES:  # warm-up: each query once in each system
        for fn, col in systems.values():
            timed(fn, [pair[col] for pair in queries[shape]])
    for rep in range(args.reps):
        names = list(systems)
        names = names[rep % len(names) :] + names[: rep % len(names)]
        for shape in SHAPES:
            for name in names:
                fn, col = systems[name]
                t = timed(fn, [pair[col] for pair in queries[shape]])
                res.setdefault((shape, name), []).append((pct(t, 0.5), pct(t, 0.95)))
        print(f"pass {rep + 1} done", flush=True)
    ix.close()
    con.close()
    shutil.rmtree(sk_dir, ignore_errors=True)
    db.unlink(missing_ok=True)
    print(f"\n{corpus.name}: {PER_SHAPE} queries per shape, top 10 with snippets, ms, medians of {args.reps} passes")
    print("| shape | example | searchkit p50 / p95 | Whoosh path p50 / p95 | FTS5 p50 / p95 | searchkit / FTS5 p50 |")
    print("|---|---|---|---|---|---|")
    for shape in SHAPES:
        cells = []
        for name in systems:
            rows = res[(shape, name)]
            cells.append((statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)))
        ratio = cells[0][0] / cells[2][0] if cells[2][0] else float("nan")
        print(
            f"| {shape} | `{queries[shape][0][0]}` | "
            + " | ".join(f"{a:.1f} / {b:.1f}" for a, b in cells)
            + f" | x{ratio:.2f} |"
        )


if __name__ == "__main__":
    main()
