"""Snippets: the best sentence-bounded fragment(s) of a paragraph, with highlight spans.

A snippet is data, not markup: the fragment's text (an exact slice of the
paragraph) and `(start, end)` character spans into it, so every renderer (TTY
colour, plain text, HTML, JSON) shows the same thing. Words are matched by stem,
so `accounts` lights up for a search on `account`; a run of matched words with
only spaces between them (a phrase) becomes one span.

Fragments are whole sentences wherever they fit in `width` characters; a lone
sentence longer than that is cropped at word boundaries around its matches.
When nothing in the paragraph matched (the hit came from the headline or the
speaker), the fragment is the paragraph's opening.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from functools import lru_cache

from searchkit import defaults
from searchkit.analysis import TOKEN_PATTERN, stem, text_analyzer
from searchkit.results import Snippet

# A sentence ends at . ! or ? (maybe followed by a closing quote or bracket), then
# space, then something that can start a sentence. Common abbreviations don't end one.
_BOUNDARY = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|vs|etc|Inc|Ltd|Co|No|e\.g|i\.e)|\b[A-Z])\.$"
)


@lru_cache(maxsize=200_000)
def _stem_of(word: str) -> str:
    return stem(word.lower())


_analyze = text_analyzer()


def _only_stop_words(gap: str) -> bool:
    """True when a gap between two matches is short and holds nothing the index keeps."""
    return len(gap) <= 24 and not any(c in gap for c in '.!?;:"“”') and not any(True for _ in _analyze(gap))


@lru_cache(maxsize=1024)
def _candidates(firsts: frozenset[str]) -> re.Pattern[str]:
    """The words of TOKEN_PATTERN that begin with one of `firsts` (either case) or a non-ASCII character.

    Lower-casing and stemming keep a word's first letter (accent folding may
    not, hence every non-ASCII start), so only these words can match and the
    others never reach Python. The look-behinds make a match start only where
    a TOKEN_PATTERN token starts (not inside a word, nor after an inner dot),
    so the candidates are exactly the tokens, not pieces of them.
    """
    chars = sorted({c for f in firsts for c in (f, f.upper()) if len(c) == 1})
    start = f"[{re.escape(''.join(chars))}]|" if chars else ""
    return re.compile(rf"(?<!\w)(?<!\w\.)(?={start}[^\x00-\x7f]){TOKEN_PATTERN.pattern}")


def match_spans(text: str, terms: Collection[str], phrase: bool = False) -> list[tuple[int, int]]:
    """Character spans of the words of `text` whose stem is in `terms`.

    Neighbouring matches separated only by spaces become one span; with `phrase`,
    also those separated only by stop words ("account is deleted").
    """
    spans: list[tuple[int, int]] = []
    if not terms:
        return spans
    for m in _candidates(frozenset(t[0] for t in terms if t)).finditer(text):
        word = m.group()
        if word.lower() in terms or _stem_of(word) in terms:
            gap = text[spans[-1][1] : m.start()] if spans else ""
            if spans and (not gap.strip(" -") or (phrase and _only_stop_words(gap))):
                spans[-1] = (spans[-1][0], m.end())
            else:
                spans.append((m.start(), m.end()))
    return spans


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `text`."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if _ABBREV.search(text[start : m.start()].rstrip("\"'”’)]")):
            continue
        out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text.rstrip())))
    return [(s, e) for s, e in out if e > s]


def make_snippets(
    text: str,
    terms: Collection[str],
    *,
    width: int = defaults.WIDTH,
    fragments: int = 1,
    phrase: bool = False,
    quotes: Collection[tuple[str, str]] = (),
) -> tuple[Snippet, ...]:
    """Up to `fragments` best non-overlapping fragments of `text`, in paragraph order.

    `quotes` are (quoted text, speaker) pairs of the paragraph: a fragment that
    shows part of a quotation but not its speaker's name carries the name.
    """
    width = max(width, 20)
    spans = match_spans(text, terms, phrase)
    if len(text) <= width and fragments >= 1:
        return (_snippet(text, 0, len(text), spans),)
    sents = sentences(text) or [(0, len(text))]
    windows = _windows(text, sents, spans, width)
    chosen: list[tuple[int, int]] = []
    for _score, s, e in sorted(windows, key=lambda w: (-w[0], w[1])):
        if len(chosen) >= fragments:
            break
        if all(e <= cs or s >= ce for cs, ce in chosen):
            chosen.append((s, e))
        if not spans:  # nothing matched here: the opening is the one fallback
            break
    return tuple(_attributed(_snippet(text, s, e, spans), text, quotes) for s, e in sorted(chosen))


def _attributed(snip: Snippet, text: str, quotes: Collection[tuple[str, str]]) -> Snippet:
    for quoted, speaker in quotes:
        at = text.find(quoted) if quoted and speaker else -1
        if at < 0 or at >= snip.end or at + len(quoted) <= snip.start:
            continue  # this quotation is not in the fragment
        if speaker not in snip.text and speaker.split()[-1] not in snip.text:
            return replace(snip, attribution=speaker)
    return snip


def _windows(
    text: str, sents: list[tuple[int, int]], spans: list[tuple[int, int]], width: int
) -> list[tuple[float, int, int]]:
    """Candidate fragments: runs of whole sentences within width, scored by what they match."""
    out: list[tuple[float, int, int]] = []
    for i, (start, _) in enumerate(sents):
        end = sents[i][1]
        if end - start > width:  # one long sentence: crop around its first match
            s, e = _crop(text, start, end, spans, width)
            out.append((_score(text, spans, s, e), s, e))
            continue
        for j in range(i, len(sents)):
            if sents[j][1] - start > width:
                break
            end = sents[j][1]
        out.append((_score(text, spans, start, end), start, end))
    return out


def _score(text: str, spans: list[tuple[int, int]], s: int, e: int) -> float:
    inside = [text[a:b].lower() for a, b in spans if a >= s and b <= e]
    # Distinct words matter most; earlier fragments win ties (they usually carry the lede).
    return len(set(inside)) * 10 + len(inside) - s / 1e6


def _crop(text: str, start: int, end: int, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    inside = [sp for sp in spans if sp[0] >= start and sp[1] <= end]
    centre = inside[0][0] if inside else start
    s = max(start, min(centre - width // 3, end - width))
    e = min(end, s + width)
    # Snap inward to word boundaries so no word is cut.
    if s > start:
        nxt = text.find(" ", s)
        s = nxt + 1 if 0 <= nxt < e else s
    if e < end:
        prev = text.rfind(" ", s, e)
        e = prev if prev > s else e
    return s, e


def _snippet(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> Snippet:
    local = tuple((a - s, b - s) for a, b in spans if a >= s and b <= e)
    return Snippet(text=text[s:e], highlights=local, start=s, end=e, paragraph_length=len(text))
