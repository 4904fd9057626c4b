"""A required stop word or one-letter word (`+the budget`, `+1 nucleosomes`) filters instead of emptying the query."""

from __future__ import annotations

import pytest

import searchkit

ARTICLES = [
    searchkit.Article(id="one", headline="Genes", paragraphs=("Nucleosomes at position 1 are stable.",)),
    searchkit.Article(id="other", headline="Genes", paragraphs=("Nucleosomes move along the gene.",)),
    searchkit.Article(id="budget", headline="Economy", paragraphs=("Budget cuts were announced.",)),
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    return searchkit.Index.from_articles(ARTICLES, tmp_path_factory.mktemp("req") / "ix")


def test_a_required_one_letter_word_filters(ix: searchkit.Index) -> None:
    assert [h.article_id for h in ix.search("+1 nucleosomes", fuzzy=False)] == ["one"]


def test_a_required_stop_word_filters_and_does_not_score(ix: searchkit.Index) -> None:
    required = {h.article_id: h.score for h in ix.search("+the nucleosomes", fuzzy=False)}
    plain = {h.article_id: h.score for h in ix.search("nucleosomes", fuzzy=False)}
    assert required == {"other": pytest.approx(plain["other"])}
