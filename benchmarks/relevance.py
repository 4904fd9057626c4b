"""Relevance benchmark: searchkit against raw Whoosh, SQLite FTS5 and bm25s on
ten test collections, and the leave-one-collection-out choice of its defaults.

    python benchmarks/relevance.py [--data DIR] [--collections cranfield,cisi]
        [--systems searchkit,whoosh,fts5,bm25s] [--config KEY=VALUE ...]
        [--no-grid | --neighbourhood] [--grid-json OUT] [--from-grid-json IN] [--rebuild] [--json OUT]

The collections: Cranfield, CISI, MED, CACM, ADI, LISA, Cystic Fibrosis,
SciFact, SQuAD paragraphs (ir_collections.py, more_collections.py) and
bbcnews-dev (the real BBC files through searchkit's own reader, judged per
paragraph, wire copies counted as shown; targets.py).  After the per-collection
tables comes the selection grid (loo.py): every candidate default on every
collection, indexes cached under benchmarks/.work/, then per collection the
figure of the setting chosen on the other nine, the cross-validated mean, the
plain-BM25 standard and the baselines, and the defaults issue 16's rule keeps.

Every system indexes each collection once (title + body) and runs every judged
query as free text, the way a user would type it, keeping the top 1000
documents.  The measures are MAP, nDCG@10, P@10 and R@100 with trec_eval
semantics (ir_measures on pytrec_eval); a judged query that a system answers
with nothing counts as 0.  The output is one table per collection, a table of
means over the collections, and as the last line the headline figure for
searchkit: ``mean nDCG@10 = X (MAP = Y)``.

``--config KEY=VALUE`` (repeatable) builds ``searchkit.Ranking(KEY=VALUE, ...)``
and passes it to ``Index.from_articles(..., ranking=...)``, so ranking
alternatives can be compared on the same run.  Values are Python literals
(``1.2``, ``True``, ``'x'``); anything else is taken as a string.

The "searchkit" system row is the shipped defaults (or ``--config``) through
``Index.from_articles``; on bbcnews-dev it is left to the grid (shipped row).
Other analyzers (benchmarks/analyzers.py) are no longer patched into the
library: they return once an index can be built and queried with an explicit
analysis (see README.md, "Selection by leave-one-collection-out").
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# measure the working tree's searchkit even when it is not pip-installed
if str(HERE.parent) not in sys.path:
    sys.path.insert(1, str(HERE.parent))
import ir_collections  # noqa: E402
import loo  # noqa: E402
from ir_collections import DEFAULT_DATA, Collection, Doc  # noqa: E402
from targets import BbcTarget, CollectionTarget  # noqa: E402

NAMES = (*ir_collections.NAMES, "bbcnews-dev")

SYSTEMS = ("searchkit", "whoosh", "fts5", "bm25s")
DEPTH = 1000
MEASURE_NAMES = ("MAP", "nDCG@10", "P@10", "R@100")

Ranked = dict[str, list[str]]  # query id -> doc ids, best first


class Unavailable(Exception):
    """A system cannot run here (package missing, API not ready)."""


@dataclass
class SystemResult:
    ranked: Ranked
    index_s: float
    query_s: float
    failed: int = 0  # queries that raised (counted as empty result lists)


# --------------------------------------------------------------------------- metrics


def _measures() -> list[Any]:
    import ir_measures
    from ir_measures import AP, P, R, nDCG

    del ir_measures
    return [AP, nDCG @ 10, P @ 10, R @ 100]


def to_run(ranked: Ranked, qids: list[str]) -> dict[str, dict[str, float]]:
    """Rank-based scores (DEPTH - rank) so ties cannot reorder documents.  A
    query without results gets a placeholder document, so that trec_eval
    counts it as 0 instead of leaving it out of the mean."""
    run: dict[str, dict[str, float]] = {}
    for qid in qids:
        docs = list(dict.fromkeys(ranked.get(qid, [])))[:DEPTH]
        run[qid] = {doc: float(DEPTH - rank) for rank, doc in enumerate(docs)} or {"__no_result__": 0.0}
    return run


def evaluate(ranked: Ranked, qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """MAP, nDCG@10, P@10, R@100 over the judged queries (trec_eval semantics)."""
    import ir_measures

    measures = _measures()
    judged = {q: dict(v) for q, v in qrels.items() if v}
    agg = ir_measures.calc_aggregate(measures, judged, to_run(ranked, sorted(judged)))
    return {name: float(agg[m]) for name, m in zip(MEASURE_NAMES, measures)}


# --------------------------------------------------------------------------- systems


def paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p for p in (" ".join(b.split()) for b in re.split(r"\n[ \t]*\n", text)) if p)


#: Typo retry for unknown query words, as users get it by default (--no-fuzzy turns it off).
FUZZY = True


def run_searchkit(docs: list[Doc], queries: dict[str, str], workdir: Path, config: dict[str, Any]) -> SystemResult:
    try:
        import searchkit
    except ImportError as e:
        raise Unavailable(f"cannot import searchkit ({e})") from None
    missing = [n for n in ("Index", "Article") if not hasattr(searchkit, n)]
    if missing or not hasattr(getattr(searchkit, "Index", None), "from_articles"):
        raise Unavailable("searchkit API not ready (needs searchkit.Article and Index.from_articles)")
    kwargs: dict[str, Any] = {}
    if config:
        if not hasattr(searchkit, "Ranking"):
            raise Unavailable("--config given but searchkit.Ranking does not exist yet")
        kwargs["ranking"] = searchkit.Ranking(**config)

    # A document without body text (most CACM docs, two Cranfield docs) gets its
    # title as its only paragraph, so that it stays findable in a paragraph index.
    articles = [
        searchkit.Article(id=d.id, headline=d.title, paragraphs=paragraphs(d.text) or ((d.title,) if d.title else ()))
        for d in docs
    ]
    index_dir = workdir / "searchkit"
    index_dir.mkdir()
    t0 = time.perf_counter()
    ix = searchkit.Index.from_articles(articles, str(index_dir), **kwargs)
    t1 = time.perf_counter()
    ranked: Ranked = {}
    failed = 0
    try:
        for qid, text in queries.items():
            try:
                hits = ix.search(text, limit=DEPTH, per_article=True, fuzzy=FUZZY, snippets=False)
            except Exception as e:  # a query the library rejects scores 0, but is reported
                failed += 1
                print(f"  searchkit: query {qid} failed: {type(e).__name__}: {e}", file=sys.stderr)
                ranked[qid] = []
                continue
            ranked[qid] = [h.article_id for h in hits]
    finally:
        t2 = time.perf_counter()
        close = getattr(ix, "close", None)
        if close:
            close()
    return SystemResult(ranked, t1 - t0, t2 - t1, failed)


_WHOOSH_SYNTAX = re.compile(r"""[+\-&|!(){}\[\]^"~*?:\\/'<>=]""")


def whoosh_free_text(text: str) -> str:
    """Neutralise Whoosh query syntax: drop syntax characters and lowercase, so
    AND/OR/NOT/TO (operators only in capitals) become plain words."""
    return _WHOOSH_SYNTAX.sub(" ", text).lower()


def run_whoosh(docs: list[Doc], queries: dict[str, str], workdir: Path, config: dict[str, Any]) -> SystemResult:
    try:
        from whoosh import index as windex
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.qparser import MultifieldParser, OrGroup
    except ImportError as e:
        raise Unavailable(f"whoosh not installed ({e})") from None
    schema = Schema(
        id=ID(stored=True, unique=True), title=TEXT(analyzer=StemmingAnalyzer()), body=TEXT(analyzer=StemmingAnalyzer())
    )
    path = workdir / "whoosh"
    path.mkdir()
    t0 = time.perf_counter()
    ix = windex.create_in(str(path), schema)
    with ix.writer(limitmb=256) as w:
        for d in docs:
            w.add_document(id=d.id, title=d.title, body=d.text)
    t1 = time.perf_counter()
    parser = MultifieldParser(["title", "body"], schema, fieldboosts={"title": 2.0}, group=OrGroup)
    ranked: Ranked = {}
    with ix.searcher() as s:  # default weighting: BM25F
        for qid, text in queries.items():
            results = s.search(parser.parse(whoosh_free_text(text)), limit=DEPTH)
            ranked[qid] = [hit["id"] for hit in results]
    t2 = time.perf_counter()
    ix.close()
    return SystemResult(ranked, t1 - t0, t2 - t1)


def fts5_query(text: str) -> str:
    """OR of the query's distinct terms, each quoted (so no FTS5 syntax)."""
    terms = dict.fromkeys(t.lower() for t in re.findall(r"\w+", text))
    return " OR ".join(f'"{t}"' for t in terms)


def run_fts5(docs: list[Doc], queries: dict[str, str], workdir: Path, config: dict[str, Any]) -> SystemResult:
    db = sqlite3.connect(str(workdir / "fts5.db"))
    try:
        db.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='porter unicode61')")
    except sqlite3.OperationalError as e:
        db.close()
        raise Unavailable(f"SQLite FTS5 not available ({e})") from None
    t0 = time.perf_counter()
    with db:
        db.executemany(
            "INSERT INTO t(rowid, title, body) VALUES (?, ?, ?)", ((i, d.title, d.text) for i, d in enumerate(docs))
        )
    t1 = time.perf_counter()
    ranked: Ranked = {}
    sql = f"SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t, 2.0, 1.0) LIMIT {DEPTH}"
    for qid, text in queries.items():
        q = fts5_query(text)
        ranked[qid] = [docs[row[0]].id for row in db.execute(sql, (q,))] if q else []
    t2 = time.perf_counter()
    db.close()
    return SystemResult(ranked, t1 - t0, t2 - t1)


def run_bm25s(docs: list[Doc], queries: dict[str, str], workdir: Path, config: dict[str, Any]) -> SystemResult:
    try:
        import bm25s
        import Stemmer
    except ImportError as e:
        raise Unavailable(f"bm25s / PyStemmer not installed ({e})") from None
    stemmer = Stemmer.Stemmer("english")
    t0 = time.perf_counter()
    corpus = [f"{d.title}\n{d.text}" for d in docs]
    tokens = bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    t1 = time.perf_counter()
    ranked: Ranked = {}
    qids = list(queries)
    qtokens = bm25s.tokenize(
        [queries[q] for q in qids], stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False
    )
    k = min(DEPTH, len(docs))
    for qid, toks in zip(qids, qtokens):
        if not toks:
            ranked[qid] = []
            continue
        found, scores = retriever.retrieve([toks], k=k, show_progress=False)
        ranked[qid] = [docs[int(i)].id for i, s in zip(found[0], scores[0]) if s > 0]
    t2 = time.perf_counter()
    return SystemResult(ranked, t1 - t0, t2 - t1)


RUNNERS: dict[str, Callable[[list[Doc], dict[str, str], Path, dict[str, Any]], SystemResult]] = {
    "searchkit": run_searchkit,
    "whoosh": run_whoosh,
    "fts5": run_fts5,
    "bm25s": run_bm25s,
}


# --------------------------------------------------------------------------- driver


@dataclass
class Report:
    results: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # collection -> system -> figures
    skipped: dict[str, str] = field(default_factory=dict)  # system -> reason

    def summary(self, systems: list[str]) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for system in systems:
            rows = [r[system] for r in self.results.values() if system in r]
            if rows:
                keys = [*MEASURE_NAMES, "index_s", "query_s"]
                out[system] = {k: sum(r[k] for r in rows) / len(rows) for k in keys}
                out[system]["collections"] = len(rows)
        return out


def parse_config(items: list[str]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise SystemExit(f"Error: --config expects KEY=VALUE, got {item!r}")
        try:
            value: Any = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            value = raw
        config[key.strip()] = value
    return config


def table(title: str, rows: dict[str, dict[str, float]]) -> list[str]:
    head = f"{'system':10} {'MAP':>7} {'nDCG@10':>8} {'P@10':>7} {'R@100':>7} {'index s':>8} {'query s':>8}"
    lines = [title, head, "-" * len(head)]
    for system, r in rows.items():
        lines.append(
            f"{system:10} {r['MAP']:7.4f} {r['nDCG@10']:8.4f} {r['P@10']:7.4f} {r['R@100']:7.4f} "
            f"{r['index_s']:8.2f} {r['query_s']:8.2f}"
        )
    return lines


def run_collection(c: Collection, systems: list[str], config: dict[str, Any], report: Report, target: Any) -> None:
    queries = c.judged_queries()
    report.results[c.name] = {}
    for system in systems:
        if system in report.skipped or (system == "searchkit" and c.paragraphs):
            continue  # paragraph collections: searchkit's rows come from the grid (per paragraph)
        with tempfile.TemporaryDirectory(prefix=f"sk-bench-{c.name}-") as tmp:
            print(f"[{c.name}] {system}: {len(c.docs)} docs, {len(queries)} queries", file=sys.stderr)
            try:
                res = RUNNERS[system](c.docs, queries, Path(tmp), config if system == "searchkit" else {})
            except Unavailable as e:
                report.skipped[system] = str(e)
                print(f"skipping {system}: {e}", file=sys.stderr)
                continue
        figures = evaluate(res.ranked, c.qrels)
        if isinstance(target, BbcTarget):
            figures["quote"] = target.score_ranked(res.ranked)["quote"]
        figures.update(index_s=res.index_s, query_s=res.query_s, queries=len(queries), failed_queries=res.failed)
        report.results[c.name][system] = figures


def load_target(name: str, data: Path, rebuild: bool) -> tuple[Collection, Any]:
    """The collection (for the baselines) and its grid target (for searchkit)."""
    if name == "bbcnews-dev":
        t = BbcTarget(data, rebuild)
        docs = [Doc(d["id"], d["title"], d["body"]) for d in t.docs]
        c = Collection(name, docs, t.queries(), t.qrels, paragraphs=True)
        return c, t
    c = ir_collections.load(name, data)
    return c, CollectionTarget(c, rebuild)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the collections")
    ap.add_argument("--collections", default=",".join(NAMES), help=f"comma-separated subset of {','.join(NAMES)}")
    ap.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated subset of {','.join(SYSTEMS)}")
    ap.add_argument(
        "--config", action="append", default=[], metavar="KEY=VALUE", help="searchkit.Ranking field (repeatable)"
    )
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write all figures as JSON to OUT")
    ap.add_argument("--no-fuzzy", action="store_true", help="searchkit without its typo retry of unknown words")
    ap.add_argument("--no-grid", action="store_true", help="skip the selection grid")
    ap.add_argument(
        "--neighbourhood",
        action="store_true",
        help="run the grid on the neighbourhood of the chosen defaults only (one knob varied at a time; ~20x faster)",
    )
    ap.add_argument("--grid-json", type=Path, metavar="OUT", help="write every grid figure as JSON to OUT")
    ap.add_argument("--from-grid-json", type=Path, metavar="IN", help="take the grid figures from IN (no searches)")
    ap.add_argument(
        "--remeasure",
        default="",
        metavar="NAMES",
        help="with --from-grid-json: search these collections again, on every setting of IN "
        "(with --neighbourhood: only those around the chosen defaults)",
    )
    ap.add_argument("--baselines-json", type=Path, metavar="IN", help="take the baselines from a --json file (no runs)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached grid indexes in benchmarks/.work/")
    args = ap.parse_args(argv)
    args.names = [n.strip() for n in args.collections.split(",") if n.strip()]
    args.system_list = [s.strip() for s in args.systems.split(",") if s.strip()]
    for n in args.names:
        if n not in NAMES:
            ap.error(f"unknown collection {n!r}; choose from {', '.join(NAMES)}")
    for s in args.system_list:
        if s not in SYSTEMS:
            ap.error(f"unknown system {s!r}; choose from {', '.join(SYSTEMS)}")
    return args


def print_collection(c: Collection, report: Report) -> None:
    print()
    print(
        "\n".join(
            table(f"== {c.name}: {len(c.docs)} docs, {len(c.judged_queries())} judged queries", report.results[c.name])
        )
    )
    for system, r in report.results[c.name].items():
        if r["failed_queries"]:
            print(f"   {system}: {r['failed_queries']} queries raised an error (scored as empty)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.data.is_dir():
        print(f"Error: data folder {args.data} not found; pass --data DIR", file=sys.stderr)
        return 2
    try:
        import ir_measures  # noqa: F401
    except ImportError:
        print("Error: ir_measures is not installed; run pip install -e '.[bench]'", file=sys.stderr)
        return 2
    config = parse_config(args.config)
    global FUZZY
    FUZZY = not args.no_fuzzy

    report = Report()
    grid: dict[str, dict[loo.Setting, dict[str, float]]] = {}
    if args.baselines_json:
        report.results = json.loads(args.baselines_json.read_text())["collections"]
        args.system_list = []
    for name in args.names:
        c, target = load_target(name, args.data, args.rebuild)
        if args.system_list:
            run_collection(c, args.system_list, config, report, target)
            print_collection(c, report)
        if not args.no_grid and not args.from_grid_json:
            settings = loo.neighbourhood(loo.CHOSEN) if args.neighbourhood else loo.grid()
            print(f"[{name}] grid: {len(settings)} settings", file=sys.stderr)
            grid[name] = loo.sweep(target, settings)
            if args.grid_json:  # written as it grows, so a long run interrupted keeps what it measured
                loo.dump(args.grid_json, grid)
    if args.from_grid_json:
        grid = {n: by for n, by in loo.load_dump(args.from_grid_json).items() if n in args.names}
    if args.from_grid_json and args.remeasure:
        # The settings every collection of the dump holds, or only the neighbourhood of the chosen defaults.
        held = set.intersection(*(set(by) for by in grid.values()))
        near = sorted(held & set(loo.neighbourhood(loo.CHOSEN)) if args.neighbourhood else held)
        grid = {n: {s: by[s] for s in near} for n, by in grid.items()}
        for name in (n.strip() for n in args.remeasure.split(",") if n.strip()):
            print(f"[{name}] grid: {len(near)} settings", file=sys.stderr)
            grid[name] = loo.sweep(load_target(name, args.data, args.rebuild)[1], near)
    if args.grid_json and grid:
        loo.dump(args.grid_json, grid)

    summary = report.summary(args.system_list)
    print()
    print("\n".join(table(f"== mean over {len(args.names)} collections", summary)))
    for system, reason in report.skipped.items():
        print(f"skipped {system}: {reason}")
    if config:
        print(f"searchkit ranking config: {config}")
    sk = summary.get("searchkit")
    if sk and sk["collections"] == len(args.names):
        print(f"mean nDCG@10 = {sk['nDCG@10']:.4f} (MAP = {sk['MAP']:.4f})")
    if grid:
        print()
        print("\n".join(loo.report(grid, report.results)))
    if args.json:
        payload = {"collections": report.results, "summary": summary, "skipped": report.skipped, "config": config}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
