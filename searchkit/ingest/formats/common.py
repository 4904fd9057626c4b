"""What the format parsers share: reading dates, article ids from paths, building an `Article`.

Article ids never contain ``#`` (it separates paragraph numbers in hit ids): any
``#`` in a path or JSONL id is replaced by ``_``. An article with a headline but
no body paragraphs is skipped with a warning, never indexed empty; an over-long
headline is cut, its full text kept as the first paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import PurePosixPath

from searchkit.ingest.cleaning import MAX_HEADLINE, cap_headline, clean, split_long
from searchkit.ingest.values import Article, CorpusWarning

_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.I)
_DATE_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A, %d %B %Y",
    "%A %d %B %Y",
    "%a, %d %b %Y",
    "%Y/%m/%d",
    "%d %B %Y %H:%M",
    "%B %d, %Y %H:%M",
)


def parse_date(value: str) -> datetime | None:
    """Parse ISO 8601 or a common news date format to a naive UTC datetime; None if unreadable."""
    s = clean(value)
    if not s or len(s) > 64:
        return None
    unordinal = _ORDINAL.sub(r"\1", s)
    attempts: list[Callable[[], datetime]] = [lambda: datetime.fromisoformat(s[:-1] + "+00:00" if s[-1] in "zZ" else s)]
    attempts += [partial(datetime.strptime, unordinal, f) for f in _DATE_FORMATS]
    attempts.append(lambda: parsedate_to_datetime(s))  # RFC 2822, as in feeds
    for attempt in attempts:
        try:
            found = attempt()
            return found.astimezone(timezone.utc).replace(tzinfo=None) if found.tzinfo else found
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
    return None


def set_date(
    meta: dict[str, object], raw: object, rel: str, warns: list[CorpusWarning], line: int | None = None
) -> None:
    meta["date"] = parse_date(raw) if isinstance(raw, str) else None
    if meta["date"] is None:
        warns.append(CorpusWarning(rel, f"could not read date {str(raw)[:40]!r}; date left empty", line))


def article_id(rel: str) -> str:
    p = PurePosixPath(rel)
    stem = str(p.with_suffix("")) if p.suffix and p.name != p.suffix else rel
    return stem.replace("#", "_")


def make_articles(
    rel: str,
    headline: str,
    paragraphs: tuple[str, ...],
    meta: dict[str, object],
    warns: list[CorpusWarning],
    line: int | None = None,
    art_id: str | None = None,
) -> list[Article]:
    if len(headline) > MAX_HEADLINE:  # stored with every paragraph: a 2 MB first line made a 344 MB index
        if paragraphs[:1] != (headline,):  # its full text is not lost: it becomes the first paragraph
            paragraphs = (*split_long(headline), *paragraphs)
        headline = cap_headline(headline)
        warns.append(
            CorpusWarning(
                rel, f"headline over {MAX_HEADLINE} characters; cut, its full text is the first paragraph", line
            )
        )
    if not paragraphs:
        warns.append(CorpusWarning(rel, "has a headline but no body paragraphs; skipped", line))
        return []
    source, url, date = meta.get("source"), meta.get("url"), meta.get("date")
    return [
        Article(
            id=art_id or article_id(rel),
            headline=headline,
            paragraphs=paragraphs,
            path=rel,
            source=clean(source) if isinstance(source, str) else "",
            url=url.strip() if isinstance(url, str) else "",
            date=date if isinstance(date, datetime) else None,
            line=line,
        )
    ]
