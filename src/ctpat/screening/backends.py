"""Execution engines for screening many names: in this process (local) or on a Dask cluster.

Both take the same queries and return the same hits in the same order: the dask backend only
splits the queries into partitions and screens each on a worker against the same index.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Protocol

from .index import Hit as Hit
from .index import ScreeningIndex, ScreeningQuery

ProgressCallback = Callable[[int], None]


def screen_partition(
    index: ScreeningIndex, queries: Sequence[ScreeningQuery], *, limit: int, threshold: float
) -> list[list[Hit]]:
    """Screen one partition of queries (the unit of work of every backend)."""
    return [index.screen(query, limit=limit, threshold=threshold) for query in queries]


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
    """Screens in this process, one query after another."""

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

    With no scheduler address a light in-process cluster is started (threads, two of them) and
    closed afterwards; with an address (``tcp://host:8786``) the index is broadcast to the
    cluster's workers once and the partitions run there.
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

    def screen(
        self,
        index: ScreeningIndex,
        queries: Sequence[ScreeningQuery],
        *,
        limit: int,
        threshold: float,
        progress: ProgressCallback | None = None,
    ) -> list[list[Hit]]:
        from dask.distributed import Client, LocalCluster, as_completed

        if not queries:
            return []
        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1 if self.processes else 2,
                processes=self.processes,
                dashboard_address=None,
                silence_logs=40,
            )
            client = Client(cluster)
        try:
            workers = max(1, len(client.scheduler_info().get("workers", {})))
            size = max(1, math.ceil(len(queries) / (workers * self.partitions_per_worker)))
            partitions = [queries[start : start + size] for start in range(0, len(queries), size)]
            shared_index = client.scatter(index, broadcast=True)
            futures = [
                client.submit(
                    screen_partition, shared_index, list(part), limit=limit, threshold=threshold, pure=False
                )
                for part in partitions
            ]
            position = {future.key: number for number, future in enumerate(futures)}
            results: list[list[list[Hit]]] = [[] for _ in partitions]
            for future in as_completed(futures):
                number = position[future.key]
                results[number] = future.result()
                if progress:
                    progress(len(partitions[number]))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
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
