"""A role as a speaker: "the mayor said" is the one person the article gave that role.

News writers name a person once with their role - a title or job words before
the name (``Prime Minister Tony Blair``, ``London mayor Ken Livingstone``,
``chief executive Jane Roe``) or an apposition (``Ken Livingstone, the mayor of
London,``, ``the new chairman, Arthur Pell,``) - and later call them by the
role alone: ``the prime minister said``, ``The mayor then says``. Such a
description is that person, found by the role, not the person the article
talked about last (who may be someone else entirely). A role the article gave
to two people names no one; a role the article gave to nobody is the person
it is talking about, unless the article gave that person another office.

A role given with a qualifier the description lacks (``Shadow Chancellor``,
``deputy mayor``, ``former prime minister``) is another office: "the
chancellor" is not the shadow chancellor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from searchkit.ingest.quotemarks import _outside, _Span
from searchkit.ingest.words import _ROLES, _TITLES

# Offices and jobs a description may end with that the article gives one person
# ("the mayor", "the chief executive", "the striker"); not age, nationality or
# praise ("the 22-year-old", "the Dutchman", "the champion"), which mean whom the
# article is talking about.
OFFICES: Final = frozenset(
    "minister secretary president chancellor mayor chairman chairwoman executive director manager coach captain "
    "striker leader governor senator ambassador commissioner premier treasurer prosecutor editor boss skipper "
    "goalkeeper midfielder defender winger keeper".split()
)
# Words that make a role another office than the bare one: "the chancellor" is not the shadow chancellor.
_QUALIFIERS: Final = frozenset(
    "shadow former deputy vice acting ex assistant interim junior caretaker outgoing incoming then opposition "
    "late".split()
)
_AGE_RE: Final = re.compile(r"\d+-year-old")
# Up to four role words right before a name: "London mayor |Ken", "Shadow Home Secretary |David".
_BEFORE_RE: Final = re.compile(r"((?:[A-Za-z][\w-]*\s+){1,4})$")
# After a name: ", the mayor of London", ", chief executive of Acme", ", Acme's chief executive".
_APPOS_AFTER_RE: Final = re.compile(
    r",\s+(?:the\s+|(?:[A-Z][\w&.-]*\s+){0,3}[A-Z][\w&.-]*['’]s\s+)?((?:[A-Za-z][\w-]*\s+){0,3}[a-z][\w-]*)"
    r"(?=\s*[,.;]|\s+(?:of|for|at|in)\b)"
)
# Before a name in commas: "The new chairman, |Arthur Pell,", "Their lawyer, |Jo Bell,".
_APPOS_BEFORE_RE: Final = re.compile(
    r"\b(?:[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s+((?:[A-Za-z][\w-]*\s+){0,3}[A-Za-z][\w-]*),\s*$"
)
# Offices "the minister" may mean: any member of the government.
_MINISTERS: Final = frozenset({"minister", "secretary", "chancellor"})
# Words that end a role before a name: it is a clause ("said", "and"), not a title.
_NOT_ROLE: Final = frozenset(
    "the a an and or but of for at in on to by with from as said says told that this his her its their".split()
)


def role_words(raw: str) -> tuple[str, ...] | None:
    """The role of a description, or None when it names no office.

    "the prime minister" -> (prime, minister); a proper noun in it keeps its
    capital ("the Chester chairman" -> (Chester, chairman)): the article may
    have given the role without it ("chairman Steve Vaughan").
    """
    words = raw.split()
    if not words or words[-1].strip(".,;:").lower() not in OFFICES:
        return None  # "he", "the 22-year-old": asked of every pronoun, so answered first
    words = [w.strip(".,;:") for w in words]
    if words[:1] in (["the"], ["The"]):
        words = words[1:]
    words = [w for w in words if w and not _AGE_RE.fullmatch(w)]  # "the 31-year-old striker": the striker
    if not words or words[-1].lower() not in OFFICES:
        return None
    return tuple(w.lower() if w.islower() or w in _TITLES or w in _ROLES else w for w in words)


def fits(desc: tuple[str, ...], role: Sequence[str], strict: bool = False) -> bool:
    """Does the role an article gave (`role`, lower case) answer to the description `desc`?

    `strict`: the description's proper nouns must be in the role too ("the
    Chester chairman" is not the Leeds chairman), asked when two people fit.
    """
    if not role or role[-1] != desc[-1].lower():
        return False
    if any(w in _QUALIFIERS and w not in desc for w in role):
        return False  # "Shadow Chancellor" for "the chancellor"
    return all(w.lower() in role for w in desc if strict or w.islower())  # "the London mayor": London


def another_office(desc: tuple[str, ...], roles: Sequence[Sequence[str]]) -> bool:
    """Do `roles`, all given to one person, make them someone else than `desc`?

    "the minister" is any member of the government: a secretary or the chancellor too.
    """
    if desc == ("minister",) and any(r[-1] in _MINISTERS for r in roles):
        return False
    return not any(fits(desc, r) for r in roles)


def _role_before(text: str) -> list[str]:
    """The role words ending `text` (right before a name), lower case, nearest last."""
    m = _BEFORE_RE.search(text)
    if m is None:
        return []
    words = m.group(1).split()
    while words and words[0].lower() in _NOT_ROLE:
        words = words[1:]  # "said the |Acme chief executive": only what follows "the"
    out: list[str] = []
    for w in reversed(words):
        if w.lower() in _NOT_ROLE:
            break
        out.insert(0, w.lower())
    return out


def _roles_of(p: str, o: int, name: str) -> list[list[str]]:
    """The roles paragraph `p` gives the name mentioned at `o`: before it, in commas before it, after it."""
    pos = p.find(name, o)
    if pos < 0:
        return []
    roles = [_role_before(p[max(0, pos - 80) : pos])]
    before = _APPOS_BEFORE_RE.search(p, max(0, o - 80), o)
    if before:
        roles.append(before.group(1).lower().split())
    after = _APPOS_AFTER_RE.match(p, pos + len(name))
    if after:
        roles.append(after.group(1).lower().split())
    return roles


def introduced(
    paras: Sequence[str],
    spans: Sequence[list[_Span]],
    mentions_in: Callable[[int], list[tuple[int, str, bool]]],
    key: tuple[int, int],
    words: tuple[str, ...],
) -> list[tuple[str, list[list[str]]]]:
    """The names, as written, that the article before `key` gives an office, with those roles (outside quotes).

    Only the names that hold one of `words`, as written: the role's last word
    ("mayor", "Mayor"), or a person's surname. Paragraphs without them are not
    read: a role is asked for often, and most paragraphs give none.
    """
    i, off = key
    out: list[tuple[str, list[list[str]]]] = []
    for j in range(i + 1):
        p = paras[j]
        if not any(w in p for w in words):
            continue
        outside = _outside(p, spans[j])
        for o, name, _ in mentions_in(j):
            if (j == i and o >= off) or not any(lo <= o < hi for lo, hi in outside):
                continue
            roles = [r for r in _roles_of(p, o, name) if r and r[-1] in OFFICES]
            if roles and any(w in name or w.lower() in r for w in words for r in roles):
                out.append((name, roles))
    return out
