"""Execution engines for screening many names: on this machine (local) or on a Dask cluster.

Both take the same queries and return the same hits in the same order: the dask backend only
splits the queries into partitions and screens each on a worker against the same index.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError
from typing import Any, Protocol

from .index import CompactHit, ScreeningIndex, ScreeningQuery
from .index import Hit as Hit

ProgressCallback = Callable[[int], None]


def screen_partition(
    index: ScreeningIndex, queries: Sequence[ScreeningQuery], *, limit: int, threshold: float
) -> list[list[Hit]]:
    """Screen one partition of queries (the unit of work of every backend), scored in batches."""
    return index.screen_many(queries, limit=limit, threshold=threshold)


def screen_partition_compact(
    index: ScreeningIndex, queries: Sequence[ScreeningQuery], *, limit: int, threshold: float
) -> list[list[CompactHit]]:
    """:func:`screen_partition` for a worker: hits without their listed entity, which the caller's
    own copy of the index puts back (:meth:`ScreeningIndex.expand_hit`), so little travels back."""
    hits = screen_partition(index, queries, limit=limit, threshold=threshold)
    return [[index.compact_hit(hit) for hit in found] for found in hits]


class ScreeningBackend(Protocol):
    """Screens a batch of queries against an index; results in query order."""

    def screen(
        self,
        index: ScreeningIndex,
        queries: Sequence[ScreeningQuery],
        *,
        limit: int,
        threshold: float,
        progress: ProgressCallback | None = None,
    ) -> list[list[Hit]]: ...


def _expanded(index: ScreeningIndex, compact: list[list[CompactHit]]) -> list[list[Hit]]:
    """Hits sent back by another process, made whole from this process's copy of the index."""
    return [[index.expand_hit(hit) for hit in hits] for hits in compact]


CHUNK = 256  # queries scored together (see `ScreeningIndex.screen_many`)
RESENDS = 2  # times the index is sent again when the workers that held it are lost
MIN_QUERIES_PER_PROCESS = 1_000  # below this, starting processes costs more than it saves

# The index a forked worker process screens against: set before the processes start, so that each
# inherits it from the parent's memory instead of receiving a copy.
_FORKED_INDEX: ScreeningIndex | None = None


def _screen_forked_chunk(task: tuple[Sequence[ScreeningQuery], int, float]) -> list[list[CompactHit]]:
    queries, limit, threshold = task
    assert _FORKED_INDEX is not None
    return screen_partition_compact(_FORKED_INDEX, queries, limit=limit, threshold=threshold)


class LocalBackend:
    """Screens on this machine, 256 queries at a time.

    With ``workers`` above one (and a thousand queries or more per worker's share), the chunks are
    spread over that many forked processes, each of which reads the parent's index in place; the hits
    come back in query order, identical to one process's. Where ``fork`` is not available (Windows,
    macOS's default), the backend screens in this process.
    """

    def __init__(self, *, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def screen(
        self,
        index: ScreeningIndex,
        queries: Sequence[ScreeningQuery],
        *,
        limit: int,
        threshold: float,
        progress: ProgressCallback | None = None,
    ) -> list[list[Hit]]:
        chunks = [queries[start : start + CHUNK] for start in range(0, len(queries), CHUNK)]
        processes = min(self.workers, len(queries) // MIN_QUERIES_PER_PROCESS, len(chunks))
        if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
            return self._screen_forked(index, chunks, processes, limit, threshold, progress)
        results = []
        for chunk in chunks:
            results += screen_partition(index, chunk, limit=limit, threshold=threshold)
            if progress:
                progress(len(chunk))
        return results

    @staticmethod
    def _screen_forked(
        index: ScreeningIndex,
        chunks: list[Sequence[ScreeningQuery]],
        processes: int,
        limit: int,
        threshold: float,
        progress: ProgressCallback | None,
    ) -> list[list[Hit]]:
        global _FORKED_INDEX
        _FORKED_INDEX = index
        results: list[list[Hit]] = []
        try:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                tasks = [(list(chunk), limit, threshold) for chunk in chunks]
                for chunk, found in zip(chunks, pool.imap(_screen_forked_chunk, tasks), strict=True):
                    results += _expanded(index, found)
                    if progress:
                        progress(len(chunk))
        finally:
            _FORKED_INDEX = None
        return results


class DaskBackend:
    """Partitions the queries over a ``dask.distributed`` cluster.

    With no scheduler address a local cluster is started on first use (two threads in this process
    by default; ``processes=True`` starts one process per worker and core); with an address
    (``tcp://host:8786``) the backend connects to that cluster. The index is sent once to every
    worker and kept there for later calls with the same index, so a worker holds one copy and tasks
    carry only queries and hits. Use the backend as a context manager, or call :meth:`close`, to
    stop what it started; a backend used without either closes its cluster after each call.
    """

    def __init__(
        self,
        *,
        scheduler: str | None = None,
        partitions_per_worker: int = 4,
        processes: bool = False,
        workers: int = 1,
    ) -> None:
        self.scheduler = scheduler
        self.partitions_per_worker = partitions_per_worker
        # The default local cluster: threads in this process (light, nothing to copy); with
        # processes=True, one process per worker and core, each holding a copy of the index.
        self.processes = processes
        self.workers = workers
        self._client: Any = None
        self._cluster: Any = None
        self._shared: tuple[int, Any] | None = None  # (id of the index, its future on the workers)
        self._kept = False

    def __enter__(self) -> DaskBackend:
        self._kept = True
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        """Connect to the scheduler or start the local cluster (done by the first call otherwise)."""
        from dask.distributed import Client, LocalCluster

        if self._client is not None:
            return
        if self.scheduler:
            self._client = Client(self.scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1 if self.processes else 2,
                processes=self.processes,
                dashboard_address=None,
                silence_logs=40,
            )
            self._client = Client(self._cluster)

    def close(self) -> None:
        """Close the client and the local cluster, if any."""
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = self._shared = None
        self._kept = False

    def load(self, index: ScreeningIndex) -> None:
        """Send the index to every worker, once (later calls with the same index reuse it, unless the
        workers that held it are gone)."""
        self.start()
        if self._shared is None or self._shared[0] != id(index) or self._shared[1].status != "finished":
            self._shared = (id(index), self._client.scatter(index, broadcast=True))

    def screen(
        self,
        index: ScreeningIndex,
        queries: Sequence[ScreeningQuery],
        *,
        limit: int,
        threshold: float,
        progress: ProgressCallback | None = None,
    ) -> list[list[Hit]]:
        from dask.distributed import as_completed

        if not queries:
            return []
        try:
            self.start()
            client = self._client
            workers = max(1, len(client.scheduler_info().get("workers", {})))
            size = max(1, math.ceil(len(queries) / (workers * self.partitions_per_worker)))
            partitions = [queries[start : start + size] for start in range(0, len(queries), size)]
            results: list[list[list[Hit]]] = [[] for _ in partitions]
            pending = list(range(len(partitions)))
            for attempt in range(RESENDS + 1):
                # Partitions whose tasks were cancelled because every worker that held the index
                # left (a restart, a lost node): the index is sent again and they are screened again.
                self.load(index)
                assert self._shared is not None
                futures = [
                    client.submit(
                        screen_partition_compact,
                        self._shared[1],
                        list(partitions[number]),
                        limit=limit,
                        threshold=threshold,
                        pure=False,
                    )
                    for number in pending
                ]
                position = {future.key: number for future, number in zip(futures, pending, strict=True)}
                pending = []
                for future in as_completed(futures):
                    number = position[future.key]
                    try:
                        results[number] = _expanded(index, future.result())
                    except CancelledError:
                        if attempt == RESENDS:
                            raise
                        pending.append(number)
                        continue
                    if progress:
                        progress(len(partitions[number]))
                if not pending:
                    break
        finally:
            if not self._kept:
                self.close()
        return [hits for part in results for hits in part]


def backend_for(engine: str, *, scheduler: str | None = None, workers: int = 1) -> ScreeningBackend:
    """The backend named ``local`` or ``dask``. ``workers``: processes of the local engine, or of
    the local Dask cluster started when no scheduler is given (one: two threads in this process)."""
    if engine == "local":
        return LocalBackend(workers=workers)
    if engine == "dask":
        return DaskBackend(scheduler=scheduler, processes=workers > 1, workers=max(1, workers))
    raise ValueError(f"unknown engine {engine!r}; expected local or dask")


def screen_queries(
    index: ScreeningIndex,
    queries: Sequence[ScreeningQuery],
    *,
    engine: str = "local",
    scheduler: str | None = None,
    limit: int = 10,
    threshold: float | None = None,
    progress: ProgressCallback | None = None,
    workers: int = 1,
) -> list[list[Hit]]:
    """Screen many queries with the chosen engine; the hits of each query, in query order."""
    from .index import DEFAULT_ALERT_THRESHOLD

    chosen = DEFAULT_ALERT_THRESHOLD if threshold is None else threshold
    return backend_for(engine, scheduler=scheduler, workers=workers).screen(
        index, queries, limit=limit, threshold=chosen, progress=progress
    )
