"""Phrases in bulk: the paragraphs where a phrase's words stand one after another, scored.

A phrase (slop 1, in order) matches where Whoosh's SpanNear2 does: first the
paragraphs holding every word (posting ids intersected), then the positions of only
those paragraphs' postings (`postings.read_positions`), where the words must stand at
consecutive positions. Each word scores as Whoosh's BM25F scores a single field's
term (the Term matchers inside the span matcher), the phrase's boost on top.
"""

from __future__ import annotations

import pickle

import numpy as np
from numpy.typing import NDArray
from whoosh.matching.mcore import Matcher
from whoosh.query.positional import Phrase
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from searchkit.codec import postings, readers
from searchkit.search.wordscores import Scored, Unsupported, empty

#: One word of a phrase: its posting matcher, ids, term frequencies and Whoosh scorer.
_Word = tuple[Matcher, NDArray[np.int64], NDArray[np.float64], object]


def phrase_scores(q: Phrase, sub: Searcher) -> Scored:
    """(sorted local ids, scores) of a phrase in one segment, as Whoosh's SpanNear2 matches and scores it."""
    reader = sub.reader()
    words = _phrase_words(q, sub, reader)
    if words is None:
        return empty()  # as Whoosh: a word missing from the segment, no match in it
    docs = words[0][1]
    for _, ids, _, _ in words[1:]:
        docs = np.intersect1d(docs, ids, assume_unique=True)
    if len(words) > 1 and len(docs):
        docs = _consecutive(words, docs)
    if not len(docs):
        return empty()
    length = readers.field_lengths(reader, q.fieldname)[docs]
    scores = np.zeros(len(docs))
    for _, ids, tf, scorer in words:
        scores += _bm25(scorer, tf[np.searchsorted(ids, docs)], length)
    if q.boost != 1.0:
        scores = scores * q.boost
    return docs, scores


def _phrase_words(q: Phrase, sub: Searcher, reader: IndexReader) -> list[_Word] | None:
    """Each word's postings and scorer; None when a word is not in the segment."""
    fieldname = q.fieldname
    if fieldname not in sub.schema or not q.words:
        raise Unsupported
    field = sub.schema[fieldname]
    if not field.format or not field.format.supports("positions"):
        raise Unsupported
    words = []
    for word in q.words:
        try:
            word = field.to_bytes(word)
        except ValueError:
            return None
        if (fieldname, word) not in reader:
            return None
        words.append(word)
    out: list[_Word] = []
    for word in words:
        scorer = sub.weighting.scorer(sub, fieldname, word)
        if type(scorer).__name__ != "BM25FScorer" or not all(hasattr(scorer, a) for a in ("idf", "avgfl", "B", "K1")):
            raise Unsupported
        m = reader.postings(fieldname, word)
        out.append((m, *postings.read_postings(m), scorer))
    return out


def _consecutive(words: list[_Word], docs: NDArray[np.int64]) -> NDArray[np.int64]:
    """The docs (holding every word) where the words stand at consecutive positions."""
    starts = None  # doc << 32 | position of the phrase's first word
    for k, (m, ids, _, _) in enumerate(words):
        try:
            pdocs, pos = postings.read_positions(m, ids, docs)
        except (TypeError, ValueError, pickle.UnpicklingError):
            raise Unsupported from None
        keys = np.unique((pdocs << 32) | (pos - k))
        starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
    assert starts is not None
    return np.unique(starts >> 32)


def _bm25(scorer: object, tf: NDArray[np.float64], fl: NDArray[np.float64]) -> NDArray[np.float64]:
    """`whoosh.scoring.bm25` over arrays, the same operations in the same order (so the same floats)."""
    idf, avgfl, b, k1 = (float(getattr(scorer, a)) for a in ("idf", "avgfl", "B", "K1"))
    return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
