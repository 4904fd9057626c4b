"""Fixes of Whoosh behaviour that searchkit relies on, each proved by the test its docstring names.

A plain list of functions and classes, used by the code that needs them in place
of Whoosh's own. If a Whoosh release fixes one of these, its test shows the fix
is no longer needed.
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.index import FileIndex
from whoosh.reading import IndexReader

from searchkit.codec import probe


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
