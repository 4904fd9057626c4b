"""Own matches: a ranking narrowed to the paragraphs that match by their own text or quotes.

Every paragraph carries its article's headline, so a word of the headline matches
every paragraph of the article. Counted as such, "+ 39 more paragraphs" would count
paragraphs that say nothing of the query, and `--all-paragraphs` would list them.
So after scoring (scores and order untouched) the matches are narrowed:

- a paragraph matched by its own text, quotes or speakers (`marks.own_query`) stays;
- an article matched only through its headline keeps one paragraph, its best (the
  first in ranking order), standing for the article: the headline match belongs to
  the article, once. Such a hit is `headline_only`.

An article's best paragraph is always one of its own matches when it has any (its
own words add to the headline's), so per-article results are unchanged; only the
counts of "more paragraphs" and the paragraph lists change. A per-article search
(the default) therefore collapses every match as before and counts own matches
only for the articles on its page (`shown_counts`); `narrow` is for paragraph lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray
from whoosh.query.compound import Or
from whoosh.query.positional import Phrase
from whoosh.query.qcore import NullQuery, Query
from whoosh.query.terms import Term
from whoosh.searching import Searcher

from searchkit.codec import postings
from searchkit.search import marks, segments
from searchkit.search.bulkresult import ArticleCounts, DateOrdered, FastResult
from searchkit.search.facets import matching_mask
from searchkit.search.phrases import phrase_docs
from searchkit.search.segments import View
from searchkit.search.wordscores import Unsupported


def narrow(searcher: Searcher, view: View, q: Query, fast: FastResult) -> tuple[FastResult, Callable[[str], bool]]:
    """`fast` with only its own-text matches (and one paragraph per headline-only article).

    Also returns a test: was this article (by id) matched only by its headline?
    """
    own_q = marks.own_query(q)
    if own_q is None or not len(fast.docs):
        return fast, _never
    own = _own_of(searcher, own_q, fast, np.arange(len(fast.docs)))
    if own.all():
        return fast, _never
    article = view.article[fast.docs]
    has_own = np.zeros(len(view.names), dtype=bool)
    has_own[article[own]] = True
    keep = own | _best_of_each(fast, article, ~has_own[article])
    narrowed = _subset(searcher, view, fast, keep)

    def headline_only(article_id: str) -> bool:
        i = view.ordinal.get(article_id)
        return i is not None and not has_own[i]

    return narrowed, headline_only


def _never(article_id: str) -> bool:
    return False


class ShownCounts(Mapping[str, int]):
    """Matches per article as the scorer counted them, but own-text matches (at least 1) for the articles shown."""

    def __init__(self, counts: ArticleCounts, shown: dict[str, int]) -> None:
        self._counts = counts
        self._shown = shown

    def __getitem__(self, article_id: str) -> int:
        if article_id in self._shown:
            return max(1, self._shown[article_id])
        return self._counts[article_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    def total(self) -> int:
        """All matching paragraphs, headline matches included (as `ArticleCounts.total`)."""
        return self._counts.total()


def shown_counts(
    searcher: Searcher, view: View, q: Query, fast: FastResult, shown: Sequence[str]
) -> tuple[ArticleCounts | ShownCounts, Callable[[str], bool]]:
    """Own-text match counts for the `shown` articles, and the headline-only test for them."""
    own_q = marks.own_query(q)
    if own_q is None or not shown:
        return fast.counts, _never
    ordinals = {view.ordinal[a]: a for a in shown if a in view.ordinal}
    article = view.article[fast.docs]
    wanted = np.zeros(len(view.names), dtype=bool)  # a lookup table: cheaper than np.isin's sort
    wanted[list(ordinals)] = True
    picked = np.flatnonzero(wanted[article])
    own = _own_of(searcher, own_q, fast, picked)
    owners = article[picked][own].tolist()  # only the shown articles' matches: few
    found = {a: owners.count(o) for o, a in ordinals.items()}
    return ShownCounts(fast.counts, found), lambda article_id: found.get(article_id, 1) == 0


def _own_of(searcher: Searcher, own_q: Query, fast: FastResult, rows: np.ndarray) -> np.ndarray:
    """Which of the matches `rows` (indexes into `fast.docs`) the own-text query matches.

    A match lifted by a quote-seeking question is its paragraph's own: it quotes the
    person asked about (`FastResult.lift`).
    """
    own = _own_text_of(searcher, own_q, fast, rows)
    return own if fast.lifted is None else own | fast.lifted[rows]


def _own_text_of(searcher: Searcher, own_q: Query, fast: FastResult, rows: np.ndarray) -> np.ndarray:
    """Which of the matches `rows` the own-text query matches: the bulk scorer's own-text matches when
    it knew them (it read those postings to score), else the own-text query's postings read in bulk
    (cheaper than matchers skipping)."""
    if own_q is NullQuery or not len(rows):
        return np.zeros(len(rows), dtype=bool)
    if fast.own_text is not None:
        known: np.ndarray = fast.own_text[rows]
        return known
    among = own_among(segments.view(searcher), own_q, fast.docs[rows])
    if among is not None:
        return among
    mask: np.ndarray = matching_mask(searcher, own_q)[fast.docs[rows]]
    return mask


def own_among(view: View, own_q: Query, docs: NDArray[np.int64]) -> NDArray[np.bool_] | None:
    """Which of `docs` (docnums) `own_q` matches, looked up for those documents alone.

    For an own-text query of words and plain phrases (`"in the"`): a word's posting
    ids, a phrase's positions read only in `docs` (`phrases.phrase_docs`). None for
    another shape. Matching every document of the index instead (Whoosh's span
    matchers) cost seconds for a phrase of stop words.
    """
    leaves = list(own_q.children()) if type(own_q) is Or else [own_q]
    if not all(type(x) is Term or (type(x) is Phrase and x.slop == 1) for x in leaves):
        return None
    order = np.argsort(docs, kind="stable")  # the bulk scorer's are sorted, Whoosh's in ranking order
    docs = docs[order]
    out = np.zeros(len(docs), dtype=bool)
    for leaf in view.leaves:
        lo, hi = np.searchsorted(docs, (leaf.offset, leaf.offset + leaf.segment.size))
        if lo == hi:
            continue
        local = docs[lo:hi] - leaf.offset
        found = np.zeros(len(local), dtype=bool)
        try:
            for x in leaves:
                found |= np.isin(local, _leaf_docs(x, leaf.sub, local), assume_unique=True)
        except Unsupported:
            return None
        out[lo:hi] = found
    unsorted = np.empty_like(out)
    unsorted[order] = out
    return unsorted


def _leaf_docs(leaf: Query, sub: Searcher, local: NDArray[np.int64]) -> NDArray[np.int64]:
    """The local ids a word or a phrase matches in one segment (a phrase: looked for in `local` only)."""
    if isinstance(leaf, Phrase):
        return phrase_docs(leaf, sub, local)
    assert isinstance(leaf, Term)
    return _term_docs(leaf, sub)


def _term_docs(term: Term, sub: Searcher) -> NDArray[np.int64]:
    """A word's posting ids in one segment (none when the segment lacks it)."""
    reader = sub.reader()
    field = sub.schema[term.fieldname] if term.fieldname in sub.schema else None
    if field is None:
        return np.zeros(0, dtype=np.int64)
    try:
        text = field.to_bytes(term.text)
    except ValueError:
        return np.zeros(0, dtype=np.int64)
    if (term.fieldname, text) not in reader:
        return np.zeros(0, dtype=np.int64)
    ids: NDArray[np.int64] = postings.read_postings(reader.postings(term.fieldname, text))[0]
    return ids


def _best_of_each(fast: FastResult, article: np.ndarray, among: np.ndarray) -> np.ndarray:
    """A mask of the first match in ranking order of each article, over the matches `among`."""
    rows = np.flatnonzero(among)
    if not len(rows):
        return np.zeros(len(fast.docs), dtype=bool)
    own = fast.scores if fast.own is None else fast.own
    # np.lexsort: the last key sorts first; ties fall to the earlier document (paragraph).
    keys = (fast.docs[rows], -np.round(own[rows], 9), -np.round(fast.scores[rows], 9), article[rows])
    ordered = rows[np.lexsort(keys)]
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = article[ordered][1:] != article[ordered][:-1]
    out = np.zeros(len(fast.docs), dtype=bool)
    out[ordered[first]] = True
    return out


def _subset(searcher: Searcher, view: View, fast: FastResult, keep: np.ndarray) -> FastResult:
    """The same result over the kept matches: their scores as computed, counts over them alone."""
    kind = DateOrdered if isinstance(fast, DateOrdered) else FastResult
    out = kind(searcher, view, fast.docs[keep], fast.scores[keep], 0.0)  # scores already carry the context
    out.own = fast.own[keep] if fast.own is not None else None
    return out
