"""Quotations as results: stored offsets, `speaker:` snippets, `quotes` and `speakers` (library and CLI)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit import Index
from searchkit.cli import main
from searchkit.errors import QueryError
from searchkit.results import QuoteSpan
from searchkit.search.quotations import stored
from searchkit.search.snippets import make_snippets
from searchkit.search.speakercounts import merged
from tests.helpers import write

HARBOUR = [
    "The council has approved a plan to rebuild the harbour wall after winter storms damaged the old "
    "stonework and flooded the quay.",
    '"We cannot let the sea take the town," said harbour master Colin Abernethy. "Work starts in March."',
    "Residents packed the hall on Tuesday evening to hear the engineers explain how the new wall would be "
    "built, how long the quay would stay closed, and which boats would have to move to the marina in the "
    'meantime. Mr Abernethy told them: "The boats will be back by the summer, I promise you that." Several '
    "fishermen said they had heard such promises before, and one asked who would pay for the extra fuel.",
    "The engineers said the old wall had stood for a hundred and forty years before the storms. Some of its "
    "stones will be used again in the new wall, which will be a metre taller and faced with granite from a "
    'quarry on the mainland. "Nobody will lose a mooring while the work goes on," he added.',
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quotes") / "news"
    write(folder, "harbour.txt", "Harbour wall to be rebuilt\nDate: 2024-02-01\n\n" + "\n\n".join(HARBOUR) + "\n")
    write(
        folder,
        "ferry.txt",
        "Ferry keeps its winter timetable\n\n"
        'Abernethy said: "The ferry timetable will not change this winter."\n\n'
        '"It was a frightening night," said one passenger.\n',
    )
    write(folder, "doyle1.txt", 'Library stays open\n\nMary Doyle said: "The library stays open."\n')
    write(folder, "doyle2.txt", 'Nets torn in gale\n\n"Our nets were torn to pieces," said Sean Doyle.\n')
    write(folder, "doyle3.txt", 'Appeal over quay fees\n\nDoyle said: "We will appeal the decision."\n')
    return folder


@pytest.fixture(scope="module")
def index_dir(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ix") / "ix"
    Index.build([corpus], path, jobs=1).close()
    return str(path)


@pytest.fixture
def ix(index_dir: str) -> Iterator[Index]:
    with Index.open(index_dir) as index:
        yield index


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})
    return res.exit_code, res.stdout, res.stderr


# ---------------------------------------------------------------- hits carry quotes with offsets


def test_hit_quotes_have_speaker_and_offsets(ix: Index) -> None:
    (hit,) = ix.search("sea town")
    assert hit.pid == "harbour#2"
    assert [(q.text, q.speaker) for q in hit.quotes] == [
        ("We cannot let the sea take the town,", "Colin Abernethy"),
        ("Work starts in March.", "Colin Abernethy"),
    ]
    for q in hit.quotes:
        assert hit.text[q.start : q.end] == q.text


def test_json_quotes_pair_each_quote_with_its_speaker(index_dir: str) -> None:
    code, out, _ = run("search", "frightening night", "--json", "--index", index_dir)
    assert code == 0
    hit = json.loads(out.splitlines()[0])
    (quote,) = hit["quotes"]
    assert set(quote) == {"text", "speaker", "start", "end"}
    assert quote["speaker"] is None  # "one passenger" is no name
    assert hit["text"][quote["start"] : quote["end"]] == quote["text"] == "It was a frightening night,"


def test_quote_span_to_dict() -> None:
    assert QuoteSpan("Aye", None, 1, 4).to_dict() == {"text": "Aye", "speaker": None, "start": 1, "end": 4}


def test_stored_rows_without_offsets_are_located() -> None:
    """An index's rows are [text, speaker, start, end]; a two-item row is found by its text."""
    body = 'He said: "Back by noon." Then "Back by noon," again.'
    fields = {"body": body, "meta": [["Back by noon,", "Ann Lee"], ["gone", ""], [3], "junk"]}
    first, missing = stored(fields)
    assert (first.start, first.end, first.speaker) == (31, 44, "Ann Lee")
    assert (missing.start, missing.speaker) == (-1, None)


# ---------------------------------------------------------------- speaker: hits show the quotation


def test_speaker_hit_shows_the_quotation_with_the_name_highlighted(ix: Index) -> None:
    res = ix.search("speaker:abernethy", per_article=False, limit=10)
    hit = next(h for h in res if h.paragraph == 3)
    assert "The boats will be back by the summer" in hit.snippet
    assert not hit.snippet.startswith("Residents packed")  # not the paragraph's opening
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["Abernethy"]


def test_speaker_named_only_by_pronoun_gets_a_highlighted_attribution(ix: Index) -> None:
    res = ix.search('speaker:"colin abernethy"', per_article=False, limit=10)
    hit = next(h for h in res if h.paragraph == 4)
    (frag,) = hit.fragments
    assert "Nobody will lose a mooring" in frag.text and "Abernethy" not in frag.text
    assert frag.attribution == "Colin Abernethy"
    assert frag.attribution_highlights == ((0, len("Colin Abernethy")),)
    assert frag.to_dict()["attribution_highlights"] == [[0, 15]]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet='ab C."', max_size=300),
    cuts=st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), max_size=3),
    name=st.sampled_from(["C", "ab C", " ", "C.", "b"]),
    width=st.integers(-5, 120),
    fragments=st.integers(0, 3),
)
def test_focus_snippets_are_well_formed(
    text: str, cuts: list[tuple[int, int]], name: str, width: int, fragments: int
) -> None:
    focus = [QuoteSpan(text[a:b], name, a, b) for a, b in (sorted(c) for c in cuts) if b <= len(text)]
    for snip in make_snippets(text, {"ab"}, width=width, fragments=fragments, quotes=focus, focus=focus):
        assert text[snip.start : snip.end] == snip.text
        last = 0
        for s, e in snip.highlights:
            assert last <= s < e <= len(snip.text)
            last = e
        for s, e in snip.attribution_highlights:
            assert 0 <= s < e <= len(snip.attribution)


def test_surname_and_full_name_find_the_same_speaker(ix: Index) -> None:
    def found(q: str) -> set[str]:
        return {h.pid for h in ix.search(q, per_article=False, limit=50)}

    assert found('speaker:"colin abernethy"') == {"harbour#2", "harbour#3", "harbour#4"}
    assert found("speaker:abernethy") == found('speaker:"colin abernethy"') | {"ferry#1"}


def test_attribution_is_highlighted_on_a_terminal(index_dir: str) -> None:
    res = CliRunner().invoke(
        main, ["search", 'speaker:"colin abernethy"', "--all-paragraphs", "--color", "always", "--index", index_dir]
    )
    assert res.exit_code == 0
    assert "— \x1b[33m\x1b[1mColin Abernethy\x1b[0m" in res.stdout


def test_other_queries_keep_their_snippets(ix: Index) -> None:
    """Without speaker:, a paragraph no word matched still shows its opening.

    (A headline-only match lists one paragraph per article, its first: issue 18, item 7.)
    """
    (hit,) = ix.search("headline:rebuilt", per_article=False)
    assert hit.headline_only and hit.paragraph == 1
    assert hit.snippet.startswith("The council has approved") and hit.highlights == ()
    assert all(f.attribution_highlights == () for f in hit.fragments)


# ---------------------------------------------------------------- Index.quotes / searchkit quotes


def test_quotes_without_query_in_article_order(ix: Index) -> None:
    found = ix.quotes(limit=None)
    assert [(q.article_id, q.paragraph) for q in found][:3] == [("doyle1", 1), ("doyle2", 1), ("doyle3", 1)]
    assert len(found) == 9 and all(q.score is None for q in found)
    harbour = [q for q in found if q.article_id == "harbour"]
    assert harbour[0].date is not None and harbour[0].date.year == 2024
    assert [q.rank for q in found] == list(range(1, 10))


def test_quotes_by_speaker_surname(ix: Index) -> None:
    texts = [q.text for q in ix.quotes(speaker="Abernethy", limit=None)]
    assert texts[0] == "The ferry timetable will not change this winter."
    assert len(texts) == 5
    assert [q.speaker for q in ix.quotes(speaker="mary doyle")] == ["Mary Doyle"]


def test_quotes_with_query_follow_the_search_ranking(ix: Index) -> None:
    ranked = [h.pid for h in ix.search("boats sea nets", per_article=False) if h.quotes]
    found = ix.quotes("boats sea nets", limit=None)
    assert list(dict.fromkeys(q.pid for q in found)) == ranked
    assert found[0].score is not None
    assert [q.text for q in ix.quotes("boats sea nets", speaker="doyle")] == ["Our nets were torn to pieces,"]


def test_quotes_limit_and_bad_arguments(ix: Index) -> None:
    assert len(ix.quotes(limit=2)) == 2
    with pytest.raises(QueryError):
        ix.quotes(limit=0)
    with pytest.raises(QueryError):
        ix.quotes(speaker="!!")


def test_quotes_command_lines(index_dir: str) -> None:
    code, out, err = run("quotes", "--speaker", "abernethy", "--index", index_dir)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "“The ferry timetable will not change this winter.” — Abernethy  ferry ¶1"
    assert lines[1] == "“We cannot let the sea take the town,” — Colin Abernethy  harbour ¶2  2024-02-01"


def test_quotes_command_json_csv_and_more_note(index_dir: str) -> None:
    code, out, err = run("quotes", "nets", "--json", "--index", index_dir)
    assert code == 0
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert (row["text"], row["speaker"], row["article_id"], row["paragraph"]) == (
        "Our nets were torn to pieces,",
        "Sean Doyle",
        "doyle2",
        1,
    )
    code, out, err = run("quotes", "--csv", "--limit", "2", "--index", index_dir)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 2 and rows[0]["speaker"] == "Mary Doyle" and rows[0]["date"] == ""
    assert "first 2 quotations" in err


def test_quotes_command_empty_and_errors(index_dir: str, tmp_path: Path) -> None:
    code, out, err = run("quotes", "--speaker", "nobody", "--index", index_dir)
    assert (code, out) == (1, "") and "no quotations by 'nobody'" in err
    code, out, err = run("quotes", "zebra", "--index", index_dir)
    assert code == 1 and "matching 'zebra'" in err
    code, out, err = run("quotes", "--json", "--csv", "--index", index_dir)
    assert code == 2 and err.startswith("Error: ") and len(err.splitlines()) == 1
    code, _, err = run("quotes", "--index", str(tmp_path / "none"))
    assert code == 2 and "searchkit index" in err


# ---------------------------------------------------------------- Index.speakers / searchkit speakers


def test_speakers_merge_a_surname_into_the_one_full_name(ix: Index) -> None:
    by_name = {c.name: c for c in ix.speakers()}
    colin = by_name["Colin Abernethy"]
    assert (colin.quotes, colin.articles, colin.variants) == (5, 2, ("Abernethy",))
    assert "Abernethy" not in by_name
    # Two Doyles with full names: "Doyle" alone could be either, so it stays apart.
    assert {"Mary Doyle", "Sean Doyle", "Doyle"} <= set(by_name)
    assert ix.speakers()[0].name == "Colin Abernethy"


def test_merge_rules() -> None:
    names = ["Blair", "Tony Blair", "Earlier Tony Blair", "Falconer", "Lord Falconer", "Sir Peter", "Sir Peter Marsh"]
    target = merged(names + ["Brown", "Gordon Brown", "Nick Brown", "BLAIR"])
    assert {target[n] for n in ("Blair", "BLAIR", "Earlier Tony Blair")} == {"Tony Blair"}
    assert target["Falconer"] == "Lord Falconer" and target["Sir Peter"] == "Sir Peter Marsh"
    assert target["Brown"] == "Brown"
    knighted = merged(["Alex Ferguson", "Sir Alex Ferguson", "Ferguson", "Manager Sir Alex Ferguson"])
    assert set(knighted.values()) == {"Sir Alex Ferguson"}


def test_stats_top_speakers_use_the_same_merging(ix: Index) -> None:
    st = ix.stats()
    assert st.top_speakers[0] == ("Colin Abernethy", 4)  # paragraphs quoting him, "Abernethy" included
    assert st.speakers == len(ix.speakers()) == 4


def test_speakers_command(index_dir: str) -> None:
    code, out, _ = run("speakers", "--index", index_dir)
    assert code == 0
    assert out.splitlines()[0] == "     5  Colin Abernethy  in 2 articles  (also Abernethy)"
    code, out, _ = run("speakers", "--json", "--limit", "1", "--index", index_dir)
    assert [json.loads(line) for line in out.splitlines()] == [
        {"name": "Colin Abernethy", "quotes": 5, "paragraphs": 4, "articles": 2, "variants": ["Abernethy"]}
    ]
    code, out, _ = run("speakers", "--csv", "--index", index_dir)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["variants"] == "Abernethy" and len(rows) == 4


def test_speakers_command_on_an_index_without_quotes(tmp_path: Path) -> None:
    write(tmp_path / "plain", "a.txt", "Quiet day\n\nNothing was said by anyone about the weather.\n")
    Index.build([tmp_path / "plain"], tmp_path / "ix", jobs=1).close()
    code, out, err = run("speakers", "--index", str(tmp_path / "ix"))
    assert (code, out) == (1, "") and "no attributed quotations" in err
    code, out, err = run("quotes", "--index", str(tmp_path / "ix"))
    assert (code, out) == (1, "") and "no quotations in the index" in err
