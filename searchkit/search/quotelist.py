"""Listing quotations (`Index.quotes`): who said what, where.

With a query, the quotations of the paragraphs it matches, ranked as a search of
every paragraph (`per_article=False`) ranks them; without one, every quotation in
article id and paragraph order. A speaker keeps only that person's quotations,
named as `speaker:` names them (a surname, or the full name): with a query the
paragraphs are ranked for `(query) AND speaker:"name"`, as the search page's
speaker filter asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from whoosh.query.compound import And
from whoosh.query.positional import Phrase
from whoosh.query.qcore import NullQuery, Query
from whoosh.query.terms import Term
from whoosh.searching import Searcher

from searchkit.errors import QueryError
from searchkit.results import Hit, QuoteHit, QuoteSpan
from searchkit.search import query as query_mod
from searchkit.search.quotations import SPEAKERS_FIELD, Clause, name_words, said_by, stored
from searchkit.search.ranking import Ranking
from searchkit.search.searcher import SearchRequest, run


def _speaker_query(clause: Clause) -> Query:
    return Term(SPEAKERS_FIELD, clause[0]) if len(clause) == 1 else Phrase(SPEAKERS_FIELD, list(clause))


def _speaker_clause(speaker: str | None) -> Clause | None:
    if speaker is None:
        return None
    clause = name_words(speaker)
    if not clause:
        raise QueryError(f"speaker {speaker!r} has no words; give a name or a surname, e.g. speaker='Blair'")
    return clause


def find(
    searcher: Searcher,
    ranking: Ranking,
    query: str | None = None,
    *,
    speaker: str | None = None,
    limit: int | None = None,
    paragraphs: Query,
) -> tuple[QuoteHit, ...]:
    """Up to `limit` quotations (all when None): see the module docstring and `Index.quotes`.

    `paragraphs` matches the index's paragraph documents (the index's business, not the search's).
    """
    if limit is not None and limit < 1:
        raise QueryError("limit must be 1 or more (or None for every quotation)")
    clause = _speaker_clause(speaker)
    if query is None:
        rows: Iterator[tuple[dict[str, Any], float | None]] = _in_order(searcher, clause, paragraphs)
    else:
        rows = _ranked(searcher, ranking, query, clause, limit)
    out: list[QuoteHit] = []
    for fields, score in rows:
        for q in stored(fields):
            if clause is None or said_by(q.speaker, (clause,)):
                out.append(_quote_hit(len(out) + 1, q, fields, score))
                if limit is not None and len(out) >= limit:
                    return tuple(out)
    return tuple(out)


def _in_order(
    searcher: Searcher, clause: Clause | None, paragraphs: Query
) -> Iterator[tuple[dict[str, Any], float | None]]:
    """Every paragraph with quotes (by the speaker, when given), in article id and paragraph order."""
    reader = searcher.reader()
    which = paragraphs if clause is None else And([paragraphs, _speaker_query(clause)])
    docnums: Iterable[int] = searcher.docs_for_query(which)
    articles, numbers = reader.column_reader("article_id"), reader.column_reader("n")
    for docnum in sorted(docnums, key=lambda d: (articles[d], numbers[d])):
        fields = reader.stored_fields(docnum)
        if fields.get("meta"):
            yield fields, None


def _ranked(
    searcher: Searcher, ranking: Ranking, query: str, clause: Clause | None, limit: int | None
) -> Iterator[tuple[dict[str, Any], float | None]]:
    """The paragraphs `query` matches, ranked as a search of every paragraph ranks them.

    With a speaker, the query is `(query) AND speaker:"name"`, as the search page's
    speaker filter makes it. Paragraphs are read a window at a time, the window
    growing until `limit` quotations are found or the matches run out.
    """
    q = query_mod.parse(query, searcher.schema, ranking)
    if q is NullQuery:
        return
    if clause is not None:
        q = And([q, _speaker_query(clause)])
    fetch, seen = max(2 * (limit or 0), 20), 0
    while True:
        res = run(searcher, SearchRequest(text=query, limit=fetch, per_article=False, snippets=False), ranking, q)
        for hit in res.hits[seen:]:
            yield _fields_of(hit), hit.score
        seen = len(res.hits)
        if seen >= res.total or seen < fetch:
            return
        fetch = res.total if limit is None else fetch * 4


def _fields_of(hit: Hit) -> dict[str, Any]:
    """A hit as the stored fields `stored` and `_quote_hit` read."""
    meta = [[q.text, q.speaker or "", q.start, q.end] for q in hit.quotes]
    return {
        "article_id": hit.article_id,
        "n": hit.paragraph,
        "headline": hit.headline,
        "body": hit.text,
        "meta": meta,
        "source": hit.source,
        "path": hit.path,
        "date": hit.date,
        "url": hit.url,
    }


def _quote_hit(rank: int, q: QuoteSpan, fields: Mapping[str, Any], score: float | None) -> QuoteHit:
    return QuoteHit(
        rank=rank,
        text=q.text,
        speaker=q.speaker,
        article_id=str(fields.get("article_id", "")),
        paragraph=int(fields.get("n", 0)),
        start=q.start,
        end=q.end,
        headline=str(fields.get("headline", "")),
        source=str(fields.get("source", "")),
        path=str(fields.get("path", "")),
        date=fields.get("date"),
        url=str(fields.get("url", "")),
        score=score,
    )
