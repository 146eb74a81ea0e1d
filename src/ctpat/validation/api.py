"""Validations over the API: the plan and its sites, findings, the report, the partner's response,
the proposed decision and its approval, and the dashboard's numbers. The same services and
``access`` functions as the pages: agency staff read every validation; a partner reads only its
own, once the report is sent (anything else is 404)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from ctpat.accounts.models import Membership, User
from ctpat.api.membership import api_membership
from ctpat.api.schemas import ConflictOut, ErrorOut, InvalidOut
from ctpat.core.validation_rules import DecisionInput, FindingKind, Outcome
from ctpat.criteria.models import Criterion
from ctpat.criteria.selectors import catalogue_current
from ctpat.validation import access, selectors, services
from ctpat.validation.dashboard import agency_dashboard
from ctpat.validation.models import DecisionProposal, Finding, Validation, ValidationSite
from ctpat.validation.report import validation_report_pdf

router = Router(tags=["validations"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ConflictOut, 422: InvalidOut}
PDF_DOWNLOAD = {
    "responses": {
        200: {
            "description": "The report as a PDF (a draft, for agency staff, before it is sent)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


# --- Schemas -----------------------------------------------------------------------------------


class SiteOut(Schema):
    id: int
    name: str
    street: str
    city: str
    region: str
    postal_code: str
    country: str
    latitude: Decimal | None
    longitude: Decimal | None
    mode: str = Field(..., description="visit, no_go or mra")
    no_go: bool
    no_go_reason: str
    mra_partner: str
    mra_reference: str
    planned_date: date | None
    visited_on: date | None

    @staticmethod
    def resolve_mode(site: ValidationSite) -> str:
        return site.mode.value


class ValidationOut(Schema):
    id: int
    partner_id: int
    partner_name: str
    stage: str
    lead: str | None
    team: list[str]
    planned_start: date
    planned_end: date
    scope: str
    validation_due: datetime | None = Field(..., description="One year from certification, from the events")
    validation_days_left: int | None
    report_sent_at: datetime | None
    decision: str | None = Field(..., description="The approved outcome, once decided")
    sites: list[SiteOut]


class PlanIn(Schema):
    partner_id: int
    lead_id: int
    team_ids: list[int] = []
    planned_start: date
    planned_end: date
    scope: str = ""
    prefill_sites: bool = Field(True, description="Add the partner's facilities as sites")


class SiteIn(Schema):
    name: str = Field(..., max_length=200)
    street: str = Field("", max_length=200)
    city: str = Field(..., max_length=100)
    region: str = Field("", max_length=100)
    postal_code: str = Field("", max_length=20)
    country: str = Field(..., min_length=2, max_length=2)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    planned_date: date | None = None
    no_go: bool = False
    no_go_reason: str = ""
    mra_partner: str = Field("", max_length=4, description="An MRA partner code, e.g. EU, MX, CA")
    mra_reference: str = Field("", max_length=100)


class FindingIn(Schema):
    criterion: str = Field(..., description="The criterion ID, e.g. 6.2")
    site_id: int | None = Field(None, description="None: a company-wide finding")
    kind: FindingKind | None = None
    narrative: str = ""


class FindingOut(Schema):
    id: int
    criterion: str
    site_id: int | None
    site: str | None
    kind: str
    narrative: str
    evidence: list[str]

    @staticmethod
    def resolve_criterion(finding: Finding) -> str:
        return finding.criterion.code

    @staticmethod
    def resolve_site(finding: Finding) -> str | None:
        return finding.site.name if finding.site else None

    @staticmethod
    def resolve_evidence(finding: Finding) -> list[str]:
        return [e.original_name for e in finding.evidence.all()]


class FindingSaved(Schema):
    finding: FindingOut | None = Field(..., description="None when the draft was cleared")
    problems: dict[str, list[str]] = Field(..., description="What is saved but still needs attention")


class ReportOut(Schema):
    validation_id: int
    sent_at: datetime
    sha256: str


class ResponseIn(Schema):
    text: str


class ResponseOut(Schema):
    validation_id: int
    text: str
    responded_at: datetime


class DecisionIn(Schema):
    outcome: Outcome
    rationale: str = ""
    deadline: date | None = Field(None, description="Corrective action only")
    corrective_items: str = Field("", description="Corrective action only")


class ApprovalIn(Schema):
    approve: bool = Field(..., description="True approves and carries out the decision; False returns it")
    note: str = Field("", description="Required to return a proposal")


class ProposalOut(Schema):
    id: int
    validation_id: int
    outcome: str
    rationale: str
    deadline: date | None
    corrective_items: str
    state: str
    proposed_by: str | None
    reviewed_by: str | None
    review_note: str

    @staticmethod
    def resolve_proposed_by(proposal: DecisionProposal) -> str | None:
        return proposal.proposed_by.email if proposal.proposed_by else None

    @staticmethod
    def resolve_reviewed_by(proposal: DecisionProposal) -> str | None:
        return proposal.reviewed_by.email if proposal.reviewed_by else None


class ClockRowOut(Schema):
    partner_id: int
    partner: str
    clock: str
    due: datetime
    days_left: int


class WorkloadOut(Schema):
    specialist: str
    open_applications: int
    open_validations_led: int


class DashboardOut(Schema):
    by_status: dict[str, int]
    clocks_at_risk: list[ClockRowOut]
    validations_due_this_quarter: list[ClockRowOut]
    workload: list[WorkloadOut]
    by_entity_type: dict[str, int]
    members_by_tier: dict[str, int]


# --- Helpers -----------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionDenied("Not authenticated.")
    return user


def _membership(request: HttpRequest) -> Membership | None:
    return api_membership(request)


def _acting(request: HttpRequest) -> tuple[User, Membership]:
    membership = _membership(request)
    if membership is None:
        raise PermissionDenied("Your account holds no role in any organisation.")
    return _actor(request), membership


def _validation_out(validation: Validation, membership: Membership) -> dict[str, Any]:
    clock = selectors.partner_validation_clock(validation.partner)
    approved = selectors.approved_proposal(validation)
    decision = approved.outcome if approved else None
    if decision == Outcome.SUSPENSION_RECOMMENDED and not membership.is_agency:
        decision = None  # the program director's matter until decided
    report = getattr(validation, "report", None)
    return {
        "id": validation.pk,
        "partner_id": validation.partner_id,
        "partner_name": validation.partner.legal_name,
        "stage": validation.stage,
        "lead": validation.lead.email if validation.lead else None,
        "team": [member.email for member in validation.team.all()],
        "planned_start": validation.planned_start,
        "planned_end": validation.planned_end,
        "scope": validation.scope,
        "validation_due": clock[0].due if clock else None,
        "validation_days_left": clock[1] if clock else None,
        "report_sent_at": report.sent_at if report else None,
        "decision": decision,
        "sites": list(validation.sites.all()),
    }


def _agency_users(ids: list[int]) -> list[User]:
    users = list(selectors.agency_specialists().filter(pk__in=ids))
    if len(users) != len(set(ids)):
        raise ValidationError({"team_ids": ["Every team member must be a Supply Chain Security Specialist."]})
    return users


# --- Reading -----------------------------------------------------------------------------------


@router.get("", response={200: list[ValidationOut], **READ_ERRORS})
def validation_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Agency staff: every validation. A partner: its own, once the report has been sent."""
    membership = _membership(request)
    if membership is not None and membership.is_partner:
        rows = list(access.access_partner_validations(membership))
    else:
        member = access.access_agency(membership)
        rows = list(selectors.validation_list())
        membership = member
    return [_validation_out(v, membership) for v in rows]


@router.get("/dashboard", response={200: DashboardOut, **READ_ERRORS})
def dashboard(request: HttpRequest) -> dict[str, Any]:
    """The agency dashboard's numbers (agency staff only)."""
    access.access_agency(_membership(request))
    board = agency_dashboard()

    def clock_row(row: Any) -> dict[str, Any]:
        return {
            "partner_id": row.partner.pk,
            "partner": row.partner.legal_name,
            "clock": row.clock.kind.value,
            "due": row.clock.due,
            "days_left": row.days_left,
        }

    return {
        "by_status": {status.value: n for status, n in board.by_status},
        "clocks_at_risk": [clock_row(r) for r in board.clocks_at_risk],
        "validations_due_this_quarter": [clock_row(r) for r in board.due_this_quarter],
        "workload": [
            {
                "specialist": w.specialist.email,
                "open_applications": w.applications,
                "open_validations_led": w.validations,
            }
            for w in board.workload
        ],
        "by_entity_type": {t.value: n for t, n, _ in board.by_entity_type},
        "members_by_tier": dict(board.by_tier),
    }


@router.get("/{validation_id}", response={200: ValidationOut, **READ_ERRORS})
def validation_detail(request: HttpRequest, validation_id: int) -> dict[str, Any]:
    """The plan, its sites, the stage and the validation clock (recomputed from the events)."""
    _user, membership = _acting(request)
    return _validation_out(access.access_validation_by_id(membership, validation_id), membership)


@router.get("/{validation_id}/findings", response={200: list[FindingOut], **READ_ERRORS})
def finding_list(request: HttpRequest, validation_id: int) -> list[Finding]:
    """Every finding with a kind, by criterion (a partner sees them once the report is sent)."""
    validation = access.access_validation_by_id(_membership(request), validation_id)
    return list(selectors.findings_of(validation))


@router.get("/{validation_id}/report", response={200: None, **READ_ERRORS}, openapi_extra=PDF_DOWNLOAD)
def report(request: HttpRequest, validation_id: int) -> HttpResponse:
    """The report as sent (PDF); agency staff get a draft before it is sent."""
    validation = access.access_validation_by_id(_membership(request), validation_id)
    sent = getattr(validation, "report", None)
    pdf = bytes(sent.pdf) if sent is not None else validation_report_pdf(validation)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


# --- Writing -----------------------------------------------------------------------------------


@router.post("", response={201: ValidationOut, **WRITE_ERRORS})
def plan(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    """Plan a member's validation (specialists, supervisors, program director)."""
    user, membership = _acting(request)
    partner = access.access_partner_to_plan(membership, payload.partner_id)
    validation = services.validation_plan(
        actor=user,
        membership=membership,
        partner=partner,
        lead=selectors.agency_specialists().filter(pk=payload.lead_id).first(),
        team=_agency_users(payload.team_ids),
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
        scope=payload.scope,
        prefill_sites=payload.prefill_sites,
    )
    return Status(201, _validation_out(validation, membership))


@router.post("/{validation_id}/sites", response={201: SiteOut, **WRITE_ERRORS})
def site_add(request: HttpRequest, validation_id: int, payload: SiteIn) -> Status[ValidationSite]:
    """Add a site: a no-go zone needs a reason; an MRA partner may replace a foreign visit."""
    user, membership = _acting(request)
    validation = access.access_validation_for_fieldwork(membership, validation_id)
    site = ValidationSite(validation=validation, **payload.model_dump())
    return Status(
        201, services.site_save(actor=user, membership=membership, validation=validation, site=site)
    )


@router.post("/{validation_id}/findings", response={200: FindingSaved, **WRITE_ERRORS})
def finding_save(request: HttpRequest, validation_id: int, payload: FindingIn) -> dict[str, Any]:
    """Record (or, with no kind and no narrative, clear) the finding on one criterion."""
    user, membership = _acting(request)
    validation = access.access_validation_for_fieldwork(membership, validation_id)
    site = access.access_site_by_id(validation, payload.site_id) if payload.site_id else None
    criterion = Criterion.objects.filter(catalogue=catalogue_current(), code=payload.criterion).first()
    if criterion is None:
        raise Http404(f"No criterion {payload.criterion} in the current catalogue.")
    finding, problems = services.finding_save(
        actor=user,
        membership=membership,
        validation=validation,
        site=site,
        criterion=criterion,
        kind=payload.kind.value if payload.kind else "",
        narrative=payload.narrative,
    )
    return {"finding": finding, "problems": problems}


@router.post("/{validation_id}/report", response={201: ReportOut, **WRITE_ERRORS})
def report_send(request: HttpRequest, validation_id: int) -> Status[dict[str, Any]]:
    """Send the report to the partner (its Company Officers are told)."""
    user, membership = _acting(request)
    validation = access.access_validation_for_fieldwork(membership, validation_id)
    sent = services.report_send(actor=user, membership=membership, validation=validation)
    return Status(201, {"validation_id": validation.pk, "sent_at": sent.sent_at, "sha256": sent.sha256})


@router.post("/{validation_id}/response", response={201: ResponseOut, **WRITE_ERRORS})
def respond(request: HttpRequest, validation_id: int, payload: ResponseIn) -> Status[dict[str, Any]]:
    """The partner's written response to the report (its editors, once)."""
    user, membership = _acting(request)
    validation = access.access_validation_to_respond(membership, validation_id)
    response = services.response_submit(
        actor=user, membership=membership, validation=validation, text=payload.text
    )
    return Status(
        201, {"validation_id": validation.pk, "text": response.text, "responded_at": response.responded_at}
    )


@router.post("/{validation_id}/decision", response={201: ProposalOut, **WRITE_ERRORS})
def propose(request: HttpRequest, validation_id: int, payload: DecisionIn) -> Status[DecisionProposal]:
    """Propose the decision the findings allow; a different supervisor approves it."""
    user, membership = _acting(request)
    validation = access.access_validation_to_propose(membership, validation_id)
    decision = DecisionInput(payload.outcome, payload.rationale, payload.deadline, payload.corrective_items)
    return Status(
        201,
        services.decision_propose(
            actor=user, membership=membership, validation=validation, decision=decision
        ),
    )


@router.post("/{validation_id}/decision/{proposal_id}/approval", response={200: ProposalOut, **WRITE_ERRORS})
def review(
    request: HttpRequest, validation_id: int, proposal_id: int, payload: ApprovalIn
) -> DecisionProposal:
    """Approve (and carry out) or return a proposed decision: a supervisor or the program
    director who did not propose it."""
    user, membership = _acting(request)
    proposal = access.access_proposal_to_review(membership, validation_id, proposal_id)
    if payload.approve:
        return services.decision_approve(
            actor=user, membership=membership, proposal=proposal, note=payload.note
        )
    return services.decision_return(actor=user, membership=membership, proposal=proposal, note=payload.note)
