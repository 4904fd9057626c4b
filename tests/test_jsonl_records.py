"""JSONL records with no headline, or only a headline, are indexed (issue 17, item 3, first part)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import write

from searchkit import Index
from searchkit.ingest.articles import parse_file


def _jsonl(*records: object) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")


def test_a_record_with_a_body_and_no_headline_is_indexed() -> None:
    articles, warns = parse_file(
        "wire.jsonl",
        _jsonl(
            {"id": "a", "headline": "", "body": "Flood warnings were issued for the coast."},
            {"id": "b", "body": "A brief with no headline key at all."},
        ),
    )
    assert [(a.id, a.headline) for a in articles] == [("a", ""), ("b", "")]
    assert articles[0].paragraphs == ("Flood warnings were issued for the coast.",)
    assert warns == []


def test_a_headline_only_record_is_indexed_with_its_headline_as_its_paragraph() -> None:
    articles, warns = parse_file("wire.jsonl", _jsonl({"id": "h", "headline": "Storm hits the coast"}))
    assert [(a.id, a.headline, a.paragraphs) for a in articles] == [
        ("h", "Storm hits the coast", ("Storm hits the coast",))
    ]
    assert warns == []


def test_an_empty_record_is_skipped_with_a_warning_that_says_why() -> None:
    articles, warns = parse_file(
        "wire.jsonl",
        _jsonl({"id": "x", "headline": "  ", "body": ""}, {"id": "y", "title": 7}),
    )
    assert articles == []
    assert [(w.path, w.line) for w in warns] == [("wire.jsonl", 1), ("wire.jsonl", 2)]
    assert '"headline" is empty' in warns[0].message and '"body" is empty' in warns[0].message
    assert '"title" is not a string' in warns[1].message and 'no "paragraphs"' in warns[1].message
    assert str(warns[0]).startswith("wire.jsonl:1: ")


def test_headless_records_are_searchable_and_shown(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus, "wire.jsonl", _jsonl({"id": "w1", "body": "Ferry services were cancelled by the gale."}).decode())
    with Index.build([corpus], tmp_path / "idx", jobs=1) as ix:
        hits = ix.search("ferry").hits
        assert [h.article_id for h in hits] == ["w1"] and hits[0].headline == ""
        assert ix.show("w1").paragraphs == ((1, "Ferry services were cancelled by the gale."),)
