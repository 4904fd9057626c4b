"""Boilerplate: short closing lines repeated at the end of many articles.

Site furniture that the per-file cleaning rules do not recognise ("The Daily
Planet, your town paper since 1901", "Follow our newsroom") shows itself only
across the corpus: the same short line closes many different articles. This is
the one rule for it, used by `read_corpus`, the indexer's one-process writer,
its worker processes and the incremental update, so that `read_corpus` gives
exactly the paragraphs searchkit indexes:

- An article's *tail* is the run of its last paragraphs, at most `TAIL` of
  them, each at most `MAX_CHARS` characters, at the very end of the article.
- A paragraph is *boilerplate* when it is in the tail of at least
  `MIN_ARTICLES` articles with distinct headlines.
- Each article loses the trailing run of its tail that is boilerplate, unless
  that would be every paragraph it has: then it keeps them all.

Why this shape: a dropped paragraph can never be found, so the rule errs
towards keeping text. Only the very end counts (a short line followed by real
prose is not a closing line, and dropping it would renumber the paragraphs
after it); articles are counted by headline, so syndicated copies of one story
(same headline, different files) do not make their own shared ending look like
furniture; and an article is never removed whole by a corpus-wide guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from searchkit.ingest.values import Article

#: A tail paragraph is at most this many characters long.
MAX_CHARS = 200
#: How many of an article's last paragraphs can be in its tail.
TAIL = 2
#: A tail paragraph closing this many articles (distinct headlines) is boilerplate.
MIN_ARTICLES = 3


def tail_count(paragraphs: Sequence[str]) -> int:
    """How many of the last paragraphs form the tail: short ones, at most `TAIL`, at the very end."""
    k = 0
    while k < min(TAIL, len(paragraphs)) and len(paragraphs[-1 - k]) <= MAX_CHARS:
        k += 1
    return k


def tail(paragraphs: Sequence[str]) -> list[str]:
    """The tail paragraphs themselves, in order."""
    return list(paragraphs[len(paragraphs) - tail_count(paragraphs) :])


def repeated(tails: Iterable[tuple[str, Sequence[str]]], min_articles: int = MIN_ARTICLES) -> frozenset[str]:
    """The boilerplate set, from each article's (headline, tail)."""
    seen: dict[str, set[str]] = {}
    for headline, texts in tails:
        for text in set(texts):
            seen.setdefault(text, set()).add(headline)
    return frozenset(t for t, heads in seen.items() if len(heads) >= min_articles)


def kept_of_tail(tail_texts: Sequence[str], boilerplate: frozenset[str], *, whole: bool) -> int:
    """How many of a tail's paragraphs stay; `whole` says the tail is the entire article."""
    n = len(tail_texts)
    while n and tail_texts[n - 1] in boilerplate:
        n -= 1
    return len(tail_texts) if whole and n == 0 else n


def kept(paragraphs: Sequence[str], boilerplate: frozenset[str]) -> int:
    """How many of an article's paragraphs stay (always its first ones): all but its boilerplate tail."""
    k = tail_count(paragraphs)
    body = len(paragraphs) - k
    return body + kept_of_tail(paragraphs[body:], boilerplate, whole=body == 0)


def find_repeated_tails(articles: Iterable[Article], min_articles: int = MIN_ARTICLES) -> frozenset[str]:
    """The boilerplate set of these articles."""
    return repeated(((a.headline, tail(a.paragraphs)) for a in articles), min_articles)


def drop_tail_paragraphs(article: Article, boilerplate: frozenset[str]) -> Article:
    """The article without its boilerplate tail (never without every paragraph)."""
    n = kept(article.paragraphs, boilerplate)
    return article if n == len(article.paragraphs) else replace(article, paragraphs=article.paragraphs[:n])
