"""Sentence starts of a paragraph, found once per paragraph and shared by every stage.

Attribution (a fragment's sentence), speech tests and pronoun resolution all ask
"where does the sentence holding this offset start?". Scanning the paragraph
from its beginning for every question made that scan one of the extractor's
largest costs, so the whole paragraph is scanned once (`starts`) and a question
only rescans the one sentence before its offset (`start_before`).

`start_before(p, pos)` is exactly what a scan of ``p[:pos]`` alone gives: the
sentence ends of the whole paragraph that lie before `pos` are the same in both
scans (a sentence end is matched from its first mark and looks one character
past itself), so only the last sentence, where the two may differ at `pos`,
is scanned again, with `pos` as the end of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Final

from searchkit.ingest.names import _SENT_END_RE, _is_abbrev

# With no "!", "?" or "…" in a paragraph every sentence end starts with a full stop: the
# same pattern opening with that literal, which re finds fastest of all.
_DOT_END_RE: Final = re.compile(r"\.[.!?…]*[\"”’')\]]*(?=\s|$)")
_END_MARK_RE: Final = re.compile(r"[.!?…]")  # the first character of every _SENT_END_RE match
_MAX_CACHED: Final = 4096  # paragraphs remembered; a full cache starts over (an article has far fewer)
_cache: dict[str, list[int]] = {}


def _scan(p: str, lo: int, hi: int) -> list[int]:
    """Start offsets of the sentences of p[lo:hi], with `hi` read as the end of the text."""
    found = [lo]
    dots_only = "!" not in p and "?" not in p and "…" not in p
    for m in (_DOT_END_RE if dots_only else _SENT_END_RE).finditer(p, lo, hi):
        at = m.start()
        # "Mr. Smith": a full stop that ends an abbreviation ends no sentence
        if p[at] == "." and _is_abbrev(p[max(found[-1], at - 12) : at + 1].rsplit(None, 1)[-1]):
            continue
        found.append(m.end())
    return found


def starts(p: str) -> list[int]:
    """Start offsets of every sentence of `p`, the first being 0 (cached; do not modify)."""
    found = _cache.get(p)
    if found is None:
        if len(_cache) >= _MAX_CACHED:
            _cache.clear()
        found = _cache[p] = _scan(p, 0, len(p))
    return found


def start_before(p: str, pos: int) -> int:
    """Start of the last sentence of ``p[:pos]``: where the sentence holding `pos` starts."""
    st = starts(p)
    k = bisect_left(st, pos)
    lo = st[k - 1] if k else 0
    # A sentence end starts with one of these marks: without any, the rescan finds none.
    if not _END_MARK_RE.search(p, lo, pos):
        return lo
    return _scan(p, lo, pos)[-1]


def starts_below(p: str, hi: int) -> list[int]:
    """The sentence starts of `p` before offset `hi` (a new list)."""
    st = starts(p)
    return st[: bisect_left(st, hi)]
