"""The benchmark corpus generator (benchmarks/corpora.py).

Unmarked tests use a few sentences written here; the `bench_data` test reads the
BBC set under ../shared/data and skips where it is absent.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import benchmark_module

corpora = benchmark_module("corpora")

SENTENCES = [
    f"Sentence number {i} mentions the {w} market."
    for i, w in enumerate(["stock", "bond", "housing", "labour", "energy", "music", "football", "film"])
]
HEADLINES = ["Markets rally", "Strike ends", "Film wins award"]


def _synth(n, seed=7):
    return list(corpora.synthesize(SENTENCES, HEADLINES, n, seed=seed))


def test_synthesize_same_seed_same_corpus_other_seed_differs():
    assert _synth(200) == _synth(200)
    assert _synth(200) != _synth(200, seed=8)


def test_synthesize_makes_exactly_n_paragraphs_of_two_to_six_sentences():
    articles = _synth(503)
    paragraphs = [p for a in articles for p in a["paragraphs"]]
    assert len(paragraphs) == 503
    counts = {p.count(" mentions ") for p in paragraphs}  # one per sentence
    assert counts <= set(range(2, 7))
    assert {2, 6} <= counts  # both bounds occur
    for p in paragraphs:
        assert all(s in SENTENCES for s in corpora.split_sentences(p))


def test_synthesize_groups_about_five_paragraphs_under_real_headlines():
    articles = _synth(1000)
    sizes = [len(a["paragraphs"]) for a in articles]
    assert all(1 <= s <= 7 for s in sizes)
    assert 4.5 <= sum(sizes) / len(sizes) <= 5.5
    assert {a["headline"] for a in articles} <= set(HEADLINES)
    assert len({a["id"] for a in articles}) == len(articles)


def test_write_jsonl_is_one_well_formed_article_per_line(tmp_path):
    path = tmp_path / "corpus-50.jsonl"
    assert corpora.write_jsonl(_synth(50), path) == 50
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert all(set(r) == {"id", "headline", "paragraphs"} for r in records)
    assert all(isinstance(r["paragraphs"], list) and r["paragraphs"] for r in records)
    assert list(corpora.read_jsonl(path)) == records == _synth(50)
    assert not path.with_name(path.name + ".tmp").exists()


def test_split_article_headline_paragraphs_and_joined_lines():
    headline, paras = corpora.split_article("Big news\n\nFirst line\nwraps here.\n\n \n\nSecond.\n")
    assert headline == "Big news"
    assert paras == ["First line wraps here.", "Second."]


def test_decode_falls_back_to_cp1252():
    assert corpora.decode("caf\u00e9 \u00a35".encode("utf-8")) == "caf\u00e9 \u00a35"
    assert corpora.decode("caf\u00e9 \u00a35".encode("latin-1")) == "caf\u00e9 \u00a35"


def test_split_sentences_keeps_quotes_and_abbreviations_simple():
    text = 'He said "yes." Then he left! Mr Smith paid $1.5bn. 2005 was good.'
    assert corpora.split_sentences(text) == [
        'He said "yes."',
        "Then he left!",
        "Mr Smith paid $1.5bn.",
        "2005 was good.",
    ]


def test_parse_size():
    assert corpora.parse_size("bbc") is None
    assert corpora.parse_size("100k") == 100_000
    assert corpora.parse_size("1M") == 1_000_000
    assert corpora.parse_size("2500") == 2500
    with pytest.raises(ValueError):
        corpora.parse_size("lots")


def test_queries_are_seeded_one_to_three_words_without_stop_words():
    paragraphs = [p for a in _synth(400) for p in a["paragraphs"]]
    queries = corpora.make_queries(paragraphs, n=300, seed=3)
    assert queries == corpora.make_queries(paragraphs, n=300, seed=3)
    assert len(queries) == 300
    assert {len(q.split()) for q in queries} == {1, 2, 3}
    vocab = {w for p in paragraphs for w in p.lower().replace(".", "").split()}
    for q in queries:
        words = q.split()
        assert len(set(words)) == len(words)
        assert all(w in vocab and w not in corpora.STOP_WORDS for w in words)


def test_queries_prefer_mid_frequency_words():
    # "common" is in every paragraph, "rare" in one, each MID word in one paragraph of ten.
    mid = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    paragraphs = [f"common {mid[i % 10]} {'rare' if i == 5 else ''}" for i in range(2000)]
    queries = corpora.make_queries(paragraphs, n=50, seed=1, df_band=(0.01, 0.5))
    assert {w for q in queries for w in q.split()} <= set(mid)


@pytest.mark.bench_data
def test_bbc_has_10547_paragraphs():
    root = corpora.bbc_dir()
    if not root.is_dir():
        pytest.skip(f"BBC data not present (expected ../shared/data/{corpora.BBC_SUBDIR.as_posix()})")
    articles = corpora.bbc_articles()
    assert len(articles) == 2225
    # 10,547 = every non-empty blank-line-separated block after line 1, over all 2,225 files
    # (sport/199.txt decoded as cp1252); no boilerplate removal.
    assert sum(len(a["paragraphs"]) for a in articles) == 10_547
    assert all(a["headline"] for a in articles)
