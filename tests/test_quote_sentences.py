"""searchkit.ingest.sentences: sentence starts found once per paragraph, asked many times.

`start_before(p, pos)` must give exactly what a scan of ``p[:pos]`` alone gives
(the extractor's earlier behaviour), including where the two texts differ: a
sentence end right before `pos` with no space after it ("said.He").
The rewritten name patterns must find what the patterns they replace found.
"""

from __future__ import annotations

import re

import pytest

from searchkit.ingest import attribution, cues, names, people, tags
from searchkit.ingest.names import _SENT_END_RE, _is_abbrev
from searchkit.ingest.sentences import start_before, starts, starts_below

TEXTS = [
    "",
    "He said so. She did not.",
    "Mr. Smith met Dr. Jones. They talked!",
    'It works," he said.He left. "Yes?" she asked... Then J. R. Ewing arrived.',
    "The U.S. team won. Lord Coe (Sebastian) spoke!! Next.",
    "No end at all",
    "Ends here.  Two spaces.\nA new line? Yes…",
    "Full stops only... here.\" Then 'quoted.' (In brackets.) Mr. Ed. J. Doe.) End.",
    "Prof. Lee met Capt. Ford, Gen. Ray, Sgt. Cole Jr. and St. Ives. xSt. The King. Héé. éé. a. b.c.",
]


def _prefix_start(p: str, pos: int) -> int:
    """The reference: the last sentence start of p[:pos], scanned from the beginning."""
    start = 0
    for m in _SENT_END_RE.finditer(p, 0, pos):
        if m.group().startswith(".") and _is_abbrev(p[max(start, m.start() - 12) : m.start() + 1].rsplit(None, 1)[-1]):
            continue
        start = m.end()
    return start


@pytest.mark.parametrize("text", TEXTS)
def test_start_before_is_the_prefix_scan_at_every_offset(text: str) -> None:
    for pos in range(len(text) + 1):
        assert start_before(text, pos) == _prefix_start(text, pos), (text, pos)


def test_a_sentence_end_glued_to_the_offset_counts_as_in_a_prefix_scan() -> None:
    p = "It was over.He said"
    at = p.index("He")
    assert start_before(p, at) == at  # p[:at] ends a sentence there ...
    assert at not in starts(p)  # ... the whole paragraph does not


def test_starts_and_starts_below() -> None:
    p = "One. Mr. Two stays. Three!"
    assert starts(p) == [0, 4, 19, 26]  # the last "!" ends a sentence too
    assert starts_below(p, 19) == [0, 4]
    assert starts_below(p, 20) == [0, 4, 19]


OLD_PATTERNS = {
    # Only a "he" or "she" not after a letter or digit counts (a test once made in Python).
    "pronoun": (re.compile(r"(?<![^\W_])(?:[Ss]h|[Hh])e(?!\w)"), people._PRONOUN_RE),
    # The person words as one plain longest-first alternation.
    "description": (
        re.compile(
            rf"[Tt]he (?:[a-z][\w-]* ){{0,3}}?({'|'.join(sorted(people._PERSON_WORDS, key=len, reverse=True))})"
            r"(?=[^\w\s-]|$| [a-z]+(?:ed|s)\b)(?!,? [A-Z]| (?:of|for|at|from|in|with)\b)"
        ),
        people._DESCRIPTION_RE,
    ),
    "caps": (re.compile(r"(?<![\w'’-])([A-Z](?:[\w-]|['’][A-Z])*[a-z][\w-]*)"), people._CAP_RE),
    "owner": (re.compile(r"(?<![\w'’-])((?:[A-Z][\w.-]*\s+)+[A-Z][\w-]*)['’]s(?!\w)"), names._OWNER_RE),
    # A sentence end with its first mark inside the repeat (the pattern before).
    "sentence end": (re.compile(r"[.!?…]+[\"”’')\]]*(?=\s|$)"), names._SENT_END_RE),
    # A fragment's owner with the first capital inside the repeat.
    "speech owner": (
        re.compile(
            r"((?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w-]*)['’]s\s+(?:[a-z][\w-]*\s+)?(?:"
            + attribution._SPEECH_NOUNS
            + r")\b(?:\s+(?:that|of|to|as|for|about|on)"
            r"(?:\s+(?!(?:was|were|is|are|be|been|had|has|have|and|but|or)\b)[a-z][\w-]*){0,4})?\s*$"
        ),
        attribution._OWNER_BEFORE_RE,
    ),
}
SAMPLES = [
    "She said he and the heir; Shell's chief, Mr O'Neill's aide and x-Abc Smith-Jones's dog. She",
    "Bayern Munich's coach met Deutsche Bank's boss; 'Tony Blair's' plan, AB's, Harbour Rovers Athletic’s",
    "she-wolf hehe The he She's he. HE sHe",
    "1he _she éhe The chief executive said; the former England captain. the team manager, Alex; The coach of",
    "bathe the star said, the new striker scored and the 22-year-old coach. the club's chief executive",
    "It ended.\" Then?! Yes…) No. Mr. J. R. Ewing's promise to produce an ",
    "Tony Blair's claim that ",
    "PM Tony Blair’s  bold  pledge of ",
    "St. Helens Rugby Club's comments were ",
    "the A.B. Smith-Jones's remarks",
]


@pytest.mark.parametrize("kind", sorted(OLD_PATTERNS))
def test_rewritten_patterns_match_as_before(kind: str) -> None:
    old, new = OLD_PATTERNS[kind]
    for text in SAMPLES:
        for lo in range(0, len(text), 7):
            got = [(m.span(), m.groups()) for m in new.finditer(text, lo)]
            assert got == [(m.span(), m.groups()) for m in old.finditer(text, lo)], (kind, text, lo)


LEADS = [
    "",
    "He called the plan ",
    "The minister's ALLEGATION that it ",
    "Blair's ",
    "Tony Blair’s  ",
    "the players' ",
    "Jones's\n",
    "It was, in the words of ",
    "Ministers ſaid ",  # a long s folds to s only under re.IGNORECASE
    "KELVIN: the \u212aeen ",
    "Smith, who plays ",
    "a so-called ",
    "Said ",  # a cue at the very start
    "Asked about it, ",
    "unsaid, untold, re-told ",
    "(Claims ",
    "He would POINT  OUT ",
    "Pointed out ",
    "point out ",
    "the 'Warning' ",
    "Þe said ",  # not ASCII
    "Ælfred's tweet ",
    "Mr Ö declined ",
]


@pytest.mark.parametrize("lead", LEADS)
def test_speech_cues_as_the_patterns_find_them(lead: str) -> None:
    """The shortcuts before the cue and possessive searches answer as the searches do."""
    assert cues._cued(lead) == bool(cues._CUE_RE.search(lead))
    assert attribution._possessive_before(lead) == bool(attribution._POSSESSIVE_BEFORE_RE.search(lead))


PASSIVES = [
    "The album was described as ",
    "It was widely praised as ",
    "Was called ",  # at the very start
    "xwas described as ",
    "He was attacked by critics as ",  # "by" names the speaker
    'He, who is slammed "by" many, called it ',
    "Being criticised, they were branded ",
]


@pytest.mark.parametrize("text", PASSIVES)
def test_passive_target_as_the_pattern_finds_it(text: str) -> None:
    """`passive_target`'s search from the character before the auxiliary answers as the \\b pattern does."""
    for lo in range(len(text) + 1):
        for hi in (lo, (lo + len(text)) // 2, len(text)):
            assert tags.passive_target(text, lo, hi) == bool(tags._PASSIVE_RE.search(text, lo, hi)), (text, lo, hi)


WALKS = [
    "He said",
    "  the  company's chief executive,   Steven Theede said",
    "x" * 230 + " and then Smith said",  # the walk starts inside a token cut at 200 characters
    "a-b c.d e'f  g\u00a0h said",
]


@pytest.mark.parametrize("text", WALKS)
def test_token_offsets_as_tokenising_finds_them(text: str) -> None:
    """`_Toks.start` gives each token's offset as re-tokenising the walk does."""
    for pos in range(len(text) + 1):
        walks = (names._toks_before(text, pos), names._toks_before(text, pos, touch=True), names._toks_after(text, pos))
        for toks in walks:
            offsets = [m.start() for m in names._TOK_RE.finditer(text, toks.lo, toks.hi)]
            assert [toks.start(k) for k in range(len(toks.words))] == offsets
            assert [toks.start(-k - 1) for k in range(len(toks.words))] == offsets[::-1]
