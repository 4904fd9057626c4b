"""Outlets and organisations: which one "the paper says" or "the company said" means.

A press review quotes what outlets wrote and names each one as the subject of
what it does ("Marca refers to …", "On Monday, AS offers …") or with its kind
in front ("Spanish daily ABC", "the tabloid Bild"); "the paper says" then
means the outlet named last before it. A person's name, a place, a title or a
common word is no outlet, and with no outlet named the speaker stays unknown.

"The company said" and "the band" likewise mean the last organisation that
spoke before them or, failing that, the one named last with that kind in
front ("games firm Valve", "US band Scissor Sisters") (`last_kind`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from searchkit.ingest.names import _bare, _initials
from searchkit.ingest.quotemarks import _Key, _outside, _Span
from searchkit.ingest.words import _ORG_WORDS

# Subject words that mean an outlet: "the paper says", "said the newspaper".
OUTLET_NOUNS: Final = frozenset("paper newspaper daily tabloid magazine weekly broadsheet website".split())
# Subject words that mean an organisation of that kind: "the company said", "the band thanked".
ORG_NOUNS: Final = frozenset(
    "company firm group band club bank airline carrier retailer operator broadcaster charity "
    "agency organisation organization association union".split()
)
_KIND_RES: Final = {n: re.compile(rf"\b{n}s?\s+([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){{0,3}})") for n in ORG_NOUNS}

_NAME: Final = r"[A-Z][\w&.-]*"
# "daily ABC", "the tabloid Bild", "newspaper El Mundo": the kind names the outlet after it.
_KIND_BEFORE_RE: Final = re.compile(
    r"\b(?:daily|newspaper|paper|tabloid|magazine|weekly|broadsheet|website)\s+" + rf"({_NAME}(?:\s+{_NAME}){{0,3}})"
)
# A name opening a sentence or clause, then a verb: "Marca refers", ", AS offers", "Arab News reported".
_SUBJECT_RE: Final = re.compile(
    rf"(?:^|(?<=[.!?:;,\"”])\s+|\b(?:And|But|and|but)\s+)(?:The\s+)?({_NAME}(?:\s+{_NAME}){{0,2}})\s+[a-z]+(?:s|ed)\b"
)


def _outlet_like(name: str, text: str, not_a_name: Callable[[str], bool], person: Callable[[str], bool]) -> bool:
    """Could `name` be an outlet: a name with a press word, or one word that is no person's surname?

    A lone word must come back in the article (a review names its outlets again and
    again), which keeps out a sentence's opening word before a plural ("More plaudits").
    """
    words = [_bare(w) for w in name.split()]
    if len(words) > 1:
        return any(w in _ORG_WORDS for w in words)  # "Daily Record", "New York Times"
    w = words[0]
    if text.count(w) < 2 or len(re.findall(rf"(?<!\w){re.escape(w)}(?!\w)", text)) < 2:
        return False
    return (_initials(w) or not not_a_name(w)) and not person(w)


def last_outlet(
    paras: Sequence[str],
    spans: Sequence[list[_Span]],
    key: _Key,
    not_a_name: Callable[[str], bool],
    person: Callable[[str], bool],
) -> str | None:
    """The outlet named last before `key`, outside quotes; `person(word)`: is it someone's surname?"""
    found: tuple[_Key, str] | None = None
    text = "\n".join(paras)
    for i in range(key[0] + 1):
        p = paras[i]
        for lo, hi in _outside(p, spans[i]):
            hi = min(hi, key[1]) if i == key[0] else hi
            cands = [(m.start(1), m.group(1)) for m in _KIND_BEFORE_RE.finditer(p, lo, hi)]
            cands += [
                (m.start(1), m.group(1))
                for m in _SUBJECT_RE.finditer(p, lo, hi)
                if _outlet_like(m.group(1), text, not_a_name, person)
            ]
            for off, name in cands:
                if found is None or (i, off) > found[0]:
                    found = (i, off), _bare(name)
    return found[1] if found else None


def last_kind(
    paras: Sequence[str], spans: Sequence[list[_Span]], key: _Key, noun: str, spoke: list[tuple[_Key, str]]
) -> str | None:
    """The organisation "the `noun`" at `key` means: the last that spoke, else the last named with that kind in front.

    `spoke`: the organisations that spoke before `key`, with where. One that spoke
    is the article's subject; one named with its kind may be a rival in passing
    ("Rival club Manchester City has pleaded …").
    """
    if spoke:
        return spoke[-1][1]
    kind_re = _KIND_RES[noun]
    found: tuple[_Key, str] | None = None
    for i in range(key[0] + 1):
        p = paras[i]
        if noun not in p:
            continue
        for lo, hi in _outside(p, spans[i]):
            hi = min(hi, key[1]) if i == key[0] else hi
            for m in kind_re.finditer(p, lo, hi):
                found = (i, m.start(1)), _bare(m.group(1))
    return found[1] if found else None
