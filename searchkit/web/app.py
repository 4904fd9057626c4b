"""The ASGI application: the HTML pages, the JSON API and the stylesheet over one `Library`.

`create_app(index_dir)` is all a host needs (`uvicorn.run(create_app("index"))`);
`serve` is what `searchkit serve` calls. Nothing here writes to the index.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from searchkit.defaults import INDEX_DIR
from searchkit.web import jsonapi, pages
from searchkit.web.library import Library

HERE = Path(__file__).resolve().parent
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def create_app(index_dir: str | Path = INDEX_DIR) -> Starlette:
    """A read-only search server over the index at `index_dir` (opened on the first request)."""
    library = Library(index_dir)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        library.close()

    app = Starlette(
        routes=[
            *jsonapi.routes(library),
            *pages.routes(library),
            Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
        ],
        lifespan=lifespan,
    )
    app.state.library = library
    return app


def serve(index_dir: str | Path = INDEX_DIR, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the server until interrupted; warn on stderr when it listens beyond this machine."""
    import uvicorn

    if host not in LOOPBACK:
        print(
            f"warning: serving on {host}, reachable from other machines; "
            "searchkit serve has no authentication (use --host 127.0.0.1 to keep it local)",
            file=sys.stderr,
        )
    print(f"searchkit: serving {index_dir} at http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr)
    uvicorn.run(create_app(index_dir), host=host, port=port, log_level="warning")
