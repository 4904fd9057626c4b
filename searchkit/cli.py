"""The `searchkit` command: parse options, call the library, render, map errors to exit codes.

Exit codes follow grep and ripgrep: 0 when something was found (or done), 1 when
a search found nothing, 2 on any error. Errors are one line on stderr saying
what to do; progress and warnings go to stderr; results go to stdout.

The command only parses options, calls the public library (`searchkit.api.Index`)
and renders what it returns (`render`, or the result types' `to_dict()` for
--json). Library errors say what to do in library terms ("rebuild it
(rebuild=True)"); `_errors`, the one error mapper, turns that advice into the
command that does it.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from searchkit import defaults
from searchkit.cliout import (
    QUERY_GUIDE,
    CliError,
    facet_kwargs,
    output_format,
    print_hits,
    search_kwargs,
    why_empty,
)
from searchkit.cliout import emit_json as _emit_json
from searchkit.errors import (
    CorpusError,
    DeletionRefusedError,
    FileSystemError,
    IncompleteIndexError,
    IndexCorruptError,
    IndexingError,
    IndexLockedError,
    IndexNotFoundError,
    RankingError,
    SchemaMismatchError,
    SearchkitError,
    ShardError,
)

if TYPE_CHECKING:
    from distributed import Client as DaskClient

    from searchkit.api import Ranking

F = TypeVar("F", bound=Callable[..., Any])

EXIT_NOT_FOUND = 1
MIN_WIDTH = 40  # a narrower fragment shows a word or two around a match, not a sentence
EXIT_ERROR = 2


#: Advice in library terms (the convention in `searchkit.errors`) -> the same advice as a command.
_REBUILD = ("rebuild it (rebuild=True)", "rebuild it with `searchkit index --rebuild`")
_CLI_ADVICE: tuple[tuple[type[SearchkitError], str, str], ...] = (
    (IndexCorruptError, *_REBUILD),
    (SchemaMismatchError, *_REBUILD),
    (IndexNotFoundError, "build one (Index.build)", "run `searchkit index` to build one"),
    (IncompleteIndexError, "build it again (Index.build)", "run `searchkit index` again"),
    (IndexLockedError, "(wait=SECONDS)", "(--wait SECONDS)"),
    (IndexingError, "(jobs=1)", "(--jobs 1)"),
    (DeletionRefusedError, "pass prune=True", "pass --prune"),
    (DeletionRefusedError, "mirror=True", "--mirror PATHS"),
    (CorpusError, "mirror=True needs the paths the index should hold; pass them", "--mirror needs PATHS"),
    (CorpusError, "(remove_roots=[", "(--remove-root "),
    (CorpusError, "'])", "')"),
    (ShardError, *_REBUILD),
    (ShardError, "(shards=N)", "(--shards N)"),
)


def cli_message(exc: SearchkitError) -> str:
    """The error's message with its library-terms advice replaced by the command-line form."""
    message = str(exc)
    for kinds, library, command in _CLI_ADVICE:
        if isinstance(exc, kinds):
            message = message.replace(library, command)
    return message


@contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into one-line messages and exit code 2 (the CLI's one error mapper)."""
    try:
        yield
    except SearchkitError as exc:
        raise CliError(cli_message(exc)) from None
    except OSError as exc:  # disk full, read-only, permission, a vanished file: one line, exit 2 (not `| head`)
        fs = FileSystemError.of(exc, wrote=False)
        raise exc if isinstance(exc, BrokenPipeError) else CliError(cli_message(fs)) from None


def index_option(f: F) -> F:
    return click.option(
        "--index",
        "index_dir",
        envvar="SEARCHKIT_INDEX",
        default=defaults.INDEX_DIR,
        show_default=True,
        type=click.Path(file_okay=False),
        help="Index folder (or set SEARCHKIT_INDEX).",
    )(f)


def wait_option(f: F) -> F:
    """`--wait SECONDS`, shared by every command that writes to the index."""
    return click.option(
        "--wait",
        default=defaults.WAIT,
        show_default=True,
        metavar="SECONDS",
        help="How long to wait for another process that is updating the index.",
    )(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON Lines (one object per line).")(f)


def _use_colour(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):  # no-color.org: set and not empty
        return False
    return sys.stdout.isatty()


def _ranking(options: tuple[str, ...]) -> Ranking:
    """The --rank KEY=VALUE options as a Ranking (RankingError for a knob the library refuses)."""
    from searchkit.api import Ranking

    kw: dict[str, Any] = {}
    for item in options:
        key, sep, value = item.partition("=")
        if not sep:
            raise RankingError(f"{item!r}: use KEY=VALUE, e.g. headline_boost=3")
        kw[key.strip()] = value.strip() if key.strip() == "model" else _number(item, value)
    return Ranking().with_options(**kw)  # an unknown or out-of-range knob raises RankingError


def _number(item: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise RankingError(f"{item!r}: {value.strip()!r} is not a number") from None
    if not math.isfinite(number):
        raise RankingError(f"{item!r}: {value.strip()!r} is not a finite number")
    return number


ranking_option = click.option(
    "--rank",
    "rank_opts",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a ranking knob (repeatable): k1, b, headline_b, headline_boost, quotes_boost, "
    "speakers_boost, query_tf, coordination, model.",
)


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


class _Group(click.Group):
    """The command group; Ctrl-C exits 130 (click's own Abort would exit 1, the "found nothing" code)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="searchkit")
def main() -> None:
    """Search news articles paragraph by paragraph, with highlighted snippets."""


@contextmanager
def _dask_client(address: str | None) -> Iterator[DaskClient | None]:
    """A client of the Dask scheduler at `address` for the command's length (None without one)."""
    if address is None:
        yield None
        return
    from searchkit.shard.runner import connect

    client = connect(address)
    try:
        yield client
    finally:
        client.close()  # type: ignore[no-untyped-call]  # distributed is untyped here


@main.command("index")
@click.argument("paths", nargs=-1, type=click.Path())
@index_option
@click.option("--rebuild", is_flag=True, help="Throw the index away and build it anew.")
@wait_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Worker processes for a large build  [default: one per CPU]",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress or warnings, only errors.")
@click.option("--prune", is_flag=True, help="Delete the articles of files that are gone, however many.")
@click.option("--mirror", is_flag=True, help="Make PATHS the index's only roots (articles elsewhere are deleted).")
@click.option(
    "--remove-root", "remove_roots", multiple=True, metavar="PATH", help="Stop indexing PATH and delete its articles."
)
@click.option(
    "--shards",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Build a sharded index of N shards (an existing sharded index keeps its count).",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    help="Build the shards on this Dask scheduler's workers (tcp://host:8786).",
)
def index_cmd(
    paths: tuple[str, ...],
    index_dir: str,
    rebuild: bool,
    wait: float,
    jobs: int | None,
    quiet: bool,
    prune: bool,
    mirror: bool,
    remove_roots: tuple[str, ...],
    shards: int | None,
    dask_address: str | None,
) -> None:
    """Index the articles under PATHS and remember them as the index's roots.

    With no PATHS, update from the roots recorded by earlier runs (./corpus for
    a first build); PATHS are added to the roots. An update that would delete
    many articles whose files are gone stops unless --prune is given.
    """
    from searchkit.api import Index
    from searchkit.render import progress_printer

    progress = None if quiet or not sys.stderr.isatty() else progress_printer()
    with _errors(), _dask_client(dask_address) as client:
        with Index.build(
            list(paths) or None,
            index_dir,
            rebuild=rebuild,
            wait=wait,
            progress=progress,
            jobs=jobs,
            mirror=mirror,
            prune=prune,
            remove_roots=remove_roots,
            shards=shards,
            client=client,
        ) as ix:
            report = ix.report
    assert report is not None  # Index.build always reports
    if progress:
        click.echo("", err=True)
    if not quiet:
        from searchkit.render import safe

        for w in report.warnings:
            click.echo(f"warning: {safe(str(w))}", err=True)  # warnings name files, and a name can hold anything
    click.echo(
        f"{report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{report.unchanged} unchanged articles; {report.paragraphs:,} paragraphs written "
        f"in {report.seconds:.1f}s ({report.paragraphs_per_second:,.0f}/s)"
        + ("" if report.changed or report.paragraphs else "; nothing to do")
    )


@main.command("search", help=QUERY_GUIDE)
@click.argument("words", nargs=-1, required=True, metavar="QUERY...")
@index_option
@click.option("-n", "--limit", default=defaults.LIMIT, show_default=True, help="Hits per page.")
@click.option("--page", default=1, show_default=True, help="Page of results.")
@click.option("--all-paragraphs", is_flag=True, help="Every matching paragraph, not the best one per article.")
@click.option(
    "--fragments", default=1, show_default=True, type=click.IntRange(min=1), help="Snippet fragments per hit."
)
@click.option(
    "--width",
    default=defaults.WIDTH,
    show_default=True,
    type=click.IntRange(min=MIN_WIDTH),
    help=f"Snippet width in characters (at least {MIN_WIDTH}).",
)
@click.option("--since", help="Only articles dated on or after (YYYY-MM-DD).")
@click.option("--until", help="Only articles dated on or before (YYYY-MM-DD).")
@click.option("--source", help="Only articles from this source, named by any of its words (riverside).")
@click.option("--under", metavar="FOLDER", help="Only articles whose files are in FOLDER (as hits print it).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--no-fuzzy", is_flag=True, help="Don't retry unknown words with typo tolerance.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--explain", is_flag=True, help="Show how each hit's score breaks down by word and field.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line after the hits.")
@click.option("--facets", "with_facets", is_flag=True, help="Counts by source, month, speaker and folder, every match.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "tsv"]),
    default="text",
    show_default=True,
    help="Output: text; json (JSON Lines, hits then a summary record); csv or tsv (a header row, a hit a row).",
)
@click.option(
    "--highlight",
    metavar="PRE,POST",
    help="Mark matched words with PRE and POST (e.g. '<b>,</b>') in text, csv and tsv output.",
)
@ranking_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines (= --format json).")
def search_cmd(words: tuple[str, ...], index_dir: str, **opts: Any) -> None:
    from searchkit.api import Index

    query = " ".join(words)
    fmt = output_format(opts)
    kw = search_kwargs(opts)
    with _errors():
        with Index.open(index_dir, ranking=_ranking(opts["rank_opts"])) as ix:
            res = ix.search(query, **kw)
            why = why_empty(ix, query, kw, res) if not res.hits else ""
            facets = ix.facets(query, **facet_kwargs(kw)) if opts["with_facets"] and res.hits else None
    marks = tuple(opts["highlight"].split(",", 1)) if opts["highlight"] is not None else None
    colour = _use_colour(opts["color"]) and marks is None and fmt == "text"
    print_hits(res, fmt, colour=colour, summary=not opts["quiet"], marks=marks, facets=facets)
    if res.suggestion:
        click.echo(f"Did you mean: {res.suggestion}", err=True)
    for word, used in res.fuzzy:
        click.echo(f"note: no match for {word!r}; searched {', '.join(used)} instead", err=True)
    for note in res.notes:
        click.echo(f"note: {note}", err=True)
    if not res.hits:
        click.echo(why, err=True)
        sys.exit(EXIT_NOT_FOUND)


@main.command("show")
@click.argument("ref", metavar="ARTICLE[#N]")
@index_option
@click.option("--context", "-C", default=0, show_default=True, help="Paragraphs to show around #N.")
@json_option
def show_cmd(ref: str, index_dir: str, context: int, as_json: bool) -> None:
    """Print an article, or its paragraph N with --context paragraphs around it."""
    from searchkit.api import Index
    from searchkit.render import render_article, terminal_width, wrap

    article_id, _, n = ref.rpartition("#") if "#" in ref else (ref, "", "")
    if n and not n.isdigit():
        raise CliError(f"{ref!r}: the part after # must be a paragraph number")
    with _errors(), Index.open(index_dir) as ix:
        view = ix.show(article_id, int(n) if n else None, context)
    if as_json:
        _emit_json(view.to_dict())
    else:
        click.echo(wrap(render_article(view, focus=int(n) if n else None), terminal_width()), nl=False)


@main.command("similar")
@click.argument("ref", metavar="ARTICLE#N")
@index_option
@click.option("-n", "--limit", default=defaults.LIMIT, show_default=True)
@json_option
def similar_cmd(ref: str, index_dir: str, limit: int, as_json: bool) -> None:
    """Paragraphs of other articles most like paragraph N of ARTICLE."""
    from searchkit.api import Index
    from searchkit.render import render_results, terminal_width, wrap

    article_id, sep, n = ref.rpartition("#")
    if not sep or not n.isdigit():
        raise CliError(f"{ref!r}: name a paragraph as ARTICLE#N, e.g. business/001#2")
    with _errors(), Index.open(index_dir) as ix:
        res = ix.similar(article_id, int(n), limit=limit)
    if as_json:
        for hit in res:
            _emit_json(hit.to_dict())
    else:
        click.echo(wrap(render_results(res, colour=_use_colour("auto")), terminal_width()), nl=False)
    if not res.hits:
        sys.exit(EXIT_NOT_FOUND)


@main.command("stats")
@index_option
@json_option
def stats_cmd(index_dir: str, as_json: bool) -> None:
    """What the index holds: articles, paragraphs, quotes, speakers, size, roots."""
    from searchkit.api import Index
    from searchkit.render import render_stats

    with _errors(), Index.open(index_dir) as ix:
        st = ix.stats()
    if as_json:
        _emit_json(st.to_dict())
    else:
        click.echo(render_stats(st), nl=False)


@main.command("serve")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (others get a warning).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
def serve_cmd(index_dir: str, host: str, port: int) -> None:
    """Serve a search page and a JSON API over the index (read-only)."""
    try:
        from searchkit.web.app import serve
    except ImportError as exc:
        raise CliError(
            f"searchkit serve needs the serve extra ({exc.name} is missing): pip install 'searchkit[serve]'"
        ) from None
    serve(index_dir, host=host, port=port)


from searchkit import cliadmin, clilists  # noqa: E402,F401  (register `check`, `optimize`, `quotes`, `speakers`, `sources`)
