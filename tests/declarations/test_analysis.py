"""The analyst's figures on the hand-made set of ``conftest.py``, worked out by hand.

January (budget 3 of 10, no random share): N1-N3 examined on risk (one violation, N1); Acme's
M1 (Tier 2, 0.90) is not, because its reduction takes it to 0.66, below N3's 0.75. February
(budget 1 of 4, all random): P1 drawn and compliant.

- Examination rates: Tier 2 0 of 1; non-members 4 of 13; Tiers 1 and 3 have no declarations.
- Precision of risk selections with an outcome: 1 of 3 (N1 of N1-N3).
- Compliance from the random share: 1 of 1 (P1).
- Without the reductions January selects M1, N1, N2: precision 1 of 2 known (M1 was never
  examined), a cost of 1/2 - 1/3 = 1/6; two declarations (M1, N3) change sides.
"""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest

from ctpat.declarations import analysis
from ctpat.declarations.policy import selection_policy
from ctpat.declarations.selectors import partner_examinations, targeting_summary
from tests.conftest import Personas
from tests.declarations.conftest import FEBRUARY, JANUARY, Row


def _frame(rows: list[Row], batch: int) -> pl.DataFrame:
    return analysis.declarations_frame(
        (
            batch,
            i,
            r.declaration_id,
            r.declaration_id,
            r.day,
            r.tier,
            False,
            r.score,
            bool(r.selection),
            r.selection or None,
            r.fraud,
        )
        for i, r in enumerate(rows)
    )


def test_rates_precision_and_compliance_of_a_hand_made_set() -> None:
    figures = analysis.figures(pl.concat([_frame(JANUARY, 1), _frame(FEBRUARY, 2)]))
    assert (figures.declarations, figures.examined) == (14, 4)
    tier_2, non_members = figures.rate_of("2"), figures.rate_of("non-member")
    assert (tier_2.declarations, tier_2.examined, tier_2.rate) == (1, 0, 0.0)
    assert (non_members.declarations, non_members.examined) == (13, 4)
    assert non_members.rate == pytest.approx(4 / 13)
    assert tier_2.relative_to_non_members == 0.0
    assert figures.rate_of("1").declarations == 0 and math.isnan(figures.rate_of("1").rate)
    assert figures.precision.value == pytest.approx(1 / 3) and figures.precision.sample == 3
    assert (figures.compliance.value, figures.compliance.sample) == (1.0, 1)


def test_figures_by_month() -> None:
    months = analysis.by_month(pl.concat([_frame(FEBRUARY, 2), _frame(JANUARY, 1)]))
    assert [m.month for m in months] == ["2024-01", "2024-02"]
    january, february = months[0].figures, months[1].figures
    assert january.rate_of("non-member").rate == pytest.approx(3 / 9)
    assert january.precision.value == pytest.approx(1 / 3) and january.precision.sample == 3
    assert january.compliance.sample == 0 and math.isnan(january.compliance.value)
    assert february.rate_of("non-member").rate == 0.25
    assert february.precision.sample == 0 and math.isnan(february.precision.value)
    assert (february.compliance.value, february.compliance.sample) == (1.0, 1)


def test_compliance_interval_is_wilson() -> None:
    rows = [
        Row("R1", date(2024, 3, 1), 0.1, "random", False),
        Row("R2", date(2024, 3, 2), 0.2, "random", True),
    ]
    share = analysis.compliance(_frame(rows, 3))
    assert (share.value, share.sample) == (0.5, 2)
    assert share.low == pytest.approx(0.0945, abs=1e-4) and share.high == pytest.approx(0.9055, abs=1e-4)


def test_selection_without_reductions_reruns_the_policy_on_stored_scores() -> None:
    policy = selection_policy(budget=0.3, random_share=0.0, seed=7)
    without = analysis.selection_without_reductions(_frame(JANUARY, 1), policy=policy)
    chosen = [r.declaration_id for r, s in zip(JANUARY, without.to_list(), strict=True) if s == "risk"]
    assert chosen == ["M1", "N1", "N2"]


def test_trusted_trader_cost() -> None:
    frame = pl.concat([_frame(JANUARY, 1), _frame(FEBRUARY, 2)])
    policies = {
        1: selection_policy(budget=0.3, random_share=0.0, seed=7),
        2: selection_policy(budget=0.25, random_share=1.0, seed=7),
    }
    cost = analysis.trusted_trader_cost(analysis.with_counterfactual(frame, policies=policies))
    assert cost.with_reductions.value == pytest.approx(1 / 3) and cost.with_reductions.sample == 3
    assert (cost.without_reductions.value, cost.without_reductions.sample) == (0.5, 2)
    assert (cost.without_unknown, cost.moved) == (1, 2)
    assert cost.cost == pytest.approx(1 / 6)


def test_summary_of_stored_declarations(hand_made: Personas) -> None:
    summary = targeting_summary()
    assert (summary.overall.declarations, summary.overall.examined, summary.batches) == (14, 4, 2)
    assert summary.overall.rate_of("non-member").rate == pytest.approx(4 / 13)
    assert summary.overall.precision.value == pytest.approx(1 / 3)
    assert [m.month for m in summary.months] == ["2024-01", "2024-02"]
    assert summary.cost.cost == pytest.approx(1 / 6)
    assert not summary.is_synthetic


def test_partner_examinations_count_what_the_tier_changed(hand_made: Personas) -> None:
    mine = partner_examinations(hand_made.acme)
    assert [d.declaration_id for d in mine.declarations] == ["M1"]
    assert (mine.total, mine.examined, mine.rate) == (1, 0, 0.0)
    assert mine.non_member_rate == pytest.approx(4 / 13)
    assert (mine.selected_without_reduction, mine.spared) == (1, 1)
    beta = partner_examinations(hand_made.beta)
    assert (beta.total, beta.declarations, beta.selected_without_reduction) == (0, [], 0)
