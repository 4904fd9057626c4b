"""The search experience: empty answers say why, unquoted queries, the query guide, small things."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def built(runner: CliRunner, sample_corpus: Path, tmp_path: Path) -> str:
    ix = str(tmp_path / "ix")
    res = runner.invoke(main, ["index", str(sample_corpus), "--index", ix])
    assert res.exit_code == 0, res.output
    return ix


@pytest.fixture
def dated(tmp_path: Path) -> str:
    """Two dated articles from two sources and one undated."""
    arts = [
        searchkit.Article(
            id="storm-a",
            headline="Storm hits the coast",
            paragraphs=("The storm closed the railway.", "Roads were closed too."),
            date=datetime(2005, 3, 1),
            source="Harbour Times",
        ),
        searchkit.Article(
            id="storm-b",
            headline="Storm clean-up",
            paragraphs=("The storm left debris on the beach.",),
            date=datetime(2006, 5, 2),
            source="Riverside Gazette",
        ),
        searchkit.Article(id="flood-c", headline="Flood warning", paragraphs=("A flood warning was issued.",)),
    ]
    path = tmp_path / "dated"
    searchkit.Index.from_articles(arts, path).close()
    return str(path)


# -- item 1: every empty answer says why ----------------------------------------------


def test_no_match_says_so(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "xyzzyplugh", "--index", built])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr == "no match for 'xyzzyplugh'\n"


def test_date_filter_on_undated_matches_says_so(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "twitter", "--since", "2005-01-01", "--index", built])
    assert res.exit_code == 1 and res.stdout == ""
    assert "no matching article has a date" in res.stderr and "date filter" in res.stderr


def test_date_filter_outside_the_dates_says_the_range(runner: CliRunner, dated: str) -> None:
    res = runner.invoke(main, ["search", "storm", "--since", "2010-01-01", "--index", dated])
    assert res.exit_code == 1 and "no match dated on or after 2010-01-01" in res.stderr


def test_page_past_the_end_says_the_last_page(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "twitter", "--page", "999", "--index", built])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr == "page 999 is past the last page, page 1 (1 match)\n"


def test_source_filter_that_removes_every_match_says_so(runner: CliRunner, dated: str) -> None:
    res = runner.invoke(main, ["search", "storm", "--source", "Daily Nowhere", "--index", dated])
    assert res.exit_code == 1 and "no match from source 'Daily Nowhere'" in res.stderr


# -- item 2: the query as several arguments, the guide in --help -----------------------


def test_query_in_several_arguments_is_the_quoted_query(runner: CliRunner, built: str) -> None:
    quoted = runner.invoke(main, ["search", "three minutes", "--json", "--index", built])
    unquoted = runner.invoke(main, ["search", "three", "minutes", "--json", "--index", built])
    assert unquoted.exit_code == 0 and unquoted.stdout == quoted.stdout


def test_leading_minus_after_double_dash(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "--index", built, "--json", "--", "-xyzzy", "twitter"])
    assert res.exit_code == 0 and '"article_id": "twitter-isis-accounts-offline"' in res.stdout


def test_help_has_the_query_guide(runner: CliRunner) -> None:
    out = runner.invoke(main, ["search", "--help"]).output
    for piece in ('"minimum wage"', "+word", "-word", "headline:", "speaker:", "source:", "OR", "all in capitals"):
        assert piece in out
    assert "searchkit search -- -election" in out
