"""How library errors become HTTP answers: a status, the library's own message, a fix.

400: the query or a parameter cannot be used (QueryError, RankingError).
404: no such article or paragraph (ArticleNotFoundError).
503: the index is missing, locked, damaged or of another schema; the message says
what to do, and the server keeps running so the next request can succeed.
Anything else is a 500 with a generic message: never a stack trace to the client.
"""

from __future__ import annotations

import logging

from searchkit.errors import (
    ArticleNotFoundError,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    QueryError,
    RankingError,
    SchemaMismatchError,
)

log = logging.getLogger("searchkit.web")

_STATUS: tuple[tuple[type[Exception], int, str], ...] = (
    (QueryError, 400, "bad_query"),
    (RankingError, 400, "bad_query"),
    (ArticleNotFoundError, 404, "not_found"),
    (IndexNotFoundError, 503, "index_not_found"),
    (IndexCorruptError, 503, "index_damaged"),
    (SchemaMismatchError, 503, "index_schema"),
    (IndexLockedError, 503, "index_locked"),
)


def describe(exc: Exception) -> tuple[int, str, str]:
    """(status, error code, message) for an exception raised while answering."""
    for kind, status, code in _STATUS:
        if isinstance(exc, kind):
            return status, code, str(exc)
    log.exception("unexpected error while answering a request", exc_info=exc)
    return 500, "internal", "the server failed to answer this request; see its log"
