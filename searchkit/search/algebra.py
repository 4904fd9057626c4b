"""Boolean algebra in bulk: AND / OR / NOT (and +word / -word) over whole match sets.

Each word (or phrase) gives its (sorted ids, scores) in one segment; they are combined
with numpy set operations that add scores as Whoosh's matchers do: Or and And sum
their parts' scores (Union/IntersectionMatcher), a boost multiplies
(WrappingMatcher), AndNot and Require keep the first part's score, AndMaybe adds the
second part's where it matches, and Not matches every other document with score 1
(InverseMatcher). A `FreeText` part is scored as free text (`freetext`), and
Require's second part only filters, so it may be any query (the quote-seeking
rewrite's speakers:name), its matches read through Whoosh's own matcher when
the algebra cannot score it. Whoosh's own AndNotMatcher can keep a segment's first
match that the excluded part holds (see `codec.patches`); this path has no such slip, and the
tests check it against set algebra.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from whoosh.query.compound import And, AndMaybe, AndNot, Or, Require
from whoosh.query.positional import Phrase
from whoosh.query.qcore import Query
from whoosh.query.wrappers import Not
from whoosh.searching import Searcher

from searchkit.search.bm25f import CombinedTerm, FreeText
from searchkit.search.freetext import free_text, terms_of
from searchkit.search.phrases import phrase_scores
from searchkit.search.segments import Segment
from searchkit.search.wordscores import Scored, Unsupported, empty, sum_by_id, word_scores

#: Query types `match` evaluates (besides words and phrases); exact types, as subclasses may score otherwise.
BOOLEAN = (Or, And, AndNot, Not, Require, AndMaybe)


def is_boolean(q: Query) -> bool:
    """True for AND / OR / NOT (and +/-) combinations of plain words and phrases."""
    if type(q) is CombinedTerm:
        return True
    if type(q) is Phrase:
        return bool(q.slop == 1)  # (char_ranges, which the parser sets, only serve highlighting)
    if type(q) is FreeText:
        return terms_of(q) is not None
    if type(q) is Require:
        return is_boolean(q.a)  # its second part only filters: any query
    if type(q) not in BOOLEAN or (isinstance(q, Or) and (q.scale or q.minmatch)):
        return False
    return all(is_boolean(c) for c in q.children())


def match(q: Query, sub: Searcher, seg: Segment) -> Scored:
    """(sorted local ids, scores) of every match of `q` in one segment, as Whoosh's matchers score them."""
    if type(q) is CombinedTerm:
        return word_scores(q, sub) or empty()
    if type(q) is Phrase:
        return phrase_scores(q, sub)
    if type(q) is FreeText:
        shape = terms_of(q)
        if shape is None:
            raise Unsupported
        ids, scores, _ = free_text(True, shape, sub)
        return ids, scores
    if type(q) is Require:
        ids, scores = match(q.a, sub, seg)
        keep = np.isin(ids, filter_ids(q.b, sub, seg))
        return ids[keep], scores[keep]
    if type(q) is Not:
        child, _ = match(q.query, sub, seg)
        keep = np.ones(seg.size, dtype=bool)
        keep[child] = False
        ids = np.flatnonzero(keep)
        return ids, np.ones(len(ids))
    parts = [match(c, sub, seg) for c in q.children()]
    if not parts:  # an empty And / Or matches nothing
        return empty()
    ids, scores = _combine(q, parts)
    boost = float(getattr(q, "boost", 1.0))
    if type(q) in (Or, And) and len(parts) > 1 and boost != 1.0:
        scores = scores * boost
    return ids, scores


def filter_ids(q: Query, sub: Searcher, seg: Segment) -> NDArray[np.int64]:
    """Every local id `q` matches in one segment: by the algebra when it can, else by Whoosh's own matcher."""
    if is_boolean(q):
        return match(q, sub, seg)[0]
    return np.fromiter(q.matcher(sub).all_ids(), dtype=np.int64)


def _combine(q: Query, parts: list[Scored]) -> Scored:
    """The parts' matches combined as `q`'s matcher combines them."""
    kind = type(q)
    if kind is Or:
        return sum_by_id([p[0] for p in parts], [p[1] for p in parts])
    if kind is And:
        ids = parts[0][0]
        for other, _ in parts[1:]:
            ids = np.intersect1d(ids, other, assume_unique=True)
        scores = np.zeros(len(ids))
        for pids, pscores in parts:
            scores += pscores[np.searchsorted(pids, ids)]
        return ids, scores
    if kind is AndNot:
        (ids, scores), (other, _) = parts
        keep = np.isin(ids, other, assume_unique=True, invert=True)
        return ids[keep], scores[keep]
    if kind is AndMaybe:
        (ids, scores), (other, oscores) = parts
        scores = scores.copy()
        where = np.searchsorted(other, ids)
        hit = where < len(other)
        hit[hit] = other[where[hit]] == ids[hit]
        scores[hit] += oscores[where[hit]]
        return ids, scores
    raise Unsupported
