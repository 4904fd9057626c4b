"""The search experience: empty answers say why, unquoted queries, the query guide, small things."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import main


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
    # "dog" is only in the sample's undated article
    res = runner.invoke(main, ["search", "dog", "--since", "2005-01-01", "--index", built])
    assert res.exit_code == 1 and res.stdout == ""
    assert "no matching article has a date" in res.stderr and "date filter" in res.stderr


def test_date_filter_outside_the_dates_says_the_range(runner: CliRunner, dated: str) -> None:
    res = runner.invoke(main, ["search", "storm", "--since", "2010-01-01", "--index", dated])
    assert res.exit_code == 1 and "no match dated on or after 2010-01-01" in res.stderr


def test_page_past_the_end_says_the_last_page(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "twitter", "--page", "999", "--index", built])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr == "page 999 is past the last page, page 1 (2 matches)\n"
    res = runner.invoke(main, ["search", "dog", "--page", "2", "--index", built])
    assert res.stderr == "page 2 is past the last page, page 1 (1 match)\n"


def test_source_filter_that_removes_every_match_says_so(runner: CliRunner, dated: str) -> None:
    res = runner.invoke(main, ["search", "storm", "--source", "Daily Nowhere", "--index", dated])
    assert res.exit_code == 1 and "no match from source 'Daily Nowhere'" in res.stderr


# -- item 2: the query as several arguments, the guide in --help -----------------------


def test_query_in_several_arguments_is_the_quoted_query(runner: CliRunner, built: str) -> None:
    quoted = runner.invoke(main, ["search", "three minutes", "--json", "--index", built])
    unquoted = runner.invoke(main, ["search", "three", "minutes", "--json", "--index", built])
    hits = quoted.stdout.splitlines()[:-1]  # the last line, the summary, holds the time taken
    assert unquoted.exit_code == 0 and unquoted.stdout.splitlines()[:-1] == hits and hits


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
    assert "articles match; page 1 of 1" in loud.stdout
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


# -- item 6: the JSON summary record, CSV/TSV export, highlight tags -------------------


def test_json_ends_with_a_summary_record(runner: CliRunner, dated: str) -> None:
    res = runner.invoke(main, ["search", "storm", "--json", "--limit", "1", "--index", dated])
    records = [json.loads(line) for line in res.stdout.splitlines()]
    hits, summary = records[:-1], records[-1]
    assert len(hits) == 1 and "type" not in hits[0] and hits[0]["article_id"] in ("storm-a", "storm-b")
    assert {k: summary[k] for k in ("type", "total", "page", "pages", "limit")} == {
        "type": "summary",
        "total": 2,
        "page": 1,
        "pages": 2,
        "limit": 1,
    }
    assert isinstance(summary["took_ms"], float) and summary["query"] == "storm"
    empty = runner.invoke(main, ["search", "xyzzy", "--format", "json", "--index", dated])
    assert empty.exit_code == 1 and json.loads(empty.stdout)["total"] == 0


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_export(runner: CliRunner, built: str, fmt: str, delimiter: str) -> None:
    res = runner.invoke(main, ["search", '"three minutes"', "--format", fmt, "--index", built])
    assert res.exit_code == 0
    quoting = csv.QUOTE_NONE if fmt == "tsv" else csv.QUOTE_MINIMAL
    rows = list(csv.DictReader(io.StringIO(res.stdout), delimiter=delimiter, quoting=quoting))
    assert len(rows) == 1
    row = rows[0]
    for column in ("article_id", "paragraph", "headline", "date", "source", "url", "speakers", "text"):
        assert column in row
    assert row["article_id"] == "twitter-isis-accounts-offline" and row["paragraph"] == "5"
    assert row["speakers"] == "Abu al-Walid" and "within three minutes" in row["text"]
    assert row["headline"] == "Twitter Trying To Keep ISIS Accounts Offline, But It's No Easy Task"


def test_custom_highlight_tags(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "three minutes", "--highlight", "<b>,</b>", "--index", built])
    assert "within <b>three minutes</b> I'll" in res.stdout
    res = runner.invoke(main, ["search", "three minutes", "--highlight", "[,]", "--format", "csv", "--index", built])
    assert "within [three minutes] I'll" in res.stdout
    res = runner.invoke(main, ["search", "three", "--highlight", "<b>", "--index", built])
    assert res.exit_code == 2 and res.stderr.startswith("Error: --highlight '<b>': give the two marks as PRE,POST")


# -- item 3: show takes what a hit prints; hits show the article id ---------------------


def test_show_takes_the_printed_path_and_a_file_path(runner: CliRunner, built: str, sample_corpus: Path) -> None:
    by_id = runner.invoke(main, ["show", "twitter-isis-accounts-offline#2", "--index", built])
    by_path = runner.invoke(main, ["show", "twitter-isis-accounts-offline.txt#2", "--index", built])
    file_path = str(sample_corpus / "twitter-isis-accounts-offline.txt")
    by_file = runner.invoke(main, ["show", file_path + "#2", "--index", built])
    assert by_id.exit_code == 0 and by_id.stdout == by_path.stdout == by_file.stdout
    with searchkit.Index.open(built) as ix:
        assert ix.show("./corpus/twitter-isis-accounts-offline.txt").article_id == "twitter-isis-accounts-offline"


def test_no_article_suggests_the_closest_ids(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["show", "twitter-isis-acounts-offline", "--index", built])
    assert res.exit_code == 2
    assert res.stderr == (
        "Error: no article 'twitter-isis-acounts-offline' in the index; did you mean 'twitter-isis-accounts-offline'?\n"
    )


def test_hit_lines_show_the_article_id(runner: CliRunner, tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    record = {"id": "gazette-0042", "headline": "Bridge reopens", "body": "The bridge reopened on Monday."}
    (feed / "wire.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    ix = str(tmp_path / "ix")
    assert runner.invoke(main, ["index", str(feed), "--index", ix]).exit_code == 0
    res = runner.invoke(main, ["search", "bridge", "--index", ix])
    assert res.stdout.splitlines()[0].startswith("1. Bridge reopens  ¶1 gazette-0042 (wire.jsonl)")
    assert runner.invoke(main, ["show", "gazette-0042", "--index", ix]).exit_code == 0


def test_progress_line_is_singular_for_one(capsys: pytest.CaptureFixture[str]) -> None:
    from searchkit.api import Progress
    from searchkit.render import progress_printer

    progress_printer()(Progress(files_done=1, files_total=0, paragraphs=1, seconds=1.0))
    assert capsys.readouterr().err.startswith("\rindexing: 1 file, 1 paragraph (1/s)")
