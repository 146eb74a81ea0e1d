"""The Dask backend: partitions of the file scored on a dask.distributed cluster.

The client reads the file in blocks that end on a line break and sends each block, with the
header and its first line number, to a worker; the worker parses, validates and scores it with the
same :func:`batch_score` the local engine uses, so the output is identical. Blocks travel as
bytes, so the workers need not see the client's disk (CSV files must hold one record per line).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from ctpat.targeting.declarations import (
    DeclarationFileError,
    DeclarationProblem,
    DeclarationSource,
    InvalidRows,
    csv_block_bytes,
    csv_record_blocks,
    declarations_raw_batches,
    declarations_raw_block,
)
from ctpat.targeting.model import TargetingModel
from ctpat.targeting.schema import Layout
from ctpat.targeting.scoring.engine import DEFAULT_BATCH_ROWS, ScoringReport, batch_score, scores_written


def score_block(
    model: TargetingModel,
    block: bytes,
    *,
    header: tuple[str, ...],
    layout: str,
    first_line: int,
    columns: tuple[str, ...],
) -> tuple[pl.DataFrame, list[DeclarationProblem]]:
    """Score one CSV block (rows without the header) on a worker."""
    raw = declarations_raw_block(
        block, header=header, layout=Layout(layout), first_line=first_line, columns=columns
    )
    return batch_score(model, raw, threads=1)


def score_frame(model: TargetingModel, raw: pl.DataFrame) -> tuple[pl.DataFrame, list[DeclarationProblem]]:
    """Score one raw canonical batch (from a Parquet file) on a worker."""
    return batch_score(model, raw, threads=1)


def csv_blocks(path: Path, *, block_bytes: int) -> Iterator[tuple[bytes, int]]:
    """Yield (block, first line number) for the rows of a CSV file, each block ending on a record."""
    line = 2
    for block in csv_record_blocks(path, block_bytes=block_bytes):
        yield block, line
        line += block.count(b"\n") + (not block.endswith(b"\n"))


def _result(task: Any, source: DeclarationSource) -> tuple[pl.DataFrame, list[DeclarationProblem]]:
    try:
        scored: tuple[pl.DataFrame, list[DeclarationProblem]] = task.result()
    except pl.exceptions.PolarsError as error:
        raise DeclarationFileError(f"cannot parse {source.path}: {error}") from error
    return scored


@dataclass(slots=True)
class DaskEngine:
    """Scores on a dask.distributed cluster: the one at ``scheduler``, or a small LocalCluster."""

    scheduler: str | None = None
    workers: int = 2
    threads_per_worker: int = 1
    in_flight: int = 4
    name: str = "dask"

    def score_file(
        self,
        model: TargetingModel,
        source: DeclarationSource,
        output: Path,
        *,
        on_invalid: InvalidRows = InvalidRows.REJECT,
        batch_rows: int = DEFAULT_BATCH_ROWS,
        progress: bool = True,
    ) -> ScoringReport:
        """See :class:`ctpat.targeting.scoring.ScoringEngine`."""
        from dask.distributed import Client, LocalCluster

        if self.scheduler:
            client = Client(self.scheduler)
            cluster = None
        else:
            cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=self.threads_per_worker,
                processes=True,
                dashboard_address=":0",
                silence_logs=40,
            )
            client = Client(cluster)
        try:
            model_on_cluster = client.scatter(model, broadcast=True)
            with scores_written(output, on_invalid=on_invalid, progress=progress) as writer:
                pending: deque[Any] = deque()
                for task in self._tasks(client, model_on_cluster, model, source, batch_rows):
                    pending.append(task)
                    # Results are written in submission order; a bounded queue keeps memory flat.
                    if len(pending) >= self.in_flight:
                        writer.add(*_result(pending.popleft(), source))
                while pending:
                    writer.add(*_result(pending.popleft(), source))
            return writer.report
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _tasks(
        self,
        client: Any,
        model_on_cluster: Any,
        model: TargetingModel,
        source: DeclarationSource,
        batch_rows: int,
    ) -> Iterator[Any]:
        columns = model.input_columns
        if source.is_parquet:
            for raw in declarations_raw_batches(source, batch_rows=batch_rows, columns=columns):
                yield client.submit(score_frame, model_on_cluster, raw, pure=False)
            return
        for block, first_line in csv_blocks(
            source.path, block_bytes=csv_block_bytes(source.path, batch_rows=batch_rows)
        ):
            yield client.submit(
                score_block,
                model_on_cluster,
                block,
                header=source.header,
                layout=str(source.layout),
                first_line=first_line,
                columns=columns,
                pure=False,
            )
