"""Reading news articles from files into :class:`Article` values.

An article is a headline plus an ordered tuple of clean body paragraphs; the
paragraph is the unit searchkit indexes, so everything here exists to make the
paragraphs right: real prose only (site furniture such as copyright lines and
share widgets is dropped), inner line breaks joined, whitespace collapsed.

Formats: ``.txt`` (line 1 headline, optional ``Date:``/``Source:``/``URL:``/
byline header lines, blank-line paragraphs), Markdown (``# headline``; later
``##`` subheadings become paragraphs of their own, since their words are
content worth finding), JSON Lines (one article per line) and, with the
``html`` extra, HTML pages via trafilatura.

Nothing here raises for bad input: undecodable, binary, empty or malformed
files come back as :class:`CorpusWarning` values and are skipped, so one bad
file never stops indexing a corpus. Only a named path that does not exist
raises :class:`~searchkit.errors.CorpusError`.

A paragraph longer than ``MAX_PARAGRAPH`` characters is split at sentence
boundaries into chunks of at most that size: a 1 MB "paragraph" would make
snippets and per-paragraph scoring pathological.

Article ids never contain ``#`` (it separates paragraph numbers in hit ids):
any ``#`` in a path or JSONL id is replaced by ``_``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath
from typing import Any

from searchkit.errors import CorpusError
from searchkit.ingest import boilerplate

SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown", ".jsonl", ".html", ".htm"})
MAX_PARAGRAPH = 10_000
FURNITURE_MAX = 200  # furniture lines are short; longer lines are prose, whatever they mention
WIDGET_MAX = 80
TAIL_BLOCKS = 3  # furniture is only looked for in the last few blocks of an article
INDEX_MARKER = "searchkit.json"
# Documentation files that sit next to articles in downloaded data sets (the BBC
# set has README.TXT); skipped when walking a folder, read when named directly.
_DOC_STEMS = frozenset({"readme", "license", "licence", "changelog", "copying", "notice", "authors", "contributing"})


@dataclass(frozen=True)
class Article:
    id: str
    headline: str
    paragraphs: tuple[str, ...]
    path: str = ""
    source: str = ""
    date: datetime | None = None
    url: str = ""


@dataclass(frozen=True)
class CorpusWarning:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    rel: str
    size: int
    mtime_ns: int


# ---------------------------------------------------------------- text helpers

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


def _lines(text: str) -> list[str]:
    if "\r" not in text:  # the usual case, without a regex pass
        return text.split("\n")
    return _NEWLINE.split(text)


#: For ASCII text: the control characters _CONTROL removes, and white space as spaces.
_ASCII_CONTROL = bytes(c for c in range(128) if _CONTROL.match(chr(c)))
_ASCII_SPACES = bytes(32 if chr(c).isspace() else c for c in range(256))


def _clean(text: str) -> str:
    """`text` without control characters, its white space runs made one space, stripped."""
    if text.isascii():  # the same with bytes.translate, and no split when nothing needs it: 3x faster
        b = text.encode("ascii").translate(_ASCII_SPACES, _ASCII_CONTROL)
        if b"  " in b or b[:1] == b" " or b[-1:] == b" ":
            b = b" ".join(b.split())
        return b.decode("ascii")
    # str.split() splits on exactly the characters re's \s matches, and in C.
    return " ".join(_CONTROL.sub("", text).split())


def _blocks(lines: Iterable[str]) -> list[list[str]]:
    """Group lines into blank-line separated blocks (whitespace-only lines are blank)."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _drop_furniture(blocks: list[list[str]]) -> list[list[str]]:
    """Drop copyright lines (and all after them) and widget lines from the last blocks."""
    start = max(0, len(blocks) - TAIL_BLOCKS)
    kept = blocks[:start]
    for block in blocks[start:]:
        lines: list[str] = []
        cut = False
        for line in block:
            s = _clean(line)
            if len(s) < FURNITURE_MAX and (_COPYRIGHT.search(s) or _CUT_HEADER.match(s)):
                cut = True
                break
            if len(s) <= WIDGET_MAX and _WIDGET.match(s):
                continue
            lines.append(line)
        if lines:
            kept.append(lines)
        if cut:
            break
    return kept


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


def _paragraphs(blocks: list[list[str]]) -> tuple[str, ...]:
    out: list[str] = []
    for block in _drop_furniture(blocks):
        par = _clean(" ".join(block))
        if par:
            out.extend(_split_long(par))
    return tuple(out)


_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.I)
_DATE_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A, %d %B %Y",
    "%A %d %B %Y",
    "%a, %d %b %Y",
    "%Y/%m/%d",
    "%d %B %Y %H:%M",
    "%B %d, %Y %H:%M",
)


def parse_date(value: str) -> datetime | None:
    """Parse ISO 8601 or a common news date format to a naive UTC datetime; None if unreadable."""
    s = _clean(value)
    if not s or len(s) > 64:
        return None
    attempts: list[Callable[[], datetime]] = [lambda: datetime.fromisoformat(s[:-1] + "+00:00" if s[-1] in "zZ" else s)]
    attempts += [lambda f=f: datetime.strptime(_ORDINAL.sub(r"\1", s), f) for f in _DATE_FORMATS]  # type: ignore[misc]
    attempts.append(lambda: parsedate_to_datetime(s))  # RFC 2822, as in feeds
    for attempt in attempts:
        try:
            found = attempt()
            return found.astimezone(timezone.utc).replace(tzinfo=None) if found.tzinfo else found
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
    return None


def _set_date(meta: dict[str, Any], raw: object, rel: str, warns: list[CorpusWarning], line: int | None = None) -> None:
    meta["date"] = parse_date(raw) if isinstance(raw, str) else None
    if meta["date"] is None:
        warns.append(CorpusWarning(rel, f"could not read date {str(raw)[:40]!r}; date left empty", line))


def _article_id(rel: str) -> str:
    p = PurePosixPath(rel)
    stem = str(p.with_suffix("")) if p.suffix and p.name != p.suffix else rel
    return stem.replace("#", "_")


# ---------------------------------------------------------------- formats

_HEADER = re.compile(r"^(date|published|source|url|link|byline|author|by)\s*:\s*(.*)$", re.I)
_BYLINE = re.compile(r"^(?i:by)\s+[A-Z][^.!?]{0,60}$")


def _read_headers(rel: str, lines: list[str], meta: dict[str, Any], warns: list[CorpusWarning]) -> int:
    """Consume header lines after the headline; return the index of the first body line."""
    i = 1
    while i < len(lines):
        s = _clean(lines[i])
        nxt = _clean(lines[i + 1]) if i + 1 < len(lines) else ""
        m = _HEADER.match(s) if len(s) < FURNITURE_MAX else None
        if not s:
            pass
        elif m:
            key, value = m.group(1).lower(), m.group(2).strip()
            if key in ("date", "published") and "date" not in meta:
                _set_date(meta, value, rel, warns)
            elif key in ("source", "url", "link"):
                meta.setdefault("url" if key == "link" else key, value)
        elif _BYLINE.match(s) and (not nxt or _HEADER.match(nxt)):
            pass  # a byline on its own line: who wrote it is not a paragraph
        else:
            break
        i += 1
    return i


def _make(
    rel: str,
    headline: str,
    paragraphs: tuple[str, ...],
    meta: dict[str, Any],
    warns: list[CorpusWarning],
    line: int | None = None,
    art_id: str | None = None,
) -> list[Article]:
    if not paragraphs:
        warns.append(CorpusWarning(rel, "has a headline but no body paragraphs; skipped", line))
        return []
    source, url, date = meta.get("source"), meta.get("url"), meta.get("date")
    return [
        Article(
            id=art_id or _article_id(rel),
            headline=headline,
            paragraphs=paragraphs,
            path=rel,
            source=_clean(source) if isinstance(source, str) else "",
            url=url.strip() if isinstance(url, str) else "",
            date=date if isinstance(date, datetime) else None,
        )
    ]


def _parse_txt(rel: str, text: str) -> tuple[list[Article], list[CorpusWarning]]:
    lines = _lines(text)
    first = next((i for i, line in enumerate(lines) if _clean(line)), None)
    if first is None:
        return [], [CorpusWarning(rel, "has no readable text; skipped")]
    lines = lines[first:]
    warns: list[CorpusWarning] = []
    meta: dict[str, Any] = {}
    body = _read_headers(rel, lines, meta, warns)
    return _make(rel, _clean(lines[0]), _paragraphs(_blocks(lines[body:])), meta, warns), warns


_MD_H1 = re.compile(r"^ {0,3}#\s+(.*?)(?:\s+#+)?\s*$")
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_MD_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_MD_RULE = re.compile(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|=+\s*)$")
_MD_LINKDEF = re.compile(r"^ {0,3}\[[^\[\]]{1,500}\]:\s*\S")
_MD_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:(?:[-*+]|\d{1,9}[.)])\s+)?")
_MD_INLINE = [  # bounded repeats keep every pattern linear on hostile input
    (re.compile(r"!?\[([^\[\]]{0,500})\]\([^()\s]{0,2000}(?:\s+\"[^\"]{0,500}\")?\)"), r"\1"),
    (re.compile(r"\[([^\[\]]{1,500})\]\[[^\[\]]{0,500}\]"), r"\1"),
    (re.compile(r"<(https?://[^<>\s]{1,2000})>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^<>]{0,500}>"), ""),
    (re.compile(r"`{1,3}([^`]{1,2000})`{1,3}"), r"\1"),
    (re.compile(r"(\*{1,3}|~~)(?=\S)([^*~\n]{1,2000}?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<!\w)(_{1,3})(?=\S)([^_\n]{1,2000}?)(?<=\S)\1(?!\w)"), r"\2"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),
]


def _md_inline(line: str) -> str:
    for pattern, repl in _MD_INLINE:
        line = pattern.sub(repl, line)
    return line


def _parse_md(rel: str, text: str) -> tuple[list[Article], list[CorpusWarning]]:
    lines = _lines(text)
    warns: list[CorpusWarning] = []
    meta: dict[str, Any] = {}
    if lines[0].strip() == "---":  # YAML front matter: read simple keys, never show it as text
        end = next((j for j in range(1, len(lines)) if lines[j].strip() in ("---", "...")), 0)
        for key, _, value in (item.partition(":") for item in lines[1:end]):
            meta.setdefault(key.strip().lower(), value.strip().strip("\"'"))
        lines = lines[end + 1 :] if end else lines
    if meta.get("date"):
        _set_date(meta, meta["date"], rel, warns)
    headline = ""
    rows: list[str | None] = []  # None marks a block break
    in_code = False
    for line in lines:
        if _MD_FENCE.match(line):
            in_code = not in_code
            rows.append(None)
            continue
        if not in_code:
            h1 = _MD_H1.match(line)
            if h1 and not headline:
                headline = _clean(_md_inline(h1.group(1)))
                rows.append(None)
                continue
            heading = _MD_HEADING.match(line)
            if heading:  # a subheading is a paragraph of its own
                rows.extend([None, _md_inline(heading.group(1)), None])
                continue
            if _MD_RULE.match(line) or _MD_LINKDEF.match(line):
                rows.append(None)
                continue
            line = _md_inline(_MD_PREFIX.sub("", line, count=1))
        rows.append(line if line.strip() else None)
    body = [r or "" for r in rows]
    if not headline:
        headline = _clean(_md_inline(meta.get("title", "")))
    if not headline:  # no "# headline": the first line of text is the headline
        first = next((i for i, r in enumerate(body) if _clean(r)), None)
        if first is None:
            return [], [CorpusWarning(rel, "has no readable text; skipped")]
        headline, body = _clean(body[first]), body[first + 1 :]
    return _make(rel, headline, _paragraphs(_blocks(body)), meta, warns), warns


class _JsonlReader:
    """JSON Lines, one record at a time: the state a file's records share."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.stem = _article_id(rel)
        self.seen: set[str] = set()
        self.warns: list[CorpusWarning] = []

    def record(self, n: int, line: str) -> list[Article]:
        """The article on line `n` ([] for a blank or bad line, with a warning for a bad one)."""
        rel, warns = self.rel, self.warns
        if not line.strip():
            return []
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            warns.append(CorpusWarning(rel, f"malformed JSON ({e.msg}, column {e.colno}); line skipped", n))
            return []
        except (ValueError, RecursionError):  # e.g. nesting too deep, integer too long
            warns.append(CorpusWarning(rel, "malformed JSON; line skipped", n))
            return []
        if not isinstance(rec, dict):
            warns.append(CorpusWarning(rel, "not a JSON object; line skipped", n))
            return []
        title = rec.get("headline") or rec.get("title")
        headline = _clean(title) if isinstance(title, str) else ""
        if not headline:
            warns.append(CorpusWarning(rel, 'no "headline" or "title" string; line skipped', n))
            return []
        fallback = f"{self.stem}:{n}"
        raw_id = rec.get("id")
        art_id = fallback
        if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and _clean(str(raw_id)):
            art_id = _clean(str(raw_id)).replace("#", "_")
        elif raw_id is not None:
            warns.append(CorpusWarning(rel, f'"id" must be a non-empty string or integer; using {fallback}', n))
        if art_id in self.seen:
            warns.append(CorpusWarning(rel, f"duplicate id {art_id!r}; using {fallback}", n))
            art_id = fallback
        self.seen.add(art_id)
        paras = rec.get("paragraphs")
        body = rec.get("body") or rec.get("text")
        if isinstance(paras, list):
            blocks = [_lines(p) for p in paras if isinstance(p, str) and p.strip()]
        else:
            blocks = _blocks(_lines(body)) if isinstance(body, str) else []
        meta: dict[str, Any] = {k: rec[k] for k in ("source", "url") if isinstance(rec.get(k), str)}
        if rec.get("date") is not None:
            _set_date(meta, rec["date"], rel, warns, n)
        return _make(rel, headline, _paragraphs(blocks), meta, warns, n, art_id)


def _parse_jsonl(rel: str, text: str) -> tuple[list[Article], list[CorpusWarning]]:
    reader = _JsonlReader(rel)
    articles: list[Article] = []
    for n, line in enumerate(_lines(text), 1):
        articles += reader.record(n, line)
    return articles, reader.warns


#: JSON Lines files at least this big are read a line at a time (`StreamedJsonl`).
STREAM_BYTES = 32 * 1024 * 1024


def streamable(src: SourceFile) -> bool:
    """Whether a file is read with `StreamedJsonl` rather than whole: a big JSONL file, not UTF-16."""
    if src.size < STREAM_BYTES or PurePosixPath(src.rel).suffix.lower() != ".jsonl" or not src.path.is_file():
        return False
    try:
        with open(src.path, "rb") as f:
            head = f.read(2)
    except OSError:
        return False  # reading it whole reports why
    return head not in (b"\xff\xfe", b"\xfe\xff")  # UTF-16 lines cannot be split as bytes


class StreamedJsonl:
    """A large JSON Lines file, read a line at a time so memory does not grow with the file.

    Iterating gives its articles; once done, `warnings` says what was wrong and
    `sha256` is the hash of the file's bytes. The articles are those
    `parse_file` gives, with one difference: each line is decoded on its own,
    so a file with a few non-UTF-8 lines has just those read as cp1252 (one
    warning names the first), not the whole file.
    """

    def __init__(self, rel: str, path: str | os.PathLike[str]) -> None:
        self.rel = rel
        self.path = path
        self.warnings: list[CorpusWarning] = []
        self.sha256 = ""

    def __iter__(self) -> Iterator[Article]:
        rel = self.rel
        reader = _JsonlReader(rel)
        digest = hashlib.sha256()
        n = 0
        blank = True
        recoded = False
        with open(self.path, "rb") as f:
            head = f.read(8192)
            f.seek(0)
            skip = _looks_binary(head.decode("utf-8", "replace"))
            if skip:
                self.warnings.append(CorpusWarning(rel, "binary file, skipped"))
            for number, raw in enumerate(f):
                digest.update(raw)
                if skip:
                    continue
                if number == 0 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    line = raw.decode("cp1252", "replace")
                    if not recoded:
                        recoded = True
                        self.warnings.append(CorpusWarning(rel, "not valid UTF-8; such lines read as cp1252", n + 1))
                # The line's own end goes; a bare \r inside it still splits, as in a whole file.
                for piece in _lines(line[:-2] if line.endswith("\r\n") else line[:-1] if line.endswith("\n") else line):
                    n += 1
                    if blank and piece.strip():
                        blank = False
                    yield from reader.record(n, piece)
        if blank and not skip:
            self.warnings.append(CorpusWarning(rel, "empty file, skipped"))
        self.warnings.extend(reader.warns)
        self.sha256 = digest.hexdigest()


def _parse_html(rel: str, text: str) -> tuple[list[Article], list[CorpusWarning]]:
    try:
        import trafilatura  # optional: the html extra
    except Exception:  # not installed, or installed but broken
        return [], [CorpusWarning(rel, "HTML support is not installed; skipped (pip install 'searchkit[html]')")]
    try:
        doc: Any = trafilatura.bare_extraction(text, with_metadata=True)
        if doc is not None and not isinstance(doc, dict):
            doc = doc.as_dict()  # trafilatura >= 1.9 returns a Document
    except Exception as e:  # a third-party parser may fail on any input: warn, never crash
        return [], [CorpusWarning(rel, f"could not extract text from HTML ({type(e).__name__}); skipped")]
    if not doc or not isinstance(doc.get("text"), str):
        return [], [CorpusWarning(rel, "no main text found in the HTML page; skipped")]
    warns: list[CorpusWarning] = []
    # trafilatura puts one paragraph per line
    blocks = [[line] for line in _lines(doc["text"]) if line.strip()]
    headline = _clean(str(doc.get("title") or "")) or (_clean(blocks.pop(0)[0]) if blocks else "")
    if not headline:
        return [], [CorpusWarning(rel, "no headline or text found in the HTML page; skipped")]
    if blocks and _clean(blocks[0][0]) == headline:
        blocks.pop(0)  # the page's <h1> repeats the title
    date = parse_date(doc["date"]) if isinstance(doc.get("date"), str) else None
    meta = {"date": date, "url": str(doc.get("url") or ""), "source": str(doc.get("sitename") or "")}
    return _make(rel, headline, _paragraphs(blocks), meta, warns), warns


_PARSERS: dict[str, Callable[[str, str], tuple[list[Article], list[CorpusWarning]]]] = {
    ".txt": _parse_txt,
    ".md": _parse_md,
    ".markdown": _parse_md,
    ".jsonl": _parse_jsonl,
    ".html": _parse_html,
    ".htm": _parse_html,
}


def _decode(rel: str, data: bytes) -> tuple[str, list[CorpusWarning]]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be"
        try:
            return data[2:].decode(codec), []
        except UnicodeDecodeError:
            text = data[2:].decode(codec, errors="replace")
            return text, [CorpusWarning(rel, "invalid UTF-16; damaged characters replaced")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), [CorpusWarning(rel, "not valid UTF-8; read as cp1252")]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [CorpusWarning(rel, "not valid UTF-8 or cp1252; read as latin-1")]


def _looks_binary(text: str) -> bool:
    head = text[:8192]
    controls = sum(1 for ch in head if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\x7f")
    return "\x00" in head or controls * 10 > len(head)


def parse_file(rel: str, data: bytes) -> tuple[list[Article], list[CorpusWarning]]:
    """Decode one file's bytes and parse it by its suffix into articles plus warnings."""
    suffix = PurePosixPath(rel).suffix.lower()
    parser = _PARSERS.get(suffix)
    if parser is None:
        return [], [CorpusWarning(rel, f"unsupported file type {suffix or '(no suffix)'!r}; skipped")]
    text, warns = _decode(rel, data)
    if _looks_binary(text):
        return [], [CorpusWarning(rel, "binary file, skipped")]
    if not text.strip():
        return [], [CorpusWarning(rel, "empty file, skipped")]
    articles, more = parser(rel, text)
    return articles, warns + more


# ---------------------------------------------------------------- finding files


def _walk(root: str, shown: str, warns: list[CorpusWarning]) -> list[tuple[str, str]]:
    """All readable article files under root as (path, posix rel), unsorted."""
    top = os.path.realpath(root)
    stack: list[tuple[str, str, frozenset[str]]] = [(root, "", frozenset({top}))]
    visited = {top}
    found: list[tuple[str, str]] = []
    while stack:
        folder, prefix, ancestors = stack.pop()
        where = os.path.join(shown, prefix) if prefix else shown
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            warns.append(CorpusWarning(where, f"cannot read folder ({e.strerror or e}); skipped"))
            continue
        if any(e.name == INDEX_MARKER for e in entries):
            if not prefix:  # named directly: say why nothing is read; nested index folders are expected
                warns.append(CorpusWarning(shown, "is a searchkit index folder, not articles; skipped"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel, full = prefix + entry.name, os.path.join(folder, entry.name)
            label = os.path.join(shown, rel)
            try:
                if entry.is_symlink():
                    try:
                        os.stat(full)
                    except OSError as e:
                        what = "symlink loop" if e.errno == errno.ELOOP else "broken symlink"
                        warns.append(CorpusWarning(label, f"{what}, skipped"))
                        continue
                if entry.is_dir():
                    real = os.path.realpath(full)
                    if real in ancestors:
                        warns.append(CorpusWarning(label, "symlink loop (links to a folder above it), skipped"))
                    elif real in visited:
                        warns.append(CorpusWarning(label, "links to a folder that is already read; skipped"))
                    else:
                        visited.add(real)
                        stack.append((full, rel + "/", ancestors | {real}))
                elif entry.is_file():
                    name = PurePosixPath(entry.name)
                    if name.suffix.lower() in SUFFIXES and name.stem.lower() not in _DOC_STEMS:
                        found.append((full, rel))
            except OSError as e:
                warns.append(CorpusWarning(label, f"cannot read ({e.strerror or e}); skipped"))
    return found


def find_sources(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[SourceFile], list[CorpusWarning]]:
    """List the article files under the given files/folders, sorted, with warnings for what was skipped."""
    if isinstance(paths, (str, os.PathLike)):  # a single path is a common slip; treat it as one
        paths = [paths]
    sources: list[SourceFile] = []
    warns: list[CorpusWarning] = []
    seen: set[str] = set()  # real paths, so a file reachable twice is read once
    for raw in paths:
        shown = os.fspath(raw)
        if not os.path.exists(shown):
            what = "is a broken symlink" if os.path.islink(shown) else "does not exist"
            raise CorpusError(f"{shown} {what}; pass a file or folder of articles")
        if os.path.isdir(shown):
            found = sorted(_walk(shown, shown, warns), key=lambda f: f[1].split("/"))
        elif PurePosixPath(os.path.basename(shown)).suffix.lower() in SUFFIXES:
            found = [(shown, os.path.basename(shown))]
        else:
            supported = ", ".join(sorted(SUFFIXES))
            warns.append(CorpusWarning(shown, f"unsupported file type; skipped (searchkit reads {supported})"))
            continue
        for full, rel in found:
            try:
                real = os.path.realpath(full)
                st = os.stat(full)
            except OSError as e:
                warns.append(CorpusWarning(rel, f"cannot read ({e.strerror or e}); skipped"))
                continue
            if real not in seen:
                seen.add(real)
                sources.append(SourceFile(Path(os.path.abspath(full)), rel, st.st_size, st.st_mtime_ns))
    return sources, warns


# ---------------------------------------------------------------- whole corpus


def find_repeated_tails(articles: Iterable[Article], min_articles: int = boilerplate.MIN_ARTICLES) -> frozenset[str]:
    """The boilerplate set of these articles (see `searchkit.ingest.boilerplate` for the rule)."""
    return boilerplate.repeated(((a.headline, boilerplate.tail(a.paragraphs)) for a in articles), min_articles)


def drop_tail_paragraphs(article: Article, repeated: frozenset[str]) -> Article:
    """The article without its boilerplate tail (never without every paragraph)."""
    n = boilerplate.kept(article.paragraphs, repeated)
    return article if n == len(article.paragraphs) else replace(article, paragraphs=article.paragraphs[:n])


def read_corpus(
    paths: Sequence[str | os.PathLike[str]], on_warning: Callable[[CorpusWarning], None] | None = None
) -> Iterator[Article]:
    """Find, read and parse every article under paths, minus paragraphs repeated at many articles' ends."""
    sources, warns = find_sources(paths)  # eager, so a missing path raises at the call
    emit = on_warning or (lambda w: None)
    for w in warns:
        emit(w)
    return _read_all(sources, emit)


def _read_all(sources: list[SourceFile], emit: Callable[[CorpusWarning], None]) -> Iterator[Article]:
    articles: list[Article] = []
    for src in sources:
        try:
            data = src.path.read_bytes()
        except OSError as e:
            emit(CorpusWarning(src.rel, f"cannot read file ({e.strerror or e}); skipped"))
            continue
        found, warns = parse_file(src.rel, data)
        for w in warns:
            emit(w)
        articles.extend(found)
    repeated = find_repeated_tails(articles)
    for art in articles:
        yield drop_tail_paragraphs(art, repeated)
