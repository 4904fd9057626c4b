"""Snippets: the best sentence-bounded fragment(s) of a paragraph, with highlight spans.

A snippet is data, not markup: the fragment's text (an exact slice of the
paragraph) and `(start, end)` character spans into it, so every renderer (TTY
colour, plain text, HTML, JSON) shows the same thing. Words are matched by stem,
so `accounts` lights up for a search on `account`; a run of matched words with
only spaces between them (a phrase) becomes one span.

Fragments are whole sentences wherever they fit in `width` characters; a lone
sentence longer than that is cropped at word boundaries around its matches.
When nothing in the paragraph matched (the hit came from the headline), the
fragment is the paragraph's opening; otherwise every fragment shown holds a match
(`--fragments 3` on a paragraph with one match shows one). A phrase is marked only
where it stands whole, not a lone word of it elsewhere.

A hit found by its speaker (`speaker:blair`) shows that speaker's quotation
instead (`focus`): the fragment holding the quotation (cropped around its
start when the sentence is too long), preferring one that also names the
speaker, with the name highlighted where the fragment shows it (the full name,
else the surname); when it does not, the fragment's attribution is the name,
highlighted whole.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from functools import lru_cache

from searchkit import defaults
from searchkit.analysis import TOKEN_PATTERN, joined_parts, stem, text_analyzer
from searchkit.results import QuoteSpan, Snippet

# A sentence ends at . ! or ? (maybe followed by a closing quote or bracket), then
# space, then something that can start a sentence. Common abbreviations don't end one.
# The pattern opens with the punctuation itself (the boundary starts one character
# later), so the regex engine skips to the next . ! or ? in C instead of trying a
# look-behind at every character.
_BOUNDARY = re.compile(r"""[.!?]["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
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


#: A token's text after its first character (TOKEN_PATTERN opens with `\w+`, the first character being one of them).
_REST = r"\w*" + TOKEN_PATTERN.pattern[3:] if TOKEN_PATTERN.pattern.startswith(r"\w+") else None
#: The characters just before a token (checked after its first one): never a word character, nor a word
#: character and an inner dot or `&`, nor for a digit a digit and `/` (only digits join across `/`: "24/7", not "1/x").
_AFTER_START = r"(?<!\w.)(?<!\w[.&].)(?<!\d/\d)"


@lru_cache(maxsize=256)
def _starting_with(first: str) -> re.Pattern[str]:
    """The tokens of TOKEN_PATTERN that begin with `first` (a word character, either case; "": non-ASCII).

    The first character comes first in the pattern, so the regex engine skips to it
    in C; the look-behinds (after it) make a match start only where a TOKEN_PATTERN
    token starts (not inside a word, nor after an inner dot or `&`, nor a digit after a digit's `/`), so the
    candidates are exactly the tokens, not pieces of them. One pattern per letter,
    kept for good: a query's words never cost a compile.
    """
    opening = f"[{re.escape(first + first.upper())}]" if first else r"[^\W\x00-\x7f]"
    return re.compile(rf"(?s){opening}{_AFTER_START}{_REST}")


@lru_cache(maxsize=1024)
def _candidates(firsts: frozenset[str]) -> re.Pattern[str]:
    """The tokens beginning with one of `firsts` (either case) or a non-ASCII character, in one pattern.

    Only for a TOKEN_PATTERN that does not open with a run of word characters (see `_candidate_words`).
    """
    chars = sorted({c for f in firsts for c in (f, f.upper()) if len(c) == 1})
    start = f"[{re.escape(''.join(chars))}]|" if chars else ""
    return re.compile(rf"(?<!\w)(?<!\w[.&])(?!(?<=\d/)\d)(?={start}[^\x00-\x7f]){TOKEN_PATTERN.pattern}")


def _candidate_words(text: str, firsts: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of the tokens of `text` beginning with one of `firsts` (either case) or a non-ASCII character.

    Lower-casing and stemming keep a word's first letter (accent folding may not,
    hence every non-ASCII start), so only these words can match and the others
    never reach Python. Tokens never overlap, so the tokens of each first letter,
    found apart, merge into the text's tokens in order.
    """
    if _REST is None:
        return [(m.start(), m.end(), m.group()) for m in _candidates(firsts).finditer(text)]
    letters = {f.lower() for f in firsts if f.isascii() and (f.isalnum() or f == "_")}
    if not text.isascii():
        letters.add("")
    found = [(m.start(), m.end(), m.group()) for f in letters for m in _starting_with(f).finditer(text)]
    if len(letters) > 1:
        found.sort()
    return found


@lru_cache(maxsize=1024)
def _asked(wanted: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...], frozenset[str], frozenset[str]]:
    """What `_wanted_words` needs of the wanted words, worked out once per query, not once per paragraph.

    Their first letters, the ASCII ones to scan for (lower-cased: a pattern takes
    either case), their first two letters, and the wanted words of one letter.
    """
    firsts = frozenset(t[0] for t in wanted if t)
    letters = tuple(sorted({f.lower() for f in firsts if f.isascii() and (f.isalnum() or f == "_")}))
    return firsts, letters, frozenset(t[:2] for t in wanted), frozenset(t for t in wanted if len(t) == 1)


def _wanted_words(text: str, wanted: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of the tokens of `text` that are `wanted` lower-cased or stemmed, in order.

    Snowball keeps an ASCII word's first two letters (or shortens it to its first
    one), except after a `y` in second place (`dying` -> `die`): an ASCII candidate
    whose opening no wanted word shares is passed over without a stem lookup (most
    candidates: a letter opens many words). Non-ASCII words are always looked up
    (accent folding may change any letter). Found equal to the candidates that
    `_is` accepts (`tests/test_snippets.py`).
    """
    firsts, letters, two, one = _asked(wanted)
    if _REST is None:
        return _with_joined(text, wanted, [c for c in _candidate_words(text, firsts) if _is(c[2], wanted)])
    scans = letters if text.isascii() else (*letters, "")
    found = []
    for f in scans:
        for m in _starting_with(f).finditer(text):
            word = m.group()
            low = word.lower()
            if (low[:2] in two or low[:1] in one or low[1:2] == "y" or not word.isascii()) and (
                low in wanted or _stem_of(word) in wanted
            ):
                found.append((m.start(), m.end(), word))
    if len(scans) > 1:
        found.sort()
    return _with_joined(text, wanted, found)


def _with_joined(text: str, wanted: frozenset[str], found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """`found` and, in order, the joined words (AT&T, 9/11, C++) one of whose parts is `wanted`.

    The index holds a joined word's parts too (`analysis.joined_parts`), so a search
    for `11` finds "9/11": the whole word is marked, as the index matched it. Only a
    text holding a joint (`&`, a digit's `/`, `++`) is scanned again.
    """
    if "&" not in text and "/" not in text and "++" not in text:
        return found
    have = {s for s, _, _ in found}
    extra = [
        (m.start(), m.end(), m.group())
        for m in TOKEN_PATTERN.finditer(text)
        if m.start() not in have and _part_wanted(m.group(), wanted)
    ]
    return sorted(found + extra) if extra else found


def _part_wanted(word: str, wanted: Collection[str]) -> bool:
    """True when one of a joined word's parts is `wanted` (lower-cased or stemmed)."""
    return any(_is(part, wanted) for _, part in joined_parts(word.lower()))


def match_spans(
    text: str, terms: Collection[str], phrase: bool = False, phrases: Sequence[tuple[str, ...]] = ()
) -> list[tuple[int, int]]:
    """Character spans of the words of `text` whose stem is in `terms`, and of the `phrases` where they stand.

    A word of a phrase (a stem sequence) that is not also in `terms` is marked only
    inside a whole occurrence of its phrase. Neighbouring matches separated only by
    spaces become one span; with `phrase` (or `phrases`), also those separated only
    by stop words ("account is deleted").
    """
    spans: list[tuple[int, int]] = []
    wanted = frozenset(terms).union(*phrases)
    if not wanted:
        return spans
    found = _wanted_words(text, wanted)
    if not phrases:  # every word found is one of `terms`
        marked = [(s, e) for s, e, _ in found]
    else:
        marked = [(s, e) for s, e, w in found if _is(w, terms) or _part_wanted(w, terms)] if terms else []
    marked += _phrase_spans(text, found, phrases)
    across = phrase or bool(phrases)
    for s, e in sorted(marked):
        if spans and s < spans[-1][1]:  # inside a phrase already marked
            spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
            continue
        gap = text[spans[-1][1] : s] if spans else ""
        if spans and (not gap.strip(" -") or (across and _only_stop_words(gap))):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def _is(word: str, wanted: Collection[str]) -> bool:
    """True when `wanted` holds the word lower-cased or its stem."""
    return word.lower() in wanted or _stem_of(word) in wanted


def _phrase_spans(
    text: str, found: list[tuple[int, int, str]], phrases: Sequence[tuple[str, ...]]
) -> list[tuple[int, int]]:
    """Where each phrase stands whole: its words in order, only spaces, hyphens or stop words between."""
    out: list[tuple[int, int]] = []
    for seq in phrases:
        n = len(seq)
        for i in range(len(found) - n + 1):
            run = found[i : i + n]
            if all(_is(w[2], (want,)) for w, want in zip(run, seq)) and all(
                _adjacent(text, a[1], b[0]) for a, b in zip(run, run[1:])
            ):
                out.append((run[0][0], run[-1][1]))
    return out


def _adjacent(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return not gap.strip(" -") or _only_stop_words(gap)


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `text`."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.start() + 1  # after the punctuation
        if _abbreviated(text, start, end):
            continue
        out.append((start, end))
        start = m.end()
    if start < len(text):
        out.append((start, len(text.rstrip())))
    return [(s, e) for s, e in out if e > s]


#: Longer than the longest ending `_ABBREV` matches ("Prof." and a character before it for its `\b`).
_ABBREV_TAIL = 12
_CLOSERS = "\"'”’)]"


def _abbreviated(text: str, start: int, end: int) -> bool:
    """True when the sentence text[start:end] (closing quotes aside) ends with an abbreviation.

    `_ABBREV` is anchored at the end, so only the last characters are searched:
    searching the whole sentence at every boundary cost more than the rest of `sentences`.
    """
    while end > start and text[end - 1] in _CLOSERS:
        end -= 1
    if end <= start or text[end - 1] != ".":
        return False
    return _ABBREV.search(text, max(start, end - _ABBREV_TAIL), end) is not None


def make_snippets(
    text: str,
    terms: Collection[str],
    *,
    width: int = defaults.WIDTH,
    fragments: int = 1,
    phrase: bool = False,
    quotes: Collection[QuoteSpan | tuple[str, str]] = (),
    focus: Sequence[QuoteSpan] = (),
    phrases: Sequence[tuple[str, ...]] = (),
) -> tuple[Snippet, ...]:
    """Up to `fragments` best non-overlapping fragments of `text`, in paragraph order.

    `terms` are stems to mark wherever they stand, `phrases` stem sequences to mark
    only where they stand whole (see `match_spans`). Every fragment shown holds a
    match; only when nothing matched is the paragraph's opening shown, once.

    `quotes` are the paragraph's quotations (`QuoteSpan`s, or (quoted text, speaker)
    pairs): a fragment that shows part of a quotation but not its speaker's name
    carries the name. `focus` are the quotations the query asked for by speaker:
    the first fragment shows one of them, its speaker's name highlighted.
    """
    width = max(width, 20)
    spans = match_spans(text, terms, phrase, phrases)
    placed = [_placed(text, q) for q in quotes]
    focus = [q for q in focus if q.start >= 0 and q.speaker]
    names = _name_spans(text, focus)
    whole = len(text) <= width and fragments >= 1
    chosen = [(0, len(text))] if whole else _choose(text, spans, names, focus, width, fragments)
    # A whole paragraph has never been given an attribution: only a speaker asked for is added.
    placed = [] if whole else placed
    return tuple(_finished(text, s, e, spans, names, placed, focus) for s, e in sorted(chosen))


def _choose(
    text: str,
    spans: list[tuple[int, int]],
    names: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]],
    focus: Sequence[QuoteSpan],
    width: int,
    fragments: int,
) -> list[tuple[int, int]]:
    """The fragments shown: the best-scoring windows that do not overlap."""
    sents = sentences(text) or [(0, len(text))]
    anchors = [q.start for q in focus]
    windows = _windows(text, sents, spans, width, anchors)
    if focus:  # the speaker's quotation first, then one naming the speaker
        said = [n for full, short in names.values() for n in full + short]
        windows = [(_focus_score(s, e, focus, said) + score, s, e) for score, s, e in windows]
    chosen: list[tuple[int, int]] = []
    for _score, s, e in sorted(windows, key=lambda w: (-w[0], w[1])):
        if len(chosen) >= fragments:
            break
        if chosen and not _holds_match(s, e, spans, focus):  # a further fragment must show a match too
            break
        if all(e <= cs or s >= ce for cs, ce in chosen):
            chosen.append((s, e))
        if not spans and not focus:  # nothing matched here: the opening is the one fallback
            break
    return chosen


def _holds_match(s: int, e: int, spans: list[tuple[int, int]], focus: Sequence[QuoteSpan]) -> bool:
    return any(a >= s and b <= e for a, b in spans) or any(q.start < e and q.end > s for q in focus)


def _focus_score(s: int, e: int, focus: Sequence[QuoteSpan], said: list[tuple[int, int]]) -> float:
    shows = any(q.start < e and q.end > s for q in focus)
    names = any(a >= s and b <= e for a, b in said)
    return (1000.0 if shows else 0.0) + (100.0 if shows and names else 0.0)


def _placed(text: str, quote: QuoteSpan | tuple[str, str]) -> QuoteSpan:
    """The quote with its place in `text` (found by its words when not given)."""
    if isinstance(quote, QuoteSpan) and quote.start >= 0 and text[quote.start : quote.end] == quote.text:
        return quote
    quoted, speaker = (quote.text, quote.speaker) if isinstance(quote, QuoteSpan) else quote
    at = text.find(quoted) if quoted else -1
    return QuoteSpan(quoted, speaker or None, at, at + len(quoted) if at >= 0 else -1)


def _name_spans(
    text: str, focus: Sequence[QuoteSpan]
) -> dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """Each focus speaker -> (where the paragraph gives the full name, where its surname alone)."""
    out: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
    for q in focus:
        name = q.speaker or ""
        if name in out:
            continue
        full = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        surname = (name.split() or [name])[-1]
        short = [
            m.span()
            for m in re.finditer(rf"(?<!\w){re.escape(surname)}(?!\w)", text)
            if not any(a <= m.start() < b for a, b in full)
        ]
        out[name] = (full, short)
    return out


def _finished(
    text: str,
    s: int,
    e: int,
    spans: list[tuple[int, int]],
    names: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]],
    placed: Sequence[QuoteSpan],
    focus: Sequence[QuoteSpan],
) -> Snippet:
    """The fragment [s, e) with its highlights, and the attribution it needs."""
    shown = [q for q in focus if q.start < e and q.end > s]
    lit: list[tuple[int, int]] = []
    for q in shown:
        full, short = names[q.speaker or ""]
        inside = [(a, b) for a, b in full if a >= s and b <= e] or [(a, b) for a, b in short if a >= s and b <= e]
        lit += inside
    snip = _snippet(text, s, e, _merged(spans + lit))
    unnamed = [q.speaker or "" for q in shown if not _named(names[q.speaker or ""], s, e)]
    if unnamed:
        return replace(snip, attribution=unnamed[0], attribution_highlights=((0, len(unnamed[0])),))
    return _attributed(snip, placed)


def _named(found: tuple[list[tuple[int, int]], list[tuple[int, int]]], s: int, e: int) -> bool:
    """True when the fragment [s, e) shows the name (in full or by surname)."""
    return any(a >= s and b <= e for spans in found for a, b in spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _attributed(snip: Snippet, quotes: Collection[QuoteSpan]) -> Snippet:
    for q in quotes:
        speaker = q.speaker or ""
        if q.start < 0 or not speaker or q.start >= snip.end or q.end <= snip.start:
            continue  # this quotation is not in the fragment
        if speaker not in snip.text and speaker.split()[-1] not in snip.text:
            return replace(snip, attribution=speaker)
    return snip


def _windows(
    text: str, sents: list[tuple[int, int]], spans: list[tuple[int, int]], width: int, anchors: Sequence[int] = ()
) -> list[tuple[float, int, int]]:
    """Candidate fragments: runs of whole sentences within width, scored by what they match.

    A sentence longer than `width` is cropped around the first anchor in it (where a
    quotation asked for starts), else around its first match.
    """
    out: list[tuple[float, int, int]] = []
    marked = [(a, b, text[a:b].lower()) for a, b in spans]  # each match's words, once for every window
    for i, (start, _) in enumerate(sents):
        end = sents[i][1]
        if end - start > width:  # one long sentence: crop around its first match
            at = [a for a in anchors if start <= a < end]
            s, e = _crop(text, start, end, spans, width, at[0] if at else None)
            out.append((_score(marked, s, e), s, e))
            continue
        for j in range(i, len(sents)):
            if sents[j][1] - start > width:
                break
            end = sents[j][1]
        out.append((_score(marked, start, end), start, end))
    return out


def _score(marked: list[tuple[int, int, str]], s: int, e: int) -> float:
    """A window's score from the matches' (start, end, lower-cased words) inside it."""
    inside = [w for a, b, w in marked if a >= s and b <= e]
    # Distinct words matter most; earlier fragments win ties (they usually carry the lede).
    return len(set(inside)) * 10 + len(inside) - s / 1e6


def _crop(
    text: str, start: int, end: int, spans: list[tuple[int, int]], width: int, anchor: int | None = None
) -> tuple[int, int]:
    inside = [sp for sp in spans if sp[0] >= start and sp[1] <= end]
    centre = anchor if anchor is not None else inside[0][0] if inside else start
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
