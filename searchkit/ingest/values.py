"""The values ingest produces: an `Article`, and a `CorpusWarning` for what could not be read.

An article is a headline plus an ordered tuple of clean body paragraphs; the
paragraph is the unit searchkit indexes. Article ids never contain ``#`` (it
separates paragraph numbers in hit ids), and no two articles of an index share
one (`searchkit.ingest.identity`). Both types are public, re-exported by
`searchkit` and `searchkit.ingest.articles`; they live in this leaf module so
every ingest stage can use them without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    #: The line it starts on, for a record of a JSON Lines file (warnings name it); not part of its value.
    line: int | None = field(default=None, compare=False)
    #: For a part of a big file's article (`searchkit.ingest.pieces`): the number of its first paragraph,
    #: and whether more parts follow (only the last has the article's tail). A whole article: 1 and False.
    first: int = field(default=1, compare=False, repr=False)
    more: bool = field(default=False, compare=False, repr=False)


@dataclass(frozen=True)
class CorpusWarning:
    path: str
    message: str
    line: int | None = None
    #: The reason can change without the file changing (a missing extra, permissions, a broken link, a
    #: file that vanished mid-run): the file is tried again on every update until it indexes.
    retry: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"
