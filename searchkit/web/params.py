"""Reading a request's query string into the library's search arguments.

The names are `Index.search`'s own (`limit`, `page`, `per_article`, `since`, ...),
so a URL reads like the call it makes; `q` is the query text. Bad values are a
`QueryError` (HTTP 400) whose message names the parameter. One addition: `speaker`
narrows to articles quoting that person by adding `AND speaker:"…"` to the query,
since the library filters speakers through its query language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from searchkit.defaults import LIMIT, WIDTH
from searchkit.errors import QueryError

#: The most hits one page may ask for (a server answers many users; the CLI has no cap).
MAX_LIMIT = 100
#: The widest snippet (characters): a whole news paragraph.
MAX_WIDTH = 10_000
#: The most snippet fragments per hit.
MAX_FRAGMENTS = 5
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SearchParams:
    """One search as a URL asks for it."""

    q: str = ""
    limit: int = LIMIT
    page: int = 1
    per_article: bool = True
    fragments: int = 1
    width: int = WIDTH
    since: datetime | None = None
    until: datetime | None = None
    source: str = ""
    speaker: str = ""
    sort: str = "relevance"
    fuzzy: bool = True

    @property
    def text(self) -> str:
        """The query the library runs: `q`, narrowed to `speaker` when one is given."""
        if not self.speaker:
            return self.q
        name = self.speaker.replace('"', " ").strip()
        return f'({self.q}) AND speaker:"{name}"' if self.q.strip() else f'speaker:"{name}"'

    def search_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `Index.search` (besides the text)."""
        return {
            "limit": self.limit,
            "page": self.page,
            "per_article": self.per_article,
            "fragments": self.fragments,
            "width": self.width,
            "since": self.since,
            "until": self.until,
            "source": self.source or None,
            "sort": self.sort,
            "fuzzy": self.fuzzy,
        }

    def facet_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `Index.facets`: the same filters as the search."""
        return {
            "since": self.since,
            "until": self.until,
            "source": self.source or None,
            "per_article": self.per_article,
            "fuzzy": self.fuzzy,
        }

    def query_string(self, **changes: Any) -> dict[str, str]:
        """The URL parameters of this search (defaults left out), with `changes` applied."""
        p = replace(self, **changes)
        out = {"q": p.q}
        for name, default in _DEFAULTS.items():
            value = getattr(p, name)
            if name in ("q",) or value == default:
                continue
            out[name] = (
                value.date().isoformat()
                if isinstance(value, datetime)
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
        return out


def integer(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer parameter within [low, high]."""
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise QueryError(f"{name} must be between {low} and {high}, not {value}")
    return value


def flag(args: Mapping[str, str], name: str, default: bool) -> bool:
    raw = args.get(name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise QueryError(f"{name} must be true or false, not {raw!r}")


def date(args: Mapping[str, str], name: str) -> datetime | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise QueryError(f"{name} must be a date like 2005-01-31, not {raw!r}") from None


def search_params(args: Mapping[str, str]) -> SearchParams:
    """The search a query string asks for (raises QueryError on a bad value)."""
    return SearchParams(
        q=args.get("q", ""),
        limit=integer(args, "limit", LIMIT, 1, MAX_LIMIT),
        page=integer(args, "page", 1, 1, 1_000_000),
        per_article=flag(args, "per_article", True),
        fragments=integer(args, "fragments", 1, 1, MAX_FRAGMENTS),
        width=integer(args, "width", WIDTH, 40, MAX_WIDTH),
        since=date(args, "since"),
        until=date(args, "until"),
        source=args.get("source", "").strip(),
        speaker=args.get("speaker", "").strip(),
        sort=args.get("sort", "relevance") or "relevance",
        fuzzy=flag(args, "fuzzy", True),
    )


_DEFAULTS = {f: getattr(SearchParams(), f) for f in SearchParams.__dataclass_fields__}
