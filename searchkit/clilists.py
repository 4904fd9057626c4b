"""The listing commands: `searchkit quotes`, `speakers` and `sources` (registered on the CLI's group).

Each lists rows of one kind (a quotation, a speaker, a source) as aligned text,
JSON Lines (`--json`) or CSV (`--csv`), and exits 1 when there is nothing to list.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from searchkit import defaults
from searchkit.cli import EXIT_NOT_FOUND, _errors, index_option, json_option, main
from searchkit.cliout import CliError, emit_table
from searchkit.cliout import emit_json as _emit_json

F = TypeVar("F", bound=Callable[..., Any])


def _format_option(f: F) -> F:
    f = click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")(f)
    return json_option(f)


def _emit_rows(rows: list[dict[str, Any]], as_json: bool, columns: tuple[str, ...]) -> None:
    """JSON Lines, or CSV with a header row (as UTF-8 bytes, whatever the locale says)."""
    if as_json:
        for row in rows:
            _emit_json(row)
        return
    emit_table(rows, columns, ",")


def _one_format(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise CliError("--json and --csv both given; choose one")


@main.command("quotes")
@click.argument("query", required=False)
@index_option
@click.option("--speaker", metavar="NAME", help="Only this person's quotations (a surname or the full name).")
@click.option(
    "-n",
    "--limit",
    default=defaults.LIMIT,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="Quotations to show.",
)
@_format_option
def quotes_cmd(query: str | None, index_dir: str, speaker: str | None, limit: int, as_json: bool, as_csv: bool) -> None:
    """Who said what, where: one quotation a line, with speaker, article, paragraph and date.

    With QUERY, the quotations of the paragraphs it matches, best first; without,
    every quotation in article and paragraph order. Exit 0 with quotations, 1 without.
    """
    from searchkit.api import Index
    from searchkit.render import QUOTE_COLUMNS, render_quotes

    _one_format(as_json, as_csv)
    with _errors(), Index.open(index_dir) as ix:
        found = ix.quotes(query, speaker=speaker, limit=limit + 1)  # one more says whether there are more
    shown = found[:limit]
    if as_json or as_csv:
        _emit_rows([q.to_dict() for q in shown], as_json, QUOTE_COLUMNS)
    else:
        click.echo(render_quotes(shown), nl=False)
    if len(found) > limit:
        click.echo(f"note: the first {limit} quotations are shown; --limit N shows more", err=True)
    if not shown:
        by = f" by {speaker!r}" if speaker else ""
        where = f" in the paragraphs matching {query!r}" if query is not None else " in the index"
        click.echo(f"no quotations{by}{where}", err=True)
        sys.exit(EXIT_NOT_FOUND)


@main.command("speakers")
@index_option
@click.option(
    "-n", "--limit", default=None, type=click.IntRange(min=1), metavar="N", help="At most N speakers  [default: all]"
)
@_format_option
def speakers_cmd(index_dir: str, limit: int | None, as_json: bool, as_csv: bool) -> None:
    """Everyone quoted, most quotations first, variants of one name counted together."""
    from searchkit.api import Index
    from searchkit.render import SPEAKER_COLUMNS, render_speakers

    _one_format(as_json, as_csv)
    with _errors(), Index.open(index_dir) as ix:
        found = ix.speakers(limit=limit)
    if as_json or as_csv:
        rows = [
            {**c.to_dict(), "variants": c.to_dict()["variants"] if as_json else "; ".join(c.variants)} for c in found
        ]
        _emit_rows(rows, as_json, SPEAKER_COLUMNS)
    else:
        click.echo(render_speakers(found), nl=False)
    if not found:
        click.echo("no speakers: the index holds no attributed quotations", err=True)
        sys.exit(EXIT_NOT_FOUND)


@main.command("sources")
@index_option
@_format_option
def sources_cmd(index_dir: str, as_json: bool, as_csv: bool) -> None:
    """Every source in the index with its number of articles, most first (for --source)."""
    from searchkit.api import Index
    from searchkit.render import render_sources

    _one_format(as_json, as_csv)
    with _errors(), Index.open(index_dir) as ix:
        found = ix.sources()
    if as_json or as_csv:
        _emit_rows([{"source": c.value, "articles": c.count} for c in found], as_json, ("source", "articles"))
    else:
        click.echo(render_sources(found), nl=False)
    if not found:
        click.echo("no sources: no article in the index names one", err=True)
        sys.exit(EXIT_NOT_FOUND)
