"""Ingest corner cases that lost or bloated records (issue 17, item 17, the ingest part)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import benchmark_module, write

from searchkit import Index
from searchkit.indexing import indexer, parallel
from searchkit.ingest.articles import parse_file
from searchkit.ingest.cleaning import MAX_HEADLINE


def test_a_huge_first_line_is_not_copied_onto_every_paragraph() -> None:
    first = " ".join(f"word{i}" for i in range(300_000))  # about 2.2 MB on one line
    text = first + "\n\n" + "\n\n".join(f"Paragraph {i} of the story." for i in range(50)) + "\n"
    arts, warns = parse_file("big.txt", text.encode())
    (art,) = arts
    assert len(art.headline) <= MAX_HEADLINE and art.headline.startswith("word0 word1 ")
    assert " ".join(art.paragraphs[:-50]) == first  # nothing lost: the line is the first paragraphs
    assert art.paragraphs[-1] == "Paragraph 49 of the story."
    assert [str(w) for w in warns] == [
        f"big.txt: headline over {MAX_HEADLINE} characters; cut, its full text is the first paragraph"
    ]


def test_valid_json_with_a_huge_integer_or_deep_nesting_is_read() -> None:
    huge = '{"id": ' + "7" * 5000 + ', "headline": "Huge id", "body": "A record with a long id."}'
    deep = '{"headline": "Deep", "body": "Nested extras.", "extra": ' + "[" * 5000 + "]" * 5000 + "}"
    big_unused = '{"headline": "Count", "body": "A big count.", "count": ' + "9" * 6000 + "}"
    data = "\n".join([huge, deep, big_unused]) + "\n"
    arts, warns = parse_file("feed.jsonl", data.encode())
    assert warns == []
    assert [a.headline for a in arts] == ["Huge id", "Deep", "Count"]
    assert arts[0].id == "7" * 5000


def test_a_bom_in_the_middle_of_a_file_does_not_skip_the_line() -> None:
    first = json.dumps({"id": "a", "headline": "One", "body": "First."})
    second = json.dumps({"id": "b", "headline": "Two", "body": "Second."})
    data = (first + "\n").encode() + b"\xef\xbb\xbf" + (second + "\n").encode()  # two files concatenated
    arts, warns = parse_file("cat.jsonl", data)
    assert warns == [] and [a.id for a in arts] == ["a", "b"]


def test_short_articles_ending_in_repeated_lines_are_never_dropped_whole(tmp_path: Path) -> None:
    """Issue 17, item 10: the corpus-wide boilerplate rule keeps an article that is all boilerplate, and the
    summary's count is what the index holds (one process and workers alike)."""
    corpus = tmp_path / "c"
    for i in range(4):
        write(
            corpus, f"long{i}.txt", f"Story {i}\n\nThe council met on Monday to agree budget {i}.\n\nMore to follow.\n"
        )
    write(corpus, "short1.txt", "Flash one\n\nMore to follow.\n")
    write(corpus, "short2.txt", "Flash two\n\nMore to follow.\n\nMore to follow.\n")
    for jobs, min_bytes in ((1, parallel.MIN_BYTES), (2, 0)):
        parallel.MIN_BYTES, saved = min_bytes, parallel.MIN_BYTES
        try:
            report = indexer.update(tmp_path / f"ix{jobs}", [corpus], jobs=jobs)
        finally:
            parallel.MIN_BYTES = saved
        with Index.open(tmp_path / f"ix{jobs}") as ix:
            held = {d["article_id"]: d["body"] for d in ix.searcher().documents(kind="p")}
            assert report.added == len(held) == 6 == ix.stats().articles
        assert held["short1"] == held["short2"] == "More to follow."
        assert {aid for aid, body in held.items() if body == "More to follow."} == {"short1", "short2"}


@pytest.mark.parametrize("attack", ["bad-names", "surrogates", "long-words", "short-boilerplate", "id-collisions"])
def test_stress_input_attacks_lose_nothing(tmp_path: Path, attack: str) -> None:
    """benchmarks/stress_input.py at a small size (the big file is left to the benchmark)."""
    run = dict(benchmark_module("stress_input").attacks())[attack]
    counts = run(tmp_path, 2)
    assert counts["trials"] == 2
    assert not any(counts.get(k) for k in ("lost", "wedged", "damaged", "errors")), counts
