"""Indexer: documents per paragraph, incremental updates, boilerplate, wire keys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import searchkit
from searchkit.errors import CorpusError, IndexNotFoundError
from searchkit.indexing import indexer
from tests.helpers import write


def paragraphs(index_dir: Path) -> set[tuple[str, int, str]]:
    with searchkit.Index.open(index_dir) as ix:
        s = ix.searcher()
        return {(d["article_id"], d["n"], d["body"]) for d in s.documents(kind="p")}


def test_one_document_per_paragraph_with_fields(news: Path, tmp_path: Path) -> None:
    report = indexer.update(tmp_path / "ix", [news])
    assert (report.added, report.paragraphs) == (3, 7)
    with searchkit.Index.open(tmp_path / "ix") as ix:
        docs = {f"{d['article_id']}#{d['n']}": d for d in ix.searcher().documents(kind="p")}
    assert not any("pid" in d for d in docs.values())  # a paragraph is article_id + n
    doc = docs["politics/election#2"]
    assert doc["headline"] == "Prime minister calls early election"
    assert doc["quotes"].startswith("We need a fresh mandate")
    assert doc["speakers"] == "Theresa May"
    assert doc["path"] == "politics/election.txt"


def test_unchanged_corpus_does_no_work(news: Path, tmp_path: Path) -> None:
    indexer.update(tmp_path / "ix", [news])
    again = indexer.update(tmp_path / "ix", [news])
    assert (again.added, again.updated, again.removed, again.unchanged, again.paragraphs) == (0, 0, 0, 3, 0)
    assert not again.changed


def test_touch_without_change_is_unchanged(news: Path, tmp_path: Path) -> None:
    indexer.update(tmp_path / "ix", [news])
    path = news / "weather/storm.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000))
    again = indexer.update(tmp_path / "ix", [news])
    assert (again.updated, again.unchanged, again.paragraphs) == (0, 3, 0)


def test_add_change_remove(news: Path, tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    indexer.update(ix_dir, [news])
    write(news, "weather/storm.txt", "Storm batters the coast\n\nThe storm has passed.\n")
    (news / "sport/match.txt").unlink()
    write(news, "tech/phone.txt", "New phone\n\nA new phone went on sale.\n")
    report = indexer.update(ix_dir, [news])
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 1)
    got = paragraphs(ix_dir)
    assert ("weather/storm", 1, "The storm has passed.") in got
    assert not any(a == "sport/match" for a, _, _ in got)
    assert not any(a == "weather/storm" and n == 2 for a, n, _ in got)
    assert ("tech/phone", 1, "A new phone went on sale.") in got


def test_incremental_equals_clean_build(news: Path, tmp_path: Path) -> None:
    indexer.update(tmp_path / "inc", [news])
    write(news, "politics/election.txt", "Election called\n\nA short article now.\n\nWith two paragraphs.\n")
    indexer.update(tmp_path / "inc", [news])
    indexer.update(tmp_path / "clean", [news])
    assert paragraphs(tmp_path / "inc") == paragraphs(tmp_path / "clean")


def test_rebuild_replaces_everything(news: Path, tmp_path: Path) -> None:
    indexer.update(tmp_path / "ix", [news])
    report = indexer.update(tmp_path / "ix", [news / "sport"], rebuild=True)
    assert report.added == 1
    assert {a for a, _, _ in paragraphs(tmp_path / "ix")} == {"match"}


def test_repeated_closing_lines_are_boilerplate(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    for i in range(4):
        write(
            folder,
            f"a{i}.txt",
            f"Headline {i}\n\nStory number {i} about things.\n\nThe Daily Planet, your town paper since 1901\n",
        )
    indexer.update(tmp_path / "ix", [folder])
    got = paragraphs(tmp_path / "ix")
    assert len(got) == 4
    assert not any(body == "The Daily Planet, your town paper since 1901" for _, _, body in got)
    # Fewer than three articles: the line is content again, and the incremental update restores it.
    for i in range(2, 4):
        (folder / f"a{i}.txt").unlink()
    indexer.update(tmp_path / "ix", [folder])
    assert (
        sum(body == "The Daily Planet, your town paper since 1901" for _, _, body in paragraphs(tmp_path / "ix")) == 2
    )


def test_missing_path_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        indexer.update(tmp_path / "ix", [tmp_path / "nope"])


def test_refuses_a_folder_that_is_not_an_index(tmp_path: Path, news: Path) -> None:
    other = tmp_path / "stuff"
    write(other, "notes.txt", "mine")
    with pytest.raises(CorpusError, match="not a searchkit index"):
        indexer.update(other, [news])


def test_open_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="searchkit index"):
        searchkit.Index.open(tmp_path / "none")


def test_duplicate_article_ids_warn(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    write(folder, "a.txt", "One\n\nFirst body.\n")
    write(folder, "a.md", "# Two\n\nSecond body.\n")
    report = indexer.update(tmp_path / "ix", [folder])
    assert report.added == 2  # both kept, the second under its file name (issue 17, item 11)
    assert [str(w) for w in report.warnings if "already used" in w.message] == [
        "a.txt: article id 'a' is already used by a.md; this article is indexed as 'a.txt'"
    ]


def test_wire_key_ignores_case_and_punctuation() -> None:
    a = indexer.wire_key("The minister said the plan would cost £3bn over five years.")
    b = indexer.wire_key("the minister said, the plan would cost £3bn over five years")
    assert a and a == b
    assert indexer.wire_key("Too short to count.") == ""


def test_wire_key_cuts_a_paragraph_once_for_its_postings_too() -> None:
    import hashlib
    import re

    from searchkit import analysis

    text = "The U.S. plan...costs 3.5bn. A.B. said it, ..twice.. and .again."
    words = re.findall(r"\w+", text.lower())
    assert indexer.wire_key(text) == hashlib.blake2b(" ".join(words).encode(), digest_size=10).hexdigest()
    # The bulk writer's cut of the same paragraph is the one the fingerprint made.
    runs = analysis.token_runs(text)
    assert [r.decode() for r in runs] == analysis.TOKEN_PATTERN.findall(text)
    assert analysis.plain_runs(text) == runs
    assert analysis.token_runs(text) is not runs and analysis.token_runs(text) == runs  # kept once only
    assert analysis.plain_runs("AT&T said so") is None and analysis.plain_runs("café") is None


def test_progress_is_reported_inside_one_big_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import itertools
    import json

    feed = tmp_path / "corpus" / "feed.jsonl"
    feed.parent.mkdir()
    feed.write_text(
        "\n".join(
            json.dumps({"id": f"a{i}", "headline": f"Story {i}", "paragraphs": [f"Words of story {i}. " * 20]})
            for i in range(50)
        )
        + "\n",
        encoding="utf-8",
    )
    clock = itertools.count(0.0, 0.25)  # every reading of the clock is a quarter second later
    monkeypatch.setattr(indexer.time, "monotonic", lambda: next(clock))
    seen: list[indexer.Progress] = []
    indexer.update(tmp_path / "ix", [feed.parent], jobs=1, progress=seen.append)
    during = [p for p in seen if p.files_done == 0]
    assert len(during) >= 10  # not only once the file is done
    assert [p.paragraphs for p in during] == sorted(p.paragraphs for p in during)
    assert seen[-1].files_done == 1 and seen[-1].paragraphs == 50
