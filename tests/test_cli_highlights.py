"""Highlights and counts show what matched (issue 18, item 7).

A phrase lights up only where it stands whole; the headline's matches are marked in
the headline; a hit matched only by its headline says so; "N more paragraphs" and
--all-paragraphs count only paragraphs whose own text matches; every fragment holds
a match; --width, --fragments and --rank refuse values that make no sense.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import main
from tests.helpers import write

LONG = (
    "The commission met on Monday. It heard from shops, cafes, hotels and care homes about the cost of staff. "
    "It also heard from the unions. Its report is due in the spring. Ministers will read it before deciding. "
    "Economists said the minimum wage had not cost jobs so far. The figures will be published in May."
)


@pytest.fixture
def wages(tmp_path: Path) -> str:
    folder = tmp_path / "news"
    write(
        folder,
        "wage.txt",
        "Minimum wage to rise in April\n\n"
        "The minimum wage will rise to £11 an hour in April, the government said.\n\n"
        "Employers said the minimum rise should have been smaller.\n\n"
        "Shops and cafes will pay the new rate from the first of the month.\n\n"
        '"A minimum wage of £15 is what people need," said union leader Ann Hale.\n',
    )
    write(folder, "bakery.txt", "Bakery closes\n\nThe bakery paid more than the minimum wage to every baker.\n")
    write(folder, "explained.txt", "Minimum wage explained\n\nHere is how the rate is set each year.\n")
    write(folder, "review.txt", "Pay review\n\n" + LONG + "\n")
    ix = str(tmp_path / "ix")
    assert CliRunner().invoke(main, ["index", str(folder), "--index", ix]).exit_code == 0
    return ix


def _hits(runner: CliRunner, ix: str, *args: str) -> list[dict[str, Any]]:
    res = runner.invoke(main, ["search", *args, "--json", "--limit", "50", "--index", ix])
    assert res.exit_code == 0, res.stderr
    return [r for r in map(json.loads, res.stdout.splitlines()) if "type" not in r]


def _lit(text: str, spans: list[list[int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_a_phrase_highlights_only_the_phrase(runner: CliRunner, wages: str) -> None:
    hits = _hits(runner, wages, '"minimum wage"', "--all-paragraphs")
    for hit in hits:
        for frag in hit["fragments"]:
            assert all(w.lower() == "minimum wage" for w in _lit(frag["text"], frag["highlights"])), frag
    assert "Employers" not in " ".join(str(h["text"]) for h in hits)  # a lone "minimum" is no match


def test_more_paragraphs_and_all_paragraphs_count_own_matches(runner: CliRunner, wages: str) -> None:
    (wage,) = [h for h in _hits(runner, wages, '"minimum wage"') if h["article_id"] == "wage"]
    assert wage["more_in_article"] == 1  # paragraphs 1 and 4 hold the phrase; the headline is on all four
    listed = [(h["article_id"], h["paragraph"]) for h in _hits(runner, wages, '"minimum wage"', "--all-paragraphs")]
    assert sorted(listed) == [("bakery", 1), ("explained", 1), ("review", 1), ("wage", 1), ("wage", 4)]
    res = runner.invoke(main, ["search", '"minimum wage"', "--all-paragraphs", "--index", wages])
    assert "5 paragraphs match" in res.stdout


def test_headline_matches_are_highlighted(runner: CliRunner, wages: str) -> None:
    (wage,) = [h for h in _hits(runner, wages, "minimum wage") if h["article_id"] == "wage"]
    assert _lit(str(wage["headline"]), wage["headline_highlights"]) == ["Minimum wage"]
    res = runner.invoke(main, ["search", "minimum wage", "--highlight", "<b>,</b>", "--index", wages])
    assert "<b>Minimum wage</b> to rise in April" in res.stdout


def test_a_headline_only_hit_says_so(runner: CliRunner, wages: str) -> None:
    (hit,) = [h for h in _hits(runner, wages, "minimum wage") if h["article_id"] == "explained"]
    assert hit["headline_only"] is True and hit["highlights"] == [] and hit["more_in_article"] == 0
    others = [h for h in _hits(runner, wages, "minimum wage") if h["article_id"] != "explained"]
    assert not any(h["headline_only"] for h in others)
    res = runner.invoke(main, ["search", "explained", "--index", wages])
    assert "   (only the headline matched)\n" in res.stdout


def test_every_fragment_holds_a_match(runner: CliRunner, wages: str) -> None:
    (hit,) = _hits(runner, wages, "economists", "--fragments", "3", "--width", "60")
    assert len(hit["fragments"]) == 1
    with searchkit.Index.open(wages) as ix:
        for h in ix.search("minimum commission", fragments=3, width=60):
            assert h.headline_only or all(f.highlights for f in h.fragments), h.fragments


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--width", "0"], "Invalid value for '--width': 0 is not in the range x>=40"),
        (["--fragments", "-1"], "Invalid value for '--fragments': -1 is not in the range x>=1"),
        (["--rank", "k1=inf"], "Error: 'k1=inf': 'inf' is not a finite number"),
    ],
)
def test_nonsense_values_are_refused(runner: CliRunner, wages: str, args: list[str], message: str) -> None:
    res = runner.invoke(main, ["search", "wage", *args, "--index", wages])
    assert res.exit_code == 2 and message in res.stderr
