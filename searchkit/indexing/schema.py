"""The index's shape in one place: fields, analyzers, ranking knobs and defaults.

One Whoosh document per paragraph. The article's headline is repeated on each of
its paragraphs, and the quotations the paragraph contains get a field of their
own, so the ranking can weigh a hit in the headline or in a quote above a hit in
plain body text. Everything that decides *how* text is matched (analyzer) is
fixed at index time and versioned; everything that decides *how much* a match
counts (`Ranking`) is chosen at search time and can be changed without a rebuild.

Besides paragraphs the index holds one small "file" document per indexed source
file (its size, mtime, hash and article ids). It lives in the same transaction
as the paragraphs it describes, so an incremental update can never disagree
with what was committed, even after a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from whoosh import fields as wf

from searchkit.analysis import name_analyzer, text_analyzer

#: Bump whenever a field, analyzer or document layout changes: an index written
#: with another version is refused with a "rebuild" message.
SCHEMA_VERSION = 6  # 6: quotes and speakers from the new extractor (chains, partial quotes, resolved names); 5: no pid

#: Marker file in every index folder (and what `articles.find_sources` skips).
META_FILE = "searchkit.json"

#: Values of the `kind` field.
PARAGRAPH = "p"
FILE = "f"

#: Fields a user may name in a query, and the index field each one means.
QUERY_FIELDS = {
    "headline": "headline",
    "title": "headline",
    "body": "body",
    "text": "body",
    "quote": "quotes",
    "quotes": "quotes",
    "speaker": "speakers",
    "speakers": "speakers",
    "source": "source",
    "article": "article_id",
}

#: Fields searched by a query that names none.
DEFAULT_FIELDS = ("headline", "body", "quotes")


def build_schema() -> wf.Schema:
    """The Whoosh schema of a searchkit index."""
    text = text_analyzer()
    return wf.Schema(
        pid=wf.ID(unique=True, stored=True),  # file and meta documents; a paragraph is article_id + n
        kind=wf.ID(stored=True),
        article_id=wf.ID(stored=True, sortable=True),
        # One term per value (Whoosh's default makes eight, for fast range queries, never run on n).
        n=wf.NUMERIC(int, stored=True, sortable=True, shift_step=32),
        headline=wf.TEXT(analyzer=text, stored=True),
        body=wf.TEXT(analyzer=text, stored=True),
        quotes=wf.TEXT(analyzer=text, stored=True),
        speakers=wf.TEXT(analyzer=name_analyzer(), stored=True),
        source=wf.KEYWORD(stored=True, lowercase=True, commas=True),
        date=wf.DATETIME(stored=True, sortable=True),
        url=wf.STORED(),
        path=wf.STORED(),
        wire=wf.ID(stored=True),
        meta=wf.STORED(),
    )


@dataclass(frozen=True)
class Ranking:
    """How much a match counts; chosen per search, no rebuild needed.

    `model` is "bm25f" (a true BM25F: each field's term frequency is weighted
    and length-normalised, then the sum is saturated once, as Elasticsearch's
    `combined_fields` does) or "fieldsum" (Whoosh's BM25F: a separate BM25 per
    field, summed). `k1` is the saturation, `b` the body's (and quotes') length
    normalisation and `headline_b` the headline's. A word repeated in a
    free-text query counts `repeats ** query_tf` times (0 = once, 1 = as often
    as it is repeated). `coordination` adds that share of a paragraph's score
    per extra distinct query word it contains beyond the first (0 = plain OR).
    The defaults were chosen on six test collections; see
    benchmarks/README.md for the figures behind each one.
    """

    model: str = "bm25f"
    k1: float = 2.0
    b: float = 0.75
    headline_b: float = 0.75
    headline_boost: float = 2.0
    quotes_boost: float = 1.5
    speakers_boost: float = 1.0
    query_tf: float = 0.75
    coordination: float = 0.0

    def __post_init__(self) -> None:
        if self.model not in ("bm25f", "fieldsum"):
            raise ValueError(f"unknown ranking model {self.model!r}; use 'bm25f' or 'fieldsum'")
        for name in (
            "k1",
            "b",
            "headline_b",
            "headline_boost",
            "quotes_boost",
            "speakers_boost",
            "query_tf",
            "coordination",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
                raise ValueError(f"ranking option {name} must be a number, not {value!r}")
            if value < 0:
                raise ValueError(f"ranking option {name} must be 0 or more, not {value!r}")
        if self.b > 1 or self.headline_b > 1:
            raise ValueError("b and headline_b must be between 0 and 1")

    @property
    def boosts(self) -> dict[str, float]:
        return {
            "headline": self.headline_boost,
            "body": 1.0,
            "quotes": self.quotes_boost,
            "speakers": self.speakers_boost,
        }

    def with_options(self, **options: Any) -> Ranking:
        """A copy with the given knobs changed; unknown names raise ValueError."""
        known = {f.name for f in fields(self)}
        unknown = set(options) - known
        if unknown:
            raise ValueError(f"unknown ranking option(s): {', '.join(sorted(unknown))}")
        return replace(self, **options)
