"""Loose tags: a quote tagged right after its closing mark by a verb of any kind.

Attributions are found by their reporting verbs (`attribution`), but writers
vary the verb: ``"…," the paper beams``, ``"…!" he laughed.`` A quote whose
words end in a comma, question or exclamation mark goes on in the writer's
sentence, so a subject and one verb right after it, ending that clause, tag
it whatever the verb. The subject must be one an attribution can have: he or
she, a description ("the paper", "the 22-year-old") or a name.
"""

from __future__ import annotations

import re

from searchkit.ingest.attribution import _described, _Event
from searchkit.ingest.names import _collect, _join, _valid_name
from searchkit.ingest.outlets import OUTLET_NOUNS
from searchkit.ingest.quotemarks import _Span

_TAG_RE = re.compile(
    r"\s*(?P<subject>[Hh]e|[Ss]he|the (?:[a-z][\w-]* ){0,2}[a-z][\w-]*|(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*)"
    r"\s+(?P<verb>[a-z]+(?:s|ed))(?=\s*[.,;:!?]|\s*$)"
)
_GOES_ON = frozenset(",?!")  # the quote's last character when the writer's sentence goes on after it


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
