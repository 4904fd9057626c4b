"""Benchmark-only analyses: the stemmers and stop lists searchkit does not ship.

The relevance benchmark compared these with the shipped analysis (Snowball
stems, NLTK's stop words; see README.md). They are passed explicitly to
`searchkit.analysis.text_analyzer(stem_fn, stop)` and `terms(text, stem_fn,
stop)`; nothing patches the library.
"""

from __future__ import annotations

from whoosh.analysis.filters import STOP_WORDS as WHOOSH_STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

from searchkit.analysis import NLTK_STOP_WORDS, StemFn, fold, snowball_stem

#: Lucene's English list (33 words).
LUCENE_STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these "
    "they this to was will with".split()
)


def porter1_stem(word: str) -> str:
    """Whoosh's Porter stem of a lowercased word, accents folded (searchkit 0.1's stemmer)."""
    return str(porter_stem(fold(word)))


def no_stem(word: str) -> str:
    """The lowercased word itself, accents folded (no stemming)."""
    return fold(word)


STEMMERS: dict[str, StemFn] = {"snowball": snowball_stem, "porter": porter1_stem, "none": no_stem}
STOP_LISTS: dict[str, frozenset[str]] = {
    "whoosh": frozenset(WHOOSH_STOP_WORDS),
    "none": frozenset(),
    "lucene": LUCENE_STOP_WORDS,
    "nltk": NLTK_STOP_WORDS,
}
