"""Quote-seeking queries (issue 16 item 3): "what Blair said about Iraq" puts Blair's Iraq quotes first."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit import Article, Index
from searchkit.search import quoteseek

ARTICLES = [
    Article(
        id="brown-iraq",
        headline="Iraq costs",
        paragraphs=('"Iraq, Iraq and Iraq again: the Iraq bill is huge," said Gordon Brown.',),
    ),
    Article(
        id="iraq-report",
        headline="Iraq report",
        paragraphs=("Iraq was discussed at length. Iraq, Iraq, Iraq. Blair was not there.",),
    ),
    Article(id="blair-iraq", headline="War vote", paragraphs=('"We must act on Iraq now," said Tony Blair.',)),
    Article(id="blair-schools", headline="Schools", paragraphs=('"Schools matter most," said Tony Blair.',)),
]


@pytest.fixture
def ix(tmp_path: Path) -> Index:
    return Index.from_articles(ARTICLES, tmp_path / "ix")


@pytest.mark.parametrize(
    "text", ["what Blair said about Iraq", "Blair says about Iraq", "Blair on Iraq", "Tony Blair on Iraq"]
)
def test_the_speakers_quote_on_the_topic_comes_first(ix: Index, text: str) -> None:
    assert ix.search(text, fuzzy=False)[0].article_id == "blair-iraq"


def test_plain_words_and_unknown_speakers_stay_free_text(ix: Index) -> None:
    s = ix.searcher()
    assert quoteseek.rewrite(s, "Blair Iraq", ix.ranking) is None  # no cue
    assert quoteseek.rewrite(s, "what Smith said about Iraq", ix.ranking) is None  # no such speaker
    assert quoteseek.rewrite(s, "what is Iraq", ix.ranking) is None
    assert quoteseek.rewrite(s, "what Blair said about", ix.ranking) is None  # no topic
    assert quoteseek.rewrite(s, "what Blair said about Iraq", ix.ranking) is not None


def test_a_name_ending_in_a_stop_word_names_nobody(ix: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    # The speakers field keeps stop words (SQuAD indexes "The Doctor"), so "the" could match a speaker:
    # such a candidate is never looked up.
    looked_up: list[list[str]] = []
    real = quoteseek._speaker

    def spy(searcher: object, name: list[str]) -> object:
        looked_up.append(name)
        return real(searcher, name)  # type: ignore[arg-type]

    monkeypatch.setattr(quoteseek, "_speaker", spy)
    s = ix.searcher()
    assert quoteseek.rewrite(s, "what is the name of the bill on Iraq", ix.ranking) is None
    assert quoteseek.rewrite(s, "what did Blair say about Iraq", ix.ranking) is not None
    assert looked_up and all(name[-1] not in ("the", "of") for name in looked_up)
