"""One word's BM25F scores in one segment, for every matching paragraph at once.

The statistics come from the query itself: `CombinedTerm.matcher` is called for the
segment, so document frequency, idf, average lengths, k1, b and the weighted fields
are exactly the ones the Whoosh path uses, and only the arithmetic of
`CombinedMatcher.score` is repeated here, vectorised, from the matcher's public parts.
Each field's postings are read a block at a time (ids and term frequencies; positions
are not decoded) and field lengths come from per-segment arrays (`codec.readers`).
`tests/test_fastsearch.py` compares both paths on random queries, so a formula change
in one fails the tests until the other agrees.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from numpy.typing import NDArray
from whoosh.matching.mcore import NullMatcherClass
from whoosh.searching import Searcher

from searchkit.codec import postings, readers
from searchkit.search.bm25f import CombinedMatcher, CombinedTerm

#: Sorted local docnums and their scores.
Scored = tuple[NDArray[np.int64], NDArray[np.float64]]


class Unsupported(Exception):
    """A part of the query the bulk scorer does not score: Whoosh answers the whole query."""


def empty() -> Scored:
    """No match."""
    return np.zeros(0, dtype=np.int64), np.zeros(0)


#: Above this many ids per slot of the id range, `sum_by_id` bins by id directly (no sort).
DENSE_SHARE = 1 / 16


def sum_by_id(ids_l: list[NDArray[np.int64]], values_l: list[NDArray[np.float64]]) -> Scored:
    """Sorted distinct ids and, per id, the sum of its values in list order (from 0.0).

    `bincount` adds each id's values in input order either way, so both ways give the
    same floats: binning by id itself costs the id range, merging the sorted parts
    about n (the parts are each sorted: posting lists, or earlier sums).
    """
    if len(ids_l) == 1:
        return ids_l[0], values_l[0] + 0.0
    all_ids = np.concatenate(ids_l)
    top = int(all_ids.max()) + 1 if len(all_ids) else 0
    if len(all_ids) >= top * DENSE_SHARE:
        seen = np.zeros(top, dtype=bool)
        seen[all_ids] = True
        ids = np.flatnonzero(seen)
        sums = np.bincount(all_ids, weights=np.concatenate(values_l), minlength=top)[ids]
        return ids.astype(all_ids.dtype, copy=False), sums.astype(np.float64, copy=False)
    # Each part is sorted: a stable sort (timsort) merges the runs in about linear time,
    # where np.unique's quicksort sorted them from scratch.
    order = np.argsort(all_ids, kind="stable")
    ordered = all_ids[order]
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    where = np.empty(len(ordered), dtype=np.intp)
    where[order] = np.cumsum(first) - 1  # each input id's place among the distinct ids
    ids = ordered[first]
    sums = np.bincount(where, weights=np.concatenate(values_l), minlength=len(ids))
    return ids, sums.astype(np.float64, copy=False)  # (float64 already: weights given)


def word_scores(
    term: CombinedTerm, sub: Searcher, own: list[NDArray[np.int64]] | None = None, own_fields: Collection[str] = ()
) -> Scored | None:
    """(sorted local ids, scores) of one word in one segment: `CombinedMatcher.score`, vectorised.

    None when the segment lacks the word. The same operations in the same order as the
    scalar code (fields summed in order from 0.0 by `bincount`), so the same floats.
    The ids read from the `own_fields` postings are appended to `own` (when given): which
    paragraphs hold the word in their own text, without reading those postings again.
    """
    m = term.matcher(sub)
    if isinstance(m, NullMatcherClass):
        return None  # the word is not in this segment
    if type(m) is not CombinedMatcher:
        raise Unsupported  # a matcher of an unexpected shape: let Whoosh answer
    reader = sub.reader()
    ids_l, tf_l = [], []
    for part in m.parts:
        ids, freq = postings.read_postings(part.matcher)
        if own is not None and part.field in own_fields:
            own.append(ids)
        length = readers.field_lengths(reader, part.field)[ids]
        tf_l.append(freq / (part.c0 + part.c1 * length))
        ids_l.append(ids)
    ids, t = sum_by_id(ids_l, tf_l)
    k1 = m.k1
    return ids.astype(np.int64, copy=False), m.term_weight * t * (k1 + 1.0) / (k1 + t)
