"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Written by hand (Starlette generates none): four read-only GET endpoints; hits are
`Hit.to_dict()`, the same objects as `searchkit search --json`.
"""

from __future__ import annotations

from typing import Any


def _param(name: str, kind: str, doc: str, *, required: bool = False, where: str = "query") -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "description": doc, "schema": {"type": kind}}


_SEARCH_PARAMS = [
    _param("q", "string", "The query, in searchkit's query language.", required=True),
    _param("limit", "integer", "Hits per page (1-100)."),
    _param("page", "integer", "Page of results, from 1."),
    _param("per_article", "boolean", "One hit per article (default true); false lists every paragraph."),
    _param("fragments", "integer", "Snippet fragments per hit (1-5)."),
    _param("width", "integer", "Snippet width in characters."),
    _param("since", "string", "Only articles dated on or after (YYYY-MM-DD)."),
    _param("until", "string", "Only articles dated on or before (YYYY-MM-DD)."),
    _param("source", "string", "Only articles from this source."),
    _param("speaker", "string", 'Only paragraphs quoting this person (adds AND speaker:"..." to q).'),
    _param("sort", "string", "relevance (default) or date."),
    _param("fuzzy", "boolean", "Retry unknown words with typo tolerance (default true)."),
]

_ERROR = {
    "description": "An error: {error: code, message: the library's message, status}",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _get(summary: str, params: list[dict[str, Any]], ok: str, *errors: str) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": ok, "content": {"application/json": {}}}}
    responses.update({code: _ERROR for code in errors})
    return {"get": {"summary": summary, "parameters": params, "responses": responses}}


def document(version: str) -> dict[str, Any]:
    """The OpenAPI document."""
    article = _param("article_id", "string", "The article id.", required=True, where="path")
    return {
        "openapi": "3.1.0",
        "info": {"title": "searchkit", "version": version, "description": "Read-only search over a searchkit index."},
        "paths": {
            "/api/search": _get(
                "Ranked hits for a query, with a summary {total, page, pages, took_ms, facets}",
                _SEARCH_PARAMS,
                "{hits: [Hit.to_dict()], summary: {...}, fuzzy, suggestion}",
                "400",
                "503",
            ),
            "/api/articles/{article_id}": _get(
                "An article, or a paragraph with context",
                [
                    article,
                    _param("paragraph", "integer", "Paragraph number, from 1."),
                    _param("context", "integer", "Paragraphs either side of `paragraph`."),
                ],
                "The article's paragraphs",
                "400",
                "404",
                "503",
            ),
            "/api/similar": _get(
                "Paragraphs of other articles most like a given paragraph",
                [
                    _param("article", "string", "The article id.", required=True),
                    _param("paragraph", "integer", "Its paragraph number.", required=True),
                    _param("limit", "integer", "Hits (1-100)."),
                ],
                "{hits: [Hit.to_dict()], summary}",
                "400",
                "404",
                "503",
            ),
            "/api/stats": _get("What the index holds", [], "Counts, top speakers, last update", "503"),
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {"type": "string"},
                        "message": {"type": "string"},
                        "status": {"type": "integer"},
                    },
                }
            }
        },
    }
