"""The HTML pages: search (/), an article (/articles/{id}) and the index's stats (/stats).

Server-rendered with Jinja2 (autoescaping on), no JavaScript needed: every state
of the search page is a URL (`/?q=…&source=…&page=2`), so it can be shared. The
hit snippets are `markup.marked` (escaped text, `<mark>` around the highlights).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from searchkit.results import Hit
from searchkit.web import views
from searchkit.web.failures import describe
from searchkit.web.library import Library
from searchkit.web.markup import marked
from searchkit.web.params import SearchParams, integer, search_params

_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals["urlencode"] = urlencode


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(template).render(**context), status_code=status)


def _error_page(exc: Exception, **context: Any) -> HTMLResponse:
    status, code, message = describe(exc)
    return _page("error.html", status=status, status_code=status, code=code, message=message, **context)


def hit_view(hit: Hit, p: SearchParams) -> dict[str, Any]:
    """What the template shows of one hit: marked snippet fragments, links, attributions."""
    frags = hit.fragments or ()
    return {
        "hit": hit,
        "fragments": [
            {"html": marked(f.text, f.highlights), "before": f.cut_before, "after": f.cut_after, "who": f.attribution}
            for f in frags
        ]
        or [{"html": marked(hit.snippet, hit.highlights), "before": False, "after": False, "who": ""}],
        "link": f"/articles/{hit.article_id}?"
        + urlencode({"q": p.q, "paragraph": hit.paragraph})
        + f"#p{hit.paragraph}",
        "speaker_links": [(name, "/?" + urlencode(p.query_string(speaker=name, page=1))) for name in hit.speakers],
    }


def _facet_links(outcome: views.SearchOutcome) -> list[dict[str, Any]]:
    """Each facet's values as links that apply them as a filter (month -> a date range)."""
    p = outcome.params
    out = []
    for name, counts in outcome.facets.fields:
        values = []
        for c in counts:
            if name == "source":
                change: dict[str, Any] = {"source": c.value}
            elif name == "speaker":
                change = {"speaker": c.value}
            else:
                change = _month_range(c.value)
            values.append(
                {"value": c.value, "count": c.count, "href": "/?" + urlencode(p.query_string(page=1, **change))}
            )
        out.append({"name": name, "values": values})
    return out


def _month_range(month: str) -> dict[str, Any]:
    """The since/until filter covering one "YYYY-MM" month."""
    year, mon = (int(x) for x in month.split("-"))
    first = datetime(year, mon, 1)
    last = datetime(year + (mon == 12), mon % 12 + 1, 1)
    return {"since": first, "until": last - timedelta(days=1)}


def _results_page(p: SearchParams, outcome: views.SearchOutcome) -> HTMLResponse:
    """The search page with its hits, facets, paging and filter links, every link a shareable URL."""
    pages = {
        "prev": "/?" + urlencode(p.query_string(page=p.page - 1)) if p.page > 1 else None,
        "next": "/?" + urlencode(p.query_string(page=p.page + 1)) if p.page < outcome.results.pages else None,
    }
    return _page(
        "search.html",
        params=p,
        outcome=outcome,
        hits=[hit_view(h, p) for h in outcome.results],
        facets=_facet_links(outcome),
        pages=pages,
        toggle="/?" + urlencode(p.query_string(per_article=not p.per_article, page=1)),
        suggestion_link="/?" + urlencode(p.query_string(q=outcome.results.suggestion or "", page=1)),
        clear={k: "/?" + urlencode(p.query_string(page=1, **{k: v})) for k, v in _CLEAR.items()},
    )


def routes(library: Library) -> list[Route]:
    """The page routes over `library`."""

    def search_page(request: Request) -> HTMLResponse:
        try:
            p = search_params(request.query_params)
        except Exception as exc:  # noqa: BLE001 - a bad parameter is a 400 page
            return _error_page(exc, params=SearchParams(q=request.query_params.get("q", "")))
        if not p.q.strip() and not p.speaker:
            return _page("search.html", params=p, outcome=None)
        try:
            outcome = views.run_search(library, p)
        except Exception as exc:  # noqa: BLE001 - every failure is a page with the library's message
            return _error_page(exc, params=p)
        return _results_page(p, outcome)

    def article_page(request: Request) -> HTMLResponse:
        args = request.query_params
        q = args.get("q", "")
        try:
            hit = integer(args, "paragraph", 0, 0, 1_000_000)
            view = views.article(library, request.path_params["article_id"])
            spans = views.paragraph_highlights(library, view.article_id, q)
        except Exception as exc:  # noqa: BLE001 - every failure is a page with the library's message
            return _error_page(exc, params=SearchParams(q=q))
        paragraphs = [(n, marked(text, spans.get(n, ()))) for n, text in view.paragraphs]
        back = "/?" + urlencode({"q": q})
        return _page("article.html", params=SearchParams(q=q), view=view, paragraphs=paragraphs, hit=hit, back=back)

    def stats_page(request: Request) -> HTMLResponse:
        try:
            s = views.stats(library)
        except Exception as exc:  # noqa: BLE001
            return _error_page(exc, params=SearchParams())
        return _page("stats.html", params=SearchParams(), stats=s)

    return [
        Route("/", search_page),
        Route("/articles/{article_id:path}", article_page),
        Route("/stats", stats_page),
    ]


_CLEAR: dict[str, Any] = {"source": "", "speaker": "", "since": None, "until": None}
