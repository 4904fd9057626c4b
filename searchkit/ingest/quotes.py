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

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

_T = TypeVar("_T")

__all__ = ["Quote", "extract"]


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words, without the marks
    start: int  # character span of `text` inside its paragraph
    end: int
    speaker: str | None  # full name where the article tells it
    partial: bool = False  # a fragment built into the writer's sentence: called it "a disgrace"


def _memo(maxsize: int, maxlen: int) -> Callable[[Callable[[str], _T]], Callable[[str], _T]]:
    """Cache a function of one string, for strings of at most `maxlen` characters.

    News text repeats the same words and names over and over, so their analysis is
    worth keeping. The bounds keep the memory small: a rare huge token is worked out
    afresh instead of being held on to, and a full cache simply starts over. The
    cached function is the cache's own `__getitem__`, so a hit runs no Python code.
    """

    def wrap(fn: Callable[[str], _T]) -> Callable[[str], _T]:
        class _Cache(dict):  # type: ignore[type-arg]
            def __missing__(self, s: str) -> _T:
                value = fn(s)
                if len(s) <= maxlen:
                    if len(self) >= maxsize:
                        self.clear()
                    self[s] = value
                return value

        return _Cache().__getitem__

    return wrap


# ---------------------------------------------------------------- quote marks

_MARK_RE = re.compile(r'["“”«»]')
_STRAIGHT_MARK_RE = re.compile(r'"')  # all an ASCII paragraph can hold, and re finds a literal fastest
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


_REOPENS_AFTER = set(".!?…,;:'’)]")  # a quote left open here and reopened goes on (news style)


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


# ---------------------------------------------------------------- names

_TOKCH = r"[^\s,;:!?()\[\]{}\"“”«»—–]"  # a token character: anything but white space and these marks
_TOK_RE = re.compile(rf"{_TOKCH}+")
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
_PARTICLES = frozenset(
    {
        "al",
        "el",
        "bin",
        "bint",
        "ibn",
        "de",
        "del",
        "della",
        "der",
        "van",
        "von",
        "da",
        "di",
        "du",
        "la",
        "le",
        "dos",
        "das",
    }
)
_ORG_WORDS = frozenset(
    "Journal Times Post News Street State States University Company Inc Ltd Party "
    "Council Ministry Department Agency Group Bank Court Union Association "
    "Committee Police Office Institute Foundation Advisory Corp Reuters Press".split()
)
_DETERMINERS = frozenset(
    {"the", "a", "an", "this", "that", "his", "her", "its", "their", "our", "my", "your", "these", "those"}
)
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


def _lower_core(tok: str) -> bool:
    """Does `tok` count towards `_valid_name`: a real word with lower case, not a title?"""
    b = _bare(tok)
    return b not in _TITLES and b not in _SUFFIXES and len(b) > 1 and any(ch.islower() for ch in b)


def _valid_name(toks: Sequence[str]) -> bool:
    # Needs a real word with lower case: rules out "CEO", "ISIS", lone initials.
    return any(_word(t).lower_core for t in toks)


class _Word(NamedTuple):
    """What the name heuristics ask of one token, worked out once per distinct token."""

    name: bool  # _is_name_tok
    ends: bool  # a full stop that ends a sentence, not an abbreviation's
    stop: bool  # its bare form is a stop word ("The", "He")
    particle: bool  # "von", "al"
    lower_core: bool  # see _lower_core


@_memo(maxsize=1 << 16, maxlen=64)
def _word(tok: str) -> _Word:
    return _Word(
        _is_name_tok(tok),
        tok.endswith(".") and not _is_abbrev(tok),
        _bare(tok) in _STOP,
        tok in _PARTICLES,
        _lower_core(tok),
    )


def _collect(toks: Sequence[str], backward: bool) -> list[int]:
    """Indices of the name run at the end (backward) or start of `toks`."""
    order = range(len(toks) - 1, -1, -1) if backward else range(len(toks))
    run: list[int] = []
    words: dict[int, _Word] = {}  # of the tokens visited, which include the whole run
    for j in order:
        w = words[j] = _word(toks[j])
        if w.name:
            if w.ends and backward:
                break  # "… the United States. Smith said": States is not Smith
            if not backward and run and w.stop:
                break
            run.append(j)
            if w.ends:
                break
            continue
        near = toks[j - 2 : j] if backward else toks[j + 1 : j + 3]
        if w.particle and run and any(_word(x).name for x in near):
            run.append(j)  # Ursula von der Leyen
            continue
        break
    if not run:
        return run
    run.sort()
    while run and (words[run[0]].stop or words[run[0]].particle):
        run.pop(0)
    while run and words[run[-1]].particle:
        run.pop()
    # _valid_name of the run's tokens
    return run if len(run) <= 7 and any(words[i].lower_core for i in run) else []


def _join(toks: list[str]) -> str:
    out = list(toks)
    if out and _word(out[-1]).ends:
        out[-1] = _bare(out[-1])
    return " ".join(out)


# A walk over up to 10 whole tokens, each after white space. One match finds how far
# the walk goes; matched on the reversed text, it walks backwards from a position.
_WALK_RE = re.compile(rf"(?:\s+{_TOKCH}+){{1,10}}")
_TOUCH_WALK_RE = re.compile(rf"\s*{_TOKCH}+(?:\s+{_TOKCH}+){{0,9}}")  # may start right at the token


class _Toks(NamedTuple):
    """The tokens of p[lo:hi], which holds only tokens and white space."""

    p: str
    lo: int
    hi: int
    words: list[str]

    def start(self, k: int) -> int:
        """Offset of words[k] in p (only needed once a subject is found, so not worked out up front)."""
        return [m.start() for m in _TOK_RE.finditer(self.p, self.lo, self.hi)][k]


def _toks(p: str, lo: int, hi: int) -> _Toks:
    return _Toks(p, lo, hi, p[lo:hi].split())


def _toks_before(p: str, pos: int, touch: bool = False) -> _Toks:
    """Whitespace-separated tokens ending at `pos` (punctuation stops the run).

    At most 10, from within the 200 characters before `pos`; the run must be
    separated from `pos` by white space unless `touch`.
    """
    rev = p[max(0, pos - 200) : pos][::-1]
    m = (_TOUCH_WALK_RE if touch else _WALK_RE).match(rev)
    return _toks(p, pos - m.end() if m else pos, pos)


def _toks_after(p: str, pos: int) -> _Toks:
    """Whitespace-separated tokens from `pos` on: at most 10, within 200 characters."""
    m = _WALK_RE.match(p, pos, pos + 200)
    return _toks(p, pos, m.end() if m else pos)


# ---------------------------------------------------------------- attributions

_VERB_WORDS = (
    "say says said tell tells told add adds added tweets tweeted write writes wrote "
    "posts posted explain explains explained warn warns warned argue argues argued claims "
    "claimed insist insists insisted notes noted states stated ask asks asked reply replies "
    "replied"
).split() + ["according to", "According to"]


def _by_initial(words: list[str]) -> str:
    """`say|says|tell` as `s(?:ay|ays)|t(?:ell)`: re then drops most words at their first letter."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in groups.items())


# The verbs as whole words, like \b(?:say|…)\b. A leading \b would make re attempt a
# match at every character; starting with the non-word character in front of the verb
# lets it skip ahead to the next one (no group: a capture costs at every attempt).
# In ASCII text that character is one of a small set, which re tests much faster than
# the Unicode class \W. A verb at the very start is matched on its own.
_VERB = rf"(?:{_by_initial(_VERB_WORDS)})\b"
_VERB_RE = re.compile(rf"\W{_VERB}")
_VERB_ASCII_RE = re.compile(rf"[\x00-/:-@\[-^`{{-\x7f]{_VERB}")  # ASCII but letters, digits, _
_VERB_AT_START_RE = re.compile(_VERB)


def _verbs(p: str, spans: list[_Span]) -> list[tuple[int, int, str]]:
    """(start, end, verb) of every attribution verb in `p` outside quotes, in text order."""
    verb_re = _VERB_ASCII_RE if p.isascii() else _VERB_RE
    out = []
    for lo, hi in _outside(p, spans):
        if lo == 0:
            m = _VERB_AT_START_RE.match(p, 0, hi)
            if m:
                out.append((0, m.end(), m.group()))
        # The scan may start at `lo` all the same: it cannot match inside that first
        # verb, whose only non-word character is the space of "according to".
        for m in verb_re.finditer(p, lo, hi):
            out.append((m.start() + 1, m.end(), m.group()[1:]))
    return out


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


def _subject(toks: _Toks) -> tuple[int, str, str] | None:
    """The subject at the end of `toks`, the tokens right before a verb."""
    words = toks.words
    i = len(words) - 1
    while i >= 0 and len(words) - 1 - i < 2 and (words[i] in _AUX or (words[i].endswith("ly") and words[i].islower())):
        i -= 1  # "Smith later said", "he has said"
    if i < 0:
        return None
    w = words[i].lower()
    if w in ("he", "she"):
        return toks.start(i), words[i], "pronoun"
    if w in ("they", "we", "it", "i", "you"):
        return toks.start(i), words[i], "anon"
    run = _collect(words[: i + 1], backward=True)
    if run:
        return toks.start(run[0]), _join([words[k] for k in run]), "name"
    return None


def _apposition(p: str, vs: int, ve: int, verb: str) -> _Event | None:
    seg = p[max(0, vs - 160) : vs]
    # The pattern ends in ",\s*$": without that comma it cannot match, and most verbs lack it.
    m = _APPOS_BEFORE_RE.search(seg) if seg.rstrip().endswith(",") else None
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
    for vs, ve, verb in _verbs(p, spans):  # words inside a quote are not attributions
        before = _toks_before(p, vs)
        if before.words and before.words[-1].lower() in _DETERMINERS:
            continue  # "the said account", "his claims"
        ev = _apposition(p, vs, ve, verb)
        according = verb.lower() == "according to"
        subj = None if according or ev else _subject(before)
        if subj:
            ev = _Event(subj[0], ve, subj[1], subj[2])
        elif ev is None and not according and not before.words:
            role = _ROLE_RE.search(p[max(0, vs - 250) : vs])
            if role:
                cut = max(0, vs - 250) + role.start()
                toks = _toks_before(p, cut, touch=True)
                run = _collect(toks.words, backward=True)
                if run:
                    ev = _Event(toks.start(run[0]), ve, _join([toks.words[k] for k in run]), "name")
        if ev is None and verb not in _SUBJECT_ONLY:
            toks = _toks_after(p, ve)
            words = toks.words
            run = _collect(words, backward=False)
            if run and all(_word(words[k]).stop for k in range(run[0])):
                last = words[run[-1]]
                ev = _Event(vs, toks.start(run[-1]) + len(last), _join([words[k] for k in run]), "name")
        if ev is None and (verb in _ANON_OK or according):
            ev = _Event(vs, ve, None, "anon")
        if ev is not None:
            out.append(ev)
    return out


# ---------------------------------------------------------------- speech test

_PUNCT_RE = re.compile(r"[,.?!…]")
_SMALL = frozenset("a an and as at but by for from in is of on or the to with".split())
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


# Words that name what follows rather than quote anyone: "the song "Angels"",
# "Marca's headline says it all: "…"", "a dictionary naming "blog" word of the year".
_NAMING_NOUN_RE = re.compile(
    r"\b(?:headlines?|titles?|songs?|singles?|album|film|movie|book|novel|play|show|programme|series|"
    r"slogan|motto|banner|word|term|phrase|expression|category|nickname|label|brand|catchphrase|hashtag|user ?name|handle|alias|pseudonym|code ?name|name)\b"
    r"(?:\s*[:,]?|\s+(?:says|said|reads?|ran|proclaim\w*)\b[^.!?\"“”]{0,12}:)\s*$",
    re.I,
)
_NAMING_VERB_RE = re.compile(r"\b(?:called|named|naming|titled|entitled|nicknamed|known as|dubbed|billed as)\s*$", re.I)
# Reporting and attitude words: a fragment they govern is someone's words ("called
# the plan "a disgrace"", "attacked the "reckless" cuts", "his allegation that … "cheated"").
_CUE_RE = re.compile(
    r"\b(?:s(?:ay|ays|aid|aying)|t(?:ell|ells|old|elling)|add(?:s|ed|ing)|accord(?:ing)|"
    r"claim|insist|warn|argu|call(?:s|ed|ing)\b|describ|brand(?:s|ed|ing)\b|dub(?:s|bed|bing)\b|label|term(?:s|ed)\b|"
    r"critici|condemn|attack|accus|alleg|complain|admit|admission|den(?:y|ied|ies|ial)|prais|laud|hail|thank|"
    r"quip|promis|pledg|vow|urg|believ|found|finding|suggest|predict|announc|confirm|reveal|explain|"
    r"reckon|challeng|dismiss|blam|slam|lambast|reject|welcom|not(?:e|ed|es|ing)\b|fear|hop(?:e|ed|es|ing)\b|"
    r"describ|inform|remark|comment|respon|statement|words|view|verdict|report|rul(?:e|ed|ing)\b|"
    r"express|point(?:s|ed)? out|stress|emphasi|boast|joke|conced|ask|repl|wrote|writ|tweet|post|"
    r"cautio|assert|maintain|declar|recall|agree|feel|felt|think|thought|hail|tout|decr[iy]|mock|"
    r"ridicul|scorn|brand|insult|labell?|lament|regret|apologi|defend|concern|want|demand|call for)\w*",
    re.I,
)
_FULL, _PARTIAL, _OTHER = 1, 2, 0
_POSSESSIVE_BEFORE_RE = re.compile(r"[A-Z][\w-]*(?:'s?|’s?)\s+$")  # Blair's "unremittingly New Labour"


def _sentence_start(p: str, pos: int, lo: int = 0) -> int:
    """Start of the sentence holding `pos` (the end of the last sentence before it)."""
    start = lo
    for m in _SENT_END_RE.finditer(p, lo, pos):
        if m.group().startswith(".") and _is_abbrev(p[start : m.start() + 1].rsplit(None, 1)[-1]):
            continue
        start = m.end()
    return start


def _title_case(words: list[str]) -> bool:
    content = [w for w in words if w.lower() not in _SMALL and w[:1].isalpha()]
    return bool(content) and words[0][:1].isupper() and all(w[0].isupper() for w in content)


def _is_speech(p: str, sp: _Span, events: list[_Event]) -> int:
    """Is a closed quote a full utterance, a fragment of someone's words, or neither?"""
    text = p[sp.start : sp.end]
    if _adjacent(p, sp, events, True)[0] is not None:
        return _PARTIAL if text[:1].islower() else _FULL
    before = p[max(0, sp.open - 80) : sp.open]
    if _NAMING_VERB_RE.search(before) or _NAMING_NOUN_RE.search(before):
        return _OTHER
    words = text.split()
    if _title_case(words) or _quoted_name(text):
        return _OTHER  # "The Lord of the Rings", "How Soon is Now?", a username "Abu al-Walid"
    if _PUNCT_RE.search(text) and text[:1].isupper():
        return _FULL
    lead = p[_sentence_start(p, sp.open) : sp.open]
    if _POSSESSIVE_BEFORE_RE.search(lead) or _CUE_RE.search(lead) or _adjacent(p, sp, events, False)[0] is not None:
        return _PARTIAL
    return _OTHER


def _quoted_name(text: str) -> str | None:
    toks = text.split()
    if not 2 <= len(toks) <= 4 or not _is_name_tok(toks[0]):
        return None
    if all(_is_name_tok(t) or t in _PARTICLES for t in toks) and _valid_name(toks):
        return " ".join(toks)
    return None


# ---------------------------------------------------------------- resolution

_Key = tuple[int, int]  # (paragraph, offset): article order


# The name helpers below are cached (see _memo); they return tuples, which callers never change.


@_memo(maxsize=1 << 14, maxlen=200)
def _core(name: str) -> tuple[str, ...]:
    """The words of `name` without leading titles."""
    toks = name.split()
    start = 0
    while start < len(toks) and _bare(toks[start]) in _TITLES:
        start += 1
    return tuple(toks[start:])


@_memo(maxsize=1 << 14, maxlen=200)
def _key_tokens(name: str) -> tuple[str, ...]:
    """The words of `name` without leading titles and trailing suffixes."""
    toks = _core(name)
    end = len(toks)
    while end and _bare(toks[end - 1]) in _SUFFIXES:
        end -= 1
    return toks[:end]


@_memo(maxsize=1 << 14, maxlen=200)
def _last_key(full: str) -> str | None:
    """The bare last key word of a name of two key words or more, else None."""
    kt = _key_tokens(full)
    return _bare(kt[-1]) if len(kt) >= 2 else None


def _ends_with(full: str, surname: str) -> bool:
    last = _last_key(full)
    if last is None:
        return False
    return last == surname or last.endswith("-" + surname)  # al-Walid ends with Walid


class _Registry:
    """Names seen so far in the article, with where they were seen.

    Speakers and quoted names are added as they are found. Names merely
    mentioned in passing are only consulted when a surname or pronoun finds no
    speaker, and then only some paragraphs' are needed, so a paragraph's
    (`_mentions`: (offset, name, person-like)) are read on demand and
    remembered: a surname can only be the end of a mention in a paragraph whose
    text holds it, and a pronoun wants the last person-like mention, which the
    nearest paragraph that has one holds.
    """

    def __init__(self, paras: Sequence[str], spans: Sequence[list[_Span]]) -> None:
        # (key, name) by kind: "speaker", "quoted"
        self.entries: dict[str, list[tuple[_Key, str]]] = {"speaker": [], "quoted": []}
        self._paras = paras
        self._spans = spans
        self._seen: dict[int, list[tuple[int, str, bool]]] = {}

    def add(self, key: _Key, name: str, kind: str) -> None:
        self.entries[kind].append((key, name))

    def _mentions_in(self, i: int) -> list[tuple[int, str, bool]]:
        found = self._seen.get(i)
        if found is None:
            found = self._seen[i] = _mentions(self._paras[i], self._spans[i])
        return found

    def _before(self, key: _Key, tier: tuple[str, ...]) -> list[tuple[_Key, str]]:
        return [(k, n) for kind in tier for k, n in self.entries[kind] if k < key]

    def resolve(self, raw: str, key: _Key) -> str:
        core = _core(raw)
        kt = _key_tokens(raw)
        if len(kt) >= 2:
            return " ".join(core)
        if len(kt) != 1:
            return raw
        surname = _bare(kt[0])
        cands = {n for _, n in self._before(key, ("speaker", "quoted")) if _ends_with(n, surname)}
        if not cands:
            i, off = key
            for j in range(i + 1):
                if surname in self._paras[j]:  # a name that ends with it is written there
                    cands.update(
                        name for o, name, _ in self._mentions_in(j) if (j < i or o < off) and _ends_with(name, surname)
                    )
        if len(cands) == 1:
            return cands.pop()
        return raw  # none, or ambiguous: keep what the article wrote

    def pronoun(self, key: _Key) -> str | None:
        best = self._before(key, ("speaker",))
        if best:
            return max(best)[1]
        best = self._before(key, ("quoted",))
        i, off = key
        for j in range(i, -1, -1):  # the last person-like mention before `key`
            people = [((j, o), name) for o, name, person in self._mentions_in(j) if person and (j < i or o < off)]
            if people:
                best.append(max(people))
                break
        return max(best)[1] if best else None


_NOT_TOKCH = r"\s,;:!?()\[\]{}\"“”«»—–"  # inside a class: what _TOKCH is not
_UPPERISH = r"A-Z\u0080-\U0010FFFF"  # ASCII capitals or any non-ASCII: a cheap superset of str.isupper
_PARTICLE_RE = rf"(?:{'|'.join(sorted(_PARTICLES))})(?!{_TOKCH})"
# A token that may be part of a name: one that starts upper-case-ish, holds a hyphen
# (al-Walid), or is a particle (von der). Every name word passes; the exact test follows.
_NAMEISH = rf"(?=[{_UPPERISH}]|[^-{_NOT_TOKCH}]*-|{_PARTICLE_RE}){_TOKCH}+"
# A chain: two or more such tokens apart by white space only, starting at a token that
# could open a name (not a particle). Names are only ever found inside chains, and a
# scan that starts at a chain's first token is in the same state as one that went word
# by word from the start of the paragraph: whatever came before was not a name word or
# was not separated by white space only, and either ends a name run.
#   _CHAIN_RE starts with one character from [_UPPERISH] so that re can skip ahead to
# the next capital; the lookbehinds then check that the character is a token's first
# (it is a token character, the one before it is not). That misses only chains that
# open with a hyphenated word such as "al-Walid", which need "-" before a capital:
# a paragraph with one uses the slower _CHAIN_ANY_RE, which starts at any token.
_CHAIN_RE = re.compile(rf"[{_UPPERISH}](?<={_TOKCH})(?<!{_TOKCH}.){_TOKCH}*(?:\s+{_NAMEISH})+")
_CHAIN_ASCII_RE = re.compile(rf"[A-Z](?<!{_TOKCH}.){_TOKCH}*(?:\s+{_NAMEISH})+")  # the same for ASCII text
_CHAIN_ANY_RE = re.compile(rf"(?<!{_TOKCH})(?=[{_UPPERISH}]|[^-{_NOT_TOKCH}]*-){_TOKCH}+(?:\s+{_NAMEISH})+")
_HYPHEN_CAP_RE = re.compile(rf"-[{_UPPERISH}]")


def _mentions(p: str, spans: list[_Span]) -> list[tuple[int, str, bool]]:
    """Capitalised multi-word names outside quotes: (offset, name, person-like)."""
    if _HYPHEN_CAP_RE.search(p):
        chain_re = _CHAIN_ANY_RE
    else:
        chain_re = _CHAIN_ASCII_RE if p.isascii() else _CHAIN_RE
    out: list[tuple[int, str, bool]] = []
    for lo, hi in _outside(p, spans):
        for m in chain_re.finditer(p, lo, hi):
            base = m.start()
            for off, name, person in _chain_names(m.group()):
                out.append((base + off, name, person))
    return out


@_memo(maxsize=1 << 16, maxlen=200)
def _chain_names(chain: str) -> tuple[tuple[int, str, bool], ...]:
    """The names in one chain, word by word: (offset in chain, name, person-like)."""
    out: list[tuple[int, str, bool]] = []
    run: list[tuple[int, str]] = []

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

    for m in _TOK_RE.finditer(chain):  # the tokens are apart by white space only
        t = m.group()
        w = _word(t)
        if w.name or (w.particle and run):
            run.append((m.start(), t))
            if w.ends:
                flush()
        elif run:
            flush()
    if run:
        flush()
    return tuple(out)


# ---------------------------------------------------------------- extraction

_SENT_END_RE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s|$)")
_WORD_CHAR_RE = re.compile(r"\w")


def _sentence_end(p: str, pos: int) -> int:
    """End of the sentence that follows `pos` (needs some words first)."""
    for m in _SENT_END_RE.finditer(p, pos):
        if not _WORD_CHAR_RE.search(p, pos, m.start()):
            continue
        # The word the stop ends: p[pos : m.start() + 1] ends in that stop, not in space.
        if m.group().startswith(".") and _is_abbrev(p[pos : m.start() + 1].rsplit(None, 1)[-1]):
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
