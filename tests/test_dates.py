"""Sorting by date and date ranges (issue 16 item 6)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from searchkit import Article, Index
from searchkit.search import bulk
from searchkit.search.searcher import NO_DATES

ARTICLES = [
    Article(
        id="old",
        headline="Budget day",
        paragraphs=("The weather was fine.", "The budget budget budget was announced.", "A budget row."),
        date=datetime(2024, 3, 1, 9, 0),
    ),
    Article(
        id="new",
        headline="Council news",
        paragraphs=("A budget vote.", "The budget budget budget passed at last.", "Nothing else."),
        date=datetime(2025, 3, 1, 18, 30),
    ),
    Article(id="undated", headline="Budget leak", paragraphs=("Budget budget papers leaked.",)),
]


@pytest.fixture(params=[True, False], ids=["bulk", "whoosh"])
def ix(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Index:
    monkeypatch.setattr(bulk, "enabled", request.param)
    return Index.from_articles(ARTICLES, tmp_path / "ix")


def test_sort_by_date_keeps_each_articles_best_paragraph_and_its_score(ix: Index) -> None:
    by_date = ix.search("budget", sort="date")
    assert [h.article_id for h in by_date] == ["new", "old", "undated"]
    assert [h.paragraph for h in by_date[:2]] == [2, 2]  # the best paragraph, not the last matching one
    relevance = {(h.article_id, h.paragraph): h.score for h in ix.search("budget")}
    for hit in by_date:
        assert hit.score == pytest.approx(relevance[(hit.article_id, hit.paragraph)])
        assert hit.score < 1000
    assert by_date.notes == ()


def test_sort_by_date_paragraphs_keep_relevance_within_an_article(ix: Index) -> None:
    hits = ix.search("budget", sort="date", per_article=False, limit=20)
    assert [(h.article_id, h.paragraph) for h in hits][:2] == [("new", 2), ("new", 1)]
    assert hits[-1].article_id == "undated"


def test_sort_by_date_without_dates_says_so(tmp_path: Path) -> None:
    arts = [Article(id=i, headline="Budget", paragraphs=(f"The budget {i}.",)) for i in "ab"]
    with Index.from_articles(arts, tmp_path / "ix") as ix:
        res = ix.search("budget", sort="date")
        assert len(res) == 2 and res.notes == (NO_DATES,)
        assert ix.search("budget").notes == ()


def test_until_a_day_includes_all_of_it(ix: Index) -> None:
    assert {h.article_id for h in ix.search("budget", until=datetime(2025, 3, 1))} == {"new", "old"}
    assert {h.article_id for h in ix.search("budget", until=date(2025, 3, 1))} == {"new", "old"}
    assert {h.article_id for h in ix.search("budget", until=datetime(2025, 3, 1, 12, 0))} == {"old"}
    assert {h.article_id for h in ix.search("budget", until=datetime(2025, 2, 28))} == {"old"}
    assert {h.article_id for h in ix.search("budget", since=date(2025, 3, 1))} == {"new"}


def test_cli_prints_the_no_dates_note(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from searchkit.cli import main

    Index.from_articles([Article(id="a", headline="Budget", paragraphs=("The budget.",))], tmp_path / "ix").close()
    res = CliRunner().invoke(main, ["search", "budget", "--sort", "date", "--index", str(tmp_path / "ix")])
    assert res.exit_code == 0 and f"note: {NO_DATES}" in res.output


def test_dates_with_a_time_zone_sort_and_filter_as_the_same_instant_in_utc(tmp_path: Path) -> None:
    # Whoosh indexes a date's wall-clock time: 10:00+01:00 (09:00 UTC) sorted and filtered as 10:00,
    # and the bulk writer gave 09:00 UTC, an equal instant right after it, 10:00 too.
    plus_one, utc = timezone(timedelta(hours=1)), timezone.utc
    arts = [
        Article(id="a", headline="A", paragraphs=("Market news one.",), date=datetime(2020, 1, 1, 10, tzinfo=plus_one)),
        Article(id="b", headline="B", paragraphs=("Market news two.",), date=datetime(2020, 1, 1, 9, tzinfo=utc)),
        Article(id="c", headline="C", paragraphs=("Market news three.",), date=datetime(2020, 1, 1, 9, 30)),
    ]
    with Index.from_articles(arts, tmp_path / "ix") as ix:
        assert sorted(h.article_id for h in ix.search("market", until="2020-01-01T09:15")) == ["a", "b"]
        assert [h.article_id for h in ix.search("market", since="2020-01-01T09:15")] == ["c"]
        assert [h.article_id for h in ix.search("market", sort="date")][0] == "c"
        assert {h.article_id: h.date for h in ix.search("market")}["a"] == arts[0].date  # the same instant
