"""The incident services: reporting (and refused input that writes nothing), the late flag, the
agency's steps with their event rows and notifications, the investigation's history, the
non-compliance case, the analysis clock recomputed from the event rows, and ``incident_count``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.accounts.models import Organization, User
from ctpat.accounts.roles import OrganizationKind
from ctpat.applications.evidence import EvidenceRejected
from ctpat.compliance.models import ComplianceCase
from ctpat.core.incident_rules import IncidentState, IncidentStepRecord, analysis_clock
from ctpat.core.lifecycle import TransitionError
from ctpat.deadlines.registry import open_deadlines, registered_sources
from ctpat.incidents import selectors, services
from ctpat.incidents.models import EvidencePurpose, Incident, IncidentEvent, IncidentEvidence
from ctpat.notifications.models import Notification
from tests.conftest import Personas
from tests.incidents.conftest import Government, Stages, certify, incident_input, membership_of, pdf, report

S = IncidentState


def notified(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("subject", flat=True))


def nothing_written(media: Path) -> None:
    assert Incident.objects.count() == 0
    assert IncidentEvent.objects.count() == 0
    assert IncidentEvidence.objects.count() == 0
    assert Notification.objects.count() == 0
    assert not (media / "incidents").exists() or not any((media / "incidents").rglob("*"))


# --- Reporting ---------------------------------------------------------------------------------


def test_a_partner_report_is_self_reported_timed_by_the_system_and_tells_the_specialists(
    personas: Personas,
) -> None:
    before = timezone.now()
    incident = report(personas, happened_at=before - timedelta(days=2))
    assert incident.state == S.REPORTED and incident.self_reported
    assert before <= incident.reported_at <= timezone.now()
    assert incident.reported_by == personas.alice
    event = incident.events.get()
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "report",
        "",
        "reported",
        personas.alice,
    )
    assert event.details["late"] is False
    assert incident.evidence.get().purpose == EvidencePurpose.REPORT
    assert notified(personas.sam) == ["Incident reported by Acme Imports LLC: Seal discrepancy"]
    assert notified(personas.alice) == []


def test_the_assigned_specialist_alone_is_told(personas: Personas) -> None:
    stan = User.objects.create_user(email="stan@example.com", password="x", full_name="Stan")
    personas.acme.assigned_specialist = stan
    personas.acme.save()
    report(personas)
    assert notified(stan) and not notified(personas.sam)


def test_a_report_found_long_ago_is_late_by_the_policy(personas: Personas, settings: Any) -> None:
    incident = report(
        personas,
        found_at=timezone.now() - timedelta(hours=30),
        happened_at=timezone.now() - timedelta(days=2),
    )
    assert incident.events.get().details["late"] is True
    assert selectors.incident_is_late(incident)
    settings.INCIDENT_LATE_REPORT_HOURS = 48
    assert not selectors.incident_is_late(incident)


def test_the_agency_records_an_incident_it_found_and_tells_the_officers(personas: Personas) -> None:
    incident = services.incident_record(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        partner=personas.acme,
        data=incident_input(
            found_at=timezone.now() - timedelta(days=5), happened_at=timezone.now() - timedelta(days=6)
        ),
    )
    assert not incident.self_reported and incident.events.get().action == "record"
    assert not selectors.incident_is_late(incident)  # the agency found it: nothing was reported late
    assert notified(personas.alice) == ["The agency recorded an incident: Seal discrepancy"]
    assert notified(personas.bob) == []  # an employee, not a Company Officer


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"happened_at": timezone.now() + timedelta(days=1)},
            "happened_at",
            "cannot have happened in the future",
        ),
        (
            {"found_at": timezone.now() + timedelta(days=1)},
            "found_at",
            "cannot have been found in the future",
        ),
        (
            {"found_at": timezone.now() - timedelta(days=3)},
            "found_at",
            "cannot have been found before it happened",
        ),
        ({"country": "usa"}, "country", "two-letter ISO code"),
        ({"kind": "piracy"}, "kind", "Choose the type of incident"),
        ({"description": " "}, "description", "Describe what happened"),
        ({"seal_numbers": "S" * 201}, "seal_numbers", "at most 200 characters"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_written(
    personas: Personas, settings: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        report(personas, **overrides)
    assert message in " ".join(refused.value.message_dict[field])
    nothing_written(Path(settings.MEDIA_ROOT))


def test_a_file_of_a_wrong_type_is_refused_and_nothing_is_written(personas: Personas, settings: Any) -> None:
    program = SimpleUploadedFile("photo.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200))
    with pytest.raises(EvidenceRejected, match="not an allowed type"):
        services.incident_report(
            actor=personas.alice,
            membership=membership_of(personas.alice),
            partner=personas.acme,
            data=incident_input(),
            uploads=[pdf(), program],
        )
    nothing_written(Path(settings.MEDIA_ROOT))


def test_read_only_and_agency_roles_cannot_report(personas: Personas) -> None:
    for user in (personas.dave, personas.rita, personas.liam):
        with pytest.raises((PermissionDenied, TransitionError)):
            services.incident_report(
                actor=user, membership=membership_of(user), partner=personas.acme, data=incident_input()
            )
    assert Incident.objects.count() == 0


# --- The partner's investigation ---------------------------------------------------------------


def test_every_version_of_the_investigation_is_kept(personas: Personas, stages: Stages) -> None:
    incident = stages.reported(investigation="Checked the cameras.")
    bob = {"actor": personas.bob, "membership": membership_of(personas.bob), "incident": incident}
    services.investigation_update(
        **bob, investigation="Checked the cameras and the log.", corrective_actions="Retrained."
    )
    services.investigation_update(
        **bob,
        investigation="Checked the cameras and the log.",
        corrective_actions="Retrained; second seal check.",
        uploads=[pdf("training.pdf")],
    )
    incident.refresh_from_db()
    assert incident.corrective_actions == "Retrained; second seal check."
    assert incident.state == S.REPORTED  # editing is no step of the state machine
    history = selectors.investigation_history(incident)
    assert [e.details["corrective_actions"] for e in history] == [
        "",
        "Retrained.",
        "Retrained; second seal check.",
    ]
    assert [e.actor for e in history] == [personas.alice, personas.bob, personas.bob]
    assert incident.evidence.filter(purpose=EvidencePurpose.INVESTIGATION).count() == 1
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.investigation_update(
            **bob, investigation=incident.investigation, corrective_actions=incident.corrective_actions
        )


def test_no_update_after_closing(personas: Personas, stages: Stages) -> None:
    incident = stages.triaged()
    services.incident_close(
        actor=personas.sam, membership=membership_of(personas.sam), incident=incident, reason="Resolved."
    )
    with pytest.raises(TransitionError, match="not possible when the incident is closed"):
        services.investigation_update(
            actor=personas.alice,
            membership=membership_of(personas.alice),
            incident=incident,
            investigation="More.",
            corrective_actions="",
        )


# --- The agency's steps ------------------------------------------------------------------------


def test_triage_refer_and_close_write_an_event_each(
    personas: Personas, stages: Stages, gov: Government
) -> None:
    incident, referral = stages.referred()
    assert incident.state == S.REFERRED
    assert referral.agency == gov.ice and referral.referred_by == personas.sam
    assert notified(gov.ivy) == ["Incident referral from CBP: Seal discrepancy"]
    assert notified(gov.tess) == []
    services.incident_close(
        actor=personas.sue, membership=membership_of(personas.sue), incident=incident, reason="ICE took over."
    )
    events = list(incident.events.values_list("action", "from_state", "to_state", "actor__email", "reason"))
    assert events == [
        ("report", "", "reported", "alice@example.com", ""),
        ("triage", "reported", "triaged", "sam@example.com", "Seal mismatch; partner cooperates."),
        ("refer", "triaged", "referred", "sam@example.com", "Possible smuggling route."),
        ("close", "referred", "closed", "sue@example.com", "ICE took over."),
    ]
    assert incident.events.get(action="refer").details == {
        "agency_id": gov.ice.pk,
        "agency": gov.ice.name,
        "referral_id": referral.pk,
    }
    assert "Incident INC-" in notified(personas.alice)[-1]


def test_a_referral_goes_only_to_another_government_agency_and_once(
    personas: Personas, stages: Stages, gov: Government
) -> None:
    incident, _referral = stages.referred()
    sam = {"actor": personas.sam, "membership": membership_of(personas.sam), "incident": incident}
    mra = Organization.objects.get(kind=OrganizationKind.FOREIGN_CUSTOMS)
    for agency, message in ((mra, "Choose another government agency"), (gov.ice, "already been referred")):
        with pytest.raises(ValidationError, match=message):
            services.incident_refer(**sam, agency=agency, note="Again.")
    with pytest.raises(ValidationError, match="Say what the referral is for"):
        services.incident_refer(**sam, agency=gov.tsa, note=" ")
    assert incident.referrals.count() == 1
    services.incident_refer(**sam, agency=gov.tsa, note="Cargo screening concern.")
    assert incident.referrals.count() == 2


def test_no_referral_before_triage_and_not_by_read_only_staff(
    personas: Personas, stages: Stages, gov: Government
) -> None:
    incident = stages.reported()
    with pytest.raises(TransitionError, match="not possible when the incident is reported"):
        services.incident_refer(
            actor=personas.sam,
            membership=membership_of(personas.sam),
            incident=incident,
            agency=gov.ice,
            note="x",
        )
    with pytest.raises(PermissionDenied):
        services.incident_triage(
            actor=personas.rita, membership=membership_of(personas.rita), incident=incident, assessment="x"
        )
    assert incident.events.count() == 1


def test_analysis_requested_answered_and_the_specialist_told(personas: Personas, stages: Stages) -> None:
    incident = stages.analysis_requested()
    assert incident.state == S.ANALYSIS_REQUESTED
    assert notified(personas.alice)[-1].startswith("Post-incident analysis requested for INC-")
    analysis = services.analysis_submit(
        actor=personas.carol,
        membership=membership_of(personas.carol),
        incident=incident,
        text="Root cause: no seal check at handover.",
        uploads=[pdf("analysis.pdf")],
    )
    assert incident.state == S.ANALYSIS_RECEIVED
    assert (
        analysis.answered_by == personas.carol and analysis.evidence.get().purpose == EvidencePurpose.ANALYSIS
    )
    assert notified(personas.sam)[-1].startswith("Post-incident analysis received for INC-")
    assert selectors.incident_analysis_clock(incident) is None
    with pytest.raises(ValidationError, match="No post-incident analysis is awaiting an answer"):
        services.analysis_submit(
            actor=personas.carol, membership=membership_of(personas.carol), incident=incident, text="More."
        )


@pytest.mark.parametrize("days", [0, -3])
def test_an_analysis_cannot_be_due_today_or_earlier(personas: Personas, stages: Stages, days: int) -> None:
    incident = stages.triaged()
    with pytest.raises(ValidationError) as refused:
        services.analysis_request(
            actor=personas.sam,
            membership=membership_of(personas.sam),
            incident=incident,
            question="Why?",
            due=timezone.localdate() + timedelta(days=days),
        )
    assert refused.value.message_dict == {"due": ["The analysis must be due after today."]}
    assert incident.analysis_requests.count() == 0 and incident.events.count() == 2


def test_non_compliance_opens_a_case_for_a_member(personas: Personas, stages: Stages) -> None:
    certify(personas, personas.acme, personas.alice)
    incident = stages.triaged()
    event = services.incident_escalate(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        incident=incident,
        reason="Repeated seal failures.",
    )
    case = ComplianceCase.objects.get()
    assert (case.partner, case.incident_id, case.grounds) == (
        personas.acme,
        incident.pk,
        "Repeated seal failures.",
    )
    incident.refresh_from_db()
    assert incident.state == S.ESCALATED and incident.noncompliance_recommended
    assert incident.compliance_case_id == case.pk
    assert event.details == {"compliance_case_id": case.pk, "compliance_case": case.number}


def test_non_compliance_refused_by_the_compliance_workflow_writes_nothing(
    personas: Personas, stages: Stages
) -> None:
    incident = stages.triaged()  # Acme is only a pre-applicant: no case can be opened
    with pytest.raises(TransitionError):
        services.incident_escalate(
            actor=personas.sam, membership=membership_of(personas.sam), incident=incident, reason="Serious."
        )
    incident.refresh_from_db()
    assert incident.state == S.TRIAGED and not incident.noncompliance_recommended
    assert ComplianceCase.objects.count() == 0 and not incident.events.filter(action="escalate").exists()


# --- Deadlines ---------------------------------------------------------------------------------


def test_the_analysis_deadline_equals_a_recomputation_from_the_event_rows(
    personas: Personas, stages: Stages
) -> None:
    assert "post_incident_analysis" in registered_sources()
    incident = stages.analysis_requested(days=10)
    deadlines = [
        d for d in open_deadlines(partner_ids=[personas.acme.pk]) if d.source == "post_incident_analysis"
    ]
    assert len(deadlines) == 1
    records = [
        IncidentStepRecord(
            e.action,
            e.at,
            timezone.localdate() + timedelta(days=10) if e.action == "request_analysis" else None,
        )
        for e in IncidentEvent.objects.filter(incident=incident)
    ]
    recomputed = analysis_clock(records)
    assert recomputed is not None
    tz = timezone.get_current_timezone()
    assert deadlines[0].due == recomputed.due(tz) and deadlines[0].started == recomputed.started
    assert recomputed.due_date == incident.analysis_requests.get().due
    assert deadlines[0].key == f"incident:{incident.pk}:analysis"
    assert [u.email for u in deadlines[0].recipients] == ["alice@example.com"]
    assert open_deadlines(partner_ids=[personas.beta.pk]) == [] or all(
        d.source != "post_incident_analysis" for d in open_deadlines(partner_ids=[personas.beta.pk])
    )


def test_an_answered_or_closed_incident_has_no_analysis_deadline(personas: Personas, stages: Stages) -> None:
    incident = stages.analysis_requested()
    services.incident_close(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        incident=incident,
        reason="Withdrawn request.",
    )
    assert not [
        d for d in open_deadlines(partner_ids=[personas.acme.pk]) if d.source == "post_incident_analysis"
    ]


def test_an_overdue_analysis_is_flagged(personas: Personas, stages: Stages) -> None:
    incident = stages.analysis_requested(days=5)
    IncidentEvent.objects.filter(incident=incident, action="request_analysis").update(
        details={"due": (timezone.localdate() - timedelta(days=1)).isoformat()}
    )
    rows = selectors.incident_rows(Incident.objects.filter(pk=incident.pk))
    assert rows[0].analysis_overdue


# --- incident_count ----------------------------------------------------------------------------


def test_incident_count(personas: Personas, stages: Stages) -> None:
    assert selectors.incident_count(personas.acme) == 0
    first = stages.reported()
    stages.reported()
    Incident.objects.filter(pk=first.pk).update(reported_at=timezone.now() - timedelta(days=400))
    assert selectors.incident_count(personas.acme) == 2
    assert selectors.incident_count(personas.acme, since=timezone.now() - timedelta(days=365)) == 1
    assert selectors.incident_count(personas.acme, since=timezone.localdate() - timedelta(days=365)) == 1
    assert selectors.incident_count(personas.beta) == 0
