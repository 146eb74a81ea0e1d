"""Incidents over the API: reporting and the partner's investigation and analyses, the agency's
triage (referral, analysis request, non-compliance, closing), and a liaison's referrals. The same
services and ``access`` functions as the pages: a partner reads only its own incidents (another
company's is 404); a liaison reads only the referrals made to its agency."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ctpat.accounts.models import Membership, Organization, User
from ctpat.api.membership import api_membership
from ctpat.api.schemas import ConflictOut, ErrorOut, InvalidOut
from ctpat.core.incident_rules import IncidentKind, IncidentState
from ctpat.incidents import access, selectors, services
from ctpat.incidents.models import EvidencePurpose, Incident, IncidentEvidence, Referral

router = Router(tags=["incidents"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ConflictOut, 422: InvalidOut}
COUNTRY_CODE = r"^[A-Z]{2}$"
FILE_DOWNLOAD = {
    "responses": {
        200: {
            "description": "The file as uploaded",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


# --- Schemas -----------------------------------------------------------------------------------


class IncidentIn(Schema):
    kind: IncidentKind
    happened_at: datetime = Field(..., description="When it happened (best estimate); not in the future")
    found_at: datetime = Field(
        ..., description="When it was found; not before it happened, not in the future"
    )
    place: str = Field(..., min_length=1, max_length=200)
    country: str = Field(..., pattern=COUNTRY_CODE)
    description: str = Field(..., min_length=1)
    bill_of_lading: str = Field("", max_length=60)
    entry_number: str = Field("", max_length=30)
    conveyance: str = Field("", max_length=120)
    seal_numbers: str = Field("", max_length=200)
    investigation: str = ""
    corrective_actions: str = ""


class IncidentRecordIn(IncidentIn):
    partner_id: int = Field(..., description="The partner the agency found the incident at")


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    purpose: str
    uploaded_at: datetime


class AnalysisOut(Schema):
    id: int
    question: str
    due: date
    requested_at: datetime
    answer: str
    answered_at: datetime | None


class ReferralOut(Schema):
    id: int
    agency_id: int
    agency: str
    note: str
    referred_at: datetime

    @staticmethod
    def resolve_agency(referral: Referral) -> str:
        return referral.agency.name


class IncidentOut(Schema):
    id: int
    reference: str
    partner_id: int
    partner_name: str
    kind: str
    state: str
    self_reported: bool = Field(..., description="Reported by the partner before the agency recorded it")
    late: bool = Field(..., description="Reported later than the policy's hours after it was found")
    happened_at: datetime
    found_at: datetime
    reported_at: datetime = Field(..., description="Set by the system when the report was sent")
    place: str
    country: str
    bill_of_lading: str
    entry_number: str
    conveyance: str
    seal_numbers: str
    description: str
    investigation: str
    corrective_actions: str
    noncompliance_recommended: bool
    analysis_due: date | None = Field(..., description="The open post-incident analysis, from the events")
    analysis_overdue: bool
    analyses: list[AnalysisOut]
    evidence: list[EvidenceOut]
    referrals: list[ReferralOut] | None = Field(..., description="Agency staff only")


class IncidentFactsOut(Schema):
    """What a referral shows a liaison: the incident as reported, nothing of the partner's file."""

    reference: str
    partner_name: str
    kind: str
    happened_at: datetime
    found_at: datetime
    reported_at: datetime
    place: str
    country: str
    bill_of_lading: str
    entry_number: str
    conveyance: str
    seal_numbers: str
    description: str


class ReferralDetailOut(Schema):
    id: int
    agency: str
    note: str
    referred_at: datetime
    incident: IncidentFactsOut


class EventOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str | None
    actor_role: str
    reason: str
    at: datetime

    @staticmethod
    def resolve_actor(event: Any) -> str | None:
        return event.actor.email if event.actor_id else None


class InvestigationIn(Schema):
    investigation: str = ""
    corrective_actions: str = ""


class AssessmentIn(Schema):
    assessment: str = Field(..., description="The triage assessment")


class ReferIn(Schema):
    agency_id: int = Field(..., description="An organisation of kind government_agency")
    note: str


class AnalysisRequestIn(Schema):
    question: str
    due: date = Field(..., description="After today")


class ReasonIn(Schema):
    reason: str


# --- Helpers -----------------------------------------------------------------------------------


def _acting(request: HttpRequest) -> tuple[User, Membership | None]:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionDenied("Not authenticated.")
    return user, api_membership(request)


def _incident_out(incident: Incident, membership: Membership) -> dict[str, Any]:
    clock = selectors.incident_analysis_clock(incident)
    fields = {name: getattr(incident, name) for name in IncidentOut.model_fields if hasattr(incident, name)}
    return {
        **fields,
        "partner_name": incident.partner.legal_name,
        "late": selectors.incident_is_late(incident),
        "analysis_due": clock.due_date if clock else None,
        "analysis_overdue": clock is not None and clock.is_overdue(timezone.localdate()),
        "analyses": list(incident.analysis_requests.all()),
        "evidence": list(incident.evidence.all()),
        "referrals": list(selectors.incident_referrals(incident)) if membership.is_agency else None,
    }


def _input(payload: IncidentIn) -> services.IncidentInput:
    data = payload.dict(exclude={"partner_id"})
    return services.IncidentInput(**{**data, "kind": str(payload.kind)})


def _facts(incident: Incident) -> dict[str, Any]:
    names = [n for n in IncidentFactsOut.model_fields if n != "partner_name"]
    return {**{n: getattr(incident, n) for n in names}, "partner_name": incident.partner.legal_name}


def _referral_out(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "agency": referral.agency.name,
        "note": referral.note,
        "referred_at": referral.referred_at,
        "incident": _facts(referral.incident),
    }


def _download(evidence: IncidentEvidence) -> FileResponse:
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _decided(request: HttpRequest, incident_id: int) -> tuple[User, Membership, Incident]:
    user, membership = _acting(request)
    incident = access.access_incident_to_decide(membership, incident_id)
    assert membership is not None  # access refused None
    return user, membership, incident


def _edited(request: HttpRequest, incident_id: int) -> tuple[User, Membership, Incident]:
    user, membership = _acting(request)
    incident = access.access_incident_to_edit(membership, incident_id)
    assert membership is not None
    return user, membership, incident


# --- Liaisons ----------------------------------------------------------------------------------


@router.get("/referrals", response={200: list[ReferralDetailOut], **READ_ERRORS})
def referral_list(request: HttpRequest) -> list[dict[str, Any]]:
    """A liaison of another government agency: the referrals made to its agency."""
    return [_referral_out(r) for r in access.access_referrals(_acting(request)[1])]


@router.get("/referrals/{int:referral_id}", response={200: ReferralDetailOut, **READ_ERRORS})
def referral_detail(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    """One referral to the liaison's agency (a referral to another agency is 404)."""
    return _referral_out(access.access_referral_by_id(_acting(request)[1], referral_id))


@router.get(
    "/referrals/{int:referral_id}/evidence/{int:evidence_id}",
    response={200: None, **READ_ERRORS},
    openapi_extra=FILE_DOWNLOAD,
)
def referral_evidence(request: HttpRequest, referral_id: int, evidence_id: int) -> FileResponse:
    """A file of the referred incident's report."""
    referral = access.access_referral_by_id(_acting(request)[1], referral_id)
    return _download(access.access_referral_evidence_by_id(referral, evidence_id))


# --- Reading -----------------------------------------------------------------------------------


@router.get("", response={200: list[IncidentOut], **READ_ERRORS})
def incident_list(request: HttpRequest, state: IncidentState | None = None) -> list[dict[str, Any]]:
    """A partner: its own incidents. Agency staff: every incident."""
    _user, membership = _acting(request)
    incidents = selectors.filter_incidents(
        access.access_incidents(membership), state=state.value if state else ""
    )
    assert membership is not None
    return [_incident_out(i, membership) for i in incidents]


@router.get("/{int:incident_id}", response={200: IncidentOut, **READ_ERRORS})
def incident_detail(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    _user, membership = _acting(request)
    incident = access.access_incident_by_id(membership, incident_id)
    assert membership is not None
    return _incident_out(incident, membership)


@router.get("/{int:incident_id}/events", response={200: list[EventOut], **READ_ERRORS})
def incident_events(request: HttpRequest, incident_id: int) -> list[Any]:
    """Every step: who, why, when, from which state to which."""
    incident = access.access_incident_by_id(_acting(request)[1], incident_id)
    return list(selectors.incident_events(incident))


@router.get(
    "/{int:incident_id}/evidence/{int:evidence_id}",
    response={200: None, **READ_ERRORS},
    openapi_extra=FILE_DOWNLOAD,
)
def evidence_download(request: HttpRequest, incident_id: int, evidence_id: int) -> FileResponse:
    incident = access.access_incident_by_id(_acting(request)[1], incident_id)
    return _download(access.access_incident_evidence_by_id(incident, evidence_id))


# --- The partner -------------------------------------------------------------------------------


@router.post("", response={201: IncidentOut, **WRITE_ERRORS})
def incident_report(request: HttpRequest, payload: IncidentIn) -> Status[dict[str, Any]]:
    """A partner editor reports an incident (self-reported; the report time is set now)."""
    user, membership = _acting(request)
    partner = access.access_partner_to_report(membership)
    assert membership is not None
    incident = services.incident_report(
        actor=user, membership=membership, partner=partner, data=_input(payload)
    )
    return Status(201, _incident_out(incident, membership))


@router.post("/{int:incident_id}/evidence", response={201: EvidenceOut, **WRITE_ERRORS})
def evidence_upload(
    request: HttpRequest,
    incident_id: int,
    file: File[UploadedFile],
    purpose: Form[EvidencePurpose] = EvidencePurpose.REPORT,
) -> Status[IncidentEvidence]:
    """Attach a file to the report or the investigation (multipart fields ``file`` and ``purpose``)."""
    user, membership, incident = _edited(request, incident_id)
    evidence = services.evidence_add(
        actor=user, membership=membership, incident=incident, upload=file, purpose=purpose
    )
    return Status(201, evidence)


@router.put("/{int:incident_id}/investigation", response={200: IncidentOut, **WRITE_ERRORS})
def investigation_update(request: HttpRequest, incident_id: int, payload: InvestigationIn) -> dict[str, Any]:
    """The internal investigation and corrective actions (every version is kept in the events)."""
    user, membership, incident = _edited(request, incident_id)
    services.investigation_update(
        actor=user,
        membership=membership,
        incident=incident,
        investigation=payload.investigation,
        corrective_actions=payload.corrective_actions,
    )
    return _incident_out(incident, membership)


@router.post("/{int:incident_id}/analysis", response={200: IncidentOut, **WRITE_ERRORS})
def analysis_submit(
    request: HttpRequest,
    incident_id: int,
    text: Form[str],
    # Ninja reads an optional file list only with a plain None default (not ``| None``).
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    """Answer the open post-incident analysis request (multipart: ``text`` and any ``files``)."""
    user, membership, incident = _edited(request, incident_id)
    services.analysis_submit(
        actor=user, membership=membership, incident=incident, text=text, uploads=files or []
    )
    return _incident_out(incident, membership)


# --- The agency --------------------------------------------------------------------------------


@router.post("/recorded", response={201: IncidentOut, **WRITE_ERRORS})
def incident_record(request: HttpRequest, payload: IncidentRecordIn) -> Status[dict[str, Any]]:
    """The agency records an incident it found itself (not self-reported)."""
    user, membership = _acting(request)
    partner = access.access_partner_to_record(membership, payload.partner_id)
    assert membership is not None
    incident = services.incident_record(
        actor=user, membership=membership, partner=partner, data=_input(payload)
    )
    return Status(201, _incident_out(incident, membership))


@router.post("/{int:incident_id}/triage", response={200: IncidentOut, **WRITE_ERRORS})
def triage(request: HttpRequest, incident_id: int, payload: AssessmentIn) -> dict[str, Any]:
    user, membership, incident = _decided(request, incident_id)
    services.incident_triage(
        actor=user, membership=membership, incident=incident, assessment=payload.assessment
    )
    return _incident_out(incident, membership)


@router.post("/{int:incident_id}/referrals", response={201: ReferralOut, **WRITE_ERRORS})
def refer(request: HttpRequest, incident_id: int, payload: ReferIn) -> Status[Referral]:
    """Refer to another government agency; its liaisons can then read this referral."""
    user, membership, incident = _decided(request, incident_id)
    agency = Organization.objects.filter(pk=payload.agency_id).first()
    referral = services.incident_refer(
        actor=user, membership=membership, incident=incident, agency=agency, note=payload.note
    )
    return Status(201, referral)


@router.post("/{int:incident_id}/analysis-requests", response={201: AnalysisOut, **WRITE_ERRORS})
def request_analysis(request: HttpRequest, incident_id: int, payload: AnalysisRequestIn) -> Status[Any]:
    """Ask the partner for a post-incident analysis by a date."""
    user, membership, incident = _decided(request, incident_id)
    analysis = services.analysis_request(
        actor=user, membership=membership, incident=incident, question=payload.question, due=payload.due
    )
    return Status(201, analysis)


@router.post("/{int:incident_id}/noncompliance", response={200: IncidentOut, **WRITE_ERRORS})
def escalate(request: HttpRequest, incident_id: int, payload: ReasonIn) -> dict[str, Any]:
    """Record that the incident calls for a non-compliance case."""
    user, membership, incident = _decided(request, incident_id)
    services.incident_escalate(actor=user, membership=membership, incident=incident, reason=payload.reason)
    return _incident_out(incident, membership)


@router.post("/{int:incident_id}/close", response={200: IncidentOut, **WRITE_ERRORS})
def close(request: HttpRequest, incident_id: int, payload: ReasonIn) -> dict[str, Any]:
    user, membership, incident = _decided(request, incident_id)
    services.incident_close(actor=user, membership=membership, incident=incident, reason=payload.reason)
    return _incident_out(incident, membership)
