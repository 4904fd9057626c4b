"""Articles -> index documents: one Whoosh document per paragraph.

`paragraph_docs` gives an article's documents (quotations and speakers found
by `quotes.extract`). `ArticleWriter` feeds them to a writer, holding back each
article's short trailing paragraphs: they may be site furniture repeated at the
end of many articles, which is only known once the whole corpus has been seen,
so they are written (or dropped) by `write_held` with that set. The same class
runs in the indexing process and in each parallel worker (`parallel.py`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from searchkit.analysis import ascii_words
from searchkit.indexing.schema import PARAGRAPH
from searchkit.ingest import quotes as quotes_mod
from searchkit.ingest.articles import Article

#: A trailing paragraph this short, ending this many articles (distinct headlines), is furniture.
BOILERPLATE_MAX_CHARS = 200
BOILERPLATE_MIN_ARTICLES = 3
#: How many trailing paragraphs of each article are candidates.
TAIL = 2

_WORD = re.compile(r"\w+")


def wire_key(text: str) -> str:
    """A fingerprint of a paragraph's words, equal for syndicated copies of it."""
    lower = text.lower()
    words = ascii_words(lower)  # the regex's words, in a quarter of the time
    if words is None:
        words = _WORD.findall(lower)
        joined = " ".join(words).encode("utf-8")
    else:
        joined = b" ".join(words)
    if len(words) < 8:  # short lines repeat by chance; only real copy counts
        return ""
    return hashlib.blake2b(joined, digest_size=10).hexdigest()


def paragraph_docs(article: Article) -> Iterator[dict[str, Any]]:
    """The index documents of one article, one per paragraph, numbered from 1."""
    for n, (text, found) in enumerate(
        zip(article.paragraphs, quotes_mod.extract(article.paragraphs, article.id)), start=1
    ):
        speakers = list(dict.fromkeys(q.speaker for q in found if q.speaker))
        # No "pid": a paragraph is found by article_id and n, and a unique term
        # per paragraph would cost the index a term-table entry each.
        doc: dict[str, Any] = {
            "kind": PARAGRAPH,
            "article_id": article.id,
            "n": n,
            "headline": article.headline,
            "body": text,
            "quotes": "\n".join(q.text for q in found),
            "speakers": "; ".join(speakers),
            "source": article.source,
            "url": article.url,
            "path": article.path,
            "wire": wire_key(text),
            # Who said each quote, for snippets that show a quote but not its attribution.
            "meta": [[q.text, q.speaker or ""] for q in found],
        }
        if article.date is not None:
            doc["date"] = article.date
        yield doc


def tail_count(paragraphs: Sequence[str]) -> int:
    """How many trailing paragraphs are short enough to be furniture candidates."""
    k = 0
    while k < min(TAIL, len(paragraphs)) and len(paragraphs[-1 - k]) <= BOILERPLATE_MAX_CHARS:
        k += 1
    return k


def tails(article: Article) -> list[str]:
    """The article's furniture candidates: its short trailing paragraphs."""
    return list(article.paragraphs[len(article.paragraphs) - tail_count(article.paragraphs) :])


class ArticleWriter:
    """Writes articles' paragraph documents through `add`, holding back furniture candidates."""

    def __init__(self, add: Callable[[dict[str, Any]], None]) -> None:
        self.add = add
        self.paragraphs = 0  # documents written so far
        # Each article's candidate tail documents wait for the boilerplate set; they are short.
        self.held: list[list[dict[str, Any]]] = []

    def write(self, article: Article) -> None:
        docs = list(paragraph_docs(article))
        k = tail_count(article.paragraphs)
        for doc in docs[: len(docs) - k]:
            self.add(doc)
        self.paragraphs += len(docs) - k
        if k:
            self.held.append(docs[len(docs) - k :])

    def write_held(self, boilerplate: frozenset[str]) -> None:
        """Write the held documents, minus each article's trailing run of `boilerplate`."""
        for docs in self.held:
            while docs and docs[-1]["body"] in boilerplate:
                docs.pop()
            for doc in docs:
                self.add(doc)
            self.paragraphs += len(docs)
        self.held.clear()

    def finish(self, boilerplate: frozenset[str], records: list[dict[str, Any]]) -> None:
        """Write the held documents, then `records` (manifest documents): all is written."""
        self.write_held(boilerplate)
        for doc in records:
            self.add(doc)

    def cancel(self) -> None:
        """Nothing of its own to undo: the writer behind `add` is cancelled by its owner."""
