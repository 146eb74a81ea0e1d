"""The selection policy: which declarations to examine, and why.

A budget of ``budget`` (a share of declarations) is examined. ``random_share`` of that budget is
drawn uniformly at random from *all* declarations first, so the violations it finds estimate
compliance without bias; the rest goes to the highest-risk declarations. Trusted traders get a
reduction of their score, expressed as a share of the high-risk threshold (the score of the last
declaration the budget would examine on risk alone). By law the Tier 1 reduction is at most 20%
of that threshold; :func:`policy_validate` refuses a policy that goes beyond.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ctpat.targeting.metrics import top_count

TIERS: tuple[str, ...] = ("1", "2", "3", "non-member")
NON_MEMBER = "non-member"
TIER_1_LEGAL_CAP = 0.20
"""Tier 1's reduction may not exceed 20% of the high-risk threshold."""


class PolicyError(ValueError):
    """A selection policy that breaks a rule."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SelectionPolicy:
    """Budget, random share and trusted-trader reductions (shares of the high-risk threshold)."""

    budget: float = 0.05
    random_share: float = 0.10
    tier_reductions: Mapping[str, float] = field(default_factory=lambda: {"1": 0.10, "2": 0.30, "3": 0.50})
    mra_reduction: float = 0.05
    seed: int = 0

    def reduction(self, *, tier: str, mra: bool) -> float:
        """The reduction for an importer of ``tier`` (with MRA status ``mra``); Tier 1 stays capped."""
        if tier == NON_MEMBER:
            return 0.0
        total = self.tier_reductions.get(tier, 0.0) + (self.mra_reduction if mra else 0.0)
        return min(total, TIER_1_LEGAL_CAP) if tier == "1" else min(total, 1.0)


def policy_validate(policy: SelectionPolicy) -> SelectionPolicy:
    """Return ``policy`` if it obeys the rules, else raise :class:`PolicyError` saying which."""
    if not 0 < policy.budget <= 1:
        raise PolicyError(f"budget must be a share in (0, 1], got {policy.budget}")
    if not 0 <= policy.random_share <= 1:
        raise PolicyError(f"random_share must be in [0, 1], got {policy.random_share}")
    unknown = set(policy.tier_reductions) - set(TIERS[:3])
    if unknown:
        raise PolicyError(f"unknown tier(s) {sorted(unknown)}; tiers are 1, 2 and 3")
    for tier, reduction in policy.tier_reductions.items():
        if not 0 <= reduction <= 1:
            raise PolicyError(f"Tier {tier} reduction must be in [0, 1], got {reduction}")
    if not 0 <= policy.mra_reduction <= 1:
        raise PolicyError(f"mra_reduction must be in [0, 1], got {policy.mra_reduction}")
    if policy.tier_reductions.get("1", 0.0) > TIER_1_LEGAL_CAP:
        raise PolicyError(
            f"Tier 1 reduction {policy.tier_reductions['1']} exceeds the legal cap of "
            f"{TIER_1_LEGAL_CAP} (20% of the high-risk threshold)"
        )
    return policy


def policy_read(path: str | Path) -> SelectionPolicy:
    """Read a policy from JSON (keys as in :class:`SelectionPolicy`) and validate it."""
    try:
        record: dict[str, Any] = json.loads(Path(path).read_text())
        record["tier_reductions"] = {str(k): float(v) for k, v in record.get("tier_reductions", {}).items()}
        return policy_validate(SelectionPolicy(**record))
    except (OSError, json.JSONDecodeError, TypeError, AttributeError) as error:
        raise PolicyError(f"cannot read the policy {path}: {error}") from error


def importer_tiers_read(path: str | Path) -> pl.DataFrame:
    """Read ``importer_id,tier,mra`` (tier 1, 2, 3 or non-member; mra 0/1) into a frame."""
    with Path(path).open(newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    if rows and not {"importer_id", "tier"} <= set(rows[0]):
        raise PolicyError(f"{path}: expected the columns importer_id,tier,mra")
    for line, row in enumerate(rows, start=2):
        if row["tier"].strip() not in TIERS:
            raise PolicyError(f"{path} line {line}: tier {row['tier']!r} is not one of {', '.join(TIERS)}")
    return pl.DataFrame(
        {
            "importer_id": [row["importer_id"].strip() for row in rows],
            "tier": [row["tier"].strip() for row in rows],
            "mra": [row.get("mra", "0").strip() in {"1", "true", "yes"} for row in rows],
        },
        schema={"importer_id": pl.String, "tier": pl.String, "mra": pl.Boolean},
    )


def synthetic_tiers(
    importer_ids: pl.Series, *, seed: int = 0, shares: Mapping[str, float] | None = None
) -> pl.DataFrame:
    """A SYNTHETIC, seeded assignment of CTPAT tiers to importers, for measuring the policy on data
    (such as the public KCS dataset) that has no membership flag. Default shares: 5% Tier 1,
    5% Tier 2, 2% Tier 3, the rest non-members; a quarter of members have MRA status."""
    shares = shares or {"1": 0.05, "2": 0.05, "3": 0.02}
    importers = importer_ids.unique().sort()
    rng = np.random.default_rng(seed)
    draw = rng.random(len(importers))
    tiers = np.full(len(importers), NON_MEMBER, dtype=object)
    edge = 0.0
    for tier in ("1", "2", "3"):
        tiers[(draw >= edge) & (draw < edge + shares.get(tier, 0.0))] = tier
        edge += shares.get(tier, 0.0)
    mra = (tiers != NON_MEMBER) & (rng.random(len(importers)) < 0.25)
    return pl.DataFrame({"importer_id": importers, "tier": tiers.astype(str), "mra": mra})


def declarations_select(
    scored: pl.DataFrame, *, policy: SelectionPolicy, tiers: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Choose the declarations to examine.

    ``scored`` has ``declaration_id``, ``importer_id`` and ``score``; ``tiers`` has
    ``importer_id,tier,mra`` (importers not listed are non-members). Returns ``scored`` with
    ``tier``, ``mra``, ``adjusted_score``, ``selected``, ``selection`` ("risk", "random" or null)
    and ``reason``, in input order.
    """
    policy_validate(policy)
    frame = _with_tiers(scored, tiers)
    total = frame.height
    if total == 0:
        return frame.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("adjusted_score"),
            pl.lit(False).alias("selected"),
            pl.lit(None, dtype=pl.String).alias("selection"),
            pl.lit(None, dtype=pl.String).alias("reason"),
        )
    budget = top_count(total, share=policy.budget)
    random_count = min(budget, round(budget * policy.random_share))
    risk_count = budget - random_count
    scores = frame["score"].to_numpy().astype(np.float64)
    order = np.argsort(-scores, kind="stable")
    threshold = float(scores[order[max(risk_count, 1) - 1]])
    reductions = np.array(
        [policy.reduction(tier=t, mra=m) for t, m in frame.select("tier", "mra").iter_rows()]
    )
    adjusted = scores - reductions * threshold
    rng = np.random.default_rng(policy.seed)
    random_rows = (
        rng.choice(total, size=random_count, replace=False) if random_count else np.zeros(0, dtype=np.int64)
    )
    selection = np.full(total, None, dtype=object)
    selection[random_rows] = "random"
    candidates = np.flatnonzero(selection == None)  # noqa: E711 - element-wise comparison
    ranked = candidates[np.argsort(-adjusted[candidates], kind="stable")][:risk_count]
    selection[ranked] = "risk"
    frame = frame.with_columns(
        pl.Series("adjusted_score", adjusted), pl.Series("selection", selection.tolist(), dtype=pl.String)
    ).with_columns(pl.col("selection").is_not_null().alias("selected"))
    return frame.with_columns(_reasons(frame, threshold=threshold, reductions=reductions, policy=policy))


def _with_tiers(scored: pl.DataFrame, tiers: pl.DataFrame | None) -> pl.DataFrame:
    if tiers is None:
        return scored.with_columns(pl.lit(NON_MEMBER).alias("tier"), pl.lit(False).alias("mra"))
    joined = scored.join(
        tiers.select("importer_id", "tier", "mra"), on="importer_id", how="left", maintain_order="left"
    )
    return joined.with_columns(pl.col("tier").fill_null(NON_MEMBER), pl.col("mra").fill_null(False))


def _reasons(
    frame: pl.DataFrame, *, threshold: float, reductions: np.ndarray, policy: SelectionPolicy
) -> pl.Series:
    reasons: list[str | None] = []
    rows = frame.select("selection", "score", "adjusted_score", "tier", "mra").iter_rows()
    for (selection, score, adjusted, tier, mra), reduction in zip(rows, reductions, strict=True):
        if selection == "random":
            reasons.append(
                f"random compliance sample ({policy.random_share:.0%} of the budget, seed {policy.seed})"
            )
        elif selection == "risk":
            why = f"risk score {score:.3f} among the top {policy.budget:.0%} (high-risk threshold {threshold:.3f})"
            if reduction > 0:
                membership = f"Tier {tier}" + (" + MRA" if mra else "")
                why += f"; {membership} reduction of {reduction:.0%} of the threshold applied: {adjusted:.3f}"
            reasons.append(why)
        else:
            reasons.append(None)
    return pl.Series("reason", reasons, dtype=pl.String)
