"""Parsing one file: its bytes -> articles plus warnings, by the parser for its suffix.

Nothing here raises for bad input: an unsupported suffix, binary or empty
content, or malformed records come back as `CorpusWarning` values, so one bad
file never stops indexing a corpus.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from searchkit.ingest.decoding import decode, looks_binary
from searchkit.ingest.formats.html import parse_html
from searchkit.ingest.formats.jsonl import parse_jsonl
from searchkit.ingest.formats.markdown import parse_markdown
from searchkit.ingest.formats.txt import parse_txt
from searchkit.ingest.values import Article, CorpusWarning

_PARSERS: dict[str, Callable[[str, str], tuple[list[Article], list[CorpusWarning]]]] = {
    ".txt": parse_txt,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".jsonl": parse_jsonl,
    ".html": parse_html,
    ".htm": parse_html,
}


def parse_file(rel: str, data: bytes) -> tuple[list[Article], list[CorpusWarning]]:
    """Decode one file's bytes and parse it by its suffix into articles plus warnings."""
    suffix = PurePosixPath(rel).suffix.lower()
    parser = _PARSERS.get(suffix)
    if parser is None:
        return [], [CorpusWarning(rel, f"unsupported file type {suffix or '(no suffix)'!r}; skipped")]
    text, warns = decode(rel, data)
    if looks_binary(text):
        return [], [CorpusWarning(rel, "binary file, skipped")]
    if not text.strip():
        return [], [CorpusWarning(rel, "empty file, skipped")]
    articles, more = parser(rel, text)
    return articles, warns + more
