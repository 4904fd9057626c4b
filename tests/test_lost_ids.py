"""One article id, one file (issue 17, items 3 and 11).

Ids never clash and no article is skipped for its id: JSONL records without an
``id`` get one made from their text (stable when other lines change), roots
holding the same relative paths are keyed apart by the root's name, and the
same id from two files gives the later file an alternative id with a warning.
A randomized test of change sequences checks that an incremental update always
equals a clean build when ids collide.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from helpers import write

import searchkit
from searchkit.indexing import indexer
from searchkit.ingest.articles import read_corpus


def _ids(index_dir: Path) -> dict[str, str]:
    """article id -> its first paragraph, for every article in the index."""
    with searchkit.Index.open(index_dir) as ix:
        return {d["article_id"]: d["body"] for d in ix.searcher().documents(kind="p") if d["n"] == 1}


def _rec(body: str, **extra: object) -> str:
    return json.dumps({"headline": body.split()[0], "body": body, **extra}) + "\n"


def test_records_without_id_keep_their_ids_when_other_lines_change(tmp_path: Path) -> None:
    corpus, idx = tmp_path / "c", tmp_path / "ix"
    lines = [_rec(f"Record number {i} about the harbour.") for i in range(4)]
    write(corpus, "wire.jsonl", "".join(lines))
    indexer.update(idx, [corpus])
    before = _ids(idx)
    write(corpus, "wire.jsonl", "".join(lines[1:]))  # the first line deleted: today every later id shifts
    report = indexer.update(idx, [corpus])
    after = _ids(idx)
    assert (report.added, report.removed, report.updated) == (0, 1, 3)
    assert {k: v for k, v in before.items() if "number 0" not in v} == after


def test_records_with_the_same_text_get_distinct_ids_in_file_order(tmp_path: Path) -> None:
    corpus, idx = tmp_path / "c", tmp_path / "ix"
    write(corpus, "wire.jsonl", _rec("Same text twice.") * 2 + _rec("Other.", id=7) + _rec("Dup id.", id=7))
    report = indexer.update(idx, [corpus])
    ids = sorted(_ids(idx))
    assert report.added == 4 and len(ids) == 4
    base = next(i for i in ids if i.startswith("wire:") and not i.endswith("-2"))
    assert f"{base}-2" in ids and "7" in ids
    assert [str(w) for w in report.warnings] == [
        "wire.jsonl:4: \"id\" '7' is already used by an earlier line of this file; its id is made from its text instead"
    ]


def test_roots_with_the_same_paths_are_both_indexed(tmp_path: Path) -> None:
    y4, y5, idx = tmp_path / "2004", tmp_path / "2005", tmp_path / "ix"
    write(y4, "001.txt", "Budget\n\nThe 2004 budget story.\n")
    write(y5, "001.txt", "Budget again\n\nThe 2005 budget story.\n")
    report = indexer.update(idx, [y4, y5])
    assert report.added == 2
    assert _ids(idx) == {"001": "The 2004 budget story.", "2005/001": "The 2005 budget story."}
    assert [str(w) for w in report.warnings] == [
        "2005/001.txt: an earlier root also holds 001.txt; this one is indexed as 2005/001.txt "
        "(its ids start with its root's name)"
    ]
    # read_corpus gives the same ids as the index
    assert {a.id for a in read_corpus([y4, y5])} == {"001", "2005/001"}


def test_same_id_in_two_files_is_kept_twice_and_the_owner_changes_cleanly(tmp_path: Path) -> None:
    corpus, idx = tmp_path / "c", tmp_path / "ix"
    write(corpus, "a.jsonl", _rec("First feed story.", id="A1"))
    write(corpus, "b.jsonl", _rec("Second feed story.", id="A1"))
    report = indexer.update(idx, [corpus])
    assert _ids(idx) == {"A1": "First feed story.", "b:A1": "Second feed story."}
    assert [str(w) for w in report.warnings] == [
        "b.jsonl:1: article id 'A1' is already used by a.jsonl; this article is indexed as 'b:A1'"
    ]
    (corpus / "a.jsonl").unlink()  # the owner goes: today the other file's article went with it
    indexer.update(idx, [corpus])
    assert _ids(idx) == {"A1": "Second feed story."}


NAMES = ["x.txt", "x.md", "y.txt", "a.jsonl", "b.jsonl"]


def _content(name: str, seed: int) -> str:
    words = "council storm court river school market".split()
    body = " ".join(words[(seed + k) % len(words)] for k in range(6)).capitalize() + f" {seed}."
    if name.endswith(".jsonl"):
        ids = ["k1", "k2", "x", None]  # "x" clashes with x.txt's id; None: an id made from the text
        recs = []
        for k in range(1 + seed % 3):
            rec: dict[str, object] = {"headline": f"H{seed}", "body": f"{body} Record {k}."}
            if ids[(seed + k) % 4] is not None:
                rec["id"] = ids[(seed + k) % 4]
            recs.append(json.dumps(rec) + "\n")
        return "".join(recs)
    return (f"# H{seed}\n\n" if name.endswith(".md") else f"H{seed}\n\n") + body + "\n"


def _step(rng: random.Random, roots: list[Path]) -> None:
    path = rng.choice(roots) / rng.choice(NAMES)
    if rng.random() < 0.3:
        path.unlink(missing_ok=True)
    else:
        write(path.parent, path.name, _content(path.name, rng.randrange(30)))


def _state(index_dir: Path) -> tuple[dict[str, tuple[str, ...]], list[tuple[str, int, str]]]:
    with searchkit.Index.open(index_dir) as ix:
        docs = list(ix.searcher().documents())
    files = {d["path"]: tuple(d["meta"]["ids"]) for d in docs if d["kind"] == "f"}
    paras = sorted((d["article_id"], d["n"], d["body"]) for d in docs if d["kind"] == "p")
    return files, paras


@pytest.mark.parametrize("seed", range(12))
def test_incremental_equals_clean_when_ids_collide(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    roots = [tmp_path / "r1", tmp_path / "r2"]
    for root in roots:
        root.mkdir()
    incr = tmp_path / "incr"
    for _ in range(3):
        _step(rng, roots)
    indexer.update(incr, roots, prune=True)
    for n in range(8):
        _step(rng, roots)
        indexer.update(incr, roots, prune=True)
        clean = tmp_path / f"clean{n}"
        indexer.update(clean, roots)
        got, want = _state(incr), _state(clean)
        assert got == want
        assert len({aid for aid, _, _ in got[1]}) == sum(len(ids) for ids in got[0].values())  # none doubled
