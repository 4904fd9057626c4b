"""Loose attributions: a quote tagged or introduced by a verb of any kind.

Attributions are found by their reporting verbs (`attribution`), but writers
vary the verb: ``"…," the paper beams``, ``"…!" he laughed.`` A quote whose
words end in a comma, question or exclamation mark goes on in the writer's
sentence, so a subject and one verb right after it, ending that clause, tag
it whatever the verb (`loose_tags`). The subject must be one an attribution
can have: he or she, a description ("the paper", "the 22-year-old") or a name.

A clause's subject (`clause_subject`) is the name right before its verb at the
start of a sentence or clause: ``On Monday, AS offers one view: "…"``,
``And like AS, Marca criticises Neville for "…"`` - whoever introduces a quote
with a colon, or whose sentence holds a fragment.

A relative clause on a name (`relative_tags`) attributes what its reporting or
attitude verb governs to that name: ``Mr Hale, who has described the plan as
"a gamble", said …`` and ``Ms Rowe, who says she is "standing firm", had
accused …`` are Hale's and Rowe's words. An attitude verb in the passive
(`passive_target`: ``Hale was described as "…"``) makes its subject the
target of the words, not their speaker.
"""

from __future__ import annotations

import re
from typing import Final

from searchkit.ingest.attribution import _described, _Event
from searchkit.ingest.cues import _CUE_RE
from searchkit.ingest.names import _collect, _join, _toks_before, _valid_name, _word
from searchkit.ingest.outlets import OUTLET_NOUNS
from searchkit.ingest.quotemarks import _outside, _Span

_TAG_RE: Final = re.compile(
    r"\s*(?P<subject>[Hh]e|[Ss]he|the (?:[a-z][\w-]* ){0,2}[a-z][\w-]*|(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*)"
    r"\s+(?P<verb>[a-z]+(?:s|ed))(?=\s*[.,;:!?]|\s*$)"
)
_GOES_ON: Final = frozenset(",?!")  # the quote's last character when the writer's sentence goes on after it


def _subject_kind(subject: str) -> tuple[str, str] | None:
    """(raw, kind) of a tag's subject, or None when it cannot be a speaker."""
    words = subject.split()
    low = [w.lower() for w in words]
    if low[0] in ("he", "she"):
        return words[0], "pronoun"
    if low[0] == "the":
        if len(low) == 2 and low[1] in OUTLET_NOUNS:
            return low[1], "outlet"
        return (subject, "pronoun") if _described(low) else None
    run = _collect(words, backward=False)
    if len(run) == len(words) and _valid_name(words):
        return _join(words), "name"
    return None


def loose_tags(p: str, spans: list[_Span], events: list[_Event]) -> list[_Event]:
    """Tags right after quotes that no attribution of `events` already covers."""
    out: list[_Event] = []
    for sp in spans:
        if not sp.closed or p[sp.start : sp.end][-1:] not in _GOES_ON:
            continue
        m = _TAG_RE.match(p, sp.after)
        if m is None or any(m.start() <= ev.start < m.end() or ev.start <= m.start() < ev.end for ev in events):
            continue
        found = _subject_kind(m.group("subject"))
        if found:
            out.append(_Event(m.start("subject"), m.end("verb"), found[0], found[1]))
    return out


# Where a clause may start inside a sentence: after a comma, semicolon or colon, or "And"/"But".
_CLAUSE_START_RE: Final = re.compile(r"[,;:]\s+|\b(?:And|But|and|but)\s+")
# A name then its verb: "Marca criticises", "Vargas does not", "AS offers" (not "Marca's headline").
_NAME_VERB_RE: Final = re.compile(
    r"((?:[A-Z](?:[\w.&-]|['’](?!s\b))*\s+){0,3}[A-Z](?:[\w.&-]|['’](?!s\b))*)\s+(?:[a-z]+ly\s+)?([a-z]+(?:s|ed)|did)\b"
)


def clause_subject(p: str, spans: list[_Span], lo: int, hi: int, cue: bool = False) -> tuple[int, str] | None:
    """(offset, name as written) of the first clause in p[lo:hi] that opens with a name and its verb.

    Leading stop words are not part of the name ("But Robinson said"). `cue`: the
    verb must be a reporting or attitude word ("Marca criticises", not "Lucas presented").
    """
    for a, b in _outside(p, spans):
        a, b = max(a, lo), min(b, hi)
        if a >= b:
            continue
        starts = [a] if a == lo else []
        starts += [m.end() for m in _CLAUSE_START_RE.finditer(p, a, b)]
        for pos in starts:
            m = _NAME_VERB_RE.match(p, pos, b)
            if m is None or (cue and not _CUE_RE.match(m.group(2))):
                continue
            words = m.group(1).split()
            k = next((k for k, w in enumerate(words) if not _word(w).stop), len(words))
            if k < len(words):
                return m.start(1) + len(" ".join(words[:k])) + (1 if k else 0), " ".join(words[k:])
    return None


# `NAME, who [has] [also] VERB`: the verb a reporting or attitude one. Only these verb forms:
# a relative clause with any other verb ("who founded", "who posted") says nothing about words.
_RELATIVE_VERBS: Final = (
    "say|says|said|tell|tells|told|add|adds|added|describe|describes|described|call|calls|called|"
    "brand|brands|branded|dub|dubs|dubbed|label|labels|labelled|labeled|term|termed|accuse|accuses|accused|"
    "criticise|criticises|criticised|criticize|criticizes|criticized|condemn|condemns|condemned|"
    "attack|attacks|attacked|warn|warns|warned|claim|claims|claimed|insist|insists|insisted|"
    "admit|admits|admitted|deny|denies|denied|promise|promises|promised|pledge|pledges|pledged|"
    "vow|vows|vowed|urge|urges|urged|argue|argues|argued|dismiss|dismisses|dismissed|"
    "reject|rejects|rejected|praise|praises|praised|hail|hails|hailed|slam|slams|slammed|"
    "blame|blames|blamed|predict|predicts|predicted|write|writes|wrote|written|declare|declares|declared"
)
_RELATIVE_RE: Final = re.compile(
    r",\s+who\s+(?:(?:has|have|had|is|was|also|once|then|later|earlier|already|previously|recently|"
    r"repeatedly|publicly|famously|last\s+week|last\s+year)\s+){0,3}(?:" + _RELATIVE_VERBS + r")\b"
)


def relative_tags(p: str, spans: list[_Span], events: list[_Event]) -> list[_Event]:
    """`events` with each ``NAME, who … VERB`` clause an attribution of NAME.

    An attribution found inside that clause ("who says" with no subject of its
    own) is replaced by it. Only a name right before the comma qualifies: a
    description or a pronoun there ("the minister, who said") is left alone.
    """
    if ", who " not in p:  # most paragraphs: one scan of the text
        return events
    found: list[_Event] = []
    for a, b in _outside(p, spans):
        for m in _RELATIVE_RE.finditer(p, a, b):
            toks = _toks_before(p, m.start(), touch=True)
            run = _collect(toks.words, backward=True)
            words = [toks.words[k] for k in run]
            if not run or run[-1] != len(toks.words) - 1 or not _valid_name(words):
                continue
            if _word(words[-1]).ends or (run[0] and toks.words[run[0] - 1] == "of"):
                continue  # "the daughter of King Paul of Elbonia, who": whose clause is unclear
            found.append(_Event(toks.start(run[0]), m.end(), _join(words), "name"))
    if not found:
        return events
    kept = [ev for ev in events if not any(f.start <= ev.start < f.end for f in found)]
    return sorted(kept + found, key=lambda ev: ev.start)


# An attitude verb in the passive before a fragment: the sentence's subject is its target, not
# its speaker ("The album was described as "a triumph"", unless "by" names the speaker).
_PASSIVE: Final = (
    r"(?:was|were|is|are|been|being|be)\s+(?:[a-z]+ly\s+)?(?:described|called|branded|labell?ed|dubbed|"
    r"termed|hailed|praised|criticised|criticized|condemned|attacked|accused|slammed|dismissed|derided)\b"
    r"(?![^\"“”]*\bby\b)[^\"“”]*$"
)
_PASSIVE_RE: Final = re.compile(rf"\b{_PASSIVE}")
# `passive_target` asks only whether there is one: the non-word character before the
# auxiliary is matched instead of \b, so that re skips ahead to such characters instead
# of trying every offset (a match right at the start is tried on its own, with \b).
_PASSIVE_AFTER_RE: Final = re.compile(rf"\W{_PASSIVE}")


def passive_target(p: str, lo: int, hi: int) -> bool:
    """Does p[lo:hi], a fragment's sentence before it, hold an attitude verb in the passive without "by"?"""
    return bool(_PASSIVE_RE.match(p, lo, hi) or _PASSIVE_AFTER_RE.search(p, lo, hi))
