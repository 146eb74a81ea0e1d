"""The review's services: assignment, vetting, the risk assessment, recommendations and the
supervisor's decision (with separation of duties), certificates and who is told of each step."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.accounts.models import Organization
from ctpat.accounts.roles import OrganizationKind
from ctpat.applications.evidence import EvidenceRejected
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import partner_clocks, partner_tier
from ctpat.business_partners.demo import demo_lists_load
from ctpat.core.clocks import ClockKind
from ctpat.core.decisions import DecisionAction, RecommendationKind, ReviewRefused, VettingCheckKind
from ctpat.core.lifecycle import PartnerStatus, TransitionError
from ctpat.core.risk import AssessmentStep
from ctpat.notifications.models import Notification
from ctpat.review import selectors, services
from ctpat.review.models import Assignment, Certificate, SupervisorDecision, Team, TeamMember, VettingCheck
from tests.conftest import Personas
from tests.review.conftest import assign, decide, membership_of, recommend, start_review, vet_and_assess

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def notes_for(user: Any, *, after: int = 0) -> list[str]:
    """The subjects of the messages a user got (after the message ID ``after``)."""
    rows = Notification.objects.filter(user=user, pk__gt=after).order_by("pk")
    return list(rows.values_list("subject", flat=True))


def last_note_id() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- Assignment ------------------------------------------------------------------------------


def test_assignment_is_recorded_and_the_specialist_told(
    personas: Personas, submitted: Partner, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_make(
            actor=personas.sue,
            membership=membership_of(personas.sue),
            partner=submitted,
            specialist=personas.sam,
            note="Importer from CN; check the seal logs.",
        )
    row = Assignment.objects.get()
    assert (row.partner, row.specialist, row.assigned_by, row.previous_specialist) == (
        submitted,
        personas.sam,
        personas.sue,
        None,
    )
    assert row.note == "Importer from CN; check the seal logs."
    assert [s["specialist_id"] for s in row.suggestion] == [personas.sam.pk]  # the suggestion shown
    submitted.refresh_from_db()
    assert submitted.assigned_specialist == personas.sam
    assert submitted.status == PartnerStatus.APPLICANT  # assignment is not a status change
    assert notes_for(personas.sam) == ["Application assigned to you: Acme Imports LLC"]


def test_reassignment_keeps_the_history(personas: Personas, submitted: Partner) -> None:
    assign(submitted, by=personas.sue, to=personas.sam)
    assign(submitted, by=personas.pat, to=personas.sue)
    latest = Assignment.objects.first()
    assert latest is not None
    assert (latest.specialist, latest.previous_specialist, latest.assigned_by) == (
        personas.sue,
        personas.sam,
        personas.pat,
    )
    assert Assignment.objects.count() == 2


def test_assignment_refusals(personas: Personas, submitted: Partner) -> None:
    with pytest.raises(ReviewRefused, match="Only a supervisor or the program director"):
        services.assignment_make(
            actor=personas.sam,
            membership=membership_of(personas.sam),
            partner=submitted,
            specialist=personas.sam,
        )
    for person in (personas.rita, personas.alice, personas.nora):
        with pytest.raises(ValidationError):
            assign(submitted, by=personas.sue, to=person)
    with pytest.raises(ReviewRefused, match="Only a submitted application"):
        assign(personas.beta, by=personas.sue, to=personas.sam)  # never submitted
    assign(submitted, by=personas.sue, to=personas.sam)
    with pytest.raises(ReviewRefused, match="already assigned"):
        assign(submitted, by=personas.sue, to=personas.sam)


def test_suggestions_weigh_experience_against_workload(personas: Personas, submitted: Partner) -> None:
    # Sam held an importer before (experience +2), and holds one open application (-1): 1 point.
    other = submitted
    assign(other, by=personas.sue, to=personas.sam)
    newcomer = Partner.objects.create(
        organization=Organization.objects.create(name="Newcomer", kind=OrganizationKind.PARTNER),
        entity_type="importer",
        legal_name="Newcomer",
        status="applicant",
    )
    suggestions = selectors.assignment_suggestions(newcomer, candidates=[personas.sam, personas.sue])
    assert [(s.specialist, s.experience, s.workload, s.points) for s in suggestions] == [
        (personas.sam, 1, 1, 1),
        (personas.sue, 0, 0, 0),
    ]
    assert "1 earlier file(s) of this entity type" in suggestions[0].why
    # A second open file outweighs the experience: Sue comes first.
    Partner.objects.filter(pk=personas.beta.pk).update(status="applicant", assigned_specialist=personas.sam)
    again = selectors.assignment_suggestions(newcomer, candidates=[personas.sam, personas.sue])
    assert [s.specialist for s in again] == [personas.sue, personas.sam]


def test_a_supervisors_suggestions_come_from_their_team(personas: Personas) -> None:
    team = Team.objects.create(name="Atlantic", supervisor=personas.sue)
    assert selectors.supervisors_of(personas.sam) == [personas.sue]  # no team: every supervisor
    TeamMember.objects.create(team=team, specialist=personas.sam)
    assert selectors.suggestion_candidates(membership_of(personas.sue)) == [personas.sam]
    assert selectors.suggestion_candidates(membership_of(personas.pat)) == [personas.sam]
    assert selectors.supervisors_of(personas.sam) == [personas.sue]


# --- Vetting ---------------------------------------------------------------------------------


def test_vetting_checks_are_recorded_with_who_and_when_and_the_latest_counts(
    personas: Personas, assigned: Partner
) -> None:
    sam = membership_of(personas.sam)
    kind = VettingCheckKind.OPEN_SOURCE
    services.vetting_check_record(
        actor=personas.sam, membership=sam, partner=assigned, kind=kind, result="News hit.", derogatory=True
    )
    services.vetting_check_record(
        actor=personas.sam,
        membership=sam,
        partner=assigned,
        kind=kind,
        result="The news item is about another company of that name.",
        derogatory=False,
        notes="Checked the registry number.",
        upload=SimpleUploadedFile("registry.pdf", PDF),
    )
    item = next(i for i in selectors.vetting_checklist(assigned) if i.kind is kind)
    assert item.latest is not None and not item.latest.derogatory
    assert (item.latest.recorded_by, item.latest.notes) == (personas.sam, "Checked the registry number.")
    assert (
        item.latest.evidence_name == "registry.pdf" and item.latest.evidence_content_type == "application/pdf"
    )
    assert item.latest.evidence_file.read() == PDF
    assert [c.result for c in item.earlier] == ["News hit."]
    assert selectors.derogatory_checks(assigned) == []
    assert not selectors.vetting_complete(assigned)


def test_vetting_refuses_blank_results_bad_files_and_closed_files(
    personas: Personas, assigned: Partner
) -> None:
    sam = membership_of(personas.sam)
    record = services.vetting_check_record
    with pytest.raises(ValidationError):
        record(
            actor=personas.sam,
            membership=sam,
            partner=assigned,
            kind=VettingCheckKind.IDENTIFIERS,
            result=" ",
            derogatory=False,
        )
    with pytest.raises(EvidenceRejected):
        record(
            actor=personas.sam,
            membership=sam,
            partner=assigned,
            kind=VettingCheckKind.IDENTIFIERS,
            result="OK",
            derogatory=False,
            upload=SimpleUploadedFile("evil.pdf", b"MZ\x90\x00" + bytes(200)),
        )
    assert VettingCheck.objects.count() == 0
    with pytest.raises(ReviewRefused, match="the review is recorded while it is submitted or under review"):
        record(
            actor=personas.sam,
            membership=sam,
            partner=personas.beta,
            kind=VettingCheckKind.IDENTIFIERS,
            result="OK",
            derogatory=False,
        )


def test_the_screening_button_runs_the_applicant_screening_and_records_it(
    personas: Personas, assigned: Partner
) -> None:
    sam = membership_of(personas.sam)
    with pytest.raises(ReviewRefused, match="No restricted-party list is loaded"):
        services.vetting_screening_run(actor=personas.sam, membership=sam, partner=assigned)
    demo_lists_load()
    check = services.vetting_screening_run(actor=personas.sam, membership=sam, partner=assigned)
    assert check.kind == VettingCheckKind.RESTRICTED_PARTY
    assert check.screening is not None and check.screening.partner == assigned
    assert "OFAC-SDN of 2024-01-02" in check.result
    assert check.derogatory == (check.screening.hit_count > 0)


def test_a_listed_applicant_is_flagged_derogatory(personas: Personas, assigned: Partner) -> None:
    demo_lists_load()
    Partner.objects.filter(pk=assigned.pk).update(doing_business_as="Banco Nacional de Cuba")
    assigned.refresh_from_db()
    check = services.vetting_screening_run(
        actor=personas.sam, membership=membership_of(personas.sam), partner=assigned
    )
    assert check.derogatory and "possible match" in check.result
    assert "record this check again" in check.notes


# --- Risk ------------------------------------------------------------------------------------


def test_risk_is_assessed_once_the_score_is_recorded_and_five_steps_written(
    personas: Personas, assigned: Partner
) -> None:
    sam = membership_of(personas.sam)
    for step in list(AssessmentStep)[:4]:
        services.assessment_step_save(
            actor=personas.sam, membership=sam, partner=assigned, step=step, text="Done."
        )
    services.risk_score_record(actor=personas.sam, membership=sam, partner=assigned)
    assert not selectors.risk_assessed(assigned)
    services.assessment_step_save(
        actor=personas.sam,
        membership=sam,
        partner=assigned,
        step=AssessmentStep.DOCUMENTATION,
        text="  Kept in the file.  ",
    )
    assert selectors.risk_assessed(assigned)
    assessment = selectors.assessment_of(assigned)
    assert assessment is not None and assessment.documentation == "Kept in the file."
    assert assessment.updated_by == personas.sam


def test_the_recorded_score_keeps_every_contribution(personas: Personas, assigned: Partner) -> None:
    record = services.risk_score_record(
        actor=personas.sam, membership=membership_of(personas.sam), partner=assigned
    )
    live = selectors.risk_score_live(assigned)
    assert record.total == live.total and record.level == live.level
    assert sum(Decimal(c["points"]) for c in record.contributions) == record.total
    details = [c["detail"] for c in record.contributions]
    assert any(d.startswith("CN: Medium threat") and "60" in d for d in details)  # the builder's origin
    assert "Importer: inherent exposure of the business model" in details


def test_derogatory_vetting_raises_the_score(personas: Personas, assigned: Partner) -> None:
    before = selectors.risk_score_live(assigned).total
    services.vetting_check_record(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        partner=assigned,
        kind=VettingCheckKind.LAW_ENFORCEMENT,
        result="Open investigation.",
        derogatory=True,
    )
    assert selectors.risk_score_live(assigned).total == before + 25


# --- Recommendation --------------------------------------------------------------------------


def test_recommending_certification_tells_the_supervisors(
    personas: Personas, ready: Partner, django_capture_on_commit_callbacks: Any
) -> None:
    mark = last_note_id()
    with django_capture_on_commit_callbacks(execute=True):
        recommend(ready, personas.sam)
    pending = selectors.pending_recommendation(ready)
    assert pending is not None and (pending.kind, pending.recommended_by) == ("certify", personas.sam)
    assert notes_for(personas.sue, after=mark) == ["Recommendation to decide: Acme Imports LLC"]
    assert ready.status == PartnerStatus.UNDER_REVIEW  # nothing decided yet


def test_a_return_to_the_partner_pauses_the_clock_and_tells_the_officers(
    personas: Personas, assigned: Partner, django_capture_on_commit_callbacks: Any
) -> None:
    mark = last_note_id()
    with django_capture_on_commit_callbacks(execute=True):
        recommend(
            assigned, personas.sam, RecommendationKind.RETURN_TO_PARTNER, "Attach the seal log procedure."
        )
    assigned.refresh_from_db()
    assert assigned.status == PartnerStatus.PRE_APPLICANT
    clock = next(c for c in partner_clocks(assigned) if c.kind == ClockKind.CERTIFICATION)
    assert clock.paused_since is not None
    recommendation = selectors.recommendations_of(assigned).get()
    assert (
        recommendation.partner_event is not None
        and recommendation.partner_event.transition == "return_to_partner"
    )
    assert selectors.pending_recommendation(assigned) is None  # nothing waits for a supervisor
    assert notes_for(personas.alice, after=mark) == ["Your CTPAT application needs more information"]


def test_recommendation_refusals(personas: Personas, assigned: Partner) -> None:
    with pytest.raises(ReviewRefused) as refused:
        recommend(assigned, personas.sam)
    assert "Vetting must be complete" in refused.value.reasons[0]
    with pytest.raises(ReviewRefused, match="Only the specialist the application is assigned to"):
        recommend(assigned, personas.sue, RecommendationKind.REJECT, "Derogatory.")
    with pytest.raises(ReviewRefused, match="Give the reasons"):
        recommend(assigned, personas.sam, RecommendationKind.REJECT, "")


def test_one_recommendation_waits_at_a_time(personas: Personas, recommended: Partner) -> None:
    with pytest.raises(ReviewRefused, match="already waiting"):
        recommend(recommended, personas.sam, RecommendationKind.REJECT, "Changed my mind.")


# --- Decision --------------------------------------------------------------------------------


def test_agreeing_certifies_issues_the_certificate_and_tells_everyone(
    personas: Personas, recommended: Partner, django_capture_on_commit_callbacks: Any
) -> None:
    mark = last_note_id()
    with django_capture_on_commit_callbacks(execute=True):
        decide(recommended, personas.sue)
    recommended.refresh_from_db()
    assert recommended.status == PartnerStatus.CERTIFIED
    event = PartnerEvent.objects.get(partner=recommended, transition="certify")
    assert (event.actor, event.details["tier"]) == (personas.sue, 1)
    assert partner_tier(recommended).tier == 1
    decision = SupervisorDecision.objects.get()
    assert (decision.action, decision.transition, decision.partner_event) == ("agree", "certify", event)
    certificate = Certificate.objects.get()
    year = timezone.localtime(event.at).year
    assert certificate.number == f"CTPAT-{year}-000001"
    assert (certificate.company_name, certificate.entity_type, certificate.tier) == (
        "Acme Imports LLC",
        "importer",
        1,
    )
    validation = next(c for c in partner_clocks(recommended) if c.kind == ClockKind.VALIDATION)
    assert certificate.validation_due == timezone.localtime(validation.due).date()
    assert certificate.partner_event == event
    assert notes_for(personas.sam, after=mark) == [
        "Decision on your recommendation for Acme Imports LLC: Agree with the recommendation"
    ]
    assert notes_for(personas.alice, after=mark) == ["Acme Imports LLC is certified: CTPAT Tier 1"]
    assert notes_for(personas.bob, after=mark) == []  # only Company Officers are told


def test_certificate_numbers_run_in_sequence_within_a_year(personas: Personas, certified: Partner) -> None:
    first = Certificate.objects.get()
    event = PartnerEvent.objects.create(
        partner=personas.beta, transition="certify", from_status="under_review", to_status="certified",
        actor=personas.sue, actor_role="supervisor", at=timezone.now(),
    )  # fmt: skip
    second = services.certificate_issue(partner=personas.beta, event=event, actor=personas.sue)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.number.endswith("-000002") and second.year == first.year


def test_override_takes_the_other_decision_with_reasons(
    personas: Personas, recommended: Partner, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(ReviewRefused, match="Give the reasons"):
        decide(recommended, personas.sue, DecisionAction.OVERRIDE)
    mark = last_note_id()
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            recommended,
            personas.sue,
            DecisionAction.OVERRIDE,
            "Unresolved derogatory information about the officer.",
        )
    recommended.refresh_from_db()
    assert recommended.status == PartnerStatus.REJECTED
    event = PartnerEvent.objects.get(partner=recommended, transition="reject")
    assert event.reason == "Unresolved derogatory information about the officer."
    assert not Certificate.objects.exists()
    assert notes_for(personas.alice, after=mark) == ["Your CTPAT application was not accepted"]


def test_agreeing_with_a_rejection_uses_the_specialists_reasons(personas: Personas, ready: Partner) -> None:
    recommend(ready, personas.sam, RecommendationKind.REJECT, "False statements about the seal program.")
    decide(ready, personas.pat)
    event = PartnerEvent.objects.get(partner=ready, transition="reject")
    assert (event.actor, event.reason) == (personas.pat, "False statements about the seal program.")


def test_returning_the_recommendation_lets_the_specialist_recommend_again(
    personas: Personas, recommended: Partner, django_capture_on_commit_callbacks: Any
) -> None:
    mark = last_note_id()
    with django_capture_on_commit_callbacks(execute=True):
        decide(recommended, personas.sue, DecisionAction.RETURN_TO_SPECIALIST, "Check the seal logs first.")
    recommended.refresh_from_db()
    assert recommended.status == PartnerStatus.UNDER_REVIEW
    assert selectors.pending_recommendation(recommended) is None
    assert notes_for(personas.alice, after=mark) == []  # the partner is not concerned
    assert notes_for(personas.sam, after=mark) == [
        "Decision on your recommendation for Acme Imports LLC: Return the recommendation to the specialist"
    ]
    recommend(recommended, personas.sam)
    assert selectors.pending_recommendation(recommended) is not None


def test_override_to_certify_still_needs_vetting_and_risk(personas: Personas, assigned: Partner) -> None:
    recommend(assigned, personas.sam, RecommendationKind.REJECT, "Incomplete profile.")
    with pytest.raises(TransitionError) as refused:
        decide(assigned, personas.sue, DecisionAction.OVERRIDE, "The profile is fine.")
    assert "Vetting must be complete before certification." in refused.value.reasons
    assigned.refresh_from_db()
    assert assigned.status == PartnerStatus.UNDER_REVIEW
    assert not SupervisorDecision.objects.exists()


def test_a_specialist_cannot_decide(personas: Personas, recommended: Partner) -> None:
    with pytest.raises(ReviewRefused, match="Only a supervisor or the program director decides"):
        decide(recommended, personas.sam)


def test_nothing_to_decide_without_a_recommendation(personas: Personas, ready: Partner) -> None:
    with pytest.raises(ReviewRefused, match="No recommendation is waiting"):
        decide(ready, personas.sue)


# --- Separation of duties --------------------------------------------------------------------


def test_separation_of_duties_a_supervisor_cannot_approve_their_own_recommendation(
    personas: Personas, submitted: Partner
) -> None:
    """Sue takes the file herself (she is a supervisor and the specialist on it), vets,
    assesses and recommends certification; she may not agree with it, Pat may."""
    assign(submitted, by=personas.pat, to=personas.sue)
    start_review(submitted, personas.sue)
    vet_and_assess(submitted, personas.sue)
    recommend(submitted, personas.sue)
    for action, reason in [
        (DecisionAction.AGREE, ""),
        (DecisionAction.OVERRIDE, "Other way."),
        (DecisionAction.RETURN_TO_SPECIALIST, "Again."),
    ]:
        with pytest.raises(ReviewRefused, match="Separation of duties"):
            decide(submitted, personas.sue, action, reason)
    submitted.refresh_from_db()
    assert submitted.status == PartnerStatus.UNDER_REVIEW
    decide(submitted, personas.pat)
    submitted.refresh_from_db()
    assert submitted.status == PartnerStatus.CERTIFIED


def test_separation_of_duties_holds_after_the_file_is_reassigned(
    personas: Personas, submitted: Partner
) -> None:
    """Sue recommends, then hands the file to Sam: she still may not decide on her recommendation."""
    assign(submitted, by=personas.pat, to=personas.sue)
    start_review(submitted, personas.sue)
    vet_and_assess(submitted, personas.sue)
    recommend(submitted, personas.sue)
    assign(submitted, by=personas.pat, to=personas.sam)
    with pytest.raises(ReviewRefused, match="you made this recommendation"):
        decide(submitted, personas.sue)


def test_the_clock_resumes_when_the_partner_resubmits(personas: Personas, assigned: Partner) -> None:
    from ctpat.applications.services import agreement_sign, application_submit

    recommend(assigned, personas.sam, RecommendationKind.RETURN_TO_PARTNER, "Attach the seal log.")
    # The application was submitted 30 days ago and returned 10 days ago.
    for transition, days in [("submit", 30), ("start_review", 29), ("return_to_partner", 10)]:
        PartnerEvent.objects.filter(transition=transition).update(at=timezone.now() - timedelta(days=days))
    first_submission = PartnerEvent.objects.get(transition="submit").at
    alice = membership_of(personas.alice)
    agreement_sign(actor=personas.alice, membership=alice, partner=assigned)
    application_submit(actor=personas.alice, membership=alice, partner=assigned)
    clock = next(c for c in partner_clocks(assigned) if c.kind == ClockKind.CERTIFICATION)
    assert clock.paused_since is None
    # The ten days with the partner are added; the agency's twenty are not given back.
    assert abs(clock.due - (first_submission + timedelta(days=100))) < timedelta(seconds=5)
    # The resubmitted file is still Sam's, back in his portfolio as a submitted application.
    assigned.refresh_from_db()
    assert assigned.assigned_specialist == personas.sam and assigned.status == PartnerStatus.APPLICANT


def test_a_return_by_another_path_supersedes_the_waiting_recommendation(
    personas: Personas, recommended: Partner
) -> None:
    """The inbox's own "return to partner" (not through the review) still ends the wait: after the
    partner resubmits, the old recommendation cannot be agreed with, and a new one can be made."""
    from ctpat.applications.services import agreement_sign, application_return, application_submit

    application_return(
        actor=personas.sue, membership=membership_of(personas.sue), partner=recommended, reason="More."
    )
    assert selectors.pending_recommendation(recommended) is None
    alice = membership_of(personas.alice)
    agreement_sign(actor=personas.alice, membership=alice, partner=recommended)
    application_submit(actor=personas.alice, membership=alice, partner=recommended)
    start_review(recommended, personas.sam)
    with pytest.raises(ReviewRefused, match="No recommendation is waiting"):
        decide(recommended, personas.sue)
    recommend(recommended, personas.sam)
    decide(recommended, personas.sue)
    recommended.refresh_from_db()
    assert recommended.status == PartnerStatus.CERTIFIED
