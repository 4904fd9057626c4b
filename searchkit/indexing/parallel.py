"""Indexing on several cores: articles are dealt to worker processes that write segments.

Turning an article into postings (quotation extraction, analysis, the posting
lists) needs nothing but the article, so it parallelises by article. The
indexing process still finds, reads and parses the files and keeps the
manifest; it deals the articles, in chunks and round-robin (so the same input
always gives the same segments), to `jobs` worker processes. Each worker runs an
`ArticleWriter` over its own `BulkWriter`, which writes ordinary Whoosh segments
into the index folder. When the corpus has been read, the parent sends every
worker the boilerplate set; the workers write their held-back tail paragraphs,
finish their segments and send them back, and the parent's writer commits them
together with its own documents, in one TOC: the commit stays one atomic step.

A failure anywhere (a worker's exception, a worker killed, the parent
interrupted) cancels all of it: segment files no commit names are removed
(`cancel`, or the next writer's leftover cleanup), and the index stays as the
last commit left it.

Never wedged: a worker dies with its parent, whatever kills the parent
(`_guard`). On Linux the kernel kills it (PR_SET_PDEATHSIG); everywhere a
watchdog thread ends it within `_POLL` seconds of being orphaned, even while a
read of a half-sent chunk blocks. And a worker holds nothing that outlives
the parent: right after it starts it lets go of everything it inherited but
its own two pipe ends (`_inherited`): the write ends of the job pipes (so a
read from a dead parent's pipe ends instead of waiting), the other workers'
ends, and the index's write lock (an flock lock lives as long as any process
holds a descriptor of it; the worker's copy is replaced, never unlocked). So
only the live writer ever holds the lock.
"""

from __future__ import annotations

import ctypes
import dataclasses
import gc
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import traceback
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from operator import attrgetter
from typing import Any

from whoosh.codec.base import Codec, Segment
from whoosh.fields import Schema

from searchkit.codec.bulkwrite import BulkWriter
from searchkit.codec.textpostings import RunCutter
from searchkit.errors import FileSystemError, IndexingError
from searchkit.indexing.documents import ArticleWriter
from searchkit.indexing.transaction import storable
from searchkit.ingest.articles import Article
from searchkit.ingest.boilerplate import tail_count

#: Paragraphs per chunk sent to a worker: large enough that the queue's
#: pickling is noise, small enough that the workers start early and stay even.
CHUNK_PARAGRAPHS = 2000
#: Chunks waiting per worker; bounds the parent's memory when it reads faster.
QUEUE_CHUNKS = 2
#: Below this much input (bytes of source files) the start-up of the workers
#: costs more than it saves; one process does it all.
MIN_BYTES = 4_000_000
#: Seconds between checks that the other side is still alive.
_POLL = 1.0

#: An article as sent to a worker: its fields' values in order, which `Article(*values)` makes
#: again. A tuple pickles in a third of the time a dataclass does, and loads in a quarter.
_packed = attrgetter(*(f.name for f in dataclasses.fields(Article)))


def default_jobs() -> int:
    """Worker processes to use: one per CPU this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _context() -> ForkContext | SpawnContext:
    # fork starts a worker in milliseconds with everything imported, but is only
    # safe on Linux and in a single-threaded process (a library caller may run
    # threads, whose locks a forked child would inherit held); otherwise spawn.
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class _Target:
    """What BulkWriter needs of a writer, in a worker: where and how to write segments."""

    is_closed = True  # nothing to cancel but our own files

    def __init__(self, index_dir: str, indexname: str, schema: Schema, codec: Codec) -> None:
        from whoosh.filedb.filestore import FileStorage

        self.storage = FileStorage(index_dir)
        self.indexname = indexname
        self.schema = schema
        self.codec = codec

    def commit(self, **_: Any) -> None:  # a worker never commits: the parent does
        raise AssertionError("worker segments are committed by the indexing process")


#: Linux's prctl option: the signal a process gets when the thread that made it dies.
_PR_SET_PDEATHSIG = 1


def _die() -> None:
    """End this process now, as the kernel would (no cleanup that could wait on a dead parent)."""
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _die_with(parent: int) -> None:
    """End this process as soon as `parent` is gone (it is then no longer our parent)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the watchdog below does it
            pass
    if os.getppid() != parent:  # died before the kernel was told
        _die()

    def watch() -> None:  # the deadline of every blocking read: also where prctl is missing
        while True:
            time.sleep(_POLL)
            if os.getppid() != parent:
                _die()  # our segment files go with the next writer's leftover cleanup

    threading.Thread(target=watch, name="searchkit-orphan-watch", daemon=True).start()


def _let_go(jobs_in: Queue[tuple[str, Any]], results: Queue[tuple[str, int, Any, int]], inherited: list[int]) -> None:
    """Drop every descriptor inherited from the parent but our job pipe's read end and the result pipe's write end.

    `inherited` (fork only) are the parent's descriptors of the write lock and of
    the other workers' pipes, as numbers: each is pointed at /dev/null (not
    closed, so the number is not reused under the parent's objects copied into
    this process, and never unlocked, which would unlock the parent's lock too).
    """
    for conn in (getattr(jobs_in, "_writer", None), getattr(results, "_reader", None)):
        if conn is not None:
            conn.close()
    if inherited:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in inherited:
            try:
                os.dup2(null, fd)
            except OSError:
                pass
        os.close(null)


def _work(
    worker: int,
    jobs_in: Queue[tuple[str, Any]],
    results: Queue[tuple[str, int, Any, int]],
    stop: Event,
    inherited: list[int],
    parent: int,
    index_dir: str,
    indexname: str,
    schema: Schema,
    codec: Codec,
    max_postings: int | None,
    runs: RunCutter | None,
) -> None:
    """A worker's life: write the articles it is sent, then its held paragraphs, then report."""
    _die_with(parent)
    _let_go(jobs_in, results, inherited)
    # What the parent made is never garbage here: the collector need not look at it again
    # (nor touch, and so copy, its pages).
    gc.freeze()
    bulk = BulkWriter(_Target(index_dir, indexname, schema, codec), max_postings, runs)
    out = ArticleWriter(lambda doc: bulk.add(storable(doc)))  # as Transaction.add does
    try:
        while True:
            try:
                kind, payload = jobs_in.get(timeout=_POLL)
            except queue.Empty:
                kind, payload = "", None
            # Cancelled, or orphaned (nobody will commit our segments): delete them and go.
            if stop.is_set() or os.getppid() != parent:
                bulk.cancel()
                return
            if kind == "articles":
                for fields in payload:
                    out.write(Article(*fields))
            elif kind == "finish":
                out.finish(*payload)
                bulk.flush()
                results.put(("segments", worker, bulk.segments, out.paragraphs))
                return
    except OSError as exc:  # disk full, read-only, ...: the parent says so in one line
        bulk.cancel()
        results.put(("oserror", worker, (exc.errno, exc.strerror, exc.filename), 0))
    except BaseException:
        bulk.cancel()
        results.put(("error", worker, traceback.format_exc(), 0))


def _raise_reported(kind: str, detail: Any) -> None:
    """Raise the error a worker reported (a result of kind "error" or "oserror"); nothing for "segments"."""
    if kind == "oserror":
        raise FileSystemError.of(OSError(*detail), wrote=True)
    if kind == "error":
        raise IndexingError(f"an indexing worker failed; nothing was committed:\n{detail}")


class ParallelWriter:
    """ArticleWriter's interface, with the work done by `jobs` worker processes.

    `write(article)` queues the article; `finish(boilerplate, records)` ends
    the workers and hands their segments to `bulk` (the parent's BulkWriter),
    to be committed with it. `paragraphs` counts what was sent; after `finish`
    it is exactly what was written.
    """

    def __init__(self, bulk: BulkWriter, jobs: int, max_postings: int | None = None) -> None:
        ctx = _context()
        self.bulk = bulk
        writer = bulk.writer
        self.results = ctx.Queue()
        self.queues = [ctx.Queue(QUEUE_CHUNKS) for _ in range(jobs)]
        self.stop = ctx.Event()
        args = (str(writer.storage.folder), writer.indexname, writer.schema, writer.codec, max_postings, bulk.runs)
        fork = ctx.get_start_method() == "fork"
        self.procs = [
            ctx.Process(
                target=_work,
                args=(i, q, self.results, self.stop, self._inherited(i, writer) if fork else [], os.getpid(), *args),
                daemon=True,
                name=f"searchkit-index-{i}",
            )
            for i, q in enumerate(self.queues)
        ]
        for p in self.procs:
            p.start()
        self.paragraphs = 0
        self._chunk: list[tuple[Any, ...]] = []  # packed articles (`_packed`)
        self._chunk_paragraphs = 0
        self._next = 0
        self._held = 0

    def _inherited(self, worker: int, writer: Any) -> list[int]:
        """The descriptors a forked `worker` inherits and must let go: the lock's and the other pipes' ends."""
        fds = [getattr(getattr(writer, "writelock", None), "fd", None), self._fd(self.results, "_reader")]
        for i, q in enumerate(self.queues):
            fds.append(self._fd(q, "_writer"))
            if i != worker:
                fds.append(self._fd(q, "_reader"))
        return [fd for fd in fds if isinstance(fd, int) and fd > 2]

    @staticmethod
    def _fd(q: Queue[Any], end: str) -> int | None:
        conn = getattr(q, end, None)
        return None if conn is None else int(conn.fileno())

    def write(self, article: Article) -> None:
        self._chunk.append(_packed(article))
        self._chunk_paragraphs += len(article.paragraphs)
        k = tail_count(article.paragraphs)
        self.paragraphs += len(article.paragraphs) - k
        if self._chunk_paragraphs >= CHUNK_PARAGRAPHS:
            self._send()

    def _send(self) -> None:
        if not self._chunk:
            return
        self._put(self._next, ("articles", self._chunk))
        self._next = (self._next + 1) % len(self.queues)
        self._chunk, self._chunk_paragraphs = [], 0

    def _put(self, i: int, message: tuple[str, Any]) -> None:
        while True:
            try:
                self.queues[i].put(message, timeout=_POLL)
                return
            except queue.Full:
                self._check_alive()

    def _check_alive(self) -> None:
        # A worker that reported an error is waiting to be read; one that died silently is not.
        try:
            kind, _, detail, _ = self.results.get_nowait()
        except queue.Empty:
            pass
        else:
            _raise_reported(kind, detail)
        for p in self.procs:
            if not p.is_alive() and p.exitcode not in (0, None):
                raise IndexingError(
                    f"an indexing worker process died (exit code {p.exitcode}; out of memory?); "
                    "nothing was committed. Run again, in one process (jobs=1)"
                )

    def finish(self, boilerplate: frozenset[str], records: list[dict[str, Any]]) -> None:
        """Finish every worker, the first writing `records` too; adopt their segments, in a fixed order."""
        self._send()
        for i in range(len(self.queues)):
            self._put(i, ("finish", (boilerplate, records if i == 0 else [])))
        by_worker: dict[int, list[Segment]] = {}
        written = 0
        while len(by_worker) < len(self.procs):
            try:
                kind, worker, detail, count = self.results.get(timeout=_POLL)
            except queue.Empty:
                self._check_alive()
                if all(not p.is_alive() for p in self.procs) and self.results.empty():
                    raise IndexingError("the indexing workers ended without reporting; nothing was committed") from None
                continue
            _raise_reported(kind, detail)
            # Keyed by worker: the segments' order must not depend on who finished first.
            by_worker[worker] = detail
            written += count
        for p in self.procs:
            p.join()
        self._close(wait=True)
        self.paragraphs = written
        self.bulk.adopt(s for i in sorted(by_worker) for s in by_worker[i])

    def cancel(self) -> None:
        """Stop every worker; each deletes the segment files it wrote."""
        self.stop.set()
        for p in self.procs:
            p.join(timeout=10)
            if p.is_alive():  # stuck: its files go with the next writer's leftover cleanup
                p.terminate()
                p.join()
        self._close(wait=False)

    def _close(self, wait: bool) -> None:
        # Ends the queues' feeder threads, so this process is single-threaded
        # again and a later build may fork (see _context).
        for q in (*self.queues, self.results):
            q.close()
            if wait:
                q.join_thread()
            else:  # a dead reader never drains the pipe: don't wait for it
                q.cancel_join_thread()
