"""Metrics on a hand-made example whose answers can be checked by eye."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ctpat.targeting.metrics import (
    compliance_estimate,
    examination_rates,
    precision_at,
    recall_at,
    roc_auc,
    targeting_metrics,
)

# 20 declarations, scores 1.00, 0.95, ... 0.05; violations at ranks 1, 2, 4 and 11.
SCORES = np.linspace(1.0, 0.05, 20)
OUTCOMES = np.zeros(20, dtype=np.int8)
OUTCOMES[[0, 1, 3, 10]] = 1


def test_precision_and_recall_at_shares() -> None:
    assert precision_at(SCORES, OUTCOMES, share=0.10) == 1.0  # top 2
    assert precision_at(SCORES, OUTCOMES, share=0.20) == 0.75  # top 4
    assert recall_at(SCORES, OUTCOMES, share=0.20) == 0.75
    assert precision_at(SCORES, OUTCOMES, share=0.01) == 1.0  # at least one declaration


def test_roc_auc_by_hand() -> None:
    # Negatives ranked above each positive: 0, 0, 1, 7 of 16 -> AUC = 1 - 8 / 64.
    assert roc_auc(SCORES, OUTCOMES) == pytest.approx(1 - 8 / 64)
    assert roc_auc(np.array([0.5, 0.5]), np.array([0, 1])) == 0.5


def test_targeting_metrics_layout() -> None:
    report = targeting_metrics(SCORES, OUTCOMES)
    assert set(report["precision_at"]) == {"1%", "2%", "5%", "10%"}
    assert report["violation_rate"] == 0.2


def test_examination_rates_by_tier_and_compliance_from_the_random_share() -> None:
    selection = pl.DataFrame(
        {
            "tier": ["1", "1", "1", "1", "non-member", "non-member"],
            "selected": [True, False, False, False, True, True],
            "selection": ["random", None, None, None, "risk", "random"],
        }
    )
    rates = examination_rates(selection)
    assert rates["1"]["examination_rate"] == 0.25
    assert rates["non-member"]["examination_rate"] == 1.0
    assert rates["1"]["relative_to_non_members"] == 0.25
    compliance = compliance_estimate(selection, np.array([0, 0, 0, 0, 1, 1]))
    assert compliance["sampled"] == 2
    assert compliance["compliance_rate"] == 0.5
    assert compliance["low"] < 0.5 < compliance["high"]
