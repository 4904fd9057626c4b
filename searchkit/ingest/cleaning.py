"""Text cleaning: raw lines of a file -> the clean paragraphs of an article.

The paragraph is the unit searchkit indexes, so this makes paragraphs right:
blank-line separated blocks, inner line breaks joined, control characters
removed and white space collapsed (`clean`), and site furniture dropped from an
article's last blocks: copyright lines and "related stories" headers (with all
after them) and share/newsletter widget lines. A paragraph longer than
`MAX_PARAGRAPH` characters is split at sentence ends into chunks of at most that
size: a 1 MB "paragraph" would make snippets and per-paragraph scoring
pathological; a headline is cut to `MAX_HEADLINE` characters (`cap_headline`),
as it is stored with every paragraph. Every format parser ends here (`block_paragraphs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_PARAGRAPH = 10_000
#: A headline is cut to at most this many characters: it is stored with every paragraph of its article.
MAX_HEADLINE = 300
FURNITURE_MAX = 200  # furniture lines are short; longer lines are prose, whatever they mention
WIDGET_MAX = 80
TAIL_BLOCKS = 3  # furniture is only looked for in the last few blocks of an article

_NEWLINE = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufeff]")
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*\s+")
_COPYRIGHT = re.compile(
    r"[\u00a9\u24d2]|\(c\)\s*(?:19|20)\d\d|\ball rights reserved\b|^copyright\s*(?:[\u00a9\u24d2]|\(c\)|(?:19|20)\d\d)",
    re.I,
)
# List headers after which a page only has links to other stories.
_CUT_HEADER = re.compile(
    r"^(?:related(?: articles| stories| content| coverage| links)?|more on this story|"
    r"you may also like|recommended(?: for you)?|most (?:read|popular)|see also)\W*$",
    re.I,
)
_WIDGET = re.compile(
    r"^(?:join the discussion|real time analytics|advertisement|advertising|sponsored(?: content)?|"
    r"read more\b.*|click here\b.*|share(?: this(?: article| story| page)?)?(?: on \w+)?|share via\b.*|"
    r"follow us\b.*|(?:sign up|subscribe)(?: now| today)?|(?:sign up|subscribe)\b.*\bnewsletters?\b.*|"
    r"get (?:our|the) .*newsletters?\b.*|comments?(?: \(\d+\))?|print(?: this (?:article|story))?|"
    r"email(?: this (?:article|story))?|facebook|twitter|linkedin|whatsapp|reddit|back to top|tags?:.*)\W*$",
    re.I,
)


def split_lines(text: str) -> list[str]:
    """`text` split at every line end: LF, CRLF or a bare CR."""
    if "\r" not in text:  # the usual case, without a regex pass
        return text.split("\n")
    return _NEWLINE.split(text)


#: For ASCII text: the control characters _CONTROL removes, and white space as spaces.
_ASCII_CONTROL = bytes(c for c in range(128) if _CONTROL.match(chr(c)))
_ASCII_SPACES = bytes(32 if chr(c).isspace() else c for c in range(256))


def clean(text: str) -> str:
    """`text` without control characters, its white space runs made one space, stripped."""
    if text.isascii():  # the same with bytes.translate, and no split when nothing needs it: 3x faster
        b = text.encode("ascii").translate(_ASCII_SPACES, _ASCII_CONTROL)
        if b"  " in b or b[:1] == b" " or b[-1:] == b" ":
            b = b" ".join(b.split())
        return b.decode("ascii")
    # str.split() splits on exactly the characters re's \s matches, and in C.
    return " ".join(_CONTROL.sub("", text).split())


def text_blocks(lines: Iterable[str]) -> list[list[str]]:
    """Group lines into blank-line separated blocks (whitespace-only lines are blank)."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _drop_furniture(blocks: list[list[str]]) -> tuple[list[list[str]], int]:
    """Drop copyright lines (and all after them) and widget lines from the last blocks.

    Returns the blocks kept and how many of them come first as given: the
    lines of the others (the last blocks, each line cleaned to be checked)
    come back cleaned.
    """
    start = max(0, len(blocks) - TAIL_BLOCKS)
    kept = blocks[:start]
    for block in blocks[start:]:
        lines: list[str] = []
        cut = False
        for line in block:
            s = clean(line)
            if len(s) < FURNITURE_MAX and (_COPYRIGHT.search(s) or _CUT_HEADER.match(s)):
                cut = True
                break
            if len(s) <= WIDGET_MAX and _WIDGET.match(s):
                continue
            lines.append(s)
        if lines:
            kept.append(lines)
        if cut:
            break
    return kept, start


def _split_long(par: str) -> list[str]:
    """Split an over-long paragraph at sentence ends into chunks of <= MAX_PARAGRAPH chars."""
    if len(par) <= MAX_PARAGRAPH:
        return [par]
    cuts = [m.end() for m in _SENTENCE_END.finditer(par)] + [len(par)]
    chunks: list[str] = []
    start = prev = 0
    for cut in cuts:
        if cut - start > MAX_PARAGRAPH and prev > start:
            chunks.append(par[start:prev])
            start = prev
        while cut - start > MAX_PARAGRAPH:  # one sentence longer than the limit: cut at a space
            end = par.rfind(" ", start + 1, start + MAX_PARAGRAPH + 1)
            end = end if end > start else start + MAX_PARAGRAPH
            chunks.append(par[start:end])
            start = end
        prev = cut
    chunks.append(par[start:])
    return [c for c in (c.strip() for c in chunks) if c]


def split_long(par: str) -> list[str]:
    """A clean paragraph as it is indexed: split at sentence ends when over `MAX_PARAGRAPH` characters."""
    return _split_long(par)


def cap_headline(headline: str) -> str:
    """The headline cut to `MAX_HEADLINE` characters at a word boundary, with an ellipsis, when longer."""
    if len(headline) <= MAX_HEADLINE:
        return headline
    cut = headline.rfind(" ", MAX_HEADLINE // 2, MAX_HEADLINE)
    return headline[: cut if cut > 0 else MAX_HEADLINE - 1].rstrip() + "\u2026"


def block_paragraphs(blocks: list[list[str]]) -> tuple[str, ...]:
    """An article's paragraphs from its body blocks: furniture dropped, each block one clean line, long ones split."""
    out: list[str] = []
    kept, given = _drop_furniture(blocks)
    for i, block in enumerate(kept):
        # Cleaning lines, then their join, is cleaning the join; a cleaned line is clean.
        par = block[0] if i >= given and len(block) == 1 else clean(" ".join(block))
        if par:
            out.extend(_split_long(par))
    return tuple(out)
