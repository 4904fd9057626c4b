"""What the `search` command says and writes: its query guide, its output formats, why it found nothing.

The formats are text (`render`), JSON Lines (each hit's `to_dict()`, then one
summary record), CSV and TSV (`render.HIT_COLUMNS`). JSON and tables are written
as UTF-8 bytes whatever the locale says. Why-nothing is worked out by asking the
library again with a filter dropped, so the reason names the filter that emptied
the answer.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from searchkit.api import Index
    from searchkit.results import Facets, SearchResults

QUERY_GUIDE = """Search the index for QUERY; exit 0 with hits, 1 without (the reason on stderr).

QUERY may be several words without quotes: `searchkit search blair iraq`
is `searchkit search "blair iraq"`.

\b
Query syntax (anything else is free text, ranked by BM25F):
  blair iraq            either word (OR is the default); more matches rank higher
  +storm +rail flood    +word is required, -word excluded: both storm and rail
  "minimum wage"        a phrase
  tax AND NOT vat       AND / OR / NOT (in capitals) and (groups)
  headline:budget       a field: headline: (title:), body:, quote:, speaker:, source:
  path:politics budget  only articles in a folder (as --under politics)
  speaker:"tony blair"  a speaker's quotations, the quotation as the snippet
  accou*  wom?n  blare~ prefix, one-letter wildcard, fuzzy word

\b
A "?" after a word ends a question (who won the derby? is free text); only
inside a word is it a wildcard. In a query typed all in capitals, AND, OR
and NOT are words, not operators.

\b
A query starting with "-" looks like an option: put -- before it,
  searchkit search -- -election budget
"""


class CliError(click.ClickException):
    """A command-line mistake or a library error, printed as one line `Error: ...`, exit 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        from searchkit.render import safe

        click.echo(f"Error: {safe(self.format_message())}", err=True)  # messages name files and paths


def output_format(opts: dict[str, Any]) -> str:
    """The one output format asked for (--json is --format json); checks --highlight's form."""
    if opts["as_json"] and opts["fmt"] not in ("text", "json"):
        raise CliError(f"--json and --format {opts['fmt']} both given; choose one")
    if opts["with_facets"] and opts["fmt"] in ("csv", "tsv"):
        raise CliError(f"--facets goes with text or json output, not {opts['fmt']} (a table holds hits only)")
    if opts["highlight"] is not None and "," not in opts["highlight"]:
        raise CliError(f"--highlight {opts['highlight']!r}: give the two marks as PRE,POST, e.g. '<b>,</b>'")
    return "json" if opts["as_json"] else str(opts["fmt"])


def search_kwargs(opts: dict[str, Any]) -> dict[str, Any]:
    """The search command's options as `Index.search` keyword arguments."""
    return {
        "limit": opts["limit"],
        "page": opts["page"],
        "per_article": not opts["all_paragraphs"],
        "fragments": opts["fragments"],
        "width": opts["width"],
        "since": _date(opts["since"]),
        "until": _date(opts["until"]),
        "source": opts["source"],
        "under": opts["under"],
        "sort": opts["sort"],
        "fuzzy": not opts["no_fuzzy"],
        "explain": opts["explain"],
    }


#: The facets `--facets` shows, in order.
FACETS = ("source", "month", "speaker", "folder")


def facet_kwargs(kw: dict[str, Any]) -> dict[str, Any]:
    """`Index.facets` keyword arguments for the search `kw` asked for: its filters, every facet."""
    keep = ("since", "until", "source", "under", "per_article", "fuzzy")
    return {"fields": FACETS, **{k: kw[k] for k in keep}}


def _date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


def emit_json(obj: Any) -> None:
    """One JSON Lines record on stdout: non-ASCII readable, what could drive a terminal escaped."""
    from searchkit.render import json_line

    line = json_line(json.dumps(obj, ensure_ascii=False)) + "\n"
    # Bytes, so the output is UTF-8 whatever the locale says.
    sys.stdout.flush()
    sys.stdout.buffer.write(line.encode("utf-8", "replace"))
    sys.stdout.buffer.flush()


def emit_table(rows: list[dict[str, Any]], columns: tuple[str, ...], delimiter: str) -> None:
    """CSV (or TSV) with a header row, as UTF-8 bytes whatever the locale says; None is empty."""
    out = io.StringIO()
    if delimiter == "\t":
        # TSV as cut, awk and spreadsheets read it: no quoting, so a tab or line break in a value is a space.
        rows = [{k: _one_field(v) for k, v in row.items()} for row in rows]
        writer = csv.DictWriter(
            out,
            fieldnames=columns,
            extrasaction="ignore",
            lineterminator="\n",
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
            quotechar=None,
        )
    else:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    # Cells are made terminal-safe too: a CSV is often looked at with cat.
    writer.writerows({k: "" if row.get(k) is None else _safe_cell(row.get(k)) for k in columns} for row in rows)
    sys.stdout.flush()
    sys.stdout.buffer.write(out.getvalue().encode("utf-8", "replace"))
    sys.stdout.buffer.flush()


def _one_field(value: Any) -> Any:
    return " ".join(value.replace("\t", " ").splitlines()) if isinstance(value, str) else value


def print_hits(
    res: SearchResults,
    fmt: str,
    *,
    colour: bool,
    summary: bool = True,
    marks: tuple[str, str] | None = None,
    facets: Facets | None = None,
) -> None:
    """The page on stdout as text, JSON Lines (hits, then a summary record), CSV or TSV; facets after the hits."""
    from searchkit.render import HIT_COLUMNS, hit_rows, render_facets, render_results, terminal_width, wrap

    if fmt == "json":
        for hit in res:
            emit_json(hit.to_dict())
        record = {
            "type": "summary",
            "query": res.query,
            "total": res.total,
            "page": res.page,
            "pages": res.pages,
            "limit": res.limit,
            "per_article": res.per_article,
            "took_ms": round((res.seconds + (facets.seconds if facets else 0.0)) * 1000, 1),
        }
        emit_json({**record, "facets": facets.to_dict()["fields"]} if facets else record)
    elif fmt in ("csv", "tsv"):
        emit_table(hit_rows(res, marks or ("", "")), HIT_COLUMNS, "\t" if fmt == "tsv" else ",")
    else:
        text = render_results(res, colour=colour, summary=summary, marks=marks)
        text += render_facets(facets) if facets else ""
        click.echo(wrap(text, terminal_width()), nl=False, color=colour)


def why_empty(ix: Index, query: str, kw: dict[str, Any], res: SearchResults) -> str:
    """Why a search answered nothing: past the last page, a filter, or no match at all."""
    if res.total:
        matches = f"{res.total:,} match" + ("" if res.total == 1 else "es")
        return f"page {res.page} is past the last page, page {res.pages} ({matches})"
    probe = {**kw, "page": 1, "limit": 1, "explain": False, "snippets": False}
    dated = kw["since"] or kw["until"]
    if dated and ix.search(query, **{**probe, "since": None, "until": None}).total:
        if not ix.search(query, **{**probe, "since": datetime.min, "until": None}).total:
            return "no matching article has a date, so the date filter (--since/--until) matched nothing"
        return f"no match dated {_range(kw['since'], kw['until'])}"
    if kw["source"] and ix.search(query, **{**probe, "source": None}).total:
        return f"no match from source {kw['source']!r} (the query matches other sources: `searchkit sources`)"
    if kw.get("under") and ix.search(query, **{**probe, "under": None}).total:
        return f"no match under folder {kw['under']!r} (the query matches in other folders)"
    return f"no match for {query!r}"


def _range(since: datetime | None, until: datetime | None) -> str:
    if since and until:
        return f"from {since.date()} to {until.date()}"
    return f"on or after {since.date()}" if since else f"on or before {until.date() if until else ''}"


def _safe_cell(value: Any) -> Any:
    from searchkit.render import safe

    return safe(value) if isinstance(value, str) else value
