"""Phrases of common words are looked up rarest word first, and own-text matches only where asked.

`phrases` narrows a phrase's candidates by its rarest word's postings and reads
positions only where the words read so far still line up, each distinct word once;
`ownmatch.own_among` tells whether a phrase stands in a page's paragraphs by reading
positions in those paragraphs alone (it used to walk Whoosh's span matchers over the
whole index: seconds for `"in the"`). On the random multi-segment corpus of
`test_fastsearch` (updates, deletions, wire copies), with phrases of its filler words
(stop words, repeated words), both must give what Whoosh gives.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from whoosh.query import Phrase

from searchkit import Index
from searchkit.search import marks, ownmatch, segments
from searchkit.search import query as query_mod
from searchkit.search.facets import matching_mask
from searchkit.search.phrases import phrase_docs, phrase_scores
from searchkit.search.ranking import Ranking
from tests.test_fastsearch import index

__all__ = ["index"]  # the fixture, shared with test_fastsearch


def _stop_word_phrases(s: Any, n: int, seed: int) -> list[str]:
    """Runs of 2-6 words of stored paragraphs, stop words included; half of them repeat a word."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        body = s.stored_fields(rng.randrange(s.doc_count_all())).get("body") or ""
        toks = body.lower().replace(".", "").replace('"', "").split()
        size = rng.randint(2, 6)
        runs = [toks[i : i + size] for i in range(len(toks) - size + 1)]
        repeats = [r for r in runs if len(set(r)) < len(r)]
        pool = repeats if repeats and len(out) % 2 else runs
        if pool:
            out.append('"' + " ".join(rng.choice(pool)) + '"')
    return out + ['"the the"', '"of the of"', '"said the"', '"to the zebra"']


def _phrases_of(q: Any) -> list[Phrase]:
    return [leaf for leaf in marks.positive_leaves(q) if isinstance(leaf, Phrase)]


def test_phrases_of_stop_words_match_as_whoosh_does(index: Index) -> None:
    s = index.searcher()
    found = 0
    for text in _stop_word_phrases(s, 60, seed=3):
        for phrase in _phrases_of(query_mod.parse(text, s.schema, Ranking())):
            for sub, _ in s.leaf_searchers():
                docs, scores = phrase_scores(phrase, sub)
                want = {hit.docnum: hit.score for hit in sub.search(phrase, limit=None)}
                live = {d for d in docs.tolist() if not sub.reader().is_deleted(d)}
                assert live == set(want), (text, phrase)
                got = dict(zip(docs.tolist(), scores.tolist()))
                for d, sc in want.items():
                    assert got[d] == pytest.approx(sc, rel=1e-9, abs=1e-9), (text, d)
                found += len(want)
    assert found > 100


def test_phrase_docs_are_the_phrase_matches_among_those_asked(index: Index) -> None:
    s = index.searcher()
    rng = random.Random(5)
    for text in _stop_word_phrases(s, 40, seed=4):
        for phrase in _phrases_of(query_mod.parse(text, s.schema, Ranking())):
            for sub, _ in s.leaf_searchers():
                size = sub.reader().doc_count_all()
                among = np.array(sorted(rng.sample(range(size), rng.randint(0, size))), dtype=np.int64)
                matches = set(phrase_scores(phrase, sub)[0].tolist())
                assert phrase_docs(phrase, sub, among).tolist() == [d for d in among.tolist() if d in matches]


@pytest.mark.parametrize("extra", ["", " market", " NOT bank"], ids=["phrase", "phrase-and-word", "phrase-not-word"])
def test_own_text_phrase_matches_equal_a_whole_index_read(index: Index, extra: str) -> None:
    s = index.searcher()
    view = segments.view(s)
    rng = random.Random(len(extra))
    checked = 0
    for text in _stop_word_phrases(s, 30, seed=6):
        own_q = marks.own_query(query_mod.parse(text + extra, s.schema, Ranking()))
        if own_q is None or own_q is query_mod.NullQuery:
            continue
        live = [d for d in range(s.doc_count_all()) if not s.reader().is_deleted(d)]  # a ranking's matches are live
        docs = np.array(rng.sample(live, 200), dtype=np.int64)  # in no order, as Whoosh ranks them
        got = ownmatch.own_among(view, own_q, docs)
        assert got is not None, own_q
        assert got.tolist() == matching_mask(s, own_q)[docs].tolist(), text
        checked += int(got.sum())
    assert checked > 20
