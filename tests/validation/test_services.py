"""The validation's services: planning, sites, the worksheet, findings, the report, the
partner's response, and the decision with its separation of duties and its lifecycle step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from ctpat.applications.evidence import EvidenceRejected
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import partner_tier
from ctpat.applications.services import partner_transition
from ctpat.core.lifecycle import PartnerStatus, TransitionError
from ctpat.core.validation_rules import DecisionInput, FindingKind, Outcome, Stage, WorksheetInput
from ctpat.notifications.models import Notification
from ctpat.validation import services
from ctpat.validation.models import (
    DecisionProposal,
    Finding,
    ProposalState,
    Validation,
    ValidationEvent,
    ValidationSite,
)
from tests.conftest import Personas
from tests.validation.conftest import PDF, Stages, criteria_for, membership_of

pytestmark = pytest.mark.django_db(transaction=False)


def _plan(personas: Personas, partner: Partner, **changes: object) -> Validation:
    today = timezone.localdate()
    arguments: dict[str, object] = {
        "actor": personas.sam,
        "membership": membership_of(personas.sam),
        "partner": partner,
        "lead": personas.sam,
        "team": [],
        "planned_start": today,
        "planned_end": today + timedelta(days=2),
    } | changes
    return services.validation_plan(**arguments)  # type: ignore[arg-type]


# --- Planning ----------------------------------------------------------------------------------


def test_plan_prefills_the_sites_from_the_facilities(personas: Personas, certified: Partner) -> None:
    validation = _plan(personas, certified)
    sites = {s.name: s for s in validation.sites.all()}
    assert set(sites) == {"Main warehouse", "Stuttgart plant"}
    assert str(sites["Main warehouse"].latitude) == "33.768300"
    assert sites["Stuttgart plant"].is_foreign
    assert validation.stage == Stage.PLANNED
    assert ValidationEvent.objects.filter(validation=validation, action="plan").count() == 1


def test_plan_refuses_a_partner_that_is_not_a_member(personas: Personas) -> None:
    with pytest.raises(ValidationError, match="certified, validated or corrective-action"):
        _plan(personas, personas.beta)


def test_plan_needs_specialists_and_sensible_dates(personas: Personas, certified: Partner) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        _plan(
            personas, certified, lead=personas.sue, team=[personas.pat], planned_end=today - timedelta(days=1)
        )
    assert set(refused.value.message_dict) == {"lead", "team", "planned_end"}


def test_one_open_validation_per_partner(personas: Personas, certified: Partner) -> None:
    _plan(personas, certified)
    with pytest.raises(ValidationError, match="already has an open validation"):
        _plan(personas, certified)


def test_plan_tells_the_team(
    personas: Personas, certified: Partner, stan: object, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _plan(personas, certified, team=[stan])
    assert Notification.objects.filter(user=stan, subject__contains="validation team").exists()


# --- Sites -------------------------------------------------------------------------------------


def test_a_no_go_zone_needs_a_reason_and_an_mra_replaces_only_a_foreign_visit(
    personas: Personas, stages: Stages
) -> None:
    validation = stages.planned()
    sam = membership_of(personas.sam)
    home = validation.sites.get(country="US")
    home.no_go = True
    with pytest.raises(ValidationError) as refused:
        services.site_save(actor=personas.sam, membership=sam, validation=validation, site=home)
    assert "no_go_reason" in refused.value.message_dict
    home.no_go, home.mra_partner, home.mra_reference = False, "EU", "AEO-1"
    with pytest.raises(ValidationError, match="foreign site"):
        services.site_save(actor=personas.sam, membership=sam, validation=validation, site=home)
    plant = validation.sites.get(country="DE")
    plant.mra_partner, plant.mra_reference = "EU", "AEO-DE-1"
    saved = services.site_save(actor=personas.sam, membership=sam, validation=validation, site=plant)
    assert saved.mode.value == "mra"
    new = ValidationSite(
        name="Border yard", city="Laredo", country="us", no_go=True, no_go_reason="Flooded road."
    )
    assert (
        services.site_save(actor=personas.sam, membership=sam, validation=validation, site=new).country
        == "US"
    )


def test_a_site_with_findings_cannot_be_removed(personas: Personas, stages: Stages) -> None:
    validation = stages.planned()
    site = validation.sites.get(country="US")
    services.finding_save(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        validation=validation,
        site=site,
        criterion=criteria_for(validation)[0],
        kind="compliant",
        narrative="",
    )
    with pytest.raises(ValidationError, match="findings"):
        services.site_remove(actor=personas.sam, membership=membership_of(personas.sam), site=site)


# --- The worksheet -----------------------------------------------------------------------------


def test_worksheet_saves_every_good_field_and_reports_the_bad_ones(
    personas: Personas, stages: Stages
) -> None:
    validation = stages.planned()
    site = validation.sites.get(country="US")
    typed = WorksheetInput(
        inspections={
            "container_7": {
                "front_wall": {"result": "ok", "note": ""},
                "floor": {"result": "issue", "note": ""},  # an issue without a note
                "roof": {"result": "ok", "note": ""},  # no such point
            },
            "trailer_10": {"fifth_wheel": {"result": "maybe", "note": "x"}},  # no such result
        },
        vvtt={"view": True, "verify": True, "tug": False, "twist": False},
        seal_class_seen="Q",
        seal_log_kept=False,
        observations="  Gate guard checks IDs.  ",
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = services.worksheet_save(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        site=site,
        worksheet=typed,
        visited_on=tomorrow,
    )
    assert set(errors) == {
        "container_7__floor__note",
        "container_7__roof__result",
        "trailer_10__fifth_wheel__result",
        "seal_class_seen",
        "visited_on",
    }
    site.refresh_from_db()
    assert site.inspections == {
        "container_7": {"front_wall": {"result": "ok", "note": ""}, "floor": {"result": "issue", "note": ""}}
    }
    assert site.vvtt == {"view": True, "verify": True}
    assert (site.seal_class_seen, site.seal_log_kept, site.observations) == (
        "",
        False,
        "Gate guard checks IDs.",
    )
    assert site.visited_on is None
    validation.refresh_from_db()
    assert validation.stage == Stage.FIELDWORK


def test_a_point_set_back_to_not_observed_is_cleared(personas: Personas, stages: Stages) -> None:
    validation = stages.fieldwork()
    site = validation.sites.get(country="US")
    typed = WorksheetInput(inspections={"container_7": {"floor": {"result": "", "note": ""}}}, vvtt={})
    services.worksheet_save(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        site=site,
        worksheet=typed,
        visited_on=None,
    )
    site.refresh_from_db()
    assert "floor" not in site.inspections["container_7"]
    assert "front_wall" in site.inspections["container_7"]


# --- Findings ----------------------------------------------------------------------------------


def test_finding_is_saved_cleared_and_keeps_the_narrative_on_a_bad_kind(
    personas: Personas, stages: Stages
) -> None:
    validation = stages.planned()
    criterion = criteria_for(validation)[0]
    sam = membership_of(personas.sam)

    def save(kind: str, narrative: str) -> tuple[Finding | None, dict[str, list[str]]]:
        return services.finding_save(
            actor=personas.sam,
            membership=sam,
            validation=validation,
            site=None,
            criterion=criterion,
            kind=kind,
            narrative=narrative,
        )

    finding, errors = save("major_deficiency", "")
    assert finding is not None and "narrative" in errors
    finding, errors = save("catastrophic", "Seals kept in an open drawer.")
    assert finding is not None and finding.kind == "major_deficiency" and "kind" in errors
    assert finding.narrative == "Seals kept in an open drawer."
    finding, errors = save("", "")
    assert finding is None and errors == {}
    assert not Finding.objects.filter(validation=validation).exists()


def test_finding_refuses_a_criterion_of_another_entity_type(personas: Personas, stages: Stages) -> None:
    validation = stages.planned()
    carrier_only = next(
        c for c in criteria_for(validation)[0].catalogue.criteria.all() if "importer" not in c.entity_types
    )
    with pytest.raises(ValidationError, match="does not apply"):
        services.finding_save(
            actor=personas.sam,
            membership=membership_of(personas.sam),
            validation=validation,
            site=None,
            criterion=carrier_only,
            kind="compliant",
            narrative="",
        )


def test_finding_evidence_is_checked(personas: Personas, stages: Stages) -> None:
    validation = stages.fieldwork()
    finding = validation.findings.get()
    sam = membership_of(personas.sam)
    stored = services.finding_evidence_add(
        actor=personas.sam, membership=sam, finding=finding, upload=SimpleUploadedFile("seal.pdf", PDF)
    )
    assert stored.content_type == "application/pdf" and stored.finding == finding
    with pytest.raises(EvidenceRejected):
        services.finding_evidence_add(
            actor=personas.sam,
            membership=sam,
            finding=finding,
            upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10),
        )


# --- The report and the response ---------------------------------------------------------------


def test_report_needs_findings_and_visit_dates(personas: Personas, stages: Stages) -> None:
    validation = stages.planned()
    with pytest.raises(ValidationError) as refused:
        services.report_send(
            actor=personas.sam, membership=membership_of(personas.sam), validation=validation
        )
    assert any("record the date of the visit" in m for m in refused.value.messages)
    assert any("at least one finding" in m for m in refused.value.messages)


def test_report_is_a_pdf_kept_as_sent_and_the_officers_are_told(
    personas: Personas, stages: Stages, django_capture_on_commit_callbacks: object
) -> None:
    validation = stages.fieldwork()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report = services.report_send(
            actor=personas.sam, membership=membership_of(personas.sam), validation=validation
        )
    assert bytes(report.pdf).startswith(b"%PDF")
    assert len(report.sha256) == 64
    told = set(
        Notification.objects.filter(subject__contains="validation report").values_list(
            "user__email", flat=True
        )
    )
    assert told == {personas.alice.email}  # the Company Officer only, not Beta's
    validation.refresh_from_db()
    assert validation.stage == Stage.REPORT_SENT
    with pytest.raises(ValidationError, match="can no longer change"):
        services.finding_save(
            actor=personas.sam,
            membership=membership_of(personas.sam),
            validation=validation,
            site=None,
            criterion=criteria_for(validation)[1],
            kind="compliant",
            narrative="",
        )


def test_response_needs_text_and_is_given_once(personas: Personas, stages: Stages) -> None:
    validation = stages.report_sent()
    alice = membership_of(personas.alice)
    with pytest.raises(ValidationError):
        services.response_submit(actor=personas.alice, membership=alice, validation=validation, text="  ")
    upload = SimpleUploadedFile("fix.pdf", PDF)
    response = services.response_submit(
        actor=personas.alice, membership=alice, validation=validation, text="Fixed.", uploads=[upload]
    )
    assert response.evidence.get().original_name == "fix.pdf"
    with pytest.raises(ValidationError, match="not possible"):
        services.response_submit(actor=personas.alice, membership=alice, validation=validation, text="Again.")


# --- The decision ------------------------------------------------------------------------------


def test_proposal_waits_for_the_response_window(personas: Personas, stages: Stages) -> None:
    validation = stages.report_sent()
    with pytest.raises(ValidationError, match="may respond until"):
        services.decision_propose(
            actor=personas.sam,
            membership=membership_of(personas.sam),
            validation=validation,
            decision=DecisionInput(Outcome.TIER_2),
        )


def test_proposal_must_be_allowed_by_the_findings(personas: Personas, stages: Stages) -> None:
    validation = stages.responded((FindingKind.COMPLIANT, FindingKind.MAJOR))
    for outcome in (Outcome.TIER_2, Outcome.TIER_3):
        with pytest.raises(ValidationError) as refused:
            services.decision_propose(
                actor=personas.sam,
                membership=membership_of(personas.sam),
                validation=validation,
                decision=DecisionInput(outcome),
            )
        assert "outcome" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.decision_propose(
            actor=personas.sam,
            membership=membership_of(personas.sam),
            validation=validation,
            decision=DecisionInput(Outcome.CORRECTIVE_ACTION),
        )
    assert set(refused.value.message_dict) == {"deadline", "corrective_items"}


def test_separation_of_duties_the_proposer_cannot_approve(personas: Personas, stages: Stages) -> None:
    # Sue (a supervisor) proposes; she may not approve her own proposal, Pat may.
    validation = stages.responded()
    proposal = services.decision_propose(
        actor=personas.sue,
        membership=membership_of(personas.sue),
        validation=validation,
        decision=DecisionInput(Outcome.TIER_2),
    )
    with pytest.raises(PermissionDenied, match="Separation of duties"):
        services.decision_approve(
            actor=personas.sue, membership=membership_of(personas.sue), proposal=proposal
        )
    with pytest.raises(PermissionDenied):
        services.decision_approve(
            actor=personas.sam, membership=membership_of(personas.sam), proposal=proposal
        )
    services.decision_approve(actor=personas.pat, membership=membership_of(personas.pat), proposal=proposal)
    assert Partner.objects.get(pk=personas.acme.pk).status == PartnerStatus.VALIDATED


def test_approval_validates_with_the_tier_in_one_transaction(
    personas: Personas, stages: Stages, django_capture_on_commit_callbacks: object
) -> None:
    proposal = stages.proposed(Outcome.TIER_3, (FindingKind.COMPLIANT, FindingKind.BEST_PRACTICE))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        approved = services.decision_approve(
            actor=personas.sue, membership=membership_of(personas.sue), proposal=proposal
        )
    event = PartnerEvent.objects.get(pk=approved.partner_event_id)
    assert (event.transition, event.details["tier"], event.actor) == ("validate", 3, personas.sue)
    assert event.details["validation_id"] == proposal.validation_id
    assert partner_tier(personas.acme).tier == 3
    assert Validation.objects.get(pk=proposal.validation_id).stage == Stage.DECIDED
    assert Notification.objects.filter(user=personas.alice, subject__contains="validation decided").exists()


def test_approval_requires_corrective_action_with_its_deadline(personas: Personas, stages: Stages) -> None:
    validation = stages.responded((FindingKind.MINOR,))
    deadline = timezone.localdate() + timedelta(days=30)
    proposal = services.decision_propose(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        validation=validation,
        decision=DecisionInput(
            Outcome.CORRECTIVE_ACTION, deadline=deadline, corrective_items="Keep a seal log."
        ),
    )
    services.decision_approve(actor=personas.sue, membership=membership_of(personas.sue), proposal=proposal)
    event = PartnerEvent.objects.filter(partner=personas.acme).latest("at", "id")
    assert event.transition == "require_corrective_action"
    assert event.details["deadline"] == deadline.isoformat() and "seal log" in event.reason
    assert Partner.objects.get(pk=personas.acme.pk).status == PartnerStatus.CORRECTIVE_ACTION


def test_a_suspension_recommendation_goes_to_the_director_and_suspends_nobody(
    personas: Personas, stages: Stages, django_capture_on_commit_callbacks: object
) -> None:
    validation = stages.responded((FindingKind.MAJOR,))
    proposal = services.decision_propose(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        validation=validation,
        decision=DecisionInput(Outcome.SUSPENSION_RECOMMENDED, rationale="Seal fraud suspected."),
    )
    events_before = PartnerEvent.objects.filter(partner=personas.acme).count()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.decision_approve(
            actor=personas.sue, membership=membership_of(personas.sue), proposal=proposal
        )
    assert PartnerEvent.objects.filter(partner=personas.acme).count() == events_before
    assert Partner.objects.get(pk=personas.acme.pk).status == PartnerStatus.CERTIFIED
    assert Notification.objects.filter(user=personas.pat, subject__contains="Suspension recommended").exists()
    assert not Notification.objects.filter(user=personas.alice, subject__contains="decided").exists()


def test_a_refused_transition_leaves_no_trace(personas: Personas, stages: Stages) -> None:
    proposal = stages.proposed()
    partner_transition(
        actor=personas.pat,
        membership=membership_of(personas.pat),
        partner=personas.acme,
        name="suspend",
        reason="Unrelated incident.",
    )
    with pytest.raises(TransitionError):
        services.decision_approve(
            actor=personas.sue, membership=membership_of(personas.sue), proposal=proposal
        )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PROPOSED
    assert Validation.objects.get(pk=proposal.validation_id).stage == Stage.PROPOSED


def test_a_returned_proposal_goes_back_with_a_note(personas: Personas, stages: Stages) -> None:
    proposal = stages.proposed()
    sue = membership_of(personas.sue)
    with pytest.raises(ValidationError):
        services.decision_return(actor=personas.sue, membership=sue, proposal=proposal, note="")
    services.decision_return(actor=personas.sue, membership=sue, proposal=proposal, note="Check 6.2 again.")
    validation = Validation.objects.get(pk=proposal.validation_id)
    assert validation.stage == Stage.RESPONDED
    assert DecisionProposal.objects.get(pk=proposal.pk).state == ProposalState.RETURNED
    again = services.decision_propose(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        validation=validation,
        decision=DecisionInput(Outcome.TIER_2),
    )
    assert again.state == ProposalState.PROPOSED


def test_every_stage_change_is_an_event(personas: Personas, stages: Stages) -> None:
    proposal = stages.proposed()
    services.decision_approve(actor=personas.sue, membership=membership_of(personas.sue), proposal=proposal)
    moves = list(
        ValidationEvent.objects.filter(validation_id=proposal.validation_id)
        .exclude(from_stage=F("to_stage"))
        .values_list("from_stage", "to_stage")
    )
    assert moves == [
        ("planned", "fieldwork"),
        ("fieldwork", "report_sent"),
        ("report_sent", "responded"),
        ("responded", "proposed"),
        ("proposed", "decided"),
    ]
