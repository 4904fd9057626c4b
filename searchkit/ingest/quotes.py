"""Quotations in news paragraphs, and who said them.

A news quote is speech between *double* marks: straight ``"…"``, curly
``“…”`` or guillemets ``«…»``. Single marks only ever nest inside a double
quote, so they are never treated as marks at all; that keeps every apostrophe
(``It's``, ``Twitter’s``, ``terrorists'``, ``'90s``) out of the way for free.
A quote may run over several paragraphs: each continued paragraph reopens with
a mark and only the last one closes, and every paragraph gets a `Quote` for
its part. Short quoted names, titles and scare quotes (``"Abu al-Walid"``) are
not speech. The speaker comes from the usual attribution patterns (``"…,"
says X`` / ``X said`` / ``according to X`` / ``As X tweets, "…"``); pronouns
and bare surnames resolve to a full name seen earlier in the same article.

`extract` is pure and total: any list of strings in, never an exception out,
and every span satisfies ``paragraph[q.start:q.end] == q.text``.

It runs on every paragraph at indexing time, so it is written for speed, with
results exactly those of a plain word-by-word reading: each scan of a paragraph
is one regular expression that re can run without trying a match at every
character, and it skips the text inside quotes; per-word predicates and
per-name results are cached; names mentioned in passing are only gathered
when a pronoun or bare surname needs them, and only from the paragraphs that
can hold the answer; and paragraphs after an article's
last quote are not read for attributions at all, as nothing there can change
a speaker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from searchkit.ingest.attribution import (
    _FULL,
    _OTHER,
    _PARTIAL,
    _attribute,
    _Event,
    _events,
    _is_speech,
    _partial_source,
)
from searchkit.ingest.names import _quoted_name
from searchkit.ingest.quotemarks import _chains, _pair, _Span
from searchkit.ingest.speakers import _Registry

__all__ = ["Quote", "extract"]


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words, without the marks
    start: int  # character span of `text` inside its paragraph
    end: int
    speaker: str | None  # full name where the article tells it
    partial: bool = False  # a fragment built into the writer's sentence: called it "a disgrace"


_Part = tuple[int, int]  # (paragraph, quote part)


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
    """Name each attribution, in article order so that "Smith" and "he" see earlier names."""
    for i, evs in enumerate(events):
        for ev in evs:
            key = (i, ev.start)
            if ev.kind in ("name", "org") and ev.raw:
                ev.speaker = reg.resolve(ev.raw, key)
                if ev.kind == "org":
                    reg.last_org = ev.speaker
            elif ev.kind == "pronoun":
                ev.speaker = reg.focus(key)
            elif ev.kind == "spokes":
                ev.speaker = reg.last_org
            if ev.speaker:
                reg.add(key, ev.speaker, "speaker")


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
                who = ev.speaker if ev is not None else reg.subject(i, lo, sp.open)
                found[(i, j)] = (who, 3)
            else:
                nxt = sps[j + 1].open if j + 1 < len(sps) else len(p)
                ev, rank = _attribute(p, sp, events[i], nxt)
                who = ev.speaker if ev is not None else None
                if rank >= 4 and last and not p[: sp.open].strip():
                    who, rank = last, 3  # a paragraph opening with an untagged quote goes on
                found[(i, j)] = (who, rank)
            last = found[(i, j)][0] or last
    return found


def _extract(paragraphs: Sequence[str]) -> list[tuple[Quote, ...]]:
    paras = [p if isinstance(p, str) else "" for p in paragraphs]
    spans = [_pair(p) for p in paras]
    # Paragraphs after the last one with a quote cannot change any attribution, so
    # attributions are gathered up to that paragraph only.
    live = max((i + 1 for i, sps in enumerate(spans) if sps), default=0)
    if not live:
        return [() for _ in paras]
    chain_of, chains = _chains(paras, spans)
    events = [_events(paras[i], spans[i]) for i in range(live)]
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
    result: list[tuple[Quote, ...]] = []
    for i, p in enumerate(paras):
        quotes = [
            Quote(p[sp.start : sp.end], sp.start, sp.end, found[(i, j)][0], kinds[i][j] == _PARTIAL)
            for j, sp in enumerate(spans[i])
            if i < live and kinds[i][j]
        ]
        result.append(tuple(quotes))
    return result


def extract(paragraphs: Sequence[str]) -> list[tuple[Quote, ...]]:
    """Speech quotes of an article, one tuple per paragraph, in text order."""
    try:
        items = list(paragraphs)
    except Exception:
        return []
    try:
        return _extract(items)
    except Exception:  # a heuristic slip on one odd article must not stop indexing
        return [() for _ in items]
