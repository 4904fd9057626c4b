"""Scope: which articles a search may answer from — a date range, a source, a folder.

Search and facets build their filter here, so the hits and the counts beside them
always agree.

- A **source** is named by any of its words, in any case: `riverside` (or
  `GAZETTE riverside`) means "Riverside Gazette". The index holds each source as
  one lower-cased term, so the few distinct sources are matched against the name's
  words at search time (no index change).
- A **folder** is where an article's file lies under the folder indexed
  (`politics/191.txt` is in `politics`; a JSON Lines record is in its file's
  folder). `under="politics"` keeps the articles in a folder of that name (or
  that run of names, `bbc/politics`) and the folders below it, wherever it sits
  under the folder indexed; a path typed from the shell (`corpus/politics/`) works
  too, its leading parts dropped until it names a folder of the index. The index's file records (one per
  file, with the ids of its articles) give the folder of every article; the map is
  built once per searcher and cached beside it.
- `path:FOLDER` clauses inside a query are the same folder filter, taken out of
  the text before it is parsed (`split_path_clauses`).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from whoosh.query.compound import And, Or
from whoosh.query.qcore import Query
from whoosh.query.ranges import DateRange
from whoosh.query.terms import Term
from whoosh.searching import Searcher

from searchkit import analysis
from searchkit.errors import QueryError
from searchkit.indexing.schema import FILE, PARAGRAPH
from searchkit.search.memo import Memo

#: The term no article carries: a filter that lets nothing through.
_NOTHING = Term("article_id", "\x00")

_PATH_CLAUSE = re.compile(r'(?:(?<=\s)|^)path:(?:"([^"]*)"|(\S+))', re.I)


@dataclass(frozen=True)
class Folders:
    """Each article's folder (relative to the folder indexed; "" at the top), from the file records."""

    of: dict[str, str]  # article id -> folder
    paths: dict[str, str]  # article id -> its file's path


def folders(searcher: Searcher) -> Folders:
    """The folder map of this searcher's index state, built on first use."""
    return _folders_memo(searcher)


def _read_folders(searcher: Searcher) -> Folders:
    of: dict[str, str] = {}
    paths: dict[str, str] = {}
    for record in searcher.documents(kind=FILE):
        path = str(record.get("path", ""))
        meta = record.get("meta")
        ids = meta.get("ids", []) if isinstance(meta, dict) else []
        for article_id in ids:
            of[str(article_id)] = posixpath.dirname(path)
            paths[str(article_id)] = path
    if not paths:  # no file records (a sharded index's shards keep none): each paragraph names its file
        for fields_ in searcher.documents(kind=PARAGRAPH):
            path = str(fields_.get("path", ""))
            of[str(fields_["article_id"])] = posixpath.dirname(path)
            paths[str(fields_["article_id"])] = path
    return Folders(of, paths)


def _clean_folder(text: str) -> str:
    parts = [p for p in text.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts)


def _inside(folder: str, path: str, want: str) -> bool:
    """True when `want` is the folder, a run of its folder names (`politics` in `bbc/politics/2005`), or the file."""
    folder, path = folder.lower(), path.lower()
    return f"/{want}/" in f"/{folder}/" or f"/{path}".endswith(f"/{want}")


def folder_ids(searcher: Searcher, under: str) -> list[str]:
    """The ids of the articles in folder `under` or below it (a shell path's leading parts dropped until one fits)."""
    fm = folders(searcher)
    parts = _clean_folder(under).lower().split("/")
    for i in range(len(parts)):
        want = "/".join(parts[i:])
        if not want:
            break
        ids = [a for a, f in fm.of.items() if _inside(f, fm.paths[a], want)]
        if ids:
            return sorted(ids)
    return []


def known_folders(searcher: Searcher) -> list[str]:
    """Every folder holding an article, top-level first ("" is the folder indexed itself)."""
    return sorted(set(folders(searcher).of.values()), key=lambda f: (f.count("/"), f))


def source_names(searcher: Searcher, name: str) -> list[str]:
    """The indexed sources (lower-cased, as indexed) that `name` means.

    A source is meant when it is `name` or holds every word of `name`.
    """
    wanted = name.strip().lower()
    words = set(analysis.TOKEN_PATTERN.findall(wanted))
    out = []
    for raw in searcher.reader().lexicon("source"):
        value = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        if value == wanted or (words and words <= set(analysis.TOKEN_PATTERN.findall(value))):
            out.append(value)
    return out


def split_path_clauses(text: str) -> tuple[str, tuple[str, ...]]:
    """`text` without its `path:FOLDER` clauses, and the folders they name (clauses inside a phrase stay)."""
    found: list[str] = []

    def take(m: re.Match[str]) -> str:
        if text[: m.start()].count('"') % 2:  # inside a quoted phrase: words, not a clause
            return m.group(0)
        found.append(m.group(1) if m.group(1) is not None else m.group(2))
        return ""

    rest = _PATH_CLAUSE.sub(take, text)
    if found and not rest.strip():
        raise QueryError(f"path:{found[0]} narrows a search to a folder; give words to search for beside it")
    return (" ".join(rest.split()) if found else text), tuple(found)


def date_range(since: datetime | date | None, until: datetime | date | None) -> DateRange:
    """Dates from `since` to `until`; an `until` that is a day (a date, or midnight) includes that whole day."""
    start = as_datetime(since, "since")
    end = as_datetime(until, "until")
    if until is not None and end is not None and (not isinstance(until, datetime) or end.time() == datetime.min.time()):
        return DateRange("date", start, end + timedelta(days=1), endexcl=True)
    return DateRange("date", start, end)


def as_datetime(value: datetime | date | str | None, name: str) -> datetime | None:
    """A date filter as the index stores dates: a datetime, a date at midnight, or an ISO 8601 string.

    A string with a time zone is turned into naive UTC, as dates are indexed.
    """
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise QueryError(f"{name}={value!r} is not a date; give an ISO 8601 date such as '2005-01-31'") from None
        return parsed.astimezone(timezone.utc).replace(tzinfo=None) if parsed.tzinfo else parsed
    raise QueryError(f"{name} must be a datetime, a date or an ISO 8601 string, not {type(value).__name__}")


def scope_filter(
    searcher: Searcher | None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    under: tuple[str, ...] = (),
) -> Query | None:
    """The filter for these dates, source and folders (any of `under`), or None when there is none.

    Without a searcher (a filter built before the index is open) the source is matched whole.
    """
    parts: list[Query] = []
    if since or until:
        parts.append(date_range(since, until))
    if source:
        names = source_names(searcher, source) if searcher is not None else [source.lower()]
        parts.append(Or([Term("source", n) for n in names]) if names else Term("source", source.lower()))
    folders_ = [u for u in under if _clean_folder(u)]
    if folders_ and searcher is not None:
        ids = sorted({i for u in folders_ for i in folder_ids(searcher, u)})
        parts.append(Or([Term("article_id", i) for i in ids]) if ids else _NOTHING)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


_folders_memo: Memo[Searcher, Folders] = Memo(_read_folders)
