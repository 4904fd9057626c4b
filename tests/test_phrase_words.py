"""Words beside a phrase are scored as free text scores them (BM25F over headline, body and quotes)."""

from __future__ import annotations

import pytest

import searchkit

ARTICLES = [
    searchkit.Article(id="rates", headline="Bank rates", paragraphs=("The central bank held interest rates.",)),
    searchkit.Article(id="vote", headline="Vote", paragraphs=("Members will vote on the budget next week.",)),
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    return searchkit.Index.from_articles(ARTICLES, tmp_path_factory.mktemp("phrase") / "ix")


def test_a_word_beside_a_phrase_scores_as_alone(ix: searchkit.Index) -> None:
    alone = {h.article_id: h.score for h in ix.search("budget", fuzzy=False)}
    beside = {h.article_id: h.score for h in ix.search('"interest rates" budget', fuzzy=False)}
    assert beside["vote"] == pytest.approx(alone["vote"])  # the phrase does not match there
    assert set(beside) == {"rates", "vote"}
