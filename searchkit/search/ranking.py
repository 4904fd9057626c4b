"""Ranking settings: how much a match counts, chosen per search (no rebuild needed).

Everything that decides *how* text is matched is fixed at index time (the schema);
the knobs here only weigh matches, so they can change between two searches of one
index. An out-of-range setting raises `RankingError` (also a ValueError).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from searchkit.errors import RankingError

#: The ranking models: a true BM25F, or Whoosh's per-field BM25 summed.
MODELS = ("bm25f", "fieldsum")

#: The settings that are numbers (0 or more; b, headline_b and context at most 1).
_NUMBERS = (
    "k1",
    "b",
    "headline_b",
    "headline_boost",
    "quotes_boost",
    "speakers_boost",
    "query_tf",
    "coordination",
    "context",
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
    `context` (0 to 1) judges a paragraph with its article: its score moves that
    share of the way to the best score among its article's matching paragraphs
    (see `search.context`; 0 = off). It changes paragraph results only: an
    article's best paragraph keeps its own score.
    The defaults were chosen by leave-one-collection-out on ten test collections
    (issue 16's rule: a change from plain BM25 stays only if it wins on the
    cross-validated mean and loses more than 0.01 on at most two collections);
    see benchmarks/README.md for the figures behind each one.
    """

    model: str = "bm25f"
    k1: float = 1.5
    b: float = 0.75
    headline_b: float = 0.75
    headline_boost: float = 2.0
    quotes_boost: float = 1.5
    speakers_boost: float = 1.0
    query_tf: float = 0.75
    coordination: float = 0.0
    context: float = 0.5

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise RankingError(f"unknown ranking model {self.model!r}; use 'bm25f' or 'fieldsum'")
        for name in _NUMBERS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
                raise RankingError(f"ranking option {name} must be a number, not {value!r}")
            if value < 0:
                raise RankingError(f"ranking option {name} must be 0 or more, not {value!r}")
        if self.b > 1 or self.headline_b > 1:
            raise RankingError(f"b and headline_b must be between 0 and 1, not {self.b!r} and {self.headline_b!r}")
        if self.context > 1:
            raise RankingError(f"ranking option context must be between 0 and 1, not {self.context!r}")

    @property
    def boosts(self) -> dict[str, float]:
        """Each searchable field's weight."""
        return {
            "headline": self.headline_boost,
            "body": 1.0,
            "quotes": self.quotes_boost,
            "speakers": self.speakers_boost,
        }

    def with_options(self, **options: Any) -> Ranking:
        """A copy with the given settings changed; unknown names raise RankingError."""
        known = {f.name for f in fields(self)}
        unknown = set(options) - known
        if unknown:
            raise RankingError(
                f"unknown ranking option(s): {', '.join(sorted(unknown))}; the options are {', '.join(sorted(known))}"
            )
        return replace(self, **options)
