"""Searching: a parsed query -> ranked, grouped, paged hits with snippets.

Whoosh scores paragraphs. By default results are per article: each article is
represented by its best paragraph, and the hit says how many more of its
paragraphs match. Paragraphs that are the same text word for word in several
articles (wire copy) collapse into the first, which lists the others. Equal
scores are ordered by article id and paragraph number, so output is stable.

A free-text word that matches nothing is retried with the indexed words near it
(see `typos`), and the results say so; when the results don't fill a page, a
respelled query that finds more is offered as a suggestion.

`run` is three phases: `plan` (the request checked, `path:` clauses, parse, typo
retry, respelling, speaker rewrite, filter), `rank` (the ranked rows and the counts)
and `present` (the page's hits, highlights, suggestion, explanations, notes). A
sharded index plans and presents with them and ranks on its shards (`shard.sharded`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
from whoosh.query.compound import And
from whoosh.query.qcore import Every, NullQuery, Query
from whoosh.query.terms import Term
from whoosh.query.wrappers import Not
from whoosh.searching import Searcher

from searchkit import analysis, defaults
from searchkit.analysis import TOKEN_PATTERN
from searchkit.codec import patches
from searchkit.errors import QueryError
from searchkit.indexing.schema import PARAGRAPH
from searchkit.results import Explanation, Hit, SearchResults
from searchkit.search import bulk as fastsearch
from searchkit.search import marks, ownmatch, quotations, quoteseek, respell, scope, segments, typos
from searchkit.search import query as query_mod
from searchkit.search.bulkresult import ArticleCounts, FastResult
from searchkit.search.collapse import Collapsed
from searchkit.search.explain import explain
from searchkit.search.ranking import Ranking
from searchkit.search.snippets import make_snippets, match_spans

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
    keep_all = not analysis.terms(text)  # only stop words: they are searched (analysis.query_terms)
    for word in (w.lower() for w in TOKEN_PATTERN.findall(text)):
        found = analysis.index_terms(word) if keep_all else analysis.terms(word)
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


Retried = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Plan:
    """A request made ready to rank: `path:` clauses moved into `under`, the query parsed and retried, the filter."""

    req: SearchRequest
    asked: str  # the text as the user typed it
    q: Query
    retried: Retried  # free-text words retried as indexed words near them (`typos`), or respelled (`respell`)
    flt: Query | None
    parsed: bool  # the query was given ready-made (no typo retry, no suggestion)
    seeking: quoteseek.Seeking | None = None  # a quote-seeking question: its paragraphs to rank first


@dataclass(frozen=True)
class Ranked:
    """The ranking step's answer: the first results in order, matches per article, the totals."""

    rows: list[Collapsed]
    counts: Mapping[str, int]  # matching paragraphs per article (own-text matches for those shown: `ownmatch`)
    headline_only: Callable[[str], bool]  # was this article matched only by its headline?
    total: int  # what the results count: articles, or paragraphs when not per article
    paragraphs: int  # every matching paragraph (what a respelling must beat)


def run(searcher: Searcher, req: SearchRequest, ranking: Ranking, parsed: Query | None = None) -> SearchResults:
    """Execute one search request on an open Whoosh searcher (`parsed`: a ready-made query)."""
    started = time.perf_counter()
    planned = plan(searcher, req, ranking, parsed)
    return present(searcher, planned, rank(searcher, planned, ranking), ranking, started)


def plan(searcher: Searcher, req: SearchRequest, ranking: Ranking, parsed: Query | None = None) -> Plan:
    """The request checked, its `path:` clauses split off, its query parsed, typos retried, its filter built."""
    if req.limit < 1 or req.page < 1:
        raise QueryError("limit and page must be 1 or more")
    if req.sort not in SORTS:
        raise QueryError(f"unknown sort {req.sort!r}; use relevance or date")
    reader = searcher.reader()
    asked = req.text
    text, paths = scope.split_path_clauses(req.text) if parsed is None else (req.text, ())
    req = replace(req, text=text, under=req.under + paths) if paths else req
    q = parsed if parsed is not None else query_mod.parse(req.text, searcher.schema, ranking)
    retried: Retried = ()
    if parsed is None and req.fuzzy and query_mod.is_free_text(req.text):
        words = query_mod.terms_of(req.text)
        typed = TOKEN_PATTERN.findall(req.text)
        if any(not typos.known(reader, s) for s in words) or any(typos.collides(searcher, w) for w in typed):
            q, retried = _fuzzy_query(searcher, req.text, ranking)
    if parsed is None and req.fuzzy and not query_mod.is_free_text(req.text):
        q, retried = respell.respell(searcher, q)  # a typo inside a phrase or a field clause
    seeking = None
    if parsed is None and not retried and query_mod.is_free_text(req.text):
        seeking = quoteseek.rewrite(searcher, req.text, ranking)
    q = seeking.q if seeking is not None else q
    return Plan(req, asked, q, retried, _filter(req, searcher), parsed is not None, seeking)


def rank(searcher: Searcher, planned: Plan, ranking: Ranking) -> Ranked:
    """The first `page * limit` results of the plan on this searcher, with their counts (`_ranked`)."""
    req = planned.req
    need = req.page * req.limit
    rows, per_article_counts, headline_only = _ranked(searcher, planned, need, ranking.context)
    total = len(per_article_counts) if req.per_article else per_article_counts.total()
    return Ranked(rows, per_article_counts, headline_only, total, per_article_counts.total())


def present(
    searcher: Searcher, planned: Plan, ranked: Ranked, ranking: Ranking, started: float | None = None
) -> SearchResults:
    """The requested page of `ranked` as results: hits with snippets and highlights, suggestion, explanations, notes."""
    started = time.perf_counter() if started is None else started
    req, q, reader = planned.req, planned.q, searcher.reader()
    need = req.page * req.limit
    page = ranked.rows[(req.page - 1) * req.limit : need]
    marked = marks.marks(q, reader) if req.snippets else marks.Marks()
    # A quote-seeking question names its speaker in `seeking.first`; other queries in their own clauses.
    asks = q if planned.seeking is None else planned.seeking.first
    said = quotations.speaker_clauses(asks, reader) if req.snippets else ()
    hits = tuple(
        _hit((req.page - 1) * req.limit + i + 1, score, fields_, also, ranked.counts, (marked, said), req)
        for i, (score, fields_, also) in enumerate(page)
    )
    hits = tuple(replace(h, headline_only=True) if ranked.headline_only(h.article_id) else h for h in hits)
    suggestion = None
    if not planned.parsed and req.fuzzy and query_mod.is_free_text(req.text) and ranked.total < req.limit:
        # Only worth the extra lookups when the results don't fill a page.
        suggestion = typos.suggest(searcher, req.text, ranking, ranked.paragraphs)
    if req.explain:
        lift_of = _lifts(searcher, planned.seeking)  # the question's first paragraphs found once for the page
        hits = tuple(replace(h, explanation=explain_hit(searcher, q, h, ranking.context, lift_of)) for h in hits)
    return SearchResults(
        hits=hits,
        query=planned.asked,
        total=ranked.total,
        suggestion=suggestion,
        page=req.page,
        limit=req.limit,
        per_article=req.per_article,
        fuzzy=planned.retried,
        seconds=time.perf_counter() - started,
        notes=notes(searcher, req),
    )


#: The note a date-sorted search carries when the index holds no dates.
NO_DATES = "nothing in the index has a date, so the results are in relevance order"


def notes(searcher: Searcher, req: SearchRequest) -> tuple[str, ...]:
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


def explain_hit(
    searcher: Searcher, q: Query, hit: Hit, context: float, lift_of: Callable[[int], float] | None = None
) -> Explanation | None:
    """The hit's score explained; `lift_of(docnum)`: what a quote-seeking question added to it (`_lifts`)."""
    docnum = paragraph_docnum(searcher, hit.article_id, hit.paragraph)
    if docnum is None:
        return None
    added = _context_added(searcher, q, hit.article_id, docnum, context) if context else 0.0
    return explain(searcher, q, docnum, hit.score, added, lift_of(docnum) if lift_of else 0.0)


def _lifts(searcher: Searcher, seeking: quoteseek.Seeking | None) -> Callable[[int], float] | None:
    """What a quote-seeking question added to a paragraph by docnum: its lift when put first, else 0."""
    if seeking is None:
        return None
    first = quoteseek.first_mask(searcher, seeking)
    return lambda docnum: seeking.lift if first[docnum] else 0.0


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
    searcher: Searcher, planned: Plan, need: int, context: float = 0.0
) -> tuple[list[Collapsed], ArticleCounts | Counter[str] | ownmatch.ShownCounts, Callable[[str], bool]]:
    """The first `need` results in order (paragraphs, or best paragraph per article), the matches per
    article (own-text matches: `ownmatch`), and which articles matched only by their headline.

    `context` is `Ranking.context` (`search.context`), applied by both paths alike.
    """
    q, flt, req = planned.q, planned.flt, planned.req
    if q is NullQuery:
        return [], Counter(), _no_article
    if _reaches_other_docs(q):  # NOT-only queries would match the index's file records too
        flt = Term("kind", PARAGRAPH) if flt is None else And([flt, Term("kind", PARAGRAPH)])
    fast = scored(searcher, q, flt, context, planned.seeking)
    view = segments.view(searcher)
    if req.per_article:  # an article's best paragraph is an own match if it has one: only the page's counts change
        fast = fast.by_date() if req.sort == "date" else fast
        rows = fast.collapse(need, True)
        shown = [str(f["article_id"]) for _, f, _ in rows[need - req.limit :]]
        counts, headline_only = ownmatch.shown_counts(searcher, view, q, fast, shown)
        return rows, counts, headline_only
    fast, headline_only = ownmatch.narrow(searcher, view, q, fast)
    fast = fast.by_date() if req.sort == "date" else fast
    return fast.collapse(need, False), fast.counts, headline_only


def _no_article(article_id: str) -> bool:
    return False


def scored(
    searcher: Searcher, q: Query, flt: Query | None, context: float, seeking: quoteseek.Seeking | None = None
) -> FastResult:
    """Every match of `q` scored, by the bulk scorer or else Whoosh's matchers (article context applied);
    a quote-seeking question's paragraphs lifted above the rest (`quoteseek`)."""
    fast = fastsearch.execute(searcher, q, flt, context)
    if fast is None:
        # Every match scored by Whoosh, then ranked as the bulk path ranks its own.
        fast = _scored_by_whoosh(searcher, q, flt, context)
    if seeking is not None:
        fast.lift(quoteseek.first_mask(searcher, seeking), seeking.lift)
    return fast


def _scored_by_whoosh(searcher: Searcher, q: Query, flt: Query | None, context: float) -> FastResult:
    """Whoosh's scored matches as a bulk result (article context applied), to be ranked as the bulk path ranks."""
    top = searcher.search(patches.exact_exclusions(q), limit=None, filter=flt).top_n
    view = segments.view(searcher)
    docs = np.fromiter((d for _, d in top), dtype=np.int64, count=len(top))
    scores = np.fromiter((s for s, _ in top), dtype=np.float64, count=len(top))
    return FastResult(searcher, view, docs, scores, context)


#: Public name for the sharded search, whose shards rank their matches as `_ranked` does on one index.
reaches_other_docs = _reaches_other_docs


def _hit(
    rank: int,
    score: float,
    f: dict[str, Any],
    also: list[str],
    counts: Mapping[str, int],
    asked: tuple[marks.Marks, tuple[quotations.Clause, ...]],
    req: SearchRequest,
) -> Hit:
    """One hit; `asked` is what the snippets show: the words and phrases matched, the speakers."""
    marked, said = asked
    text = f.get("body", "")
    headline = f.get("headline", "")
    quoted = quotations.stored(f)
    frags = (
        make_snippets(
            text,
            marked.body.terms,
            width=req.width,
            fragments=req.fragments,
            quotes=quoted,
            focus=quotations.focus(quoted, said),
            phrases=marked.body.phrases,
        )
        if req.snippets
        else ()
    )
    lit = match_spans(headline, marked.headline.terms, phrases=marked.headline.phrases) if marked.headline else []
    first = frags[0] if frags else None
    return Hit(
        rank=rank,
        score=score,
        article_id=f["article_id"],
        paragraph=f["n"],
        headline=headline,
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
        headline_highlights=tuple(lit),
    )
