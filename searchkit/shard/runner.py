"""Where shard tasks run: on a Dask cluster, or in local processes, and which shard failed.

`connect` turns a scheduler address into a `distributed.Client` (or says what to install);
`run` submits one task per shard and returns their results in shard order, or raises
`ShardError` naming every shard whose task failed (a worker that died, a task that
raised). Without a client the tasks run in a local process pool, one process per shard
up to the CPUs there are.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, TypeVar

from searchkit.errors import DaskNotInstalledError, ShardError
from searchkit.indexing import parallel

if TYPE_CHECKING:
    from distributed import Client

_R = TypeVar("_R")

#: What the `dask` extra installs; said when it is missing.
INSTALL = "pip install 'searchkit[dask]' (dask and distributed)"


def require_dask() -> None:
    """Raise DaskNotInstalledError unless `distributed` can be imported."""
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise DaskNotInstalledError(f"a Dask cluster needs dask and distributed; install them: {INSTALL}") from exc


def connect(address: str) -> Client:
    """A Dask client for the scheduler at `address` (DaskNotInstalledError without the `dask` extra)."""
    require_dask()
    from distributed import Client

    try:
        return Client(address, timeout="10s")  # type: ignore[no-untyped-call]  # distributed is untyped here
    except OSError as exc:
        raise ShardError(
            f"cannot reach the Dask scheduler at {address} ({exc}); start it, or check the address"
        ) from exc


def run(
    fn: Callable[..., _R], jobs: Sequence[tuple[str, tuple[object, ...]]], client: Client | None, what: str
) -> list[_R]:
    """`fn(*args)` for each (label, args), one task each; results in the order given.

    On failure every task is still waited for (none is left writing), then ShardError
    names each task that failed (its label: "shard 3") and why.
    """
    if client is not None:
        return _on_dask(fn, jobs, client, what)
    return _in_processes(fn, jobs, what)


def _on_dask(
    fn: Callable[..., _R], jobs: Sequence[tuple[str, tuple[object, ...]]], client: Client, what: str
) -> list[_R]:
    from distributed import wait

    tag = uuid.uuid4().hex[:8]
    futures = [
        client.submit(fn, *args, key=f"searchkit-{what}-{label.replace(' ', '')}-{tag}", pure=False)
        for label, args in jobs
    ]
    wait(futures)  # type: ignore[no-untyped-call]  # distributed is untyped here
    failed: list[tuple[str, BaseException]] = []
    results: list[_R] = []
    for (label, _), fut in zip(jobs, futures):
        if fut.status == "finished":
            results.append(fut.result())
        else:
            exc = fut.exception()  # type: ignore[no-untyped-call]  # distributed is untyped here
            failed.append((label, exc if isinstance(exc, BaseException) else RuntimeError(str(exc))))
    if failed:
        raise _failure(failed, what)
    return results


def _in_processes(fn: Callable[..., _R], jobs: Sequence[tuple[str, tuple[object, ...]]], what: str) -> list[_R]:
    workers = max(1, min(len(jobs), parallel.default_jobs()))
    failed: list[tuple[str, BaseException]] = []
    results: list[_R] = []
    ctx = parallel._context()  # fork when that is safe, as the one-machine build's workers
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [(label, pool.submit(fn, *args)) for label, args in jobs]
        for label, fut in futures:
            try:
                results.append(fut.result())
            except BrokenProcessPool as exc:
                failed.append((label, exc))
            except Exception as exc:  # noqa: BLE001 - reported with its shard below
                failed.append((label, exc))
    if failed:
        raise _failure(failed, what)
    return results


def _failure(failed: list[tuple[str, BaseException]], what: str) -> ShardError:
    first = failed[0][1]
    said = "; ".join(f"{label}: {type(exc).__name__}: {exc}" for label, exc in failed)
    err = ShardError(f"the {what} failed ({said}); nothing was committed, run it again")
    err.__cause__ = first
    return err


def local_cpus() -> int:
    """CPUs this process may use (for reports)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
