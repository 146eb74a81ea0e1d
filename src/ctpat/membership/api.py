"""Keeping membership over the API (``/api/membership/...``): the annual review with its diff
and steps, the full revalidations due, and the partner's best practices. The same services and
access functions as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ctpat.api.routers.acting import acting_membership, acting_user
from ctpat.api.schemas import ERRORS, ROLE_ERRORS, AnswerIn, AnswerOut, ConflictOut
from ctpat.applications.models import ProfileAnswer
from ctpat.applications.services import AnswerInput
from ctpat.criteria.models import Criterion
from ctpat.membership import access, best_practices, selectors, services
from ctpat.membership.models import AnnualReview, ImprovementAction, InternalAssessment, TrainingRecord

router = Router(tags=["membership"])
WRITE: dict[int, Any] = {409: ConflictOut, **ERRORS}


# --- Schemas ---------------------------------------------------------------------------------


class WindowOut(Schema):
    cycle: int
    opens_on: date
    anniversary: date


class ReviewOut(Schema):
    id: int
    partner_id: int
    cycle: int
    state: str
    risk_assessment: str
    updated_at: datetime


class PartnerMembershipOut(Schema):
    window: WindowOut | None
    reviews: list[ReviewOut]


class ReviewEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str | None
    reason: str
    at: datetime

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return str(obj.actor) if obj.actor else None


class WordOut(Schema):
    op: str
    text: str


class DiffOut(Schema):
    criterion: str
    kind: str
    changed_fields: list[str]
    old_status: str | None
    new_status: str | None
    narrative_words: list[WordOut]
    evidence_added: list[str]
    evidence_removed: list[str]


class ReviewDetailOut(ReviewOut):
    window: WindowOut | None
    diff: list[DiffOut]
    events: list[ReviewEventOut]


class ReasonIn(Schema):
    reason: str


class RiskAssessmentIn(Schema):
    risk_assessment: str


class FullRevalidationOut(Schema):
    partner_id: int
    legal_name: str
    last_validated: datetime
    due: datetime
    days_left: int
    plan_url: str


class FindingOut(Schema):
    id: int
    criterion: str
    result: str
    note: str


class AssessmentIn(Schema):
    title: str
    performed_on: date
    summary: str = ""
    criteria: list[str]


class AssessmentOut(Schema):
    id: int
    title: str
    performed_on: date
    summary: str
    findings: list[FindingOut]


class TrainingIn(Schema):
    course: str
    held_on: date
    criteria: list[str]
    attendee_names: list[str] = []
    attendee_count: int | None = None


class TrainingOut(Schema):
    id: int
    course: str
    held_on: date
    criteria: list[str]
    attendee_names: list[str]
    attendee_count: int
    evidence_name: str
    evidence_sha256: str


class ActionIn(Schema):
    title: str
    owner: str
    due_on: date
    description: str = ""
    criterion: str | None = None
    assessment_id: int | None = None


class ActionStatusIn(Schema):
    status: str


class ActionOut(Schema):
    id: int
    title: str
    owner: str
    due_on: date
    status: str
    description: str
    criterion: str | None
    assessment_id: int | None


def _window(window: Any) -> dict[str, Any] | None:
    if window is None:
        return None
    return {"cycle": window.cycle, "opens_on": window.opens_on, "anniversary": window.anniversary}


def _review(review: AnnualReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "partner_id": review.partner_id,
        "cycle": review.cycle,
        "state": review.state,
        "risk_assessment": review.risk_assessment,
        "updated_at": review.updated_at,
    }


def _detail(review: AnnualReview) -> dict[str, Any]:
    diff = [
        {
            "criterion": row.diff.criterion,
            "kind": row.diff.kind.value,
            "changed_fields": list(row.diff.changed_fields),
            "old_status": row.diff.old.status if row.diff.old else None,
            "new_status": row.diff.new.status if row.diff.new else None,
            "narrative_words": [{"op": w.op, "text": w.text} for w in row.diff.narrative_words],
            "evidence_added": sorted(row.diff.evidence_added),
            "evidence_removed": sorted(row.diff.evidence_removed),
        }
        for row in selectors.review_diff(review)
    ]
    return {
        **_review(review),
        "window": _window(selectors.window_of(review)),
        "diff": diff,
        "events": list(selectors.review_events(review)),
    }


# --- The annual review -----------------------------------------------------------------------


@router.get("/partners/{partner_id}/annual-reviews", response={200: PartnerMembershipOut, **ERRORS})
def annual_reviews(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    """The latest annual window that has opened, and every annual review, newest first."""
    partner = access.access_partner_by_id(acting_membership(request), partner_id)
    return {
        "window": _window(selectors.window_opened(partner)),
        "reviews": [_review(r) for r in selectors.partner_reviews(partner)],
    }


@router.post("/partners/{partner_id}/annual-reviews", response={201: ReviewOut, **ERRORS})
def annual_review_open(request: HttpRequest, partner_id: int) -> Status[dict[str, Any]]:
    """Open this year's review once its window has opened (calling again returns the same one)."""
    membership = acting_membership(request)
    partner = access.access_partner_by_id(membership, partner_id, write=True)
    review = services.annual_review_open(actor=acting_user(request), partner=partner, membership=membership)
    if review is None:
        raise Http404("No annual review window has opened for this partner.")
    return Status(201, _review(review))


@router.get("/annual-reviews/{review_id}", response={200: ReviewDetailOut, **ERRORS})
def annual_review(request: HttpRequest, review_id: int) -> dict[str, Any]:
    """One review with what changed since last year, criterion by criterion, and its history."""
    return _detail(access.access_review_by_id(acting_membership(request), review_id))


@router.put("/annual-reviews/{review_id}/answers/{criterion_code}", response={200: AnswerOut, **ERRORS})
def annual_review_answer(
    request: HttpRequest, review_id: int, criterion_code: str, payload: AnswerIn
) -> ProfileAnswer:
    """Change one answer of the year's profile (last year's answers stay as they were)."""
    review = access.access_review_to_edit(acting_membership(request), review_id)
    answer_id = (
        review.profile.answers.filter(criterion__code=criterion_code).values_list("pk", flat=True).first()
    )
    if answer_id is None:
        raise Http404(f"No criterion {criterion_code} in this year's security profile.")
    answer = access.access_review_answer_by_id(review, answer_id)
    data = AnswerInput(payload.status, payload.narrative, payload.not_applicable_reason)
    return services.review_answer_save(actor=acting_user(request), review=review, answer=answer, data=data)


@router.put("/annual-reviews/{review_id}/risk-assessment", response={200: ReviewOut, **ERRORS})
def annual_review_risk_assessment(
    request: HttpRequest, review_id: int, payload: RiskAssessmentIn
) -> dict[str, Any]:
    review = access.access_review_to_edit(acting_membership(request), review_id)
    services.review_risk_assessment_save(
        actor=acting_user(request), review=review, text=payload.risk_assessment
    )
    return _review(review)


@router.post("/annual-reviews/{review_id}/submit", response={200: ReviewOut, **WRITE})
def annual_review_submit(request: HttpRequest, review_id: int) -> dict[str, Any]:
    """The Company Officer re-submits (409 lists every reason it is not possible now)."""
    membership = acting_membership(request)
    review = access.access_review_to_submit(membership, review_id)
    assert membership is not None
    services.annual_review_submit(actor=acting_user(request), membership=membership, review=review)
    return _review(review)


@router.post("/annual-reviews/{review_id}/accept", response={200: ReviewOut, **WRITE})
def annual_review_accept(request: HttpRequest, review_id: int) -> dict[str, Any]:
    membership = acting_membership(request)
    review = access.access_review_to_decide(membership, review_id)
    assert membership is not None
    services.annual_review_accept(actor=acting_user(request), membership=membership, review=review)
    return _review(review)


@router.post("/annual-reviews/{review_id}/return", response={200: ReviewOut, **WRITE})
def annual_review_return(request: HttpRequest, review_id: int, payload: ReasonIn) -> dict[str, Any]:
    membership = acting_membership(request)
    review = access.access_review_to_decide(membership, review_id)
    assert membership is not None
    services.annual_review_return(
        actor=acting_user(request), membership=membership, review=review, reason=payload.reason
    )
    return _review(review)


@router.get("/full-revalidations", response={200: list[FullRevalidationOut], **ROLE_ERRORS})
def full_revalidations(request: HttpRequest) -> list[dict[str, Any]]:
    """Every validated member's next full revalidation with site visits, soonest due first."""
    access.access_agency_queue(acting_membership(request))
    return [
        {
            "partner_id": row.partner.pk,
            "legal_name": row.partner.legal_name,
            "last_validated": row.clock.last_validated,
            "due": row.clock.due,
            "days_left": row.days_left,
            "plan_url": row.plan_url,
        }
        for row in selectors.full_revalidations_due()
    ]


# --- Best practices ---------------------------------------------------------------------------


def _criteria(codes: list[str], allowed: list[Criterion]) -> list[Criterion]:
    by_code = {c.code: c for c in allowed}
    unknown = [code for code in codes if code not in by_code]
    if unknown:
        raise ValidationError({"criteria": [f"Not a criterion to choose here: {', '.join(unknown)}."]})
    return [by_code[code] for code in codes]


def _assessment(record: InternalAssessment) -> dict[str, Any]:
    return {
        "id": record.pk,
        "title": record.title,
        "performed_on": record.performed_on,
        "summary": record.summary,
        "findings": [
            {"id": f.pk, "criterion": f.criterion.code, "result": f.result, "note": f.note}
            for f in record.findings.select_related("criterion")
        ],
    }


@router.get("/partners/{partner_id}/internal-assessments", response={200: list[AssessmentOut], **ERRORS})
def internal_assessments(request: HttpRequest, partner_id: int) -> list[dict[str, Any]]:
    partner = access.access_partner_by_id(acting_membership(request), partner_id)
    return [_assessment(a) for a in selectors.assessments(partner)]


@router.post("/partners/{partner_id}/internal-assessments", response={201: AssessmentOut, **ERRORS})
def internal_assessment_add(
    request: HttpRequest, partner_id: int, payload: AssessmentIn
) -> Status[dict[str, Any]]:
    """Record a self-audit; its scope is the listed criterion IDs (findings follow per criterion)."""
    partner = access.access_partner_by_id(acting_membership(request), partner_id, write=True)
    criteria = _criteria(payload.criteria, selectors.assessment_criteria(partner))
    record = best_practices.internal_assessment_record(
        actor=acting_user(request), partner=partner, performed_on=payload.performed_on,
        title=payload.title, summary=payload.summary, criteria=criteria,
    )  # fmt: skip
    return Status(201, _assessment(record))


def _training(record: TrainingRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "course": record.course,
        "held_on": record.held_on,
        "criteria": [c.code for c in record.criteria.all()],
        "attendee_names": [n for n in record.attendee_names.splitlines() if n],
        "attendee_count": record.attendee_count,
        "evidence_name": record.evidence_name,
        "evidence_sha256": record.evidence_sha256,
    }


@router.get("/partners/{partner_id}/training-records", response={200: list[TrainingOut], **ERRORS})
def training_records(request: HttpRequest, partner_id: int) -> list[dict[str, Any]]:
    partner = access.access_partner_by_id(acting_membership(request), partner_id)
    return [_training(t) for t in selectors.trainings(partner)]


@router.post("/partners/{partner_id}/training-records", response={201: TrainingOut, **ERRORS})
def training_record_add(request: HttpRequest, partner_id: int, payload: TrainingIn) -> Status[dict[str, Any]]:
    """Record a training against criteria of category 12; attach its evidence file afterwards."""
    partner = access.access_partner_by_id(acting_membership(request), partner_id, write=True)
    data = best_practices.TrainingInput(
        course=payload.course, held_on=payload.held_on,
        criteria=_criteria(payload.criteria, selectors.training_criteria()),
        attendee_names="\n".join(payload.attendee_names), attendee_count=payload.attendee_count,
    )  # fmt: skip
    record = best_practices.training_record_add(actor=acting_user(request), partner=partner, data=data)
    return Status(201, _training(record))


@router.post(
    "/partners/{partner_id}/training-records/{record_id}/evidence", response={200: TrainingOut, **ERRORS}
)
def training_evidence_upload(
    request: HttpRequest, partner_id: int, record_id: int, file: File[UploadedFile]
) -> dict[str, Any]:
    """Attach (or replace) the record's evidence file (multipart field ``file``); 422 says why a
    file is refused."""
    partner = access.access_partner_by_id(acting_membership(request), partner_id, write=True)
    record = access.access_training_by_id(partner, record_id)
    with transaction.atomic():
        best_practices.training_evidence_attach(actor=acting_user(request), record=record, upload=file)
    return _training(record)


def _action(action: ImprovementAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "title": action.title,
        "owner": action.owner,
        "due_on": action.due_on,
        "status": action.status,
        "description": action.description,
        "criterion": action.criterion.code if action.criterion else None,
        "assessment_id": action.assessment_id,
    }


@router.get("/partners/{partner_id}/improvement-actions", response={200: list[ActionOut], **ERRORS})
def improvement_actions(request: HttpRequest, partner_id: int) -> list[dict[str, Any]]:
    partner = access.access_partner_by_id(acting_membership(request), partner_id)
    return [_action(a) for a in selectors.actions(partner)]


@router.post("/partners/{partner_id}/improvement-actions", response={201: ActionOut, **ERRORS})
def improvement_action_add(
    request: HttpRequest, partner_id: int, payload: ActionIn
) -> Status[dict[str, Any]]:
    partner = access.access_partner_by_id(acting_membership(request), partner_id, write=True)
    criterion = None
    if payload.criterion:
        criterion = next(
            (c for c in selectors.assessment_criteria(partner) if c.code == payload.criterion), None
        )
        if criterion is None:
            raise Http404(f"No criterion {payload.criterion} applies to this partner.")
    assessment = (
        access.access_assessment_by_id(partner, payload.assessment_id) if payload.assessment_id else None
    )
    data = best_practices.ActionInput(
        title=payload.title, owner=payload.owner, due_on=payload.due_on, description=payload.description,
        criterion=criterion, assessment=assessment,
    )  # fmt: skip
    action = best_practices.improvement_action_save(actor=acting_user(request), partner=partner, data=data)
    return Status(201, _action(action))


@router.put("/partners/{partner_id}/improvement-actions/{action_id}", response={200: ActionOut, **ERRORS})
def improvement_action_status(
    request: HttpRequest, partner_id: int, action_id: int, payload: ActionStatusIn
) -> dict[str, Any]:
    """Mark an action done (``status: done``) or open it again (``open``)."""
    partner = access.access_partner_by_id(acting_membership(request), partner_id, write=True)
    action = access.access_action_by_id(partner, action_id)
    return _action(
        best_practices.improvement_action_set_status(
            actor=acting_user(request), action=action, status=payload.status
        )
    )
