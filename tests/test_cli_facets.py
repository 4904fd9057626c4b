"""`search --facets` (issue 18, item 5): counts by source, month, speaker and folder over every match."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import main


def test_facets_after_the_hits_count_every_match(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "council harbour", "--facets", "--limit", "1", "--index", built])
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("1. ") and "\n2. " not in res.stdout  # one hit on the page
    tail = res.stdout.split("by facet (articles, of 3):\n", 1)[1]
    assert tail.splitlines() == [
        "  source:  Harbour Times (2), Riverside Gazette (1)",
        "  month:   2024-02 (1), 2024-03 (1), 2024-04 (1)",
        "  speaker: Aled Price (1), Colin Abernethy (1), Priya Natarajan (1), Ruth Blair (1), Tom Hale (1)",
        "  folder:  politics (2), . (1)",
    ]


def test_facets_in_the_json_summary(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "council harbour", "--facets", "--json", "--index", built])
    summary = json.loads(res.stdout.splitlines()[-1])
    assert summary["type"] == "summary" and summary["total"] == 3
    assert list(summary["facets"]) == ["source", "month", "speaker", "folder"]
    assert summary["facets"]["folder"] == [{"value": "politics", "count": 2}, {"value": ".", "count": 1}]
    plain = runner.invoke(main, ["search", "council harbour", "--json", "--index", built])
    assert "facets" not in json.loads(plain.stdout.splitlines()[-1])


def test_facets_follow_the_filters(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "council", "--facets", "--json", "--source", "harbour", "--index", built])
    facets = json.loads(res.stdout.splitlines()[-1])["facets"]
    assert facets["source"] == [{"value": "Harbour Times", "count": 2}]
    res = runner.invoke(main, ["search", "council path:politics", "--facets", "--json", "--index", built])
    assert json.loads(res.stdout.splitlines()[-1])["facets"]["folder"] == [{"value": "politics", "count": 2}]


def test_facets_refused_with_a_table_format(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "council", "--facets", "--format", "csv", "--index", built])
    assert res.exit_code == 2 and res.stderr.startswith("Error: --facets goes with text or json output")


def test_library_folder_facet(built: str) -> None:
    with searchkit.Index.open(built) as ix:
        got = ix.facets("prices OR council", fields=("folder", "source"), under="politics")
        assert [(c.value, c.count) for c in got["folder"]] == [("politics", 2)]
        assert got.total == 2
        with pytest.raises(searchkit.QueryError, match="the facets are source, month, speaker, folder"):
            ix.facets("council", fields=("colour",))


def test_paragraph_facets_count_the_paragraphs_listed(built: str) -> None:
    """With --all-paragraphs the facets count what is listed: own-text matches, a headline-only article once."""
    with searchkit.Index.open(built) as ix:
        for text in ("council harbour", "headline:pontoons", "twitter", '"sea wall"'):
            listed = ix.search(text, per_article=False, limit=100)
            facets = ix.facets(text, per_article=False, fields=("folder",))
            assert facets.total == listed.total, text
            assert sum(c.count for c in facets["folder"]) == listed.total, text
