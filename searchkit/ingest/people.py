"""People a paragraph points at: its capitalised words, its he/she and descriptions, and known surnames.

A pronoun or a description ("he", "the 22-year-old") means the person a
sentence before it names (`speakers`). To find that person the speaker rules
read, per paragraph and outside quotes, where capitalised words stand and
where "he", "she" or "the prime minister" stand (`words_of`), and the
surnames of the people a paragraph names (`surnames`), which `Known` gathers
for a place from the paragraphs before it, reading a paragraph's names only
when the paragraph holds a word asked about.

Most capitalised words are no surname the article gave, so their places are not
kept: only the words that are a known surname are looked for again (`caps_at`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final, NamedTuple

from searchkit.ingest.cues import by_initial
from searchkit.ingest.names import _bare, _key_tokens
from searchkit.ingest.quotemarks import _outside, _Span
from searchkit.ingest.words import _ROLES, _STOP

# he, she, not after a letter or digit. Written to start with one character class, which
# lets re skip ahead to the next h or s instead of trying both branches everywhere; the
# lookbehind then rejects the "he" of "the" inside re (a Python test of each of the many
# such matches cost more than the scan). `(?<![^\W_].)`: the character before the first
# letter is not alphanumeric (str.isalnum), which is \w without the underscore.
_PRONOUN_RE: Final = re.compile(r"[HhSs](?<![^\W_].)(?:(?<=[Ss])h|(?<=[Hh]))e(?!\w)")
_PERSON_WORDS: Final = frozenset(r.lower() for r in _ROLES) | frozenset(
    "minister secretary president chancellor champion player star singer actor actress boss striker coach "
    "manager captain frontman veteran teenager youngster winner leader chairman".split()
)
# A description ends at its person word, before punctuation or a verb ("The prime minister
# shrugged off …", not "The chief inspector"); one that goes on to a name is that name
# ("the manager, Alex Ferguson", "the chief inspector of schools, David Bell").
# The person words are grouped by their first letter (longest first within a group): at any
# place only one group can match, so re tries one group instead of every word, and the
# matches are those of the plain longest-first alternation.
_PERSON_ALTERNATION: Final = by_initial([re.escape(w) for w in sorted(_PERSON_WORDS, key=len, reverse=True)])
_DESCRIPTION_RE: Final = re.compile(
    rf"[Tt]he (?:[a-z][\w-]* ){{0,3}}?({_PERSON_ALTERNATION})"
    r"(?=[^\w\s-]|$| [a-z]+(?:ed|s)\b)(?!,? [A-Z]| (?:of|for|at|from|in|with)\b)"
)
# One capitalised word, without a possessive ending: "Blair's" gives Blair, "O'Neill" stays whole.
# The check of the character before comes after the capital, so that re can skip to the next one.
_CAP_RE: Final = re.compile(r"([A-Z](?<![\w'’-].)(?:[\w-]|['’][A-Z])*[a-z][\w-]*)")

_Mention = tuple[int, str, bool]  # (offset, name, person-like), as `names._mentions` gives them


class _Words(NamedTuple):
    names: frozenset[str]  # the capitalised words (without a possessive): mostly asked whether any is a surname
    marks: list[int]  # offsets of he/she and of descriptions ("the 19-year-old")


def words_of(p: str, spans: list[_Span]) -> _Words:
    """Paragraph p's capitalised words and he/she/description marks outside quotes.

    The words are kept without their places (`findall`, no match objects): few of
    them turn out to be a known surname, and only those are looked up (`caps_at`).
    """
    names: list[str] = []
    marks: list[int] = []
    for lo, hi in _outside(p, spans):
        names += _CAP_RE.findall(p, lo, hi)
        marks += [m.start() for m in _PRONOUN_RE.finditer(p, lo, hi)]
        for m in _DESCRIPTION_RE.finditer(p, lo, hi):
            if m.group(1) in _PERSON_WORDS and (not m.start() or not p[m.start() - 1].isalnum()):
                marks.append(m.start())
    return _Words(frozenset(names), marks)


def caps_of(p: str, spans: list[_Span]) -> list[tuple[int, str]]:
    """Paragraph p's capitalised words outside quotes, with their offsets: (offset, word)."""
    caps: list[tuple[int, str]] = []
    for lo, hi in _outside(p, spans):
        caps += [(m.start(), m.group()) for m in _CAP_RE.finditer(p, lo, hi)]
    return caps


def caps_at(p: str, spans: list[_Span], word: str) -> list[int]:
    """The offsets at which `caps_of` finds `word`.

    A capitalised word is found wherever its pattern matches: no match starts
    inside another, whose every character is one the pattern refuses before a
    capital. So the places of one word are those of its text where it matches.
    """
    out: list[int] = []
    for lo, hi in _outside(p, spans):
        at = p.find(word, lo, hi)
        while at >= 0:
            m = _CAP_RE.match(p, at, hi)
            if m and m.end() == at + len(word):
                out.append(at)
            at = p.find(word, at + 1, hi)
    return out


def surnames(mentions: list[_Mention], hi: int | None = None) -> dict[str, str]:
    """Last words of the people among `mentions` (those before offset `hi`), mapped to their full names."""
    found: dict[str, str] = {}
    for o, n, person in mentions:
        if person and (hi is None or o < hi):
            found.setdefault(_bare(_key_tokens(n)[-1]), n)
    return found


class Known:
    """Last words of the people named before a place, mapped to their full names, for the words asked.

    From the speakers and quoted names so far (`said`), which win, else from the
    names mentioned in `paras`, the nearest paragraph first (`surnames_in`; in
    the place's own paragraph only those before it). A paragraph's names are read
    only when its text holds a word asked about: a surname is a word of its
    paragraph, and never a stop word ("The"), at which a name run ends. A pronoun
    is mostly resolved a paragraph back, and the paragraphs before need not be read.
    """

    def __init__(
        self,
        said: dict[str, str],
        paras: Sequence[int],
        texts: Sequence[str],
        surnames_in: Callable[[int, bool], dict[str, str] | None],
    ) -> None:
        self._said = said
        self._paras = paras
        self._texts = texts
        # surnames_in(j, read): paragraph j's surnames; None if its names are not read yet and not `read`
        self._surnames_in = surnames_in

    def among(self, words: frozenset[str]) -> dict[str, str]:
        """Those of `words` that are known surnames, with the full names."""
        # Built by comprehension: `words & said.keys()` is a set at run time, though typed
        # frozenset, which compiled code (`native`) refuses.
        found = {w: self._said[w] for w in words if w in self._said}
        rest = {w for w in words if w not in found and w not in _STOP}
        for j in self._paras:
            if not rest:
                break
            names = self._surnames_in(j, False)  # a paragraph read before needs no look at its text
            if names is None:
                text = self._texts[j]
                if not any(w in text for w in rest):
                    continue
                names = self._surnames_in(j, True) or {}
            hits = rest & names.keys()
            for w in hits:
                found[w] = names[w]
            rest -= hits
        return found
