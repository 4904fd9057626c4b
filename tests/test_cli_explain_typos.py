"""--explain names every clause, and typos are retried inside phrases and field clauses (issue 18, item 8)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import main


@pytest.mark.parametrize(
    ("query", "label", "fields"),
    [
        ('"sea wall"', '"sea wall"', ["body"]),
        ("accou*", "accou*", None),  # the fields the top hit writes an accou- word in (see below)
        ("counci~", "counci~", ["headline", "body"]),
        ("headline:budget", "headline:budget", ["headline"]),
        ('"sea wall" council', '"sea wall"', ["body"]),
        ('"power prices"', '"power prices"', ["headline", "body", "quotes"]),  # as written, not "power price"
    ],
)
def test_explain_names_phrases_prefixes_fuzzy_words_and_fields(
    built: str, query: str, label: str, fields: list[str] | None
) -> None:
    with searchkit.Index.open(built) as ix:
        hit = ix.search(query, explain=True)[0]
    ex = hit.explanation
    assert ex is not None
    words = {w.word: w for w in ex.words}
    assert label in words, [w.word for w in ex.words]
    if fields is None:  # prefix scores differ between the Whoosh forks, so the top hit may differ too
        texts = {"headline": hit.headline, "body": hit.text, "quotes": " ".join(q.text for q in hit.quotes)}
        fields = [f for f, text in texts.items() if re.search(r"\baccou", text, re.IGNORECASE)]
        assert len(fields) >= 2  # the case still explains a word matched in several fields
    assert [f.field for f in words[label].fields] == fields
    assert abs(ex.other) < 0.01  # nothing left unexplained as "other"
    assert sum(w.score for w in ex.words) + ex.other + ex.context == pytest.approx(hit.score)


def test_explain_shows_a_required_filter(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "speaker:blair budget", "--explain", "--index", built])
    assert "speaker:blair   0.00 = a required filter, not scored (in speakers)" in res.stdout
    assert "other" not in res.stdout


@pytest.mark.parametrize(
    ("query", "typo", "used", "article"),
    [
        ('"tsunammi relief"', "tsunammi", "tsunami", "tsunami-relief-appeal"),
        ("headline:tsunammi", "tsunammi", "tsunami", "tsunami-relief-appeal"),
        ("speaker:blaire", "blaire", "blair", "politics/budget-vote"),
        ('"sea wal" AND harbour', "wal", "", ""),  # under five letters: no typo tolerance
    ],
)
def test_typos_are_retried_inside_phrases_and_fields(
    runner: CliRunner, built: str, query: str, typo: str, used: str, article: str
) -> None:
    res = runner.invoke(main, ["search", query, "--index", built])
    if not used:
        assert res.exit_code == 1
        return
    assert res.exit_code == 0, res.stderr
    assert f"note: no match for {typo!r}; searched {used} instead" in res.stderr
    with searchkit.Index.open(built) as ix:
        found = ix.search(query)
        assert found[0].article_id == article and found.fuzzy == ((typo, (used,)),)
        assert not ix.search(query, fuzzy=False).hits


def test_a_typo_in_an_excluded_word_is_left_alone(built: str) -> None:
    with searchkit.Index.open(built) as ix:
        res = ix.search("tsunami -reliefx")
        assert res.hits and res.fuzzy == ()


def test_a_phrase_word_no_headline_holds_is_no_typo(tmp_path: Path) -> None:
    # An unfielded phrase is searched in headlines, paragraphs and quotes: "marker" is in a paragraph,
    # so the headline clause must not respell it to the headline word "market" (with a typo note).
    arts = [
        searchkit.Article(id="a", headline="Storm news", paragraphs=("The builder found the marker stone.",)),
        searchkit.Article(id="b", headline="Market rally", paragraphs=("The market rose in busy trading.",)),
    ]
    with searchkit.Index.from_articles(arts, tmp_path / "ix") as ix:
        found = ix.search('"marker stone"')
        assert [h.article_id for h in found] == ["a"] and found.fuzzy == ()
        assert ix.search('"markerr stone"').fuzzy == (("markerr", ("marker",)),)  # a real typo still is one
