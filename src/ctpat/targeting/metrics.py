"""How well the targeting finds violations, and what the selection policy does to members.

All functions take plain arrays (scores, outcomes) or the frame :func:`ctpat.targeting.policy.
declarations_select` returns, so the portal can call them on any slice it shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

SHARES: tuple[float, ...] = (0.01, 0.02, 0.05, 0.10)
"""Shares of declarations examined at which precision and recall are reported."""


def _share_label(share: float) -> str:
    return f"{share * 100:g}%"


def top_count(total: int, *, share: float) -> int:
    """How many declarations a budget of ``share`` examines out of ``total`` (at least one)."""
    return min(total, max(1, round(share * total)))


def _ranked(scores: np.ndarray) -> np.ndarray:
    # Highest score first; ties keep input order so results do not depend on the sort algorithm.
    return np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")


def precision_at(scores: np.ndarray, outcomes: np.ndarray, *, share: float) -> float:
    """Share of violations among the top ``share`` of declarations by score.

    >>> precision_at(np.array([0.9, 0.8, 0.1, 0.2]), np.array([1, 0, 0, 1]), share=0.5)
    0.5
    """
    chosen = _ranked(scores)[: top_count(len(scores), share=share)]
    return float(np.asarray(outcomes)[chosen].mean())


def recall_at(scores: np.ndarray, outcomes: np.ndarray, *, share: float) -> float:
    """Share of all violations that the top ``share`` of declarations by score would find."""
    outcomes = np.asarray(outcomes)
    total = outcomes.sum()
    if total == 0:
        return math.nan
    chosen = _ranked(scores)[: top_count(len(scores), share=share)]
    return float(outcomes[chosen].sum() / total)


def roc_auc(scores: np.ndarray, outcomes: np.ndarray) -> float:
    """Area under the ROC curve (ties count one half), by the rank-sum formula.

    >>> roc_auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1]))
    0.75
    """
    outcomes = np.asarray(outcomes).astype(bool)
    positives, negatives = int(outcomes.sum()), int((~outcomes).sum())
    if positives == 0 or negatives == 0:
        return math.nan
    ranks = pl.Series(np.asarray(scores, dtype=np.float64)).rank("average").to_numpy()
    return float((ranks[outcomes].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def targeting_metrics(
    scores: np.ndarray, outcomes: np.ndarray, *, shares: Sequence[float] = SHARES
) -> dict[str, Any]:
    """Precision and recall at each share, ROC AUC, and the base rate, as a JSON-ready dict."""
    outcomes = np.asarray(outcomes).astype(np.int8)
    return {
        "declarations": len(outcomes),
        "violation_rate": float(outcomes.mean()) if len(outcomes) else math.nan,
        "precision_at": {_share_label(s): precision_at(scores, outcomes, share=s) for s in shares},
        "recall_at": {_share_label(s): recall_at(scores, outcomes, share=s) for s in shares},
        "roc_auc": roc_auc(scores, outcomes),
    }


def examination_rates(selection: pl.DataFrame) -> dict[str, dict[str, float | int]]:
    """Per tier ("1", "2", "3", "non-member"): declarations, examined, examination rate, and the
    rate relative to non-members (1.0 = examined as often as a non-member)."""
    by_tier = selection.group_by("tier").agg(
        pl.len().alias("declarations"), pl.col("selected").sum().alias("examined")
    )
    rates = {
        str(tier): {"declarations": int(n), "examined": int(k), "examination_rate": k / n if n else math.nan}
        for tier, n, k in by_tier.sort("tier").iter_rows()
    }
    baseline = rates.get("non-member", {}).get("examination_rate", math.nan)
    for row in rates.values():
        row["relative_to_non_members"] = row["examination_rate"] / baseline if baseline else math.nan
    return rates


def compliance_estimate(selection: pl.DataFrame, outcomes: np.ndarray) -> dict[str, float | int]:
    """Compliance rate estimated from the random share only (an unbiased sample), with a 95% Wilson
    interval. ``outcomes`` are the violations found, aligned with ``selection``'s rows."""
    random_rows = selection["selection"].to_numpy() == "random"
    sample = np.asarray(outcomes)[random_rows].astype(np.int8)
    n = len(sample)
    if n == 0:
        return {"sampled": 0, "compliance_rate": math.nan, "low": math.nan, "high": math.nan}
    rate = 1.0 - float(sample.mean())
    z = 1.959964
    centre = (rate + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return {"sampled": n, "compliance_rate": rate, "low": centre - half, "high": centre + half}


def selection_precision(selection: pl.DataFrame, outcomes: np.ndarray) -> float:
    """Share of violations among the declarations selected *by risk* (the random share excluded)."""
    by_risk = selection["selection"].to_numpy() == "risk"
    found = np.asarray(outcomes)[by_risk]
    return float(found.mean()) if len(found) else math.nan
