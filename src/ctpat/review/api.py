"""The review over the API (``/api/review/...``): queues, assignment, vetting, the risk score
with its contributions, recommendations and decisions, the tier and certificates. The same
services and access functions as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from ctpat.api.routers.acting import acting_membership, acting_user
from ctpat.api.schemas import ERRORS, ROLE_ERRORS, ConflictOut, ErrorOut
from ctpat.applications.models import Partner
from ctpat.core.decisions import DecisionAction, RecommendationKind, VettingCheckKind
from ctpat.core.risk import AssessmentStep, assessment_missing
from ctpat.review import access, selectors, services
from ctpat.review.certificates import certificate_filename, certificate_pdf
from ctpat.review.models import Assignment, Certificate, Recommendation, RiskScoreRecord, VettingCheck

router = Router(tags=["review"])
WRITE: dict[int, Any] = {409: ConflictOut, **ERRORS}


# --- Schemas ---------------------------------------------------------------------------------


class ClockOut(Schema):
    kind: str
    started: datetime
    due: datetime
    days_left: int
    overdue: bool
    paused: bool


class FileOut(Schema):
    partner_id: int
    legal_name: str
    entity_type: str
    status: str
    assigned_specialist_id: int | None
    submitted_at: datetime | None
    clocks: list[ClockOut]
    vetting_recorded: int
    vetting_total: int
    risk_assessed: bool
    pending_recommendation: str | None


class ClockRowOut(ClockOut):
    partner_id: int
    legal_name: str
    assigned_specialist_id: int | None


class WorkloadOut(Schema):
    team: str
    supervisor_id: int | None
    specialist_id: int
    specialist: str
    open_applications: int
    portfolio: int
    overdue: int
    awaiting_decision: int


class SuggestionOut(Schema):
    specialist_id: int
    specialist: str
    experience: int
    workload: int
    points: int
    why: str


class AssignmentIn(Schema):
    specialist_id: int
    note: str = ""


class AssignmentOut(Schema):
    id: int
    partner_id: int
    specialist_id: int | None
    previous_specialist_id: int | None
    assigned_by_id: int | None
    note: str
    at: datetime


class VettingRecordOut(Schema):
    id: int
    kind: str
    result: str
    derogatory: bool
    notes: str
    evidence_name: str
    screening_id: int | None
    recorded_by_id: int | None
    at: datetime


class VettingItemOut(Schema):
    kind: str
    label: str
    latest: VettingRecordOut | None
    earlier: list[VettingRecordOut]


class VettingOut(Schema):
    complete: bool
    checks: list[VettingItemOut]


class VettingCheckIn(Schema):
    result: str
    derogatory: bool
    notes: str = ""


class ContributionOut(Schema):
    source: str
    detail: str
    points: float


class RecordedScoreOut(Schema):
    id: int
    total: float
    level: str
    contributions: list[ContributionOut]
    recorded_by_id: int | None
    at: datetime


class RiskOut(Schema):
    total: float
    level: str
    contributions: list[ContributionOut]
    medium_from: float
    high_from: float
    recorded: RecordedScoreOut | None
    steps: dict[str, str]
    missing_steps: list[str]
    risk_assessed: bool


class AssessmentIn(Schema):
    """The steps to save; a step left out is not changed."""

    cargo_flow: str | None = None
    threat_assessment: str | None = None
    vulnerability_assessment: str | None = None
    action_plan: str | None = None
    documentation: str | None = None


class DecisionOut(Schema):
    action: str
    reason: str
    transition: str
    decided_by_id: int | None
    at: datetime


class RecommendationOut(Schema):
    id: int
    kind: str
    reason: str
    recommended_by_id: int | None
    at: datetime
    decision: DecisionOut | None


class RecommendationIn(Schema):
    kind: RecommendationKind
    reason: str = ""


class DecisionIn(Schema):
    action: DecisionAction
    reason: str = ""


class CertificateOut(Schema):
    id: int
    number: str
    company_name: str
    entity_type: str
    tier: int
    issued_at: datetime
    validation_due: date | None


class DecisionsOut(Schema):
    vetting_complete: bool
    risk_assessed: bool
    pending: RecommendationOut | None
    recommendations: list[RecommendationOut]
    certificates: list[CertificateOut]


class BenefitsOut(Schema):
    tier: int
    risk_score_reduction: float
    fewer_examinations: bool
    front_of_line: bool
    expedited_release: bool
    fast_lanes: bool


class StandingOut(Schema):
    tier: int | None
    since: datetime | None
    why: str
    benefits: BenefitsOut | None
    certificates: list[CertificateOut]


# --- Conversions -----------------------------------------------------------------------------


def _clock(row: selectors.ClockRow) -> dict[str, Any]:
    return {
        "kind": row.clock.kind.value,
        "started": row.clock.started,
        "due": row.clock.due,
        "days_left": row.days_left,
        "overdue": row.overdue,
        "paused": row.paused,
    }


def _file(row: selectors.FileRow) -> dict[str, Any]:
    partner = row.partner
    return {
        "partner_id": partner.pk,
        "legal_name": partner.legal_name,
        "entity_type": partner.entity_type,
        "status": partner.status,
        "assigned_specialist_id": partner.assigned_specialist_id,
        "submitted_at": row.submitted_at,
        "clocks": [_clock(c) for c in row.clocks],
        "vetting_recorded": row.vetting_recorded,
        "vetting_total": row.vetting_total,
        "risk_assessed": row.risk_assessed,
        "pending_recommendation": row.pending.kind if row.pending else None,
    }


def _contributions(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [{**row, "points": float(row["points"])} for row in rows]


def _recorded(record: RiskScoreRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "total": float(record.total),
        "level": record.level,
        "contributions": _contributions(record.contributions),
        "recorded_by_id": record.recorded_by_id,
        "at": record.at,
    }


def _recommendation(rec: Recommendation) -> dict[str, Any]:
    decision = getattr(rec, "decision", None)
    return {
        "id": rec.pk,
        "kind": rec.kind,
        "reason": rec.reason,
        "recommended_by_id": rec.recommended_by_id,
        "at": rec.at,
        "decision": decision,
    }


def _partner(request: HttpRequest, partner_id: int, *, write: bool = False) -> Partner:
    return access.access_review_by_id(acting_membership(request), partner_id, write=write)


def _member(request: HttpRequest) -> Any:
    membership = acting_membership(request)
    assert membership is not None  # the access functions refused a request without one
    return membership


# --- Queues ----------------------------------------------------------------------------------


@router.get("/queues/unassigned", response={200: list[FileOut], **ROLE_ERRORS})
def unassigned(request: HttpRequest) -> list[dict[str, Any]]:
    """Submitted applications no specialist holds, the least time left first."""
    access.access_queues(acting_membership(request))
    return [_file(row) for row in selectors.unassigned_queue()]


@router.get("/queues/portfolio", response={200: list[FileOut], **ROLE_ERRORS, 404: ErrorOut})
def portfolio(request: HttpRequest, specialist_id: int | None = None) -> list[dict[str, Any]]:
    """A specialist's files (yours when ``specialist_id`` is left out)."""
    membership = access.access_queues(acting_membership(request))
    specialist = access.access_specialist_by_id(membership, specialist_id or membership.user_id)
    return [_file(row) for row in selectors.portfolio_of(specialist)]


@router.get("/queues/clocks", response={200: list[ClockRowOut], **ROLE_ERRORS})
def clocks(request: HttpRequest) -> list[dict[str, Any]]:
    """Every open clock, recomputed from the event rows: overdue first, paused ones last."""
    access.access_queues(acting_membership(request))
    return [
        {
            **_clock(row),
            "partner_id": row.partner.pk,
            "legal_name": row.partner.legal_name,
            "assigned_specialist_id": row.partner.assigned_specialist_id,
        }
        for row in selectors.clock_board()
    ]


@router.get("/queues/workload", response={200: list[WorkloadOut], **ROLE_ERRORS})
def workload(request: HttpRequest) -> list[dict[str, Any]]:
    """Workload per specialist of the teams you see (a supervisor: their team)."""
    membership = access.access_queues(acting_membership(request))
    return [
        {
            "team": team.name,
            "supervisor_id": team.supervisor.pk if team.supervisor else None,
            "specialist_id": row.specialist.pk,
            "specialist": str(row.specialist),
            "open_applications": row.open_applications,
            "portfolio": row.portfolio,
            "overdue": row.overdue,
            "awaiting_decision": row.awaiting_decision,
        }
        for team in selectors.team_views(membership)
        for row in team.rows
    ]


# --- Assignment ------------------------------------------------------------------------------


@router.get("/partners/{partner_id}/suggestions", response={200: list[SuggestionOut], **ERRORS})
def suggestions(request: HttpRequest, partner_id: int) -> list[dict[str, Any]]:
    """Who to assign: by experience with the entity type and current workload."""
    partner = access.access_assignment_by_id(acting_membership(request), partner_id)
    candidates = selectors.suggestion_candidates(_member(request))
    return [
        {**s.as_record(), "specialist": str(s.specialist), "why": s.why}
        for s in selectors.assignment_suggestions(partner, candidates=candidates)
    ]


@router.post("/partners/{partner_id}/assignment", response={201: AssignmentOut, **WRITE})
def assign(request: HttpRequest, partner_id: int, payload: AssignmentIn) -> Status[Assignment]:
    """Assign the file (supervisors and the program director); the specialist is told."""
    partner = access.access_assignment_by_id(acting_membership(request), partner_id)
    specialist = selectors.assignable_people().filter(pk=payload.specialist_id).first()
    if specialist is None:
        raise ValidationError({"specialist_id": ["Choose a specialist or supervisor of the agency."]})
    assignment = services.assignment_make(
        actor=acting_user(request),
        membership=_member(request),
        partner=partner,
        specialist=specialist,
        note=payload.note,
    )
    return Status(201, assignment)


# --- Vetting ---------------------------------------------------------------------------------


@router.get("/partners/{partner_id}/vetting", response={200: VettingOut, **ERRORS})
def vetting(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    partner = _partner(request, partner_id)
    return {
        "complete": selectors.vetting_complete(partner),
        "checks": [
            {
                "kind": item.kind.value,
                "label": item.kind.label,
                "latest": item.latest,
                "earlier": item.earlier,
            }
            for item in selectors.vetting_checklist(partner)
        ],
    }


@router.post("/partners/{partner_id}/vetting/{kind}", response={201: VettingRecordOut, **WRITE})
def vetting_record(
    request: HttpRequest, partner_id: int, kind: VettingCheckKind, payload: VettingCheckIn
) -> Status[VettingCheck]:
    """Record a check's result (evidence files are uploaded on the page)."""
    partner = _partner(request, partner_id, write=True)
    check = services.vetting_check_record(
        actor=acting_user(request),
        membership=_member(request),
        partner=partner,
        kind=kind,
        result=payload.result,
        derogatory=payload.derogatory,
        notes=payload.notes,
    )
    return Status(201, check)


@router.post("/partners/{partner_id}/vetting-screening", response={201: VettingRecordOut, **WRITE})
def vetting_screening(request: HttpRequest, partner_id: int) -> Status[VettingCheck]:
    """Run the applicant screening and record it as the restricted-party check."""
    partner = _partner(request, partner_id, write=True)
    check = services.vetting_screening_run(
        actor=acting_user(request), membership=_member(request), partner=partner
    )
    return Status(201, check)


# --- Risk ------------------------------------------------------------------------------------


def _risk(partner: Partner) -> dict[str, Any]:
    score = selectors.risk_score_live(partner)
    policy = selectors.risk_policy()
    recorded = selectors.risk_score_latest(partner)
    texts = selectors.assessment_texts(partner)
    return {
        "total": float(score.total),
        "level": score.level.value,
        "contributions": [
            {"source": c.source.value, "detail": c.detail, "points": float(c.points)}
            for c in score.contributions
        ],
        "medium_from": float(policy.medium_from),
        "high_from": float(policy.high_from),
        "recorded": _recorded(recorded) if recorded else None,
        "steps": texts,
        "missing_steps": [step.value for step in assessment_missing(texts)],
        "risk_assessed": selectors.risk_assessed(partner),
    }


@router.get("/partners/{partner_id}/risk", response={200: RiskOut, **ERRORS})
def risk(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    """The automatic score with every contribution, the recorded score and the written steps."""
    return _risk(_partner(request, partner_id))


@router.post("/partners/{partner_id}/risk/score", response={201: RecordedScoreOut, **WRITE})
def risk_score_record(request: HttpRequest, partner_id: int) -> Status[dict[str, Any]]:
    partner = _partner(request, partner_id, write=True)
    record = services.risk_score_record(
        actor=acting_user(request), membership=_member(request), partner=partner
    )
    return Status(201, _recorded(record))


@router.put("/partners/{partner_id}/risk/assessment", response={200: RiskOut, **WRITE})
def risk_assessment(request: HttpRequest, partner_id: int, payload: AssessmentIn) -> dict[str, Any]:
    partner = _partner(request, partner_id, write=True)
    for step in AssessmentStep:
        text = getattr(payload, step.value)
        if text is not None:
            services.assessment_step_save(
                actor=acting_user(request), membership=_member(request), partner=partner, step=step, text=text
            )
    return _risk(partner)


# --- Recommendation and decision -------------------------------------------------------------


def _certificates(partner: Partner) -> list[Certificate]:
    return list(selectors.certificates_of(partner))


@router.get("/partners/{partner_id}/decisions", response={200: DecisionsOut, **ERRORS})
def decisions(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    partner = _partner(request, partner_id)
    pending = selectors.pending_recommendation(partner)
    facts = selectors.certification_facts(partner)
    return {
        "vetting_complete": facts["vetting_complete"],
        "risk_assessed": facts["risk_assessed"],
        "pending": _recommendation(pending) if pending else None,
        "recommendations": [_recommendation(r) for r in selectors.recommendations_of(partner)],
        "certificates": _certificates(partner),
    }


@router.post("/partners/{partner_id}/recommendation", response={201: RecommendationOut, **WRITE})
def recommend(request: HttpRequest, partner_id: int, payload: RecommendationIn) -> Status[dict[str, Any]]:
    """The assigned specialist recommends; a return to the partner is taken at once."""
    partner = _partner(request, partner_id, write=True)
    recommendation = services.recommendation_make(
        actor=acting_user(request),
        membership=_member(request),
        partner=partner,
        kind=payload.kind,
        reason=payload.reason,
    )
    return Status(201, _recommendation(recommendation))


@router.post("/partners/{partner_id}/decision", response={201: DecisionOut, **WRITE})
def decide(request: HttpRequest, partner_id: int, payload: DecisionIn) -> Status[Any]:
    """A supervisor agrees, overrides or returns the pending recommendation (not their own)."""
    partner = access.access_decision_by_id(acting_membership(request), partner_id)
    decision = services.decision_take(
        actor=acting_user(request),
        membership=_member(request),
        partner=partner,
        action=payload.action,
        reason=payload.reason,
    )
    return Status(201, decision)


# --- Tier and certificates -------------------------------------------------------------------


@router.get("/partners/{partner_id}/standing", response={200: StandingOut, **ERRORS})
def standing(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    """The partner's tier, since when and why, its benefits and certificates."""
    partner = access.access_standing_by_id(acting_membership(request), partner_id)
    current = selectors.partner_standing(partner)
    return {
        "tier": current.tier.tier,
        "since": current.tier.since,
        "why": current.tier.why,
        "benefits": current.benefits,
        "certificates": _certificates(partner),
    }


@router.get(
    "/certificates/{certificate_id}",
    response={200: None, **ROLE_ERRORS, 404: ErrorOut},
    openapi_extra={
        "responses": {"200": {"description": "The certificate as a PDF", "content": {"application/pdf": {}}}}
    },
)
def certificate(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The certificate PDF: the certified company's own people and agency staff."""
    found = access.access_certificate_by_id(acting_membership(request), certificate_id)
    response = HttpResponse(certificate_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(found)}"'
    return response
