"""The review's decision rules: vetting completeness, recommendations, the supervisor's
decision with its separation of duties, and certificate numbers."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctpat.core.decisions import (
    DecisionAction,
    DecisionFacts,
    PendingRecommendation,
    RecommendationFacts,
    RecommendationKind,
    ReviewRefused,
    VettingCheckKind,
    certificate_number,
    certificate_number_parts,
    check_decision,
    check_recommendation,
    decision_refusals,
    decision_transition,
    is_vetting_complete,
    recommendation_refusals,
    vetting_missing,
)
from ctpat.core.lifecycle import Actor, PartnerStatus, TransitionError

SPECIALIST, SUPERVISOR, OTHER_SUPERVISOR = 1, 2, 3
READY = RecommendationFacts(
    status=PartnerStatus.UNDER_REVIEW,
    by_assigned_specialist=True,
    pending=False,
    vetting_complete=True,
    risk_assessed=True,
)


# --- Vetting ---------------------------------------------------------------------------------


def test_vetting_is_complete_when_every_check_is_recorded() -> None:
    every = [kind.value for kind in VettingCheckKind]
    assert len(every) == 6
    assert is_vetting_complete(every)
    assert is_vetting_complete([*every, *every])  # a check recorded twice still counts once
    assert vetting_missing(every[1:]) == [VettingCheckKind.IDENTIFIERS]
    assert not is_vetting_complete([])


@given(st.sets(st.sampled_from(list(VettingCheckKind))))
def test_the_missing_checks_are_exactly_those_not_recorded(recorded: set[VettingCheckKind]) -> None:
    missing = vetting_missing(kind.value for kind in recorded)
    assert set(missing) == set(VettingCheckKind) - recorded
    assert is_vetting_complete(kind.value for kind in recorded) == (not missing)


# --- Recommendation --------------------------------------------------------------------------


def test_the_assigned_specialist_may_recommend_certification_once_vetted_and_assessed() -> None:
    assert recommendation_refusals(RecommendationKind.CERTIFY, "", READY) == []


def test_certification_needs_vetting_and_risk_assessment() -> None:
    facts = RecommendationFacts(PartnerStatus.UNDER_REVIEW, True, False, False, False)
    reasons = recommendation_refusals(RecommendationKind.CERTIFY, "", facts)
    assert reasons == [
        "Vetting must be complete: record a result for every check.",
        "The risk assessment must be complete: record the score and write all five steps.",
    ]


@pytest.mark.parametrize("kind", [RecommendationKind.REJECT, RecommendationKind.RETURN_TO_PARTNER])
def test_rejection_and_return_need_reasons_but_not_complete_vetting(kind: RecommendationKind) -> None:
    facts = RecommendationFacts(PartnerStatus.APPLICANT, True, False, False, False)
    assert recommendation_refusals(kind, "  ", facts) == ["Give the reasons for this recommendation."]
    assert recommendation_refusals(kind, "Seal logs missing.", facts) == []


def test_only_the_assigned_specialist_recommends() -> None:
    facts = RecommendationFacts(PartnerStatus.UNDER_REVIEW, False, False, True, True)
    with pytest.raises(ReviewRefused) as refused:
        check_recommendation(RecommendationKind.CERTIFY, "", facts)
    assert refused.value.reasons == [
        "Only the specialist the application is assigned to recommends a decision."
    ]
    assert isinstance(refused.value, TransitionError)  # answered like a refused status change


def test_one_recommendation_waits_at_a_time_and_the_status_must_allow_it() -> None:
    pending = RecommendationFacts(PartnerStatus.UNDER_REVIEW, True, True, True, True)
    assert recommendation_refusals(RecommendationKind.CERTIFY, "", pending) == [
        "A recommendation is already waiting for a supervisor's decision."
    ]
    submitted = RecommendationFacts(PartnerStatus.APPLICANT, True, False, True, True)
    assert recommendation_refusals(RecommendationKind.CERTIFY, "", submitted) == [
        "Certify (Tier 1) cannot be recommended while the status is Applicant (submitted)."
    ]
    certified = RecommendationFacts(PartnerStatus.CERTIFIED, True, False, True, True)
    for kind in RecommendationKind:
        assert any("cannot be recommended" in r for r in recommendation_refusals(kind, "Why.", certified))


def test_only_certification_and_rejection_wait_for_a_supervisor() -> None:
    assert RecommendationKind.CERTIFY.needs_supervisor
    assert RecommendationKind.REJECT.needs_supervisor
    assert not RecommendationKind.RETURN_TO_PARTNER.needs_supervisor


# --- Decision and separation of duties -------------------------------------------------------


def facts(
    *,
    decider: int = SUPERVISOR,
    actor: Actor | None = Actor.SUPERVISOR,
    assigned: int | None = SPECIALIST,
    kind: RecommendationKind | None = RecommendationKind.CERTIFY,
    recommended_by: int | None = SPECIALIST,
) -> DecisionFacts:
    pending = PendingRecommendation(kind, recommended_by) if kind else None
    return DecisionFacts(decider, actor, assigned, pending)


def test_a_supervisor_agrees_overrides_or_returns() -> None:
    assert decision_refusals(DecisionAction.AGREE, "", facts()) == []
    assert decision_refusals(DecisionAction.OVERRIDE, "Derogatory vetting.", facts()) == []
    assert decision_refusals(DecisionAction.RETURN_TO_SPECIALIST, "Check 6.2.", facts()) == []
    assert decision_refusals(DecisionAction.AGREE, "", facts(actor=Actor.PROGRAM_DIRECTOR)) == []


@pytest.mark.parametrize("action", [DecisionAction.OVERRIDE, DecisionAction.RETURN_TO_SPECIALIST])
def test_overriding_or_returning_needs_reasons(action: DecisionAction) -> None:
    assert decision_refusals(action, " ", facts()) == [
        "Give the reasons for overriding or returning the recommendation."
    ]


@pytest.mark.parametrize("actor", [Actor.SPECIALIST, Actor.COMPANY_OFFICER, Actor.SYSTEM, None])
def test_only_supervisors_and_the_program_director_decide(actor: Actor | None) -> None:
    assert decision_refusals(DecisionAction.AGREE, "", facts(actor=actor, decider=OTHER_SUPERVISOR)) == [
        "Only a supervisor or the program director decides on a recommendation."
    ]


def test_nothing_to_decide_without_a_pending_recommendation() -> None:
    assert decision_refusals(DecisionAction.AGREE, "", facts(kind=None)) == [
        "No recommendation is waiting for a decision."
    ]


def test_separation_of_duties_the_recommender_may_not_approve_their_own_recommendation() -> None:
    """A supervisor who holds the file and recommended certification cannot agree with it."""
    own = facts(decider=SUPERVISOR, assigned=SUPERVISOR, recommended_by=SUPERVISOR)
    with pytest.raises(ReviewRefused) as refused:
        check_decision(DecisionAction.AGREE, "", own)
    assert refused.value.reasons == [
        "Separation of duties: you made this recommendation, so another supervisor must decide on it."
    ]
    check_decision(
        DecisionAction.AGREE,
        "",
        facts(decider=OTHER_SUPERVISOR, assigned=SUPERVISOR, recommended_by=SUPERVISOR),
    )


def test_separation_of_duties_the_file_holder_may_not_decide_either() -> None:
    held = facts(decider=SUPERVISOR, assigned=SUPERVISOR, recommended_by=SPECIALIST)
    assert decision_refusals(DecisionAction.AGREE, "", held) == [
        "Separation of duties: the application is in your portfolio, so another supervisor must decide."
    ]


@given(
    st.sampled_from(list(DecisionAction)),
    st.sampled_from([RecommendationKind.CERTIFY, RecommendationKind.REJECT]),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 4),
    st.sampled_from([Actor.SUPERVISOR, Actor.PROGRAM_DIRECTOR]),
)
def test_no_one_ever_decides_on_their_own_recommendation_or_file(
    action: DecisionAction,
    kind: RecommendationKind,
    decider: int,
    recommender: int,
    holder: int,
    actor: Actor,
) -> None:
    reasons = decision_refusals(
        action,
        "Reasons.",
        facts(decider=decider, actor=actor, assigned=holder, kind=kind, recommended_by=recommender),
    )
    assert (reasons == []) == (decider not in {recommender, holder})


def test_the_transition_each_decision_takes() -> None:
    cases = {
        (DecisionAction.AGREE, RecommendationKind.CERTIFY): "certify",
        (DecisionAction.AGREE, RecommendationKind.REJECT): "reject",
        (DecisionAction.OVERRIDE, RecommendationKind.CERTIFY): "reject",
        (DecisionAction.OVERRIDE, RecommendationKind.REJECT): "certify",
        (DecisionAction.RETURN_TO_SPECIALIST, RecommendationKind.CERTIFY): None,
        (DecisionAction.RETURN_TO_SPECIALIST, RecommendationKind.REJECT): None,
    }
    for (action, kind), transition in cases.items():
        assert decision_transition(action, kind) == transition
    for action in DecisionAction:
        assert decision_transition(action, RecommendationKind.RETURN_TO_PARTNER) is None


# --- Certificate numbers ---------------------------------------------------------------------


def test_certificate_numbers() -> None:
    assert certificate_number(2026, 1) == "CTPAT-2026-000001"
    assert certificate_number(2026, 999_999) == "CTPAT-2026-999999"
    assert certificate_number_parts("CTPAT-2026-000042") == (2026, 42)
    for year, sequence in [(2026, 0), (2026, 1_000_000), (26, 1)]:
        with pytest.raises(ValueError, match=r"sequence|year"):
            certificate_number(year, sequence)
    for text in ["CTPAT-2026-42", "CTPAT-2026-000000", "ctpat-2026-000001", "CTPAT-2026-0000001"]:
        with pytest.raises(ValueError, match="not a certificate number"):
            certificate_number_parts(text)


@given(st.integers(1000, 9999), st.integers(1, 999_998))
def test_certificate_numbers_round_trip_and_sort_in_issue_order(year: int, sequence: int) -> None:
    number = certificate_number(year, sequence)
    assert certificate_number_parts(number) == (year, sequence)
    assert number < certificate_number(year, sequence + 1)


def test_every_label_is_written() -> None:
    for member in itertools.chain(VettingCheckKind, RecommendationKind, DecisionAction):
        assert member.label
    assert all(kind.hint for kind in VettingCheckKind)
