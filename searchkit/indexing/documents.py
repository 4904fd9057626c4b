"""Articles -> index documents: one Whoosh document per paragraph.

`paragraph_docs` gives an article's documents (quotations and speakers found
by `quotes.extract`). `ArticleWriter` feeds them to a writer, holding back each
article's tail (`searchkit.ingest.boilerplate`): it may be site furniture
repeated at the end of many articles, which is only known once the whole corpus
has been seen, so it is written (or dropped) by `write_held` with that set. The same class
runs in the indexing process and in each parallel worker (`parallel.py`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator

from searchkit.analysis import ascii_words, plain_runs
from searchkit.indexing.schema import PARAGRAPH
from searchkit.ingest import boilerplate
from searchkit.ingest import quotes as quotes_mod
from searchkit.ingest.values import Article

_WORD = re.compile(r"\w+")


def wire_key(text: str) -> str:
    """A fingerprint of a paragraph's words, equal for syndicated copies of it."""
    runs = plain_runs(text)
    if runs is not None:
        # The words are the runs cut at their inner dots (each between two word characters):
        # the same bytes as the words joined, without a second cut of the text.
        joined = b" ".join(runs)
        if len(runs) + joined.count(b".") < 8:
            return ""
        return hashlib.blake2b(joined.lower().replace(b".", b" "), digest_size=10).hexdigest()
    lower = text.lower()
    ascii_found = ascii_words(lower)  # the regex's words, in a quarter of the time
    if ascii_found is None:
        words: list[str] = _WORD.findall(lower)
        count, joined = len(words), " ".join(words).encode("utf-8")
    else:
        count, joined = len(ascii_found), b" ".join(ascii_found)
    if count < 8:  # short lines repeat by chance; only real copy counts
        return ""
    return hashlib.blake2b(joined, digest_size=10).hexdigest()


def paragraph_docs(article: Article) -> Iterator[dict[str, object]]:
    """The index documents of one article, one per paragraph, numbered from 1 (a part's from its `first`)."""
    for n, (text, found) in enumerate(
        zip(article.paragraphs, quotes_mod.extract(article.paragraphs, article.id)), start=article.first
    ):
        speakers = list(dict.fromkeys(q.speaker for q in found if q.speaker)) if found else []
        # No "pid": a paragraph is found by article_id and n, and a unique term
        # per paragraph would cost the index a term-table entry each.
        doc: dict[str, object] = {
            "kind": PARAGRAPH,
            "article_id": article.id,
            "n": n,
            "headline": article.headline,
            "body": text,
            "quotes": "\n".join(q.text for q in found) if found else "",
            "speakers": "; ".join(speakers) if speakers else "",
            "source": article.source,
            "url": article.url,
            "path": article.path,
            "wire": wire_key(text),
            # Each quote with its speaker and [start, end) offsets in the paragraph: results
            # show who said what, and snippets attribute (or focus on) a quotation by place.
            "meta": [[q.text, q.speaker or "", q.start, q.end] for q in found],
        }
        if article.date is not None:
            doc["date"] = article.date
        yield doc


class ArticleWriter:
    """Writes articles' paragraph documents through `add`, holding back furniture candidates."""

    def __init__(self, add: Callable[[dict[str, object]], None]) -> None:
        self.add = add
        self.paragraphs = 0  # documents written so far
        # Each article's tail documents wait for the boilerplate set (they are short), with
        # their texts and whether they are the whole article (which is never dropped whole).
        self.held: list[tuple[list[dict[str, object]], tuple[str, ...], bool]] = []

    def write(self, article: Article) -> None:
        docs = list(paragraph_docs(article))
        # Only an article's (last part's) end is its tail; a part of a big file is written at once.
        k = 0 if article.more else boilerplate.tail_count(article.paragraphs)
        for doc in docs[: len(docs) - k]:
            self.add(doc)
        self.paragraphs += len(docs) - k
        if k:
            whole = k == len(docs) and article.first == 1
            self.held.append((docs[len(docs) - k :], article.paragraphs[len(docs) - k :], whole))

    def write_held(self, repeated: frozenset[str]) -> None:
        """Write the held documents, minus what the boilerplate rule drops given the set `repeated`."""
        for docs, texts, whole in self.held:
            n = boilerplate.kept_of_tail(texts, repeated, whole=whole)
            for doc in docs[:n]:
                self.add(doc)
            self.paragraphs += n
        self.held.clear()

    def finish(self, repeated: frozenset[str], records: list[dict[str, object]]) -> None:
        """Write the held documents, then `records` (manifest documents): all is written."""
        self.write_held(repeated)
        for doc in records:
            self.add(doc)

    def cancel(self) -> None:
        """Nothing of its own to undo: the writer behind `add` is cancelled by its owner."""
