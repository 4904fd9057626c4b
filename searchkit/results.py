"""What searchkit returns: frozen, typed values that any front end can render.

Every public result type lives here, each with `to_dict()` giving a JSON-ready dict
(datetimes as ISO 8601 strings), which is what `searchkit ... --json` prints. This
module imports no Whoosh, so a front end can use the types without loading it.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, overload

from searchkit import defaults


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _plain(value: Any) -> Any:
    """`value` as JSON-ready data: dates as ISO 8601 strings, tuples as lists, results as dicts."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else value


def _record(obj: Any, **converted: Any) -> dict[str, Any]:
    """A result's fields, in declaration order, as JSON-ready data (`converted` overrides some)."""
    return {f.name: converted[f.name] if f.name in converted else _plain(getattr(obj, f.name)) for f in fields(obj)}


class _Result:
    """A result whose JSON form is its fields in order (`to_dict`)."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO 8601 strings)."""
        return _record(self)


class _InArticle:
    """A result that is (part of) one paragraph of one article."""

    article_id: str
    paragraph: int

    @property
    def pid(self) -> str:
        """The paragraph's reference, `ARTICLE#N` (what `show` and `similar` take)."""
        return f"{self.article_id}#{self.paragraph}"


@dataclass(frozen=True)
class Snippet:
    """A fragment of a paragraph and the spans of the matched words in it."""

    text: str
    highlights: tuple[tuple[int, int], ...]
    start: int  # where `text` starts in the paragraph
    end: int
    paragraph_length: int
    #: Who is quoted, when the fragment shows part of a quotation but not its attribution.
    attribution: str = ""
    #: Spans of `attribution` to highlight: the name, when the query asked for that speaker.
    attribution_highlights: tuple[tuple[int, int], ...] = ()

    @property
    def cut_before(self) -> bool:
        return self.start > 0

    @property
    def cut_after(self) -> bool:
        return self.end < self.paragraph_length

    def marked(self, before: str = "[", after: str = "]", ellipsis: str = "…") -> str:
        """The fragment with each highlight wrapped in `before`/`after`."""
        out, last = [], 0
        for s, e in self.highlights:
            out += [self.text[last:s], before, self.text[s:e], after]
            last = e
        out.append(self.text[last:])
        return (ellipsis if self.cut_before else "") + "".join(out) + (ellipsis if self.cut_after else "")

    def to_html(self) -> str:
        """HTML with `<mark>` around highlights; all article text escaped."""
        out, last = [], 0
        for s, e in self.highlights:
            out += [html.escape(self.text[last:s]), "<mark>", html.escape(self.text[s:e]), "</mark>"]
            last = e
        out.append(html.escape(self.text[last:]))
        return ("…" if self.cut_before else "") + "".join(out) + ("…" if self.cut_after else "")

    def to_dict(self) -> dict[str, Any]:
        """The fragment as JSON has always carried it (`paragraph_length` is left out:
        the hit's `text` gives it)."""
        return {
            "text": self.text,
            "highlights": [list(h) for h in self.highlights],
            "start": self.start,
            "end": self.end,
            "attribution": self.attribution,
            "attribution_highlights": [list(h) for h in self.attribution_highlights],
        }

    def marked_attribution(self, before: str = "[", after: str = "]") -> str:
        """The attribution with each of its highlights wrapped in `before`/`after`."""
        out, last = [], 0
        for s, e in self.attribution_highlights:
            out += [self.attribution[last:s], before, self.attribution[s:e], after]
            last = e
        out.append(self.attribution[last:])
        return "".join(out)


@dataclass(frozen=True)
class QuoteSpan(_Result):
    """One quotation in a paragraph: its words, who said them, and where they are.

    `text == paragraph[start:end]` (the quote marks are outside the span);
    `speaker` is None when no name could be trusted.
    """

    text: str
    speaker: str | None
    start: int
    end: int


@dataclass(frozen=True)
class FieldShare(_Result):
    """One field's part in a word's score."""

    field: str
    frequency: float  # times the word occurs in the field
    length: int  # the field's length in this paragraph (words)
    share: float  # points of the score this field contributes


@dataclass(frozen=True)
class WordScore(_Result):
    """One query word's contribution to a paragraph's score."""

    word: str
    score: float
    fields: tuple[FieldShare, ...]


@dataclass(frozen=True)
class Explanation(_Result):
    """A paragraph's score and the words it came from."""

    score: float
    words: tuple[WordScore, ...]
    other: float  # score not explained word by word (coordination bonus, other query syntax)
    context: float = 0.0  # what article context (Ranking.context) added to the paragraph's own score
    first: float = 0.0  # what ranking it first added: it quotes the person a quote-seeking query names, on its topic


@dataclass(frozen=True)
class Hit(_InArticle):
    """One matching paragraph and where it sits in its article.

    `snippet` and `highlights` are the first fragment (spans are `(start, end)`
    offsets into `snippet`); `fragments` holds all the fragments asked for.
    """

    rank: int
    score: float
    article_id: str
    paragraph: int
    headline: str
    text: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    fragments: tuple[Snippet, ...] = ()
    #: The paragraph's quotations, in order, each with its speaker and offsets into `text`.
    quotes: tuple[QuoteSpan, ...] = ()
    #: The distinct speakers of those quotations.
    speakers: tuple[str, ...] = ()
    source: str = ""
    path: str = ""
    date: datetime | None = None
    url: str = ""
    #: Other matching paragraphs of the same article (when results are per article).
    more_in_article: int = 0
    #: Other articles carrying the same paragraph word for word (wire copy).
    also_in: tuple[str, ...] = ()
    #: What the query matched in the headline: `(start, end)` offsets into `headline`.
    headline_highlights: tuple[tuple[int, int], ...] = ()
    #: The article matched only through its headline (the paragraph stands for it; nothing in it matched).
    headline_only: bool = False
    #: How the score breaks down by word and field (when asked for with explain=True).
    explanation: Explanation | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO 8601 strings)."""
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            "article_id": self.article_id,
            "paragraph": self.paragraph,
            "headline": self.headline,
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "fragments": [f.to_dict() for f in self.fragments],
            "text": self.text,
            "quotes": [q.to_dict() for q in self.quotes],
            "speakers": list(self.speakers),
            "source": self.source,
            "path": self.path,
            "date": _iso(self.date),
            "url": self.url,
            "more_in_article": self.more_in_article,
            "also_in": list(self.also_in),
            "headline_highlights": [list(h) for h in self.headline_highlights],
            "headline_only": self.headline_only,
            **({"explanation": self.explanation.to_dict()} if self.explanation else {}),
        }


@dataclass(frozen=True)
class SearchResults(Sequence[Hit]):
    """The hits of one page, best first, with what the search did to get them."""

    hits: tuple[Hit, ...]
    query: str
    #: Matching paragraphs, or articles when results are grouped per article.
    total: int
    page: int = 1
    limit: int = defaults.LIMIT
    per_article: bool = True
    #: Query words that matched nothing and were retried fuzzily: word -> words used.
    fuzzy: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: A respelled query that finds more, for "Did you mean".
    suggestion: str | None = None
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @overload
    def __getitem__(self, i: int) -> Hit: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Hit]: ...
    def __getitem__(self, i: int | slice) -> Hit | Sequence[Hit]:
        return self.hits[i]

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit)) if self.limit else 1

    def to_dict(self) -> dict[str, Any]:
        """The page as a JSON-ready dict, hits included."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "limit": self.limit,
            "per_article": self.per_article,
            "fuzzy": {word: list(used) for word, used in self.fuzzy},
            "suggestion": self.suggestion,
            "seconds": self.seconds,
            "notes": list(self.notes),
            "hits": [h.to_dict() for h in self.hits],
        }


@dataclass(frozen=True)
class ArticleView:
    """An article, or a window of its paragraphs, as stored in the index."""

    article_id: str
    headline: str
    paragraphs: tuple[tuple[int, str], ...]  # (number, text), numbers from 1
    total_paragraphs: int
    source: str = ""
    path: str = ""
    date: datetime | None = None
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return _record(self, paragraphs=[{"paragraph": k, "text": t} for k, t in self.paragraphs])


@dataclass(frozen=True)
class IndexStats(_Result):
    """What an index holds."""

    articles: int
    paragraphs: int
    files: int
    quotes: int
    speakers: int
    top_speakers: tuple[tuple[str, int], ...]
    size_bytes: int
    last_update: datetime | None
    #: The files and folders the index is built from (absolute paths), as recorded by its builds.
    roots: tuple[str, ...] = ()


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet and how many matching articles (or paragraphs) carry it."""

    value: str
    count: int


@dataclass(frozen=True)
class Facets:
    """Counts by source, month and speaker over every match of a query, not just one page.

    `fields` keeps the order asked for; each holds its values most frequent first
    (ties by value). Counts are articles when `per_article`, else paragraphs;
    `total` is what they are out of.
    """

    fields: tuple[tuple[str, tuple[FacetCount, ...]], ...]
    total: int
    per_article: bool = True
    seconds: float = 0.0

    def __getitem__(self, name: str) -> tuple[FacetCount, ...]:
        for field_name, counts in self.fields:
            if field_name == name:
                return counts
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: `{field: [{"value", "count"}, ...]}` plus the total."""
        return {
            "total": self.total,
            "per_article": self.per_article,
            "fields": {name: [{"value": c.value, "count": c.count} for c in counts] for name, counts in self.fields},
        }


@dataclass(frozen=True)
class QuoteHit(_InArticle):
    """One quotation as a result of `Index.quotes`: who said what, where and when.

    `start`/`end` are offsets into the paragraph's text; `score` is the paragraph's
    score when a query ranked it, else None; `rank` counts from 1.
    """

    rank: int
    text: str
    speaker: str | None
    article_id: str
    paragraph: int
    start: int
    end: int
    headline: str = ""
    source: str = ""
    path: str = ""
    date: datetime | None = None
    url: str = ""
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO 8601 strings)."""
        return _record(self, score=None if self.score is None else round(self.score, 6))


@dataclass(frozen=True)
class SpeakerCount(_Result):
    """One speaker across the index: how often quoted, and the names merged into theirs.

    `variants` are the other spellings counted as this person (e.g. a surname
    alone when the index has only one full name with that surname).
    """

    name: str
    quotes: int
    paragraphs: int
    articles: int
    variants: tuple[str, ...] = ()
