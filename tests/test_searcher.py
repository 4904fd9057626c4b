"""Searching through the library: ranking order, grouping, paging, fields, typos, filters."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

import searchkit
from searchkit import Article, Index
from searchkit.errors import QueryError


@pytest.fixture
def ix(news: Path, tmp_path: Path):
    with Index.build([news], tmp_path / "ix") as index:
        yield index


def test_free_text_finds_the_paragraph(ix: Index) -> None:
    hits = ix.search("fresh mandate")
    assert hits[0].pid == "politics/election#2"
    assert hits[0].speakers == ("Theresa May",)
    assert hits[0].quotes[0].text.startswith("We need a fresh mandate")
    assert hits[0].quotes[0].speaker == "Theresa May"


def test_per_article_by_default_with_more_count(ix: Index) -> None:
    res = ix.search("election")
    assert [h.article_id for h in res] == ["politics/election", "weather/storm"]
    # The headline matches on every paragraph of the election article, but only paragraph 1 says
    # "election" itself: the others are not counted as more matches (issue 18, item 7).
    assert res[0].more_in_article == 0
    assert res.total == 2


def test_all_paragraphs(ix: Index) -> None:
    res = ix.search("election", per_article=False)
    # Only paragraphs whose own text matches (the headline is on every paragraph: issue 18, item 7).
    assert len(res) == 2 and res.total == 2
    assert {h.pid for h in res} == {"politics/election#1", "weather/storm#2"}


def test_paging_is_stable_and_disjoint(ix: Index) -> None:
    first = ix.search("the election storm derby", limit=1, page=1, per_article=False)
    second = ix.search("the election storm derby", limit=1, page=2, per_article=False)
    assert [h.rank for h in first] == [1] and [h.rank for h in second] == [2]
    assert not {h.pid for h in first} & {h.pid for h in second}
    again = ix.search("the election storm derby", limit=1, page=1, per_article=False)
    assert [h.pid for h in again] == [h.pid for h in first]


def test_headline_match_ranks_above_body_only(ix: Index) -> None:
    res = ix.search("storm")
    assert res[0].article_id == "weather/storm"


def test_fields(ix: Index) -> None:
    assert [h.pid for h in ix.search("speaker:ferguson")] == ["sport/match#2"]
    assert [h.pid for h in ix.search("quote:mandate")] == ["politics/election#2"]
    assert [h.article_id for h in ix.search("headline:derby")] == ["sport/match"]
    assert ix.search("body:mandate AND NOT speaker:ferguson")[0].pid == "politics/election#2"


def test_phrase_and_prefix(ix: Index) -> None:
    res = ix.search('"high winds"')
    assert res[0].pid == "weather/storm#1"
    s, e = res[0].highlights[0]
    assert res[0].snippet[s:e] == "high winds"
    assert ix.search("railw*")[0].pid == "weather/storm#1"


def test_a_phrase_is_matched_once(ix: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    # Queries Whoosh answers (here a sloppy phrase) get totals and ranking from one
    # pass over the matches: its span matching is the slow part (100k: 152 -> 77 ms).
    # A plain phrase takes the bulk path and never reaches Whoosh's search.
    from whoosh.searching import Searcher

    passes = []
    real = Searcher.search
    monkeypatch.setattr(Searcher, "docs_for_query", lambda *a, **k: passes.append("docs") or [])
    monkeypatch.setattr(Searcher, "search", lambda self, *a, **k: passes.append("search") or real(self, *a, **k))
    res = ix.search('"high winds"~2')
    assert res[0].pid == "weather/storm#1" and res.total >= 1
    assert passes == ["search"]
    passes.clear()
    res = ix.search('"high winds"')
    assert res[0].pid == "weather/storm#1" and res.total >= 1
    assert passes == []


@pytest.mark.parametrize(
    ("text", "free"),
    [
        ("what caused the storm?", True),  # a question mark ends a question...
        ("wom?n", False),  # ...and is a wildcard only inside a word
        ("ELECTION AND STORM", True),  # all capitals: AND is a word
        ("election AND storm", False),
        ("storm (high winds) railway", True),  # parentheses group nothing without an operator
        ("(storm OR flood) AND railway", False),
        ('"high winds"', False),
    ],
)
def test_what_counts_as_query_syntax(text: str, free: bool) -> None:
    from searchkit.search import query

    assert query.is_free_text(text) is free


def test_typed_questions_and_capitals_rank_as_free_text(ix: Index) -> None:
    plain = [(h.pid, round(h.score, 6)) for h in ix.search("election storm", per_article=False)]
    assert [(h.pid, round(h.score, 6)) for h in ix.search("Election storm?", per_article=False)] == plain
    assert [(h.pid, round(h.score, 6)) for h in ix.search("ELECTION AND STORM", per_article=False)] == plain
    # With an operator in lower-case text, AND still means both words.
    assert ix.search("election AND storm", per_article=False).total < len(plain)
    # A quoted phrase keeps the syntax path; its trailing "?" is still punctuation, not a wildcard.
    assert ix.search('"high winds"?')[0].pid == "weather/storm#1"


def test_or_between_words_ranks_as_free_text(ix: Index) -> None:
    # The parser folds each word's three field terms into the enclosing OR; they
    # are still one BM25F term, so `a OR b` is `a b` (and takes the fast path).
    plain = [(h.pid, round(h.score, 6)) for h in ix.search("election storm", per_article=False)]
    assert plain
    assert [(h.pid, round(h.score, 6)) for h in ix.search("election OR storm", per_article=False)] == plain
    from searchkit.search import query
    from searchkit.search.bm25f import CombinedTerm

    q = query.parse("(storm OR railway) AND winds", ix.searcher().schema, searchkit.Ranking())
    assert all(isinstance(s, CombinedTerm) for s in q.subqueries[0].subqueries)
    # Beside a phrase, words are BM25F terms too, as in free text.
    q = query.parse('"high winds" railway', ix.searcher().schema, searchkit.Ranking())
    assert [s.text for s in q.subqueries if isinstance(s, CombinedTerm)] == ["railway"]


def test_not_and_minus_exclude(ix: Index) -> None:
    every = {h.pid for h in ix.search("storm", per_article=False, limit=100)}
    with_rail = {h.pid for h in ix.search("storm AND railway", per_article=False, limit=100)}
    # Paragraphs are listed by their own text: #1 says railway (storm is in the headline), #2 says storm.
    assert with_rail == {"weather/storm#1"} and every == {"weather/storm#2"}
    for text in ("storm NOT railway", "storm -railway", "storm AND NOT railway"):
        got = {h.pid for h in ix.search(text, per_article=False, limit=100)}
        assert got == every - with_rail, text
    # +word is required, the other words optional.
    assert {h.pid for h in ix.search("+storm +railway", per_article=False, limit=100)} == with_rail
    # A hyphen inside a word is not a minus.
    from searchkit.search import query

    assert "AndNot" not in repr(query.parse("half-time score", ix.searcher().schema, searchkit.Ranking()))
    # Nots alone: every paragraph but those.
    total = ix.search("NOT zebra", per_article=False).total
    assert ix.search("NOT storm NOT railway", per_article=False).total == total - len(
        {h.pid for h in ix.search("storm railway", per_article=False, limit=100)}
    )


def test_stemmed_match_highlights_surface_word(ix: Index) -> None:
    hit = ix.search("player")[0]
    assert hit.pid == "sport/match#2"
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["players"]


def test_headline_only_match_falls_back_to_paragraph_start(ix: Index) -> None:
    hit = ix.search("headline:batters")[0]
    assert hit.snippet.startswith("Heavy rain")
    assert hit.highlights == ()


def test_typo_is_retried_fuzzily(ix: Index) -> None:
    res = ix.search("forcasters")
    assert res[0].pid == "weather/storm#2"
    assert res.fuzzy and res.fuzzy[0][0] == "forcasters"
    assert not ix.search("forcasters", fuzzy=False).hits


def test_no_hits_and_stop_words_only(ix: Index) -> None:
    assert ix.search("zebra").total == 0
    assert len(ix.search("the and of")) > 0  # only stop words: they are searched (the index keeps them)


@pytest.mark.parametrize("bad", ["", "   ", "nosuchfield:x", "x" * 20_000])
def test_bad_queries_raise_query_error(ix: Index, bad: str) -> None:
    with pytest.raises(QueryError):
        ix.search(bad)


def test_odd_syntax_does_not_crash(ix: Index) -> None:
    for q in ['"unbalanced', "(open", "close)", "AND", "NOT", "a:b:c", "***", "~", "^2"]:
        try:
            ix.search(q)
        except QueryError:
            pass


def test_date_source_filters_and_sort(tmp_path: Path) -> None:
    arts = [
        Article(
            id="a",
            headline="Budget day",
            paragraphs=("The budget was announced.",),
            source="Herald",
            date=datetime(2024, 3, 1),
        ),
        Article(
            id="b",
            headline="Budget again",
            paragraphs=("Another budget, another row.",),
            source="Courier",
            date=datetime(2025, 3, 1),
        ),
    ]
    with Index.from_articles(arts, tmp_path / "ix") as ix:
        assert [h.article_id for h in ix.search("budget", since=datetime(2025, 1, 1))] == ["b"]
        assert [h.article_id for h in ix.search("budget", until=datetime(2024, 12, 31))] == ["a"]
        assert [h.article_id for h in ix.search("budget", source="herald")] == ["a"]
        assert [h.article_id for h in ix.search("budget", sort="date")] == ["b", "a"]


def test_wire_copy_collapses(tmp_path: Path) -> None:
    wire = "The central bank raised interest rates by a quarter point on Thursday, its third rise this year."
    arts = [Article(id=f"paper{i}", headline=f"Rates up {i}", paragraphs=(wire, f"Local angle {i}.")) for i in range(3)]
    with Index.from_articles(arts, tmp_path / "ix") as ix:
        res = ix.search("interest rates")
        assert len(res) == 1
        assert set(res[0].also_in) == {"paper0", "paper1", "paper2"} - {res[0].article_id}


def test_show_and_context(ix: Index) -> None:
    view = ix.show("politics/election", 2, context=1)
    assert [n for n, _ in view.paragraphs] == [1, 2, 3]
    assert view.total_paragraphs == 3
    with pytest.raises(searchkit.ArticleNotFoundError):
        ix.show("nope")
    with pytest.raises(searchkit.ArticleNotFoundError, match="paragraphs 1-3"):
        ix.show("politics/election", 9)


def test_similar_finds_other_articles(tmp_path: Path) -> None:
    arts = [
        Article(id="a", headline="Flood", paragraphs=("River flood water rose through the town centre overnight.",)),
        Article(id="b", headline="Floods", paragraphs=("Flood water from the river reached the town centre.",)),
        Article(id="c", headline="Cricket", paragraphs=("England won the test match by six wickets.",)),
    ]
    with Index.from_articles(arts, tmp_path / "ix") as ix:
        res = ix.similar("a", 1)
        assert [h.article_id for h in res][:1] == ["b"]
        assert [h.rank for h in res] == list(range(1, len(res) + 1))
        assert "a" not in {h.article_id for h in res}


def test_stats(ix: Index) -> None:
    st = ix.stats()
    assert (st.articles, st.paragraphs, st.files) == (3, 7, 3)
    assert st.quotes == 2
    assert dict(st.top_speakers) == {"Theresa May": 1, "Alex Ferguson": 1}
    assert st.size_bytes > 0 and st.last_update is not None


def test_searcher_sees_later_commits(news: Path, tmp_path: Path) -> None:
    with Index.build([news], tmp_path / "ix") as ix:
        assert not ix.search("volcano").hits
        (news / "geo.txt").write_text("Volcano erupts\n\nThe volcano erupted at dawn.\n", encoding="utf-8")
        Index.build([news], tmp_path / "ix").close()
        assert ix.search("volcano")[0].article_id == "geo"


def test_hit_to_dict_is_json_ready(ix: Index) -> None:
    import json

    d = ix.search("fresh mandate")[0].to_dict()
    assert json.loads(json.dumps(d))["paragraph"] == 2
    for s, e in d["highlights"]:
        assert 0 <= s < e <= len(d["snippet"])


def test_many_matches_with_a_full_top_k(tmp_path: Path) -> None:
    """Once the top-k heap is full Whoosh asks matchers for max quality; BM25F terms must answer."""
    arts = [
        Article(id=f"a{i}", headline=f"Report {i}", paragraphs=(("oil " * (i % 4 + 1)) + "prices rose " + "x " * i,))
        for i in range(40)
    ]
    with Index.from_articles(arts, tmp_path / "ix") as ix:
        res = ix.search("oil prices", limit=3, per_article=False)
        assert len(res) == 3 and res.total == 40
        scores = [h.score for h in res]
        assert scores == sorted(scores, reverse=True)


def test_did_you_mean_when_a_respelling_finds_more(tmp_path: Path) -> None:
    arts = [
        Article(id=f"g{i}", headline=f"Story {i}", paragraphs=(f"The government announced plan {i}.",))
        for i in range(12)
    ]
    arts.append(Article(id="typo", headline="Typo", paragraphs=("The goverment (sic) said nothing.",)))
    with Index.from_articles(arts, tmp_path / "ix") as ix:
        res = ix.search("goverment")
        assert [h.article_id for h in res] == ["typo"]
        assert res.suggestion == "government"
        assert ix.search("government").suggestion is None


def test_typo_neighbour_keeps_the_first_letter(tmp_path: Path) -> None:
    arts = [
        Article(id="m", headline="PM", paragraphs=("The prime minister spoke.",)),
        Article(id="o", headline="Over", paragraphs=("It is over, over and over again.",)),
    ]
    with Index.from_articles(arts, tmp_path / "ix") as ix:
        res = ix.search("prime minster")
        assert res[0].article_id == "m"
        assert res.fuzzy == (("minster", ("minister",)),)


def test_explain_adds_up_by_word_and_field(ix: Index) -> None:
    res = ix.search("election campaign mandate", explain=True, per_article=False)
    assert res.hits
    for hit in res:
        ex = hit.explanation
        assert ex is not None and ex.words
        assert sum(w.score for w in ex.words) + ex.context == pytest.approx(hit.score, rel=1e-6)
        for w in ex.words:
            assert sum(f.share for f in w.fields) == pytest.approx(w.score, rel=1e-6)
    top = res[0]
    assert {f.field for w in top.explanation.words for f in w.fields} >= {"headline"}
    assert ix.search("election").hits[0].explanation is None


def test_whoosh_path_excludes_the_first_match_too(tmp_path: Path) -> None:
    # Whoosh's AndNotMatcher keeps the first match when the excluded word's first
    # document lies before it; codec.patches.exact_exclusions corrects that.
    from whoosh import fields, index
    from whoosh.query import AndNot, Term

    from searchkit.codec import patches

    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT(stored=True)))
    w = ix.writer()
    for text in ("beta", "alpha beta", "alpha"):
        w.add_document(body=text)
    w.commit()
    q = AndNot(Term("body", "alpha"), Term("body", "beta"))
    with ix.searcher() as s:
        assert [h["body"] for h in s.search(patches.exact_exclusions(q))] == ["alpha"]


def test_damage_while_reading_is_index_corrupt_error(tmp_path: Path) -> None:
    import zlib

    from searchkit.errors import IndexCorruptError
    from searchkit.search.damage import reading

    with pytest.raises(IndexCorruptError, match=r"rebuild it \(rebuild=True\)$"):
        with reading(tmp_path):
            raise zlib.error("invalid stored block lengths")


def test_search_touches_no_private_attribute_of_another_object() -> None:
    # Code that knows Whoosh's private attributes lives in searchkit/codec/ only;
    # search/ may use its own objects' (self._x) and nothing else's.
    import re

    import searchkit.search

    folder = Path(searchkit.search.__file__).parent
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted(folder.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"(?<!\bself)(?<!\bcls)\._[a-z]", line.split("#")[0])
    ]
    assert not found, found
