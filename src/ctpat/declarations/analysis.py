"""The analyst's figures, computed from stored declarations with the targeting engine's metrics.

Pure functions on a Polars frame (no Django), one row per stored declaration with the columns
``batch, position, declaration_id, importer_id, declared_on, tier, mra, score, selected,
selection, fraud`` (``fraud`` is null until the examination's outcome is recorded). Outcomes are
known only for what was examined, so every precision and compliance figure says on how many
declarations with an outcome it rests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import polars as pl

from ctpat.targeting import (
    SelectionPolicy,
    compliance_estimate,
    declarations_select,
    examination_rates,
    selection_precision,
)

TIERS: tuple[str, ...] = ("1", "2", "3", "non-member")
TIER_LABELS: dict[str, str] = {"1": "Tier 1", "2": "Tier 2", "3": "Tier 3", "non-member": "Non-members"}

FRAME_SCHEMA: dict[str, Any] = {
    "batch": pl.Int64,
    "position": pl.Int64,
    "declaration_id": pl.String,
    "importer_id": pl.String,
    "declared_on": pl.Date,
    "tier": pl.String,
    "mra": pl.Boolean,
    "score": pl.Float64,
    "selected": pl.Boolean,
    "selection": pl.String,
    "fraud": pl.Boolean,
}


@dataclass(frozen=True)
class TierRate:
    """How often one tier's declarations were selected, and how that compares to non-members."""

    tier: str
    declarations: int
    examined: int
    rate: float
    relative_to_non_members: float

    @property
    def label(self) -> str:
        return TIER_LABELS[self.tier]


@dataclass(frozen=True)
class Share:
    """A share measured on ``sample`` declarations with a known outcome (nan when none)."""

    value: float
    sample: int
    low: float = math.nan
    high: float = math.nan


@dataclass(frozen=True)
class Figures:
    """Examination rates per tier, risk-selection precision and estimated compliance."""

    declarations: int
    examined: int
    rates: list[TierRate]
    precision: Share
    compliance: Share

    def rate_of(self, tier: str) -> TierRate:
        return next(rate for rate in self.rates if rate.tier == tier)


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM
    figures: Figures


@dataclass(frozen=True)
class TrustedTraderCost:
    """Risk-selection precision as selected (with the tier reductions) and as the same policy
    would have selected on the same scores without them. Outcomes exist only for what was
    examined, so ``without_unknown`` counts the selections the second figure cannot judge."""

    with_reductions: Share
    without_reductions: Share
    without_unknown: int
    moved: int  # declarations selected by risk in one case and not the other

    @property
    def cost(self) -> float:
        return self.without_reductions.value - self.with_reductions.value


def declarations_frame(rows: Iterable[tuple[Any, ...]]) -> pl.DataFrame:
    """A frame in :data:`FRAME_SCHEMA` from rows in the schema's column order."""
    return pl.DataFrame(list(rows), schema=FRAME_SCHEMA, orient="row")


def figures(frame: pl.DataFrame) -> Figures:
    """The figures of a set of declarations (a month, a partner's, or all)."""
    return Figures(
        declarations=frame.height,
        examined=int(frame["selected"].sum()),
        rates=tier_rates(frame),
        precision=risk_precision(frame),
        compliance=compliance(frame),
    )


def tier_rates(frame: pl.DataFrame) -> list[TierRate]:
    """Examination rate per tier, every tier listed (zero declarations when none)."""
    rates = examination_rates(frame.select("tier", "selected")) if frame.height else {}
    return [
        TierRate(
            tier=tier,
            declarations=int(rates.get(tier, {}).get("declarations", 0)),
            examined=int(rates.get(tier, {}).get("examined", 0)),
            rate=float(rates.get(tier, {}).get("examination_rate", math.nan)),
            relative_to_non_members=float(rates.get(tier, {}).get("relative_to_non_members", math.nan)),
        )
        for tier in TIERS
    ]


def _with_outcome(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("fraud").is_not_null())


def risk_precision(frame: pl.DataFrame, *, selection: str = "selection") -> Share:
    """Share of violations among the risk-selected declarations whose outcome is known."""
    known = _with_outcome(frame).select(pl.col(selection).alias("selection"), "fraud")
    sample = int((known["selection"] == "risk").sum())
    return Share(selection_precision(known, _outcomes(known)), sample)


def compliance(frame: pl.DataFrame) -> Share:
    """Compliance rate estimated from the random share only, with a 95% interval."""
    known = _with_outcome(frame)
    estimate = compliance_estimate(known, _outcomes(known))
    return Share(
        float(estimate["compliance_rate"]),
        int(estimate["sampled"]),
        float(estimate["low"]),
        float(estimate["high"]),
    )


def _outcomes(frame: pl.DataFrame) -> np.ndarray:
    return frame["fraud"].cast(pl.Int8).to_numpy()


def by_month(frame: pl.DataFrame) -> list[Month]:
    """The figures of each month of declaration date, oldest first."""
    monthly = frame.with_columns(pl.col("declared_on").dt.strftime("%Y-%m").alias("month"))
    months = sorted(monthly["month"].unique().to_list())
    return [Month(month, figures(monthly.filter(pl.col("month") == month))) for month in months]


def selection_without_reductions(batch: pl.DataFrame, *, policy: SelectionPolicy) -> pl.Series:
    """The selection ("risk", "random" or null) the batch's own policy makes on the same stored
    scores when no importer gets a trusted-trader reduction. ``batch`` is one scored file in
    file order; the random share is drawn with the same seed, so it is the same declarations."""
    plain = replace(policy, tier_reductions={}, mra_reduction=0.0)
    scored = batch.select("declaration_id", "importer_id", "score")
    return declarations_select(scored, policy=plain, tiers=None)["selection"].alias("selection_without")


def with_counterfactual(frame: pl.DataFrame, *, policies: Mapping[int, SelectionPolicy]) -> pl.DataFrame:
    """``frame`` plus ``selection_without`` (see :func:`selection_without_reductions`), per batch."""
    if frame.height == 0:
        return frame.with_columns(pl.lit(None, dtype=pl.String).alias("selection_without"))
    parts = []
    for (batch_id,), batch in frame.sort("batch", "position").group_by("batch", maintain_order=True):
        policy = policies[int(batch_id)]
        parts.append(batch.with_columns(selection_without_reductions(batch, policy=policy)))
    return pl.concat(parts)


def trusted_trader_cost(frame: pl.DataFrame) -> TrustedTraderCost:
    """What the tier reductions cost in risk-selection precision (``frame`` carries
    ``selection_without`` from :func:`with_counterfactual`)."""
    by_risk_without = frame.filter(pl.col("selection_without") == "risk")
    risk_with = (pl.col("selection") == "risk").fill_null(False)
    risk_without = (pl.col("selection_without") == "risk").fill_null(False)
    moved = frame.filter(risk_with != risk_without)
    return TrustedTraderCost(
        with_reductions=risk_precision(frame),
        without_reductions=risk_precision(frame, selection="selection_without"),
        without_unknown=int(by_risk_without["fraud"].null_count()),
        moved=moved.height,
    )
