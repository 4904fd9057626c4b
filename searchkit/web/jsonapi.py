"""The JSON API: /api/search, /api/articles/{id}, /api/similar, /api/stats, /api/openapi.json.

Every endpoint is a GET that reads; errors come back as
`{"error": code, "message": the library's message, "status": n}` (see `failures`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import searchkit
from searchkit.errors import QueryError
from searchkit.web import openapi, views
from searchkit.web.failures import describe
from searchkit.web.library import Library
from searchkit.web.params import MAX_LIMIT, integer, search_params


def _answer(make: Callable[[], Any]) -> JSONResponse:
    """`make()`'s value as JSON, or the error it raised as JSON with its status."""
    try:
        return JSONResponse(make())
    except Exception as exc:  # noqa: BLE001 - every failure becomes a JSON answer, never a traceback
        status, code, message = describe(exc)
        return JSONResponse({"error": code, "message": message, "status": status}, status_code=status)


def routes(library: Library) -> list[Route]:
    """The API's routes over `library`."""

    def search(request: Request) -> JSONResponse:
        def make() -> Any:
            p = search_params(request.query_params)
            if not p.q.strip() and not p.speaker:
                raise QueryError("the query is empty; give some words to search for (q=...)")
            return views.run_search(library, p).to_dict()

        return _answer(make)

    def article(request: Request) -> JSONResponse:
        def make() -> Any:
            args = request.query_params
            paragraph = integer(args, "paragraph", 0, 1, 1_000_000) or None
            context = integer(args, "context", 0, 0, 1_000)
            return views.article(library, request.path_params["article_id"], paragraph, context).to_dict()

        return _answer(make)

    def similar(request: Request) -> JSONResponse:
        def make() -> Any:
            args = request.query_params
            article_id = args.get("article", "").strip()
            if not article_id:
                raise QueryError("give the article (article=ID) and its paragraph (paragraph=N)")
            paragraph = integer(args, "paragraph", 1, 1, 1_000_000)
            res = views.similar(library, article_id, paragraph, integer(args, "limit", 10, 1, MAX_LIMIT))
            return {"hits": [h.to_dict() for h in res], "summary": {"total": res.total, "query": res.query}}

        return _answer(make)

    def stats(request: Request) -> JSONResponse:
        return _answer(lambda: views.stats(library).to_dict())

    def spec(request: Request) -> JSONResponse:
        return JSONResponse(openapi.document(searchkit.__version__))

    return [
        Route("/api/search", search),
        Route("/api/articles/{article_id:path}", article),
        Route("/api/similar", similar),
        Route("/api/stats", stats),
        Route("/api/openapi.json", spec),
    ]
