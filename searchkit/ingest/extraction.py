"""The extractor's stages put together: one article's paragraphs -> its quotations' spans and speakers.

Quote marks and chains (`quotemarks`), then each paragraph's attributions
(`attribution`, `tags`), then which quoted spans are speech (full or partial)
and which are titles or scare quotes, then the speakers, resolved across the
article (`speakers`), one speaker for all parts of one quotation. `quotes`
wraps the result in `Quote`s: this module returns plain tuples, so that it can
be compiled (`native`) while the public types stay ordinary Python.
"""

from __future__ import annotations

import re
from typing import Final

from searchkit.ingest.attribution import (
    _FULL,
    _OTHER,
    _PARTIAL,
    _attribute,
    _Event,
    _events,
    _is_speech,
    _partial_source,
    _sentence_start,
)
from searchkit.ingest.described import role_words
from searchkit.ingest.names import _key_tokens, _quoted_name
from searchkit.ingest.quotemarks import _chains, _pair, _Span
from searchkit.ingest.speakers import _Registry
from searchkit.ingest.tags import loose_tags, passive_target, relative_tags

__all__ = ["spans"]

_Found = tuple[int, int, str | None, bool]  # start, end, speaker, partial
_Part = tuple[int, int]  # (paragraph, quote part)
_COLON_BEFORE_RE: Final = re.compile(r":\s*$")  # a quote introduced by the clause before it
_SAYING_RE: Final = re.compile(r",\s+(?:saying|adding|insisting|arguing|warning|declaring|telling [\w ]{1,30}):\s*$")


def _kinds(
    paras: list[str],
    spans: list[list[_Span]],
    events: list[list[_Event]],
    chain_of: dict[_Part, int],
    reg: _Registry,
    live: int,
) -> list[list[int]]:
    """Per paragraph, per quote part: _FULL, _PARTIAL or _OTHER."""
    kinds: list[list[int]] = [[] for _ in paras]
    for i in range(live):
        p = paras[i]
        for j, sp in enumerate(spans[i]):
            if (i, j) in chain_of:
                kind = _FULL
            elif not sp.closed:
                kind = _OTHER  # stray opener: never swallow the rest
            else:
                kind = _is_speech(p, sp, events[i])
                name = _quoted_name(p[sp.start : sp.end]) if kind == _OTHER else None
                if name:  # "Abu al-Walid" introduces a name for later "Walid"
                    reg.add((i, sp.start), name, "quoted")
            kinds[i].append(kind)
    return kinds


def _resolve_events(events: list[list[_Event]], reg: _Registry) -> None:
    """Name each attribution, in article order so that "Smith" sees earlier names.

    Pronouns, descriptions and lone surnames are resolved only when a quote needs
    them (`_who`): most "he said" or "Smith said" in a long article tag no
    quotation, and a resolution reads the paragraphs before it.
    """
    for i, evs in enumerate(events):
        for ev in evs:
            key = (i, ev.start)
            if ev.kind == "name" and ev.raw and len(_key_tokens(ev.raw)) < 2:
                reg.add_pending(key, ev.raw)  # a surname: resolved when a quote or pronoun needs it
                continue
            if ev.kind in ("name", "org", "body") and ev.raw:
                ev.speaker = reg.resolve(ev.raw, key, org=ev.kind != "name")
                if ev.kind != "name":
                    reg.last_org = ev.speaker
                if ev.kind == "body" and ev.speaker:
                    reg.orgs.add(ev.speaker)  # "he" or "she" is never the FA (but may be its spokesman)
            elif ev.kind == "spokes":
                ev.speaker = reg.last_org
            elif ev.kind in ("outlet", "kind"):
                ev.speaker = reg.outlet(key) if ev.kind == "outlet" else reg.of_kind(key, ev.raw or "")
                if ev.speaker:
                    reg.orgs.add(ev.speaker)  # a paper or a company is never "he" or "she"
            if ev.speaker:
                reg.add(key, ev.speaker, "speaker")


def _who(ev: _Event | None, i: int, reg: _Registry) -> str | None:
    """The speaker of an attribution, resolving a pronoun or description on first use."""
    if ev is None:
        return None
    if ev.kind == "pronoun" and ev.speaker is None:
        role = role_words(ev.raw) if ev.raw else None  # "the mayor": whom the article made mayor
        ev.speaker = reg.by_role((i, ev.start), role) if role else reg.focus((i, ev.start))
        if ev.speaker:
            reg.add((i, ev.start), ev.speaker, "speaker")
        ev.kind = "said"  # resolved, found or not
    elif ev.kind == "name" and ev.speaker is None:
        ev.speaker = reg.settle((i, ev.start))
        ev.kind = "said"
    elif ev.kind == "owner":
        ev.speaker = reg.resolve(ev.raw or "", (i, ev.start))
        ev.kind = "said"
    return ev.speaker


def _introduced(
    p: str,
    sps: list[_Span],
    j: int,
    before: tuple[str | None, int] | None,
    reg: _Registry,
    i: int,
) -> tuple[str, int] | None:
    """The speaker of quote j, introduced by a colon with no attribution of its own.

    The introducing clause's subject ('On Monday, AS offers one view: "…"'), else
    the speaker of the quote before it in the same sentence ('thanked "…", adding: "…"'),
    else the sentence's subject ('Party chairman Liam Fox derided it, saying: "…"').
    """
    lo = _sentence_start(p, sps[j].open)
    named = reg.clause_subject(i, lo, sps[j].open)
    if named:
        return named, 2
    if j and before and before[0] and sps[j - 1].open >= lo:
        return before[0], 3
    if _SAYING_RE.search(p, lo, sps[j].open):
        subject = reg.subject(i, lo, sps[j].open)
        return (subject, 3) if subject else None
    return None


def _part_speakers(
    paras: list[str], spans: list[list[_Span]], events: list[list[_Event]], kinds: list[list[int]], reg: _Registry
) -> dict[_Part, tuple[str | None, int]]:
    """Each speech part's speaker and how strong the evidence is (lower wins)."""
    found: dict[_Part, tuple[str | None, int]] = {}
    last: str | None = None  # the speaker of the previous quotation, for untagged follow-ons
    for i, sps in enumerate(spans[: len(kinds)]):
        p = paras[i]
        for j, sp in enumerate(sps):
            if not kinds[i][j]:
                continue
            if kinds[i][j] == _PARTIAL:
                ev, lo = _partial_source(p, sp, events[i])
                if ev is not None:
                    who = _who(ev, i, reg)
                else:  # "X was described as "…"": X is no speaker
                    who = None if passive_target(p, lo, sp.open) else reg.subject(i, lo, sp.open)
                found[(i, j)] = (who, 3)
            else:
                nxt = sps[j + 1].open if j + 1 < len(sps) else len(p)
                ev, rank = _attribute(p, sp, events[i], nxt)
                who = _who(ev, i, reg)
                if rank >= 4 and _COLON_BEFORE_RE.search(p, 0, sp.open):
                    who, rank = _introduced(p, sps, j, found.get((i, j - 1)), reg, i) or (who, rank)
                if rank >= 4 and last and not p[: sp.open].strip():
                    who, rank = last, 3  # a paragraph opening with an untagged quote goes on
                found[(i, j)] = (who, rank)
            last = found[(i, j)][0] or last
    return found


def spans(paras: list[str]) -> list[list[_Found]]:
    """Each paragraph's quotations as (start, end, speaker, partial), in text order."""
    spans = [_pair(p) for p in paras]
    # Paragraphs after the last one with a quote cannot change any attribution, so
    # attributions are gathered up to that paragraph only.
    live = max((i + 1 for i, sps in enumerate(spans) if sps), default=0)
    if not live:
        return [[] for _ in paras]
    chain_of, chains = _chains(paras, spans)
    events = [_events(paras[i], spans[i]) for i in range(live)]
    for i in range(live):
        if spans[i]:
            extra = loose_tags(paras[i], spans[i], events[i])
            if extra:
                events[i] = sorted(events[i] + extra, key=lambda ev: ev.start)
            events[i] = relative_tags(paras[i], spans[i], events[i])
    reg = _Registry(paras, spans)
    kinds = _kinds(paras, spans, events, chain_of, reg, live)
    _resolve_events(events, reg)
    found = _part_speakers(paras, spans, events, kinds, reg)
    for chain in chains:  # one quotation, one speaker: the best evidence of any part
        best = (
            min((found[k][1], n, found[k][0]) for n, k in enumerate(chain) if found[k][0])
            if any(found[k][0] for k in chain)
            else None
        )
        for k in chain:
            found[k] = (best[2] if best else None, 0)
    return [
        [
            (sp.start, sp.end, found[(i, j)][0], kinds[i][j] == _PARTIAL)
            for j, sp in enumerate(spans[i])
            if i < live and kinds[i][j]
        ]
        for i in range(len(paras))
    ]
