"""Whether a paragraph can hold a name with a given word: tests that spare reading its names.

Resolving "Smith said" to the John Smith the article named, or "the FA" to the
Football Association, looks through the names of every paragraph before it
(`names._mentions`, `names._owners`). Most paragraphs holding the word hold
it alone ("Smith said", "Mr Smith"), and reading their names finds nothing. A
name's words are tokens apart by white space, so a look at the tokens around
the word (or at the letters, for initials) tells where no name can be, and
those paragraphs are passed over. Each test only ever passes over a paragraph
whose names would not answer.
"""

from __future__ import annotations

from typing import Final

from searchkit.ingest.names import _PARTICLES, _bare
from searchkit.ingest.words import _ORG_WORDS, _PEERAGE, _TITLES

_MARKS: Final = frozenset(',;:!?()[]{}"“”«»—–')  # what ends a token besides white space (see _TOKCH)
_PLAIN_TITLES: Final = _TITLES - _PEERAGE  # "Mr Smith" is a title and a surname; "Lord Smith" is a name


def _token_before(p: str, at: int) -> str:
    """The token before the white space that ends at `at` ("" if none)."""
    k = at - 1
    while k >= 0 and p[k].isspace():
        k -= 1
    end = k + 1
    while k >= 0 and not p[k].isspace() and p[k] not in _MARKS:
        k -= 1
    return p[k + 1 : end]


def _may_end_name(p: str, word: str) -> bool:
    """Could a name mentioned in `p` end with `word` (`_ends_with`): is it written after a name word?

    A name of two key words is written as tokens apart by white space, so the
    token before its last word is part of it: capitalised, hyphenated or a
    particle ("von"); and not a title such as "Mr", after which a capitalised
    word is a name of one key word ("Mr Smith": `_core` starts at Smith), though
    a peerage makes one (Lord Falconer). A last word may also follow a hyphen
    (al-Walid ends with Walid). This spares reading the names of every
    paragraph that holds the word only alone ("Smith said").
    """
    plain = word[:1].isupper() and word not in _ORG_WORDS  # a title before it starts the name there
    at = p.find(word)
    while at >= 0:
        if at and p[at - 1] == "-":
            return True
        if at and p[at - 1].isspace():
            tok = _token_before(p, at)
            if tok in _PARTICLES or any(ch.isupper() for ch in tok):
                if not (plain and _bare(tok) in _PLAIN_TITLES):
                    return True
        at = p.find(word, at + 1)
    return False


def _in_order(letters: str, text: str) -> bool:
    """Does `text` hold `letters` in this order: could a name written in it have these initials?"""
    at = 0
    for c in letters:
        at = text.find(c, at) + 1
        if not at:
            return False
    return True


def _may_start_name(p: str, word: str) -> bool:
    """Could a name of two words or more mentioned in `p` start with the token `word`?

    Its words are apart by white space, so `word` must be followed by white space
    and a name word: capitalised, hyphenated or a particle.
    """
    at = p.find(word)
    while at >= 0:
        end = at + len(word)
        if end < len(p) and p[end].isspace():
            tok = _token_after(p, end)
            if tok in _PARTICLES or any(ch.isupper() for ch in tok):
                return True
        at = p.find(word, at + 1)
    return False


def _token_after(p: str, at: int) -> str:
    """The token after the white space that starts at `at` ("" if none)."""
    k = at
    while k < len(p) and p[k].isspace():
        k += 1
    start = k
    while k < len(p) and not p[k].isspace() and p[k] not in _MARKS:
        k += 1
    return p[start:k]
