"""Scoring engines: one interface, a backend per execution engine.

Both backends read the declaration file in batches, validate each batch, build features by joining
the model's profile tables and write ``declaration_id,score`` rows in input order, so the output is
identical whichever engine runs it. ``local`` runs in this process with Polars; ``dask`` ships
partitions of the file to a dask.distributed cluster.
"""

from __future__ import annotations

from ctpat.targeting.scoring.engine import (
    ENGINES,
    ScoringEngine,
    ScoringReport,
    batch_score,
    scoring_engine,
)

__all__ = ["ENGINES", "ScoringEngine", "ScoringReport", "batch_score", "scoring_engine"]
