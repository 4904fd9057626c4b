"""Joined words (AT&T, M&S, C++, 9/11) are indexed whole and, stacked on them, as their parts.

A query's joined word is the whole term; a query for a part (`11`, `AT`) finds the
joined word too; phrases through the whole word or through its parts match; the
parts do not lengthen the field (`analysis.StackedPositions`); and the bulk writer
builds exactly the index Whoosh's own writer builds from the same analyzer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from whoosh.util.numeric import byte_to_length, length_to_byte

import searchkit
from searchkit import analysis
from searchkit.codec import bulkwrite, probe
from searchkit.indexing import indexer, store
from tests.helpers import compare_indexes, write

FILLER = "Officials said on Tuesday that the matter would be discussed again next week"
ARTICLES = [
    searchkit.Article(id="att", headline="Phones", paragraphs=(f"AT&T wireless profits rose. {FILLER}.",)),
    searchkit.Article(id="at", headline="Tennis", paragraphs=(f"At the final, T Henman lost. {FILLER}.",)),
    searchkit.Article(id="911", headline="Memorial", paragraphs=(f"After 9/11 the city changed. {FILLER}.",)),
    searchkit.Article(id="eleven", headline="Football", paragraphs=(f"Only 11 players started. {FILLER}.",)),
    searchkit.Article(id="ms", headline="Retail", paragraphs=(f"M&S sales rose at Christmas. {FILLER}.",)),
    searchkit.Article(id="cpp", headline="Software", paragraphs=(f"Code written in C++ runs fast. {FILLER}.",)),
    searchkit.Article(id="short", headline="Brief", paragraphs=("AT&T and R&D at 9/11",)),
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    return searchkit.Index.from_articles(ARTICLES, tmp_path_factory.mktemp("joined") / "ix")


def _ids(ix: searchkit.Index, text: str) -> set[str]:
    return {h.article_id for h in ix.search(text, limit=50, snippets=False)}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("11", {"911", "eleven", "short"}),  # a part finds its joined word, and the word on its own
        ("wireless T", {"att"}),  # `t` is a one letter (skipped here), but AT&T's part is indexed
        ("R", {"short"}),
        ("henman at", {"at"}),
    ],
)
def test_a_part_finds_its_joined_word(ix: searchkit.Index, text: str, want: set[str]) -> None:
    assert _ids(ix, text) >= want


@pytest.mark.parametrize(("text", "want"), [("AT&T", {"att", "short"}), ("9/11", {"911", "short"}), ("C++", {"cpp"})])
def test_a_joined_query_word_is_the_whole_term(ix: searchkit.Index, text: str, want: set[str]) -> None:
    assert _ids(ix, text) == want  # not the tennis final "At ... T Henman", nor "11 players"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ('"AT&T wireless"', {"att"}),  # the word after a joined word keeps its position
        ('"after 9/11 the city"', {"911"}),
        ('"9 11"', {"911", "short"}),  # the parts stand one after the other
        ('"at t"', {"att", "short"}),
        ('"11 the city"', set()),  # the second part stacks on the word, not before the next
    ],
)
def test_phrases_through_whole_words_and_parts(ix: searchkit.Index, text: str, want: set[str]) -> None:
    assert _ids(ix, text) == want


def test_parts_do_not_lengthen_the_field(ix: searchkit.Index) -> None:
    text = ARTICLES[-1].paragraphs[0]
    words = len(analysis.index_terms(text))  # 6: and, at, at&t, r&d, 9/11, each once
    whoosh_ix = store.open_index(ix.path)
    try:
        with whoosh_ix.searcher() as s:
            (docnum,) = [d for d, f in enumerate(s.reader().all_stored_fields()) if f.get("article_id") == "short"]
            assert s.reader().doc_field_length(docnum, "body") == byte_to_length(length_to_byte(words))
    finally:
        whoosh_ix.close()


def test_a_joined_word_is_highlighted_whole(ix: searchkit.Index) -> None:
    (hit,) = ix.search("AT&T wireless", limit=1)
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["AT&T wireless"]
    (hit,) = [h for h in ix.search("C++", limit=5) if h.article_id == "cpp"]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["C++"]


@pytest.mark.parametrize(("text", "article", "marked"), [("11", "911", "9/11"), ("city 11", "911", "9/11")])
def test_a_part_s_hit_marks_its_joined_word(ix: searchkit.Index, text: str, article: str, marked: str) -> None:
    # the index matched the paragraph through the part: the snippet must not show it unmarked
    (hit,) = [h for h in ix.search(text, limit=10) if h.article_id == article]
    assert marked in [hit.snippet[s:e] for s, e in hit.highlights]


def test_the_query_analysis_keeps_a_joined_word_whole() -> None:
    schema_analyzer = analysis.index_analyzer()
    text = "AT&T after 9/11"
    assert [t.text for t in schema_analyzer(text, mode="query")] == ["at&t", "after", "9/11"]
    indexed = [(t.text, t.pos) for t in schema_analyzer(text, mode="index", positions=True)]
    assert indexed == [("at&t", 0), ("at", 0), ("t", 1), ("after", 1), ("9/11", 2), ("9", 2), ("11", 3)]
    assert analysis.joined_parts("a&b&b") == [(0, "a"), (1, "b")]
    assert analysis.joined_parts("c++") == [(0, "c")]
    assert analysis.joined_parts("u.s") == []


def _corpus(folder: Path) -> Path:
    words = "AT&T M&S C++ 9/11 24/7 R&D&D t&t T at 11 9 the wireless shares rose AT&Ts Über&Co".split()
    lines = []
    for i in range(30):
        paras = [" ".join(words[(i * 7 + k * 3 + j) % len(words)] for j in range(5 + k)) for k in range(1 + i % 4)]
        lines.append(json.dumps({"id": f"a{i:02d}", "headline": f"{words[i % len(words)]} news", "paragraphs": paras}))
    write(folder, "feed.jsonl", "\n".join(lines) + "\n")
    return folder


def _build(tmp: Path, corpus: Path, fast: bool, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> Path:
    monkeypatch.setattr(bulkwrite, "ENABLED", fast)
    for k, v in kw.items():
        monkeypatch.setattr(bulkwrite, k, v)
    ix_dir = tmp / ("fast" if fast else "std")
    indexer.update(ix_dir, [corpus], rebuild=True)
    return ix_dir


@pytest.mark.skipif(not probe.layout_known(), reason="the bulk writer needs the whoosh3 layout it knows")
def test_the_bulk_writer_stacks_parts_as_whoosh_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "corpus")
    std = _build(tmp_path, corpus, False, monkeypatch)
    fast = _build(tmp_path, corpus, True, monkeypatch, MAX_POSTINGS=150)  # several segments
    compare_indexes(std, fast)
