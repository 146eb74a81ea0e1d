"""The transition table: every transition's sources, actors and guards."""

import pytest

from ctpat.core.lifecycle import (
    FINAL_STATUSES,
    TRANSITIONS,
    Actor,
    PartnerStatus,
    TransitionError,
    available_transitions,
    check_transition,
)

S = PartnerStatus
COMPLETE = {"eligible": True, "profile_complete": True, "agreement_signed": True}


def test_submit_needs_eligibility_completeness_and_signature() -> None:
    with pytest.raises(TransitionError) as caught:
        check_transition("submit", current=S.PRE_APPLICANT, actor=Actor.COMPANY_OFFICER, facts={})
    assert len(caught.value.reasons) == 3
    assert any("sign the partner agreement" in r for r in caught.value.reasons)


def test_submit_by_officer_when_complete() -> None:
    transition = check_transition(
        "submit", current=S.PRE_APPLICANT, actor=Actor.COMPANY_OFFICER, facts=COMPLETE
    )
    assert transition.target is S.APPLICANT


@pytest.mark.parametrize("actor", [Actor.SPECIALIST, Actor.SUPERVISOR, Actor.SYSTEM])
def test_only_the_company_officer_submits(actor: Actor) -> None:
    with pytest.raises(TransitionError, match="cannot be done by"):
        check_transition("submit", current=S.PRE_APPLICANT, actor=actor, facts=COMPLETE)


def test_a_submitted_application_cannot_be_submitted_again() -> None:
    with pytest.raises(TransitionError, match="not possible from the status"):
        check_transition("submit", current=S.APPLICANT, actor=Actor.COMPANY_OFFICER, facts=COMPLETE)


def test_return_to_partner_needs_a_reason() -> None:
    with pytest.raises(TransitionError, match="reason is required"):
        check_transition(
            "return_to_partner", current=S.UNDER_REVIEW, actor=Actor.SPECIALIST, facts={"reason": "  "}
        )
    ok = check_transition(
        "return_to_partner", current=S.UNDER_REVIEW, actor=Actor.SPECIALIST, facts={"reason": "x"}
    )
    assert ok.target is S.PRE_APPLICANT


def test_certification_needs_vetting_and_risk_assessment_and_a_supervisor() -> None:
    facts = {"vetting_complete": True, "risk_assessed": True}
    with pytest.raises(TransitionError):
        check_transition("certify", current=S.UNDER_REVIEW, actor=Actor.SPECIALIST, facts=facts)
    assert (
        check_transition("certify", current=S.UNDER_REVIEW, actor=Actor.SUPERVISOR, facts=facts).target
        is S.CERTIFIED
    )
    with pytest.raises(TransitionError, match="Vetting"):
        check_transition(
            "certify", current=S.UNDER_REVIEW, actor=Actor.SUPERVISOR, facts={"risk_assessed": True}
        )


def test_suspension_and_removal_are_the_program_directors() -> None:
    for name in ("suspend", "remove"):
        with pytest.raises(TransitionError):
            check_transition(name, current=S.CERTIFIED, actor=Actor.SUPERVISOR, facts={"reason": "x"})
        assert check_transition(
            name, current=S.CERTIFIED, actor=Actor.PROGRAM_DIRECTOR, facts={"reason": "x"}
        )


def test_reinstatement_needs_an_accepted_plan() -> None:
    with pytest.raises(TransitionError, match="corrective action plan"):
        check_transition("reinstate", current=S.SUSPENDED, actor=Actor.PROGRAM_DIRECTOR, facts={})


def test_final_statuses_have_no_way_out_but_a_granted_appeal_against_removal() -> None:
    for status in FINAL_STATUSES:
        for actor in Actor:
            names = [t.name for t in available_transitions(status, actor)]
            expected = ["restore"] if (status, actor) == (S.REMOVED, Actor.PROGRAM_DIRECTOR) else []
            assert names == expected


def test_every_status_is_reachable_from_pre_applicant() -> None:
    reached = {S.PRE_APPLICANT}
    frontier = [S.PRE_APPLICANT]
    while frontier:
        current = frontier.pop()
        for transition in TRANSITIONS.values():
            if current in transition.sources and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(S)


def test_unknown_transition() -> None:
    with pytest.raises(TransitionError, match="Unknown transition"):
        check_transition("teleport", current=S.APPLICANT, actor=Actor.SYSTEM, facts={})
