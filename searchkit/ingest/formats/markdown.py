"""Markdown articles: ``# headline``, paragraphs, and ``##`` subheadings as paragraphs of their own.

Subheadings are kept because their words are content worth finding. YAML front
matter gives the date, source, url and (without a ``#`` heading) the title;
inline markup is reduced to its text, code fences and rules break paragraphs,
and without any headline the first line of text is the headline.
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
                headline = clean(_md_inline(h1.group(1)))
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
    title = meta.get("title")
    if not headline and isinstance(title, str):  # front matter values are strings
        headline = clean(_md_inline(title))
    if not headline:  # no "# headline": the first line of text is the headline
        first = next((i for i, r in enumerate(body) if clean(r)), None)
        if first is None:
            return [], [CorpusWarning(rel, "has no readable text; skipped")]
        headline, body = clean(body[first]), body[first + 1 :]
    return make_articles(rel, headline, block_paragraphs(text_blocks(body)), meta, warns), warns
