"""Loaders for the collections added for issue 16: Cystic Fibrosis, SciFact and
SQuAD paragraphs (``../shared/data``; each folder's README.md describes it).

They return the same :class:`ir_collections.Collection` as the classic six.
Choices (see the READMEs for the quirks):

* cystic-fibrosis: title ``TI``, body ``AB`` (or ``EX`` when no abstract was
  published); MeSH headings, authors and references are left out, as the
  classic collections index title and text only.  The grade is the sum of the
  four judges' 0/1/2 scores (1..8).  ``cf74`` is read as Latin-1 with bit 7
  cleared (its one corrupted ``EX`` tag), ``^Z`` padding dropped, any line not
  starting with a known tag is a continuation.
* scifact: BEIR's test split (300 claims), binary judgements.
* squad-paragraphs: one document per paragraph, id ``<title>#<n>``, grouped by
  article (``Collection.paragraphs``): searchkit indexes each Wikipedia
  article as an article of paragraphs, its title as the headline, and is
  judged per paragraph, the shape of news paragraph search.  Its 10,570
  questions are sampled, every ``SQUAD_STEP``-th in file order (1,057), to keep
  the selection grid affordable on a shared machine.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ir_collections import Collection, Doc

SQUAD_STEP = 10

_CF_TAGS = {"PN", "RN", "AN", "AU", "TI", "SO", "MJ", "MN", "AB", "EX", "RF", "CT", "QN", "QU", "NR", "RD"}


def _cf_records(text: str) -> list[dict[str, str]]:
    """The tagged records of a CF file: {tag: text}, continuation lines joined."""
    records: list[dict[str, str]] = []
    tag = ""
    for line in text.split("\n"):
        head = line[:3]
        if len(head) == 3 and head[:2] in _CF_TAGS and head[2] == " ":
            tag = head[:2]
            if tag in ("PN", "QN"):
                records.append({})
            if records:
                records[-1][tag] = (records[-1].get(tag, "") + " " + line[3:]).strip()
        elif line.strip() and records and tag:
            records[-1][tag] = records[-1][tag] + " " + line.strip()
    return records


def _cf_read(path: Path) -> str:
    raw = bytes(b & 0x7F for b in path.read_bytes()).replace(b"\x1a", b"")
    return raw.decode("ascii").replace("\r\n", "\n")


def load_cystic_fibrosis(root: Path) -> Collection:
    root = root / "cystic-fibrosis"
    docs: list[Doc] = []
    for year in range(74, 80):
        for r in _cf_records(_cf_read(root / f"cf{year}")):
            body = " ".join((r.get("AB") or r.get("EX") or "").split())
            docs.append(Doc(str(int(r["RN"])), " ".join(r.get("TI", "").split()), body))
    queries: dict[str, str] = {}
    qrels: dict[str, dict[str, int]] = {}
    for r in _cf_records(_cf_read(root / "cfquery")):
        qid = str(int(r["QN"]))
        queries[qid] = " ".join(r["QU"].split())
        pairs = r.get("RD", "").split()
        qrels[qid] = {str(int(d)): sum(int(c) for c in g) for d, g in zip(pairs[::2], pairs[1::2])}
    return Collection("cystic-fibrosis", docs, queries, qrels, notes=["grade = sum of the four judges' scores"])


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def load_scifact(root: Path) -> Collection:
    root = root / "scifact"
    docs = []
    for d in _jsonl(root / "corpus.jsonl"):
        docs.append(Doc(d["_id"], d["title"], d["text"]))
    qrels: dict[str, dict[str, int]] = {}
    with open(root / "qrels" / "test.tsv", encoding="utf-8", newline="") as f:
        for row in list(csv.reader(f, delimiter="\t"))[1:]:
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    queries = {}
    for q in _jsonl(root / "queries.jsonl"):
        if q["_id"] in qrels:
            queries[q["_id"]] = q["text"]
    return Collection("scifact", docs, queries, qrels, notes=["BEIR test split"])


def load_squad(root: Path) -> Collection:
    root = root / "squad-paragraphs"
    docs = []
    for d in _jsonl(root / "corpus.jsonl"):
        docs.append(Doc(d["id"], d["title"], d["text"]))
    with open(root / "queries.tsv", encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
    queries = {qid: text for qid, text in rows[::SQUAD_STEP]}
    qrels: dict[str, dict[str, int]] = {}
    with open(root / "qrels.txt", encoding="utf-8") as f:
        for line in f:
            q, _, d, g = line.split()
            if q in queries:
                qrels.setdefault(q, {})[d] = int(g)
    c = Collection("squad-paragraphs", docs, queries, qrels, notes=[f"every {SQUAD_STEP}th question"])
    c.paragraphs = True
    return c


def article_of(doc_id: str) -> str:
    """The article of a paragraph document id ``<article>#<n>``."""
    return re.sub(r"#\d+$", "", doc_id)


LOADERS = {"cystic-fibrosis": load_cystic_fibrosis, "scifact": load_scifact, "squad-paragraphs": load_squad}
EXPECTED = {
    "cystic-fibrosis": {"docs": 1239, "queries": 100, "judged_queries": 100, "pairs": 4819},
    "scifact": {"docs": 5183, "queries": 300, "judged_queries": 300, "pairs": 339},
    "squad-paragraphs": {"docs": 2067, "queries": 1057, "judged_queries": 1057, "pairs": 1057},
}
