"""Loaders for the classic IR test collections kept in ``../shared/data``.

Each loader returns a :class:`Collection`: the documents (id, title, body
text), the queries (id -> text as a user would type it) and the relevance
judgements (query id -> {doc id -> graded relevance}).  Ids are decimal
strings without leading zeros, so ``"01"`` in CACM's ``qrels.text`` and
``"1"`` in its ``query.text`` agree.

The data's terms forbid copying it into the repository, so nothing here is
cached: the files are read on every call (all six load in about a second).

Quirks handled (see each folder's README.md):

* CRLF line endings (CISI, MED, ADI, LISA, Cranfield's queries).
* Cranfield: query ``.I`` numbers run 001, 002, 004 ... 365, but ``cranqrel``
  numbers the queries by position (1..225).  Grades are 1 (complete answer)
  ... 4 (minimum interest) and -1 (no interest); they become graded relevance
  ``5 - grade`` (4..1) and 0 for -1, so nDCG rewards the best answers most.
* CISI and CACM have queries without judgements; :attr:`Collection.qrels`
  holds only the judged ones and :meth:`Collection.judged_queries` gives the
  queries to evaluate.
* CACM: only about half of the documents have an abstract (``.W``); the rest
  have a title only (body ``""``), and one has no title.
* MED has no titles.
* LISA: the documents are spread over 14 files of ``Document n`` records;
  four ids occur twice (the first occurrence is kept).  ``LISA.REL`` is
  damaged, so the judgements come from ``LISARJ.NUM``.

Run ``python benchmarks/ir_collections.py --check`` to print the counts and
compare them with the READMEs.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

NAMES = ("cranfield", "cisi", "med", "cacm", "adi", "lisa", "cystic-fibrosis", "scifact", "squad-paragraphs")


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    text: str  # body; paragraphs separated by a blank line, inner line breaks joined


@dataclass
class Collection:
    name: str
    docs: list[Doc]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    notes: list[str] = field(default_factory=list)
    #: Documents are paragraphs ``<article>#<n>`` of articles, judged per paragraph.
    paragraphs: bool = False

    def judged_queries(self) -> dict[str, str]:
        """The queries that have at least one judgement (the ones to evaluate)."""
        return {qid: text for qid, text in self.queries.items() if self.qrels.get(qid)}

    def counts(self) -> dict[str, int]:
        return {
            "docs": len(self.docs),
            "queries": len(self.queries),
            "judged_queries": len(self.judged_queries()),
            "pairs": sum(len(v) for v in self.qrels.values()),
            "relevant_pairs": sum(1 for v in self.qrels.values() for g in v.values() if g > 0),
        }


# --------------------------------------------------------------------------- helpers


def read_text(path: Path) -> str:
    """Read an ASCII-ish file, normalising CRLF/CR to LF."""
    data = path.read_bytes().decode("latin-1")
    return data.replace("\r\n", "\n").replace("\r", "\n")


def norm_id(raw: str) -> str:
    return str(int(raw.strip()))


def clean_block(text: str) -> str:
    """Join the lines of each paragraph with single spaces; paragraphs (split
    on blank lines) are kept apart by one blank line."""
    paras = (" ".join(block.split()) for block in re.split(r"\n[ \t]*\n", text))
    return "\n\n".join(p for p in paras if p)


def one_line(text: str) -> str:
    """Query text as typed into a search box: whitespace (newlines) collapsed."""
    return " ".join(text.split())


_FIELD = re.compile(r"^\.([A-Z])(?:[ \t]+(.*?))?[ \t]*$")


def parse_smart(text: str) -> list[tuple[str, dict[str, str]]]:
    """Parse SMART-format records (``.I id`` then ``.X`` field markers on lines
    of their own).  Returns ``[(raw_id, {letter: text})]`` in file order; the
    text of a field keeps its line breaks; a repeated field is appended."""
    records: list[tuple[str, dict[str, str]]] = []
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    raw_id: str | None = None

    def flush() -> None:
        if raw_id is not None:
            records.append((raw_id, {k: "\n".join(v).strip() for k, v in fields.items()}))

    for line in text.replace("\r\n", "\n").split("\n"):
        m = _FIELD.match(line)
        if m:
            letter, rest = m.group(1), m.group(2)
            if letter == "I":
                flush()
                raw_id = (rest or "").strip()
                fields = {}
                current = None
                continue
            current = fields.setdefault(letter, [])
            if rest:  # text on the marker line itself (rare)
                current.append(rest)
            continue
        if current is not None:
            current.append(line)
    flush()
    return records


def smart_docs(path: Path, title: str | None = "T", body: str = "W") -> list[Doc]:
    docs: list[Doc] = []
    seen: set[str] = set()
    for raw_id, f in parse_smart(read_text(path)):
        doc_id = norm_id(raw_id)
        if doc_id in seen:
            continue
        seen.add(doc_id)
        docs.append(
            Doc(
                id=doc_id,
                title=one_line(f.get(title, "")) if title else "",
                text=clean_block(f.get(body, "")),
            )
        )
    return docs


def smart_queries(path: Path, field_letter: str = "W") -> dict[str, str]:
    return {norm_id(raw_id): one_line(f.get(field_letter, "")) for raw_id, f in parse_smart(read_text(path))}


def qrels_columns(
    path: Path, q_col: int, d_col: int, grade: Callable[[list[str]], int] | None = None
) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for line in read_text(path).split("\n"):
        parts = line.split()
        if not parts:
            continue
        rel = grade(parts) if grade else 1
        qrels.setdefault(norm_id(parts[q_col]), {})[norm_id(parts[d_col])] = rel
    return qrels


# --------------------------------------------------------------------------- collections


def cranfield_grade(parts: list[str]) -> int:
    g = int(parts[2])
    return 5 - g if 1 <= g <= 4 else 0


def load_cranfield(root: Path) -> Collection:
    d = root / "cranfield"
    docs = smart_docs(d / "cran.all.1400")
    # cranqrel numbers queries by their position in cran.qry, not by their .I
    queries = {
        str(pos): one_line(f.get("W", ""))
        for pos, (_raw_id, f) in enumerate(parse_smart(read_text(d / "cran.qry")), start=1)
    }
    qrels = qrels_columns(d / "cranqrel", 0, 1, cranfield_grade)
    return Collection(
        "cranfield",
        docs,
        queries,
        qrels,
        notes=["query ids are positions 1..225; relevance = 5 - grade (grade -1 -> 0)"],
    )


def load_cisi(root: Path) -> Collection:
    d = root / "cisi"
    return Collection(
        "cisi",
        smart_docs(d / "CISI.ALL"),
        smart_queries(d / "CISI.QRY"),
        qrels_columns(d / "CISI.REL", 0, 1),
        notes=["queries: .W only; only judged queries are evaluated"],
    )


def load_med(root: Path) -> Collection:
    d = root / "med"
    return Collection(
        "med",
        smart_docs(d / "MED.ALL", title=None),
        smart_queries(d / "MED.QRY"),
        qrels_columns(d / "MED.REL", 0, 2),  # "qid 0 docid 1"
        notes=["no titles; judgements from MED.REL (2000 revision)"],
    )


def load_cacm(root: Path) -> Collection:
    d = root / "cacm"
    return Collection(
        "cacm",
        smart_docs(d / "cacm.all"),
        smart_queries(d / "query.text"),
        qrels_columns(d / "qrels.text", 0, 1),
        notes=["body = .W abstract (missing for about half: title only); only judged queries are evaluated"],
    )


def load_adi(root: Path) -> Collection:
    d = root / "adi"
    return Collection(
        "adi",
        smart_docs(d / "ADI.ALL"),
        smart_queries(d / "ADI.QRY"),
        qrels_columns(d / "ADI.REL", 0, 1),
    )


_LISA_HEADER = re.compile(r"^Document\s+(\d+)\s*$")


def parse_lisa_docs(text: str) -> Iterator[tuple[str, str, str]]:
    """Yield ``(raw_id, title, abstract)`` for each ``Document n`` record: the
    title runs up to the first blank line, the abstract up to the ``****`` line."""
    raw_id: str | None = None
    lines: list[str] = []

    def record() -> tuple[str, str, str]:
        # the separator may hold spaces; a record without one is all title
        parts = re.split(r"\n[ \t]*\n", "\n".join(lines).strip(), maxsplit=1)
        return raw_id or "", parts[0], parts[1] if len(parts) > 1 else ""

    for line in text.split("\n"):
        m = _LISA_HEADER.match(line)
        if m:
            if raw_id is not None:
                yield record()
            raw_id, lines = m.group(1), []
        elif raw_id is not None:
            if line.startswith("****") and set(line.strip()) == {"*"}:
                yield record()
                raw_id, lines = None, []
            else:
                lines.append(line)
    if raw_id is not None:
        yield record()


def load_lisa(root: Path) -> Collection:
    d = root / "lisa"
    docs: list[Doc] = []
    seen: set[str] = set()
    duplicates = 0
    for path in sorted(d.glob("LISA[0-9].[0-9][0-9][0-9]")):
        for raw_id, title, abstract in parse_lisa_docs(read_text(path)):
            doc_id = norm_id(raw_id)
            if doc_id in seen:  # corrupted LISA1.501 repeats a few records: keep the first
                duplicates += 1
                continue
            seen.add(doc_id)
            docs.append(Doc(doc_id, one_line(title), clean_block(abstract)))

    queries: dict[str, str] = {}
    for block in read_text(d / "LISA.QUE").split("#"):
        lines = block.strip().split("\n")
        if lines and lines[0].strip().isdigit():
            queries[norm_id(lines[0])] = one_line(" ".join(lines[1:]))

    # LISARJ.NUM: a stream of numbers "qid count id*count" (wrapped lines)
    numbers = [int(x) for x in read_text(d / "LISARJ.NUM").split()]
    qrels: dict[str, dict[str, int]] = {}
    i = 0
    while i < len(numbers):
        qid, count = numbers[i], numbers[i + 1]
        qrels[str(qid)] = {str(doc): 1 for doc in numbers[i + 2 : i + 2 + count]}
        i += 2 + count
    return Collection(
        "lisa",
        docs,
        queries,
        qrels,
        notes=[f"{duplicates} duplicate Document records skipped (first kept); judgements from LISARJ.NUM"],
    )


LOADERS: dict[str, Callable[[Path], Collection]] = {
    "cranfield": load_cranfield,
    "cisi": load_cisi,
    "med": load_med,
    "cacm": load_cacm,
    "adi": load_adi,
    "lisa": load_lisa,
}

# Counts stated in each folder's README.md (docs, queries, judged queries, pairs).
EXPECTED: dict[str, dict[str, int]] = {
    "cranfield": {"docs": 1400, "queries": 225, "judged_queries": 225, "pairs": 1837},
    "cisi": {"docs": 1460, "queries": 112, "judged_queries": 76, "pairs": 3114},
    "med": {"docs": 1033, "queries": 30, "judged_queries": 30, "pairs": 696},
    "cacm": {"docs": 3204, "queries": 64, "judged_queries": 52, "pairs": 796},
    "adi": {"docs": 82, "queries": 35, "judged_queries": 35, "pairs": 170},
    "lisa": {"docs": 5999, "queries": 35, "judged_queries": 35, "pairs": 379},
}


def load(name: str, data: Path | str = DEFAULT_DATA) -> Collection:
    import more_collections  # the collections added later (issue 16), in their own module

    LOADERS.update(more_collections.LOADERS)
    EXPECTED.update(more_collections.EXPECTED)
    try:
        loader = LOADERS[name]
    except KeyError:
        raise ValueError(f"unknown collection {name!r}; choose from {', '.join(NAMES)}") from None
    return loader(Path(data))


def available(data: Path | str = DEFAULT_DATA) -> bool:
    return Path(data).is_dir() and all((Path(data) / n).is_dir() for n in NAMES)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Load the test collections and check their counts against the READMEs.")
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder holding the collections (default: ../shared/data)"
    )
    ap.add_argument("--collections", default=",".join(NAMES), help="comma-separated subset")
    ap.add_argument(
        "--check", action="store_true", help="print counts and compare with the READMEs (exit 1 on mismatch)"
    )
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"Error: data folder {args.data} not found; pass --data", file=sys.stderr)
        return 2
    bad = 0
    for name in args.collections.split(","):
        c = load(name.strip(), args.data)
        got = c.counts()
        exp = EXPECTED[c.name]
        ok = all(got[k] == v for k, v in exp.items())
        bad += not ok
        print(
            f"{c.name:10} docs {got['docs']:5}  queries {got['queries']:4}  judged {got['judged_queries']:4}  "
            f"pairs {got['pairs']:5} (relevant {got['relevant_pairs']:5})  "
            + ("OK" if ok else f"MISMATCH expected {exp}")
        )
        if not args.check:
            continue
        empty = sum(1 for d in c.docs if not d.text)
        untitled = sum(1 for d in c.docs if not d.title)
        ids = {d.id for d in c.docs}
        missing = sum(1 for v in c.qrels.values() for doc in v if doc not in ids)
        unknown_q = sum(1 for q in c.qrels if q not in c.queries)
        print(
            f"{'':10} empty bodies {empty}, untitled {untitled}, "
            f"qrel docs missing {missing}, qrel queries unknown {unknown_q}"
        )
        for note in c.notes:
            print(f"{'':10} note: {note}")
    print("all counts match the READMEs" if not bad else f"{bad} collection(s) do not match")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
