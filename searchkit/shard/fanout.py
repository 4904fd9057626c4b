"""Sending a query to every shard: threads of this process, or tasks on a Dask cluster.

With a Dask client, shard `k`'s task is asked of the same worker every time (the
workers sorted by address, dealt round the shards; another may take it if that one is
gone), so the worker's open shard (`shardsearch._open`) serves the next query too.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from searchkit.shard.shardsearch import ShardQuery, Window, window

if TYPE_CHECKING:
    from distributed import Client


class Fanout:
    """Runs `shardsearch.window` for shards of one generation of a sharded index."""

    def __init__(self, folders: list[Path], generation: int, client: Client | None) -> None:
        self.folders = [str(f) for f in folders]
        self.generation = generation
        self.client = client
        self._pool = ThreadPoolExecutor(max_workers=len(folders)) if client is None else None
        #: Seconds spent waiting for shards, and the shards' own seconds (read by benchmarks/scale.py).
        self.waited = 0.0
        self.shard_seconds: list[float] = []

    def __call__(self, shards: list[int], sq: ShardQuery, fetch: int) -> list[Window]:
        started = time.perf_counter()
        got = self._ask(shards, replace(sq, fetch=fetch))
        self.waited += time.perf_counter() - started
        self.shard_seconds.extend(w.seconds for w in got)
        return got

    def _ask(self, shards: list[int], sq: ShardQuery) -> list[Window]:
        if self.client is not None:
            return self._on_dask(self.client, shards, sq)
        assert self._pool is not None
        futures = [self._pool.submit(window, s, self.folders[s], self.generation, sq) for s in shards]
        return [f.result() for f in futures]

    def _on_dask(self, client: Client, shards: list[int], sq: ShardQuery) -> list[Window]:
        workers = sorted(client.scheduler_info()["workers"])
        futures = []
        for s in shards:
            # Shard s on the same worker each time (its shard stays open there); any other if it is gone.
            where = {"workers": [workers[s % len(workers)]], "allow_other_workers": True} if workers else {}
            futures.append(client.submit(window, s, self.folders[s], self.generation, sq, pure=False, **where))
        got: list[Window] = client.gather(futures)  # type: ignore[no-untyped-call]  # distributed is untyped here
        return got

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
