"""No empty answer for real words: stop words, one letters and joined forms (AT&T, 9/11) are indexed.

A query made only of such words searches them; a query with other words skips
them in scoring, as before they were indexed; phrases keep every word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import searchkit
from searchkit import analysis

FILLER = "Officials said on Tuesday that the matter would be discussed again next week"
ARTICLES = [
    searchkit.Article(id="band", headline="Concert review", paragraphs=(f"The Who played their hits. {FILLER}.",)),
    searchkit.Article(id="who", headline="Flu season", paragraphs=(f"WHO warns of a flu outbreak. {FILLER}.",)),
    searchkit.Article(id="it", headline="Jobs", paragraphs=(f"IT workers are in demand in every city. {FILLER}.",)),
    searchkit.Article(id="att", headline="Phones", paragraphs=(f"AT&T reported higher profits. {FILLER}.",)),
    searchkit.Article(id="at", headline="Tennis", paragraphs=(f"At the final, T Henman lost. {FILLER}.",)),
    searchkit.Article(id="ms", headline="Retail", paragraphs=(f"M&S sales rose at Christmas. {FILLER}.",)),
    searchkit.Article(id="cpp", headline="Software", paragraphs=(f"Code written in C++ runs fast. {FILLER}.",)),
    searchkit.Article(id="vitc", headline="Health", paragraphs=(f"Vitamin C helps, doctors say. {FILLER}.",)),
    searchkit.Article(id="911", headline="Memorial", paragraphs=(f"The 9/11 anniversary was marked. {FILLER}.",)),
    searchkit.Article(
        id="hamlet", headline="Theatre", paragraphs=(f"To be or not to be, that is the question. {FILLER}.",)
    ),
    searchkit.Article(id="budget", headline="Economy", paragraphs=(f"The budget was cut sharply. {FILLER}.",)),
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    return searchkit.Index.from_articles(ARTICLES, tmp_path_factory.mktemp("stop") / "ix")


def _ids(ix: searchkit.Index, text: str) -> list[str]:
    return [h.article_id for h in ix.search(text, limit=50, snippets=False)]


@pytest.mark.parametrize(("text", "first"), [("The Who", "band"), ("WHO", "who"), ("IT", "it")])
def test_a_query_of_stop_words_only_searches_them(ix: searchkit.Index, text: str, first: str) -> None:
    found = _ids(ix, text)
    assert found and first in found[:2]


def test_a_phrase_of_stop_words_finds_its_paragraph(ix: searchkit.Index) -> None:
    assert _ids(ix, '"to be or not to be"') == ["hamlet"]
    assert _ids(ix, '"the who"') == ["band"]


@pytest.mark.parametrize(("text", "want"), [("AT&T", "att"), ("M&S", "ms"), ("C++", "cpp"), ("9/11", "911")])
def test_joined_forms_are_whole_words(ix: searchkit.Index, text: str, want: str) -> None:
    assert _ids(ix, text) == [want]


def test_mixed_queries_skip_stop_words_in_scoring(ix: searchkit.Index) -> None:
    plain = {h.article_id: h.score for h in ix.search("budget", snippets=False)}
    mixed = {h.article_id: h.score for h in ix.search("the budget of it", snippets=False)}
    assert plain == mixed == {"budget": pytest.approx(plain["budget"])}
    syntax = {h.article_id: h.score for h in ix.search('budget "the question"', snippets=False)}
    assert set(syntax) == {"budget", "hamlet"}  # the phrase keeps its stop word; a bare "the" would match all


def test_field_clause_of_a_stop_word_searches_it(ix: searchkit.Index) -> None:
    assert set(_ids(ix, "body:who")) == {"band", "who"}


def test_analysis_keeps_every_word_in_the_index() -> None:
    assert analysis.index_terms("The Who's AT&T, C++ and 9/11 in km/h") == [
        "the",
        "who",
        "s",
        "at&t",
        "c++",
        "and",
        "9/11",
        "in",
        "km",
        "h",
    ]
    assert analysis.terms("The Who's AT&T, C++ and 9/11") == ["at&t", "c++", "9/11"]
    assert analysis.query_terms("The Who") == ["the", "who"]
    assert analysis.query_terms("the budget") == ["budget"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1 &/+.é—"), max_size=30))
def test_token_runs_cut_joined_forms_as_the_pattern(text: str) -> None:
    runs = [r.decode("utf-8") for r in analysis.token_runs(text)]
    if text.isascii():
        assert runs == analysis.TOKEN_PATTERN.findall(text)
    else:  # runs with other characters are checked by the regex: together they hold its matches
        assert [t for r in runs for t in analysis.TOKEN_PATTERN.findall(r)] == analysis.TOKEN_PATTERN.findall(text)


def test_index_built_before_is_refused_with_a_rebuild_message(tmp_path: Path) -> None:
    import json

    from searchkit.indexing.schema import META_FILE

    searchkit.Index.from_articles(ARTICLES[:1], tmp_path / "ix").close()
    meta = tmp_path / "ix" / META_FILE
    data = json.loads(meta.read_text())
    data["schema_version"] = 6  # the version before stop words were indexed
    meta.write_text(json.dumps(data))
    with pytest.raises(searchkit.SearchkitError, match=re.escape("rebuild it (rebuild=True)")):
        searchkit.Index.open(tmp_path / "ix").search("who")


def test_similar_paragraphs_are_found_by_their_subject_words(ix: searchkit.Index) -> None:
    words = ix.similar("band", 1).query.split()
    assert words and not any(analysis.skipped_term(w) for w in words)  # no "the", "their", "that"
