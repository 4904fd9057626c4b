"""The speaker rules' shortcuts answer as the full readings they spare.

`namesites._may_end_name` / `_may_start_name` decide whether a paragraph's names
need reading at all for a surname ("Smith said") or an organisation's first
word ("Bayern"); `people.caps_at` finds one capitalised word's places without
listing every capitalised word; `people.Known` reads a paragraph's names only
when the paragraph holds a word asked about. Each must never miss what the
full reading finds.
"""

from __future__ import annotations

import re

import pytest

from searchkit.ingest.names import _ends_with, _mentions, _owners
from searchkit.ingest.namesites import _may_end_name, _may_start_name
from searchkit.ingest.people import Known, caps_at, caps_of, surnames
from searchkit.ingest.quotemarks import _pair

PARAGRAPHS = [
    "Research suggests 258 million images are saved, Jupiter Research says.",
    'Mr Smith said: "No." Later, Jane Smith toured the site, and Smith said so.',
    "x/Tony Blair's plan met Bayern Munich's coach and Deutsche Bank's boss.",
    "Lord Falconer and Sir Martin Ogilvy met Mr al-Walid and Abu al-Walid in Rome.",
    "Ursula von der Leyen spoke; John Smith Jr. and Jean-Paul Sartre-Smith listened.",
    "Tony \n  Blair and Émile Zola met O'Neill's aide, Kelvin MP Rita Vale, and Dr. Who.",
    "The chief executive, Steven Theede, said Yukos Oil would fight. Theede's view.",
    "Prime Minister Tony Blair said Mr Blair's plan was Blair's own. Blair said it.",
]


def _words(p: str) -> set[str]:
    """Every word of `p` a surname or first word could be, with the parts after hyphens."""
    out: set[str] = set()
    for tok in re.findall(r"[^\s,;:!?()\[\]{}\"“”«»—–]+", p):
        tok = tok.rstrip(".").removesuffix("'s").removesuffix("’s")
        out.add(tok)
        parts = tok.split("-")
        out.update("-".join(parts[k:]) for k in range(1, len(parts)))
    return {w for w in out if w}


@pytest.mark.parametrize("p", PARAGRAPHS)
def test_a_paragraph_passed_over_names_no_one_by_that_word(p: str) -> None:
    spans = _pair(p)
    names = [n for _, n, _ in _mentions(p, spans) + _owners(p, spans)]
    for word in _words(p):
        if any(_ends_with(n, word) for n in names):
            assert _may_end_name(p, word), (p, word)
        if any(len(n.split()) > 1 and n.split()[0] == word for n in names):
            assert _may_start_name(p, word), (p, word)


def test_a_word_only_alone_or_after_a_title_is_passed_over() -> None:
    assert not _may_end_name('"No," Smith said. Smith agreed, said Smith.', "Smith")
    assert not _may_end_name("Mr Smith and Dr. Smith met.", "Smith")  # one key word: Smith
    assert _may_end_name("Lord Falconer spoke.", "Falconer")  # a peerage makes a name
    assert _may_end_name("He met Abu al-Walid.", "Walid")
    assert not _may_start_name("Bayern won. Said Bayern, we won.", "Bayern")
    assert _may_start_name("Bayern Munich won.", "Bayern")


@pytest.mark.parametrize("p", PARAGRAPHS + ['"Blair said" Blair, "and Tony Blair" left.'])
def test_caps_at_finds_a_word_where_caps_of_does(p: str) -> None:
    spans = _pair(p)
    caps = caps_of(p, spans)
    for word in {w for _, w in caps} | {"Blair", "Smith", "Research", "Neill"}:
        assert caps_at(p, spans, word) == [o for o, w in caps if w == word], (p, word)


def test_known_prefers_the_speakers_then_the_nearest_paragraph() -> None:
    texts = ["Tom Hart came.", "Jo Hart and Ann Lee came.", "Then Hart and Lee and The spoke."]
    read: list[int] = []

    def surnames_in(j: int, must: bool) -> dict[str, str] | None:
        if not must:
            return None  # nothing read before
        read.append(j)
        return surnames(_mentions(texts[j], _pair(texts[j])))

    known = Known({"Lee": "Kim Lee"}, [2, 1, 0], texts, surnames_in)
    assert known.among(frozenset({"Hart", "Lee", "The", "Then"})) == {"Hart": "Jo Hart", "Lee": "Kim Lee"}
    assert read == [2, 1]  # paragraph 0 is not read once Hart is found; "The" is never a surname
    read.clear()
    assert Known({}, [2, 1, 0], texts, surnames_in).among(frozenset({"Nobody", "The"})) == {}
    assert read == []  # no paragraph holds the word
