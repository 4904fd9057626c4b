"""Phrases in bulk: the paragraphs where a phrase's words stand one after another, scored.

A phrase (slop 1, in order) matches where Whoosh's SpanNear2 does: the paragraphs
holding every word, and among them those where the words stand at consecutive
positions. Both steps go rarest word first, so a phrase of common words
(`"to be or not to be"`: stop words are indexed, with positions) costs about what
its rarest words cost: the rarest word's posting ids are the candidates, each next
word only looked up among those left; then positions (`postings.read_positions`)
are read for the rarest word in the candidate paragraphs, and for each next word
only in the paragraphs where the words read so far still line up. A word that
stands twice in the phrase is read once. Each word scores as Whoosh's BM25F scores
a single field's term (the Term matchers inside the span matcher), the phrase's
boost on top. `phrase_docs` answers only for given paragraphs (`ownmatch`).
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

#: One distinct word of a phrase: its posting matcher, ids and term frequencies.
_Postings = tuple[Matcher, NDArray[np.int64], NDArray[np.float64]]


class _Words:
    """A phrase's words in order (as the index stores them) and each distinct word's postings."""

    def __init__(self, seq: list[bytes], postings_of: dict[bytes, _Postings]) -> None:
        self.seq = seq
        self.postings = postings_of

    def rarest_first(self) -> list[int]:
        """The phrase's places, the word with the fewest postings first (ties: phrase order)."""
        return sorted(range(len(self.seq)), key=lambda k: len(self.postings[self.seq[k]][1]))


def phrase_scores(q: Phrase, sub: Searcher) -> Scored:
    """(sorted local ids, scores) of a phrase in one segment, as Whoosh's SpanNear2 matches and scores it."""
    reader = sub.reader()
    seq = _phrase_seq(q, sub, reader)
    if seq is None:
        return empty()  # as Whoosh: a word missing from the segment, no match in it
    scorers = {word: _scorer(sub, q.fieldname, word) for word in seq}
    words = _read(seq, q.fieldname, reader)
    docs = _standing(words)
    if not len(docs):
        return empty()
    length = readers.field_lengths(reader, q.fieldname)[docs]
    scores = np.zeros(len(docs))
    for word in seq:  # in phrase order, a repeated word again (as Whoosh sums its span's terms)
        _, ids, tf = words.postings[word]
        scores += _bm25(scorers[word], tf[np.searchsorted(ids, docs)], length)
    if q.boost != 1.0:
        scores = scores * q.boost
    return docs, scores


def phrase_docs(q: Phrase, sub: Searcher, among: NDArray[np.int64]) -> NDArray[np.int64]:
    """The local ids of `among` (sorted, distinct) where the phrase stands in one segment (unscored)."""
    reader = sub.reader()
    seq = _phrase_seq(q, sub, reader)
    if seq is None or not len(among):
        return empty()[0]
    return _standing(_read(seq, q.fieldname, reader), among)


def _phrase_seq(q: Phrase, sub: Searcher, reader: IndexReader) -> list[bytes] | None:
    """The phrase's words as the field stores them; None when a word is not in the segment."""
    fieldname = q.fieldname
    if fieldname not in sub.schema or not q.words:
        raise Unsupported
    field = sub.schema[fieldname]
    if not field.format or not field.format.supports("positions"):
        raise Unsupported
    seq = []
    for word in q.words:
        try:
            word = field.to_bytes(word)
        except ValueError:
            return None
        if (fieldname, word) not in reader:
            return None
        seq.append(word)
    return seq


def _scorer(sub: Searcher, fieldname: str, word: bytes) -> object:
    scorer = sub.weighting.scorer(sub, fieldname, word)
    if type(scorer).__name__ != "BM25FScorer" or not all(hasattr(scorer, a) for a in ("idf", "avgfl", "B", "K1")):
        raise Unsupported
    return scorer


def _read(seq: list[bytes], fieldname: str, reader: IndexReader) -> _Words:
    """Each distinct word's postings (ids and frequencies; positions are read later, for candidates only)."""
    out: dict[bytes, _Postings] = {}
    for word in seq:
        if word not in out:
            m = reader.postings(fieldname, word)
            out[word] = (m, *postings.read_postings(m))
    return _Words(seq, out)


def _standing(words: _Words, among: NDArray[np.int64] | None = None) -> NDArray[np.int64]:
    """The sorted ids (of `among`, when given) holding every word, where the words stand in a row."""
    order = words.rarest_first()
    docs = among
    for word in dict.fromkeys(words.seq[k] for k in order):
        docs = words.postings[word][1] if docs is None else _within(docs, words.postings[word][1])
        if not len(docs):
            return docs
    assert docs is not None
    return _consecutive(words, order, docs) if len(words.seq) > 1 else docs


def _within(small: NDArray[np.int64], big: NDArray[np.int64]) -> NDArray[np.int64]:
    """The ids of `small` that are in `big` (both sorted, distinct): binary search, no sort of `big`."""
    if not len(big):
        return big
    at = np.searchsorted(big, small)
    at[at == len(big)] = 0
    inside: NDArray[np.int64] = small[big[at] == small]
    return inside


def _consecutive(words: _Words, order: list[int], docs: NDArray[np.int64]) -> NDArray[np.int64]:
    """The docs (holding every word) where the words stand at consecutive positions.

    A candidate is `doc << 32 | start`, the start being where the phrase's first word
    would stand; each word, rarest first, keeps the candidates it stands in.
    """
    starts: NDArray[np.int64] | None = None
    read: dict[bytes, tuple[NDArray[np.int64], NDArray[np.int64]]] = {}
    for k in order:
        word = words.seq[k]
        pdocs, pos = read.get(word) or _positions(words.postings[word], docs)
        read[word] = pdocs, pos
        ahead = pos >= k  # the phrase cannot start before the field's first word
        keys = _ascending((pdocs[ahead] << 32) | (pos[ahead] - k))
        starts = keys if starts is None else _within(*sorted((starts, keys), key=len))
        docs = _distinct(starts >> 32)
        if not len(docs):
            break
    return docs


def _ascending(keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """`keys` sorted and distinct; read in document and position order, they mostly are already (no sort)."""
    if len(keys) < 2 or bool((keys[1:] > keys[:-1]).all()):
        return keys
    return np.unique(keys)


def _distinct(ordered: NDArray[np.int64]) -> NDArray[np.int64]:
    """The distinct values of a sorted array."""
    if len(ordered) < 2:
        return ordered
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def _positions(posts: _Postings, docs: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(doc, position) of each occurrence of a word in `docs` (a sorted subset of its posting ids)."""
    m, ids, _ = posts
    try:
        return postings.read_positions(m, ids, docs)
    except (TypeError, ValueError, pickle.UnpicklingError):
        raise Unsupported from None


def _bm25(scorer: object, tf: NDArray[np.float64], fl: NDArray[np.float64]) -> NDArray[np.float64]:
    """`whoosh.scoring.bm25` over arrays, the same operations in the same order (so the same floats)."""
    idf, avgfl, b, k1 = (float(getattr(scorer, a)) for a in ("idf", "avgfl", "B", "K1"))
    return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
