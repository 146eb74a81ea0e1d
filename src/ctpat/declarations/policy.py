"""The program's selection policy: the engine's :class:`SelectionPolicy` with the tier
reductions of :data:`ctpat.core.tiers.BENEFITS`, and how a batch stores the policy it used."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from typing import Any

from ctpat.core.tiers import BENEFITS
from ctpat.targeting import SelectionPolicy, policy_validate


def selection_policy(
    *, budget: float = 0.05, random_share: float = 0.10, seed: int | None = None
) -> SelectionPolicy:
    """The selection policy with the program's tier reductions (policy data in ``core.tiers``).

    MRA status is not recorded on partner accounts yet, so no MRA bonus is ever applied. Without
    ``seed`` a fresh one is drawn (and stored with the batch, so the selection can be re-run):
    importers cannot predict which declarations the random share picks. Raises
    :class:`ctpat.targeting.PolicyError` for a budget or share out of range.

    >>> dict(selection_policy(seed=1).tier_reductions)
    {'1': 0.1, '2': 0.3, '3': 0.5}
    """
    return policy_validate(
        SelectionPolicy(
            budget=budget,
            random_share=random_share,
            tier_reductions={str(tier): benefit.risk_score_reduction for tier, benefit in BENEFITS.items()},
            seed=secrets.randbelow(2**31) if seed is None else seed,
        )
    )


def policy_record(policy: SelectionPolicy) -> dict[str, Any]:
    """The policy as stored on a batch (JSON)."""
    return {**asdict(policy), "tier_reductions": dict(policy.tier_reductions)}


def policy_from_record(record: dict[str, Any]) -> SelectionPolicy:
    return SelectionPolicy(**{**record, "tier_reductions": dict(record.get("tier_reductions", {}))})
