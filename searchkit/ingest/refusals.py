"""Candidate speakers that name no one: rejected, because a wrong name is worse than none.

A lone word that is a title, nationality, stop word, contraction or a word the
article also writes in lower case ("Following", "Office"); a plural or -ing form
capitalised only where a sentence opens ("Critics", "Appearing"); key words that
are all nationality or party words ("Lib Dem"); a name cut off before it began
("Analysing Mr"). A name before a role after it ("the Eastfold Marsh MP") is a
place's unless the article writes it without the role (`named_without_role`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from searchkit.ingest.memo import memo as _memo
from searchkit.ingest.names import _bare, _core, _key_tokens, _role_after
from searchkit.ingest.words import _DEMONYMS, _ORG_WORDS, _PEERAGE, _PLACES, _ROLES, _STOP, _TITLES

# Nouns of nationality for a person ("the Dutchman said"): a description, never a name.
_NATIONALITY_NOUNS: Final = frozenset(
    "Scot Scotsman Scotswoman Briton Brit Kiwi Aussie Spaniard Swede Dane Finn Pole Turk Frenchman Frenchwoman "
    "Englishman Englishwoman Irishman Irishwoman Welshman Welshwoman Dutchman Dutchwoman Yorkshireman "
    "Ulsterman Cornishman Manxman Lancastrian Geordie Scouser Cockney".split()
)


def _nationality(tok: str) -> bool:
    """Is `tok` a word of nationality or party ("Dutchman", "French", "Tory"), a description and no name?"""
    b = _bare(tok)
    return b in _NATIONALITY_NOUNS or b in _DEMONYMS


def _not_a_name(word: str, text: str) -> bool:
    """Is a lone word plainly no name: a title, nationality, stop word, contraction or common word?"""
    b = _bare(word)
    if b in _STOP or b in _TITLES or b in _ROLES or b in _DEMONYMS or b in _ORG_WORDS or b in _PEERAGE or b in _PLACES:
        return True
    if not b[:1].isupper() or re.search(r"['’](?:ve|ll|re|d|m|t)$", b):
        return True  # I've, Don't
    # A word the article also writes in lower case is a common word ("Following", "Office").
    low = b.lower()
    at = text.find(low)
    while at >= 0:
        end = at + len(low)
        if not (at and (text[at - 1].isalnum() or text[at - 1] == "-")) and not (
            end < len(text) and (text[end].isalnum() or text[end] == "-")
        ):
            return True
        at = text.find(low, end)
    return False


def _opens_sentence(text: str, at: int) -> bool:
    """Does the word at `at` open a sentence, a paragraph or a quotation (where any word is capitalised)?"""
    before = text[max(0, at - 8) : at].rstrip(" \t")
    if not before or before[-1] in '\n.!?…"“':
        return True
    return before[-1] in "'”’)" and before[:-1].rstrip()[-1:] in (".", "!", "?", "…")


def opens_only(text: str, word: str) -> bool:
    """Is `word` capitalised in `text` only where a sentence opens ("Possibly", "Results"): no name?"""
    at = text.find(word)
    while at >= 0:  # str.find, not a pattern per word: this is asked of many words
        end = at + len(word)
        whole = (not at or not (text[at - 1].isalnum() or text[at - 1] == "-")) and not text[end : end + 1].isalnum()
        if whole and not _opens_sentence(text, at):
            return False
        at = text.find(word, end)
    return True


# Endings of plural nouns and -ing forms ("Critics", "Voters", "Appearing"), rare in names: such a
# word capitalised only where a sentence opens is a common word. ("Williams" is left alone.)
_COMMON_ENDS: Final = ("ists", "ysts", "ics", "ians", "ers", "ors", "ants", "ents", "ions", "ges", "ves", "ing")
_COURTESY: Final = frozenset("Mr Mrs Ms Miss Mx Dr".split())


NAMED, NO_ONE, ROLE_AFTER = 0, 1, 2  # what `refusal` says of a candidate


@_memo(maxsize=1 << 14, maxlen=200)
def refusal(raw: str) -> int:
    """NO_ONE when `raw` names no one: key words all nationality or party words ("Lib Dem"),
    or "Mr" ending it ("Analysing Mr"); ROLE_AFTER when a role ends it ("Rita Vale MP", a
    person's; "the Eastfold Marsh MP", a place's: the article must tell); else NAMED."""
    core = _core(raw)
    if not core or _bare(core[-1]) in _COURTESY:
        return NO_ONE  # the name was cut off
    titled = _bare(raw.split()[0]) in _TITLES  # "Mr Irish", "Lord German"
    if not titled and all(_nationality(w) for w in _key_tokens(raw)):
        return NO_ONE
    return ROLE_AFTER if _role_after(raw) else NAMED


def named_without_role(text: str, kt: Sequence[str]) -> bool:
    """Is the name before a role ("Rita Vale MP") a person's, not a place's ("the Eastfold Marsh MP")?

    A person's is written elsewhere without the role ("Ms Vale", "Rita Vale said");
    a place's comes after "the" or a possessive ("the EU's Aid Commissioner").
    """
    if len(kt) < 2:
        return False
    full = " ".join(kt)
    if any(f"{t} {_bare(kt[-1])}" in text for t in _COURTESY):
        return True
    for m in re.finditer(re.escape(full), text):
        after = text[m.end() : m.end() + 16].split()
        if not after or not _role_after(after[0].strip(",;:")):
            return True  # written without the role
    return not any(
        text[max(0, m.start() - 5) : m.start()].endswith(("the ", "The ", "'s ", "’s "))
        for m in re.finditer(re.escape(full), text)
    )
