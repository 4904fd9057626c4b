"""Reading news articles from files into :class:`Article` values: the ingest stage's entry point.

`read_corpus` runs the stage over the paths given to index, in the order the
indexer does, and gives exactly the articles and paragraphs searchkit indexes:

1. `sources`: find the article files under the paths (sorted, each once),
   and `identity`: one key per file and one id per article;
2. `parsing` (with `decoding` and one module per format in `formats`): each
   file's bytes -> articles, whose paragraphs `cleaning` made right (real prose
   only, furniture such as copyright lines and share widgets dropped, inner
   line breaks joined, white space collapsed, over-long paragraphs split);
3. `boilerplate`: short closing lines repeated across many articles dropped.

Formats: ``.txt`` (line 1 headline, optional ``Date:``/``Source:``/``URL:``/
byline header lines, blank-line paragraphs), Markdown (``# headline``; later
``##`` subheadings become paragraphs of their own), JSON Lines (one article per
line) and, with the ``html`` extra, HTML pages via trafilatura.

Nothing here raises for bad input: undecodable, binary, empty or malformed
files come back as :class:`CorpusWarning` values and are skipped, so one bad
file never stops indexing a corpus. Only a named path that does not exist
raises :class:`~searchkit.errors.CorpusError`.

This module also re-exports the stage's names that the indexer and tests use,
so `searchkit.ingest.articles` stays the one import for them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence

from searchkit.ingest.boilerplate import drop_tail_paragraphs, find_repeated_tails
from searchkit.ingest.cleaning import MAX_PARAGRAPH
from searchkit.ingest.formats.common import parse_date
from searchkit.ingest.formats.jsonl import StreamedJsonl, streamable
from searchkit.ingest.identity import Claims, distinct_keys, renamed_warning
from searchkit.ingest.parsing import parse_file
from searchkit.ingest.pieces import TextPieces, in_pieces
from searchkit.ingest.sources import SUFFIXES, SourceFile, find_sources
from searchkit.ingest.values import Article, CorpusWarning

__all__ = [
    "MAX_PARAGRAPH",
    "SUFFIXES",
    "Article",
    "CorpusWarning",
    "SourceFile",
    "StreamedJsonl",
    "TextPieces",
    "drop_tail_paragraphs",
    "find_repeated_tails",
    "find_sources",
    "in_pieces",
    "open_stream",
    "parse_date",
    "parse_file",
    "read_corpus",
    "streamable",
]


def open_stream(src: SourceFile) -> StreamedJsonl | TextPieces | None:
    """How a big file is read without holding it: a JSONL file a line at a time, a text or Markdown
    file in pieces; None for a file read whole."""
    if streamable(src):
        return StreamedJsonl(src.rel, src.path)
    if in_pieces(src.rel, src.size) and src.path.is_file():
        return TextPieces(src.rel, src.path)
    return None


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
    keyed, renamed = distinct_keys(sources)  # the keys and ids the indexer gives (identity)
    claims = Claims()
    for src in keyed:
        try:
            data = src.path.read_bytes()
        except OSError as e:
            emit(CorpusWarning(src.rel, f"cannot read file ({e.strerror or e}); skipped"))
            continue
        found, warns = parse_file(src.rel, data)
        if src.rel in renamed:
            warns.append(renamed_warning(src.rel, renamed[src.rel]))
        for w in warns:
            emit(w)
        for article in found:
            article, clash = claims.take(article, src.rel)
            if clash is not None:
                emit(clash)
            articles.append(article)
    boilerplate = find_repeated_tails(articles)
    for art in articles:
        yield drop_tail_paragraphs(art, boilerplate)
