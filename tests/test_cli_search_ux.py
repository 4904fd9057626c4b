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


# -- item 10: the small things --------------------------------------------------------


def test_empty_no_color_does_not_disable_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit import cli

    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("NO_COLOR", "")
    assert cli._use_colour("auto") is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._use_colour("auto") is False


def test_ctrl_c_exits_130(runner: CliRunner, built: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit import api

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api.Index, "search", interrupted)
    res = runner.invoke(main, ["search", "twitter", "--index", built])
    assert res.exit_code == 130


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("k1=abc", "Error: 'k1=abc': 'abc' is not a number\n"),
        ("k1", "Error: 'k1': use KEY=VALUE, e.g. headline_boost=3\n"),
    ],
)
def test_rank_errors_are_one_line(runner: CliRunner, built: str, option: str, message: str) -> None:
    res = runner.invoke(main, ["search", "twitter", "--index", built, "--rank", option])
    assert res.exit_code == 2 and res.stderr == message


def test_quiet_drops_the_summary_line(runner: CliRunner, built: str) -> None:
    loud = runner.invoke(main, ["search", "twitter", "--index", built])
    quiet = runner.invoke(main, ["search", "twitter", "--index", built, "-q"])
    assert "article matches; page 1 of 1" in loud.stdout
    assert quiet.exit_code == 0 and "page 1 of 1" not in quiet.stdout and quiet.stdout.startswith("1. ")


def test_one_paragraph_is_singular(runner: CliRunner, dated: str) -> None:
    res = runner.invoke(main, ["show", "flood-c", "--index", dated])
    assert res.stdout.rstrip().endswith("(flood-c: 1 paragraph)")
    res = runner.invoke(main, ["search", "closed", "--index", dated])
    assert "+ 1 more paragraph in this article" in res.stdout


def test_library_since_takes_an_iso_string(dated: str) -> None:
    with searchkit.Index.open(dated) as ix:
        assert [h.article_id for h in ix.search("storm", since="2006-01-01")] == ["storm-b"]
        assert [h.article_id for h in ix.search("storm", until=datetime(2005, 12, 31).date())] == ["storm-a"]
        with pytest.raises(searchkit.QueryError, match="not a date; give an ISO 8601 date"):
            ix.search("storm", since="last tuesday")


def test_library_limit_zero_speaks_library_terms(dated: str) -> None:
    with searchkit.Index.open(dated) as ix:
        with pytest.raises(searchkit.QueryError) as err:
            ix.search("storm", limit=0)
    assert str(err.value) == "limit=0: limit must be 1 or more"


def test_closed_index_refuses_to_search(dated: str) -> None:
    ix = searchkit.Index.open(dated)
    ix.search("storm")
    ix.close()
    with pytest.raises(searchkit.SearchkitError, match="is closed; open it again"):
        ix.search("storm")
