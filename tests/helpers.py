"""Helpers shared by the test modules (fixtures live in conftest.py).

Paths of the repository, the benchmark scripts as modules, a file writer, a generated corpus, and comparisons of two
indexes (everything a reader sees) and of their search results. A test reaches the
index's Whoosh searcher through the public `Index.searcher()`.
"""

from __future__ import annotations

import importlib
import json
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from whoosh.qparser import OrGroup, QueryParser

import searchkit
from searchkit.indexing import store

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "corpus"
SHARED_DATA = REPO.parent / "shared" / "data"
BENCHMARKS = REPO / "benchmarks"


def benchmark_module(name: str) -> ModuleType:
    """Import `benchmarks/<name>.py` (a script folder, not a package: its modules import each other by name)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


WORDS = (
    "election minister storm coast rain united city derby players running runs ran "
    "market shares bank prices growth mobile phone phones music download court judge "
    "police officers said government plans tax the a of and to in is it U.S 3.5 café "
    "naïve Twitter's don't co-operate e-mail 2005 £40m"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 18))]
    return " ".join(words).capitalize() + "."


def generated_corpus(folder: Path, articles: int = 40, seed: int = 7) -> Path:
    """JSONL articles with repeated words, stop words first, quotes, dates and sources."""
    rng = random.Random(seed)
    lines = []
    for i in range(articles):
        paras = []
        for _ in range(rng.randint(1, 6)):
            text = " ".join(sentence(rng) for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.3:
                text += f' "{sentence(rng)}" said Jane Smith{i % 3}.'
            paras.append(text)
        rec: dict[str, Any] = {
            "id": f"a{i:03d}",
            "headline": "The " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7))),
            "paragraphs": paras,
            "source": rng.choice(["BBC", "Reuters", "AP News"]),
        }
        if i % 4:
            rec["date"] = f"2005-0{1 + i % 9}-1{i % 10}"
        lines.append(json.dumps(rec))
    write(folder, "feed.jsonl", "\n".join(lines) + "\n")
    # Plain-text articles too, with a repeated trailing line (boilerplate, held back and dropped).
    for j in range(4):
        write(
            folder,
            f"txt/{j}.txt",
            f"Story {j} of the day\n\n{sentence(rng)} {sentence(rng)}\n\n"
            f"{sentence(rng)}\n\nShare this story with friends\n",
        )
    return folder


def doc_id(fields: dict[str, Any]) -> str:
    """A document's id: a file or meta document's pid, or a paragraph's article_id#n."""
    return fields.get("pid") or f"{fields['article_id']}#{fields['n']}"


def snapshot(index_dir: Path) -> dict[str, Any]:
    """Everything a reader sees, keyed by paragraph id instead of document number."""
    ix = store.open_index(index_dir)
    try:
        with ix.searcher() as s:
            r = s.reader()
            pid_of = {dn: doc_id(fields) for dn, fields in r.iter_docs()}
            schema = s.schema
            scorable = [n for n in schema.names() if schema[n].scorable]
            out: dict[str, Any] = {
                "doc_count": r.doc_count(),
                "stored": {pid_of[dn]: f for dn, f in r.iter_docs()},
                # None (a segment with a length column, no value) and 0 (no column) both mean "none".
                "lengths": {(pid_of[dn], n): r.doc_field_length(dn, n) or 0 for dn in pid_of for n in scorable},
                # (Not min/max_field_length: Whoosh's MultiReader fails on a segment that
                # lacks the field, as the manifest-only segment of an update does either way.)
                "field_totals": {n: r.field_length(n) for n in scorable},
                "columns": {
                    (pid_of[dn], n): r.column_reader(n, translate=False)[dn]
                    for n in schema.names()
                    if schema[n].column_type
                    for dn in pid_of
                },
            }
            postings: dict[tuple[str, bytes], Any] = {}
            stats: dict[tuple[str, bytes], Any] = {}
            for fieldname, tbytes in r.all_terms():
                ti = r.term_info(fieldname, tbytes)
                stats[(fieldname, tbytes)] = (
                    ti.weight(),
                    ti.doc_frequency(),
                    ti.min_length(),
                    ti.max_length(),
                    ti.max_weight(),
                )
                m = r.postings(fieldname, tbytes)
                fmt = schema[fieldname].format
                rows = []
                while m.is_active():
                    pos = m.value_as("positions") if fmt.supports("positions") else None
                    rows.append((pid_of[m.id()], m.weight(), pos))
                    m.next()
                postings[(fieldname, tbytes)] = sorted(rows)
            out["postings"] = postings
            out["term_stats"] = stats
    finally:
        ix.close()
    return out


def compare_indexes(a: Path, b: Path) -> None:
    sa, sb = snapshot(a), snapshot(b)
    assert set(sa["postings"]) == set(sb["postings"])  # the same terms in every field
    for key in sa:
        assert sa[key] == sb[key], key


QUERIES = [
    "election minister",
    "running",
    "mobile phones music",
    '"mobile phone"',
    '"prime minister"',
    "café naive",
    "u.s",
    "3.5",
    "said AND police",
    "storm AND NOT rain",
    "headline:united",
    "speaker:smith1",
    "quote:bank",
    "twitter",
    "phone*",
    "£40m",
    "source:reuters",
]


def search_results(index_dir: Path, scores: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with searchkit.Index.open(index_dir) as ix:
        for q in QUERIES:
            res = ix.search(q, limit=1000, per_article=False, fuzzy=False)
            out[q] = sorted((h.article_id, h.paragraph, round(h.score, 5) if scores else 0, h.snippet) for h in res)
    if not scores:
        return out
    # And through a plain Whoosh searcher, with Whoosh's BM25F scores.
    ix = store.open_index(index_dir)
    try:
        with ix.searcher() as s:
            for q in QUERIES[:6]:
                query = QueryParser("body", s.schema, group=OrGroup).parse(q)
                out["whoosh " + q] = sorted(
                    (doc_id(h.fields()), round(h.score, 5)) for h in s.search(query, limit=None)
                )
    finally:
        ix.close()
    return out
