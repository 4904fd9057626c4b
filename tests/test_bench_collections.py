"""Tests of the relevance benchmark's loaders and metric plumbing.

The tests marked ``bench_data`` read the test collections in ../shared/data
(next to the repository) and skip when it is absent; the others use small
inline inputs and always run.
"""

from __future__ import annotations

import pytest

from tests.helpers import benchmark_module

ic = benchmark_module("ir_collections")
relevance = benchmark_module("relevance")

DATA = ic.DEFAULT_DATA


# --------------------------------------------------------------------------- parsers (no data needed)

SMART = (
    ".I 001\r\n"
    ".T\r\n"
    "A title\r\n"
    "on two lines\r\n"
    ".A\r\n"
    "Someone, A.\r\n"
    ".W\r\n"
    "First paragraph\r\n"
    "continues here.\r\n"
    "\r\n"
    "Second .Paragraph with a .W inside.\r\n"
    ".X\r\n"
    "1\t5\t1\r\n"
    ".I 2\r\n"
    ".W\r\n"
    "only body\r\n"
)


def test_parse_smart_records_and_fields():
    records = ic.parse_smart(SMART)
    assert [r[0] for r in records] == ["001", "2"]
    first = records[0][1]
    assert first["T"] == "A title\non two lines"
    assert first["A"] == "Someone, A."
    assert "Second .Paragraph with a .W inside." in first["W"]
    assert first["X"] == "1\t5\t1"
    assert records[1][1] == {"W": "only body"}


def test_smart_docs_normalise_ids_and_paragraphs(tmp_path):
    p = tmp_path / "x.all"
    p.write_bytes(SMART.encode() + b".I 1\r\n.W\r\nduplicate id, dropped\r\n")
    docs = ic.smart_docs(p)
    assert [d.id for d in docs] == ["1", "2"]
    assert docs[0].title == "A title on two lines"
    assert docs[0].text == "First paragraph continues here.\n\nSecond .Paragraph with a .W inside."
    assert docs[1] == ic.Doc("2", "", "only body")
    assert relevance.paragraphs(docs[0].text) == (
        "First paragraph continues here.",
        "Second .Paragraph with a .W inside.",
    )


def test_parse_lisa_records():
    text = (
        "Document    1\n"
        "A TITLE\nON TWO LINES.\n"
        "   \n"  # a separator holding spaces
        "THE ABSTRACT\nGOES ON.\n"
        "********************************************\n"
        "Document   22\n"
        "TITLE ONLY.\n"
        "********************************************\n"
    )
    assert list(ic.parse_lisa_docs(text)) == [
        ("1", "A TITLE\nON TWO LINES.", "THE ABSTRACT\nGOES ON."),
        ("22", "TITLE ONLY.", ""),
    ]


def test_cranfield_grades_become_graded_relevance():
    assert [ic.cranfield_grade(["1", "2", g]) for g in ("1", "2", "3", "4", "-1")] == [4, 3, 2, 1, 0]


def test_query_text_is_neutralised_per_engine():
    assert relevance.fts5_query('What "is" NOT a (b) - b?') == '"what" OR "is" OR "not" OR "a" OR "b"'
    assert relevance.fts5_query("?? --") == ""
    w = relevance.whoosh_free_text('I AM interested: "x" AND (y)* OR NOT z^2')
    assert not set('":()*^') & set(w)
    assert " AND " not in w and " OR " not in w and " NOT " not in w


def test_parse_config_literals():
    assert relevance.parse_config(["k1=1.2", "boost=True", "name=bm25f", "x='y'"]) == {
        "k1": 1.2,
        "boost": True,
        "name": "bm25f",
        "x": "y",
    }
    with pytest.raises(SystemExit):
        relevance.parse_config(["novalue"])


# --------------------------------------------------------------------------- metrics (no data needed)

QRELS = {"q1": {"a": 1, "b": 1, "x": 0}, "q2": {"c": 2, "d": 1}}


def test_perfect_ranking_scores_one():
    pytest.importorskip("ir_measures")
    m = relevance.evaluate({"q1": ["a", "b", "x"], "q2": ["c", "d"]}, QRELS)
    assert m == pytest.approx({"MAP": 1.0, "nDCG@10": 1.0, "P@10": 0.2, "R@100": 1.0})


def test_trec_eval_semantics():
    pytest.importorskip("ir_measures")
    # q1: relevant at ranks 2 and 4 -> AP = (1/2 + 2/4) / 2 = 0.5
    # q2 returns nothing -> counts as 0, not left out of the mean
    m = relevance.evaluate({"q1": ["x", "a", "z", "b"]}, QRELS)
    assert m["MAP"] == pytest.approx(0.25)
    assert m["R@100"] == pytest.approx(0.5)
    assert m["P@10"] == pytest.approx(0.1)
    # graded nDCG: the grade-2 document first beats the grade-1 first
    better = relevance.evaluate({"q2": ["c", "d"]}, {"q2": QRELS["q2"]})["nDCG@10"]
    worse = relevance.evaluate({"q2": ["d", "c"]}, {"q2": QRELS["q2"]})["nDCG@10"]
    assert better == pytest.approx(1.0) and worse < better


def test_run_uses_rank_based_scores_and_placeholders():
    run = relevance.to_run({"q1": ["b", "a", "b"]}, ["q1", "q2"])
    assert run["q1"] == {"b": 1000.0, "a": 999.0}
    assert run["q2"] == {"__no_result__": 0.0}
    # unjudged queries are not evaluated
    pytest.importorskip("ir_measures")
    assert relevance.evaluate({"q1": ["a", "b"], "q3": ["a"]}, {"q1": QRELS["q1"], "q3": {}})["MAP"] == pytest.approx(
        1.0
    )


# --------------------------------------------------------------------------- the real collections

needs_data = pytest.mark.skipif(not ic.available(DATA), reason="test collections not found in ../shared/data")


@pytest.mark.bench_data
@needs_data
@pytest.mark.parametrize("name", ic.NAMES)
def test_collection_counts_match_readme(name):
    c = ic.load(name, DATA)
    got = c.counts()
    assert {k: got[k] for k in ic.EXPECTED[name]} == ic.EXPECTED[name]
    ids = [d.id for d in c.docs]
    assert len(set(ids)) == len(ids)
    known = set(ids)
    assert all(doc in known for judged in c.qrels.values() for doc in judged)
    assert set(c.qrels) <= set(c.queries)
    assert all(q.strip() and "\n" not in q for q in c.queries.values())


@pytest.mark.bench_data
@needs_data
def test_collection_quirks():
    cran = ic.load("cranfield", DATA)
    assert sorted(cran.queries, key=int) == [str(i) for i in range(1, 226)]
    assert cran.queries["3"].startswith("what problems of heat conduction in composite slabs")  # .I 004
    grades = [g for judged in cran.qrels.values() for g in judged.values()]
    assert {g: grades.count(g) for g in set(grades)} == {4: 128, 3: 387, 2: 734, 1: 363, 0: 225}
    assert sum(1 for d in cran.docs if not d.text) == 2

    cacm = ic.load("cacm", DATA)
    assert sum(1 for d in cacm.docs if d.text) == 1587
    assert "1" in cacm.qrels and "01" not in cacm.qrels

    lisa = ic.load("lisa", DATA)
    assert all(d.title and d.text for d in lisa.docs)
    assert lisa.docs[0].title.startswith("THE INDIAN COUNCIL OF LIBRARY")
    assert lisa.queries["1"].endswith("ASSOCIATIVE MEMORY.")

    assert all(d.title == "" for d in ic.load("med", DATA).docs)
