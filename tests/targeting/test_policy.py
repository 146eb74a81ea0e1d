"""Selection policy: budget, random share, trusted-trader reductions within the law, reasons."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ctpat.targeting.policy import (
    PolicyError,
    SelectionPolicy,
    declarations_select,
    policy_validate,
    synthetic_tiers,
)


def _scored(count: int = 1000) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    return pl.DataFrame(
        {
            "declaration_id": [f"D{i}" for i in range(count)],
            "importer_id": [f"I{i % 40}" for i in range(count)],
            "score": rng.random(count),
        }
    )


def test_budget_and_random_share_are_respected() -> None:
    selection = declarations_select(_scored(), policy=SelectionPolicy(budget=0.05, random_share=0.2))
    counts = dict(selection.group_by("selection").len().iter_rows())
    assert counts["risk"] == 40
    assert counts["random"] == 10
    assert selection["selected"].sum() == 50
    assert selection["declaration_id"].to_list() == _scored()["declaration_id"].to_list()  # input order


def test_risk_selection_takes_the_highest_scores_without_members() -> None:
    selection = declarations_select(_scored(), policy=SelectionPolicy(budget=0.05, random_share=0.0))
    chosen = selection.filter(pl.col("selected"))["score"]
    assert chosen.min() >= selection.filter(~pl.col("selected"))["score"].max()


def test_every_selected_declaration_says_why() -> None:
    tiers = pl.DataFrame({"importer_id": ["I1", "I2"], "tier": ["1", "3"], "mra": [False, True]})
    selection = declarations_select(_scored(), policy=SelectionPolicy(), tiers=tiers)
    selected = selection.filter(pl.col("selected"))
    assert selected["reason"].null_count() == 0
    assert selection.filter(~pl.col("selected"))["reason"].null_count() == selection.height - selected.height
    assert selected.filter(pl.col("selection") == "random")["reason"].str.contains("random").all()


def test_tier_reduction_lowers_members_scores_by_a_share_of_the_threshold() -> None:
    scored = _scored()
    tiers = pl.DataFrame({"importer_id": ["I1"], "tier": ["2"], "mra": [False]})
    policy = SelectionPolicy(budget=0.05, random_share=0.0, tier_reductions={"2": 0.3})
    selection = declarations_select(scored, policy=policy, tiers=tiers)
    threshold = float(np.sort(scored["score"].to_numpy())[::-1][49])
    member = selection.filter(pl.col("importer_id") == "I1")
    np.testing.assert_allclose(member["adjusted_score"], member["score"] - 0.3 * threshold)
    assert (
        selection.filter(pl.col("importer_id") != "I1")["adjusted_score"]
        == selection.filter(pl.col("importer_id") != "I1")["score"]
    ).all()


def test_tier_1_reduction_beyond_twenty_percent_is_refused() -> None:
    policy_validate(SelectionPolicy(tier_reductions={"1": 0.20}))
    with pytest.raises(PolicyError, match="legal cap"):
        policy_validate(SelectionPolicy(tier_reductions={"1": 0.21}))
    with pytest.raises(PolicyError):
        declarations_select(_scored(), policy=SelectionPolicy(tier_reductions={"1": 0.5}))


def test_mra_bonus_never_lifts_tier_1_past_the_cap() -> None:
    policy = SelectionPolicy(tier_reductions={"1": 0.2}, mra_reduction=0.1)
    assert policy.reduction(tier="1", mra=True) == pytest.approx(0.2)
    assert policy.reduction(tier="2", mra=True) == pytest.approx(0.1)  # no Tier 2 reduction set, MRA 0.1
    assert policy.reduction(tier="non-member", mra=True) == 0.0


def test_other_bad_policies_are_refused() -> None:
    for bad in (
        SelectionPolicy(budget=0),
        SelectionPolicy(random_share=1.5),
        SelectionPolicy(tier_reductions={"4": 0.1}),
    ):
        with pytest.raises(PolicyError):
            policy_validate(bad)


def test_synthetic_tiers_are_seeded_and_cover_every_importer() -> None:
    importers = _scored()["importer_id"]
    first = synthetic_tiers(importers, seed=5, shares={"1": 0.3, "2": 0.2, "3": 0.1})
    assert first.equals(synthetic_tiers(importers, seed=5, shares={"1": 0.3, "2": 0.2, "3": 0.1}))
    assert first.height == importers.n_unique()
    assert set(first["tier"]) <= {"1", "2", "3", "non-member"}
