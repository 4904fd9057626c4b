"""What a search returns: frozen, typed values that any front end can render."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, overload

from searchkit.search.explain import Explanation
from searchkit.search.snippets import Snippet


@dataclass(frozen=True)
class Hit:
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
    quotes: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    source: str = ""
    path: str = ""
    date: datetime | None = None
    url: str = ""
    #: Other matching paragraphs of the same article (when results are per article).
    more_in_article: int = 0
    #: Other articles carrying the same paragraph word for word (wire copy).
    also_in: tuple[str, ...] = ()
    #: How the score breaks down by word and field (when asked for with explain=True).
    explanation: Explanation | None = None

    @property
    def pid(self) -> str:
        return f"{self.article_id}#{self.paragraph}"

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
            "fragments": [
                {
                    "text": f.text,
                    "highlights": [list(h) for h in f.highlights],
                    "start": f.start,
                    "end": f.end,
                    "attribution": f.attribution,
                }
                for f in self.fragments
            ],
            "text": self.text,
            "quotes": list(self.quotes),
            "speakers": list(self.speakers),
            "source": self.source,
            "path": self.path,
            "date": self.date.isoformat() if self.date else None,
            "url": self.url,
            "more_in_article": self.more_in_article,
            "also_in": list(self.also_in),
            **({"explanation": asdict(self.explanation)} if self.explanation else {}),
        }


@dataclass(frozen=True)
class SearchResults(Sequence[Hit]):
    """The hits of one page, best first, with what the search did to get them."""

    hits: tuple[Hit, ...]
    query: str
    #: Matching paragraphs, or articles when results are grouped per article.
    total: int
    page: int = 1
    limit: int = 10
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
