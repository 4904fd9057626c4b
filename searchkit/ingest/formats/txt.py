"""Plain text articles: line 1 the headline, optional header lines, blank-line paragraphs.

Header lines after the headline (``Date:``, ``Published:``, ``Source:``,
``URL:``/``Link:``, ``Byline:``/``Author:``/``By:``, or a "By Jane Smith" byline
on its own) fill the article's metadata and are not paragraphs.
"""

from __future__ import annotations

import re

from searchkit.ingest.cleaning import FURNITURE_MAX, block_paragraphs, clean, split_lines, text_blocks
from searchkit.ingest.formats.common import make_articles, set_date
from searchkit.ingest.values import Article, CorpusWarning

_HEADER = re.compile(r"^(date|published|source|url|link|byline|author|by)\s*:\s*(.*)$", re.I)
_BYLINE = re.compile(r"^(?i:by)\s+[A-Z][^.!?]{0,60}$")


def _read_headers(rel: str, lines: list[str], meta: dict[str, object], warns: list[CorpusWarning]) -> int:
    """Consume header lines after the headline; return the index of the first body line."""
    i = 1
    while i < len(lines):
        s = clean(lines[i])
        nxt = clean(lines[i + 1]) if i + 1 < len(lines) else ""
        m = _HEADER.match(s) if len(s) < FURNITURE_MAX else None
        if not s:
            pass
        elif m:
            key, value = m.group(1).lower(), m.group(2).strip()
            if key in ("date", "published") and "date" not in meta:
                set_date(meta, value, rel, warns)
            elif key in ("source", "url", "link"):
                meta.setdefault("url" if key == "link" else key, value)
        elif _BYLINE.match(s) and (not nxt or _HEADER.match(nxt)):
            pass  # a byline on its own line: who wrote it is not a paragraph
        else:
            break
        i += 1
    return i


def parse_txt(rel: str, text: str) -> tuple[list[Article], list[CorpusWarning]]:
    lines = split_lines(text)
    first = next((i for i, line in enumerate(lines) if clean(line)), None)
    if first is None:
        return [], [CorpusWarning(rel, "has no readable text; skipped")]
    lines = lines[first:]
    warns: list[CorpusWarning] = []
    meta: dict[str, object] = {}
    body = _read_headers(rel, lines, meta, warns)
    return make_articles(rel, clean(lines[0]), block_paragraphs(text_blocks(lines[body:])), meta, warns), warns
