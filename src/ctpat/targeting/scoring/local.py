"""The local backend: the file read in blocks, each block parsed and scored by one of a few threads.

This thread cuts the file into blocks of about ``batch_rows`` records (a CSV block ends at a record
boundary; a Parquet block is a slice of rows) and hands them to ``workers`` threads that parse,
validate, build the features of and score them. Polars, NumPy and the compiled trees release the
GIL, so the workers run in parallel, one per core. Results are written in input order; at most
``workers + 1`` blocks are read ahead, so memory stays a few blocks whatever the file's size.

A worker numbers its block's rows from line 2 as if the block were a file of its own; the writer
adds the rows of the blocks before it, so reported lines are those of :func:`declarations_read`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ctpat.targeting.declarations import (
    LINE,
    DeclarationFileError,
    DeclarationProblem,
    DeclarationSource,
    InvalidRows,
    csv_block_bytes,
    csv_record_blocks,
    declarations_raw_block,
    declarations_raw_parquet_slice,
    parquet_rows,
)
from ctpat.targeting.model import TargetingModel
from ctpat.targeting.scoring.engine import DEFAULT_BATCH_ROWS, ScoringReport, batch_score, scores_written

_FIRST_LINE = 2  # the header is line 1

Scored = tuple[pl.DataFrame, list[DeclarationProblem], int]
"""A block's ``declaration_id,score`` rows, its unfit rows (lines counted from the block's start)
and how many rows it held."""


@dataclass(slots=True)
class LocalEngine:
    """Scores in this process; memory stays a few blocks whatever the file's size."""

    name: str = "local"
    workers: int = 2
    """Blocks scored at the same time (each with one thread for the trees): one per core."""

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
        rows_before = 0
        with (
            scores_written(output, on_invalid=on_invalid, progress=progress) as writer,
            ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ctpat-score") as pool,
        ):
            pending: deque[Future[Scored]] = deque()

            def write_oldest() -> None:
                nonlocal rows_before
                try:
                    scored, problems, rows = pending.popleft().result()
                except pl.exceptions.PolarsError as error:
                    raise DeclarationFileError(f"cannot parse {source.path}: {error}") from error
                shift = rows_before
                writer.add(scored, [DeclarationProblem(p.line + shift, p.reason) for p in problems])
                rows_before += rows

            try:
                for task in _tasks(model, source, batch_rows):
                    pending.append(pool.submit(task))
                    while len(pending) > self.workers:
                        write_oldest()
                while pending:
                    write_oldest()
            finally:  # after an error, do not start what is still queued
                for queued in pending:
                    queued.cancel()
        return writer.report


def _tasks(
    model: TargetingModel, source: DeclarationSource, batch_rows: int
) -> Iterator[Callable[[], Scored]]:
    columns = model.input_columns
    if source.is_parquet:
        total = parquet_rows(source)
        for offset in range(0, total, batch_rows):

            def score_slice(offset: int = offset) -> Scored:
                raw = declarations_raw_parquet_slice(source, offset=offset, rows=batch_rows, columns=columns)
                raw = raw.with_columns(pl.col(LINE) - offset)  # numbered from the block's start
                return _scored(model, raw)

            yield score_slice
        return
    block_bytes = csv_block_bytes(source.path, batch_rows=batch_rows)
    for block in csv_record_blocks(source.path, block_bytes=block_bytes):

        def score_block(block: bytes = block) -> Scored:
            raw = declarations_raw_block(
                block, header=source.header, layout=source.layout, first_line=_FIRST_LINE, columns=columns
            )
            return _scored(model, raw)

        yield score_block


def _scored(model: TargetingModel, raw: pl.DataFrame) -> Scored:
    scored, problems = batch_score(model, raw, threads=1)
    return scored, problems, raw.height
