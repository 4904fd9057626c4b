"""Scope filters (issue 18, item 4): a source by any of its words, a folder, and the list of sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import main


def _ids(res: searchkit.SearchResults) -> list[str]:
    return [h.article_id for h in res]


def _json_ids(stdout: str) -> list[str]:
    return [r["article_id"] for r in map(json.loads, stdout.splitlines()) if "type" not in r]


@pytest.mark.parametrize("name", ["riverside", "RIVERSIDE", "gazette riverside", "Riverside Gazette"])
def test_source_by_any_of_its_words(runner: CliRunner, built: str, name: str) -> None:
    res = runner.invoke(main, ["search", "council", "--source", name, "--json", "--index", built])
    assert res.exit_code == 0, res.stderr
    assert _json_ids(res.stdout) == ["politics/budget-vote"]


def test_source_words_must_all_be_in_the_name(built: str) -> None:
    with searchkit.Index.open(built) as ix:
        assert _ids(ix.search("council", source="harbour")) == ["harbour", "politics/election-campaign"]
        assert _ids(ix.search("council", source="riverside times")) == []
        assert _ids(ix.search("council", source="river")) == []  # words, not letters


def test_under_a_folder(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "council harbour", "--under", "politics/", "--json", "--index", built])
    assert res.exit_code == 0
    assert sorted(_json_ids(res.stdout)) == ["politics/budget-vote", "politics/election-campaign"]
    # A path typed from the shell: its leading parts are dropped until it names a folder of the index.
    res = runner.invoke(main, ["search", "prices", "--under", "corpus/wire", "--json", "--index", built])
    assert _json_ids(res.stdout) == ["power-prices-winter"]  # a JSON Lines record is in its file's folder


def test_path_clause_in_the_query(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "council harbour path:politics", "--json", "--index", built])
    assert res.exit_code == 0, res.stderr
    assert sorted(_json_ids(res.stdout)) == ["politics/budget-vote", "politics/election-campaign"]
    summary = json.loads(res.stdout.splitlines()[-1])
    assert summary["query"] == "council harbour path:politics"
    with searchkit.Index.open(built) as ix:
        assert _ids(ix.search('"path: forward" path:wire')) == []  # inside a phrase it is words
        with pytest.raises(searchkit.QueryError, match="give words to search for beside it"):
            ix.search("path:politics")


def test_under_a_folder_without_the_match_says_so(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "twitter", "--under", "politics", "--index", built])
    assert res.exit_code == 1
    assert "no match under folder 'politics' (the query matches in other folders)" in res.stderr


def test_sources_lists_sources_with_counts(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["sources", "--index", built])
    assert res.exit_code == 0
    assert res.stdout == "     4  Riverside Gazette\n     2  Harbour Times\n"
    res = runner.invoke(main, ["sources", "--json", "--index", built])
    assert [json.loads(x) for x in res.stdout.splitlines()][0] == {"source": "Riverside Gazette", "articles": 4}
    with searchkit.Index.open(built) as ix:
        assert [(c.value, c.count) for c in ix.sources()] == [("Riverside Gazette", 4), ("Harbour Times", 2)]


def test_sources_on_an_index_without_any(runner: CliRunner, news: Path, tmp_path: Path) -> None:
    ix = str(tmp_path / "ix")
    assert runner.invoke(main, ["index", str(news), "--index", ix]).exit_code == 0
    res = runner.invoke(main, ["sources", "--index", ix])
    assert res.exit_code == 1 and res.stdout == ""
    assert "no sources" in res.stderr


def test_a_folder_name_matches_wherever_it_sits(runner: CliRunner, tmp_path: Path) -> None:
    """Indexing the parent of the sections (bbc/politics/...) still lets `--under politics` find them."""
    from tests.helpers import write

    root = tmp_path / "data"
    write(root, "bbc/politics/001.txt", "Vote tonight\n\nMPs vote on the budget tonight.\n")
    write(root, "bbc/sport/001.txt", "Cup tie\n\nThe budget for the cup tie was cut.\n")
    write(root, "bbc/politicsfan/001.txt", "Fan club\n\nThe fan club budget grew.\n")
    ix = str(tmp_path / "ix")
    assert runner.invoke(main, ["index", str(root), "--index", ix]).exit_code == 0
    with searchkit.Index.open(ix) as index:
        assert _ids(index.search("budget", under="politics")) == ["bbc/politics/001"]
        assert _ids(index.search("budget", under="bbc/politics/")) == ["bbc/politics/001"]
        assert _ids(index.search("budget path:sport")) == ["bbc/sport/001"]
