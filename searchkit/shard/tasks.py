"""The work of a build, as Dask tasks: read the files once, then write each shard.

A build is a shuffle through the shared file system, in two phases of pure functions
(arguments: paths every worker sees, and small values):

1. `read` (one task per run of the corpus's files) parses its files once, sends each
   article to its shard's spill file (`spill_path`, pickled Articles, in corpus order)
   and returns each article's closing lines (its tail): the parent pools the tails of
   every shard into the corpus's boilerplate set, as a one-machine build does;
2. `write` (one task per shard) reads the shard's spill files, in part order (so in
   corpus order), and writes its new generation folder with the one-machine writer
   (`ArticleWriter` in one `transaction`), dropping that boilerplate.

An article belongs to the shard its id hashes to (`assign`); an id seen before in
corpus order is skipped, so duplicates resolve as in one index.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from searchkit.defaults import WAIT
from searchkit.indexing.documents import ArticleWriter
from searchkit.indexing.transaction import transaction
from searchkit.ingest import boilerplate
from searchkit.ingest.articles import Article, CorpusWarning, SourceFile, StreamedJsonl, parse_file, streamable
from searchkit.shard.assign import shard_of

#: Test hook: a worker whose `write` task is for this shard number is killed part-way (SIGKILL),
#: as a killed machine would. Read from the worker's environment.
FAULT_ENV = "SEARCHKIT_TEST_KILL_SHARD"

#: One article's (id, headline, tail paragraphs).
Tail = tuple[str, str, list[str]]


@dataclass(frozen=True)
class ReadJob:
    """A run of the corpus's files (`part` in corpus order) to read for the shards in `wanted`."""

    part: int
    shards: int
    wanted: frozenset[int]
    sources: tuple[SourceFile, ...]
    spill: str


@dataclass
class Read:
    """What a part's files hold: per shard, each article's tail; and what could not be read."""

    part: int
    tails: dict[int, list[Tail]] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    warnings: list[CorpusWarning] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class Written:
    """What a shard's write did."""

    shard: int
    articles: int
    paragraphs: int
    seconds: float


def spill_path(spill: str | Path, part: int, shard: int) -> Path:
    """Where part `part` leaves the articles of shard `shard`."""
    return Path(spill) / f"part-{part:05d}.shard-{shard:03d}.pickle"


def _articles_of(src: SourceFile, out: Read) -> Iterator[Article]:
    """The file's articles (streamed for a big JSON Lines file); nothing if it cannot be read."""
    if streamable(src):
        stream = StreamedJsonl(src.rel, src.path)
        yield from stream
        out.warnings.extend(stream.warnings)
        return
    try:
        data = src.path.read_bytes()
    except OSError:
        out.unreadable.append(src.rel)
        return
    articles, warnings = parse_file(src.rel, data)
    out.warnings.extend(warnings)
    yield from articles


def read(job: ReadJob) -> Read:
    """Phase 1: parse the part's files once, spilling each wanted shard's articles."""
    started = time.monotonic()
    out = Read(job.part)
    spills: dict[int, BinaryIO] = {}
    try:
        for src in job.sources:
            for article in _articles_of(src, out):
                shard = shard_of(article.id, job.shards)
                if shard not in job.wanted:
                    continue
                if shard not in spills:
                    spills[shard] = open(spill_path(job.spill, job.part, shard), "wb")  # noqa: SIM115 - closed below
                pickle.dump(article, spills[shard], protocol=pickle.HIGHEST_PROTOCOL)
                out.tails.setdefault(shard, []).append(
                    (article.id, article.headline, boilerplate.tail(article.paragraphs))
                )
    finally:
        for f in spills.values():
            f.close()
    out.seconds = time.monotonic() - started
    return out


def _spilled(spill: str, parts: int, shard: int) -> Iterator[Article]:
    """The shard's articles from every part, in corpus order, each id once (the first wins)."""
    seen: set[str] = set()
    for part in range(parts):
        path = spill_path(spill, part, shard)
        if not path.exists():
            continue
        with open(path, "rb") as f:
            while True:
                try:
                    article: Article = pickle.load(f)
                except EOFError:
                    break
                if article.id not in seen:
                    seen.add(article.id)
                    yield article


def write(shard: int, parts: int, spill: str, target: str, repeated: frozenset[str]) -> Written:
    """Phase 2: write the shard's index into the new folder `target`, minus the boilerplate `repeated`.

    The tails are saved beside it (`tails_file`), so a later update that does not touch
    this shard need not read its files again to find the corpus's boilerplate.
    """
    started = time.monotonic()
    fault = os.environ.get(FAULT_ENV) == str(shard)
    tails: list[tuple[str, list[str]]] = []
    with transaction(Path(target), rebuild=True, wait=WAIT) as tx:
        writer = ArticleWriter(tx.add)
        for article in _spilled(spill, parts, shard):
            writer.write(article)
            tails.append((article.headline, boilerplate.tail(article.paragraphs)))
            if fault and len(tails) > 1:
                os.kill(os.getpid(), signal.SIGKILL)  # the test's killed worker: nothing committed, the process gone
        writer.write_held(repeated)
        paragraphs = writer.paragraphs
    tails_file(target).write_text(json.dumps(tails), encoding="utf-8")
    return Written(shard, len(tails), paragraphs, time.monotonic() - started)


def tails_file(target: str | Path) -> Path:
    """Where a shard generation's article tails are kept: beside its folder."""
    target = Path(target)
    return target.with_name(target.name + ".tails.json")


def read_tails(target: str | Path) -> list[tuple[str, list[str]]]:
    """The tails a shard generation saved."""
    return [(h, list(t)) for h, t in json.loads(tails_file(target).read_text(encoding="utf-8"))]
