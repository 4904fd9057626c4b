"""Quote marks: which marks open, close or reopen a quotation, and its parts.

A news quote is speech between *double* marks: straight ``"…"``, curly
``“…”`` or guillemets ``«…»``. Single marks only ever nest inside a double
quote, so they are never treated as marks at all; that keeps every apostrophe
(``It's``, ``Twitter’s``, ``terrorists'``, ``'90s``) out of the way for free.
A quotation may have several parts: news style leaves a quote open at the end
of an original paragraph and reopens it at the next, so a part can end at a
reopening mark inside one block (archives merge paragraphs) or at the end of a
block whose successor reopens with a mark. `chains` links those parts.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

_Key = tuple[int, int]  # (paragraph, offset or part): article order

_MARK_RE: Final = re.compile(r'["“”«»]')
_STRAIGHT_MARK_RE: Final = re.compile(r'"')  # all an ASCII paragraph can hold, and re finds a literal fastest
_OPEN, _CLOSE, _EITHER = 0, 1, 2
_FAMILY: Final = {'"': '"', "“": "“", "”": "“", "«": "«", "»": "«"}
_OPEN_PREV: Final = set("([{:/—–-")  # a glued mark after these opens: read:"We …
_CLOSE_NEXT: Final = set(".,;:!?)]}…")  # a glued mark before these closes: "word",


def _classify(p: str, i: int) -> int:
    """Is the mark at p[i] opening, closing, or only decidable by state?"""
    c = p[i]
    prev = p[i - 1] if i > 0 else " "
    nxt = p[i + 1] if i + 1 < len(p) else " "
    ps, ns = prev.isspace(), nxt.isspace()
    if c == "«":
        return _OPEN
    if c == "»":
        return _CLOSE
    # Curly marks are trusted unless their spacing says the typesetter slipped.
    if c == "“":
        return _EITHER if (ns and not ps) else _OPEN
    if c == "”":
        return _EITHER if (ps and not ns) else _CLOSE
    if ps and not ns:
        return _OPEN
    if ns and not ps:
        return _CLOSE
    if ps and ns:
        return _EITHER
    if prev in _OPEN_PREV:
        return _OPEN
    if nxt in _CLOSE_NEXT:
        return _CLOSE
    return _EITHER


class _Span(NamedTuple):  # a named tuple: made for every quote, and cheap to make
    open: int  # index of the opening mark
    close: int  # index of the closing mark, or len(paragraph) when unclosed
    closed: bool
    start: int  # trimmed text span
    end: int
    linked: bool = False  # left open and reopened by the next span: one quotation

    @property
    def after(self) -> int:
        return self.close + 1 if self.closed else self.close


def _span(p: str, o: int, c: int, closed: bool, linked: bool = False) -> _Span | None:
    s, e = o + 1, c
    while s < e and p[s].isspace():
        s += 1
    while e > s and p[e - 1].isspace():
        e -= 1
    return _Span(o, c, closed, s, e, linked) if s < e else None


_REOPENS_AFTER: Final = set(".!?…,;:'’)]")  # a quote left open here and reopened goes on (news style)


def _pair(p: str) -> list[_Span]:
    """Match marks left to right; an unclosed quote ends the list."""
    spans: list[_Span] = []
    open_at, fam = -1, ""
    for m in (_STRAIGHT_MARK_RE if p.isascii() else _MARK_RE).finditer(p):
        i, c = m.start(), m.group()
        kind = _classify(p, i)
        if open_at < 0:
            if kind != _CLOSE:  # a stray closer outside a quote is ignored
                open_at, fam = i, _FAMILY[c]
            continue
        if fam == "«":
            closes, reopen = c == "»", c == "«"
        elif fam == "“":  # straight marks inside curly ones are nested quotes
            closes = c == "”" or (c == "“" and kind == _EITHER)
            reopen = c == "“" and kind == _OPEN
        else:  # straight: accept a sloppy curly closer too
            closes = (c == '"' and kind != _OPEN) or c == "”"
            reopen = c == '"' and kind == _OPEN
        if closes:
            sp = _span(p, open_at, i, True)
            if sp:
                spans.append(sp)
            open_at = -1
        elif reopen:
            # News style leaves a quote open at the end of an original paragraph and
            # reopens it at the next; merged blocks hold both. After a sentence's end
            # the open part is speech going on; otherwise the earlier opener was stray.
            sp = _span(p, open_at, i, False, True)
            if sp and p[sp.end - 1] in _REOPENS_AFTER:
                spans.append(sp)
            open_at = i
    if open_at >= 0:
        sp = _span(p, open_at, len(p), False)
        if sp:
            spans.append(sp)
    return spans


def _outside(p: str, spans: list[_Span]) -> list[tuple[int, int]]:
    """The stretches of `p` outside its quotes, as (start, end) offsets.

    Words inside a quote are neither attributions nor mentions, so scans skip them.
    Each stretch after a quote starts at the mark that closes it, a non-word
    character that patterns may need to see in front of a word; no quote mark is
    part of a verb or a name, so scans come out the same as over the whole text.
    """
    out = []
    lo = 0
    for s in spans:
        out.append((lo, s.open))
        lo = s.close  # len(p) for an unclosed quote, which runs to the end
    out.append((lo, len(p)))
    return out


def _chains(paras: list[str], spans: list[list[_Span]]) -> tuple[dict[_Key, int], list[list[_Key]]]:
    """Quotations of several parts: reopened inside a block, or across blocks.

    An unclosed quote at a block's end goes on only if the next block reopens
    with a mark right at its start; otherwise the mark was stray.
    """
    n = len(paras)
    cont_in = [False] * n
    for i in range(n - 1):
        if spans[i] and not spans[i][-1].closed and spans[i + 1]:
            nxt = paras[i + 1]
            if spans[i + 1][0].open == len(nxt) - len(nxt.lstrip()):
                cont_in[i + 1] = True
    chain_of: dict[_Key, int] = {}
    chains: list[list[_Key]] = []
    prev_links = False  # the part before this one goes on into it
    for i in range(n):
        for j, sp in enumerate(spans[i]):
            continues = prev_links or (j == 0 and cont_in[i])
            last = j == len(spans[i]) - 1
            goes_on = sp.linked or (last and not sp.closed and i + 1 < n and cont_in[i + 1])
            if continues and chains:
                chains[-1].append((i, j))
                chain_of[(i, j)] = len(chains) - 1
            elif goes_on:
                chain_of[(i, j)] = len(chains)
                chains.append([(i, j)])
            prev_links = goes_on
        if not (i + 1 < n and cont_in[i + 1]):
            prev_links = False
    return chain_of, chains
