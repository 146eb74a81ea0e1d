"""The local backend: Polars' batched reader in this process, batches scored one after another."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ctpat.targeting.declarations import DeclarationSource, InvalidRows, declarations_raw_batches
from ctpat.targeting.model import TargetingModel
from ctpat.targeting.scoring.engine import DEFAULT_BATCH_ROWS, ScoringReport, batch_score, scores_written


@dataclass(slots=True)
class LocalEngine:
    """Scores in this process; memory stays about one batch whatever the file's size."""

    name: str = "local"

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
        with scores_written(output, on_invalid=on_invalid, progress=progress) as writer:
            for raw in declarations_raw_batches(source, batch_rows=batch_rows, columns=model.input_columns):
                scored, problems = batch_score(model, raw)
                writer.add(scored, problems)
        return writer.report
