"""The index folder: create, open, check and lock it.

A searchkit index is a Whoosh index plus `searchkit.json`, which records the
schema version it was written with and the roots it is built from (`roots.py`).
Opening checks that file first, so an index from another version, a folder
that holds no index, and a damaged index each get their own error with the fix, instead of a Whoosh traceback.

Crash safety rests on three facts, each proved by tests/test_crash.py:

- A commit becomes visible in one step, the rename of a complete table of
  contents (`_MAIN_<generation>.toc`); everything a killed writer wrote before
  that is unreferenced and invisible to readers.
- The write lock is an fcntl lock on `MAIN_WRITELOCK`: the kernel drops it when
  its holder dies, and a live holder's lock is never taken away.
- What a killed writer leaves behind (segment files no table of contents names,
  half-written tables of contents, posting runs in `MAIN.tmp/`) is deleted by the
  next writer, under the lock, before it writes anything; so leftovers never
  pile up over repeated crashes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.index import TOC, FileIndex
from whoosh.reading import IndexReader
from whoosh.util.filelock import LockBase
from whoosh.writing import SegmentWriter

from searchkit.codec import integrity, patches, writers
from searchkit.defaults import WAIT
from searchkit.errors import (
    FileSystemError,
    IncompleteIndexError,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    SchemaMismatchError,
)
from searchkit.indexing.schema import META_FILE, SCHEMA_VERSION, build_schema

INDEX_NAME = "MAIN"


def _meta_path(index_dir: Path) -> Path:
    return index_dir / META_FILE


def read_meta(index_dir: Path) -> dict[str, Any]:
    """The folder's searchkit.json, or IndexNotFoundError / IndexCorruptError."""
    path = _meta_path(index_dir)
    if not path.exists():
        raise IndexNotFoundError(f"no searchkit index in {index_dir}; build one (Index.build)")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("not an object")
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"{path} is unreadable ({exc}); rebuild it (rebuild=True)") from exc
    return meta


def check_version(index_dir: Path, meta: dict[str, Any]) -> None:
    found = meta.get("schema_version")
    if found != SCHEMA_VERSION:
        raise SchemaMismatchError(
            f"the index in {index_dir} was built with schema version {found}, this searchkit "
            f"uses {SCHEMA_VERSION}; rebuild it (rebuild=True)"
        )


class _Index(patches.FreshReaderIndex):
    """The index of a folder, whose damaged segments raise IndexCorruptError when a reader opens them."""

    def __init__(self, index_dir: Path) -> None:
        # Its commits are fsynced and checksummed before they become visible (codec.integrity).
        super().__init__(integrity.CheckedStorage(str(index_dir)), indexname=INDEX_NAME)
        self.index_dir = index_dir

    def reader(self, reuse: IndexReader | None = None) -> IndexReader:
        try:
            return super().reader(reuse)
        except Exception as exc:  # a truncated or garbled segment raises EOFError, UnpicklingError, ...
            raise _damaged(self.index_dir, exc) from exc


def _damaged(index_dir: Path, exc: BaseException) -> IndexCorruptError | FileSystemError:
    if isinstance(exc, PermissionError):  # readable by someone else: not damage
        return FileSystemError.of(exc, wrote=False)
    return IndexCorruptError(
        f"the index in {index_dir} is damaged ({type(exc).__name__}: {exc}); rebuild it (rebuild=True)"
    )


#: How often opening is retried when a commit deletes the table of contents being opened.
OPEN_RETRIES = 50


def open_index(index_dir: Path, *, verify: bool = False, complete: bool = False) -> FileIndex:
    """Open an existing index for reading or writing, checking its version.

    With `verify`, every segment is opened too, so damage there raises
    IndexCorruptError now rather than in the middle of an update. With
    `complete` (for searching), an index whose first build never committed
    raises IncompleteIndexError, or IndexLockedError while that build runs.
    """
    if complete:
        check_complete(index_dir)
    ix = _open_index(index_dir)
    if verify:
        try:
            ix.reader().close()
        except BaseException:
            ix.close()
            raise
    return ix


def _open_index(index_dir: Path) -> FileIndex:
    meta = read_meta(index_dir)
    check_version(index_dir, meta)
    try:
        for attempt in range(OPEN_RETRIES):
            try:
                return _checked_schema(_Index(index_dir))
            except FileNotFoundError:
                # A writer's commit deleted the previous table of contents between
                # listing and opening it; the next attempt finds the new one.
                if attempt == OPEN_RETRIES - 1:
                    raise
                time.sleep(0.002 * (attempt + 1))
        raise AssertionError("unreachable")
    except windex.EmptyIndexError as exc:
        raise IndexCorruptError(
            f"{index_dir} has searchkit.json but no index files; rebuild it (rebuild=True)"
        ) from exc
    except Exception as exc:  # Whoosh raises many kinds on damaged files
        raise _damaged(index_dir, exc) from exc


def _checked_schema(ix: FileIndex) -> FileIndex:
    """`ix`, when its schema has searchkit's fields, each of searchkit's kind (a garbled one raises)."""
    want, got = build_schema(), ix.schema
    if got.names() != want.names() or any(
        type(got[n]) is not type(want[n]) or type(got[n].format) is not type(want[n].format) for n in want.names()
    ):
        ix.close()
        raise ValueError("its schema is not searchkit's")
    return ix


@contextmanager
def os_errors(*, wrote: bool) -> Iterator[None]:
    """An OSError met inside (disk full, read-only, permission denied, a file gone) becomes a FileSystemError."""
    try:
        yield
    except OSError as exc:
        raise FileSystemError.of(exc, wrote=wrote) from exc


def check_complete(index_dir: Path) -> None:
    """IncompleteIndexError when the index's first build did not finish (IndexLockedError while it runs)."""
    if read_meta(index_dir).get("complete", True):  # indexes made before the mark are complete
        return
    from whoosh.filedb.filestore import FileStorage

    lock = FileStorage(str(index_dir)).lock(_LOCK_FILE)
    if not lock.acquire():
        raise IndexLockedError(
            f"the index in {index_dir} is being built for the first time; try again when the build finishes"
        )
    lock.release()
    if not read_meta(index_dir).get("complete", True):  # (it may have finished meanwhile)
        raise IncompleteIndexError(
            f"the first build of the index in {index_dir} did not finish; build it again (Index.build)"
        )


def mark_complete(index_dir: Path) -> None:
    """Record that the index has a commit; call after a commit, without the write lock (it is taken here).

    When another writer holds the lock it has the commit under way and marks it at its end.
    """
    if read_meta(index_dir).get("complete", True):
        return
    from whoosh.filedb.filestore import FileStorage

    lock = FileStorage(str(index_dir)).lock(_LOCK_FILE)
    if lock.acquire():
        try:
            meta = read_meta(index_dir)
            if meta.get("complete") is False:
                _write_meta(index_dir, {**meta, "complete": True})
        finally:
            lock.release()


def create_index(index_dir: Path, wait: float = WAIT) -> FileIndex:
    """A new, empty index in `index_dir` (created if needed, old index files replaced).

    Replacing files is done under the write lock, so a live writer's index is
    never wiped. The Whoosh files come first and `searchkit.json` last: a crash
    in between leaves only Whoosh files, which `interrupted_create` recognises.
    `searchkit.json` says the index is not complete until its first commit
    (`mark_complete`), so a first build killed before it is reported as such
    rather than searched as an empty index.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    from whoosh.filedb.filestore import FileStorage

    lock = FileStorage(str(index_dir)).lock(f"{INDEX_NAME}_WRITELOCK")
    _acquire(lock, index_dir, wait)
    try:
        windex.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME).close()
        (index_dir / integrity.SUMS_FILE).unlink(missing_ok=True)  # the old files' sums go with them
        ix = _Index(index_dir)
        meta = {"format": "searchkit", "schema_version": SCHEMA_VERSION, "created": time.time(), "complete": False}
        _write_meta(index_dir, meta)
    finally:
        lock.release()
    return ix


def _write_meta(index_dir: Path, meta: dict[str, Any]) -> None:
    """Replace `searchkit.json` in one step (a crash leaves the old or the new one)."""
    tmp = _meta_path(index_dir).with_suffix(".json.tmp")
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, _meta_path(index_dir))


def recorded_roots(index_dir: Path) -> list[dict[str, str]]:
    """The roots recorded in the index's `searchkit.json` (none when there is no readable one)."""
    try:
        roots = read_meta(index_dir).get("roots")
    except (IndexNotFoundError, IndexCorruptError):
        return []
    return roots if isinstance(roots, list) else []


def record_roots(index_dir: Path, roots: list[dict[str, str]]) -> None:
    """Record the index's roots in `searchkit.json`; call only while holding the write lock.

    The file is rewritten only when the roots change, so a no-op update writes nothing.
    """
    meta = read_meta(index_dir)
    if meta.get("roots") != roots:
        _write_meta(index_dir, {**meta, "roots": roots})


@contextmanager
def write_lock(index_dir: Path, wait: float = WAIT) -> Iterator[None]:
    """Hold the index's write lock (waiting up to `wait` seconds) without opening a writer."""
    from whoosh.filedb.filestore import FileStorage

    lock = FileStorage(str(index_dir)).lock(_LOCK_FILE)
    _acquire(lock, index_dir, wait)
    try:
        yield
    finally:
        lock.release()


def has_index(index_dir: Path) -> bool:
    return _meta_path(index_dir).exists()


#: Names Whoosh gives the files of index INDEX_NAME (besides hidden files).
_TOC = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc$")
_TOC_TEMP = re.compile(rf"^_{INDEX_NAME}_[0-9]+\.toc\..+$")  # a table of contents being written
_SEGMENT = re.compile(rf"^({INDEX_NAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
_TEMP_DIR = f"{INDEX_NAME}.tmp"
_LOCK_FILE = f"{INDEX_NAME}_WRITELOCK"
#: searchkit's own names among the files of an index.
_OWN_FILES = (_TEMP_DIR, _LOCK_FILE, META_FILE + ".tmp", integrity.SUMS_FILE, integrity.SUMS_FILE + ".tmp")


def interrupted_create(index_dir: Path) -> bool:
    """True when `index_dir` holds only what an interrupted `create_index` leaves.

    That is Whoosh files of this index and no `searchkit.json`: nothing was
    ever committed there, so building over it loses nothing.
    """
    names = [p.name for p in index_dir.iterdir() if not p.name.startswith(".")]
    return (
        bool(names)
        and not has_index(index_dir)
        and all(n in _OWN_FILES or _TOC.match(n) or _TOC_TEMP.match(n) or _SEGMENT.match(n) for n in names)
    )


def _acquire(lock: LockBase, index_dir: Path, wait: float) -> None:
    """Take the index's write lock, polling for up to `wait` seconds."""
    deadline = time.monotonic() + max(wait, 0.0)
    while not lock.acquire():
        if time.monotonic() >= deadline:
            raise IndexLockedError(
                f"index is being updated by another process ({index_dir}); "
                "try again when it finishes, or wait longer (wait=SECONDS)"
            )
        time.sleep(0.05)


def remove_leftovers(ix: FileIndex, index_dir: Path, *, old_tocs: bool = False) -> list[str]:
    """Delete what killed writers left in `index_dir`; call only while holding the write lock.

    Removes segment files the latest table of contents does not name, tables of
    contents that were never renamed into place, and the posting-run folder.
    Files of older generations that readers may still be opening are left to
    Whoosh, which deletes them at the next commit; with `old_tocs` (for a run
    that will not commit) the tables of contents older than the latest go too,
    as that commit would have deleted them. Returns the names removed.
    """
    toc = TOC.read(ix.storage, ix.indexname)
    live = {seg.segment_id() for seg in toc.segments}
    removed: list[str] = []
    for entry in os.scandir(index_dir):
        name = entry.name
        seg = _SEGMENT.match(name)
        try:
            if name == _TEMP_DIR and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            elif (
                _TOC_TEMP.match(name)
                or name == integrity.SUMS_FILE + ".tmp"
                or (seg and seg.group(1) not in live)
                or (old_tocs and (old := _TOC.match(name)) and int(old.group(1)) < toc.generation)
            ):
                os.remove(entry.path)
            else:
                continue
        except FileNotFoundError:
            continue
        removed.append(name)
    return removed


#: Memory (MB) a writer's posting pool may hold before it spills to disk.
WRITER_MB = 256


def acquire_writer(ix: FileIndex, index_dir: Path, wait: float) -> SegmentWriter:
    """A writer, waiting up to `wait` seconds for another process's to finish.

    Whoosh's lock is an fcntl (flock) lock: the kernel drops it when its holder
    dies, so a lock left by a killed process never needs removing by hand, and
    a live holder's lock is never stolen (there is no "stale lock" heuristic to
    get wrong). Once the lock is held, leftovers of killed writers are removed
    before the new writer creates its own files.
    """
    lock = ix.lock("WRITELOCK")
    _acquire(lock, index_dir, wait)
    try:
        remove_leftovers(ix, index_dir)
        return writers.writer_holding(ix, lock, limitmb=WRITER_MB)  # released by its commit or cancel
    except BaseException:
        lock.release()
        raise


def check(index_dir: Path) -> integrity.IndexCheck:
    """Verify the index: every file of the latest commit against its checksum, then every segment opened.

    IndexCorruptError (with the rebuild advice) names what is damaged.
    """
    found = integrity.verify(index_dir)
    open_index(index_dir, verify=True).close()
    return found


def optimize(index_dir: Path, wait: float = WAIT) -> None:
    """Write the index anew as one segment, dropping deleted documents for good (`transaction.optimize`)."""
    from searchkit.indexing import transaction  # (which builds on this module)

    transaction.optimize(index_dir, wait)
