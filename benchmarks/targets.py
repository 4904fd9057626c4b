"""The collections as the selection grid (loo.py) runs them: cached index, queries, measure.

`CollectionTarget` is any collection of ir_collections: whole documents are
articles judged per article; paragraph collections (SQuAD) are articles of
paragraphs judged per paragraph. `BbcTarget` is bbcnews-dev: the real BBC
files through searchkit's own reader (`Index.build`), judged per paragraph
with folded wire copies counted as shown, right after their hit (the
collection's README and evaluate.py, imported from its folder, define both).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from ir_collections import Collection
from loo import Hit, cached_index
from more_collections import article_of

_MEASURE: Any = None


def ndcg10(ranked: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> float:
    """Mean nDCG@10 over the judged queries, trec_eval semantics (a query with no hits scores 0)."""
    global _MEASURE
    import ir_measures
    from ir_measures import nDCG

    _MEASURE = _MEASURE or nDCG @ 10
    judged = {q: v for q, v in qrels.items() if v}
    run = {}
    for q in judged:
        docs = list(dict.fromkeys(ranked.get(q, [])))
        run[q] = {d: float(len(docs) - i) for i, d in enumerate(docs)} or {"__no_result__": 0.0}
    return float(ir_measures.calc_aggregate([_MEASURE], judged, run)[_MEASURE])


class CollectionTarget:
    def __init__(self, collection: Collection, rebuild: bool = False) -> None:
        self.collection = collection
        self.name = collection.name
        self.per_article = not collection.paragraphs
        self.rebuild = rebuild

    def articles(self) -> list[Any]:
        from relevance import paragraphs

        import searchkit

        if not self.collection.paragraphs:
            # A document without body text keeps its title as its only paragraph, so it stays findable.
            return [
                searchkit.Article(id=d.id, headline=d.title, paragraphs=paragraphs(d.text) or (d.title,))
                for d in self.collection.docs
            ]
        grouped: dict[str, list[Any]] = {}
        for d in self.collection.docs:
            grouped.setdefault(article_of(d.id), []).append(d)
        return [
            searchkit.Article(id=a, headline=ds[0].title, paragraphs=tuple(" ".join(d.text.split()) for d in ds))
            for a, ds in grouped.items()
        ]

    def index(self) -> Path:
        import searchkit
        from searchkit.indexing.schema import SCHEMA_VERSION

        def build(path: Path) -> None:
            searchkit.Index.from_articles(self.articles(), str(path)).close()

        key = f"{self.name} {len(self.collection.docs)} docs, schema {SCHEMA_VERSION}, {searchkit.__version__}"
        return cached_index(self.name, key, build, self.rebuild)

    def queries(self) -> dict[str, str]:
        return self.collection.judged_queries()

    def hits(self, found: Any) -> list[Hit]:
        if self.per_article:
            return [(h.article_id, h.article_id, h.score, ()) for h in found]
        return [(f"{h.article_id}#{h.paragraph}", h.article_id, h.score, ()) for h in found]

    def score(self, run: dict[str, list[Hit]]) -> dict[str, float]:
        return {"nDCG@10": ndcg10({q: [h[0] for h in hits] for q, hits in run.items()}, self.collection.qrels)}


def bbc_evaluate(data: Path) -> ModuleType:
    """bbcnews-dev's own evaluate.py, imported from the data folder."""
    spec = importlib.util.spec_from_file_location("bbcnews_evaluate", data / "bbcnews-dev" / "evaluate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BbcTarget:
    name = "bbcnews-dev"
    per_article = False

    def __init__(self, data: Path, rebuild: bool = False) -> None:
        self.ev = bbc_evaluate(data)
        self.corpus = Path(self.ev.CORPUS)
        self.rebuild = rebuild
        self.all_queries = self.ev.read_queries()
        self.qrels = self.ev.read_qrels()
        self.docs = self.ev.load_docs(str(self.corpus))
        # (article id, squashed paragraph text) -> this collection's id, to list folded wire copies
        self.same = {(d["id"].split(".txt#")[0], self.ev.squash(d["body"])): d["id"] for d in self.docs}

    def index(self) -> Path:
        import searchkit
        from searchkit.indexing.schema import SCHEMA_VERSION

        def build(path: Path) -> None:
            searchkit.Index.build([self.corpus], str(path)).close()

        key = f"bbc {len(self.docs)} paragraphs, schema {SCHEMA_VERSION}, {searchkit.__version__}"
        return cached_index(self.name, key, build, self.rebuild)

    def queries(self) -> dict[str, str]:
        return {q: text for q, _, text in self.all_queries}

    def hits(self, found: Any) -> list[Hit]:
        out = []
        for h in found:
            d = f"{h.article_id}.txt#{h.paragraph}"
            t = self.ev.squash(h.text)
            copies = tuple(self.same[(a, t)] for a in h.also_in if (a, t) in self.same and self.same[(a, t)] != d)
            out.append((d, h.article_id, float(h.score), copies))
        return out

    def shown(self, hits: list[Hit]) -> list[tuple[str, float]]:
        """The run as evaluate.py scores searchkit: each hit, then its wire copies; a doc keeps its first place."""
        seen: set[str] = set()
        rows = []
        for d, _, s, copies in hits:
            cs = [c for c in copies if c not in seen and c != d]
            seen.update(cs)
            seen.add(d)
            rows.append((d, s, cs))
        out, kept = [], set()
        for d, s in self.ev.copy_scores(rows):
            if d not in kept:
                kept.add(d)
                out.append((d, s))
        return out

    def score_run(self, run: dict[str, list[tuple[str, float]]]) -> dict[str, float]:
        table, _ = self.ev.score({"run": run}, self.all_queries, self.qrels, backend="auto")
        row = table["run"]
        return {
            "nDCG@10": row["nDCG@10"],
            "quote": row["nDCG@10 quote"],
            "MAP": row["MAP"],
            "judged@10": row["judged@10"],
        }

    def score(self, run: dict[str, list[Hit]]) -> dict[str, float]:
        return self.score_run({q: self.shown(hits) for q, hits in run.items()})

    def score_ranked(self, ranked: dict[str, list[str]]) -> dict[str, float]:
        """A baseline's ranked doc ids, scored the same way."""
        return self.score_run({q: [(d, float(len(ds) - i)) for i, d in enumerate(ds)] for q, ds in ranked.items()})
