"""Indexing: source files -> articles -> one document per paragraph, in one transaction.

An update reads the index's roots (`roots.py`: the recorded ones plus any paths
given) and brings the index up to date with the files under them. Each source file has a
"file" document recording its size, mtime, content hash and the articles it
produced; a file whose size and mtime (or, failing that, hash) match is not read
again (`changes.py`: hashed when its mtime is too close to the last commit to
trust), a changed one has its articles replaced, a vanished one has them
deleted, and one skipped for a reason that can change is tried again on every
update (`retry.py`). Files are gone through in the update's order, which decides
who owns an article id two files give (`searchkit.ingest.identity`), so an
unchanged file is rewritten when its ids must change.
All of it, file documents included, is committed as one transaction
(`transaction.py`), so a crash leaves the index exactly as the last commit left it.

Trailing paragraphs repeated at the end of many articles (site furniture the
reader's rules did not catch) are held back while writing and dropped once the
whole corpus has been seen; the set found is stored so that a later update that
changes it re-reads the files it affects.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from whoosh.searching import Searcher

from searchkit.defaults import CORPUS_DIR, WAIT
from searchkit.errors import CorpusError, SearchkitError
from searchkit.indexing import changes, parallel, retry, store
from searchkit.indexing import roots as roots_mod
from searchkit.indexing.documents import ArticleWriter, paragraph_docs, wire_key
from searchkit.indexing.schema import FILE
from searchkit.indexing.transaction import Transaction, transaction
from searchkit.ingest import boilerplate, identity
from searchkit.ingest.articles import (
    Article,
    CorpusWarning,
    SourceFile,
    find_sources,
    in_pieces,
    open_stream,
    parse_file,
)

__all__ = ["IndexReport", "Progress", "paragraph_docs", "update", "wire_key", "write_articles"]

#: Postings a writer holds before writing a segment while a big text file is indexed in pieces: the
#: default batch (ten million) alone peaks near 700 MB; with this a 100 MB file peaks near 260 MB.
BIG_FILE_POSTINGS = 2_500_000

#: The document that stores the boilerplate set found by the last update.
BOILERPLATE_PID = "meta:boilerplate"


@dataclass(frozen=True)
class Progress:
    """Where a running update is, for progress displays."""

    files_done: int
    files_total: int
    paragraphs: int
    seconds: float


@dataclass(frozen=True)
class IndexReport:
    """What an update did."""

    added: int
    updated: int
    removed: int
    unchanged: int
    paragraphs: int  # paragraphs written by this update
    seconds: float
    warnings: tuple[CorpusWarning, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    @property
    def paragraphs_per_second(self) -> float:
        return self.paragraphs / self.seconds if self.seconds > 0 else 0.0


ProgressFn = Callable[[Progress], None]


@dataclass
class _Run:
    """Mutable state of one update while its writer is open."""

    tx: Transaction
    existing: dict[str, dict[str, Any]]  # file key -> stored meta
    # Who turns articles into documents: this process, or worker processes (see parallel).
    out: ArticleWriter | parallel.ParallelWriter | None = None
    warnings: list[CorpusWarning] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    # Article ids given out so far, each with its file (one id, one file: see ingest.identity).
    claims: identity.Claims = field(default_factory=identity.Claims)
    renamed: dict[str, str] = field(default_factory=dict)  # key -> rel, for files under a later root keyed apart
    skipped: list[CorpusWarning] = field(default_factory=list)  # files skipped for a reason that can change
    rewritten: set[str] = field(default_factory=set)  # file keys whose articles this run wrote
    # What the run's roots allow: deleting freely, or only a few articles (see roots.guard).
    plan: roots_mod.Plan = roots_mod.Plan((), explicit=True)
    # Called after each article, for progress inside a big file (set by _apply).
    tick: Callable[[], None] = lambda: None
    # When the index was last committed (None: a new index): files modified close to it are hashed (changes).
    committed_ns: int | None = None
    # Manifest and meta documents by pid, written with the last paragraphs (see record()).
    records: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def paragraphs(self) -> int:
        return self.out.paragraphs if self.out is not None else 0

    def start(self, jobs: int, big_files: bool = False) -> None:
        """Choose who writes the paragraphs: `jobs` workers, or this process.

        With `big_files` (a file read in pieces is to be indexed) the writers'
        batches are smaller (`BIG_FILE_POSTINGS`), so that memory stays bounded.
        """
        batch = BIG_FILE_POSTINGS if big_files else None
        if batch is not None and self.tx.bulk is not None:
            self.tx.bulk.max_postings = min(self.tx.bulk.max_postings, batch)
        if jobs > 1 and self.tx.bulk is not None:
            workers = parallel.ParallelWriter(self.tx.bulk, jobs, batch)
            self.tx.on_cancel(workers.cancel)  # workers stop and delete their segment files
            self.out = workers
        else:
            self.out = ArticleWriter(self.tx.add)

    def delete_articles(self, ids: Iterable[str]) -> None:
        for aid in ids:
            self.tx.writer.delete_by_term("article_id", aid)

    def write(self, article: Article) -> None:
        assert self.out is not None
        self.out.write(article)

    def record(self, **doc: Any) -> None:
        """Store a manifest or meta document, replacing the committed one with its pid.

        It goes into the paragraphs' segment rather than the writer's own, so a
        build makes no extra one-document segment that every search must visit.
        """
        self.tx.writer.delete_by_term("pid", doc["pid"])
        self.records[doc["pid"]] = doc  # a file recorded twice in one run keeps its last record

    def finish(self, boilerplate: frozenset[str]) -> None:
        """Write the held paragraphs and the records; the run's documents are then all written."""
        assert self.out is not None
        self.out.finish(boilerplate, list(self.records.values()))
        self.records.clear()


def _stored_files(searcher: Searcher) -> tuple[dict[str, dict[str, Any]], frozenset[str]]:
    files: dict[str, dict[str, Any]] = {}
    boilerplate: frozenset[str] = frozenset()
    for fields_ in searcher.documents(kind=FILE):
        files[fields_["path"]] = fields_["meta"]
    for fields_ in searcher.documents(pid=BOILERPLATE_PID):
        boilerplate = frozenset(fields_["meta"])
    return files, boilerplate


def update(
    index_dir: str | Path,
    paths: Sequence[str | Path] | None = None,
    *,
    rebuild: bool = False,
    wait: float = WAIT,
    progress: ProgressFn | None = None,
    jobs: int | None = None,
    mirror: bool = False,
    prune: bool = False,
    remove_roots: Sequence[str | Path] = (),
) -> IndexReport:
    """Bring the index in `index_dir` up to date with its roots, adding `paths` to them.

    With no paths and no recorded roots, the root is ./corpus. `mirror` makes
    `paths` the only roots; `remove_roots` drops roots; `prune` allows deleting
    many articles whose files are gone (otherwise DeletionRefusedError, see
    `roots.guard`). `jobs` worker processes write the paragraphs when there is
    enough to do (default: one per CPU; 1 = all in this process).
    """
    started = time.monotonic()
    index_dir = Path(index_dir)
    recorded = roots_mod.from_meta({"roots": store.recorded_roots(index_dir)})
    # A rebuild builds anew: from the paths given, when given, as the only roots.
    mirror = mirror or (rebuild and bool(paths))
    plan = roots_mod.plan(recorded, paths, mirror=mirror, prune=prune, remove_roots=remove_roots, default=CORPUS_DIR)
    roots_mod.check_present(plan.roots, recorded)
    sources, warnings = find_sources([_shown(r) for r in plan.roots])
    committed_ns = None if rebuild else _last_commit_ns(index_dir)
    if committed_ns is not None and plan.roots == tuple(recorded):
        unchanged = _unchanged_articles(index_dir, sources, wait, warnings, committed_ns)
        if unchanged is not None:  # a no-op run opens no writer: no segment, no TOC, no score moves
            return IndexReport(0, 0, 0, unchanged, 0, time.monotonic() - started, tuple(warnings))
    with transaction(index_dir, rebuild=rebuild, wait=wait) as tx:
        run = _Run(tx=tx, existing={}, plan=plan, committed_ns=committed_ns)
        run.warnings.extend(warnings)
        with tx.writer.searcher() as searcher:
            stored, old_boiler = ({}, frozenset()) if rebuild else _stored_files(searcher)
        run.existing = stored
        _apply(run, sources, old_boiler, progress, started, parallel.default_jobs() if jobs is None else jobs)
        store.record_roots(index_dir, [r.to_dict() for r in plan.roots])
    c = run.counts
    return IndexReport(
        added=c["added"],
        updated=c["updated"],
        removed=c["removed"],
        unchanged=c["unchanged"],
        paragraphs=run.paragraphs,
        seconds=time.monotonic() - started,
        warnings=tuple(run.warnings),
    )


def _last_commit_ns(index_dir: Path) -> int | None:
    """When the index was last committed (None when there is no readable index: the update then says why)."""
    if not store.has_index(index_dir):
        return None
    try:
        ix = store.open_index(index_dir)
    except SearchkitError:
        return None
    try:
        when = ix.last_modified()
    finally:
        ix.close()
    return int(when * 1e9) if when >= 0 else None


def _unchanged_articles(
    index_dir: Path, sources: list[SourceFile], wait: float, warnings: list[CorpusWarning], committed_ns: int
) -> int | None:
    """The number of articles, when every source matches its record by size and mtime (or was skipped
    last time and still is: its warnings are added to `warnings`) and no recorded file is gone, so
    the update has nothing to do; else None.

    It holds the write lock as any update does, so a writer at work is waited for and what
    killed writers left is cleared (no segment or table of contents is written).
    """
    ix = store.open_index(index_dir)
    try:
        with store.write_lock(index_dir, wait):
            store.remove_leftovers(ix, index_dir, old_tocs=True)  # what a commit would have cleared
            with ix.searcher() as searcher:
                stored, _ = _stored_files(searcher)
                retries = retry.recorded(searcher)
    finally:
        ix.close()
    by_key = {src.rel: src for src in identity.distinct_keys(sources)[0]}
    if not by_key.keys() >= stored.keys() | retries.keys():
        return None
    again: list[CorpusWarning] = []
    for key, src in by_key.items():
        if changes.unchanged(stored.get(key), src, committed_ns):
            continue
        failing = retry.still_failing(src) if key in retries else None
        if failing is None:
            return None
        again.extend(failing)
    warnings.extend(again)
    return sum(len(old["ids"]) for old in stored.values())


def _shown(root: roots_mod.Root) -> str:
    """The root as the user wrote it while that still names it (warnings then read as they typed), else absolute."""
    return root.given if os.path.abspath(root.given) == root.path else root.path


def _apply(
    run: _Run,
    sources: list[SourceFile],
    old_boiler: frozenset[str],
    progress: ProgressFn | None,
    started: float,
    jobs: int,
) -> None:
    tails_of: dict[str, list[Any]] = {}  # file key -> [headline, tail paragraphs] per article
    keyed, run.renamed = identity.distinct_keys(sources)
    by_key = {src.rel: src for src in keyed}
    pending = {
        key for key, src in by_key.items() if not changes.same_stat(run.existing.get(key), src, run.committed_ns)
    }

    _delete_vanished(run, by_key)

    # Workers pay off only with enough to read; their start-up is ~0.1 s.
    run.start(
        jobs if sum(by_key[key].size for key in pending) >= parallel.MIN_BYTES else 1,
        big_files=any(in_pieces(key, by_key[key].size) for key in pending),
    )
    done = 0
    last = [0.0]

    def report() -> None:
        if progress:
            last[0] = time.monotonic()
            progress(Progress(done, len(by_key), run.paragraphs, last[0] - started))

    def tick() -> None:  # within a file: at most ten reports a second
        if progress and time.monotonic() - last[0] >= 0.1:
            report()

    run.tick = tick
    # In the update's order: who owns an article id depends on which file comes first (identity).
    for key, src in by_key.items():
        old = run.existing.get(key)
        if old is not None and key not in pending and _ids_hold(run, key, old):
            _keep(run, key, old, tails_of)
            done += 1
            continue
        # (an unchanged file is rewritten when a clash of ids appeared or went away: its ids change)
        _index_file(run, src, tails_of, reid=key not in pending)
        done += 1
        report()

    boiler = boilerplate.repeated((h, t) for per_file in tails_of.values() for h, t in per_file)
    flipped = boiler ^ old_boiler
    if flipped:  # unchanged files whose tails changed status are rewritten
        for key, per_file in list(tails_of.items()):
            # (files rewritten by this run already wrote their tails; a second write would double them)
            if key in run.existing and key not in run.rewritten and any(set(t) & flipped for _, t in per_file):
                _index_file(run, by_key[key], tails_of, force=True)
    run.record(pid=BOILERPLATE_PID, kind="m", meta=sorted(boiler))
    if run.skipped:  # (no document when there is none: one more document would move every score a little)
        run.record(**retry.record_doc(run.skipped))
    else:
        run.tx.writer.delete_by_term("pid", retry.RETRY_PID)
    run.finish(boiler)


def _delete_vanished(run: _Run, by_key: dict[str, SourceFile]) -> None:
    """Delete the articles of recorded files no longer found, unless that is too many to do unasked (roots.guard)."""
    vanished = {key: len(old["ids"]) for key, old in run.existing.items() if key not in by_key}
    roots_mod.guard(vanished, sum(len(old["ids"]) for old in run.existing.values()), run.plan)
    for key, old in run.existing.items():
        if key in vanished:
            run.delete_articles(old["ids"])
            run.tx.writer.delete_by_term("pid", f"file:{key}")
            run.counts["removed"] += len(old["ids"])


def _ids_hold(run: _Run, key: str, old: dict[str, Any]) -> bool:
    """Whether a recorded file keeps its ids in this update (no clash with an earlier file appeared or went)."""
    return run.claims.would_get(_raw_ids(old), key) == list(old["ids"])


def _raw_ids(old: dict[str, Any]) -> list[str]:
    """The ids a recorded file's parser gave (its "ids" are what it got: they differ only after a clash)."""
    raw: list[str] = old.get("raw", old["ids"])
    return raw


def _keep(run: _Run, key: str, old: dict[str, Any], tails_of: dict[str, list[Any]]) -> None:
    run.counts["unchanged"] += len(old["ids"])
    run.claims.claim(old["ids"], key)
    tails_of[key] = old["tails"]


def _index_file(
    run: _Run, src: SourceFile, tails_of: dict[str, list[Any]], force: bool = False, reid: bool = False
) -> None:
    """(Re)index one file's articles, unless its content (and the ids it must have) is what the index already has.

    `force` rewrites a file already kept by this run with the ids it kept (its
    tails changed status); `reid` rewrites an unchanged file whose ids must change.
    """
    key = src.rel
    old = run.existing.get(key)
    stream = open_stream(src)
    data: bytes | None
    if stream is not None:  # a big JSONL file: hashed first if that may spare parsing it
        data, digest = b"", (_hash_file(src, run) if old and not force and not reid else "")
    else:
        data, digest, why = retry.read(src)
        if why is not None:
            _skip(run, [why])
    if data is None or digest is None:
        if old and not force:  # keep what was indexed rather than lose it to a read error
            _keep(run, key, old, tails_of)
        return
    if old and old["sha256"] == digest and not force and not reid and _ids_hold(run, key, old):
        _keep(run, key, old, tails_of)
        run.record(pid=f"file:{key}", kind=FILE, path=key, meta={**old, "mtime_ns": src.mtime_ns})
        return
    if stream is None:
        articles, warnings = parse_file(src.rel, data)
        if any(w.retry for w in warnings):  # e.g. the html extra is missing: tried again next time
            _skip(run, warnings)
            if old and not force:
                _keep(run, key, old, tails_of)
            return
        run.warnings.extend(warnings)
    if key in run.renamed:
        run.warnings.append(identity.renamed_warning(key, run.renamed[key]))
    run.rewritten.add(key)
    old_ids = set(old["ids"]) if old else set()
    if old:
        run.delete_articles(old_ids)
    kept = dict(zip(_raw_ids(old), old["ids"])) if old and force else None
    try:
        raws, ids = _write_file(run, key, stream if stream is not None else articles, tails_of, kept)
    except OSError as exc:  # the file went away or failed mid-read: nothing of this update is kept
        raise CorpusError(
            f"{key}: reading failed part-way ({exc.strerror or exc}); nothing was committed, run the update again"
        ) from exc
    if stream is not None:
        run.warnings.extend(stream.warnings)
        digest = stream.sha256
    if not force:
        run.counts["updated"] += len(old_ids & set(ids))
        run.counts["added"] += len(set(ids) - old_ids)
        run.counts["removed"] += len(old_ids - set(ids))
    meta = {"size": src.size, "mtime_ns": src.mtime_ns, "sha256": digest, "ids": ids, "tails": tails_of[key]}
    if raws != ids:
        meta["raw"] = raws
    run.record(pid=f"file:{key}", kind=FILE, path=key, meta=meta)


def _skip(run: _Run, warnings: list[CorpusWarning]) -> None:
    """A file is not indexed: warn, and list it for the next update when the reason can change."""
    run.warnings.extend(warnings)
    run.skipped.extend(w for w in warnings if w.retry)


def _write_file(
    run: _Run, key: str, articles: Iterable[Article], tails_of: dict[str, list[Any]], kept: dict[str, str] | None
) -> tuple[list[str], list[str]]:
    """Write one file's articles, each under the id it gets in this update; (the parser's ids, the ids given).

    `kept` maps the parser's ids to those the file already holds in this run (a
    forced rewrite); otherwise each id is claimed (`identity.Claims.take`).
    """
    raws: list[str] = []
    ids: list[str] = []
    tails_of[key] = []
    for article in articles:
        if article.first > 1:  # a later part of a big file's article (ingest.pieces): the id its first got
            article = replace(article, id=ids[-1])
        else:
            raws.append(article.id)
            if kept is not None:
                article = replace(article, id=kept.get(article.id, article.id))
            else:
                article, clash = run.claims.take(article, key)
                if clash is not None:
                    run.warnings.append(clash)
            ids.append(article.id)
        if not article.more:
            tails_of[key].append([article.headline, boilerplate.tail(article.paragraphs)])
        run.write(article)
        run.tick()
    return raws, ids


def _hash_file(src: SourceFile, run: _Run) -> str | None:
    try:
        return changes.sha256_of(src.path)
    except OSError as exc:
        _skip(run, [retry.unreadable(src, exc)])
        return None


def write_articles(
    index_dir: str | Path,
    articles: Iterable[Article],
    *,
    progress: ProgressFn | None = None,
) -> IndexReport:
    """Replace the index in `index_dir` with exactly these articles (no manifest, no boilerplate pass)."""
    started = time.monotonic()
    count = paragraphs = 0
    with transaction(Path(index_dir), rebuild=True, wait=WAIT) as tx:
        for article in articles:
            for doc in paragraph_docs(article):
                tx.add(doc)
                paragraphs += 1
            count += 1
            if progress and count % 500 == 0:
                progress(Progress(count, 0, paragraphs, time.monotonic() - started))
    return IndexReport(
        added=count,
        updated=0,
        removed=0,
        unchanged=0,
        paragraphs=paragraphs,
        seconds=time.monotonic() - started,
    )
