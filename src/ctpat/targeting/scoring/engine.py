"""The scoring engine interface and what both backends share: scoring a batch, writing the output."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

import polars as pl
from tqdm import tqdm

from ctpat.targeting.declarations import (
    DeclarationProblem,
    DeclarationSource,
    DeclarationsRejected,
    InvalidRows,
    declarations_validate,
)
from ctpat.targeting.model import TargetingModel

ENGINES: tuple[str, ...] = ("local", "dask")
DEFAULT_BATCH_ROWS = 100_000  # measured: larger batches cost more memory and system time, not less CPU
OUTPUT_HEADER = "declaration_id,score\n"


@dataclass(slots=True)
class ScoringReport:
    """What a scoring run did: rows scored and the rows set aside (line and reason)."""

    scored: int = 0
    problems: list[DeclarationProblem] = field(default_factory=list)


class ScoringEngine(Protocol):
    """Scores a declaration file into a ``declaration_id,score`` CSV, in input order."""

    name: str

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
        """Score every declaration of ``source`` into ``output``.

        With ``InvalidRows.REJECT`` nothing is written when any row is unfit
        (:class:`DeclarationsRejected` lists them all); with ``SKIP`` unfit rows are left out.
        """
        ...


def batch_score(
    model: TargetingModel, raw: pl.DataFrame, *, threads: int = 2
) -> tuple[pl.DataFrame, list[DeclarationProblem]]:
    """Validate and score one raw (text, canonical) batch: ``declaration_id,score`` and the problems."""
    rows, problems = declarations_validate(raw)
    scores = model.score(rows, threads=threads)
    return rows.select("declaration_id").with_columns(pl.Series("score", scores, dtype=pl.Float64)), problems


class ScoresWriter:
    """Appends scored batches to a temporary file beside ``output`` and moves it into place only
    when the run succeeds, so an all-or-nothing run never leaves a partial output behind."""

    def __init__(self, output: Path, *, on_invalid: InvalidRows, progress: bool) -> None:
        self.output = output
        self.on_invalid = on_invalid
        self.report = ScoringReport()
        self._bar = tqdm(
            unit=" decl", unit_scale=True, file=sys.stderr, disable=not progress, mininterval=1.0
        )
        self._stream: IO[str] | None = None
        self._temporary: Path | None = None

    @property
    def rejecting(self) -> bool:
        """True once a row was unfit in an all-or-nothing run: later batches are only validated."""
        return self.on_invalid is InvalidRows.REJECT and bool(self.report.problems)

    def add(self, scored: pl.DataFrame, problems: list[DeclarationProblem]) -> None:
        self.report.problems.extend(problems)
        self._bar.update(scored.height + len(problems))
        if self.rejecting or self._stream is None:
            return
        scored.write_csv(self._stream, include_header=False, float_precision=None)
        self.report.scored += scored.height

    def __enter__(self) -> ScoresWriter:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{self.output.name}.", dir=self.output.parent)
        self._temporary = Path(name)
        self._stream = os.fdopen(handle, "w", newline="")
        self._stream.write(OUTPUT_HEADER)
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._bar.close()
        assert self._stream is not None and self._temporary is not None
        self._stream.close()
        if error is None and not self.rejecting:
            self._temporary.replace(self.output)
            return
        self._temporary.unlink(missing_ok=True)
        if error is None:
            raise DeclarationsRejected(self.report.problems)


@contextmanager
def scores_written(output: Path, *, on_invalid: InvalidRows, progress: bool) -> Iterator[ScoresWriter]:
    """Context manager around :class:`ScoresWriter` (see there)."""
    with ScoresWriter(output, on_invalid=on_invalid, progress=progress) as writer:
        yield writer


def scoring_engine(name: str, *, scheduler: str | None = None) -> ScoringEngine:
    """The backend called ``name`` ("local" or "dask"); ``scheduler`` is a Dask scheduler address."""
    if name == "local":
        from ctpat.targeting.scoring.local import LocalEngine

        return LocalEngine()
    if name == "dask":
        from ctpat.targeting.scoring.on_dask import DaskEngine

        return DaskEngine(scheduler=scheduler)
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
