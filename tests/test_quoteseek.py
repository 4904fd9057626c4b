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


def test_the_question_matches_what_its_name_and_subject_match(tmp_path: Path) -> None:
    # "said" and "about" are the question's grammar: a paragraph holding only "said" is no match.
    weather = Article(id="weather", headline="Rain", paragraphs=("It will rain, said the forecaster.",))
    ix = Index.from_articles([*ARTICLES, weather], tmp_path / "ix")
    asked = ix.search("what Blair said about Iraq", fuzzy=False)
    assert asked.total == ix.search("Blair Iraq", fuzzy=False).total == 4
    assert "weather" not in {h.article_id for h in asked}


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


# "About" the subject: words holding at least half the subject's weight. "change" is in many
# paragraphs (light), "climate" in few (heavy): a Blair quote with "change" alone is not about
# "climate change"; one with "climate" is, and ranks above a paragraph full of the topic by no one.
CLIMATE = [
    Article(id="blair-climate", headline="G8 plans", paragraphs=('"The climate is our priority," said Tony Blair.',)),
    Article(id="blair-change", headline="Reform", paragraphs=('"Change is coming to schools," said Tony Blair.',)),
    Article(
        id="climate-report",
        headline="Climate change report",
        paragraphs=("Climate change, climate change and more climate change: the report on climate change.",),
    ),
    Article(
        id="blair-visit",
        headline="Blair on climate",
        paragraphs=(
            '"We must cut emissions on climate," said Tony Blair.',
            "Tony Blair arrived late for the talks.",  # his article's other paragraph: no quote by him
        ),
    ),
    *(
        Article(id=f"prices-{i}", headline="Prices", paragraphs=(f"Prices change daily in shop {i}.",))
        for i in range(12)
    ),
]


@pytest.fixture
def climate(tmp_path: Path) -> Index:
    return Index.from_articles(CLIMATE, tmp_path / "climate")


def _lifted(ix: Index, text: str) -> list[tuple[str, int, float]]:
    """(article, paragraph, what ranking first added) of every paragraph hit, in order."""
    res = ix.search(text, per_article=False, limit=100, fuzzy=False, explain=True)
    return [(h.article_id, h.paragraph, h.explanation.first if h.explanation else -1.0) for h in res]


def test_a_quote_is_about_the_subject_when_it_holds_its_heavier_words(climate: Index) -> None:
    hits = _lifted(climate, "what Blair said about climate change")
    first = [(a, n) for a, n, lift in hits if lift > 0]
    assert sorted(first) == [("blair-climate", 1), ("blair-visit", 1)]
    assert [(a, n) for a, n, _ in hits[: len(first)]] == [(a, n) for a, n, lift in hits if lift > 0]
    later = [a for a, _, lift in hits if lift == 0]
    assert later.index("climate-report") < later.index("blair-change")  # full of the topic, said by no one


def test_ranked_first_by_a_lift_no_other_paragraph_reaches(climate: Index) -> None:
    res = climate.search("what Blair said about climate change", per_article=False, limit=100, explain=True)
    scores = [h.score for h in res]
    assert scores == sorted(scores, reverse=True)  # the scores shown still order the results
    lifts = {h.explanation.first for h in res if h.explanation and h.explanation.first}
    assert len(lifts) == 1
    (lift,) = lifts
    assert all(h.score <= lift for h in res if h.explanation and not h.explanation.first)
    # The article's other paragraph takes article context from its best, not the lift.
    late = next(h for h in res if (h.article_id, h.paragraph) == ("blair-visit", 2))
    assert late.explanation is not None and late.explanation.first == 0 and late.score < lift


def test_the_lift_is_shown_in_the_explanation(climate: Index) -> None:
    from searchkit.render import render_hit

    hit = climate.search("what Blair said about climate change", per_article=False, explain=True)[0]
    assert hit.explanation is not None and hit.explanation.first > 0
    ex = hit.explanation
    assert sum(w.score for w in ex.words) + ex.other + ex.context + ex.first == pytest.approx(hit.score)
    assert "first" in render_hit(hit, colour=False)


def test_a_cue_alone_puts_every_quote_of_the_person_first(climate: Index) -> None:
    # "remarks" says quotes are wanted but names no subject: the person's quotes come first.
    s = climate.searcher()
    seeking = quoteseek.rewrite(s, "Blair remarks", climate.ranking)
    assert seeking is not None
    hits = _lifted(climate, "Blair remarks")
    assert {a for a, _, lift in hits if lift > 0} == {"blair-climate", "blair-change", "blair-visit"}
    assert all(lift > 0 for _, _, lift in hits[:3])


def test_the_snippet_shows_the_quote_of_the_person_asked_about(tmp_path: Path) -> None:
    # Brown's quote holds the query's words twice, Blair's none: the snippet still shows Blair's.
    paragraph = (
        '"Climate talks went well and climate matters to every one of us," said Gordon Brown at the summit '
        "in the city, where ministers met for three days of talks on trade and aid. "
        '"We must act now," said Tony Blair.'
    )
    ix = Index.from_articles([Article(id="summit", headline="Summit", paragraphs=(paragraph,))], tmp_path / "ix")
    hit = ix.search("what Blair said about climate", width=60)[0]
    assert "We must act now" in hit.snippet
