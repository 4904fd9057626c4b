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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

__all__ = ["Quote", "extract"]


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words, without the marks
    start: int  # character span of `text` inside its paragraph
    end: int
    speaker: str | None  # full name where the article tells it


# ---------------------------------------------------------------- quote marks

_MARK_RE = re.compile(r'["“”«»]')
_OPEN, _CLOSE, _EITHER = 0, 1, 2
_FAMILY = {'"': '"', "“": "“", "”": "“", "«": "«", "»": "«"}
_OPEN_PREV = set("([{:/—–-")  # a glued mark after these opens: read:"We …
_CLOSE_NEXT = set(".,;:!?)]}…")  # a glued mark before these closes: "word",


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


@dataclass(frozen=True)
class _Span:
    open: int  # index of the opening mark
    close: int  # index of the closing mark, or len(paragraph) when unclosed
    closed: bool
    start: int  # trimmed text span
    end: int

    @property
    def after(self) -> int:
        return self.close + 1 if self.closed else self.close


def _span(p: str, o: int, c: int, closed: bool) -> _Span | None:
    s, e = o + 1, c
    while s < e and p[s].isspace():
        s += 1
    while e > s and p[e - 1].isspace():
        e -= 1
    return _Span(o, c, closed, s, e) if s < e else None


def _pair(p: str) -> list[_Span]:
    """Match marks left to right; an unclosed quote ends the list."""
    spans: list[_Span] = []
    open_at, fam = -1, ""
    for m in _MARK_RE.finditer(p):
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
        elif reopen:  # the earlier opener was stray: don't let it swallow text
            open_at = i
    if open_at >= 0:
        sp = _span(p, open_at, len(p), False)
        if sp:
            spans.append(sp)
    return spans


# ---------------------------------------------------------------- names

_TOK_RE = re.compile(r"[^\s,;:!?()\[\]{}\"“”«»—–]+")
_STOP = frozenset(
    "A An And As At After Although Because Before But By During Each Even For From "
    "He Her Here His How However I If In Instead It Its Last Later Meanwhile My Next "
    "No Not Now Of On Once One Or Our She So Some Since Still That The Their Then "
    "There These They This Those Though Thus To Today Tomorrow Under Until We What "
    "When Where While Who Why With Yesterday Yet You Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday".split()
)
_TITLES = frozenset(
    "Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Lord Lady President Vice Prime "
    "Minister Senator Sen Rep Gov Governor Gen General Col Colonel Capt Captain Lt "
    "Sgt Chancellor Secretary Judge Justice Rev Reverend Father King Queen Prince "
    "Princess Pope Mayor Detective Inspector Chief Ambassador Commissioner Deputy "
    "Foreign Home Defence Defense Health Chairman Chairwoman Director Sheikh".split()
)
_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})
_PARTICLES = frozenset({"al", "el", "bin", "bint", "ibn", "de", "del", "della", "der", "van", "von", "da", "di", "du", "la", "le", "dos", "das"})
_ORG_WORDS = frozenset(
    "Journal Times Post News Street State States University Company Inc Ltd Party "
    "Council Ministry Department Agency Group Bank Court Union Association "
    "Committee Police Office Institute Foundation Advisory Corp Reuters Press".split()
)
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "his", "her", "its", "their", "our", "my", "your", "these", "those"})
_AUX = frozenset(
    "also later then earlier once has have had was is reportedly recently previously "
    "further again would will separately subsequently".split()
)


def _bare(tok: str) -> str:
    return tok.rstrip(".")


def _is_abbrev(tok: str) -> bool:
    """A dotted token that does not end a sentence: an initial, Mr., Jr., St."""
    b = _bare(tok)
    return tok.endswith(".") and ((len(b) == 1 and b.isalpha()) or b in _TITLES or b in _SUFFIXES or b == "St")


def _is_name_tok(tok: str) -> bool:
    b = _bare(tok)
    if not b or b.endswith(("'s", "’s", "'", "’")):  # Smith's spokesman is not Smith
        return False
    if b[0].isupper():
        return True
    return "-" in b and any(part[:1].isupper() for part in b.split("-")[1:])  # al-Walid


def _valid_name(toks: list[str]) -> bool:
    core = [_bare(t) for t in toks if _bare(t) not in _TITLES and _bare(t) not in _SUFFIXES]
    # Needs a real word with lower case: rules out "CEO", "ISIS", lone initials.
    return any(len(t) > 1 and any(ch.islower() for ch in t) for t in core)


def _collect(toks: list[str], backward: bool) -> list[int]:
    """Indices of the name run at the end (backward) or start of `toks`."""
    order = range(len(toks) - 1, -1, -1) if backward else range(len(toks))
    run: list[int] = []
    for j in order:
        t = toks[j]
        ends_sentence = t.endswith(".") and not _is_abbrev(t)
        if _is_name_tok(t):
            if ends_sentence and backward:
                break  # "… the United States. Smith said": States is not Smith
            if not backward and run and _bare(t) in _STOP:
                break
            run.append(j)
            if ends_sentence:
                break
            continue
        near = toks[j - 2 : j] if backward else toks[j + 1 : j + 3]
        if t in _PARTICLES and run and any(_is_name_tok(x) for x in near):
            run.append(j)  # Ursula von der Leyen
            continue
        break
    run.sort()
    while run and (_bare(toks[run[0]]) in _STOP or toks[run[0]] in _PARTICLES):
        run.pop(0)
    while run and toks[run[-1]] in _PARTICLES:
        run.pop()
    return run if len(run) <= 7 and _valid_name([toks[i] for i in run]) else []


def _join(toks: list[str]) -> str:
    out = list(toks)
    if out and out[-1].endswith(".") and not _is_abbrev(out[-1]):
        out[-1] = _bare(out[-1])
    return " ".join(out)


def _toks_before(p: str, pos: int, touch: bool = False) -> list[tuple[int, str]]:
    """Whitespace-separated tokens ending at `pos` (punctuation stops the run)."""
    lo = max(0, pos - 200)
    seg = p[lo:pos]
    out: list[tuple[int, str]] = []
    edge = len(seg)
    for m in reversed(list(_TOK_RE.finditer(seg))):
        gap = seg[m.end() : edge]
        if not (gap.isspace() or (touch and not gap and not out)):
            break
        out.append((m.start() + lo, m.group()))
        edge = m.start()
        if len(out) >= 10:
            break
    out.reverse()
    return out


def _toks_after(p: str, pos: int) -> list[tuple[int, str]]:
    seg = p[pos : pos + 200]
    out: list[tuple[int, str]] = []
    edge = 0
    for m in _TOK_RE.finditer(seg):
        if not seg[edge : m.start()].isspace():
            break
        out.append((m.start() + pos, m.group()))
        edge = m.end()
        if len(out) >= 10:
            break
    return out


# ---------------------------------------------------------------- attributions

_VERB_RE = re.compile(
    r"\b(?:say|says|said|tell|tells|told|add|adds|added|tweets|tweeted|write|writes|wrote|"
    r"posts|posted|explain|explains|explained|warn|warns|warned|argue|argues|argued|claims|"
    r"claimed|insist|insists|insisted|notes|noted|states|stated|ask|asks|asked|reply|replies|"
    r"replied|[Aa]ccording to)\b"
)
_SUBJECT_ONLY = frozenset({"tell", "tells", "told"})  # "told X": X is the listener
# Only unambiguous verbs may stand unnamed ("…," the company said) and block a
# farther, wrong name; "posts"/"notes" are too often nouns.
_ANON_OK = frozenset({"say", "says", "said", "told", "added", "according to"})
_ROLE_RE = re.compile(r",\s*([a-z0-9][^,\"“”«»]{0,120}),\s*$")  # X, chief officer of Y, said
# A name in apposition to a role: "the manager, Alex Ferguson, said" / "said the manager, Alex Ferguson".
_NAME = r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)"
_APPOS_BEFORE_RE = re.compile(r"\b(?:the|a|an|its|their|his|her)\s+[a-z][a-z\s-]{0,60},\s*" + _NAME + r",\s*$")
_APPOS_AFTER_RE = re.compile(r"\s*(?:the|a|an|its|their|his|her)\s+[a-z][a-z\s-]{0,60},\s*" + _NAME)


@dataclass
class _Event:
    start: int  # span covering subject and verb
    end: int
    raw: str | None  # the name as written, or the pronoun
    kind: str  # "name" | "pronoun" | "anon"
    speaker: str | None = None  # resolved later


def _subject(p: str, vstart: int) -> tuple[int, str, str] | None:
    toks = _toks_before(p, vstart)
    words = [t for _, t in toks]
    i = len(words) - 1
    while i >= 0 and len(words) - 1 - i < 2 and (words[i] in _AUX or (words[i].endswith("ly") and words[i].islower())):
        i -= 1  # "Smith later said", "he has said"
    if i < 0:
        return None
    w = words[i].lower()
    if w in ("he", "she"):
        return toks[i][0], words[i], "pronoun"
    if w in ("they", "we", "it", "i", "you"):
        return toks[i][0], words[i], "anon"
    run = _collect(words[: i + 1], backward=True)
    if run:
        return toks[run[0]][0], _join([words[k] for k in run]), "name"
    return None


def _apposition(p: str, vs: int, ve: int, verb: str) -> _Event | None:
    m = _APPOS_BEFORE_RE.search(p[max(0, vs - 160) : vs])
    if m and _valid_name(m.group(1).split()):
        return _Event(max(0, vs - 160) + m.start(1), ve, m.group(1), "name")
    if verb in _SUBJECT_ONLY:
        return None
    m = _APPOS_AFTER_RE.match(p, ve)
    if m and _valid_name(m.group(1).split()):
        name = m.group(1)
        if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
            name = name[:-1]  # the sentence's full stop, not an initial
        return _Event(vs, m.start(1) + len(name), name, "name")
    return None


def _events(p: str, spans: list[_Span]) -> list[_Event]:
    out: list[_Event] = []
    for m in _VERB_RE.finditer(p):
        vs, ve, verb = m.start(), m.end(), m.group()
        if any(s.open <= vs <= s.close for s in spans):
            continue  # words inside a quote are not attributions
        before = _toks_before(p, vs)
        if before and before[-1][1].lower() in _DETERMINERS:
            continue  # "the said account", "his claims"
        ev = _apposition(p, vs, ve, verb)
        according = verb.lower() == "according to"
        subj = None if according or ev else _subject(p, vs)
        if subj:
            ev = _Event(subj[0], ve, subj[1], subj[2])
        elif ev is None and not according and not before:
            role = _ROLE_RE.search(p[max(0, vs - 250) : vs])
            if role:
                cut = max(0, vs - 250) + role.start()
                toks = _toks_before(p, cut, touch=True)
                run = _collect([t for _, t in toks], backward=True)
                if run:
                    ev = _Event(toks[run[0]][0], ve, _join([toks[k][1] for k in run]), "name")
        if ev is None and verb not in _SUBJECT_ONLY:
            toks = _toks_after(p, ve)
            run = _collect([t for _, t in toks], backward=False)
            if run and all(_bare(toks[k][1]) in _STOP for k in range(run[0])):
                last = toks[run[-1]]
                ev = _Event(vs, last[0] + len(last[1]), _join([toks[k][1] for k in run]), "name")
        if ev is None and (verb in _ANON_OK or according):
            ev = _Event(vs, ve, None, "anon")
        if ev is not None:
            out.append(ev)
    return out


# ---------------------------------------------------------------- speech test

_PUNCT_RE = re.compile(r"[,.?!…]")
_SMALL = frozenset("a an and as at but by for from in of on or the to with".split())
_ADJ_AFTER_RE = re.compile(r"[\s,.;:!?—–-]*")
_ADJ_BEFORE_RE = re.compile(r"[\s,;:—–-]*")


def _adjacent(p: str, sp: _Span, events: list[_Event], named_only: bool) -> tuple[_Event | None, int]:
    for ev in events:
        if ev.start >= sp.after and _ADJ_AFTER_RE.fullmatch(p[sp.after : ev.start]):
            if not (named_only and ev.kind == "anon"):
                return ev, 1
            break
    for ev in reversed(events):
        if ev.end <= sp.open and _ADJ_BEFORE_RE.fullmatch(p[ev.end : sp.open]):
            if not (named_only and ev.kind == "anon"):
                return ev, 2
            break
    return None, 0


def _is_speech(p: str, sp: _Span, events: list[_Event]) -> bool:
    text = p[sp.start : sp.end]
    if _PUNCT_RE.search(text) or _adjacent(p, sp, events, True)[0] is not None:
        return True
    words = text.split()
    if len(words) < 4:
        return False  # a name, title or scare quote
    content = [w for w in words if w.lower() not in _SMALL and w[:1].isalpha()]
    title = bool(content) and words[0][:1].isupper() and all(w[0].isupper() for w in content)
    return not title  # "The Lord of the Rings" is a title, not speech


def _quoted_name(text: str) -> str | None:
    toks = text.split()
    if not 2 <= len(toks) <= 4 or not _is_name_tok(toks[0]):
        return None
    if all(_is_name_tok(t) or t in _PARTICLES for t in toks) and _valid_name(toks):
        return " ".join(toks)
    return None


# ---------------------------------------------------------------- resolution

_Key = tuple[int, int]  # (paragraph, offset): article order


def _core(name: str) -> list[str]:
    toks = name.split()
    while toks and _bare(toks[0]) in _TITLES:
        toks.pop(0)
    return toks


def _key_tokens(name: str) -> list[str]:
    toks = _core(name)
    while toks and _bare(toks[-1]) in _SUFFIXES:
        toks.pop()
    return toks


def _ends_with(full: str, surname: str) -> bool:
    kt = _key_tokens(full)
    if len(kt) < 2:
        return False
    last = _bare(kt[-1])
    return last == surname or last.endswith("-" + surname)  # al-Walid ends with Walid


class _Registry:
    """Names seen so far in the article, with where they were seen."""

    def __init__(self) -> None:
        self.entries: list[tuple[_Key, str, str]] = []  # (key, name, kind)

    def add(self, key: _Key, name: str, kind: str) -> None:
        self.entries.append((key, name, kind))

    def resolve(self, raw: str, key: _Key) -> str:
        core = _core(raw)
        kt = _key_tokens(raw)
        if len(kt) >= 2:
            return " ".join(core)
        if len(kt) != 1:
            return raw
        surname = _bare(kt[0])
        for tier in (("speaker", "quoted"), ("mention",)):
            cands = {n for k, n, kind in self.entries if k < key and kind in tier and _ends_with(n, surname)}
            if len(cands) == 1:
                return cands.pop()
            if cands:
                return raw  # ambiguous: keep what the article wrote
        return raw

    def pronoun(self, key: _Key) -> str | None:
        for tier in (("speaker",), ("quoted", "person")):
            best = [(k, n) for k, n, kind in self.entries if k < key and kind in tier]
            if best:
                return max(best)[1]
        return None


_TOKCH = r"[^\s,;:!?()\[\]{}\"“”«»—–]"
# A token (as _TOK_RE) that does not start with an ASCII lower-case letter or digit, or
# that holds a hyphen (al-Walid), or is a name particle (von der).
_NAME_CAND_RE = re.compile(
    rf"(?<!{_TOKCH})(?:(?![a-z0-9]){_TOKCH}+|{_TOKCH}*-{_TOKCH}*|(?:{'|'.join(sorted(_PARTICLES))})(?!{_TOKCH}))"
)


def _mentions(p: str, spans: list[_Span]) -> list[tuple[int, str, bool]]:
    """Capitalised multi-word names outside quotes: (offset, name, person-like)."""
    masked = list(p)
    for s in spans:
        for i in range(s.open, min(s.close + 1, len(p))):
            masked[i] = '"'
    text = "".join(masked)
    out: list[tuple[int, str, bool]] = []
    run: list[tuple[int, str]] = []
    edge = 0

    def flush() -> None:
        if len(run) < 2:  # a name needs two key words; most runs are one capitalised word
            run.clear()
            return
        words = [t for _, t in run]
        idx = _collect(words, backward=False) if words else []
        names = [_bare(words[i]) if i == idx[-1] else words[i] for i in idx] if idx else []
        kt = _key_tokens(" ".join(names))
        if len(kt) >= 2:
            person = len(kt) <= 4 and not any(_bare(w) in _ORG_WORDS for w in kt)
            out.append((run[idx[0]][0], " ".join(_core(" ".join(names))), person))
        run.clear()

    # Only tokens that can be part of a name; any other token lies in a gap that is
    # not pure white space, which ends the run exactly as visiting it would.
    for m in _NAME_CAND_RE.finditer(text):
        t = m.group()
        if run and not text[edge : m.start()].isspace():
            flush()
        edge = m.end()
        if _is_name_tok(t) or (t in _PARTICLES and run):
            run.append((m.start(), t))
            if t.endswith(".") and not _is_abbrev(t):
                flush()
        elif run:
            flush()
    if run:
        flush()
    return out


# ---------------------------------------------------------------- extraction

_SENT_END_RE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s|$)")


def _sentence_end(p: str, pos: int) -> int:
    """End of the sentence that follows `pos` (needs some words first)."""
    for m in _SENT_END_RE.finditer(p, pos):
        if not re.search(r"\w", p[pos : m.start()]):
            continue
        prev = re.search(r"\S+$", p[pos : m.start() + 1])
        if prev and m.group().startswith(".") and _is_abbrev(prev.group()):
            continue
        return m.end()
    return len(p)


def _attribute(p: str, sp: _Span, events: list[_Event], next_open: int) -> tuple[_Event | None, int]:
    """The attribution of one quote part, and how strong the evidence is (lower wins)."""
    ev, rank = _adjacent(p, sp, events, False)
    if ev is not None:
        return ev, rank
    wend = min(next_open, _sentence_end(p, sp.after))
    for ev in events:
        if sp.after <= ev.start < wend:
            return ev, 3
    for ev in reversed(events):
        if ev.end <= sp.open:
            return ev, 4
    for ev in events:
        if ev.start >= sp.after:
            return ev, 5
    return None, 9


def _extract(paragraphs: Sequence[str]) -> list[tuple[Quote, ...]]:
    paras = [p if isinstance(p, str) else "" for p in paragraphs]
    n = len(paras)
    spans = [_pair(p) for p in paras]

    # Chains: an unclosed quote continues only if the next paragraph reopens
    # with a mark right at its start; otherwise the mark was stray.
    cont_in = [False] * n
    for i in range(n - 1):
        nxt = paras[i + 1]
        lead = len(nxt) - len(nxt.lstrip())
        if spans[i] and not spans[i][-1].closed and spans[i + 1] and spans[i + 1][0].open == lead:
            cont_in[i + 1] = True
    chain_of: dict[tuple[int, int], int] = {}
    chains: list[list[tuple[int, int]]] = []
    for i in range(n):
        for j, sp in enumerate(spans[i]):
            continues = j == 0 and cont_in[i]
            goes_on = j == len(spans[i]) - 1 and not sp.closed and i + 1 < n and cont_in[i + 1]
            if continues and (i - 1, len(spans[i - 1]) - 1) in chain_of:
                cid = chain_of[(i - 1, len(spans[i - 1]) - 1)]
            elif continues or goes_on:
                cid = len(chains)
                chains.append([])
            else:
                continue
            chain_of[(i, j)] = cid
            chains[cid].append((i, j))

    events = [_events(paras[i], spans[i]) for i in range(n)]
    reg = _Registry()
    speech: dict[tuple[int, int], bool] = {}
    for i in range(n):
        p = paras[i]
        for j, sp in enumerate(spans[i]):
            if (i, j) in chain_of:
                speech[(i, j)] = True
            elif not sp.closed:
                speech[(i, j)] = False  # stray opener: never swallow the rest
            else:
                speech[(i, j)] = _is_speech(p, sp, events[i])
                if not speech[(i, j)]:
                    name = _quoted_name(p[sp.start : sp.end])
                    if name:  # "Abu al-Walid" introduces a name for later "Walid"
                        reg.add((i, sp.start), name, "quoted")
        for off, name, person in _mentions(p, spans[i]):
            reg.add((i, off), name, "mention")
            if person:
                reg.add((i, off), name, "person")

    # Resolve attributions in article order so "Smith"/"he" see earlier names only.
    for i in range(n):
        for ev in events[i]:
            key = (i, ev.start)
            if ev.kind == "name" and ev.raw:
                ev.speaker = reg.resolve(ev.raw, key)
                reg.add(key, ev.speaker, "speaker")
            elif ev.kind == "pronoun":
                ev.speaker = reg.pronoun(key)

    found: dict[tuple[int, int], tuple[_Event | None, int]] = {}
    for i in range(n):
        p = paras[i]
        for j, sp in enumerate(spans[i]):
            if speech[(i, j)]:
                nxt = spans[i][j + 1].open if j + 1 < len(spans[i]) else len(p)
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
            if not speech[(i, j)]:
                continue
            cid = chain_of.get((i, j))
            who = chain_speaker[cid] if cid is not None else speaker_of([(i, j)])
            quotes.append(Quote(p[sp.start : sp.end], sp.start, sp.end, who))
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
