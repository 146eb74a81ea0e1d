"""Execution engines for screening many names: in this process (local) or on a Dask cluster.

Both take the same queries and return the same hits in the same order: the dask backend only
splits the queries into partitions and screens each on a worker against the same index.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
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


class LocalBackend:
    """Screens in this process, 256 queries at a time (scored together, see `ScreeningIndex.screen_many`)."""

    def screen(
        self,
        index: ScreeningIndex,
        queries: Sequence[ScreeningQuery],
        *,
        limit: int,
        threshold: float,
        progress: ProgressCallback | None = None,
    ) -> list[list[Hit]]:
        results = []
        for start in range(0, len(queries), 256):
            results += screen_partition(index, queries[start : start + 256], limit=limit, threshold=threshold)
            if progress:
                progress(len(queries[start : start + 256]))
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
        """Send the index to every worker, once (later calls with the same index reuse it)."""
        self.start()
        if self._shared is None or self._shared[0] != id(index):
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
            self.load(index)
            assert self._shared is not None
            client = self._client
            workers = max(1, len(client.scheduler_info().get("workers", {})))
            size = max(1, math.ceil(len(queries) / (workers * self.partitions_per_worker)))
            partitions = [queries[start : start + size] for start in range(0, len(queries), size)]
            futures = [
                client.submit(
                    screen_partition_compact,
                    self._shared[1],
                    list(part),
                    limit=limit,
                    threshold=threshold,
                    pure=False,
                )
                for part in partitions
            ]
            position = {future.key: number for number, future in enumerate(futures)}
            results: list[list[list[Hit]]] = [[] for _ in partitions]
            for future in as_completed(futures):
                number = position[future.key]
                results[number] = [[index.expand_hit(hit) for hit in found] for found in future.result()]
                if progress:
                    progress(len(partitions[number]))
        finally:
            if not self._kept:
                self.close()
        return [hits for part in results for hits in part]


def backend_for(engine: str, *, scheduler: str | None = None) -> ScreeningBackend:
    """The backend named ``local`` or ``dask``."""
    if engine == "local":
        return LocalBackend()
    if engine == "dask":
        return DaskBackend(scheduler=scheduler)
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
) -> list[list[Hit]]:
    """Screen many queries with the chosen engine; the hits of each query, in query order."""
    from .index import DEFAULT_ALERT_THRESHOLD

    chosen = DEFAULT_ALERT_THRESHOLD if threshold is None else threshold
    return backend_for(engine, scheduler=scheduler).screen(
        index, queries, limit=limit, threshold=chosen, progress=progress
    )
