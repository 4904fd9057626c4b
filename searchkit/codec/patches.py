"""Fixes of Whoosh behaviour that searchkit relies on, each proved by the test its docstring names.

A plain list of functions and classes, used by the code that needs them in place
of Whoosh's own (no monkey-patching). If a Whoosh release fixes one of these, its
test shows the fix is no longer needed.

- `exact_exclusions(q)`: Whoosh's `AndNotMatcher` keeps a segment's first match when
  the excluded part's first document lies before it (it compares the two parts'
  current documents only when it starts), so `a NOT b` can return one paragraph per
  segment that holds b. The returned query matches each AndNot with a matcher that
  checks the first match too. Proved by `tests/test_searcher.py::
  test_whoosh_path_excludes_the_first_match_too` (and, against set algebra, by
  `tests/test_fastsearch.py::test_boolean_pages_and_totals_are_the_same`).
- `FreshReaderIndex`: a refreshed reader never reuses stale segment readers.
- `ensure_columns`: every segment gets every column of the schema.
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.index import FileIndex
from whoosh.matching.binary import AndNotMatcher
from whoosh.matching.mcore import Matcher
from whoosh.query.compound import AndNot
from whoosh.query.qcore import Query
from whoosh.reading import IndexReader

from searchkit.codec import probe


class _AndNotMatcher(AndNotMatcher):
    """Whoosh's AndNotMatcher, but the first match is checked against the excluded part too."""

    def __init__(self, a: Matcher, b: Matcher) -> None:
        AndNotMatcher.__init__(self, a, b)

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            whoosh_matcher: Any = self  # whoosh3 leaves AndNotMatcher's helpers unannotated
            whoosh_matcher._find_next()  # skips the excluded part up to the match, then compares


#: The fix leans on AndNotMatcher's own skip-and-compare step; without it Whoosh's matcher is used as is.
_FIXES_AND_NOT = hasattr(AndNotMatcher, "_find_next") and hasattr(AndNotMatcher, "_find_first")


class _AndNot(AndNot):
    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _AndNotMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))


def exact_exclusions(q: Query) -> Query:
    """`q` with each AndNot matched by a matcher that excludes the first match too (see above)."""
    if q.is_leaf() or not _FIXES_AND_NOT:
        return q
    q = q.apply(exact_exclusions)
    return _AndNot(q.a, q.b) if type(q) is AndNot else q


class FreshReaderIndex(FileIndex):
    """Whoosh's FileIndex, but a refreshed reader never reuses the old reader's segment readers.

    whoosh3 3.54's `FileIndex.reader(reuse=...)` (what `Searcher.refresh()`
    calls) keeps segments of the old reader that the new table of contents no
    longer lists, and reuses segment readers whose deletions have changed since,
    so a refreshed searcher sees deleted and merged-away paragraphs next to
    their replacements. Opening every segment afresh costs a few milliseconds
    per refresh and is always right.

    Proved by tests/test_concurrency.py::test_a_refreshed_searcher_sees_only_the_new_commit
    (and the 50-commit test beside it).
    """

    def __init__(self, storage: Storage, schema: Schema | None = None, indexname: str = "MAIN") -> None:
        FileIndex.__init__(self, storage, schema, indexname)  # (named, not super(): mypy sees it is Whoosh's)

    def reader(self, reuse: IndexReader | None = None) -> IndexReader:
        fresh: IndexReader = FileIndex.reader(self)  # Whoosh retries "a commit deleted it meanwhile" itself
        if reuse is not None:
            reuse.close()
        return fresh


def ensure_columns(perdoc: Any, schema: Any) -> None:
    """Give a segment every column of the schema, filled with defaults where no document has a value.

    Whoosh's MultiReader.column_reader skips segments that lack a column and
    then maps their documents to the wrong segment (IndexError), and readers
    that open a column file directly fail on the missing file. One segment per
    build never shows it; paragraphs in the bulk writer's segments and the
    manifest in the writer's own would. `perdoc` is a segment's per-document
    writer, before it is closed; another codec's is left as it is.

    Proved by tests/test_fastwrite.py::test_every_segment_has_every_column and
    test_updates_and_deletes_after_a_fast_build.
    """
    if not probe.is_w3(perdoc, "perdocwriter"):
        return
    for name in schema.names():
        column = schema[name].column_type
        if column is not None and not perdoc._has_column(name):
            perdoc._create_column(name, column)
