"""Compliance over the API (``/api/compliance/...``): a partner's compliance file, cases,
warning letters (and their PDF), corrective action plans and progress, sanctions, reinstatement,
withdrawal, consent to visits and appeals. The same services and access functions as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from ctpat.accounts.models import Membership
from ctpat.api.routers.acting import acting_membership, acting_user
from ctpat.api.schemas import ERRORS, ConflictOut
from ctpat.applications.models import PartnerEvent
from ctpat.compliance import access, selectors, services
from ctpat.compliance.letters import warning_letter_filename, warning_letter_pdf
from ctpat.compliance.models import Appeal, ComplianceCase, CorrectiveActionPlan, SanctionRecommendation
from ctpat.core.sanctions import AppealOutcome, Benefit, SanctionGround, SanctionKind

router = Router(tags=["compliance"])
READ: dict[int, Any] = {**ERRORS}
WRITE: dict[int, Any] = {409: ConflictOut, **ERRORS}


# --- Schemas ---------------------------------------------------------------------------------


class CaseIn(Schema):
    grounds: str
    incident_id: int | None = None


class CaseOut(Schema):
    id: int
    number: str
    partner_id: int
    state: str
    grounds: str
    incident_id: int | None
    opened_by_id: int | None
    opened_at: datetime


class LetterIn(Schema):
    deficiencies: str = Field(..., description="One per line")
    required_actions: str = Field(..., description="One per line")
    response_days: int = Field(30, description="Days to correct, from the day it is sent")


class LetterOut(Schema):
    id: int
    number: str
    case_id: int
    state: str
    deficiencies: list[str]
    required_actions: list[str]
    response_days: int
    issued_at: datetime
    due: datetime
    overdue: bool


class ObjectiveIn(Schema):
    description: str
    due_on: date


class PlanIn(Schema):
    summary: str
    objectives: list[ObjectiveIn]


class ObjectiveOut(Schema):
    id: int
    description: str
    due_on: date
    state: str


class PlanOut(Schema):
    id: int
    letter_id: int
    state: str
    summary: str
    objectives: list[ObjectiveOut]


class PlanDecisionIn(Schema):
    accept: bool
    reason: str = ""


class ProgressIn(Schema):
    note: str
    completed: bool = False


class RecommendationIn(Schema):
    kind: SanctionKind
    ground: SanctionGround
    benefits: list[Benefit] = Field(
        default_factory=list, description="For a suspension: the benefits to suspend"
    )
    reasons: str


class RecommendationOut(Schema):
    id: int
    case_id: int
    state: str
    kind: str
    ground: str
    benefits: list[str]
    reasons: str
    recommended_by_id: int | None
    partner_event_id: int | None


class SanctionDecisionIn(Schema):
    take: bool
    reason: str


class ReasonIn(Schema):
    reason: str = ""


class StatementIn(Schema):
    statement: str


class DecisionEventOut(Schema):
    id: int
    transition: str
    from_status: str
    to_status: str
    actor_id: int | None
    reason: str
    details: dict[str, Any]
    at: datetime


class AppealDecisionIn(Schema):
    outcome: AppealOutcome
    reasons: str
    restored_benefits: list[Benefit] = Field(default_factory=list, description="For a partial grant")


class AppealOut(Schema):
    id: int
    number: str
    partner_id: int
    decision_event: DecisionEventOut
    state: str
    statement: str
    outcome: str
    restored_benefits: list[str]
    decision_reasons: str
    decided_by_id: int | None
    decision_due: datetime | None


class AppealWindowOut(Schema):
    decision_event_id: int
    ground: str
    due: datetime


class BenefitsOut(Schema):
    tier: int | None
    suspended: list[str]
    restored: list[str]
    in_force: list[str]


class ComplianceFileOut(Schema):
    partner_id: int
    status: str
    benefits: BenefitsOut
    letters: list[LetterOut]
    plans: list[PlanOut]
    appeal_window: AppealWindowOut | None
    appeals: list[AppealOut]


# --- Conversions -----------------------------------------------------------------------------


def _member(request: HttpRequest) -> Membership:
    membership = acting_membership(request)
    assert membership is not None  # the access functions refused a request without one
    return membership


def _letter(view: selectors.LetterView) -> dict[str, Any]:
    letter = view.letter
    return {
        "id": letter.pk,
        "number": letter.number,
        "case_id": letter.case_id,
        "state": letter.state,
        "deficiencies": letter.deficiency_lines(),
        "required_actions": letter.action_lines(),
        "response_days": letter.response_days,
        "issued_at": view.issued_at,
        "due": view.due,
        "overdue": view.is_overdue(),
    }


def _plan(plan: CorrectiveActionPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "letter_id": plan.letter_id,
        "state": plan.state,
        "summary": plan.summary,
        "objectives": list(plan.objectives.all()),
    }


def _appeal(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "number": appeal.number,
        "partner_id": appeal.partner_id,
        "decision_event": appeal.decision_event,
        "state": appeal.state,
        "statement": appeal.statement,
        "outcome": appeal.outcome,
        "restored_benefits": appeal.restored_benefits,
        "decision_reasons": appeal.decision_reasons,
        "decided_by_id": appeal.decided_by_id,
        "decision_due": selectors.appeal_decision_deadline(appeal),
    }


def _sorted(benefits: frozenset[Benefit]) -> list[str]:
    return [b.value for b in Benefit if b in benefits]


# --- A partner's file --------------------------------------------------------------------------


@router.get("/partners/{partner_id}", response={200: ComplianceFileOut, **READ})
def compliance_file(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    """Letters, plans, benefits, the window to appeal and the appeals: the partner's own people
    and agency staff (cases and recommendations are on ``/cases/{case_id}``, for the agency)."""
    partner = access.access_compliance_by_id(acting_membership(request), partner_id)
    benefits = selectors.partner_benefits(partner)
    window = selectors.appeal_window(partner)
    return {
        "partner_id": partner.pk,
        "status": partner.status,
        "benefits": {
            "tier": benefits.tier,
            "suspended": _sorted(benefits.suspended),
            "restored": _sorted(benefits.restored),
            "in_force": _sorted(benefits.in_force),
        },
        "letters": [_letter(view) for view in selectors.letters_of(partner)],
        "plans": [_plan(plan) for plan in selectors.plans_of(partner)],
        "appeal_window": (
            {"decision_event_id": window.event.pk, "ground": window.ground.value, "due": window.clock.due}
            if window
            else None
        ),
        "appeals": [_appeal(appeal) for appeal in selectors.appeals_of(partner)],
    }


@router.post("/partners/{partner_id}/cases", response={201: CaseOut, **WRITE})
def case_open(request: HttpRequest, partner_id: int, payload: CaseIn) -> Status[ComplianceCase]:
    """Open a non-compliance case (agency deciders)."""
    partner = access.access_partner_file_by_id(acting_membership(request), partner_id, write=True)
    case = services.case_open(
        actor=acting_user(request),
        membership=_member(request),
        partner=partner,
        grounds=payload.grounds,
        incident_id=payload.incident_id,
    )
    return Status(201, case)


@router.post("/partners/{partner_id}/removal", response={201: DecisionEventOut, **WRITE})
def removal(request: HttpRequest, partner_id: int, payload: ReasonIn) -> Status[PartnerEvent]:
    """Removal for knowingly false information, straight from the program director."""
    partner = access.access_director_on_partner_by_id(acting_membership(request), partner_id)
    event = services.partner_remove_for_false_information(
        actor=acting_user(request), membership=_member(request), partner=partner, reasons=payload.reason
    )
    return Status(201, event)


@router.post("/partners/{partner_id}/reinstatement", response={201: DecisionEventOut, **WRITE})
def reinstatement(request: HttpRequest, partner_id: int, payload: ReasonIn) -> Status[PartnerEvent]:
    """Reinstate a suspended partner (the program director): needs an accepted plan and consent."""
    partner = access.access_director_on_partner_by_id(acting_membership(request), partner_id)
    event = services.partner_reinstate(
        actor=acting_user(request), membership=_member(request), partner=partner, reason=payload.reason
    )
    return Status(201, event)


@router.post("/partners/{partner_id}/visit-consent", response={201: None, **WRITE})
def visit_consent(request: HttpRequest, partner_id: int, payload: StatementIn) -> Status[None]:
    """The Company Officer consents, in writing, to unannounced visits."""
    partner = access.access_officer_partner_by_id(acting_membership(request), partner_id)
    services.visit_consent_record(
        actor=acting_user(request), membership=_member(request), partner=partner, statement=payload.statement
    )
    return Status(201, None)


@router.post("/partners/{partner_id}/withdrawal", response={201: DecisionEventOut, **WRITE})
def withdrawal(request: HttpRequest, partner_id: int, payload: StatementIn) -> Status[PartnerEvent]:
    """The Company Officer withdraws the company, in writing; the specialist is told."""
    partner = access.access_officer_partner_by_id(acting_membership(request), partner_id)
    event = services.partner_withdraw(
        actor=acting_user(request), membership=_member(request), partner=partner, statement=payload.statement
    )
    return Status(201, event)


# --- Cases and letters -------------------------------------------------------------------------


@router.get("/cases/{case_id}", response={200: CaseOut, **READ})
def case(request: HttpRequest, case_id: int) -> ComplianceCase:
    """A case (agency staff)."""
    return access.access_case_by_id(acting_membership(request), case_id)


@router.post("/cases/{case_id}/letters", response={201: LetterOut, **WRITE})
def letter_issue(request: HttpRequest, case_id: int, payload: LetterIn) -> Status[dict[str, Any]]:
    """Send a warning letter on an open case; the partner's officers are told."""
    found = access.access_case_by_id(acting_membership(request), case_id, write=True)
    letter = services.warning_letter_issue(
        actor=acting_user(request),
        membership=_member(request),
        case=found,
        deficiencies=payload.deficiencies,
        required_actions=payload.required_actions,
        response_days=payload.response_days,
    )
    return Status(201, _letter(selectors.letter_view(letter)))


@router.post("/cases/{case_id}/recommendations", response={201: RecommendationOut, **WRITE})
def recommend(
    request: HttpRequest, case_id: int, payload: RecommendationIn
) -> Status[SanctionRecommendation]:
    """Recommend a suspension (of all or named benefits) or a removal (specialist, supervisor)."""
    found = access.access_case_by_id(acting_membership(request), case_id, write=True)
    recommendation = services.sanction_recommend(
        actor=acting_user(request),
        membership=_member(request),
        case=found,
        kind=payload.kind,
        ground=payload.ground,
        benefits=payload.benefits,
        reasons=payload.reasons,
    )
    return Status(201, recommendation)


@router.post("/recommendations/{recommendation_id}/decision", response={200: RecommendationOut, **WRITE})
def recommendation_decide(
    request: HttpRequest, recommendation_id: int, payload: SanctionDecisionIn
) -> SanctionRecommendation:
    """The program director takes or declines a recommended sanction."""
    found = access.access_recommendation_by_id(acting_membership(request), recommendation_id)
    return services.sanction_decide(
        actor=acting_user(request),
        membership=_member(request),
        recommendation=found,
        take=payload.take,
        reason=payload.reason,
    )


@router.get("/letters/{letter_id}", response={200: LetterOut, **READ})
def letter(request: HttpRequest, letter_id: int) -> dict[str, Any]:
    """A warning letter: the company it was sent to and agency staff."""
    found = access.access_letter_by_id(acting_membership(request), letter_id)
    return _letter(selectors.letter_view(found))


@router.get(
    "/letters/{letter_id}/pdf",
    response={200: None, **READ},
    openapi_extra={
        "responses": {
            "200": {"description": "The warning letter as a PDF", "content": {"application/pdf": {}}}
        }
    },
)
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    found = access.access_letter_by_id(acting_membership(request), letter_id)
    response = HttpResponse(warning_letter_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{warning_letter_filename(found)}"'
    return response


# --- Plans ----------------------------------------------------------------------------------


@router.post("/letters/{letter_id}/plans", response={201: PlanOut, **WRITE})
def plan_submit(request: HttpRequest, letter_id: int, payload: PlanIn) -> Status[dict[str, Any]]:
    """Answer a letter with a plan of dated objectives (or resubmit a returned one)."""
    found = access.access_letter_for_plan_by_id(acting_membership(request), letter_id)
    plan = services.corrective_plan_submit(
        actor=acting_user(request),
        membership=_member(request),
        letter=found,
        summary=payload.summary,
        objectives=[services.ObjectiveInput(o.description, o.due_on) for o in payload.objectives],
    )
    return Status(201, _plan(plan))


@router.post("/plans/{plan_id}/decision", response={200: PlanOut, **WRITE})
def plan_decide(request: HttpRequest, plan_id: int, payload: PlanDecisionIn) -> dict[str, Any]:
    """Accept the plan, or return it with reasons (agency deciders)."""
    found = access.access_plan_by_id(acting_membership(request), plan_id, decide=True)
    service = services.corrective_plan_accept if payload.accept else services.corrective_plan_return
    plan = service(actor=acting_user(request), membership=_member(request), plan=found, reason=payload.reason)
    return _plan(plan)


@router.post("/objectives/{objective_id}/progress", response={201: ObjectiveOut, **WRITE})
def objective_progress(request: HttpRequest, objective_id: int, payload: ProgressIn) -> Status[Any]:
    """Report progress on an objective of an accepted plan, or that it is done."""
    found = access.access_objective_by_id(acting_membership(request), objective_id)
    objective = services.objective_progress(
        actor=acting_user(request),
        membership=_member(request),
        objective=found,
        note=payload.note,
        completed=payload.completed,
    )
    return Status(201, objective)


# --- Appeals --------------------------------------------------------------------------------


@router.post("/decisions/{event_id}/appeals", response={201: AppealOut, **WRITE})
def appeal_file(request: HttpRequest, event_id: int, payload: StatementIn) -> Status[dict[str, Any]]:
    """The Company Officer appeals the decision that set the company's status, within its window."""
    decision = access.access_decision_for_appeal_by_id(acting_membership(request), event_id)
    appeal = services.appeal_file(
        actor=acting_user(request),
        membership=_member(request),
        decision_event=decision,
        statement=payload.statement,
    )
    return Status(201, _appeal(appeal))


@router.get("/appeals/{appeal_id}", response={200: AppealOut, **READ})
def appeal(request: HttpRequest, appeal_id: int) -> dict[str, Any]:
    return _appeal(access.access_appeal_by_id(acting_membership(request), appeal_id))


@router.post("/appeals/{appeal_id}/decision", response={200: AppealOut, **WRITE})
def appeal_decide(request: HttpRequest, appeal_id: int, payload: AppealDecisionIn) -> dict[str, Any]:
    """A program director who did not take the decision decides the appeal, with reasons."""
    found = access.access_appeal_by_id(acting_membership(request), appeal_id, decide=True)
    decided = services.appeal_decide(
        actor=acting_user(request),
        membership=_member(request),
        appeal=found,
        outcome=payload.outcome,
        reasons=payload.reasons,
        restored_benefits=payload.restored_benefits,
    )
    return _appeal(decided)
