"""One indexing transaction: take the lock, write, then commit, or roll back on any exception.

The full build (`indexer.write_articles`) and the incremental update
(`indexer.update`) both write through `transaction(...)`: it opens (or
creates) the index, takes its write lock (waiting up to `wait` seconds), and
yields a `Transaction` whose documents go through the bulk segment writer when
the index's codec allows it, else through Whoosh's writer. Leaving the block
normally commits everything as one new table of contents; any exception
(KeyboardInterrupt included) cancels it, with whatever was registered by
`on_cancel` (worker processes), so the index stays as the last commit left it.
The lock is released by the commit or the cancel, the index closed either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from whoosh import writing
from whoosh.codec.base import Segment
from whoosh.index import FileIndex
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from searchkit.analysis import TOKEN_PATTERN, token_runs
from searchkit.codec import integrity
from searchkit.codec.bulkwrite import BulkWriter
from searchkit.codec.textpostings import RunCutter
from searchkit.errors import CorpusError, FileSystemError, IndexCorruptError, SchemaMismatchError
from searchkit.indexing import store

#: A Whoosh merge policy: given the writer and the index's segments, the segments to keep (merging the others).
MergePolicy = Callable[[SegmentWriter, list[Segment]], list[Segment]]

#: How the bulk writer cuts text for searchkit's analyzers (three times faster than their regex).
TOKEN_RUNS = RunCutter(TOKEN_PATTERN, token_runs)


def storable(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` with a date in any time zone moved to UTC (the same instant), as the readers move dates.

    Whoosh indexes a date's wall-clock time and drops its zone, so 10:00+01:00
    would sort and filter as 10:00 beside a file's 09:30 UTC (the readers
    convert, `ingest.formats.common.parse_date`; an `Article` from a library user
    may not). In UTC the zone it drops is UTC's. It also keeps the stored pickle
    to the classes reading allows (`codec.safepickle`): `datetime.timezone`, no
    zone database's.
    """
    date = doc.get("date")
    if isinstance(date, datetime) and date.tzinfo is not None and date.tzinfo is not timezone.utc:
        return {**doc, "date": date.astimezone(timezone.utc)}
    return doc


class Transaction:
    """An open write: documents to add, the writer for deletes and reads, and what a cancel undoes."""

    def __init__(self, writer: SegmentWriter) -> None:
        self.writer = writer
        # Paragraphs go through the bulk segment writer when the writer allows it (see bulkwrite).
        self.bulk = BulkWriter.create(writer, runs=TOKEN_RUNS)
        self._undo: list[Callable[[], None]] = []

    def add(self, doc: dict[str, Any]) -> None:
        """Add one document (the keyword arguments `add_document` would get)."""
        doc = storable(doc)
        if self.bulk is not None:
            self.bulk.add(doc)
        else:
            self.writer.add_document(**doc)

    def on_cancel(self, undo: Callable[[], None]) -> None:
        """Run `undo` if the transaction is cancelled (before the writer's own cancel)."""
        self._undo.append(undo)

    def cancel(self) -> None:
        """Throw away everything written; the index stays as last committed."""
        for undo in reversed(self._undo):
            undo()
        if self.bulk is not None:
            self.bulk.cancel()  # also deletes its segment files and cancels the writer
        else:
            self.writer.cancel()

    def commit(self, mergetype: MergePolicy) -> None:
        """Commit every document, the bulk writer's segments with the writer's own, as one step.

        Unless `mergetype` is CLEAR (a rebuild), searchkit's own policy replaces it
        (`_rewritten`): small segments are merged, and segments holding deleted
        documents rewritten without them, so that deleted paragraphs stop counting
        in the statistics.
        """
        if mergetype is not writing.CLEAR:
            mergetype = self._rewritten(self._to_rewrite())
        self._commit(mergetype)

    def optimize(self) -> None:
        """Commit the index as one segment: every document written anew, none deleted."""
        try:
            policy = self._rewritten(list(self.writer.segments))
        except BaseException:
            self.cancel()
            raise
        self._commit(policy)

    def _commit(self, mergetype: MergePolicy) -> None:
        if self.bulk is not None:
            self.bulk.commit(mergetype=mergetype)
        else:
            self.writer.commit(mergetype=mergetype)

    def _to_rewrite(self) -> list[Segment]:
        """The segments to write anew: the small ones when there are two or more, and those worth it for deletions."""
        small = [seg for seg in self.writer.segments if seg.doc_count_all() <= REWRITE_DOCS]
        return [seg for seg in self.writer.segments if (len(small) > 1 and seg in small) or _worth_rewriting(seg)]

    def _rewritten(self, stale: list[Segment]) -> MergePolicy:
        """The merge policy that drops `stale`, after their live documents are added anew.

        BM25F counts every document a segment holds, deleted or not (the number of
        documents, each word's document frequency, the average field lengths), so
        an index that has deleted paragraphs ranks differently from a clean build of
        the same content; and Whoosh's own merge copies field lengths from their
        one-byte approximations, so even a merge changes the statistics. Every field
        is stored, so a paragraph re-added from its stored fields is exactly what a
        clean build writes (through the bulk writer when there is one: fast).
        """
        for seg in stale:
            reader = SegmentReader(self.writer.storage, self.writer.schema, seg)
            try:
                for _, fields in reader.iter_docs():  # the live documents
                    self.add(dict(fields))
            finally:
                reader.close()
        gone = {seg.segment_id() for seg in stale}

        def policy(writer: SegmentWriter, segments: list[Segment]) -> list[Segment]:
            return [seg for seg in segments if seg.segment_id() not in gone]

        return policy


#: A segment of at most this many documents is rewritten at commit when it has deletions or
#: another such segment exists (cheap; an index of small segments so ranks exactly like a
#: clean build, and small segments do not pile up) ...
REWRITE_DOCS = 2_000
#: ... or when at least this share of its documents is deleted. Every update deletes a few
#: records in the first segment, so rewriting it for any deletion would make every update
#: cost a large part of a build; between rewrites a big segment's deleted share, and so the
#: drift of its statistics, stays below this, and `optimize` removes it (issue 17, item 14).
REWRITE_SHARE = 0.10


def _worth_rewriting(seg: Segment) -> bool:
    deleted, size = int(seg.deleted_count()), int(seg.doc_count_all())
    return deleted > 0 and (size <= REWRITE_DOCS or deleted >= REWRITE_SHARE * size)


@contextmanager
def transaction(index_dir: Path, *, rebuild: bool, wait: float) -> Iterator[Transaction]:
    """The index in `index_dir` (created if needed; replaced when `rebuild`), open for one write.

    An OSError on the way (disk full, read-only, permission denied, a file
    gone) cancels the write like any error and is raised as FileSystemError.
    """
    try:
        ix = open_for_writing(index_dir, rebuild, wait)
        try:
            tx = Transaction(store.acquire_writer(ix, index_dir, wait))
            try:
                yield tx
            except BaseException:
                tx.cancel()
                raise
            # Not under the except above: a commit that fails part-way must not delete files it named.
            tx.commit(writing.CLEAR if rebuild else writing.MERGE_SMALL)
            store.mark_complete(index_dir)  # a first build: from now on it is an index to search
        finally:
            ix.close()
    except OSError as exc:
        raise FileSystemError.of(exc, wrote=True) from exc


def open_for_writing(index_dir: Path, rebuild: bool, wait: float) -> FileIndex:
    """The index to write: the existing one, checked, or a new one where there is none (or `rebuild` replaces it)."""
    if not store.has_index(index_dir):
        if (
            index_dir.exists()
            and any(index_dir.iterdir())
            and not _only_placeholders(index_dir)
            and not store.interrupted_create(index_dir)
        ):  # a crash mid-create left only Whoosh files
            raise CorpusError(f"{index_dir} exists and is not a searchkit index; choose an empty folder with --index")
        return store.create_index(index_dir, wait)
    try:
        if not rebuild:
            # An update copies what it keeps (`_rewritten`): never from a file that fails its checksum.
            integrity.verify(index_dir)
        return store.open_index(index_dir, verify=True)  # damaged segments: the error, or rebuild replaces them
    except (SchemaMismatchError, IndexCorruptError):
        if not rebuild:
            raise
        return store.create_index(index_dir, wait)


def _only_placeholders(index_dir: Path) -> bool:
    return all(p.name.startswith(".") for p in index_dir.iterdir())


def optimize(index_dir: Path, wait: float) -> None:
    """Write the index anew as one segment (none when it is empty), dropping deleted documents for good."""
    try:
        integrity.verify(index_dir)  # every document is copied: never from a damaged file
        ix = store.open_index(index_dir, verify=True)
        try:
            Transaction(store.acquire_writer(ix, index_dir, wait)).optimize()
        finally:
            ix.close()
    except OSError as exc:
        raise FileSystemError.of(exc, wrote=True) from exc
