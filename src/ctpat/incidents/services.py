"""Writes to incidents. Each service takes the acting user and membership, runs in one
transaction, checks the step against ``core.incident_rules``, writes an ``IncidentEvent`` and
tells people through ``notify`` (the e-mails leave once the transaction has committed).

Input is checked before anything is written: a refused date or file leaves no incident, no
event row and no stored file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, TypeAlias

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import AGENCY_DECIDERS, PARTNER_EDITORS, OrganizationKind
from ctpat.applications.evidence import InspectedFile, inspect_upload
from ctpat.applications.models import Partner
from ctpat.compliance.services import case_open
from ctpat.core.incident_rules import (
    IncidentKind,
    IncidentState,
    Party,
    analysis_due_error,
    check_step,
    incident_time_errors,
    is_late,
)
from ctpat.incidents import selectors
from ctpat.incidents.models import (
    AnalysisRequest,
    EvidencePurpose,
    Incident,
    IncidentEvent,
    IncidentEvidence,
    Referral,
)
from ctpat.notifications.services import notify

Uploads: TypeAlias = Sequence["UploadedFile[bytes]"]


@dataclass(frozen=True)
class IncidentInput:
    """What a reporter gives about an incident (the report time is set by the system)."""

    kind: str
    happened_at: datetime | None
    found_at: datetime | None
    place: str
    country: str
    description: str
    bill_of_lading: str = ""
    entry_number: str = ""
    conveyance: str = ""
    seal_numbers: str = ""
    investigation: str = ""
    corrective_actions: str = ""


def _party(membership: Membership) -> Party:
    if membership.role in PARTNER_EDITORS:
        return Party.PARTNER
    if membership.role in AGENCY_DECIDERS:
        return Party.AGENCY
    raise PermissionDenied(
        _("Your role (%(role)s) may not do this.") % {"role": membership.get_role_display()}
    )


def _step(
    *,
    incident: Incident,
    name: str,
    actor: User,
    membership: Membership,
    reason: str = "",
    facts: Mapping[str, object] | None = None,
    details: dict[str, Any] | None = None,
) -> IncidentEvent:
    """Take one step on the (locked) incident and record it."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    current = IncidentState(locked.state)
    target = check_step(
        name, current=current, party=_party(membership), facts={**(facts or {}), "reason": reason}
    )
    if target != current:
        locked.state = target
        locked.save(update_fields=["state", "updated_at"])
    incident.state = target
    return IncidentEvent.objects.create(
        incident=locked,
        action=name,
        from_state=current,
        to_state=target,
        actor=actor,
        actor_role=membership.role,
        reason=reason,
        details=details or {},
        at=timezone.now(),
    )


def _detail_url(incident: Incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


# --- Reporting ---------------------------------------------------------------------------------


def _input_errors(data: IncidentInput, *, now: datetime) -> dict[str, list[str]]:
    errors = incident_time_errors(happened_at=data.happened_at, found_at=data.found_at, now=now)
    if data.kind not in {k.value for k in IncidentKind}:
        errors["kind"] = [_("Choose the type of incident.")]
    if not data.place.strip():
        errors["place"] = [_("Say where the incident happened.")]
    if len(data.country) != 2 or not data.country.isalpha() or not data.country.isupper():
        errors["country"] = [_("Give the country as a two-letter ISO code, e.g. US or MX.")]
    if not data.description.strip():
        errors["description"] = [_("Describe what happened.")]
    return errors


def _inspect(uploads: Uploads) -> list[tuple[UploadedFile[bytes], InspectedFile]]:
    """Check every file before anything is written; EvidenceRejected names the first refused."""
    return [(upload, inspect_upload(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)) for upload in uploads]


def _store(
    incident: Incident,
    files: list[tuple[UploadedFile[bytes], InspectedFile]],
    *,
    actor: User,
    purpose: EvidencePurpose,
    analysis: AnalysisRequest | None = None,
) -> list[IncidentEvidence]:
    stored = []
    for upload, inspected in files:
        evidence = IncidentEvidence(
            incident=incident,
            purpose=purpose,
            analysis=analysis,
            original_name=inspected.original_name,
            content_type=inspected.content_type,
            size=inspected.size,
            sha256=inspected.sha256,
            uploaded_by=actor,
        )
        evidence.file.save(inspected.sha256, upload, save=False)
        try:
            evidence.save()
        except Exception:
            evidence.file.delete(save=False)
            raise
        stored.append(evidence)
    return stored


def _create(
    *, actor: User, membership: Membership, partner: Partner, data: IncidentInput, uploads: Uploads, step: str
) -> Incident:
    now = timezone.now()
    errors = _input_errors(data, now=now)
    if errors:
        raise ValidationError(errors)
    files = _inspect(uploads)
    target = check_step(step, current=None, party=_party(membership), facts={})
    assert data.happened_at is not None and data.found_at is not None  # checked above
    fields = {
        name: value.strip() if isinstance(value, str) else value for name, value in asdict(data).items()
    }
    incident = Incident(
        partner=partner,
        state=target,
        self_reported=step == "report",
        reported_at=now,
        reported_by=actor,
        **fields,
    )
    incident.full_clean(exclude=["partner", "reported_by"])
    incident.save()
    _store(incident, files, actor=actor, purpose=EvidencePurpose.REPORT)
    late = step == "report" and is_late(
        found_at=data.found_at, reported_at=now, policy=selectors.late_report_policy()
    )
    IncidentEvent.objects.create(
        incident=incident,
        action=step,
        from_state="",
        to_state=target,
        actor=actor,
        actor_role=membership.role,
        details={
            "kind": data.kind,
            "late": late,
            "investigation": incident.investigation,
            "corrective_actions": incident.corrective_actions,
            "files": [f.original_name for _u, f in files],
        },
        at=now,
    )
    return incident


@transaction.atomic
def incident_report(
    *, actor: User, membership: Membership, partner: Partner, data: IncidentInput, uploads: Uploads = ()
) -> Incident:
    """A partner reports an incident (self-reported); its specialist is told."""
    incident = _create(
        actor=actor, membership=membership, partner=partner, data=data, uploads=uploads, step="report"
    )
    notify(
        users=selectors.partner_specialists(partner),
        subject=_("Incident reported by %(name)s: %(kind)s")
        % {"name": partner.legal_name, "kind": incident.get_kind_display()},
        body=_("%(ref)s was reported by the partner and awaits triage.") % {"ref": incident.reference},
        url=_detail_url(incident),
    )
    return incident


@transaction.atomic
def incident_record(
    *, actor: User, membership: Membership, partner: Partner, data: IncidentInput, uploads: Uploads = ()
) -> Incident:
    """The agency records an incident it found itself (not self-reported); the partner's
    Company Officers are told."""
    incident = _create(
        actor=actor, membership=membership, partner=partner, data=data, uploads=uploads, step="record"
    )
    notify(
        users=selectors.partner_officers(partner),
        subject=_("The agency recorded an incident: %(kind)s") % {"kind": incident.get_kind_display()},
        body=_("Please add your internal investigation and corrective actions to %(ref)s.")
        % {"ref": incident.reference},
        url=_detail_url(incident),
    )
    return incident


@transaction.atomic
def investigation_update(
    *,
    actor: User,
    membership: Membership,
    incident: Incident,
    investigation: str,
    corrective_actions: str,
    uploads: Uploads = (),
) -> IncidentEvent:
    """The partner's internal investigation and corrective actions; every version is kept in
    the event rows."""
    investigation, corrective_actions = investigation.strip(), corrective_actions.strip()
    unchanged = investigation == incident.investigation and corrective_actions == incident.corrective_actions
    if unchanged and not uploads:
        raise ValidationError(_("Nothing was changed."))
    files = _inspect(uploads)
    event = _step(
        incident=incident,
        name="update_investigation",
        actor=actor,
        membership=membership,
        details={
            "investigation": investigation,
            "corrective_actions": corrective_actions,
            "files": [f.original_name for _u, f in files],
        },
    )
    Incident.objects.filter(pk=incident.pk).update(
        investigation=investigation, corrective_actions=corrective_actions, updated_at=timezone.now()
    )
    incident.investigation, incident.corrective_actions = investigation, corrective_actions
    _store(incident, files, actor=actor, purpose=EvidencePurpose.INVESTIGATION)
    return event


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    membership: Membership,
    incident: Incident,
    upload: UploadedFile[bytes],
    purpose: EvidencePurpose,
) -> IncidentEvidence:
    """One more file for the report or the investigation (analysis files come with the analysis)."""
    if purpose not in {EvidencePurpose.REPORT, EvidencePurpose.INVESTIGATION}:
        raise ValidationError({"purpose": [_("Files of an analysis are sent with the analysis.")]})
    files = _inspect([upload])
    _step(
        incident=incident,
        name="attach_evidence",
        actor=actor,
        membership=membership,
        details={"files": [files[0][1].original_name], "purpose": str(purpose)},
    )
    return _store(incident, files, actor=actor, purpose=purpose)[0]


# --- Triage by the agency ----------------------------------------------------------------------


def _required(field: str, value: str, message: str) -> str:
    if not value.strip():
        raise ValidationError({field: [message]})
    return value.strip()


@transaction.atomic
def incident_triage(
    *, actor: User, membership: Membership, incident: Incident, assessment: str
) -> IncidentEvent:
    """The specialist's first assessment of a reported incident."""
    assessment = _required("assessment", assessment, _("Write the triage assessment."))
    return _step(incident=incident, name="triage", actor=actor, membership=membership, reason=assessment)


@transaction.atomic
def incident_refer(
    *, actor: User, membership: Membership, incident: Incident, agency: Organization | None, note: str
) -> Referral:
    """Refer the incident to another government agency; its liaisons may then read the referral."""
    if agency is None or agency.kind != OrganizationKind.GOVERNMENT_AGENCY:
        raise ValidationError({"agency": [_("Choose another government agency.")]})
    note = _required("note", note, _("Say what the referral is for."))
    already = Referral.objects.filter(incident=incident, agency=agency).exists()
    if already:
        raise ValidationError({"agency": [_("The incident has already been referred to that agency.")]})
    event = _step(
        incident=incident,
        name="refer",
        actor=actor,
        membership=membership,
        reason=note,
        facts={
            "government_agency": agency.kind == OrganizationKind.GOVERNMENT_AGENCY,
            "not_yet_referred": not already,
        },
        details={"agency_id": agency.pk, "agency": agency.name},
    )
    referral = Referral.objects.create(
        incident=incident, agency=agency, note=note, referred_by=actor, referred_at=event.at
    )
    event.details["referral_id"] = referral.pk
    event.save(update_fields=["details"])
    notify(
        users=selectors.agency_liaisons(agency),
        subject=_("Incident referral from CBP: %(kind)s") % {"kind": incident.get_kind_display()},
        body=note,
        url=reverse("incidents:referral", args=[referral.pk]),
    )
    return referral


@transaction.atomic
def analysis_request(
    *, actor: User, membership: Membership, incident: Incident, question: str, due: date | None
) -> AnalysisRequest:
    """Ask the partner for a post-incident analysis by ``due``; its Company Officers are told."""
    question = _required("question", question, _("Say what the post-incident analysis must cover."))
    due_error = analysis_due_error(due, today=timezone.localdate())
    if due_error:
        raise ValidationError({"due": [due_error]})
    assert due is not None
    event = _step(
        incident=incident,
        name="request_analysis",
        actor=actor,
        membership=membership,
        reason=question,
        facts={"due_ok": True},
        details={"due": due.isoformat()},
    )
    request = AnalysisRequest.objects.create(
        incident=incident, question=question, due=due, requested_by=actor, requested_at=event.at
    )
    event.details["analysis_request_id"] = request.pk
    event.save(update_fields=["details"])
    notify(
        users=selectors.partner_officers(incident.partner),
        subject=_("Post-incident analysis requested for %(ref)s") % {"ref": incident.reference},
        body=_("Please send your analysis by %(due)s:\n\n%(question)s")
        % {"due": due.isoformat(), "question": question},
        url=_detail_url(incident),
    )
    return request


@transaction.atomic
def analysis_submit(
    *, actor: User, membership: Membership, incident: Incident, text: str, uploads: Uploads = ()
) -> AnalysisRequest:
    """The partner answers the open post-incident analysis request; the specialist is told."""
    request = selectors.open_analysis_request(incident)
    if request is None:
        raise ValidationError(_("No post-incident analysis is awaiting an answer."))
    text = _required("text", text, _("Write the analysis."))
    files = _inspect(uploads)
    event = _step(
        incident=incident,
        name="submit_analysis",
        actor=actor,
        membership=membership,
        reason=text,
        facts={"analysis_open": True},
        details={"analysis_request_id": request.pk, "files": [f.original_name for _u, f in files]},
    )
    request.answer, request.answered_by, request.answered_at = text, actor, event.at
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    _store(incident, files, actor=actor, purpose=EvidencePurpose.ANALYSIS, analysis=request)
    recipients = selectors.partner_specialists(incident.partner)
    if request.requested_by is not None:
        recipients.append(request.requested_by)
    notify(
        users=recipients,
        subject=_("Post-incident analysis received for %(ref)s") % {"ref": incident.reference},
        body=_("%(name)s sent its analysis.") % {"name": incident.partner.legal_name},
        url=_detail_url(incident),
    )
    return request


@transaction.atomic
def incident_escalate(
    *, actor: User, membership: Membership, incident: Incident, reason: str
) -> IncidentEvent:
    """The incident calls for a non-compliance case: the case is opened in the non-compliance
    workflow (``compliance.services.case_open``, with this incident as its origin) and the
    decision is recorded on the incident. A refusal there (say, a partner that is not a member)
    refuses the whole step."""
    reason = _required("reason", reason, _("Say why the incident calls for a non-compliance case."))
    event = _step(incident=incident, name="escalate", actor=actor, membership=membership, reason=reason)
    case = case_open(
        actor=actor, membership=membership, partner=incident.partner, grounds=reason, incident_id=incident.pk
    )
    event.details = {"compliance_case_id": case.pk, "compliance_case": case.number}
    event.save(update_fields=["details"])
    Incident.objects.filter(pk=incident.pk).update(noncompliance_recommended=True, compliance_case_id=case.pk)
    incident.noncompliance_recommended, incident.compliance_case_id = True, case.pk
    return event


@transaction.atomic
def incident_close(*, actor: User, membership: Membership, incident: Incident, reason: str) -> IncidentEvent:
    """Close the incident with a reason; the partner's Company Officers are told."""
    reason = _required("reason", reason, _("Give the reason for closing the incident."))
    event = _step(incident=incident, name="close", actor=actor, membership=membership, reason=reason)
    notify(
        users=selectors.partner_officers(incident.partner),
        subject=_("Incident %(ref)s closed") % {"ref": incident.reference},
        body=reason,
        url=_detail_url(incident),
    )
    return event
