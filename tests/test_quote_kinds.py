"""Each kind of quotation and each shape of speaker, pinned with sentences written for these tests.

The kinds: a quotation reopened inside one block, one that runs across blocks,
a fragment under a reporting or attitude word (partial), and the titles, names
and scare quotes that are not quotations. The speaker shapes: roles and
honorifics stripped, knighthoods kept, the fullest name the article gives, an
unnamed spokesperson as their organisation, "X of Org", pronouns and
descriptions resolved in the article, a name given after the quote, and no
speaker rather than a wrong one.
"""

from __future__ import annotations

import warnings

import pytest

import searchkit
from searchkit.ingest import quotes
from searchkit.ingest.quotes import Quote, QuoteWarning, extract_quotes


def found(paragraphs: list[str]) -> list[tuple[str, str | None, bool]]:
    """(text, speaker, partial) of every quote, checking the offsets on the way."""
    result = extract_quotes(paragraphs)
    assert len(result) == len(paragraphs)
    out = []
    for p, qs in zip(paragraphs, result):
        for q in qs:
            assert p[q.start : q.end] == q.text
            out.append((q.text, q.speaker, q.partial))
    return out


# ---------------------------------------------------------------- kinds of quotation


def test_quote_reopened_inside_one_block_is_one_quotation() -> None:
    p = (
        'The coach, Maria Lindqvist, was pleased. She said: "We defended well all afternoon. '
        '"The young players kept their heads when it mattered."'
    )
    assert found([p]) == [
        ("We defended well all afternoon.", "Maria Lindqvist", False),
        ("The young players kept their heads when it mattered.", "Maria Lindqvist", False),
    ]


def test_quote_running_across_blocks_keeps_its_speaker() -> None:
    paras = [
        'Harbour master Colin Abernethy said: "The storm moved the pontoons overnight.',
        '"Nobody was hurt, and the boats will be back in the water next week."',
    ]
    assert found(paras) == [
        ("The storm moved the pontoons overnight.", "Colin Abernethy", False),
        ("Nobody was hurt, and the boats will be back in the water next week.", "Colin Abernethy", False),
    ]


def test_stray_mark_before_a_new_quote_is_not_a_part() -> None:
    # No sentence ends before the second mark: the first one was stray, as before.
    p = 'The report "was late and then "We will publish it on Monday," said Priya Natarajan.'
    assert found([p]) == [("We will publish it on Monday,", "Priya Natarajan", False)]


@pytest.mark.parametrize(
    "sentence, fragment",
    [
        ('Councillor Gwen Ashby called the parking plan "a shambles" at the meeting.', "a shambles"),
        ('Gwen Ashby attacked the "reckless" spending on the new bridge.', "reckless"),
        ('Gwen Ashby said the outcome was "about as fair as we could hope".', "about as fair as we could hope"),
        ('Gwen Ashby described the decision as "baffling" on Tuesday.', "baffling"),
    ],
)
def test_fragment_under_a_reporting_or_attitude_word_is_partial_speech(sentence: str, fragment: str) -> None:
    assert found([sentence]) == [(fragment, "Gwen Ashby", True)]


@pytest.mark.parametrize(
    "sentence",
    [
        'Her new single "Paper Lanterns" reached the top ten.',  # a title
        'The band played a song called "Bright Morning" to close the night.',  # named by "called"
        'He posted under the username "nightowl77" for years.',  # a username
        'The firm launched its "Fresh Start" scheme for savers.',  # a scheme's name
        'The so-called "experts" were nowhere to be seen.',  # a scare quote
        'Fans filled the square for the "festival of light" on Friday.',  # no one said it
        'Many fans think the remake is "a modern classic" already.',  # a thought, not words
    ],
)
def test_titles_names_and_scare_quotes_stay_out(sentence: str) -> None:
    assert found([sentence]) == []


# ---------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        ('"Sales rose in every region," said chief executive Tomas Berglund.', "Tomas Berglund"),
        ('"Sales rose in every region," said Harlow Mills finance director Ruth Okafor.', "Ruth Okafor"),
        ('Shadow Transport Secretary Diane Pell said: "The trains are late again."', "Diane Pell"),
        ('"The trains are late again," said Mrs Diane Pell.', "Diane Pell"),
        ('Sir Martin Ogilvy said: "We have waited long enough for this."', "Sir Martin Ogilvy"),
        ('Lord Hesketh told the committee: "We have waited long enough."', "Lord Hesketh"),
        ('"We will appeal the ruling," said Lena Vos of Nordwind Energy.', "Lena Vos"),
        ('Lena Vos of Nordwind Energy said: "We will appeal the ruling."', "Lena Vos"),
    ],
)
def test_roles_and_honorifics_stripped_peerage_kept(sentence: str, speaker: str) -> None:
    assert [s for _, s, _ in found([sentence])] == [speaker]


def test_surname_and_short_form_get_the_fullest_name() -> None:
    paras = [
        "Sir Martin Ogilvy opened the new library on Saturday.",
        '"Books still matter to this town," said Sir Martin.',
        '"We raised the money in two years," Ogilvy added.',
    ]
    assert [s for _, s, _ in found(paras)] == ["Sir Martin Ogilvy", "Sir Martin Ogilvy"]


def test_unnamed_spokesperson_speaks_for_the_organisation() -> None:
    paras = [
        "Harlow Mills announced the closure of its oldest plant.",
        '"This was a difficult decision," a Harlow Mills spokeswoman said.',
        '"Staff will be offered other roles," the spokeswoman added.',
    ]
    assert [s for _, s, _ in found(paras)] == ["Harlow Mills", "Harlow Mills"]


def test_pronoun_is_the_subject_of_the_sentence_before_not_the_last_speaker() -> None:
    paras = [
        '"The result flatters us," said Anton Pereira.',
        "Rafael Quintero admitted his side had been poor.",
        '"We made too many mistakes in the first half," he said.',
    ]
    assert [s for _, s, _ in found(paras)] == ["Anton Pereira", "Rafael Quintero"]


def test_description_resolves_to_the_person_the_article_is_about() -> None:
    paras = [
        "Keeley Marsh won the junior title in Leeds on Sunday.",
        '"I did not expect to win so early in the season," said the 19-year-old.',
    ]
    assert [s for _, s, _ in found(paras)] == ["Keeley Marsh"]


def test_according_to_role_and_name_before_a_verb() -> None:
    p = 'Demand, according to Brightwell analyst Nadia Osei is "unusually soft" this winter.'
    assert found([p]) == [("unusually soft", "Nadia Osei", True)]


def test_unnamed_subject_before_a_colon_blocks_an_older_name() -> None:
    p = '"We did nothing wrong," said Pavel Dunne. But the league confirmed: "The fine stands."'
    assert [s for _, s, _ in found([p])] == ["Pavel Dunne", None]


def test_speaker_named_after_the_quote() -> None:
    p = '"It was the best night of my life," said Dara Whelan, who scored twice.'
    assert [s for _, s, _ in found([p])] == ["Dara Whelan"]


def test_untagged_quote_opening_a_block_continues_the_previous_speaker() -> None:
    paras = [
        '"We knew the pitch would be slow," said Imran Qadir.',
        '"So we picked two spinners and it paid off."',
    ]
    assert [s for _, s, _ in found(paras)] == ["Imran Qadir", "Imran Qadir"]


def test_sentence_after_a_quote_is_not_its_tag() -> None:
    p = (
        '"Prices will keep rising this year," said Owen Grady. "Rents too." '
        "Marta Lindgren, an analyst at Baxter Trust, said the rise would slow."
    )
    assert [s for _, s, _ in found([p])] == ["Owen Grady", "Owen Grady"]


@pytest.mark.parametrize(
    "sentence",
    [
        '"We will not give in," said Britain.',  # a place
        '"We will not give in," said French.',  # a nationality
        '"We will not give in," Following said.',  # a common word the article writes in lower case
    ],
)
def test_no_speaker_rather_than_a_wrong_one(sentence: str) -> None:
    article = [sentence, "Following the vote, the talks ended and people were following the news."]
    assert [s for _, s, _ in found(article)] == [None]


# ---------------------------------------------------------------- the public function


def test_public_function_and_type() -> None:
    assert searchkit.extract_quotes is extract_quotes
    assert searchkit.Quote is Quote
    ((q,),) = searchkit.extract_quotes(['"All done," said Jo Pike.'])
    assert q == Quote("All done,", 1, 10, "Jo Pike", False)
    with pytest.raises(AttributeError):
        q.speaker = "someone"  # type: ignore[misc]


def test_failure_warns_naming_the_article_and_gives_no_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(paragraphs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(quotes, "_extract", broken)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = extract_quotes(['"Hello there," said Jo Pike.', "More text."], article="sport/001")
    assert result == [(), ()]
    assert len(caught) == 1 and issubclass(caught[0].category, QuoteWarning)
    assert "sport/001" in str(caught[0].message)


# ---------------------------------------------------------------- organisations written as initials


@pytest.mark.parametrize(
    "tag",
    [
        '"We will appeal the decision," said the GHA.',
        'But the GHA confirmed: "We will appeal the decision."',
        '"We will appeal the decision," said a GHA statement.',
        'A GHA spokeswoman said: "We will appeal the decision."',
    ],
)
def test_initials_of_an_organisation_spelled_out_earlier_are_that_organisation(tag: str) -> None:
    paras = ["The Glenmore Hockey Association has fined the club after the final.", tag]
    assert [speaker for _, speaker, _ in found(paras)] == ["Glenmore Hockey Association"]


def test_initials_never_spelled_out_stay_as_written() -> None:
    assert found(['"Ticket prices will rise in spring," the NWRC said.']) == [
        ("Ticket prices will rise in spring,", "NWRC", False)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        'Rona Blake of the NWRC said the fares were "far too high".',  # the person, not her organisation
        'The report said the NWRC was "far too slow".',  # "said the NWRC was": a clause, not a tag
        '"Fares are far too high," the MP said.',  # initials of a role
    ],
)
def test_initials_that_are_not_the_speaker(sentence: str) -> None:
    assert all(speaker != "NWRC" and speaker != "MP" for _, speaker, _ in found([sentence]))


def test_he_is_the_person_not_the_organisation_that_spoke_before() -> None:
    paras = [
        "Coach Ilse Varga led the squad to a third title.",
        'The KHF said the result was "historic". "We never doubted it," she said.',
    ]
    assert ("We never doubted it,", "Ilse Varga", False) in found(paras)


def test_he_may_be_an_organisation_s_spokesman() -> None:
    paras = ['"We will not comment," a KHF spokesman said. "It is a private matter," he added.']
    assert ("It is a private matter,", "KHF", False) in found(paras)


# ---------------------------------------------------------------- full forms written as owners


def test_a_short_name_takes_the_full_form_written_as_an_owner() -> None:
    paras = [
        "Harbour Rovers Athletic's new stand opened on Saturday, and Marta Quillon's design won praise.",
        '"It is the best stand in the league," Quillon said.',
        '"We are proud of it," a Harbour spokesman said.',
    ]
    assert [speaker for _, speaker, _ in found(paras)] == ["Marta Quillon", "Harbour Rovers Athletic"]


def test_an_owner_is_not_whom_he_means() -> None:
    paras = [
        "Coach Ilse Varga watched from the stand.",
        'The result beat Tomas Brenner\'s record from 1998. "It was a perfect night," she said.',
    ]
    assert [speaker for _, speaker, _ in found(paras)] == ["Ilse Varga"]


def test_a_spokesman_s_organisation_takes_its_full_form_even_when_it_looks_like_a_person() -> None:
    paras = [
        "Castellon Verde's new stadium opened on Sunday.",
        '"It is magnificent," a Castellon spokesman said.',
    ]
    assert [speaker for _, speaker, _ in found(paras)] == ["Castellon Verde"]
