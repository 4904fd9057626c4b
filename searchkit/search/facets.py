"""Facets: how the matches of a query spread over sources, months, speakers and folders.

A facet count is taken over EVERY match of the query (the reporter's "when and
where was this covered"), never just the page shown. Two parts make it cheap:

- a `FacetTable` per open searcher (so per commit), built once from the index's
  own structures: paragraph -> article (the `article_id` column), -> source (the
  `source` postings), -> month (the `date` column), -> speakers (stored only on the
  paragraphs the `speakers` postings name), -> folder (the file records, through
  `scope.folders`). It is cached beside the searcher and
  rebuilt when another commit gives the index a new searcher.
- the query's matching paragraphs, unscored: for free text (an OR of words, the
  common case) the union of the words' postings read in bulk; for anything else
  Whoosh's own matchers. The filters (dates, source, folder: `scope`) narrow them
  as in the search.

Counting is then a handful of numpy operations. Counts are articles (an article
counts once per value however many of its paragraphs match), or paragraphs when
the search is not grouped per article, so they add up like `SearchResults.total`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from whoosh.query.compound import Or
from whoosh.query.qcore import NullQuery, Query
from whoosh.query.terms import Term
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from searchkit import analysis
from searchkit.codec import postings as codec_postings
from searchkit.errors import QueryError
from searchkit.indexing.schema import PARAGRAPH
from searchkit.results import FacetCount, Facets
from searchkit.search import marks, respell, scope, typos
from searchkit.search import query as query_mod
from searchkit.search.bm25f import CombinedTerm
from searchkit.search.memo import Memo
from searchkit.search.ranking import Ranking

#: The facets a search page shows, in order.
FACET_FIELDS = ("source", "month", "speaker")

#: Every facet there is: the page's, and the folder an article's file lies in ("." for the folder indexed).
ALL_FACETS = (*FACET_FIELDS, "folder")

#: Values kept per facet, most frequent first.
FACET_TOP = 10

_NONE = -1  # code of "no value" in the per-paragraph arrays


@dataclass(frozen=True)
class FacetTable:
    """Per paragraph (by document number): its article, source, month and folder codes, and its speakers."""

    article: np.ndarray  # int32; _NONE for documents that are not paragraphs
    source: np.ndarray  # int32 code into `sources`, or _NONE
    month: np.ndarray  # int32 code into `months`, or _NONE
    folder: np.ndarray  # int32 code into `folders`, or _NONE
    speaker_start: np.ndarray  # int64, size+1: document d's speakers are speaker_code[start[d]:start[d+1]]
    speaker_code: np.ndarray
    sources: tuple[str, ...]
    months: tuple[str, ...]
    speakers: tuple[str, ...]
    folders: tuple[str, ...]
    articles: int  # how many article codes there are


def table(searcher: Searcher) -> FacetTable:
    """The facet table of this searcher's index state, built on first use."""
    return _table_memo(searcher)


def _build(searcher: Searcher) -> FacetTable:
    reader = searcher.reader()
    size = reader.doc_count_all()
    paragraphs = _postings(searcher, [("kind", PARAGRAPH)])
    article = np.full(size, _NONE, dtype=np.int32)
    names: dict[str, int] = {}
    for doc, article_id in _column(searcher, "article_id", paragraphs, translate=True):
        article[doc] = names.setdefault(article_id, len(names))
    source, sources = _source_codes(searcher, size)
    month, months = _month_codes(searcher, paragraphs, size)
    folder, folders = _folder_codes(searcher, article, names)
    speaker_doc, speaker_code, speakers = _speaker_pairs(searcher)
    start = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(speaker_doc, minlength=size), out=start[1:])
    return FacetTable(
        article, source, month, folder, start, speaker_code, sources, months, speakers, folders, len(names)
    )


def _folder_codes(searcher: Searcher, article: np.ndarray, names: dict[str, int]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each paragraph's folder code, through its article (the folder map is per article, not per paragraph)."""
    of = scope.folders(searcher).of
    found: dict[str, int] = {}
    by_article = np.full(len(names) + 1, _NONE, dtype=np.int32)  # the last slot answers _NONE articles
    for article_id, code in names.items():
        folder = of.get(article_id)
        if folder is not None:
            by_article[code] = found.setdefault(folder or ".", len(found))
    return by_article[article], tuple(found)


def _word_docs(searcher: Searcher, terms: Iterable[tuple[str, str]]) -> np.ndarray:
    """Like `_postings`, read a block at a time (codec); deleted documents are NOT removed.

    Callers drop them with the table (deleted documents have no article there).
    """
    parts = _word_parts(searcher, terms)
    if not parts:
        return np.zeros(0, dtype=np.int64)
    if len(parts) == 1:
        return parts[0]
    seen = np.zeros(searcher.doc_count_all(), dtype=bool)  # a mask unions faster than sorting
    for ids in parts:
        seen[ids] = True
    return np.flatnonzero(seen)


def matching_mask(searcher: Searcher, q: Query) -> np.ndarray:
    """A boolean per document number: does `q` match it (unscored; deleted documents may be True)."""
    seen = np.zeros(searcher.doc_count_all(), dtype=bool)
    words = _word_terms(q)
    for ids in _word_parts(searcher, words) if words is not None else [_query_docs(searcher, q)]:
        seen[ids] = True
    return seen


def _word_parts(searcher: Searcher, terms: Iterable[tuple[str, str]]) -> list[np.ndarray]:
    """Each present term's document numbers, segment by segment (codec block reads)."""
    subs = searcher.subsearchers or [(searcher, 0)]
    parts = []
    for field, text in terms:
        key = (field, text.encode("utf-8"))
        for sub, offset in subs:
            reader = sub.reader()
            if key in reader:
                parts.append(codec_postings.read_postings(reader.postings(field, text))[0] + offset)
    return parts


def _postings(searcher: Searcher, terms: Iterable[tuple[str, str]]) -> np.ndarray:
    """The sorted union of the live documents holding any of `terms` (absent terms skipped)."""
    reader = searcher.reader()
    parts = [
        np.fromiter(reader.postings(field, text).all_ids(), dtype=np.int64)
        for field, text in terms
        if (field, text.encode("utf-8")) in reader
    ]
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(parts))


def _source_codes(searcher: Searcher, size: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each document's source code; a source is shown as first stored (its case kept)."""
    reader = searcher.reader()
    codes = np.full(size, _NONE, dtype=np.int32)
    shown: list[str] = []
    for text in reader.lexicon("source"):
        word = text.decode("utf-8") if isinstance(text, bytes) else str(text)
        docs = _postings(searcher, [("source", word)])
        if not len(docs):
            continue
        stored = str(searcher.reader().stored_fields(int(docs[0])).get("source", "") or word)
        codes[docs] = len(shown)
        shown.append(stored if stored.lower() == word else word)
    return codes, tuple(shown)


def _month_codes(searcher: Searcher, paragraphs: np.ndarray, size: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each paragraph's month ("YYYY-MM" of its article's date) as a code; undated ones _NONE."""
    codes = np.full(size, _NONE, dtype=np.int32)
    found: dict[str, int] = {}
    code_of: dict[int, int] = {}  # raw column value -> month code; undated rows hold a value out of range
    for doc, raw in _column(searcher, "date", paragraphs, translate=False):
        value = int(raw)
        if value not in code_of:
            code_of[value] = _month_code(value, found)
        codes[doc] = code_of[value]
    return codes, tuple(found)


def _column(searcher: Searcher, field: str, docs: np.ndarray, *, translate: bool) -> Iterator[tuple[int, Any]]:
    """(document, column value) for the sorted `docs`, read segment by segment.

    Whoosh's multi-segment column reader mis-numbers documents when a segment has
    no column (whoosh-reloaded writes such segments for record-only updates), so
    each segment's own reader is used; a segment without the column holds no
    paragraph and is skipped.
    """
    subs = searcher.subsearchers or [(searcher, 0)]
    for sub, offset in subs:
        reader = sub.reader()
        if not reader.has_column(field):
            continue
        column = reader.column_reader(field, translate=translate)
        lo, hi = np.searchsorted(docs, [offset, offset + reader.doc_count_all()])
        for doc in docs[lo:hi].tolist():
            yield doc, column[doc - offset]


def _month_code(raw: int, found: dict[str, int]) -> int:
    try:
        when = long_to_datetime(raw)
    except (OverflowError, ValueError):
        return _NONE
    return found.setdefault(f"{when.year:04d}-{when.month:02d}", len(found))


def _speaker_pairs(searcher: Searcher) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """(document, speaker) pairs for the paragraphs that quote someone (read from storage)."""
    reader = searcher.reader()
    words = [("speakers", t.decode("utf-8") if isinstance(t, bytes) else str(t)) for t in reader.lexicon("speakers")]
    docs = _postings(searcher, words)
    names: dict[str, int] = {}
    pair_doc: list[int] = []
    pair_code: list[int] = []
    for doc in docs.tolist():
        for name in str(searcher.reader().stored_fields(doc).get("speakers", "") or "").split("; "):
            if name:
                pair_doc.append(doc)
                pair_code.append(names.setdefault(name, len(names)))
    return np.array(pair_doc, dtype=np.int64), np.array(pair_code, dtype=np.int32), tuple(names)


# -- the query's matches ------------------------------------------------------------


def _free_text_query(searcher: Searcher, text: str, ranking: Ranking, fuzzy: bool) -> Query:
    """The query the search runs: parsed, with unknown free-text words retried as in the search."""
    if not fuzzy:
        return query_mod.parse(text, searcher.schema, ranking)
    if not query_mod.is_free_text(text):  # a typo inside a phrase or field clause, retried as the search does
        return respell.respell(searcher, query_mod.parse(text, searcher.schema, ranking))[0]
    query_mod.parse(text, searcher.schema, ranking)  # the same QueryErrors as the search
    reader = searcher.reader()
    stems: list[str] = []
    keep_all = not analysis.terms(text)  # only stop words: they are searched (analysis.query_terms)
    for word in (w.lower() for w in analysis.TOKEN_PATTERN.findall(text)):
        found = analysis.index_terms(word) if keep_all else analysis.terms(word)
        if not found:
            continue
        if typos.known(reader, found[0]) or not typos.fuzzy_distance(word):
            stems.append(found[0])
        else:
            stems.extend(typos.near(reader, word))
    return query_mod.free_text(stems, ranking)


def _word_terms(q: Query) -> list[tuple[str, str]] | None:
    """The (field, word) terms of a query that is only an OR of single words, else None."""
    leaves = [q] if isinstance(q, (Term, CombinedTerm)) else list(q.children()) if isinstance(q, Or) else None
    if leaves is None or not all(isinstance(leaf, (Term, CombinedTerm)) for leaf in leaves):
        return None
    return [(str(f), str(t)) for leaf in leaves for f, t in leaf.terms()]


def _query_docs(searcher: Searcher, q: Query) -> np.ndarray:
    """Every document `q` matches, through Whoosh's matchers segment by segment (unscored)."""
    subs = searcher.subsearchers or [(searcher, 0)]
    parts = [np.fromiter(q.docs(sub), dtype=np.int64) + offset for sub, offset in subs]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def matching(searcher: Searcher, q: Query, flt: Query | None) -> np.ndarray:
    """Document numbers of every paragraph `q` matches under filter `flt` (unscored)."""
    if q is NullQuery:
        return np.zeros(0, dtype=np.int64)
    words = _word_terms(q)
    if words is not None:  # free text: the postings' union, no matcher tree walked per document
        docs = _word_docs(searcher, words)
    else:
        docs = _query_docs(searcher, q)
    if flt is not None and len(docs):
        allowed = _query_docs(searcher, flt)
        docs = docs[np.isin(docs, allowed, assume_unique=True)]
    return docs


# -- counting -----------------------------------------------------------------------


def _top(codes: np.ndarray, names: Sequence[str], top: int) -> tuple[FacetCount, ...]:
    """The `top` most frequent codes (ties by name), skipping "no value"."""
    codes = codes[codes != _NONE]
    if not len(codes):
        return ()
    counts = np.bincount(codes, minlength=len(names))
    present = np.nonzero(counts)[0]
    if len(present) > top:  # keep every value tied with the top-th, then order those few exactly
        cut = np.partition(counts[present], len(present) - top)[len(present) - top]
        present = present[counts[present] >= cut]
    ranked = sorted(present.tolist(), key=lambda c: (-int(counts[c]), names[c]))[:top]
    return tuple(FacetCount(names[c], int(counts[c])) for c in ranked)


def _once_per_article(t: FacetTable, docs: np.ndarray, codes: np.ndarray, per_article: bool) -> np.ndarray:
    """`codes` of `docs`, with an (article, value) pair counted once when grouping per article."""
    if not per_article or not len(docs):
        return codes
    width = np.int64(max(1, len(t.article)))
    pairs = np.unique(t.article[docs].astype(np.int64) * width + codes.astype(np.int64) + 1)
    values: np.ndarray = (pairs % width - 1).astype(np.int32)
    return values


def _representatives(t: FacetTable, docs: np.ndarray) -> np.ndarray:
    """One matching paragraph of each matching article (source and month are the article's)."""
    rep = np.full(t.articles, -1, dtype=np.int64)
    rep[t.article[docs]] = docs
    return rep[rep >= 0]


def _field_codes(
    t: FacetTable, docs: np.ndarray, units: np.ndarray, name: str, per_article: bool
) -> tuple[np.ndarray, Sequence[str]]:
    """For facet `name`: the value code of each counted unit, and the value names.

    `units` are the paragraphs counted for one-value-per-article facets (one per
    article when `per_article`); speakers are per paragraph, so they start from `docs`.
    """
    if name == "source":
        return t.source[units], t.sources
    if name == "month":
        return t.month[units], t.months
    if name == "folder":
        return t.folder[units], t.folders
    if name == "speaker":
        first = t.speaker_start[docs]
        many = t.speaker_start[docs + 1] - first
        # Row numbers first[i] .. first[i] + many[i] - 1 for every document, without a Python loop.
        step = np.arange(int(many.sum())) - np.repeat(np.cumsum(many) - many, many)
        rows = np.repeat(first, many) + step
        return _once_per_article(t, np.repeat(docs, many), t.speaker_code[rows], per_article), t.speakers
    raise QueryError(f"unknown facet {name!r}; the facets are {', '.join(ALL_FACETS)}")


def count(
    searcher: Searcher,
    text: str,
    ranking: Ranking,
    *,
    fields: Sequence[str] = FACET_FIELDS,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    under: tuple[str, ...] = (),
    per_article: bool = True,
    fuzzy: bool = True,
    top: int = FACET_TOP,
) -> Facets:
    """Facet counts for the search `text` with these filters (raises QueryError as the search does)."""
    started = time.perf_counter()
    for name in fields:
        if name not in ALL_FACETS:
            raise QueryError(f"unknown facet {name!r}; the facets are {', '.join(ALL_FACETS)}")
    text, paths = scope.split_path_clauses(text)
    q = _free_text_query(searcher, text, ranking, fuzzy)
    flt = scope.scope_filter(searcher, since=since, until=until, source=source, under=under + paths)
    t = table(searcher)
    docs = matching(searcher, q, flt)
    docs = docs[t.article[docs] != _NONE] if len(docs) else docs  # paragraphs only, not file records
    if not per_article:  # the paragraphs the search lists: their own text matched, or one per headline-only article
        docs = _own_paragraphs(searcher, t, q, docs)
    units = _representatives(t, docs) if per_article else docs
    out: list[tuple[str, tuple[FacetCount, ...]]] = []
    for name in fields:
        codes, names = _field_codes(t, docs, units, name, per_article)
        out.append((name, _top(codes, names, top)))
    total = len(units)
    return Facets(tuple(out), total=total, per_article=per_article, seconds=time.perf_counter() - started)


def _own_paragraphs(searcher: Searcher, t: FacetTable, q: Query, docs: np.ndarray) -> np.ndarray:
    """`docs` narrowed as `ownmatch` narrows the search (a headline-only article: its first paragraph)."""
    own_q = marks.own_query(q)
    if own_q is None or not len(docs):
        return docs
    own = np.isin(docs, matching(searcher, own_q, None)) if own_q is not NullQuery else np.zeros(len(docs), bool)
    has_own = np.zeros(t.articles, dtype=bool)
    has_own[t.article[docs[own]]] = True
    rest = docs[~has_own[t.article[docs]]]
    _, first = np.unique(t.article[rest], return_index=True)  # docs are sorted: the article's first paragraph
    return np.sort(np.concatenate([docs[own], rest[first]]))


def source_counts(searcher: Searcher) -> tuple[FacetCount, ...]:
    """Every source in the index with its number of articles, most first (ties by name)."""
    t = table(searcher)
    docs = np.flatnonzero(t.article != _NONE)
    units = _representatives(t, docs)
    return _top(t.source[units], t.sources, max(1, len(t.sources)))


_table_memo: Memo[Searcher, FacetTable] = Memo(_build)
