"""Markdown articles: ``# headline``, paragraphs, and ``##`` subheadings as paragraphs of their own.

Subheadings are kept because their words are content worth finding. The headline
is the first ``# `` heading; without one, the YAML front matter's ``title``;
without either, the first line of text. Front matter also gives the date (a
time-zone-aware date is converted to UTC, as every indexed date is), source and
url. Inline markup is reduced to its text and rules break paragraphs. What is
not prose is kept readable rather than run together:

- a list item is a paragraph of its own (one item a line), its wrapped lines joined;
- a table row is a paragraph of its cells, separated by "; " (no pipes), and the
  ``|---|`` rule under the header is dropped;
- footnote markers (``[^1]``) are dropped, a footnote's text is a paragraph;
- fenced code (``` or ~~~) is not prose and is not indexed.
"""

from __future__ import annotations

import re

from searchkit.ingest.cleaning import block_paragraphs, clean, split_lines, text_blocks
from searchkit.ingest.formats.common import make_articles, set_date
from searchkit.ingest.values import Article, CorpusWarning

_MD_H1 = re.compile(r"^ {0,3}#\s+(.*?)(?:\s+#+)?\s*$")
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_MD_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_MD_RULE = re.compile(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|=+\s*)$")
_MD_LINKDEF = re.compile(r"^ {0,3}\[[^\[\]]{1,500}\]:\s*\S")
_MD_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:(?:[-*+]|\d{1,9}[.)])\s+)?")
_MD_ITEM = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])\s+\S")
_MD_TABLE_ROW = re.compile(r"^\s{0,3}\|.*\|\s*$")
_MD_TABLE_RULE = re.compile(r"^\s{0,3}\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_FOOTNOTE = re.compile(r"^ {0,3}\[\^[^\[\]\s]{1,100}\]:\s*(.*)$")
_MD_FOOTNOTE_MARK = re.compile(r"\[\^[^\[\]\s]{1,100}\]")
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


def parse_markdown(rel: str, text: str) -> tuple[list[Article], list[CorpusWarning]]:
    lines = split_lines(text)
    warns: list[CorpusWarning] = []
    meta: dict[str, object] = {}
    if lines[0].strip() == "---":  # YAML front matter: read simple keys, never show it as text
        end = next((j for j in range(1, len(lines)) if lines[j].strip() in ("---", "...")), 0)
        for key, _, value in (item.partition(":") for item in lines[1:end]):
            meta.setdefault(key.strip().lower(), value.strip().strip("\"'"))
        lines = lines[end + 1 :] if end else lines
    if meta.get("date"):
        set_date(meta, meta["date"], rel, warns)
    headline, rows = _rows(lines)
    body = [r or "" for r in rows]
    title = meta.get("title")
    if not headline and isinstance(title, str):  # front matter values are strings
        headline = clean(_md_inline(title))
    if not headline:  # no "# headline": the first line of text is the headline
        first = next((i for i, r in enumerate(body) if clean(r)), None)
        if first is None:
            return [], [CorpusWarning(rel, "has no readable text; skipped")]
        headline, body = clean(body[first]), body[first + 1 :]
    return make_articles(rel, headline, block_paragraphs(text_blocks(body)), meta, warns), warns


def _rows(lines: list[str]) -> tuple[str, list[str | None]]:
    """The first ``# `` heading, and the body as text rows, None marking a block break."""
    headline = ""
    rows: list[str | None] = []
    in_code = False
    for line in lines:
        if _MD_FENCE.match(line):
            in_code = not in_code
            rows.append(None)
            continue
        if in_code:  # code is not prose: not indexed
            continue
        h1 = _MD_H1.match(line)
        if h1 and not headline:
            headline = clean(_md_inline(h1.group(1)))
            rows.append(None)
            continue
        rows.extend(_line_rows(line))
    return headline, rows


def _line_rows(line: str) -> list[str | None]:
    """One body line as rows: a heading, list item, table row or footnote starts a block of its own."""
    heading = _MD_HEADING.match(line)
    if heading:  # a subheading is a paragraph of its own
        return [None, _md_inline(heading.group(1)), None]
    footnote = _MD_FOOTNOTE.match(line)
    if footnote:
        return [None, _md_inline(footnote.group(1)), None]
    if _MD_RULE.match(line) or _MD_LINKDEF.match(line) or _MD_TABLE_RULE.match(line):
        return [None]
    if _MD_TABLE_ROW.match(line):
        cells = [_md_inline(c).strip() for c in line.strip().strip("|").split("|")]
        return [None, "; ".join(c for c in cells if c), None]
    text = _md_inline(_MD_FOOTNOTE_MARK.sub("", _MD_PREFIX.sub("", line, count=1)))
    if _MD_ITEM.match(line):  # an item starts a block; its wrapped lines join it
        return [None, text]
    return [text if text.strip() else None]
