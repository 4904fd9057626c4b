"""`searchkit serve`: a search page for people and a JSON API for programs, over one `Index`.

The web layer only reads: every page and endpoint calls the public library
(`Index.search`, `facets`, `show`, `similar`, `stats`) and renders its frozen
results, so the browser, the API and the command line can never disagree.
Needs the `serve` extra (Starlette, uvicorn, Jinja2): ``pip install 'searchkit[serve]'``.

    from searchkit.web import create_app
    app = create_app("index")        # an ASGI app: uvicorn.run(app)
"""

from __future__ import annotations

from searchkit.web.app import create_app

__all__ = ["create_app"]
