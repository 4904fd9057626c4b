"""The values ingest produces: an `Article`, and a `CorpusWarning` for what could not be read.

An article is a headline plus an ordered tuple of clean body paragraphs; the
paragraph is the unit searchkit indexes. Article ids never contain ``#`` (it
separates paragraph numbers in hit ids). Both types are public, re-exported by
`searchkit` and `searchkit.ingest.articles`; they live in this leaf module so
every ingest stage can use them without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Article:
    id: str
    headline: str
    paragraphs: tuple[str, ...]
    path: str = ""
    source: str = ""
    date: datetime | None = None
    url: str = ""


@dataclass(frozen=True)
class CorpusWarning:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"
