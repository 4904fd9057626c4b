"""HTML pages, with the ``html`` extra: trafilatura finds the main text, one paragraph a line.

The page's title (or else its first line of text) is the headline; an ``<h1>``
repeating it is not a paragraph. Without trafilatura, or when it fails on a
page, the file is skipped with a warning: a third-party parser never stops
indexing a corpus.
"""

from __future__ import annotations

from searchkit.ingest.cleaning import block_paragraphs, clean, split_lines
from searchkit.ingest.formats.common import make_articles, parse_date
from searchkit.ingest.values import Article, CorpusWarning


def parse_html(rel: str, text: str) -> tuple[list[Article], list[CorpusWarning]]:
    try:
        import trafilatura  # noqa: F401  # optional: the html extra
    except Exception:  # not installed, or installed but broken
        why = "HTML support is not installed; skipped (pip install 'searchkit[html]'; it is read on the next update)"
        return [], [CorpusWarning(rel, why, retry=True)]
    try:
        doc = _extract(text)
    except Exception as e:  # a third-party parser may fail on any input: warn, never crash
        return [], [CorpusWarning(rel, f"could not extract text from HTML ({type(e).__name__}); skipped")]
    body = doc.get("text") if doc else None
    if not doc or not isinstance(body, str):
        return [], [CorpusWarning(rel, "no main text found in the HTML page; skipped")]
    warns: list[CorpusWarning] = []
    # trafilatura puts one paragraph per line
    blocks = [[line] for line in split_lines(body) if line.strip()]
    headline = clean(str(doc.get("title") or "")) or (clean(blocks.pop(0)[0]) if blocks else "")
    if not headline:
        return [], [CorpusWarning(rel, "no headline or text found in the HTML page; skipped")]
    if blocks and clean(blocks[0][0]) == headline:
        blocks.pop(0)  # the page's <h1> repeats the title
    raw_date = doc.get("date")
    date = parse_date(raw_date) if isinstance(raw_date, str) else None
    meta: dict[str, object] = {"date": date, "url": str(doc.get("url") or ""), "source": str(doc.get("sitename") or "")}
    return make_articles(rel, headline, block_paragraphs(blocks), meta, warns), warns


def _extract(text: str) -> dict[str, object] | None:
    """What trafilatura finds in a page, as a dict (None if nothing); raises whatever trafilatura raises."""
    import trafilatura

    found = trafilatura.bare_extraction(text, with_metadata=True)  # untyped: checked below
    if found is not None and not isinstance(found, dict):
        found = found.as_dict()  # trafilatura >= 1.9 returns a Document
    return found if isinstance(found, dict) else None
