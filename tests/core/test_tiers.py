from datetime import UTC, datetime, timedelta

from ctpat.core.tiers import BENEFITS, TIER1_REDUCTION_CAP, TierEvent, tier_standing

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def at(days: int) -> datetime:
    return T0 + timedelta(days=days)


def test_not_a_member_has_no_tier() -> None:
    assert tier_standing([TierEvent("submit", at(0))]).tier is None


def test_certification_then_validation_tiers() -> None:
    events = [TierEvent("certify", at(10)), TierEvent("validate", at(200), {"tier": 3})]
    standing = tier_standing(events)
    assert (standing.tier, standing.since) == (3, at(200))
    assert "best practices" in standing.why
    assert (
        tier_standing([TierEvent("certify", at(10)), TierEvent("validate", at(200), {"tier": 2})]).tier == 2
    )


def test_suspension_ends_benefits_and_reinstatement_gives_tier_one() -> None:
    events = [
        TierEvent("certify", at(1)),
        TierEvent("validate", at(5), {"tier": 2}),
        TierEvent("suspend", at(9), reason="Seal fraud"),
    ]
    assert tier_standing(events).tier is None
    assert "Seal fraud" in tier_standing(events).why
    assert tier_standing([*events, TierEvent("reinstate", at(20))]).tier == 1


def test_tier_one_reduction_respects_the_law() -> None:
    assert BENEFITS[1].risk_score_reduction <= TIER1_REDUCTION_CAP
    assert (
        BENEFITS[1].risk_score_reduction < BENEFITS[2].risk_score_reduction < BENEFITS[3].risk_score_reduction
    )
