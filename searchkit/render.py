"""Human-readable rendering of results, articles and stats for the terminal.

Highlights are bold yellow when colour is on (a TTY without NO_COLOR, or
--color always) and unmarked otherwise, as ripgrep does; --json carries the
exact spans for programs.

Text from the articles and their files (headlines, snippets, paths, URLs) is
data, and data must not drive the terminal: every result is passed through
`scrub` before it is rendered, which replaces control characters (an escape
sequence can move the cursor, rewrite the window title or hide text) and bidi
overrides (which make text display in another order than it is) with U+FFFD,
one for one, so highlight offsets stay valid. `json_line` escapes the same
characters in JSON output, where they survive decoding unchanged.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

import click

from searchkit.results import ArticleView, FacetCount, Facets, Hit, IndexStats, QuoteHit, SearchResults, SpeakerCount

if TYPE_CHECKING:
    from searchkit.api import Progress


def plural(n: int, word: str) -> str:
    """`1 paragraph`, `2 paragraphs`."""
    return f"{n:,} {word if n == 1 else word + 's'}"


#: What must not reach a terminal from data: C0 controls but tab and newline, DEL, C1 controls
#: (ESC and CSI start sequences that drive the terminal), bidi embeddings, overrides and isolates.
_UNSAFE_CODES = (
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
)
_TO_REPLACEMENT = dict.fromkeys(_UNSAFE_CODES, "\ufffd")
# json.dumps already escapes C0 controls; the others it leaves raw when ensure_ascii=False.
_TO_JSON_ESCAPE = {c: f"\\u{c:04x}" for c in _UNSAFE_CODES if c >= 0x20}

_T = TypeVar("_T")


def safe(text: str) -> str:
    """`text` with each character that could drive a terminal replaced by U+FFFD (same length; tab and newline kept)."""
    return text.translate(_TO_REPLACEMENT)


def scrub(value: _T) -> _T:
    """A result with every string in it made `safe`: strings, tuples, and result dataclasses, recursively."""
    return cast(_T, _scrubbed(value))  # each branch of _scrubbed returns the type it was given


def _scrubbed(value: object) -> object:
    if isinstance(value, str):
        return safe(value)
    if isinstance(value, tuple):
        return tuple(_scrubbed(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _scrubbed(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def json_line(text: str) -> str:
    """JSON text (from json.dumps) with the characters `safe` replaces written as \\u escapes instead."""
    return text.translate(_TO_JSON_ESCAPE)


def _mark(colour: bool) -> tuple[str, str]:
    return (click.style("", fg="yellow", bold=True, reset=False), "\x1b[0m") if colour else ("", "")


def _where(hit: Hit) -> str:
    """The article as `show` takes it: the path when it spells the id, else the id and its file."""
    stem = hit.path.rsplit(".", 1)[0] if "." in hit.path.rpartition("/")[2] else hit.path
    if not hit.path or hit.path == hit.article_id:
        return hit.article_id
    return hit.path if stem == hit.article_id else f"{hit.article_id} ({hit.path})"


def _title(hit: Hit, colour: bool, on: str, off: str) -> str:
    """The headline, bold on a terminal, with what the query matched in it marked."""
    out, last = [], 0
    bold = (click.style("", bold=True, reset=False), "\x1b[0m") if colour else ("", "")
    for s, e in hit.headline_highlights:
        plain = hit.headline[last:s]
        out += [bold[0] + plain + bold[1] if plain else "", on, hit.headline[s:e], off]
        last = e
    rest = hit.headline[last:]
    return "".join(out) + (bold[0] + rest + bold[1] if rest else "")


def render_hit(hit: Hit, colour: bool, marks: tuple[str, str] | None = None) -> str:
    """One hit: rank, headline, where it is, score, snippet, who is quoted, what more matches.

    `marks` (PRE, POST) wrap highlights instead of colour.
    """
    hit = scrub(hit)
    on, off = marks or _mark(colour)
    title = _title(hit, colour, on, off)
    where = " ".join(
        x
        for x in (
            f"¶{hit.paragraph}",
            hit.source,
            hit.date.date().isoformat() if hit.date else "",
            _where(hit),
        )
        if x
    )
    lines = [f"{hit.rank}. {title}  {where}  ({hit.score:.2f})"]
    for frag in hit.fragments or ():
        said = f" — {frag.marked_attribution(on, off)}" if frag.attribution else ""
        lines.append("   " + frag.marked(on, off) + said)
    if hit.headline_only:
        lines.append("   (only the headline matched)")
    if hit.speakers:
        lines.append("   quoted: " + ", ".join(hit.speakers))
    if hit.more_in_article:
        lines.append(f"   + {plural(hit.more_in_article, 'more paragraph')} in this article ({hit.article_id})")
    if hit.explanation:
        ex = hit.explanation
        for w in ex.words:
            parts = ", ".join(f"{f.field} {f.share:.2f} (tf {f.frequency:g}, {f.length} words)" for f in w.fields)
            if w.fields and not any(f.share for f in w.fields):
                parts = "a required filter, not scored (in " + ", ".join(f.field for f in w.fields) + ")"
            lines.append(f"   {w.word:>12} {w.score:6.2f} = {parts}")
        if abs(ex.other) > 0.005:
            lines.append(f"   {'other':>12} {ex.other:6.2f} (coordination bonus or how a compound query scores)")
        if abs(ex.context) > 0.005:
            lines.append(f"   {'context':>12} {ex.context:6.2f} (article context: its best paragraph scores higher)")
        if ex.first:
            lines.append(f"   {'first':>12} {ex.first:6.2f} (it quotes the person the question names, on its topic)")
    if hit.also_in:
        lines.append("   also in: " + ", ".join(hit.also_in[:5]) + (" …" if len(hit.also_in) > 5 else ""))
    return "\n".join(lines) + "\n"


def render_results(
    res: SearchResults, colour: bool, *, summary: bool = True, marks: tuple[str, str] | None = None
) -> str:
    """The hits, then (with `summary`) a line with the total, the page and the time taken."""
    if not res.hits:
        return ""
    body = "\n".join(render_hit(h, colour, marks) for h in res.hits)
    if not summary:
        return body
    unit = "paragraph" if res.per_article is False else "article"
    verb = "matches" if res.total == 1 else "match"
    foot = f"\n{plural(res.total, unit)} {verb}; page {res.page} of {res.pages} ({res.seconds * 1000:.0f} ms)\n"
    return body + foot


def render_facets(facets: Facets) -> str:
    """A blank line, then one line per facet: its values with their counts, most first."""
    unit = "articles" if facets.per_article else "paragraphs"
    lines = [f"\nby facet ({unit}, of {facets.total:,}):"]
    width = max((len(name) for name, _ in facets.fields), default=0) + 1
    for name, counts in facets.fields:
        shown = ", ".join(f"{safe(c.value)} ({c.count:,})" for c in counts) or "(none)"
        lines.append(f"  {name + ':':<{width}} {shown}")
    return "\n".join(lines) + "\n"


def render_article(view: ArticleView, focus: int | None = None) -> str:
    view = scrub(view)
    lines = [view.headline, ""]
    meta = "  ".join(
        x for x in (view.source, view.date.date().isoformat() if view.date else "", view.url, view.path) if x
    )
    if meta:
        lines += [meta, ""]
    for n, text in view.paragraphs:
        marker = ">" if n == focus else " "
        lines += [f"{marker}¶{n}  {text}", ""]
    lines.append(f"({view.article_id}: {plural(view.total_paragraphs, 'paragraph')})")
    return "\n".join(lines) + "\n"


def render_stats(st: IndexStats) -> str:
    st = scrub(st)
    rows = [
        ("articles", f"{st.articles:,}"),
        ("paragraphs", f"{st.paragraphs:,}"),
        ("source files", f"{st.files:,}"),
        ("quotes", f"{st.quotes:,}"),
        ("speakers", f"{st.speakers:,}"),
        ("index size", f"{st.size_bytes / 1e6:.1f} MB"),
        ("last update", st.last_update.strftime("%Y-%m-%d %H:%M:%S UTC") if st.last_update else "never"),
    ]
    out = [f"{k:<13} {v}" for k, v in rows]
    out.extend(f"{'roots' if i == 0 else '':<13} {root}" for i, root in enumerate(st.roots))
    if st.top_speakers:
        out.append("top speakers  " + "; ".join(f"{name} ({n})" for name, n in st.top_speakers))
    return "\n".join(out) + "\n"


#: The columns of `searchkit search --format csv|tsv`, in order.
HIT_COLUMNS = (
    "rank",
    "score",
    "article_id",
    "paragraph",
    "headline",
    "date",
    "source",
    "path",
    "url",
    "speakers",
    "snippet",
    "text",
)


def hit_rows(res: SearchResults, marks: tuple[str, str]) -> list[dict[str, object]]:
    """The hits as flat rows for CSV/TSV: speakers joined by "; ", the snippet's fragments
    joined by " … " with highlights wrapped in `marks`, dates as YYYY-MM-DD."""
    rows: list[dict[str, object]] = []
    for hit in res.hits:
        snippet = " … ".join(f.marked(*marks, ellipsis="") for f in hit.fragments or ())
        rows.append(
            {
                "rank": hit.rank,
                "score": round(hit.score, 4),
                "article_id": hit.article_id,
                "paragraph": hit.paragraph,
                "headline": hit.headline,
                "date": hit.date.date().isoformat() if hit.date else "",
                "source": hit.source,
                "path": hit.path,
                "url": hit.url,
                "speakers": "; ".join(hit.speakers),
                "snippet": snippet,
                "text": hit.text,
            }
        )
    return rows


#: The columns of `searchkit quotes --csv` and `searchkit speakers --csv`, in order.
QUOTE_COLUMNS = ("text", "speaker", "article_id", "paragraph", "date", "headline", "source", "start", "end", "score")
SPEAKER_COLUMNS = ("name", "quotes", "paragraphs", "articles", "variants")


def render_quotes(quotes: Sequence[QuoteHit]) -> str:
    """One quotation a line: “words” — speaker, then article, paragraph, source and date."""
    lines = []
    for q in scrub(tuple(quotes)):
        text = " ".join(q.text.split())  # one line, whatever the quote's own line breaks
        where = "  ".join(
            x for x in (f"{q.article_id} ¶{q.paragraph}", q.source, q.date.date().isoformat() if q.date else "") if x
        )
        lines.append(f"“{text}” — {q.speaker or '(no speaker)'}  {where}")
    return "".join(line + "\n" for line in lines)


def render_speakers(speakers: Sequence[SpeakerCount]) -> str:
    """One speaker a line: quotations, name, articles, and the variants counted with the name."""
    lines = []
    for c in scrub(tuple(speakers)):
        also = f"  (also {', '.join(c.variants)})" if c.variants else ""
        lines.append(f"{c.quotes:>6}  {c.name}  in {plural(c.articles, 'article')}{also}")
    return "".join(line + "\n" for line in lines)


def render_sources(sources: Sequence[FacetCount]) -> str:
    """One source a line: its articles, then its name as stored."""
    return "".join(f"{c.count:>6}  {safe(c.value)}\n" for c in sources)


#: SGR escape sequences (colour, bold): they take no room on the screen.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: What a continuation line is indented under: the line's indent and its "1. ", "¶5  " or "quoted: " label.
_HANG = re.compile(r"^ *(?:\d+\. +|[> ]?¶\d+ +|[a-z]+: +)?")
#: Narrower than this, wrapping would make a column of single words: lines are left whole.
MIN_WRAP = 30


def terminal_width() -> int | None:
    """The terminal's width when stdout is a terminal; None when it is piped or redirected (no wrapping)."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def wrap(text: str, width: int | None) -> str:
    """`text` with each line longer than `width` broken between words, with a hanging indent.

    A continuation line starts under the text of its line (after its indent and its
    "1. ", "¶5  " or "speaker: " label). Escape sequences take no room; a word longer than the
    line is left whole. `width` None (output piped) leaves `text` as it is.
    """
    if width is None or width < MIN_WRAP:
        return text
    return "\n".join(_wrapped(line, width) for line in text.split("\n"))


def _wrapped(line: str, width: int) -> str:
    plain = _ANSI.sub("", line)
    if len(plain) <= width:
        return line
    hang = _HANG.match(plain)
    indent = len(hang.group(0)) if hang else 0
    indent = indent if indent <= width // 2 else 0
    lead = line[: len(line) - len(line.lstrip(" "))]
    out: list[str] = []
    current, used = lead, len(lead)
    for token in re.findall(r"\S+ *", line[len(lead) :]):
        word = len(_ANSI.sub("", token.rstrip(" ")))
        if used + word > width and current.strip():
            out.append(current.rstrip(" "))
            current, used = " " * indent, indent
        current += token
        used += len(_ANSI.sub("", token))
    out.append(current.rstrip(" "))
    return "\n".join(out)


def progress_printer() -> Callable[[Progress], None]:
    """A progress callback that rewrites one stderr line at most 10 times a second."""
    last = [0.0]

    def show(p: Progress) -> None:
        now = time.monotonic()
        if now - last[0] < 0.1 and p.files_done < p.files_total:
            return
        last[0] = now
        rate = p.paragraphs / p.seconds if p.seconds > 0 else 0
        total = f"/{p.files_total:,}" if p.files_total else ""
        files = f"{p.files_done:,}{total} file" + ("" if p.files_done == 1 and not total else "s")
        sys.stderr.write(f"\rindexing: {files}, {plural(p.paragraphs, 'paragraph')} ({rate:,.0f}/s)  ")
        sys.stderr.flush()

    return show
