"""Quote-seeking questions on bbcnews-dev, per query: searchkit's rule against plain free text and the baselines.

    python benchmarks/quoteseek.py [--data DIR]

"what Blair said about climate change" ranks the paragraphs quoting the person
about the subject first (`searchkit/search/quoteseek.py`); a paragraph is about
the subject when its words carry at least `SUBJECT_SHARE` (0.5) of the subject's
idf weight. This prints nDCG@10 (wire copies counted as shown, bbcnews-dev's own
evaluate.py) on each of the ten quote-seeking queries, their mean and the mean
over all 30 queries, for:

- searchkit as shipped;
- searchkit searching the question's grammar too ("said", "on", "about"), as it did before;
- searchkit with the rewrite off: the question as plain free text;
- searchkit with other shares: any subject word (0+), 0.25, 0.4, 0.6, 0.75, every word (1.0);
- SQLite FTS5 and bm25s, as `relevance.py` runs them, in the same run.

Then the share chosen by leave-one-query-out: for each quote-seeking query, the
share with the best mean on the other nine (ties: the shipped 0.5), scored on
the held-out query. Only bbcnews-dev is here: on the other nine collections of
`relevance.py` no query names an indexed speaker with a cue except six of
SQuAD's 1,057, whose figure does not move.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
if str(HERE.parent) not in sys.path:  # measure the working tree's searchkit
    sys.path.insert(1, str(HERE.parent))
import relevance  # noqa: E402
from ir_collections import DEFAULT_DATA  # noqa: E402

SHARES = (1e-9, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0)
SHIPPED = 0.5

PerQuery = dict[str, float]


@contextmanager
def patched(name: str, value: object) -> Iterator[None]:
    """searchkit with `quoteseek.<name>` set to `value` for the block (the share, the cue words, the rewrite)."""
    from searchkit.search import quoteseek

    old = getattr(quoteseek, name)
    setattr(quoteseek, name, value)
    try:
        yield
    finally:
        setattr(quoteseek, name, old)


def _never(*args: object, **kwargs: object) -> None:
    """A rewrite that never applies: every question as plain free text."""


def per_query(target: Any, run: dict[str, list[tuple[str, float]]]) -> tuple[PerQuery, float]:
    """nDCG@10 per query and over all queries, by bbcnews-dev's evaluate.py."""
    table, by_query = target.ev.score({"run": run}, target.all_queries, target.qrels, backend="auto")
    scores = by_query.get("run", by_query)
    return {q: float(v) for q, v in scores.items() if isinstance(v, (int, float))}, float(table["run"]["nDCG@10"])


def searchkit_run(target: Any) -> tuple[PerQuery, float]:
    import searchkit

    with searchkit.Index.open(target.index()) as ix:
        found = {q: ix.search(t, limit=100, per_article=False, snippets=False) for q, t in target.queries().items()}
    return per_query(target, {q: target.shown(target.hits(res)) for q, res in found.items()})


def baseline_run(target: Any, collection: Any, system: str) -> tuple[PerQuery, float]:
    with tempfile.TemporaryDirectory(prefix=f"sk-quoteseek-{system}-") as tmp:
        res = relevance.RUNNERS[system](collection.docs, collection.judged_queries(), Path(tmp), {})
    ranked = res.ranked
    return per_query(target, {q: [(d, float(len(ds) - i)) for i, d in enumerate(ds)] for q, ds in ranked.items()})


def loqo(rows: dict[float, PerQuery], quote: list[str]) -> dict[str, tuple[float, float]]:
    """Each quote query's (share chosen on the other nine, its figure there); ties: the shipped share."""
    out = {}
    for held in quote:
        rest = [q for q in quote if q != held]
        best = max(rows, key=lambda s: (round(statistics.mean(rows[s][q] for q in rest), 9), s == SHIPPED))
        out[held] = (best, rows[best][held])
    return out


def share_name(value: float) -> str:
    return "any word" if value < 0.01 else "every word" if value == 1.0 else f"{value:g}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding bbcnews-dev and bbc-fulltext")
    args = ap.parse_args(argv)
    collection, target = relevance.load_target("bbcnews-dev", args.data, False)
    quote = sorted(q for q, kind, _ in target.all_queries if kind == "quote")
    rows: dict[str, tuple[PerQuery, float]] = {}
    by_share: dict[float, PerQuery] = {}
    for value in SHARES:
        with patched("SUBJECT_SHARE", value):
            figures = searchkit_run(target)
        by_share[value] = figures[0]
        rows[f"searchkit, share {share_name(value)}" + (" (shipped)" if value == SHIPPED else "")] = figures
    with patched("FUNCTION_CUES", frozenset()):  # the question's grammar searched too
        rows["searchkit, share 0.5, searching 'said', 'about' … too"] = searchkit_run(target)
    with patched("rewrite", _never):
        rows["searchkit, plain free text"] = searchkit_run(target)
    runners: dict[str, Callable[[], tuple[PerQuery, float]]] = {
        s: (lambda s=s: baseline_run(target, collection, s))
        for s in ("fts5", "bm25s")  # type: ignore[misc]
    }
    for system, run in runners.items():
        try:
            rows[system] = run()
        except relevance.Unavailable as e:
            print(f"skipping {system}: {e}", file=sys.stderr)
    chosen = loqo(by_share, quote)
    print("bbcnews-dev, nDCG@10 on the quote-seeking queries (and the mean over all 30)")
    print("| system | " + " | ".join(quote) + " | quote mean | all 30 |")
    print("|---|" + "---:|" * (len(quote) + 2))
    for name, (pq, overall) in rows.items():
        cells = " | ".join(f"{pq[q]:.3f}" for q in quote)
        print(f"| {name} | {cells} | {statistics.mean(pq[q] for q in quote):.4f} | {overall:.4f} |")
    figures = {q: f for q, (_, f) in chosen.items()}
    overall = statistics.mean(figures.get(q, v) for q, v in by_share[SHIPPED].items())  # the other 20 do not move
    cells = " | ".join(f"{figures[q]:.3f}" for q in quote)
    mean = statistics.mean(figures.values())
    print(f"| searchkit, share by leave-one-query-out | {cells} | {mean:.4f} | {overall:.4f} |")
    print("shares chosen on the other nine: " + ", ".join(f"{q} {share_name(s)}" for q, (s, _) in chosen.items()))


if __name__ == "__main__":
    main()
