"""The pure rules of non-compliance, sanctions and appeals (``ctpat.core.sanctions``), and the
``restore`` transition and tier rule a granted appeal uses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctpat.core.lifecycle import Actor, PartnerStatus, TransitionError, check_transition
from ctpat.core.sanctions import (
    ALL_BENEFITS,
    APPEALABLE_TRANSITIONS,
    NEW,
    STEPS,
    AppealFacts,
    AppealPolicy,
    Benefit,
    ComplianceClockKind,
    DecisionEvent,
    Official,
    SanctionEvent,
    SanctionGround,
    SanctionKind,
    SanctionRefused,
    Subject,
    appeal_decider_refusals,
    appeal_decision_clocks,
    appeal_decision_due,
    appeal_filing_clock,
    appeal_filing_due,
    appeal_filing_facts,
    available_steps,
    benefits_in_force,
    check_step,
    ground_of,
    letter_clocks,
    objective_clocks,
    reinstatement_refusals,
    restored_benefits_valid,
    sanction_refusals,
    tier_benefits,
    within_appeal_window,
)
from ctpat.core.tiers import TierEvent, tier_standing

POLICY = AppealPolicy()
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC))
grounds = st.sampled_from(list(SanctionGround))


# --- Appeal windows and deadlines (property-based) ---------------------------------------------


@given(decided=moments, ground=grounds)
def test_filing_window_is_90_days_for_a_denial_and_30_for_false_information(
    decided: datetime, ground: SanctionGround
) -> None:
    due = appeal_filing_due(decided, ground, POLICY)
    expected = 30 if ground is SanctionGround.FALSE_INFORMATION else 90
    assert due - decided == timedelta(days=expected)
    assert within_appeal_window(decided_at=decided, ground=ground, filed_at=due, policy=POLICY)
    late = due + timedelta(seconds=1)
    assert not within_appeal_window(decided_at=decided, ground=ground, filed_at=late, policy=POLICY)
    early = decided - timedelta(seconds=1)
    assert not within_appeal_window(decided_at=decided, ground=ground, filed_at=early, policy=POLICY)


@given(filed=moments)
def test_appeal_is_decided_within_180_days_of_filing(filed: datetime) -> None:
    assert appeal_decision_due(filed, POLICY) - filed == timedelta(days=180)


@given(decided=moments, ground=grounds, offset=st.integers(min_value=0, max_value=120))
def test_the_filing_clock_follows_the_decision_and_closes_once_appealed(
    decided: datetime, ground: SanctionGround, offset: int
) -> None:
    decision = DecisionEvent(7, "suspend", decided, {"ground": ground.value})
    history = [DecisionEvent(6, "certify", decided - timedelta(days=100)), decision]
    now = decided + timedelta(days=offset)
    clock = appeal_filing_clock(history, set(), POLICY, now=now)
    due = appeal_filing_due(decided, ground, POLICY)
    if now > due:
        assert clock is None
    else:
        assert clock is not None
        assert (clock.kind, clock.subject_id, clock.started, clock.due) == (
            ComplianceClockKind.APPEAL_FILING,
            7,
            decided,
            due,
        )
    assert appeal_filing_clock(history, {7}, POLICY, now=now) is None


def test_only_the_latest_decision_can_be_appealed() -> None:
    suspended = DecisionEvent(1, "suspend", T0)
    reinstated = DecisionEvent(2, "reinstate", T0 + timedelta(days=20))
    assert appeal_filing_clock([suspended, reinstated], set(), POLICY) is None
    removed = DecisionEvent(3, "remove", T0 + timedelta(days=30), {"ground": "false_information"})
    clock = appeal_filing_clock([suspended, removed], set(), POLICY)
    assert clock is not None
    assert clock.subject_id == 3
    assert clock.due == removed.at + timedelta(days=30)


def test_appealable_decisions_are_suspension_removal_and_denial() -> None:
    assert {"suspend", "remove", "reject"} == APPEALABLE_TRANSITIONS
    assert appeal_filing_clock([DecisionEvent(1, "certify", T0)], set(), POLICY) is None


def test_a_decision_without_a_recorded_ground_is_a_denial_of_benefits() -> None:
    assert ground_of({}) is SanctionGround.NON_COMPLIANCE
    assert ground_of({"ground": "bogus"}) is SanctionGround.NON_COMPLIANCE
    assert ground_of({"ground": "false_information"}) is SanctionGround.FALSE_INFORMATION


def test_appeal_filing_facts() -> None:
    decision = DecisionEvent(5, "remove", T0, {"ground": "false_information"})
    ok = appeal_filing_facts(AppealFacts(decision, decision, False, T0 + timedelta(days=30)), POLICY)
    assert all(ok.values())
    late = appeal_filing_facts(AppealFacts(decision, decision, True, T0 + timedelta(days=31)), POLICY)
    assert late["within_window"] is False
    assert late["not_yet_appealed"] is False
    other = DecisionEvent(9, "certify", T0)
    stale = appeal_filing_facts(AppealFacts(other, decision, False, T0), POLICY)
    assert stale["appealable"] is False
    assert stale["latest_decision"] is False


@given(issued=moments, days=st.integers(min_value=1, max_value=180))
def test_letter_clock_runs_from_the_issue_event_until_resolved(issued: datetime, days: int) -> None:
    events = [SanctionEvent("warning_letter", 3, "issue", issued, {"response_days": days})]
    [clock] = letter_clocks(events)
    assert clock.due == issued + timedelta(days=days)
    assert clock.is_overdue(clock.due + timedelta(seconds=1))
    assert not clock.is_overdue(clock.due)
    resolved = [*events, SanctionEvent("warning_letter", 3, "resolve", issued + timedelta(days=1))]
    assert letter_clocks(resolved) == []


def test_objective_clocks_come_from_the_accepted_plan_until_done() -> None:
    accepted = SanctionEvent(
        "corrective_plan",
        1,
        "accept",
        T0,
        {"objectives": [{"id": 10, "due_on": "2026-03-20"}, {"id": 11, "due_on": "2026-04-30"}]},
    )
    clocks = objective_clocks([accepted])
    assert [(c.subject_id, c.due) for c in clocks] == [
        (10, datetime(2026, 3, 20, 23, 59, 59, tzinfo=UTC)),
        (11, datetime(2026, 4, 30, 23, 59, 59, tzinfo=UTC)),
    ]
    done = SanctionEvent("objective", 10, "complete", T0 + timedelta(days=3))
    assert [c.subject_id for c in objective_clocks([accepted, done])] == [11]
    submitted_only = SanctionEvent("corrective_plan", 1, "submit", T0, {"objectives": []})
    assert objective_clocks([submitted_only]) == []


@given(filed=moments)
def test_appeal_decision_clock_closes_with_any_outcome(filed: datetime) -> None:
    events = [SanctionEvent("appeal", 4, "file", filed)]
    [clock] = appeal_decision_clocks(events, POLICY)
    assert clock.due == filed + timedelta(days=180)
    for step in ("grant", "partly_grant", "deny"):
        assert appeal_decision_clocks([*events, SanctionEvent("appeal", 4, step, filed)], POLICY) == []


# --- Separation of duties and who may do what ----------------------------------------------------


def test_the_deciding_official_cannot_decide_the_appeal() -> None:
    assert appeal_decider_refusals(official=Official.PROGRAM_DIRECTOR, actor_id=1, decided_by_id=1)
    assert appeal_decider_refusals(official=Official.PROGRAM_DIRECTOR, actor_id=2, decided_by_id=1) == []
    with pytest.raises(SanctionRefused, match="separation of duties"):
        check_step(
            Subject.APPEAL,
            "deny",
            current="filed",
            official=Official.PROGRAM_DIRECTOR,
            facts={"reason": "No.", "actor_id": 1, "decided_by_id": 1},
        )


@pytest.mark.parametrize("official", [o for o in Official if o is not Official.PROGRAM_DIRECTOR])
def test_only_a_program_director_decides_appeals(official: Official) -> None:
    assert "Appeals are decided by a program director." in appeal_decider_refusals(
        official=official, actor_id=2, decided_by_id=1
    )
    with pytest.raises(SanctionRefused, match="cannot be done by"):
        check_step(Subject.APPEAL, "deny", current="filed", official=official, facts={"reason": "No."})


@pytest.mark.parametrize("official", [o for o in Official if o is not Official.PROGRAM_DIRECTOR])
def test_a_specialist_cannot_suspend(official: Official) -> None:
    refusals = sanction_refusals(
        kind=SanctionKind.SUSPEND,
        ground=SanctionGround.NON_COMPLIANCE,
        benefits=ALL_BENEFITS,
        reasons="Plan not delivered.",
        recommended=True,
        official=official,
    )
    assert refusals == ["Only the program director decides a suspension."]
    with pytest.raises(TransitionError):
        check_transition(
            "suspend", current=PartnerStatus.CERTIFIED, actor=Actor.SPECIALIST, facts={"reason": "x"}
        )
    with pytest.raises(SanctionRefused):
        check_step(
            Subject.RECOMMENDATION, "take", current="pending", official=official, facts={"reason": "x"}
        )


def test_the_recommending_official_cannot_take_the_sanction() -> None:
    with pytest.raises(SanctionRefused, match="recommended the sanction"):
        check_step(
            Subject.RECOMMENDATION,
            "take",
            current="pending",
            official=Official.PROGRAM_DIRECTOR,
            facts={"reason": "Yes.", "actor_id": 3, "recommended_by_id": 3},
        )


def test_only_false_information_goes_straight_to_removal() -> None:
    def refusals(kind: SanctionKind, ground: SanctionGround) -> list[str]:
        return sanction_refusals(
            kind=kind,
            ground=ground,
            benefits=ALL_BENEFITS,
            reasons="Reasons.",
            recommended=False,
            official=Official.PROGRAM_DIRECTOR,
        )

    assert refusals(SanctionKind.REMOVE, SanctionGround.FALSE_INFORMATION) == []
    assert refusals(SanctionKind.REMOVE, SanctionGround.NON_COMPLIANCE)
    assert refusals(SanctionKind.SUSPEND, SanctionGround.FALSE_INFORMATION)


def test_a_suspension_names_its_benefits_and_every_sanction_its_reasons() -> None:
    refusals = sanction_refusals(
        kind=SanctionKind.SUSPEND,
        ground=SanctionGround.NON_COMPLIANCE,
        benefits=(),
        reasons=" ",
        recommended=True,
        official=Official.PROGRAM_DIRECTOR,
    )
    assert refusals == ["Written reasons are required.", "Name the benefits to suspend (or all of them)."]


def test_reinstatement_needs_an_accepted_plan_and_consent() -> None:
    assert reinstatement_refusals(plan_accepted=True, visits_consented=True) == []
    assert len(reinstatement_refusals(plan_accepted=False, visits_consented=False)) == 2


def test_refusals_list_every_reason() -> None:
    with pytest.raises(SanctionRefused) as refused:
        check_step(Subject.APPEAL, "file", current=NEW, official=Official.PARTNER_EDITOR, facts={})
    assert len(refused.value.reasons) == 6  # the officer rule, the reason and four guards


def test_unknown_step_and_wrong_state() -> None:
    with pytest.raises(SanctionRefused, match="Unknown step"):
        check_step(Subject.CASE, "teleport", current=NEW, official=Official.SPECIALIST, facts={})
    with pytest.raises(SanctionRefused, match="not possible now"):
        check_step(
            Subject.CASE, "close", current="closed", official=Official.SPECIALIST, facts={"reason": "x"}
        )
    with pytest.raises(SanctionRefused, match="person with your role"):
        check_step(Subject.CASE, "close", current="open", official=None, facts={"reason": "x"})


def test_partner_side_and_agency_steps_are_apart() -> None:
    assert {s.name for s in available_steps(Subject.PLAN, NEW, Official.PARTNER_EDITOR)} == {"submit"}
    assert available_steps(Subject.PLAN, "submitted", Official.PARTNER_EDITOR) == []
    assert {s.name for s in available_steps(Subject.PLAN, "submitted", Official.SPECIALIST)} == {
        "accept",
        "return",
    }
    assert available_steps(Subject.APPEAL, NEW, Official.PARTNER_EDITOR) == []
    assert available_steps(Subject.CASE, NEW, None) == []


def test_every_step_has_a_label_and_a_known_subject() -> None:
    for (subject, name), step in STEPS.items():
        assert step.label, name
        assert step.subject is subject


# --- Benefits ----------------------------------------------------------------------------------


def test_benefits_of_the_tiers() -> None:
    assert tier_benefits(None) == frozenset()
    assert tier_benefits(1) == {Benefit.RISK_SCORE_REDUCTION, Benefit.FAST_LANES}
    assert tier_benefits(3) == ALL_BENEFITS


@given(
    tier=st.sampled_from([None, 1, 2, 3]),
    suspended=st.frozensets(st.sampled_from(list(Benefit))),
    restored=st.frozensets(st.sampled_from(list(Benefit))),
)
def test_benefits_in_force_never_exceed_the_tier(
    tier: int | None, suspended: frozenset[Benefit], restored: frozenset[Benefit]
) -> None:
    kept = benefits_in_force(tier_before=tier, suspended=suspended, restored=restored)
    assert kept <= tier_benefits(tier)
    assert not (kept & (suspended - restored))


def test_a_partial_grant_restores_some_not_all_suspended_benefits() -> None:
    suspended = {Benefit.FAST_LANES, Benefit.FRONT_OF_LINE}
    assert restored_benefits_valid({Benefit.FAST_LANES}, suspended)
    assert not restored_benefits_valid(suspended, suspended)
    assert not restored_benefits_valid(set(), suspended)
    assert not restored_benefits_valid({Benefit.EXPEDITED_RELEASE}, suspended)


# --- The lifecycle's restore transition and the tier it gives back ---------------------------------


def test_restore_returns_to_the_status_named_before_the_suspension() -> None:
    facts = {"appeal_granted": True, "reason": "Logs were complete.", "restore_to": "validated"}
    transition = check_transition(
        "restore", current=PartnerStatus.SUSPENDED, actor=Actor.PROGRAM_DIRECTOR, facts=facts
    )
    assert transition.target is PartnerStatus.VALIDATED


def test_restore_needs_a_granted_appeal_a_reason_and_an_active_status() -> None:
    with pytest.raises(TransitionError) as refused:
        check_transition(
            "restore",
            current=PartnerStatus.SUSPENDED,
            actor=Actor.PROGRAM_DIRECTOR,
            facts={"restore_to": "removed"},
        )
    assert len(refused.value.reasons) == 3
    with pytest.raises(TransitionError, match="cannot be done by"):
        check_transition(
            "restore",
            current=PartnerStatus.SUSPENDED,
            actor=Actor.SUPERVISOR,
            facts={"appeal_granted": True, "reason": "x", "restore_to": "certified"},
        )


def test_a_granted_appeal_restores_the_tier_held_before_the_suspension() -> None:
    day = timedelta(days=1)
    events = [
        TierEvent("certify", T0),
        TierEvent("validate", T0 + 10 * day, {"tier": 3}),
        TierEvent("suspend", T0 + 20 * day),
    ]
    assert tier_standing(events).tier is None
    restored = tier_standing([*events, TierEvent("restore", T0 + 30 * day)])
    assert restored.tier == 3
    assert restored.since == T0 + 30 * day


def test_objective_dates_are_whole_days() -> None:
    accepted = SanctionEvent(
        "corrective_plan",
        1,
        "accept",
        T0,
        {"objectives": [{"id": 1, "due_on": date(2026, 3, 1).isoformat()}]},
    )
    [clock] = objective_clocks([accepted])
    assert clock.due.date() == date(2026, 3, 1)
