"""Pinned results for the fast paths of searchkit.ingest.quotes.

quotes.py reads paragraphs with a few shortcuts (separate scans for ASCII text,
verbs found from the character in front of them, name chains found from their
capital, text inside quotes skipped, per-word caches, names mentioned in passing
gathered only on demand, paragraphs after the last quote skipped). Each case below
steers through one of them; the expected spans and speakers are what the plain
word-by-word implementation gave, so a shortcut that changes a result fails here.
"""

from __future__ import annotations

import pytest

from searchkit.ingest import native, quotes, speakers
from searchkit.ingest.quotes import extract

Expected = list[list[tuple[int, int, str | None]]]  # per paragraph: (start, end, speaker)

CASES: dict[str, tuple[list[str], Expected]] = {
    "verb_at_paragraph_start": (
        [
            'According to Tony Blair, "the war is over, and we won it."',
            'said Mr Smith: "It was a good day for all of us."',
        ],
        [[(26, 57, "Tony Blair")], [(16, 48, "Smith")]],  # courtesy honorifics are dropped
    ),
    "verb_after_line_break_dash_and_mark": (
        [
            '"We will fight on, whatever it takes,"\nsaid John Smith.',
            '"We will fight on, whatever it takes" — said Jane Doe.',
            "“We will fight on, whatever it takes,”said Jane Doe.",
            '"We will fight on, whatever it takes,"(said Jane Doe).',
        ],
        [[(1, 37, "John Smith")], [(1, 36, "Jane Doe")], [(1, 37, "Jane Doe")], [(1, 37, "Jane Doe")]],
    ),
    "unicode_text_and_spaces": (
        [
            "£5m was lost. “We did our best, truly,” said\xa0Émile Zola.",
            "Zoë Ball,\u2009the host, said: «C’est la vie, mes amis.»",
        ],
        [[(15, 38, "Émile Zola")], [(27, 50, "Zoë Ball")]],
    ),
    "hyphenated_name_opening_a_chain": (
        [
            "Officials named the man as al-Walid Khan on Monday.",
            '"We will never give up the fight," Khan said.',
        ],
        [[], [(1, 33, "al-Walid Khan")]],
    ),
    "name_right_after_a_closing_mark": (
        ['"We won the vote, and fairly,"Tony Blair said. "Now we govern."'],
        [[(1, 29, "Tony Blair"), (48, 62, "Tony Blair")]],
    ),
    "pronoun_resolved_from_a_mention": (
        [
            "Prime Minister Tony Blair visited the troops in Basra on Tuesday.",
            '"You are doing a fine job out here," he said.',
        ],
        [[], [(1, 35, "Tony Blair")]],
    ),
    "surname_resolved_from_an_earlier_mention": (
        [
            "The chief executive, Sir Richard Branson, was not at the launch.",
            'Later Branson told reporters: "It is a great plane, the best we have."',
        ],
        [[], [(31, 69, "Sir Richard Branson")]],  # a knighthood is kept
    ),
    "verbs_inside_and_outside_a_quote": (
        ['"He said he told them, and they said nothing," said Ms Jones, adding that "nobody asked."'],
        [[(1, 45, "Jones"), (75, 88, "Jones")]],
    ),
    "quote_over_paragraphs": (
        [
            '"This is the first part of a long statement,',
            '"and this is the second part of it," said the minister, Jo Ann Smith.',
        ],
        [[(1, 44, "Jo Ann Smith")], [(1, 35, "Jo Ann Smith")]],
    ),
    "names_after_the_last_quote": (
        [
            '"We are delighted with the result," said the club.',
            "Manager Alex Ferguson said the team played well.",
            "He said he was pleased. Ferguson added more later.",
        ],
        [[(1, 34, None)], [], []],
    ),
    "abbreviations_and_initials": (
        ['"It is done." Mr. J. R. Smith Jr. said so on Monday. "We move on," Smith added.'],
        [[(1, 12, "J. R. Smith Jr."), (54, 65, "J. R. Smith Jr.")]],
    ),
    "particles_and_titles": (
        ['European Commission President Ursula von der Leyen spoke. "Europe is united," von der Leyen said.'],
        [[(59, 76, "Ursula von der Leyen")]],  # the role in front is not part of the name
    ),
    "huge_tokens_are_not_cached": (
        [
            "Ann B" + "b" * 70 + ' visited. "We are here to stay, all of us," she said.',
            " ".join(f"Ann Smith{i}." for i in range(40)) + ' "We are here to stay, all of us," she said.',
            "A" + "b" * 300 + " Cdef" + "g" * 250 + ' said: "This is a quote of some length, surely."',
        ],
        [[(86, 117, "Ann B" + "b" * 70)], [(511, 542, "Ann Smith39")], [(564, 603, None)]],
    ),
    "apposition_before_and_after": (
        [
            'The manager, Alex Ferguson, said: "We were unlucky today, very unlucky."',
            '"We were unlucky today, very unlucky," said the manager, Alex Ferguson.',
        ],
        [[(35, 71, "Alex Ferguson")], [(1, 37, "Alex Ferguson")]],
    ),
    "apposition_searched_from_the_comma_before_the_role": (
        [
            'In Leeds, on Monday, the manager, Alex Ferguson, said: "We were unlucky today, very unlucky."',
            'The manager of Leeds, Yorkshire, Alex Ferguson, said: "We were unlucky today, very unlucky."',
            'Asked, his agent, Jo Bell, has said: "It was fine, all of it."',
        ],
        [[(56, 92, "Alex Ferguson")], [(55, 91, None)], [(38, 61, "Jo Bell")]],  # a role holds no comma
    ),
    "names_after_the_verb_and_the_shortcuts_past_them": (
        [
            '"We will win this, I am sure," said on Monday the club chairman, Ken Bates.',
            '"It is over, finally," said That Petroleum boss Jo Bell.',  # a clause word, capitalised
            '"It is over, finally," said In Touch chairman Jo Bell.',
            '"It is over, finally," said the FA.',
            '"It is over, finally," said Jo Bell of Acme.',
        ],
        [[(1, 29, None)], [(1, 21, "Jo Bell")], [(1, 21, "Jo Bell")], [(1, 21, "FA")], [(1, 21, "Jo Bell")]],
    ),
    "role_then_verb": (
        ['"It is a fair deal for everyone," Tom Jones, chief executive of Acme, said.'],
        [[(1, 32, "Tom Jones")]],
    ),
    "pronoun_skips_paragraphs_without_people": (
        [
            "Health Secretary John Reid opened the new wing on Friday.",
            "The hospital cost more than expected, and took three years to build.",
            "Labour Party officials were not at the opening.",
            '"This is a proud day for the whole town," he said.',
        ],
        [[], [], [], [(1, 40, "John Reid")]],
    ),
    "pronoun_takes_the_later_of_a_quoted_name_and_a_person": (
        [
            'Fans chanted "Kenny Dalglish" as the manager Graeme Souness arrived.',
            '"We will be back next season, stronger," he said.',
        ],
        [[], [(1, 39, "Graeme Souness")]],
    ),
    "surname_inside_a_longer_word_is_no_mention": (
        [
            "Blairite ministers met Gordon Brown on Monday.",
            '"The budget is sound and it will stay sound," Blair said.',
        ],
        [[], [(1, 44, "Blair")]],
    ),
    "surname_of_two_people_stays_as_written": (
        [
            "Gordon Brown spoke first in the debate.",
            "Later, Nick Brown took the floor as well.",
            '"We need more time to decide on this," Brown said.',
        ],
        [[], [], [(1, 37, "Brown")]],
    ),
    "surname_mention_later_in_the_same_paragraph_does_not_count": (
        ['"We will win this seat back, you will see," Howard said, standing beside Michael Howard Jr.'],
        [[(1, 42, "Howard")]],
    ),
}


def spans_and_speakers(paragraphs: list[str]) -> Expected:
    result = quotes._extract(paragraphs)
    assert extract(paragraphs) == result
    for p, qs in zip(paragraphs, result):
        for q in qs:
            assert p[q.start : q.end] == q.text
    return [[(q.start, q.end, q.speaker) for q in qs] for qs in result]


@pytest.mark.parametrize("name", sorted(CASES))
def test_pinned_result(name: str) -> None:
    paragraphs, expected = CASES[name]
    assert spans_and_speakers(paragraphs) == expected
    assert spans_and_speakers(paragraphs) == expected  # again, now from warm caches


@pytest.mark.parametrize("name", sorted(CASES))
def test_non_ascii_text_takes_the_general_path_to_the_same_result(name: str) -> None:
    # A trailing thin space changes nothing but makes every paragraph non-ASCII,
    # which switches the scans from their ASCII variants to the general ones.
    paragraphs, expected = CASES[name]
    assert spans_and_speakers([p + "\u2009" for p in paragraphs]) == expected


@pytest.mark.skipif(
    native.STATE == "compiled", reason="compiled modules call _mentions directly: run with SEARCHKIT_PURE_PYTHON=1"
)
def test_mentions_are_read_only_where_a_name_can_be(monkeypatch: pytest.MonkeyPatch) -> None:
    # A bare surname can only resolve to a mention in a paragraph that holds it, and a
    # pronoun looks back a few paragraphs at most: other paragraphs' names are never read.
    read: list[str] = []
    real = speakers._mentions

    def counting(p: str, spans: list) -> list:  # type: ignore[type-arg]
        read.append(p)
        return real(p, spans)

    monkeypatch.setattr(speakers, "_mentions", counting)
    filler = [f"Mayor Ann Jones opened library number {i} on Friday." for i in range(30)]
    surname = filler + ["Later, Jane Smith toured the site.", '"It is a fine building, and long overdue," Smith said.']
    assert [(q.start, q.speaker) for q in quotes._extract(surname)[-1]] == [(1, "Jane Smith")]
    assert read == surname[-2:-1]  # not the quote's own paragraph: "Smith said" is no name ending with Smith
    read.clear()
    pronoun = filler + ['"It is a fine building, and long overdue," she said.']
    assert [(q.start, q.speaker) for q in quotes._extract(pronoun)[-1]] == [(1, "Ann Jones")]
    assert set(read) <= set(pronoun[-4:])  # the pronoun's paragraph and the three before it
