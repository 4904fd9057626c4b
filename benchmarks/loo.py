"""Leave-one-collection-out selection of searchkit's ranking defaults.

A grid of candidate defaults (`GRID`: k1, b, field boosts, the weight of a
repeated query word, and the article-context weight) is run on every
collection. Each collection's index is built once and cached under
``benchmarks/.work/`` (git-ignored); every query-time setting re-opens it
with another `searchkit.Ranking`, so nothing is rebuilt. The article-context
weight is the library's `Ranking.context` (`searchkit.search.context`): a
paragraph's score becomes ``(1 - w) * score + w * best score of its article``
over every match (Callan's "max passage" as the document score), which only
reorders paragraph collections; judged per article, each article's best
paragraph keeps its score and place, so the weight changes nothing there and
those collections are not searched again for it.

`neighbourhood(centre)` is a smaller grid: the centre with one knob at a time
varied over its `GRID` values, plus the standard and shipped settings.
`relevance.py --from-grid-json IN --remeasure NAMES` re-runs only some
collections (e.g. after a change that moves only paragraph collections) on
every setting IN holds, or with `--neighbourhood` on this smaller grid.

Selection, for each held-out collection: the setting with the best mean
nDCG@10 over the other collections; its figure on the held-out one is the
cross-validated figure. `decide` applies issue 16's rule to a change against
the standard (plain BM25, `STANDARD`): keep it only if it wins on the
cross-validated mean and loses more than `TOLERANCE` on at most `MAX_LOSSES`
collections; otherwise the standard value stays.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Protocol

WORK = Path(__file__).resolve().parent / ".work"
DEPTH = 100  # hits per query: nDCG@10 needs 10, the context re-ranking a margin
TOLERANCE = 0.01
MAX_LOSSES = 2

BOOSTS = {"none": (1.0, 1.0), "shipped": (2.0, 1.5)}  # (headline, quotes)
GRID: dict[str, tuple[Any, ...]] = {
    "k1": (0.9, 1.2, 1.5, 2.0),
    "b": (0.4, 0.75, 0.9),
    "boosts": tuple(BOOSTS),
    "query_tf": (0.0, 0.75, 1.0),
    "context": (0.0, 0.1, 0.2, 0.3, 0.5),
}


@dataclass(frozen=True, order=True)
class Setting:
    """One candidate default: the query-time knobs and the article-context weight."""

    k1: float
    b: float
    boosts: str
    query_tf: float
    context: float

    def ranking(self) -> Any:
        import searchkit

        headline, quotes = BOOSTS[self.boosts]
        return searchkit.Ranking(
            k1=self.k1,
            b=self.b,
            headline_b=self.b,
            headline_boost=headline,
            quotes_boost=quotes,
            query_tf=self.query_tf,
            context=self.context,
        )

    def label(self) -> str:
        return f"k1={self.k1} b={self.b} boosts={self.boosts} query_tf={self.query_tf} context={self.context}"


#: The order `select` decides the knobs in: b first (the length normalisation the others are tuned
#: around; with stop words counted in field lengths its tuned value no longer wins clearly), then the rest.
DECISION_ORDER = ("b", "k1", "boosts", "query_tf", "context")

#: Plain BM25 (k1 1.2, b 0.75, no boosts, every repeat of a query word counts): the standard.
STANDARD = Setting(1.2, 0.75, "none", 1.0, 0.0)
#: The defaults searchkit ships today.
SHIPPED = Setting(2.0, 0.75, "shipped", 0.75, 0.0)
#: The defaults chosen on the full grid (benchmarks/README.md), the centre of `neighbourhood`.
CHOSEN = Setting(1.5, 0.75, "shipped", 0.75, 0.5)


def grid() -> list[Setting]:
    return [Setting(*v) for v in itertools.product(*GRID.values())]


# A hit as the harness sees it: (doc id, article id, score, wire-copy doc ids).
Hit = tuple[str, str, float, tuple[str, ...]]


class Target(Protocol):
    """A collection as the grid runs it: its cached index, queries and measure."""

    name: str
    per_article: bool

    def index(self) -> Path: ...
    def queries(self) -> dict[str, str]: ...
    def hits(self, found: Any) -> list[Hit]: ...
    def score(self, run: dict[str, list[Hit]]) -> dict[str, float]: ...


def cached_index(name: str, key: str, build: Callable[[Path], None], rebuild: bool = False) -> Path:
    """The folder of `name`'s searchkit index, built by `build` unless one with the same `key` is cached."""
    path = WORK / name
    stamp = path / "bench-key.json"
    if not rebuild and stamp.is_file() and json.loads(stamp.read_text()) == key:
        return path / "index"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    build(path / "index")
    stamp.write_text(json.dumps(key))
    return path / "index"


def _repeats(text: str) -> bool:
    from searchkit import analysis

    words = analysis.terms(text)
    return len(words) != len(set(words))


def sweep(target: Target, settings: Iterable[Setting]) -> dict[Setting, dict[str, float]]:
    """Every setting's figures on `target`: one search pass per query-time ranking.

    A query without a repeated word ranks the same whatever `query_tf` is, so
    only the queries with one are searched again for the other `query_tf` values.
    """
    import searchkit

    path = target.index()
    queries = target.queries()
    repeating = {q for q, text in queries.items() if _repeats(text)}
    by_ranking: dict[Setting, list[Setting]] = {}
    for s in settings:  # judged per article, article context changes nothing: one search for every weight
        by_ranking.setdefault(replace(s, context=0.0) if target.per_article else s, []).append(s)
    runs: dict[tuple[float, float, str, float], dict[str, list[Hit]]] = {}
    out: dict[Setting, dict[str, float]] = {}
    for base in sorted(by_ranking):
        key = (base.k1, base.b, base.boosts, base.context)
        first = runs.get(key)
        todo = queries if first is None else {q: queries[q] for q in repeating}
        with searchkit.Index.open(path, ranking=base.ranking()) as ix:
            run = {
                q: target.hits(ix.search(text, limit=DEPTH, per_article=target.per_article, snippets=False))
                for q, text in todo.items()
            }
        if first is None:
            runs[key] = run
        else:
            run = {**first, **run}
        for s in by_ranking[base]:
            out[s] = target.score(run)
    return out


def neighbourhood(centre: Setting) -> list[Setting]:
    """`centre` with one knob at a time over its GRID values, plus STANDARD and SHIPPED (a grid for a re-run)."""
    out = {centre, STANDARD, SHIPPED}
    for knob, values in GRID.items():
        out.update(replace(centre, **{knob: v}) for v in values)
    return sorted(out)


# --------------------------------------------------------------------------- selection


def choose(figures: dict[str, dict[Setting, float]], names: list[str], candidates: list[Setting]) -> Setting:
    """The candidate with the best mean over `names` (ties: the earliest candidate)."""
    return max(candidates, key=lambda s: (sum(figures[n][s] for n in names) / len(names), -candidates.index(s)))


def cross_validate(
    figures: dict[str, dict[Setting, float]], candidates: list[Setting]
) -> dict[str, tuple[Setting, float]]:
    """Per held-out collection: the setting chosen on the others and its figure there."""
    names = list(figures)
    out = {}
    for held in names:
        chosen = choose(figures, [n for n in names if n != held], candidates)
        out[held] = (chosen, figures[held][chosen])
    return out


@dataclass
class Decision:
    """Issue 16's rule applied to one change against a reference."""

    change: str
    cv_mean: float
    reference_mean: float
    losses: list[str]  # collections where the change loses more than TOLERANCE
    kept: bool


def decide(change: str, cv: dict[str, float], reference: dict[str, float]) -> Decision:
    names = list(cv)
    cv_mean = sum(cv.values()) / len(names)
    ref_mean = sum(reference[n] for n in names) / len(names)
    losses = [n for n in names if cv[n] < reference[n] - TOLERANCE]
    return Decision(change, cv_mean, ref_mean, losses, cv_mean > ref_mean and len(losses) <= MAX_LOSSES)


def knob_decisions(figures: dict[str, dict[Setting, float]], chosen: Setting) -> list[Decision]:
    """One decision per knob: tuning it (the others at the chosen values) against its standard value.

    The candidates are the chosen setting with that one knob varied over the
    grid; the reference is the chosen setting with the knob at STANDARD's value.
    """
    settings = list(next(iter(figures.values())))
    out = []
    for knob in DECISION_ORDER:
        fixed = {k: getattr(chosen, k) for k in GRID if k != knob}
        candidates = [s for s in settings if all(getattr(s, k) == v for k, v in fixed.items())]
        reference = replace(chosen, **{knob: getattr(STANDARD, knob)})
        if not candidates or not _measured(figures, reference):
            continue  # a partial grid (the neighbourhood) without this comparison
        cv = {n: f for n, (_, f) in cross_validate(figures, candidates).items()}
        d = decide(
            f"{knob} tuned (standard {getattr(STANDARD, knob)})", cv, {n: figures[n][reference] for n in figures}
        )
        out.append(d)
    return out


def select(figures: dict[str, dict[Setting, float]]) -> tuple[Setting, list[Decision]]:
    """The defaults: each knob at its tuned value where the rule keeps the change, else at the standard.

    Knobs are decided one at a time in DECISION_ORDER, each with the others at the
    values decided so far (starting from the best setting over all collections).
    """
    settings = list(next(iter(figures.values())))
    # On a partial grid (the neighbourhood) start from a setting whose standard-valued neighbours were measured.
    decidable = [s for s in settings if all(_measured(figures, replace(s, **{k: getattr(STANDARD, k)})) for k in GRID)]
    current = choose(figures, list(figures), decidable or settings)
    decisions = []
    for knob in DECISION_ORDER:
        if not _measured(figures, replace(current, **{knob: getattr(STANDARD, knob)})):
            continue  # a partial grid without this comparison: the knob stays as it is
        d = next(x for x in knob_decisions(figures, current) if x.change.startswith(knob + " "))
        decisions.append(d)
        if not d.kept:
            current = replace(current, **{knob: getattr(STANDARD, knob)})
    return current, decisions


def _measured(figures: dict[str, dict[Setting, float]], s: Setting) -> bool:
    return all(s in by for by in figures.values())


def dump(path: Path, figures: dict[str, dict[Setting, dict[str, float]]]) -> None:
    """Every grid figure as JSON: one row per collection and setting."""
    rows = [{"collection": n, **asdict(s), "figures": f} for n, by in figures.items() for s, f in by.items()]
    path.write_text(json.dumps(rows) + "\n")


def load_dump(path: Path) -> dict[str, dict[Setting, dict[str, float]]]:
    figures: dict[str, dict[Setting, dict[str, float]]] = {}
    for r in json.loads(path.read_text()):
        s = Setting(r["k1"], r["b"], r["boosts"], r["query_tf"], r["context"])
        figures.setdefault(r["collection"], {})[s] = r["figures"]
    return figures


# --------------------------------------------------------------------------- report


def _ndcg(grid: dict[str, dict[Setting, dict[str, float]]], key: str = "nDCG@10") -> dict[str, dict[Setting, float]]:
    return {n: {s: f[key] for s, f in by.items() if key in f} for n, by in grid.items()}


def _row(name: str, cells: list[float | None], note: str = "") -> str:
    return (
        f"{name:17}"
        + "".join(f"{c:9.3f}" if c is not None else f"{'-':>9}" for c in cells)
        + (f"  {note}" if note else "")
    )


def report(
    grid: dict[str, dict[Setting, dict[str, float]]], baselines: dict[str, dict[str, dict[str, float]]]
) -> list[str]:
    """The selection table: baselines, standard, shipped, cross-validated and chosen figures (nDCG@10)."""
    figures = _ndcg(grid)
    cv = cross_validate(figures, list(next(iter(figures.values()))))
    chosen, decisions = select(figures)
    names = list(figures)
    cols = ["fts5", "bm25s", "whoosh", "standard", "shipped", "LOO", "chosen"]
    lines = [
        f"== nDCG@10; LOO = the setting chosen on the other {len(names) - 1} collections; "
        "standard = plain BM25 (k1 1.2, b 0.75, no boosts)",
        f"{'collection':17}" + "".join(f"{c:>9}" for c in cols) + "  setting chosen on the others",
    ]
    sums: dict[str, list[float]] = {c: [] for c in cols}
    for n in names:
        base = baselines.get(n, {})
        cells = [base.get(s, {}).get("nDCG@10") for s in cols[:3]]
        cells += [figures[n][STANDARD], figures[n][SHIPPED], cv[n][1], figures[n][chosen]]
        for c, v in zip(cols, cells):
            if v is not None:
                sums[c].append(v)
        lines.append(_row(n, cells, cv[n][0].label()))
        if any("quote" in f for f in grid[n].values()):
            q = grid[n]
            qcv = q[cv[n][0]]["quote"]
            qb = [base.get(s, {}).get("quote") for s in cols[:3]]
            lines.append(
                _row("  quote queries", [*qb, q[STANDARD]["quote"], q[SHIPPED]["quote"], qcv, q[chosen]["quote"]])
            )
    means = [sum(v) / len(v) if len(v) == len(names) else None for v in sums.values()]
    lines.append(_row(f"mean of {len(names)}", means))
    whole = decide(
        "the whole grid, chosen per fold", {n: cv[n][1] for n in names}, {n: figures[n][STANDARD] for n in names}
    )
    lines += [
        "",
        "Decisions (keep a change only if it wins on the cross-validated mean and loses > "
        f"{TOLERANCE} on at most {MAX_LOSSES} collections):",
    ]
    for d in [whole, *decisions]:
        verdict = "kept" if d.kept else "rejected: standard value stays"
        lines.append(
            f"  {d.change}: cross-validated mean {d.cv_mean:.4f} vs {d.reference_mean:.4f}, "
            f"loses > {TOLERANCE} on {len(d.losses)} ({', '.join(d.losses) or 'none'}) -> {verdict}"
        )
    lines.append(f"chosen defaults: {chosen.label()}")
    lines += _leads(
        figures, baselines, {"LOO": {n: cv[n][1] for n in names}, "chosen": {n: figures[n][chosen] for n in names}}
    )
    lines.append(
        f"cross-validated mean nDCG@10 = {means[cols.index('LOO')] or 0:.4f} "
        f"(standard {means[cols.index('standard')] or 0:.4f}, shipped {means[cols.index('shipped')] or 0:.4f}, "
        f"chosen {means[cols.index('chosen')] or 0:.4f})"
    )
    return lines


def _leads(
    figures: dict[str, dict[Setting, float]],
    baselines: dict[str, dict[str, dict[str, float]]],
    rows: dict[str, dict[str, float]],
) -> list[str]:
    """How many collections searchkit leads both FTS5 and bm25s on (issue 16 asks for 8 of 10)."""
    out = []
    for label, by in rows.items():
        ahead = [
            n
            for n in figures
            if all(by[n] > baselines.get(n, {}).get(s, {}).get("nDCG@10", float("inf")) for s in ("fts5", "bm25s"))
        ]
        behind = [n for n in figures if n not in ahead]
        out.append(
            f"{label} leads fts5 and bm25s on {len(ahead)} of {len(figures)} (not on: {', '.join(behind) or 'none'})"
        )
    return out


if __name__ == "__main__":
    sys.exit("run benchmarks/relevance.py, which runs the grid through this module")
