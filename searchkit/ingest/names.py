"""Names in news text: tokens, name runs, titles and the names mentioned in a paragraph.

What the speaker rules ask of words: is this token part of a name, where does
a name run start and end, what is a name without its titles, which capitalised
chains of a paragraph are names and whether they look like a person. Per-word
and per-name answers are cached (`memo`), as news text repeats them endlessly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

from searchkit.ingest.memo import memo as _memo
from searchkit.ingest.quotemarks import _outside, _Span
from searchkit.ingest.words import (
    _DEMONYMS,
    _ORG_WORDS,
    _PEERAGE,
    _ROLES,
    _ROLES_AFTER,
    _STOP,
    _TITLES,
)

_TOKCH: Final = r"[^\s,;:!?()\[\]{}\"“”«»—–]"  # a token character: anything but white space and these marks
_TOK_RE: Final = re.compile(rf"{_TOKCH}+")
_SUFFIXES: Final = frozenset({"Jr", "Sr", "II", "III", "IV"})
# Roles written as initials in front of a name ("MP Owen Rudd"): never part of it.
_ROLE_INITIALS: Final = frozenset("MP MEP MSP AM TD QC CEO CFO GP".split())
# Descriptors made with a hyphen in front of a name ("Cork-born", "Oslo-based").
_DESCRIPTOR_ENDS: Final = ("-born", "-based", "-bred", "-raised")
_PARTICLES: Final = frozenset(
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


def _bare(tok: str) -> str:
    return tok.rstrip(".")


@_memo(maxsize=1 << 14, maxlen=64)  # asked of every full stop, mostly of the same few words
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
    if not toks:
        return []
    first = _word(toks[-1] if backward else toks[0])
    if not first.name or (backward and first.ends):
        return []  # the loop below stops at once: asked of every verb, mostly of a word that is no name
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
        if w.particle and run:
            near = toks[j - 2 : j] if backward else toks[j + 1 : j + 3]
            if any(_word(x).name for x in near):
                run.append(j)  # Ursula von der Leyen
                continue
        break
    if not run:
        return run
    if backward:
        run.reverse()  # collected from the end: in text order now
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
_WALK_RE: Final = re.compile(rf"(?:\s+{_TOKCH}+){{1,10}}")
_TOUCH_WALK_RE: Final = re.compile(rf"\s*{_TOKCH}+(?:\s+{_TOKCH}+){{0,9}}")  # may start right at the token


class _Toks(NamedTuple):
    """The tokens of p[lo:hi], which holds only tokens and white space."""

    p: str
    lo: int
    hi: int
    words: list[str]

    def start(self, k: int) -> int:
        """Offset of words[k] in p (only needed once a subject is found, so not worked out up front)."""
        # p[lo:hi] holds only tokens and white space, so each token is the first
        # occurrence of its text after the end of the one before it.
        words = self.words
        k = range(len(words))[k]  # a negative k counts from the end; out of range raises IndexError
        at = self.lo
        for w in words[:k]:
            at = self.p.find(w, at) + len(w)
        return self.p.find(words[k], at)


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


def _prefixed_title(b: str) -> bool:
    """ "ex-chairman", "Under-Secretary", "Co-Chairman", "Vice-President": a title or role with a prefix."""
    head, _, last = b.rpartition("-")
    return bool(head) and (head.lower() == "ex" or last in _TITLES or last in _ROLES or last in _ROLES_AFTER)


@_memo(maxsize=1 << 14, maxlen=200)
def _role_after(name: str) -> bool:
    """Does `name` end with a role ("Andrew Tyrie MP", "Planning Minister")?"""
    return _bare(name.rsplit(None, 1)[-1]) in _ROLES_AFTER


@_memo(maxsize=1 << 14, maxlen=200)
def _core(name: str) -> tuple[str, ...]:
    """The words of `name` without the titles, roles and descriptors in front of it.

    The name starts after the last such word ("Shadow Health Secretary Jane Hollis"),
    keeping a peerage or knighthood right before it (Lord Falconer, Sir Alan Budd).
    """
    toks = name.split()
    while len(toks) > 1 and _bare(toks[-1]) in _ROLES_AFTER:
        toks.pop()
    start = 0
    for k, t in enumerate(toks[:-1]):
        b = _bare(t)
        if b in _TITLES or b in _ROLES or b in _ROLE_INITIALS or b.endswith(_DESCRIPTOR_ENDS) or _prefixed_title(b):
            start = k + 1
        elif b in ("DJ", "MC") and len(toks) - k > 2:
            start = k + 1  # "DJ Mike Read" (but "DJ Shadow" is the name)
    rest = toks[start:]
    if any(not t[:1].isupper() or _bare(t) in _ORG_WORDS for t in rest if t not in _PARTICLES):
        start = 0  # "Department of Trade and Industry" is an organisation, not a Trade official
    if start and _bare(toks[start - 1]) in _PEERAGE:
        start -= 1
    return tuple(toks[start:])


@_memo(maxsize=1 << 14, maxlen=200)
def _key_tokens(name: str) -> tuple[str, ...]:
    """The words of `name` without leading titles (peerage too) and trailing suffixes."""
    toks = _core(name)
    if len(toks) > 1 and _bare(toks[0]) in _PEERAGE:
        toks = toks[1:]
    end = len(toks)
    while end and _bare(toks[end - 1]) in _SUFFIXES:
        end -= 1
    return toks[:end]


@_memo(maxsize=1 << 14, maxlen=200)
def _last_key(full: str) -> str | None:
    """The bare last key word of a name of two key words or more, else None."""
    kt = _key_tokens(full)
    peer = len(kt) == 1 and _core(full)[:1] != kt[:1]  # Lord Falconer ends with Falconer
    return _bare(kt[-1]) if len(kt) >= 2 or peer else None


# An organisation written as its initials ("the FA said", "said an FA statement"): names
# need a word with lower case, so initials are taken only in a spokesman's or the
# subject's place. Initials of roles and places are no organisation that speaks.
_INITIALS_RE: Final = re.compile(r"[A-Z][A-Z&]{1,5}")
_NOT_ORG_INITIALS: Final = frozenset("MP MPs MEP MSP AM TD CEO CFO PM QC GP DJ MC PR UK US USA EU UAE".split())


def _initials(tok: str) -> bool:
    """Is `tok` an organisation's initials: "FA", "BBC" (not "MP", "US")?"""
    if len(tok) < 2 or not (tok[1].isupper() or tok[1] == "&"):
        return False  # most words: no regex needed
    b = tok.rstrip(".")
    return bool(_INITIALS_RE.fullmatch(b)) and b not in _NOT_ORG_INITIALS


def _person_like(kt: Sequence[str]) -> bool:
    """Could these key words be a person's name (not an organisation, event or place)?"""
    return len(kt) <= 4 and not any(_bare(w) in _ORG_WORDS or _bare(w) in _DEMONYMS for w in kt)


def _ends_with(full: str, surname: str) -> bool:
    last = _last_key(full)
    if last is None:
        return False
    return last == surname or last.endswith("-" + surname)  # al-Walid ends with Walid


_NOT_TOKCH: Final = r"\s,;:!?()\[\]{}\"“”«»—–"  # inside a class: what _TOKCH is not
_UPPERISH: Final = r"A-Z\u0080-\U0010FFFF"  # ASCII capitals or any non-ASCII: a cheap superset of str.isupper
_PARTICLE_RE: Final = rf"(?:{'|'.join(sorted(_PARTICLES))})(?!{_TOKCH})"
# A token that may be part of a name: one that starts upper-case-ish, holds a hyphen
# (al-Walid), or is a particle (von der). Every name word passes; the exact test follows.
_NAMEISH: Final = rf"(?=[{_UPPERISH}]|[^-{_NOT_TOKCH}]*-|{_PARTICLE_RE}){_TOKCH}+"
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
_CHAIN_RE: Final = re.compile(rf"[{_UPPERISH}](?<={_TOKCH})(?<!{_TOKCH}.){_TOKCH}*(?:\s+{_NAMEISH})+")
_CHAIN_ASCII_RE: Final = re.compile(rf"[A-Z](?<!{_TOKCH}.){_TOKCH}*(?:\s+{_NAMEISH})+")  # the same for ASCII text
_CHAIN_ANY_RE: Final = re.compile(rf"(?<!{_TOKCH})(?=[{_UPPERISH}]|[^-{_NOT_TOKCH}]*-){_TOKCH}+(?:\s+{_NAMEISH})+")
_HYPHEN_CAP_RE: Final = re.compile(rf"-[{_UPPERISH}]")


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
            person = _person_like(kt)
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


# Two or more capitalised words ending in a possessive: "Bayern Munich's", "Deutsche Bank's".
# The check of the character before a name's first capital comes after it, so that re can
# skip ahead to the next capital; the first word is written out of the repeat for that.
# "Bayern Munich's", and "Ricky Gervais'" (a name ending in s takes the mark alone)
_OWNER_RE: Final = re.compile(
    r"([A-Z](?<![\w'’-].)[\w.-]*\s+(?:[A-Z][\w.-]*\s+)*[A-Z][\w-]*)(?:['’]s|(?<=s)['’])(?!\w)"
)


def _owners(p: str, spans: list[_Span]) -> list[tuple[int, str, bool]]:
    """Names written as owners outside quotes: (offset, name, person-like).

    "Bayern Munich's coach" gives the full form of a later "Bayern", but an
    owner is seldom whom a sentence is about, so these are not `_mentions`.
    """
    out: list[tuple[int, str, bool]] = []
    if "s" not in p or ("'s" not in p and "’s" not in p and "s'" not in p and "s’" not in p):
        return out  # no possessive: spare the scan of every capital
    for lo, hi in _outside(p, spans):
        for m in _OWNER_RE.finditer(p, lo, hi):
            toks = m.group(1).split()
            run = _collect(toks, backward=True)
            kt = _key_tokens(" ".join(toks[k] for k in run)) if run else ()
            if len(kt) >= 2:
                out.append((m.start(1), " ".join(_core(" ".join(toks[k] for k in run))), _person_like(kt)))
    return out


def _quoted_name(text: str) -> str | None:
    toks = text.split()
    if not 2 <= len(toks) <= 4 or not _is_name_tok(toks[0]):
        return None
    if all(_is_name_tok(t) or t in _PARTICLES for t in toks) and _valid_name(toks):
        return " ".join(toks)
    return None


# A sentence end: one or more marks, closing quotes or brackets, then a space or the end. The first
# mark is written out of the repeat: re skips ahead to a character that can start a match only when
# the pattern opens with a plain set of characters (behind a repeat it tries every offset).
_SENT_END_RE: Final = re.compile(r"[.!?…][.!?…]*[\"”’')\]]*(?=\s|$)")
_WORD_CHAR_RE: Final = re.compile(r"\w")


def _sentence_end(p: str, pos: int) -> int:
    """End of the sentence that follows `pos` (needs some words first)."""
    for m in _SENT_END_RE.finditer(p, pos):
        if not _WORD_CHAR_RE.search(p, pos, m.start()):
            continue
        # The word the stop ends: p[pos : m.start() + 1] ends in that stop, not in space.
        if m.group().startswith(".") and _is_abbrev(p[max(pos, m.start() - 12) : m.start() + 1].rsplit(None, 1)[-1]):
            continue
        return m.end()
    return len(p)
