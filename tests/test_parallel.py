"""Indexing with worker processes builds exactly what one process builds, or nothing.

The worker path normally starts only for a few MB of input; these tests lower
that threshold and the chunk size so a small corpus is dealt to two workers in
many chunks. Failures are injected by patching the per-article code, which the
workers inherit by fork (Linux only, as is the fork start method).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from searchkit.codec import bulkwrite, probe
from searchkit.errors import IndexingError, SearchkitError
from searchkit.indexing import documents, indexer, parallel
from tests.helpers import compare_indexes as _compare
from tests.helpers import generated_corpus as _corpus
from tests.helpers import search_results as _results
from tests.helpers import snapshot as _snapshot
from tests.helpers import write

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="patches reach workers by fork")
#: Workers write with the bulk writer; with a Whoosh whose layout the codec does not know,
#: one process does it all (test_fastwrite.test_an_unknown_layout_falls_back_to_add_document).
needs_workers = pytest.mark.skipif(
    not probe.layout_known(), reason="workers need the bulk writer, which needs the whoosh3 layout it knows"
)


@pytest.fixture()
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_PARAGRAPHS", 5)


def _segments(index_dir: Path) -> set[str]:
    return {p.name for p in index_dir.iterdir() if p.suffix == ".seg"}


@needs_workers
def test_two_workers_build_what_one_process_builds(
    tmp_path: Path, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "corpus", articles=60)
    serial, two = tmp_path / "serial", tmp_path / "two"
    r1 = indexer.update(serial, [corpus], jobs=1)
    calls: list[int] = []
    real = parallel.ParallelWriter.__init__

    def spy(self: Any, writer: Any, jobs: int, max_postings: int | None = None) -> None:
        calls.append(jobs)
        real(self, writer, jobs, max_postings)

    monkeypatch.setattr(parallel.ParallelWriter, "__init__", spy)
    r2 = indexer.update(two, [corpus], jobs=2)
    assert calls == [2]
    assert (r2.added, r2.paragraphs) == (r1.added, r1.paragraphs)
    # One segment per worker, the manifest in the first; one process makes one segment.
    assert (len(_segments(two)), len(_segments(serial))) == (2, 1)
    _compare(serial, two)
    assert _results(serial) == _results(two)
    # The repeated closing line of the .txt stories was held back in the workers and dropped.
    assert not any("Share this story" in f.get("body", "") for f in _snapshot(two)["stored"].values())


def test_an_article_reaches_a_worker_whole() -> None:
    import dataclasses
    import pickle
    from datetime import datetime, timezone

    from searchkit.ingest.values import Article

    article = Article(
        "a", "Head", ("One.", "Two."), "f.jsonl", "src", datetime(2020, 1, 2, tzinfo=timezone.utc), "u", 7, 3, True
    )
    sent = pickle.loads(pickle.dumps(parallel._packed(article)))
    assert type(sent) is tuple  # not the dataclass: three times cheaper to send
    # Every field, those equality leaves out (line, first, more) too.
    assert dataclasses.astuple(Article(*sent)) == dataclasses.astuple(article)


def test_incremental_updates_through_workers(tmp_path: Path, small_chunks: None) -> None:
    corpus = _corpus(tmp_path / "corpus")
    serial, two = tmp_path / "serial", tmp_path / "two"
    for ix, jobs in ((serial, 1), (two, 2)):
        indexer.update(ix, [corpus], jobs=jobs)
    write(corpus, "txt/0.txt", "Story zero rewritten\n\nThe derby was postponed after heavy rain.\n")
    (corpus / "txt" / "1.txt").unlink()
    feed = (corpus / "feed.jsonl").read_text(encoding="utf-8").splitlines()
    feed[5] = json.dumps({"id": "a005", "headline": "Replaced", "paragraphs": ["Mobile phone prices fell."]})
    (corpus / "feed.jsonl").write_text("\n".join(feed) + "\n", encoding="utf-8")
    reports = [indexer.update(ix, [corpus], jobs=jobs) for ix, jobs in ((serial, 1), (two, 2))]
    assert reports[0].paragraphs == reports[1].paragraphs
    assert (reports[0].updated, reports[0].removed) == (reports[1].updated, reports[1].removed)
    a, b = _snapshot(serial), _snapshot(two)
    assert a["stored"] == b["stored"]
    assert _results(serial, scores=False) == _results(two, scores=False)


def test_small_input_stays_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "corpus")

    def refuse(*_: Any, **__: Any) -> None:
        raise AssertionError("workers started for a small input")

    monkeypatch.setattr(parallel.ParallelWriter, "__init__", refuse)
    assert indexer.update(tmp_path / "ix", [corpus], jobs=4).paragraphs > 0


def _fail_on(article_id: str, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = documents.paragraph_docs

    def failing(article: Any) -> Any:
        if article.id == article_id:
            if how == "die":
                os._exit(9)  # as the kernel's OOM killer would end it: no cleanup, no report
            raise RuntimeError("disk on fire")
        return real(article)

    monkeypatch.setattr(documents, "paragraph_docs", failing)


@needs_workers
@pytest.mark.parametrize("how", ["raise", "die"])
def test_a_failing_worker_commits_nothing(
    tmp_path: Path, small_chunks: None, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    corpus = _corpus(tmp_path / "corpus", articles=60)
    ix_dir = tmp_path / "ix"
    indexer.update(ix_dir, [corpus / "txt"], jobs=1)
    before = _snapshot(ix_dir)
    segments_before = _segments(ix_dir)
    monkeypatch.setattr(bulkwrite, "MAX_POSTINGS", 200)  # workers write segments before the failure
    _fail_on("a040", how, monkeypatch)
    with pytest.raises(IndexingError) as info:
        indexer.update(ix_dir, [corpus], jobs=2)
    assert isinstance(info.value, SearchkitError)
    assert ("disk on fire" if how == "raise" else "died") in str(info.value)
    assert "nothing was committed" in str(info.value)
    assert _snapshot(ix_dir) == before
    monkeypatch.undo()
    # The next update succeeds and leaves no segment of the failed one behind.
    indexer.update(ix_dir, [corpus], jobs=1)
    assert len(_segments(ix_dir) - segments_before) <= 2
    assert "a040#1" in _snapshot(ix_dir)["stored"]


@needs_workers
def test_a_failure_in_the_parent_stops_the_workers(
    tmp_path: Path, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "corpus", articles=60)
    ix_dir = tmp_path / "ix"
    indexer.update(ix_dir, [corpus / "txt"], jobs=1)
    before, segments_before = _snapshot(ix_dir), _segments(ix_dir)
    real_parse = indexer.parse_file

    def parse(rel: str, data: bytes) -> Any:
        if rel.endswith("3.txt"):
            raise KeyboardInterrupt
        return real_parse(rel, data)

    monkeypatch.setattr(indexer, "parse_file", parse)
    write(corpus, "txt/3.txt", "Story three changed\n\nNew words.\n")
    started: list[Any] = []
    real_init = parallel.ParallelWriter.__init__

    def spy(self: Any, *a: Any, **kw: Any) -> None:
        real_init(self, *a, **kw)
        started.append(self)

    monkeypatch.setattr(parallel.ParallelWriter, "__init__", spy)
    with pytest.raises(KeyboardInterrupt):
        indexer.update(ix_dir, [corpus], jobs=2)
    assert started and not any(p.is_alive() for p in started[0].procs)
    assert _snapshot(ix_dir) == before
    assert _segments(ix_dir) == segments_before


def test_a_threaded_caller_gets_spawned_workers(tmp_path: Path, small_chunks: None) -> None:
    # Forking a process that runs threads can deadlock the child; spawn builds the same index.
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel._context().get_start_method() == "spawn"
        corpus = _corpus(tmp_path / "corpus", articles=30)
        serial, two = tmp_path / "serial", tmp_path / "two"
        indexer.update(serial, [corpus], jobs=1)
        indexer.update(two, [corpus], jobs=2)
    finally:
        stop.set()
        other.join()
    assert parallel._context().get_start_method() == "fork"
    _compare(serial, two)
