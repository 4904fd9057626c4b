"""Ingest corner cases that lost or bloated records (issue 17, item 17, the ingest part)."""

from __future__ import annotations

import json

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
