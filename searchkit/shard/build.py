"""Build or update a sharded index: one Dask task per shard, committed across shards at once.

The parent lists the source files and compares them with the manifest (size and mtime),
reading none: a file's shard follows from its path (`assign`), and a changed JSON Lines
file touches every shard. Each touched shard is rebuilt into a new generation folder
by two tasks (`tasks.scan`, then `tasks.write`, between which the parent pools every
shard's article tails into the corpus's boilerplate set, as one index would). Shards
whose files did not change keep their folder, unless the boilerplate set changed
under their articles. Only when every task has written is the new manifest swapped in
(`manifest.save`); a failure removes the new folders and raises ShardError naming the
shard, leaving the old manifest, and so every shard's old state, as it was.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from searchkit.defaults import CORPUS_DIR, WAIT
from searchkit.errors import CorpusError, SearchkitError, ShardError
from searchkit.indexing import store
from searchkit.indexing.indexer import IndexReport
from searchkit.indexing.schema import META_FILE
from searchkit.ingest import boilerplate
from searchkit.ingest.articles import CorpusWarning, SourceFile, find_sources
from searchkit.shard import manifest as manifest_mod
from searchkit.shard import runner, tasks
from searchkit.shard.assign import shards_of_file
from searchkit.shard.manifest import Manifest

if TYPE_CHECKING:
    from distributed import Client


@dataclass(frozen=True)
class ShardReport(IndexReport):
    """An update's report, plus where the time went: each phase's wall seconds and each shard's write."""

    phases: tuple[tuple[str, float], ...] = ()
    shard_seconds: tuple[float, ...] = ()


@dataclass(frozen=True)
class _Plan:
    """What an update will do: the files found, which shards to rebuild, the new generation."""

    old: Manifest | None  # the state this update builds on (None: a first build or a rebuild)
    current: Manifest | None  # the committed state on disk, whatever it is (a rebuild replaces it)
    shards: int
    roots: tuple[str, ...]
    sources: tuple[SourceFile, ...]
    warnings: tuple[CorpusWarning, ...]
    touched: frozenset[int]


def build(
    root: str | os.PathLike[str],
    paths: Sequence[str | os.PathLike[str]] | None,
    *,
    shards: int | None = None,
    client: Client | None = None,
    rebuild: bool = False,
    wait: float = WAIT,
) -> ShardReport:
    """Build the sharded index in `root` from `paths`, or bring it up to date (see the module).

    One update at a time: another waits `wait` seconds for the folder's lock (IndexLockedError).
    """
    folder = Path(root)
    if not (folder / META_FILE).exists():  # (a one-machine index: _plan says so, without touching its lock)
        folder.mkdir(parents=True, exist_ok=True)
    with store.write_lock(folder, wait):
        return _build(folder, paths, shards, client, rebuild)


def _build(
    folder: Path,
    paths: Sequence[str | os.PathLike[str]] | None,
    shards: int | None,
    client: Client | None,
    rebuild: bool,
) -> ShardReport:
    started = time.monotonic()
    plan = _plan(folder, paths, shards, rebuild)
    phases = [("list", time.monotonic() - started)]
    if not plan.touched:
        total = _articles(plan.old)
        return ShardReport(0, 0, 0, total, 0, time.monotonic() - started, plan.warnings, tuple(phases))
    generation = plan.current.generation + 1 if plan.current else 1  # new folders, never the committed ones
    spill = folder / f".spill.g{generation}"
    _remove(spill)  # what an earlier failed attempt at this generation left
    spill.mkdir(parents=True)
    try:
        reads = _read(plan, set(plan.touched), spill, 0, client)
        phases.append(("read", time.monotonic() - started - sum(t for _, t in phases)))
        old_tails, tails = _tails(folder, plan, reads)
        repeated = boilerplate.repeated(t for per in tails.values() for t in per)
        flipped = repeated ^ boilerplate.repeated(t for per in old_tails.values() for t in per)
        extra = {s for s, per in tails.items() if s not in plan.touched and any(set(t) & flipped for _, t in per)}
        if extra:  # the boilerplate changed under untouched shards' articles: they are rewritten too
            reads += _read(plan, extra, spill, len(reads), client)
        written = _write(folder, plan, sorted(plan.touched | extra), len(reads), spill, generation, repeated, client)
        phases.append(("write", time.monotonic() - started - sum(t for _, t in phases)))
        _commit(folder, plan, written, generation, reads)
    finally:
        _remove(spill)
    phases.append(("commit", time.monotonic() - started - sum(t for _, t in phases)))
    report = _report(plan, written, time.monotonic() - started, [w for r in reads for w in r.warnings])
    return ShardReport(**vars(report), phases=tuple(phases), shard_seconds=tuple(w.seconds for w in written))


def _plan(folder: Path, paths: Sequence[str | os.PathLike[str]] | None, shards: int | None, rebuild: bool) -> _Plan:
    """Compare the files under the roots with the manifest: which shards an update touches."""
    if (folder / META_FILE).exists():
        raise ShardError(f"{folder} holds a one-machine index; build the sharded index in another folder")
    current = _committed(folder, must=shards is None or not rebuild)
    count = shards if shards is not None else (current.shards if current else None)
    old = None if rebuild else current
    if count is None or count < 1:
        raise ShardError("a new sharded index needs a shard count of 1 or more (shards=N)")
    if old is not None and count != old.shards:
        raise ShardError(f"{folder} has {old.shards} shards, not {count}; rebuild it (rebuild=True) to change that")
    given = [os.path.abspath(os.fspath(p)) for p in paths or ()]
    recorded = list(old.roots) if old else []
    roots = tuple(dict.fromkeys(recorded + given)) if given else tuple(recorded or [os.path.abspath(CORPUS_DIR)])
    if not paths and not recorded and not os.path.exists(roots[0]):
        raise CorpusError(f"{CORPUS_DIR} does not exist; pass the files or folders to index")
    found, warnings = find_sources(list(roots))
    sources: dict[str, SourceFile] = {}
    for src in found:
        sources.setdefault(src.rel, src)  # the first root holding a path wins, as in one index
    touched: set[int] = set(range(count)) if old is None else set()
    if old is not None:
        for rel, src in sources.items():
            if old.files.get(rel) != [src.size, src.mtime_ns]:
                touched |= shards_of_file(rel, count)
        for rel in set(old.files) - set(sources):
            touched |= shards_of_file(rel, count)
    return _Plan(old, current, count, roots, tuple(found), tuple(warnings), frozenset(touched))


def _committed(folder: Path, must: bool) -> Manifest | None:
    """The manifest on disk, if any; unless it `must` be read, a damaged one is None (a rebuild replaces it)."""
    if not manifest_mod.is_sharded(folder):
        return None
    try:
        return manifest_mod.load(folder)
    except SearchkitError:
        if must:
            raise
        return None


def _parts(plan: _Plan, wanted: set[int]) -> list[tuple[SourceFile, ...]]:
    """The files that may hold articles of the `wanted` shards, cut into runs of about equal size.

    One run per wanted shard (at least one file each): a file is read by one task only.
    """
    files = [src for src in _unique(plan.sources) if shards_of_file(src.rel, plan.shards) & wanted]
    count = max(1, min(len(wanted), len(files)))
    total = sum(src.size for src in files) or 1
    parts: list[list[SourceFile]] = [[] for _ in range(count)]
    done = 0
    for src in files:
        parts[min(count - 1, done * count // total)].append(src)
        done += src.size
    return [tuple(p) for p in parts if p]


def _unique(sources: Sequence[SourceFile]) -> list[SourceFile]:
    """Each path once: the first root holding it wins, as in one index."""
    first: dict[str, SourceFile] = {}
    for src in sources:
        first.setdefault(src.rel, src)
    return list(first.values())


def _read(plan: _Plan, wanted: set[int], spill: Path, first: int, client: Client | None) -> list[tasks.Read]:
    """Phase 1: the files read once, the wanted shards' articles spilled; parts numbered from `first`."""
    runs = _parts(plan, wanted)
    jobs = [
        (
            f"files {run[0].rel}..{run[-1].rel}",
            (tasks.ReadJob(first + i, plan.shards, frozenset(wanted), run, str(spill)),),
        )
        for i, run in enumerate(runs)
    ]
    return runner.run(tasks.read, jobs, client, "reading") if jobs else []


Tails = dict[int, list[tuple[str, list[str]]]]


def _tails(folder: Path, plan: _Plan, reads: list[tasks.Read]) -> tuple[Tails, Tails]:
    """Every shard's article tails before and after this update (untouched shards: as saved)."""
    old: Tails = {}
    if plan.old is not None:
        for s in range(plan.shards):
            old[s] = tasks.read_tails(plan.old.shard_dir(folder, s))
    new: Tails = {s: old.get(s, []) for s in range(plan.shards) if s not in plan.touched}
    for s in plan.touched:
        first: dict[str, tuple[str, list[str]]] = {}  # an id in two files: the first one's article, as written
        for r in reads:
            for aid, h, t in r.tails.get(s, ()):
                first.setdefault(aid, (h, t))
        new[s] = list(first.values())
    return old, new


def _write(
    folder: Path,
    plan: _Plan,
    shards: list[int],
    parts: int,
    spill: Path,
    generation: int,
    repeated: frozenset[str],
    client: Client | None,
) -> list[tasks.Written]:
    """Phase 2: each shard written into its new generation folder; on failure the new folders go."""
    targets = {s: folder / manifest_mod.generation_dir(s, generation) for s in shards}
    for target in targets.values():  # what an earlier failed attempt at this generation left
        _remove(target)
    jobs = [(f"shard {s}", (s, parts, str(spill), str(targets[s]), repeated)) for s in shards]
    try:
        return runner.run(tasks.write, jobs, client, "build")
    except BaseException:
        for target in targets.values():
            _remove(target)
        raise


def _commit(folder: Path, plan: _Plan, written: list[tasks.Written], generation: int, reads: list[tasks.Read]) -> None:
    """Swap in the new manifest, then remove generations no reader can still be on."""
    dirs = list(plan.old.dirs) if plan.old else [""] * plan.shards  # a rebuild writes every shard
    for w in written:
        dirs[w.shard] = manifest_mod.generation_dir(w.shard, generation)
    files: dict[str, list[int]] = {}
    for src in plan.sources:
        files.setdefault(src.rel, [src.size, src.mtime_ns])
    unreadable = {rel for r in reads for rel in r.unreadable}
    counts = dict(plan.old.articles) if plan.old else {}
    counts.update({str(w.shard): [w.articles, w.paragraphs] for w in written})
    new = Manifest(
        shards=plan.shards,
        generation=generation,
        dirs=tuple(dirs),
        roots=plan.roots,
        files=files,
        files_read=len(set(files) - unreadable),
        articles=counts,
    )
    manifest_mod.save(folder, new)
    keep = set(new.dirs) | set(plan.current.dirs if plan.current else ())  # open readers may still read the last
    for entry in folder.iterdir():
        name = entry.name.removesuffix(".tails.json")
        if (name.startswith("shard-") and name not in keep) or name.startswith(".spill."):  # (a failed run's)
            _remove(entry)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink(missing_ok=True)
    tails = tasks.tails_file(path)
    if path.suffix != ".json" and tails.exists():
        tails.unlink(missing_ok=True)


def _articles(m: Manifest | None) -> int:
    return sum(a for a, _ in m.articles.values()) if m else 0


def _report(plan: _Plan, written: list[tasks.Written], seconds: float, warnings: list[CorpusWarning]) -> IndexReport:
    """Counts by shard: articles in rewritten shards (new ones added, the rest updated), the others unchanged."""
    before = {int(s): a for s, (a, _) in (plan.old.articles.items() if plan.old else ())}
    rewritten = {w.shard for w in written}
    was = sum(before.get(s, 0) for s in rewritten)
    now = sum(w.articles for w in written)
    added, removed = max(0, now - was), max(0, was - now)
    unchanged = sum(a for s, a in before.items() if s not in rewritten)
    paragraphs = sum(w.paragraphs for w in written)
    said = tuple(dict.fromkeys((*plan.warnings, *warnings)))  # each shard reading a JSON Lines file warns of it
    return IndexReport(added, now - added, removed, unchanged, paragraphs, seconds, said)
