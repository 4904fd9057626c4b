"""Tests for searchkit.ingest.quotes: speech quotes and their speakers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.ingest.quotes import Quote, extract

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "twitter-isis-accounts-offline.txt"


def sample_paragraphs() -> list[str]:
    """Body paragraphs of the sample: no headline, no trailing furniture block."""
    blocks = [b.strip() for b in SAMPLE.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    body = blocks[1:]
    if body and len(body[-1].splitlines()) == 3:
        body = body[:-1]
    return [" ".join(b.split("\n")) for b in body]


def all_quotes(paragraphs: list[str]) -> list[Quote]:
    return [q for qs in extract(paragraphs) for q in qs]


def check_offsets(paragraphs: list[str], result: list[tuple[Quote, ...]]) -> None:
    assert len(result) == len(paragraphs)
    for p, qs in zip(paragraphs, result):
        for q in qs:
            assert 0 <= q.start < q.end <= len(p)
            assert p[q.start : q.end] == q.text


# ---------------------------------------------------------------- the sample


def test_sample_has_exactly_two_speech_quotes() -> None:
    paras = sample_paragraphs()
    result = extract(paras)
    check_offsets(paras, result)
    quotes = [q for qs in result for q in qs]
    assert len(quotes) == 2
    walid, smith = quotes
    assert walid.text.startswith("There is nothing you can do")
    assert walid.speaker is not None and "Walid" in walid.speaker
    assert walid.speaker == "Abu al-Walid"  # the quoted name resolves the bare "Walid"
    assert smith.text.startswith("No terrorist organization")
    assert smith.speaker == "Michael S Smith II"


def test_sample_quoted_name_is_not_speech() -> None:
    paras = sample_paragraphs()
    assert "Abu al-Walid" not in [q.text for q in all_quotes(paras)]
    assert extract(paras)[1] == ()


# ---------------------------------------------------------------- marks


def test_apostrophes_are_not_quotes() -> None:
    paras = [
        "It's no easy task, and Twitter's staff know it.",
        "Twitter’s crackdown hit the companies' accounts and terrorists' feeds in the '90s style.",
    ]
    assert extract(paras) == [(), ()]


def test_curly_quotes() -> None:
    p = "“We will keep going until the job is done,” said Jane Roe, a spokeswoman."
    (q,) = extract([p])[0]
    assert q.text == "We will keep going until the job is done,"
    assert q.speaker == "Jane Roe"
    check_offsets([p], extract([p]))


def test_nested_single_quotes_stay_inside() -> None:
    for p in (
        "“The so-called ‘peace’ process is over,” said Ursula von der Leyen.",
        "\"The so-called 'peace' process is over,\" said Ursula von der Leyen.",
    ):
        (q,) = extract([p])[0]
        assert "peace" in q.text and q.text.startswith("The so-called")
        assert q.speaker == "Ursula von der Leyen"


def test_glued_mark_opens_a_quote() -> None:
    p = 'The banner read:"We want change now," he said.'
    (q,) = extract([p])[0]
    assert q.text == "We want change now,"
    assert p[q.start - 1] == '"'


def test_multi_paragraph_quote() -> None:
    paras = [
        "Jane Doe, a teacher, spoke at the rally on Monday.",
        "\"We came here because we were angry. It's been years",
        "\"and nobody listened. The council 'forgot' us",
        '"and we will not go away," she said.',
        "The rally ended at noon.",
    ]
    result = extract(paras)
    check_offsets(paras, result)
    assert result[0] == () and result[4] == ()
    parts = [result[i] for i in (1, 2, 3)]
    assert all(len(qs) == 1 for qs in parts)
    assert parts[0][0].text.startswith("We came here")
    assert parts[1][0].text.startswith("and nobody listened")
    assert parts[2][0].text == "and we will not go away,"
    assert {qs[0].speaker for qs in parts} == {"Jane Doe"}


def test_stray_mark_does_not_swallow_the_article() -> None:
    paras = [
        'He called the plan "a disaster and walked out of the room.',
        "Officials met again on Tuesday to discuss the plan in detail.",
        '"We have a deal," said Anna Berg, the chief negotiator.',
    ]
    result = extract(paras)
    check_offsets(paras, result)
    assert result[0] == () and result[1] == ()
    (q,) = result[2]
    assert q.text == "We have a deal," and q.speaker == "Anna Berg"


def test_unmatched_closer_is_ignored() -> None:
    paras = ["He is 6'2\" tall.", '"It is fine," Smith said.']
    result = extract(paras)
    assert result[0] == ()
    assert [q.text for q in result[1]] == ["It is fine,"]


def test_scare_quotes_and_titles_are_not_speech() -> None:
    paras = ['The so-called "experts" were wrong, and "The Lord of the Rings" sold well.']
    assert extract(paras) == [()]


def test_short_attributed_quote_is_speech() -> None:
    (q,) = extract(['"Never again" Tom Hardy said.'])[0]
    assert q.text == "Never again" and q.speaker == "Tom Hardy"


# ---------------------------------------------------------------- speakers


def test_x_said_and_said_x() -> None:
    paras = [
        'Tom Hardy said: "The film will be out in May."',
        '"The film will be out in May," said Emily Blunt.',
        '"The film will be out in May," Emily Blunt says.',
    ]
    speakers = [q.speaker for q in all_quotes(paras)]
    assert speakers == ["Tom Hardy", "Emily Blunt", "Emily Blunt"]


def test_according_to() -> None:
    (q,) = extract(['According to Maria Lopez, "the vote was rigged from the start".'])[0]
    assert q.speaker == "Maria Lopez"


def test_told_the_bbc_and_surname_resolution() -> None:
    paras = [
        "Tony Blair defended the decision on Monday.",
        '"It was the right decision," Mr Blair told the BBC.',
        '"We had no choice," Blair added.',
    ]
    qs = all_quotes(paras)
    assert [q.speaker for q in qs] == ["Tony Blair", "Tony Blair"]


def test_pronoun_resolves_to_latest_speaker() -> None:
    paras = [
        '"Prices will rise," said Mark Carney, governor of the bank.',
        '"There is no alternative," he warned.',
    ]
    assert [q.speaker for q in all_quotes(paras)] == ["Mark Carney", "Mark Carney"]


def test_ambiguous_surname_stays_unresolved() -> None:
    paras = [
        "John Smith and Mary Smith both spoke.",
        '"We disagree with the ruling," Smith said.',
    ]
    assert all_quotes(paras)[0].speaker == "Smith"


def test_role_after_name_is_dropped() -> None:
    p = '"Nothing has changed at all," says Michael S Smith II, chief operating officer of Kronos Advisory.'
    assert all_quotes([p])[0].speaker == "Michael S Smith II"


def test_name_before_role_and_verb() -> None:
    p = 'Michael S Smith II, chief operating officer of Kronos Advisory, said: "Nothing has changed at all."'
    assert all_quotes([p])[0].speaker == "Michael S Smith II"


def test_unattributed_quote_has_no_speaker() -> None:
    (q,) = extract(['Posters reading "Stop the war now, please" hung everywhere.'])[0]
    assert q.speaker is None


# ---------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "paras",
    [[], [""], ['"'], ['""'], ['" "'], ["“”"], ['"a'], ['a"'], ["«»"], ['"\n"'], ['\x00"x" said He']],
)
def test_degenerate_inputs(paras: list[str]) -> None:
    result = extract(paras)
    check_offsets(paras, result)


_PIECES = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "'",
        "’",
        "‘",
        "«",
        "»",
        " ",
        "said",
        "he",
        "Smith",
        "Jo Ann",
        ",",
        ".",
        ":",
        "according to",
        "We",
        "win",
        "al-Walid",
        "Mr",
        "\n",
        "—",
        "(",
        "told",
    ]
)
_QUOTEY = st.lists(_PIECES).map("".join)


def check_core(paras: list[str]) -> None:
    # The unguarded core: a heuristic bug must surface here, not be swallowed.
    from searchkit.ingest import quotes

    result = quotes._extract(paras)
    check_offsets(paras, result)
    for qs in result:
        assert list(qs) == sorted(qs, key=lambda q: q.start)
        assert all(q.text and q.text.strip() == q.text for q in qs)
    assert extract(paras) == result


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), max_size=6))
def test_arbitrary_text_never_raises(paras: list[str]) -> None:
    check_core(paras)


@settings(max_examples=300, deadline=None)
@given(st.lists(_QUOTEY, max_size=6))
def test_quote_heavy_text_spans_match(paras: list[str]) -> None:
    check_core(paras)


def test_name_in_apposition_to_a_role() -> None:
    from searchkit.ingest.quotes import extract

    before = extract(['"The players were running all afternoon," the manager, Alex Ferguson, said after the match.'])
    after = extract(['"The players were running all afternoon," said the manager, Alex Ferguson.'])
    assert before[0][0].speaker == "Alex Ferguson"
    assert after[0][0].speaker == "Alex Ferguson"
