"""Identity: one file key per file and one article id per article, whatever the roots hold.

Article ids come from the parsers (a file's path without its suffix, or a JSON
Lines record's ``id``); two things can make them clash, and both are settled
here, by one rule that depends only on what is indexed now (never on the order
of past updates), so an incremental update always equals a clean build:

- Two roots holding the same relative path (``2004/001.txt`` and
  ``2005/001.txt`` indexed as ``2004/ 2005/``): the file under the later root
  is keyed ``<root name>/<path>`` (``2005/001.txt``), so its articles get ids
  prefixed with the root's name. A file that clashes with nothing keeps its
  plain key, so the ids of an existing index do not change.
- The same article id from two files (``x.txt`` and ``x.md``, or one JSONL
  ``id`` in two files): the first file in the update's order (roots in their
  recorded order, files by path) keeps it; a later one gets an alternative id
  (`alternative`), and a warning names the file, the line and the owner.

Because the rule is "earlier wins", an update goes through the files in that
order and re-writes a file it did not otherwise touch when the ids it must have
changed (its clash appeared or went away).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from searchkit.ingest.formats.common import article_id
from searchkit.ingest.sources import SourceFile
from searchkit.ingest.values import Article, CorpusWarning


def distinct_keys(sources: Sequence[SourceFile]) -> tuple[list[SourceFile], dict[str, str]]:
    """The sources with distinct `rel` keys (later roots' clashing paths prefixed), and key -> rel of those."""
    taken = {src.rel for src in sources}  # a prefixed key must not take a path a file really has
    seen: set[str] = set()
    keyed: list[SourceFile] = []
    renamed: dict[str, str] = {}
    for src in sources:
        key = src.rel
        if key in seen:
            base, n = src.root or "root", 1
            while key in seen or key in taken:
                n += 1
                key = f"{base}/{src.rel}" if n == 2 else f"{base}~{n - 1}/{src.rel}"
            renamed[key] = src.rel
            src = replace(src, rel=key)
        seen.add(key)
        keyed.append(src)
    return keyed, renamed


def renamed_warning(key: str, original: str) -> CorpusWarning:
    return CorpusWarning(
        key, f"an earlier root also holds {original}; this one is indexed as {key} (its ids start with its root's name)"
    )


def alternative(raw: str, key: str) -> str:
    """The id an article gets when another file owns `raw`: its file's path with suffix, or ``<file>:<id>``."""
    stem = article_id(key)
    return key.replace("#", "_") if raw == stem else f"{stem}:{raw}"


@dataclass
class Claims:
    """The article ids given out so far in an update, each with the file that owns it."""

    owner: dict[str, str] = field(default_factory=dict)

    def resolve(self, raw: str, key: str, also: set[str] | frozenset[str] = frozenset()) -> str:
        """The id an article whose parser gave `raw` gets in file `key`, given the ids already owned
        (and those in `also`); nothing is claimed."""
        if raw not in self.owner and raw not in also:
            return raw
        alt = alternative(raw, key)
        candidate, n = alt, 1
        while candidate in self.owner or candidate in also:
            n += 1
            candidate = f"{alt}~{n}"
        return candidate

    def claim(self, ids: Iterable[str], key: str) -> None:
        for aid in ids:
            self.owner.setdefault(aid, key)

    def would_get(self, raws: Sequence[str], key: str) -> list[str]:
        """The ids a file whose parser gave `raws` (in order) gets now, without claiming them."""
        mine: set[str] = set()
        out = []
        for raw in raws:
            aid = self.resolve(raw, key, mine)
            mine.add(aid)
            out.append(aid)
        return out

    def take(self, article: Article, key: str) -> tuple[Article, CorpusWarning | None]:
        """The article with its id for this update (claimed), and a warning when that is not the parser's id."""
        aid = self.resolve(article.id, key)
        self.claim([aid], key)
        if aid == article.id:
            return article, None
        owner = self.owner.get(article.id, "?")
        warning = CorpusWarning(
            key,
            f"article id {article.id!r} is already used by {owner}; this article is indexed as {aid!r}",
            article.line,
        )
        return replace(article, id=aid), warning
