"""Sharded indexes on a Dask cluster: `distributed.LocalCluster` with 2 worker processes.

The shards are built by tasks on the workers and searched there (each worker keeps its
shards open); the answers must be the ones one index holding the same articles gives.
A worker killed in the middle of a build must leave every shard at its old state.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from searchkit import Index
from searchkit.errors import ShardError
from searchkit.shard import manifest as manifest_mod
from searchkit.shard.tasks import FAULT_ENV
from tests.helpers import SHARED_DATA
from tests.shard_helpers import assert_same, generated_corpus, queries

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")


def _cluster(**env: str) -> distributed.LocalCluster:
    return distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", env=env or None
    )


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    with _cluster() as cluster, distributed.Client(cluster) as c:
        yield c


def test_generated_corpus_on_the_cluster(client: distributed.Client, tmp_path: Path) -> None:
    corpus = generated_corpus(tmp_path / "corpus")
    single = Index.build([corpus], tmp_path / "single", jobs=1)
    sharded = Index.build([corpus], tmp_path / "sharded", shards=4, client=client)
    assert isinstance(sharded.report, object) and sharded.report is not None
    reopened = Index.open(tmp_path / "sharded", client=client)
    for query in queries(200):
        assert_same(single, reopened, query, limit=20)
    for query in queries(10, seed=5):
        assert_same(single, reopened, query, per_article=False, page=2, sort="date")


def test_update_through_the_cluster(client: distributed.Client, tmp_path: Path) -> None:
    corpus = generated_corpus(tmp_path / "corpus", articles=80)
    sharded = Index.build([corpus], tmp_path / "sharded", shards=3, client=client)
    story = sorted(corpus.rglob("*.txt"))[3]
    story.write_text("Ferry strike ends\n\nThe ferry strike at the harbour ended on Monday.\n", encoding="utf-8")
    sorted(corpus.rglob("*.txt"))[5].unlink()
    (corpus / "extra.txt").write_text("Tunnel opens\n\nThe new railway tunnel opened to passengers.\n", "utf-8")
    report = sharded.update()
    assert report.changed
    single = Index.build([corpus], tmp_path / "single", jobs=1)
    for query in ("ferry strike harbour", "railway tunnel passengers", *queries(30, seed=9)):
        assert_same(single, sharded, query)
    assert sharded.stats().articles == single.stats().articles


def test_killed_worker_leaves_the_old_state(tmp_path: Path) -> None:
    corpus = generated_corpus(tmp_path / "corpus", articles=60)
    folder = tmp_path / "sharded"
    Index.build([corpus], folder, shards=2).close()  # the old state, built locally
    before = manifest_mod.load(folder)
    old = Index.open(folder).search("market growth", limit=50)
    for story in sorted(corpus.rglob("*.txt")):  # every shard has work to do
        story.write_text(story.read_text("utf-8") + "\nMarket growth slowed again.\n", "utf-8")
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with _cluster(**{FAULT_ENV: "1"}) as cluster, distributed.Client(cluster) as c:
            with pytest.raises(ShardError, match="shard 1"):
                Index.build(None, folder, client=c)
    assert manifest_mod.load(folder) == before
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == sorted(before.dirs)
    again = Index.open(folder).search("market growth", limit=50)
    assert [(h.article_id, h.paragraph, h.score) for h in again.hits] == [
        (h.article_id, h.paragraph, h.score) for h in old.hits
    ]


@pytest.mark.bbc
@pytest.mark.slow
def test_bbc_on_the_cluster(client: distributed.Client, tmp_path: Path) -> None:
    bbc = SHARED_DATA / "bbc-fulltext"
    if not bbc.is_dir():
        pytest.skip("the BBC set is not in ../shared/data")
    single = Index.build([bbc], tmp_path / "single")
    sharded = Index.build([bbc], tmp_path / "sharded", shards=4, client=client)
    for query in queries(200, seed=1) + ["prime minister election", "mobile phone market", "film festival award"]:
        assert_same(single, sharded, query, limit=20)
    shutil.rmtree(tmp_path / "single")
