"""Searching: a parsed query -> ranked, grouped, paged hits with snippets.

Whoosh scores paragraphs. By default results are per article: each article is
represented by its best paragraph, and the hit says how many more of its
paragraphs match. Paragraphs that are the same text word for word in several
articles (wire copy) collapse into the first, which lists the others. Equal
scores are ordered by article id and paragraph number, so output is stable.

A free-text word that matches nothing is retried with the indexed words near it
(see `typos`), and the results say so; when the results don't fill a page, a
respelled query that finds more is offered as a suggestion.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
from whoosh.query.compound import And, AndNot
from whoosh.query.positional import Phrase
from whoosh.query.qcore import Every, NullQuery, Query
from whoosh.query.terms import Term
from whoosh.query.wrappers import Not
from whoosh.reading import IndexReader
from whoosh.searching import Results, Searcher

from searchkit import analysis, defaults
from searchkit.analysis import TOKEN_PATTERN
from searchkit.codec import patches
from searchkit.errors import QueryError
from searchkit.indexing.schema import PARAGRAPH
from searchkit.results import Explanation, Hit, SearchResults
from searchkit.search import bulk as fastsearch
from searchkit.search import query as query_mod
from searchkit.search import quotations, quoteseek, scope, segments, typos
from searchkit.search.bm25f import CombinedTerm
from searchkit.search.bulkresult import ArticleCounts, FastResult
from searchkit.search.collapse import Collapsed, RowList, collapse
from searchkit.search.explain import explain
from searchkit.search.ranking import Ranking
from searchkit.search.snippets import make_snippets

SORTS = ("relevance", "date")


@dataclass(frozen=True)
class SearchRequest:
    """Everything a search can be asked, with the defaults users get."""

    text: str
    limit: int = defaults.LIMIT
    page: int = 1
    per_article: bool = True
    fragments: int = 1
    width: int = defaults.WIDTH
    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    under: tuple[str, ...] = ()  # folders (any of them); `path:` clauses in `text` add to them
    sort: str = "relevance"
    fuzzy: bool = True
    snippets: bool = True
    explain: bool = False


def _fuzzy_query(
    searcher: Searcher, text: str, ranking: Ranking
) -> tuple[Query, tuple[tuple[str, tuple[str, ...]], ...]]:
    """The free-text query, with each unknown word (or rare stem collision) replaced by the indexed word nearest it.

    Built through `query.free_text`, so repeated words and coordination weigh as
    they do without typos.
    """
    reader = searcher.reader()
    stems: list[str] = []
    retried: dict[str, tuple[str, ...]] = {}
    for word in (w.lower() for w in TOKEN_PATTERN.findall(text)):
        found = analysis.terms(word)
        if not found:
            continue
        if not typos.fuzzy_distance(word) or (typos.known(reader, found[0]) and not typos.collides(searcher, word)):
            stems.append(found[0])
            continue
        near = typos.near(reader, word)
        if near:
            retried.setdefault(word, tuple(typos.surface(searcher, s) for s in near))
            stems.extend(near)
    return query_mod.free_text(stems, ranking), tuple(retried.items())


def _filter(req: SearchRequest, searcher: Searcher | None = None) -> Query | None:
    """The request's date, source and folder filter (`scope.scope_filter`)."""
    return scope.scope_filter(searcher, since=req.since, until=req.until, source=req.source, under=req.under)


def highlight_terms(q: Query, reader: IndexReader) -> frozenset[str]:
    """The indexed words (stems) a query looks for in body or quotes, for highlighting.

    Walks the tree itself: Whoosh's `existing_terms` skips custom leaves and phrases.
    """
    out: set[str] = set()

    def walk(node: Query) -> None:
        if isinstance(node, Not):  # excluded words are not what a hit matched
            return
        if isinstance(node, AndNot):
            walk(node.a)
        elif isinstance(node, CombinedTerm):
            out.add(node.text)
        elif isinstance(node, Phrase):
            if node.fieldname in ("body", "quotes"):
                out.update(node.words)
        elif node.is_leaf():
            if getattr(node, "fieldname", None) in ("body", "quotes"):
                for _, text in node.expanded_terms(reader):
                    out.add(text.decode("utf-8") if isinstance(text, bytes) else text)
        else:
            for child in node.children():
                walk(child)

    walk(q)
    return frozenset(out)


def run(searcher: Searcher, req: SearchRequest, ranking: Ranking, parsed: Query | None = None) -> SearchResults:
    """Execute one search request on an open Whoosh searcher (`parsed`: a ready-made query)."""
    started = time.perf_counter()
    if req.limit < 1 or req.page < 1:
        raise QueryError("limit and page must be 1 or more")
    if req.sort not in SORTS:
        raise QueryError(f"unknown sort {req.sort!r}; use relevance or date")
    reader = searcher.reader()
    asked = req.text
    text, paths = scope.split_path_clauses(req.text) if parsed is None else (req.text, ())
    req = replace(req, text=text, under=req.under + paths) if paths else req
    q = parsed if parsed is not None else query_mod.parse(req.text, searcher.schema, ranking)
    retried: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if parsed is None and req.fuzzy and query_mod.is_free_text(req.text):
        words = query_mod.terms_of(req.text)
        typed = TOKEN_PATTERN.findall(req.text)
        if any(not typos.known(reader, s) for s in words) or any(typos.collides(searcher, w) for w in typed):
            q, retried = _fuzzy_query(searcher, req.text, ranking)
    if parsed is None and not retried and query_mod.is_free_text(req.text):
        q = quoteseek.rewrite(searcher, req.text, ranking) or q
    flt = _filter(req, searcher)

    need = req.page * req.limit
    ranked, per_article_counts = _ranked(searcher, q, flt, req, need, ranking.context)
    total = len(per_article_counts) if req.per_article else per_article_counts.total()
    page = ranked[(req.page - 1) * req.limit : need]
    terms = highlight_terms(q, reader) if req.snippets else frozenset()
    phrase = any(isinstance(node, Phrase) for node in q.leaves()) if req.snippets else False
    said = quotations.speaker_clauses(q, reader) if req.snippets else ()
    hits = tuple(
        _hit((req.page - 1) * req.limit + i + 1, score, fields_, also, per_article_counts, (terms, phrase, said), req)
        for i, (score, fields_, also) in enumerate(page)
    )
    suggestion = None
    if parsed is None and req.fuzzy and query_mod.is_free_text(req.text) and total < req.limit:
        # Only worth the extra lookups when the results don't fill a page.
        suggestion = typos.suggest(searcher, req.text, ranking, per_article_counts.total())
    if req.explain:
        hits = tuple(replace(h, explanation=_explain(searcher, q, h, ranking.context)) for h in hits)
    return SearchResults(
        hits=hits,
        query=asked,
        total=total,
        suggestion=suggestion,
        page=req.page,
        limit=req.limit,
        per_article=req.per_article,
        fuzzy=retried,
        seconds=time.perf_counter() - started,
        notes=_notes(searcher, req),
    )


#: The note a date-sorted search carries when the index holds no dates.
NO_DATES = "nothing in the index has a date, so the results are in relevance order"


def _notes(searcher: Searcher, req: SearchRequest) -> tuple[str, ...]:
    """What the reader should know about how the results were ordered."""
    if req.sort == "date" and not (segments.view(searcher).dates() != segments.UNDATED).any():
        return (NO_DATES,)
    return ()


def paragraph_docnum(searcher: Searcher, article_id: str, n: int) -> int | None:
    """The document number of paragraph `n` of an article, or None."""
    for docnum in searcher.document_numbers(article_id=article_id):
        fields_ = searcher.reader().stored_fields(docnum)
        if fields_.get("kind") == PARAGRAPH and fields_.get("n") == n:
            return int(docnum)
    return None


def _explain(searcher: Searcher, q: Query, hit: Hit, context: float) -> Explanation | None:
    docnum = paragraph_docnum(searcher, hit.article_id, hit.paragraph)
    if docnum is None:
        return None
    added = _context_added(searcher, q, hit.article_id, docnum, context) if context else 0.0
    return explain(searcher, q, docnum, hit.score, added)


def _context_added(searcher: Searcher, q: Query, article_id: str, docnum: int, context: float) -> float:
    """What article context added to a paragraph's score: `context * (best - own)` (`search.context`).

    The filters (dates, source) hold for whole articles, so the article's matches are all its matches.
    """
    flt = And([Term("article_id", article_id), Term("kind", PARAGRAPH)])
    own = {d: s for s, d in searcher.search(patches.exact_exclusions(q), limit=None, filter=flt).top_n}
    return context * (max(own.values()) - own[docnum]) if docnum in own else 0.0


def _reaches_other_docs(q: Query) -> bool:
    """True if the query can match documents that lack its terms (a NOT, or every document)."""
    if isinstance(q, (Not, Every)):
        return True
    return any(_reaches_other_docs(c) for c in q.children()) if not q.is_leaf() else False


def _ranked(
    searcher: Searcher, q: Query, flt: Query | None, req: SearchRequest, need: int, context: float = 0.0
) -> tuple[list[Collapsed], Counter[str] | ArticleCounts]:
    """The first `need` results in order (paragraphs, or best paragraph per article).

    `context` is `Ranking.context` (`search.context`), applied by both paths alike.
    """
    if q is NullQuery:
        return [], Counter()
    if _reaches_other_docs(q):  # NOT-only queries would match the index's file records too
        flt = Term("kind", PARAGRAPH) if flt is None else And([flt, Term("kind", PARAGRAPH)])
    fast = fastsearch.execute(searcher, q, flt, context)
    if fast is None and (context or req.sort == "date"):
        # Every match scored by Whoosh, then ranked as the bulk path ranks its own.
        fast = _scored_by_whoosh(searcher, q, flt, context)
    if fast is not None and req.sort == "date":
        fast = fast.by_date()
    if fast is not None:  # free text and AND/OR/NOT: every match scored in bulk, same scores, order and collapse
        return fast.collapse(need, req.per_article), fast.counts
    # One pass over every match (a phrase is matched once, not twice): all of them
    # ranked, for the totals and "N more in this article", and the first rows read.
    results = searcher.search(patches.exact_exclusions(q), limit=None, filter=flt)
    articles = searcher.reader().column_reader("article_id")
    counts: Counter[str] = Counter(articles[d] for _, d in results.top_n)
    return collapse(_WhooshRows(results, by_relevance=True), need, req.per_article), counts


def _scored_by_whoosh(searcher: Searcher, q: Query, flt: Query | None, context: float) -> FastResult:
    """Whoosh's scored matches as a bulk result (article context applied), to be ranked as the bulk path ranks."""
    top = searcher.search(patches.exact_exclusions(q), limit=None, filter=flt).top_n
    view = segments.view(searcher)
    docs = np.fromiter((d for _, d in top), dtype=np.int64, count=len(top))
    scores = np.fromiter((s for s, _ in top), dtype=np.float64, count=len(top))
    return FastResult(searcher, view, docs, scores, context)


class _WhooshRows(RowList):
    """Whoosh's results as `collapse.RankedRows`: read a window at a time, stored fields read once.

    Whoosh breaks score ties by docnum; by relevance the rows read are re-sorted in the
    documented order (score rounded to 9 places desc, article id, paragraph number).
    """

    def __init__(self, results: Results, by_relevance: bool) -> None:
        super().__init__([])
        self._results = results
        self._by_relevance = by_relevance
        self._read: list[tuple[float, dict[str, Any]]] = []  # in Whoosh's order

    def window(self, fetch: int) -> list[tuple[float, dict[str, Any]]]:
        self._read += [(hit.score or 0.0, hit.fields()) for hit in self._results[len(self._read) : fetch]]
        rows = list(self._read)
        if self._by_relevance:
            rows.sort(key=lambda r: (-round(r[0], 9), r[1]["article_id"], r[1]["n"]))
        return rows


def _hit(
    rank: int,
    score: float,
    f: dict[str, Any],
    also: list[str],
    counts: Mapping[str, int],
    asked: tuple[frozenset[str], bool, tuple[quotations.Clause, ...]],
    req: SearchRequest,
) -> Hit:
    """One hit; `asked` is what the snippets show: the words (stems), whether a phrase, the speakers."""
    terms, phrase, said = asked
    text = f.get("body", "")
    quoted = quotations.stored(f)
    frags = (
        make_snippets(
            text,
            terms,
            width=req.width,
            fragments=req.fragments,
            phrase=phrase,
            quotes=quoted,
            focus=quotations.focus(quoted, said),
        )
        if req.snippets
        else ()
    )
    first = frags[0] if frags else None
    return Hit(
        rank=rank,
        score=score,
        article_id=f["article_id"],
        paragraph=f["n"],
        headline=f.get("headline", ""),
        text=text,
        snippet=first.text if first else "",
        highlights=first.highlights if first else (),
        fragments=frags,
        quotes=quoted,
        speakers=tuple(x for x in f.get("speakers", "").split("; ") if x),
        source=f.get("source", ""),
        path=f.get("path", ""),
        date=f.get("date"),
        url=f.get("url", ""),
        more_in_article=max(0, counts.get(f["article_id"], 1) - 1) if req.per_article else 0,
        also_in=tuple(a for a in also if a != f["article_id"]),
    )
