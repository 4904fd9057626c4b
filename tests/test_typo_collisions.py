"""A typo that lands on a rare stem collision is retried like a word with no match (issue 16 item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit import Article, Index
from searchkit.search import typos

ARTICLES = [
    Article(id=f"gov{i}", headline=f"Report {i}", paragraphs=(f"The government announced plan number {i}.",))
    for i in range(8)
] + [
    Article(id="nanny", headline="Old houses", paragraphs=("The governess taught the children French.",)),
    Article(id="runner", headline="Sport", paragraphs=("She runs every day.",)),
]


@pytest.fixture
def ix(tmp_path: Path) -> Index:
    return Index.from_articles(ARTICLES, tmp_path / "ix")


def test_a_typo_colliding_with_a_rare_stem_is_retried_and_noted(ix: Index) -> None:
    res = ix.search("goverment")
    assert res.fuzzy == (("goverment", ("government",)),)
    assert res.hits and all(h.article_id.startswith("gov") for h in res)


def test_words_written_that_way_or_near_a_written_form_are_kept(ix: Index) -> None:
    for word in ("governess", "governesses", "Governess"):
        res = ix.search(word)
        assert res.fuzzy == () and [h.article_id for h in res] == ["nanny"], word


def test_a_common_stem_is_never_doubted(ix: Index) -> None:
    s = ix.searcher()
    assert not typos.collides(s, "government")
    assert not typos.collides(s, "running")  # "runs" only, but no likelier neighbour


def test_no_retry_without_fuzzy(ix: Index) -> None:
    res = ix.search("goverment", fuzzy=False)
    assert res.fuzzy == () and [h.article_id for h in res] == ["nanny"]
