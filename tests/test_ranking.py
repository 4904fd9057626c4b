"""Ranking: BM25F arithmetic, the Ranking knobs, and the analyzer the index uses."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.util.numeric import byte_to_length, length_to_byte

import searchkit
from searchkit import analysis
from searchkit.indexing.schema import build_schema
from searchkit.search import query as query_mod
from searchkit.search.bm25f import CombinedTerm, FreeText
from searchkit.search.ranking import Ranking


def _index(tmp_path: Path, articles: list[searchkit.Article], **ranking: float) -> searchkit.Index:
    return searchkit.Index.from_articles(articles, tmp_path / "ix", ranking=Ranking(**ranking))


def _scores(ix: searchkit.Index, text: str) -> dict[str, float]:
    return {h.article_id: h.score for h in ix.search(text, limit=50, snippets=False, fuzzy=False)}


FILLER = "Officials said on Tuesday that the matter would be discussed again next week"
ARTICLES = [
    # "ocean" once in the headline and once in the body; no "storm"
    searchkit.Article(id="a", headline="Ocean report", paragraphs=(f"The ocean was calm. {FILLER}.",)),
    # both query words, once each, in the body
    searchkit.Article(id="b", headline="Harbour news", paragraphs=(f"An ocean storm was seen. {FILLER}.",)),
    searchkit.Article(id="c", headline="Markets", paragraphs=(f"Shares rose. {FILLER}.",)),
    searchkit.Article(id="d", headline="Sport", paragraphs=(f"The team won again. {FILLER}.",)),
]


def test_bm25f_saturates_across_fields(tmp_path: Path) -> None:
    # The same word in headline and body is still one word: it saturates once, so
    # a paragraph with two distinct query words beats it.
    with _index(tmp_path, ARTICLES) as ix:
        scores = _scores(ix, "ocean storm")
    assert scores["b"] > scores["a"] > 0


def test_bm25f_score_matches_the_formula(tmp_path: Path) -> None:
    r = Ranking()
    with _index(tmp_path, ARTICLES) as ix:
        scores = _scores(ix, "ocean")
    n = len(ARTICLES)
    lengths = {
        f: [len(analysis.index_terms(a.headline if f == "headline" else a.paragraphs[0])) for a in ARTICLES]
        for f in ("headline", "body")
    }
    avg = {f: sum(v) / n for f, v in lengths.items()}
    # Whoosh stores each document's field length in one byte (exact for short fields only)
    lengths = {f: [byte_to_length(length_to_byte(x)) for x in v] for f, v in lengths.items()}
    idf = math.log(1 + (n - 2 + 0.5) / (2 + 0.5))  # df = max(headline 1, body 2)

    def expected(i: int, tf_headline: int, tf_body: int) -> float:
        tf = (
            r.headline_boost
            * tf_headline
            / (1 - r.headline_b + r.headline_b * lengths["headline"][i] / avg["headline"])
        )
        tf += tf_body / (1 - r.b + r.b * lengths["body"][i] / avg["body"])
        return idf * tf * (r.k1 + 1) / (r.k1 + tf)

    assert scores["a"] == pytest.approx(expected(0, 1, 1), rel=1e-9)
    assert scores["b"] == pytest.approx(expected(1, 0, 1), rel=1e-9)


def test_headline_boost_changes_the_order(tmp_path: Path) -> None:
    articles = [
        searchkit.Article(id="head", headline="Budget talks", paragraphs=(f"Ministers met. {FILLER}.",)),
        searchkit.Article(id="body", headline="Weather", paragraphs=(f"The budget was cut. {FILLER}.",)),
        searchkit.Article(id="x", headline="Sport", paragraphs=(f"The team won. {FILLER}.",)),
    ]
    with _index(tmp_path, articles, headline_boost=5.0) as ix:
        high = _scores(ix, "budget")
    with searchkit.Index.open(tmp_path / "ix", ranking=Ranking(headline_boost=0.2)) as ix:
        low = _scores(ix, "budget")
    assert high["head"] > high["body"]
    assert low["head"] < low["body"]


def test_query_tf_weighs_repeated_words(tmp_path: Path) -> None:
    query = "ocean ocean ocean storm"
    with _index(tmp_path, ARTICLES, query_tf=0.0) as ix:
        once = _scores(ix, query)
    with searchkit.Index.open(tmp_path / "ix", ranking=Ranking(query_tf=1.0)) as ix:
        thrice = _scores(ix, query)
    with searchkit.Index.open(tmp_path / "ix", ranking=Ranking(query_tf=0.0)) as ix:
        plain = _scores(ix, "ocean storm")
    assert once == pytest.approx(plain)
    # "a" has only the repeated word: its score triples
    assert thrice["a"] == pytest.approx(3 * once["a"])


def test_repeated_words_beside_syntax_weigh_as_in_free_text(tmp_path: Path) -> None:
    # A phrase or an exclusion beside the words must not change how a repeated word counts.
    with _index(tmp_path, ARTICLES) as ix:
        free = _scores(ix, "ocean ocean storm")
        with_phrase = _scores(ix, 'ocean ocean storm "zebra crossing"')
        with_exclusion = _scores(ix, "ocean ocean storm -zebra")
    assert with_phrase == pytest.approx(free)
    assert with_exclusion == pytest.approx(free)


def test_repeated_words_beside_syntax_query_shape() -> None:
    schema = build_schema()
    q = query_mod.parse('ocean ocean storm "sea wall"', schema, Ranking(query_tf=1.0))
    assert {t.text: t.boost for t in q.subqueries if isinstance(t, CombinedTerm)} == {"ocean": 2.0, "storm": 1.0}
    # words of the phrase and of field clauses are not repeats of the free words
    q = query_mod.parse('wall "sea wall" speaker:ocean ocean', schema, Ranking(query_tf=1.0))
    assert {t.text: t.boost for t in q.leaves() if isinstance(t, CombinedTerm)} == {"wall": 1.0, "ocean": 1.0}
    q = query_mod.parse('speaker:"blair" speaker speaker', schema, Ranking(query_tf=1.0))
    assert {t.text: t.boost for t in q.leaves() if isinstance(t, CombinedTerm)} == {"speaker": 2.0}
    # a repeat typed with its own boost keeps the boosts typed
    q = query_mod.parse('ocean^2 ocean "sea wall"', schema, Ranking(query_tf=1.0))
    assert sorted(t.boost for t in q.subqueries if isinstance(t, CombinedTerm)) == [1.0, 2.0]
    # query_tf 0: every repeat counts once, as before
    q = query_mod.parse('ocean ocean "sea wall"', schema, Ranking(query_tf=0.0))
    assert [t.boost for t in q.subqueries if isinstance(t, CombinedTerm)] == [1.0]


def test_coordination_rewards_more_distinct_words(tmp_path: Path) -> None:
    with _index(tmp_path, ARTICLES, coordination=0.5) as ix:
        coord = _scores(ix, "ocean storm")
    with searchkit.Index.open(tmp_path / "ix", ranking=Ranking(coordination=0.0)) as ix:
        plain = _scores(ix, "ocean storm")
    assert coord["a"] == pytest.approx(plain["a"])  # one word matched: unchanged
    assert coord["b"] == pytest.approx(1.5 * plain["b"])  # two words: +50%


def test_free_text_query_shape() -> None:
    schema = build_schema()
    q = query_mod.parse("ocean ocean storm", schema, Ranking(query_tf=1.0))
    boosts = {t.text: t.boost for t in q.subqueries}
    assert boosts == {"ocean": 2.0, "storm": 1.0}
    q = query_mod.parse("ocean storm", schema, Ranking(coordination=0.2))
    assert isinstance(q, FreeText) and q.coordination == 0.2
    q = query_mod.parse("ocean", schema, Ranking())
    assert isinstance(q, CombinedTerm)
    assert dict((f, b) for f, _, b in q.fields)["headline"] == Ranking().headline_b


@pytest.mark.parametrize(
    "options",
    [
        {"k1": -1.0},
        {"b": 1.5},
        {"headline_b": 2.0},
        {"headline_boost": -1.0},
        {"query_tf": -0.5},
        {"coordination": -1.0},
        {"k1": "high"},
        {"b": True},
        {"k1": float("nan")},
        {"model": "tfidf"},
    ],
)
def test_ranking_rejects_bad_values(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Ranking(**options)  # type: ignore[arg-type]


def test_ranking_with_options() -> None:
    r = Ranking().with_options(k1=2.0, headline_b=0.5, query_tf=1.0)
    assert (r.k1, r.headline_b, r.query_tf) == (2.0, 0.5, 1.0)
    with pytest.raises(ValueError, match="unknown ranking option"):
        Ranking().with_options(k3=1.0)


def test_stemmer_conflates_forms_and_folds_accents() -> None:
    assert analysis.stem("accounts") == analysis.stem("account") == "account"
    assert analysis.stem("runs") == "run"
    assert analysis.stem("café") == analysis.stem("cafe") == "cafe"
    assert analysis.stem("naïve") == analysis.stem("naive")


def test_possessives_and_curly_apostrophes_index_the_word() -> None:
    assert analysis.terms("Twitter's accounts") == analysis.terms("Twitter’s accounts") == ["twitter", "account"]


def test_stop_words_and_one_letters_are_dropped() -> None:
    assert analysis.terms("The cat and a dog, I said") == ["cat", "dog", "said"]
    assert analysis.terms("they were there") == []  # NLTK's list


def _analyzer_terms(text: str) -> list[str]:
    return [t.text for t in analysis.text_analyzer()(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_terms_equals_the_analyzer(text: str) -> None:
    assert analysis.terms(text) == _analyzer_terms(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Running",
                "café",
                "The",
                "U.S.",
                "3.5",
                "Ünïcode",
                "don't",
                "it’s",
                "x",
                "İstanbul",
                "ﬁnance",
                "STOPPED",
                "naïve",
                "a.b.c",
                "_",
                "ß",
            ]
        ),
        max_size=12,
    )
)
def test_terms_equals_the_analyzer_on_tricky_words(words: list[str]) -> None:
    text = " ".join(words)
    assert analysis.terms(text) == _analyzer_terms(text)
    # and again, now from the cache
    assert analysis.terms(text) == _analyzer_terms(text)


def test_search_finds_other_forms_and_highlights_them(tmp_path: Path) -> None:
    articles = [
        searchkit.Article(
            id="r", headline="Marathon", paragraphs=("She checked her accounts and then she ran again.",)
        ),
        searchkit.Article(id="s", headline="Cafés", paragraphs=("The Café Noir opened in Paris.",)),
    ]
    with _index(tmp_path, articles) as ix:
        hits = ix.search("account")
        assert [h.article_id for h in hits] == ["r"]
        assert [hits[0].snippet[a:b] for a, b in hits[0].highlights] == ["accounts"]
        hits = ix.search("cafe")
        assert [h.article_id for h in hits] == ["s"]
        assert [hits[0].snippet[a:b] for a, b in hits[0].highlights] == ["Café"]


def test_index_terms_are_the_analyzer_terms(tmp_path: Path) -> None:
    with _index(tmp_path, ARTICLES) as ix:
        with ix._ix.searcher() as s:
            body = {t.decode() if isinstance(t, bytes) else t for t in s.lexicon("body")}
    expected = {t for a in ARTICLES for p in a.paragraphs for t in analysis.index_terms(p)}
    assert body == expected


@pytest.mark.parametrize("context", [-0.1, 1.5, float("nan"), True])
def test_context_must_be_a_share(context: float) -> None:
    with pytest.raises(searchkit.RankingError):
        Ranking(context=context)


def test_explain_reports_what_article_context_added(tmp_path: Path) -> None:
    arts = [
        searchkit.Article(
            id="a", headline="Ocean", paragraphs=("Ocean storm ocean storm.", "A calm ocean.", "Nothing here.")
        )
    ]
    with _index(tmp_path, arts, context=0.5) as ix:
        hits = ix.search("ocean storm", per_article=False, explain=True)
        best, other = hits[0], hits[1]
        assert best.explanation is not None and other.explanation is not None
        assert best.explanation.context == pytest.approx(0.0)
        own = sum(w.score for w in other.explanation.words)
        assert other.explanation.context == pytest.approx(0.5 * (best.score - own))
        assert own + other.explanation.context + other.explanation.other == pytest.approx(other.score)
        assert other.score == pytest.approx(0.5 * own + 0.5 * best.score)
