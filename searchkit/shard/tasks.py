"""What one shard does on a worker: read its articles, and write its index.

A shard's build is two Dask tasks, both pure functions of their arguments (paths on a
file system every worker sees, and small values):

1. `scan` reads the shard's source files and returns each article's closing lines
   (its tail), which the parent pools across shards to find the corpus's boilerplate,
   exactly as a one-machine build does over its whole corpus;
2. `write` reads the files again and writes the shard's new generation folder with the
   one-machine writer (`ArticleWriter` in one `transaction`), dropping that boilerplate.

An article belongs to the shard its id hashes to (`assign`); files are read in corpus
order and an id seen before is skipped, so duplicates resolve as in one index.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from searchkit.defaults import WAIT
from searchkit.indexing.documents import ArticleWriter
from searchkit.indexing.transaction import transaction
from searchkit.ingest import boilerplate
from searchkit.ingest.articles import Article, CorpusWarning, SourceFile, StreamedJsonl, parse_file, streamable
from searchkit.shard.assign import shard_of

#: Test hook: a worker whose `write` task is for this shard number dies part-way (os._exit),
#: as a killed machine would. Read from the worker's environment.
FAULT_ENV = "SEARCHKIT_TEST_KILL_SHARD"


@dataclass(frozen=True)
class ShardJob:
    """One shard's share of a build: which files may hold its articles, in corpus order."""

    shard: int
    shards: int
    sources: tuple[SourceFile, ...]


@dataclass
class Scanned:
    """What a shard's files hold: each article's (headline, tail), and the files that could not be read."""

    shard: int
    tails: list[tuple[str, list[str]]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    warnings: list[CorpusWarning] = field(default_factory=list)


@dataclass(frozen=True)
class Written:
    """What a shard's write did."""

    shard: int
    articles: int
    paragraphs: int
    seconds: float


def _read(src: SourceFile, out: Scanned) -> list[Article] | StreamedJsonl | None:
    """The file's articles (streamed for a big JSON Lines file), or None if it cannot be read."""
    if streamable(src):
        return StreamedJsonl(src.rel, src.path)
    try:
        data = src.path.read_bytes()
    except OSError:
        out.unreadable.append(src.rel)
        return None
    articles, warnings = parse_file(src.rel, data)
    out.warnings.extend(warnings)
    return articles


def articles(job: ShardJob, out: Scanned) -> Iterator[Article]:
    """The shard's articles in corpus order, each id once (the first file holding it wins)."""
    seen_ids: set[str] = set()
    seen_files: set[str] = set()
    for src in job.sources:
        if src.rel in seen_files:  # two roots hold this path: one index reads the first
            continue
        seen_files.add(src.rel)
        found = _read(src, out)
        for article in found or ():
            if shard_of(article.id, job.shards) != job.shard or article.id in seen_ids:
                continue
            seen_ids.add(article.id)
            yield article
        if isinstance(found, StreamedJsonl):
            out.warnings.extend(found.warnings)


def scan(job: ShardJob) -> Scanned:
    """Phase 1: the tails of the shard's articles."""
    out = Scanned(job.shard)
    for article in articles(job, out):
        out.tails.append((article.headline, boilerplate.tail(article.paragraphs)))
    return out


def write(job: ShardJob, target: str, repeated: frozenset[str]) -> Written:
    """Phase 2: write the shard's index into the new folder `target`, minus the boilerplate `repeated`.

    The tails are saved beside it (`tails_file`), so a later update that does not touch
    this shard need not read its files again to find the corpus's boilerplate.
    """
    started = time.monotonic()
    out = Scanned(job.shard)
    fault = os.environ.get(FAULT_ENV) == str(job.shard)
    count = 0
    with transaction(Path(target), rebuild=True, wait=WAIT) as tx:
        writer = ArticleWriter(tx.add)
        for article in articles(job, out):
            writer.write(article)
            out.tails.append((article.headline, boilerplate.tail(article.paragraphs)))
            count += 1
            if fault and count > 1:
                os._exit(3)  # the test's killed worker: nothing committed, the process gone
        writer.write_held(repeated)
        paragraphs = writer.paragraphs
    tails_file(target).write_text(json.dumps(out.tails), encoding="utf-8")
    return Written(job.shard, count, paragraphs, time.monotonic() - started)


def tails_file(target: str | Path) -> Path:
    """Where a shard generation's article tails are kept: beside its folder."""
    target = Path(target)
    return target.with_name(target.name + ".tails.json")


def read_tails(target: str | Path) -> list[tuple[str, list[str]]]:
    """The tails a shard generation saved."""
    return [(h, list(t)) for h, t in json.loads(tails_file(target).read_text(encoding="utf-8"))]
