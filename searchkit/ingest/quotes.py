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

from searchkit.ingest.attribution import _FULL, _OTHER, _PARTIAL, _attribute, _Event, _events, _is_speech
from searchkit.ingest.names import _quoted_name
from searchkit.ingest.quotemarks import _chains, _pair
from searchkit.ingest.speakers import _Registry

__all__ = ["Quote", "extract"]


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words, without the marks
    start: int  # character span of `text` inside its paragraph
    end: int
    speaker: str | None  # full name where the article tells it
    partial: bool = False  # a fragment built into the writer's sentence: called it "a disgrace"


def _extract(paragraphs: Sequence[str]) -> list[tuple[Quote, ...]]:
    paras = [p if isinstance(p, str) else "" for p in paragraphs]
    n = len(paras)
    spans = [_pair(p) for p in paras]
    # Paragraphs after the last one with a quote cannot change any result: attributions
    # are looked for in the quote's own paragraph, and names only ever resolve to names
    # seen earlier. So attributions and names are gathered up to that paragraph only.
    live = max((i + 1 for i in range(n) if spans[i]), default=0)
    if not live:
        return [() for _ in paras]

    chain_of, chains = _chains(paras, spans)
    events = [_events(paras[i], spans[i]) if i < live else [] for i in range(n)]
    reg = _Registry(paras, spans)
    speech: list[list[int]] = [[] for _ in range(n)]  # per paragraph, per quote part: _FULL …
    for i in range(live):
        p = paras[i]
        for j, sp in enumerate(spans[i]):
            if chain_of and (i, j) in chain_of:
                is_speech = _FULL
            elif not sp.closed:
                is_speech = _OTHER  # stray opener: never swallow the rest
            else:
                is_speech = _is_speech(p, sp, events[i])
                if not is_speech:
                    name = _quoted_name(p[sp.start : sp.end])
                    if name:  # "Abu al-Walid" introduces a name for later "Walid"
                        reg.add((i, sp.start), name, "quoted")
            speech[i].append(is_speech)

    # Resolve attributions in article order so "Smith"/"he" see earlier names only.
    for i in range(live):
        for ev in events[i]:
            key = (i, ev.start)
            if ev.kind == "name" and ev.raw:
                ev.speaker = reg.resolve(ev.raw, key)
                reg.add(key, ev.speaker, "speaker")
            elif ev.kind == "pronoun":
                ev.speaker = reg.pronoun(key)

    found: dict[tuple[int, int], tuple[_Event | None, int]] = {}
    for i in range(live):
        p, sps = paras[i], spans[i]
        for j, sp in enumerate(sps):
            if speech[i][j]:
                nxt = sps[j + 1].open if j + 1 < len(sps) else len(p)
                found[(i, j)] = _attribute(p, sp, events[i], nxt)

    def speaker_of(parts: list[tuple[int, int]]) -> str | None:
        cands = [(found[k][1], idx, found[k][0]) for idx, k in enumerate(parts) if k in found]
        for _, _, ev in sorted(cands, key=lambda c: (c[0], c[1])):
            if ev is not None and ev.speaker:
                return ev.speaker
        return None

    chain_speaker = [speaker_of(c) for c in chains]
    result: list[tuple[Quote, ...]] = []
    for i in range(n):
        p = paras[i]
        quotes: list[Quote] = []
        for j, sp in enumerate(spans[i]):
            if not speech[i][j]:
                continue
            cid = chain_of.get((i, j)) if chain_of else None
            if cid is not None:
                who = chain_speaker[cid]
            else:  # speaker_of([(i, j)]), the common case, without the sorting
                ev = found[(i, j)][0]
                who = ev.speaker if ev is not None and ev.speaker else None
            quotes.append(Quote(p[sp.start : sp.end], sp.start, sp.end, who, speech[i][j] == _PARTIAL))
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
