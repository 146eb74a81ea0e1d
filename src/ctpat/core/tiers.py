"""Tiers and the benefits they bring (domain file, section 4), derived from lifecycle events.

A partner's tier is never stored: certification gives Tier 1; a validation records the tier it
granted (2 when the criteria are met, 3 when best practices exceed them); suspension, removal,
withdrawal and rejection take benefits away; reinstatement gives Tier 1 back until the partner
is validated again; a granted appeal (``restore``) gives back the tier held before the suspension.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class TierEvent:
    transition: str
    at: datetime
    details: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True)
class TierStanding:
    tier: int | None  # None: no benefits (not a member, or suspended)
    since: datetime | None
    why: str


TIER_LOSS = frozenset({"suspend", "remove", "withdraw", "reject"})


def tier_standing(events: Iterable[TierEvent]) -> TierStanding:
    """The tier the events leave the partner in, since when, and why.

    >>> from datetime import UTC
    >>> tier_standing([TierEvent("certify", datetime(2026, 1, 5, tzinfo=UTC))]).tier
    1
    """
    standing = TierStanding(None, None, "Not certified.")
    before_losses: list[TierStanding] = []  # the standing each loss of benefits ended
    for event in sorted(events, key=lambda e: e.at):
        if event.transition == "certify":
            standing = TierStanding(1, event.at, "Certified.")
        elif event.transition == "validate":
            tier = int(event.details.get("tier", 2))
            why = (
                "Validated; best practices exceed the criteria."
                if tier == 3
                else "Validated; meets the criteria."
            )
            standing = TierStanding(tier, event.at, why)
        elif event.transition == "reinstate":
            standing = TierStanding(1, event.at, "Reinstated after an accepted corrective action plan.")
        elif event.transition == "restore" and before_losses:
            restored = before_losses.pop().tier
            standing = TierStanding(
                restored, event.at, "Restored on appeal: the tier held before the sanction."
            )
        elif event.transition in TIER_LOSS:
            before_losses.append(standing)
            standing = TierStanding(
                None, event.at, f"Benefits ended: {event.transition}. {event.reason}".strip()
            )
    return standing


@dataclass(frozen=True)
class TierBenefits:
    """What a tier brings. ``risk_score_reduction`` is a share of the high-risk threshold."""

    tier: int
    risk_score_reduction: float
    fewer_examinations: bool
    front_of_line: bool
    expedited_release: bool
    fast_lanes: bool


# Policy data that the targeting engine reads. By law a Tier 1 reduction is at most 20% of the
# high-risk threshold; the larger reductions of Tiers 2 and 3 are policy.
TIER1_REDUCTION_CAP = 0.20
BENEFITS: dict[int, TierBenefits] = {
    1: TierBenefits(1, 0.10, False, False, False, True),
    2: TierBenefits(2, 0.30, True, True, False, True),
    3: TierBenefits(3, 0.50, True, True, True, True),
}
assert BENEFITS[1].risk_score_reduction <= TIER1_REDUCTION_CAP
