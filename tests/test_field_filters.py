"""Field clauses beside free words filter (issue 16 item 3): `speaker:blair iraq` is Blair on Iraq."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit import Article, Index

ARTICLES = [
    Article(id="blair-iraq", headline="War vote", paragraphs=('"We must act on Iraq now," said Tony Blair.',)),
    Article(
        id="brown-iraq",
        headline="Iraq costs",
        paragraphs=('"Iraq, Iraq and Iraq again: the Iraq bill is huge," said Gordon Brown.',),
    ),
    Article(id="blair-schools", headline="Schools", paragraphs=('"Schools matter most," said Tony Blair.',)),
    Article(
        id="blair-iraq-threat",
        headline="Iraq threat",
        paragraphs=('"Iraq is a threat we cannot ignore," said Tony Blair.',),
        source="Herald",
    ),
]


@pytest.fixture
def ix(tmp_path: Path) -> Index:
    return Index.from_articles(ARTICLES, tmp_path / "ix")


def _ids(ix: Index, text: str) -> set[str]:
    return {h.article_id for h in ix.search(text, limit=50, fuzzy=False)}


def test_speaker_clause_filters(ix: Index) -> None:
    assert _ids(ix, "speaker:blair iraq") == {"blair-iraq", "blair-iraq-threat"}
    assert _ids(ix, 'speaker:"tony blair" iraq') == {"blair-iraq", "blair-iraq-threat"}


def test_exclusions_still_exclude(ix: Index) -> None:
    assert _ids(ix, "speaker:blair iraq -threat") == {"blair-iraq"}
    assert _ids(ix, "speaker:blair iraq NOT threat") == {"blair-iraq"}
    assert _ids(ix, "iraq -speaker:blair") == {"brown-iraq"}


def test_source_and_headline_clauses_filter(ix: Index) -> None:
    assert _ids(ix, "source:herald iraq") == {"blair-iraq-threat"}
    assert _ids(ix, "headline:iraq blair") == {"blair-iraq-threat"}  # Brown's Iraq article does not say Blair


def test_a_typed_or_keeps_clauses_optional(ix: Index) -> None:
    assert _ids(ix, "speaker:brown OR schools") == {"brown-iraq", "blair-schools"}


def test_the_free_words_rank_the_filtered_paragraphs(ix: Index) -> None:
    hits = ix.search("speaker:blair iraq threat", fuzzy=False)
    assert [h.article_id for h in hits] == ["blair-iraq-threat", "blair-iraq"]


def test_a_word_split_in_parts_is_no_headline_filter(ix: Index) -> None:
    # The parser spreads `gordon-brown` over the fields as headline:gordon, headline:brown, body:gordon, ...;
    # those headline parts are the word's, not a typed headline: clause, so nothing is filtered.
    assert _ids(ix, "gordon-brown -schools") == {"brown-iraq"}
    assert _ids(ix, '"iraq bill" gordon-brown') == {"brown-iraq"}


def test_a_word_split_in_parts_scores_as_free_text(ix: Index) -> None:
    free = ix.search("gordon-brown iraq", fuzzy=False)
    excluding = ix.search("gordon-brown iraq -schools", fuzzy=False)
    assert [(h.article_id, round(h.score, 9)) for h in excluding] == [(h.article_id, round(h.score, 9)) for h in free]
