"""Pages of the annual revalidation: the section's entry, each partner's membership page (its
window, reviews and full revalidation), the review (the partner edits and re-submits; the
specialist sees what changed and decides), and the agency's queue. Every page fetches through
``access``; every write calls a service. Best-practice pages are in ``practice_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import AGENCY_ROLES, PARTNER_EDITORS, Role
from ctpat.applications.evidence import ALLOWED_DESCRIPTION, EvidenceRejected
from ctpat.applications.models import Evidence
from ctpat.applications.services import AnswerInput
from ctpat.core.lifecycle import TransitionError
from ctpat.core.revalidation import PARTNER_TURN, DiffKind, ReviewState
from ctpat.membership import access, selectors, services
from ctpat.membership.forms import AnswerForm, EvidenceForm, ReturnForm, RiskAssessmentForm
from ctpat.membership.models import AnnualReview


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def _membership(request: HttpRequest) -> Membership:
    membership = request_membership(request)
    assert membership is not None  # the access function ran first and refused None
    return membership


def form_error_text(form: BaseForm) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def flash_refusal(request: HttpRequest, exc: ValidationError | TransitionError | EvidenceRejected) -> None:
    reasons = (
        exc.reasons
        if isinstance(exc, TransitionError)
        else [str(exc)]
        if isinstance(exc, EvidenceRejected)
        else exc.messages
    )
    for reason in reasons:
        messages.error(request, reason)


def evidence_response(name: str, content_type: str, field_file: Any) -> FileResponse:
    """A stored file as a download under its original name; never served from a public URL."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The evidence file is missing from storage.")) from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Entry, the partner's membership page and the agency queue ---------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = access.access_home(request_membership(request))
    if membership.role in AGENCY_ROLES:
        return redirect("membership:agency")
    return redirect("membership:partner", partner_id=access.access_own_partner(membership).pk)


@login_required
def partner_page(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_partner_by_id(membership, partner_id)
    reviews = list(selectors.partner_reviews(partner))
    opened = selectors.window_opened(partner)
    clocks = selectors.review_clocks([partner]).get(partner.pk, [])
    full = selectors.full_revalidation_clocks(partner_ids=[partner.pk])
    context = {
        "partner": partner,
        "reviews": reviews,
        "window": opened,
        "coming": selectors.window_coming(partner),
        "clocks": clocks,
        "can_open": (
            opened is not None
            and membership is not None
            and membership.role in PARTNER_EDITORS
            and all(r.cycle != opened.cycle for r in reviews)
        ),
        "full_revalidation": full[0][1] if full else None,
        "is_agency": membership is not None and membership.role in AGENCY_ROLES,
        "counts": {
            "assessments": selectors.assessments(partner).count(),
            "trainings": selectors.trainings(partner).count(),
            "open_actions": len(selectors.open_action_dues([partner.pk])),
        },
        "today": timezone.localdate(),
        "now": timezone.now(),
    }
    return render(request, "membership/partner.html", context)


@login_required
@require_POST
def review_open(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner_by_id(request_membership(request), partner_id, write=True)
    review = services.annual_review_open(
        actor=_user(request), partner=partner, membership=_membership(request)
    )
    if review is None:
        messages.error(request, _("No annual review window is open for your company yet."))
        return redirect("membership:partner", partner_id=partner.pk)
    return redirect("membership:review", review_id=review.pk)


@login_required
def agency(request: HttpRequest) -> HttpResponse:
    membership = access.access_agency_queue(request_membership(request))
    context = {
        "to_decide": selectors.reviews_to_decide(),
        "with_partner": selectors.reviews_with_partner(),
        "full_revalidations": selectors.full_revalidations_due(),
        "can_plan": membership.role in {Role.SPECIALIST, Role.SUPERVISOR, Role.PROGRAM_DIRECTOR},
        "today": timezone.localdate(),
    }
    return render(request, "membership/agency.html", context)


# --- The review -----------------------------------------------------------------------------------


def _review_context(request: HttpRequest, review: AnnualReview, **extra: Any) -> dict[str, Any]:
    membership = request_membership(request)
    rows = selectors.review_diff(review)
    role = membership.role if membership else ""
    editable = review.state_enum in PARTNER_TURN
    window = selectors.window_of(review)
    events = list(selectors.review_events(review))
    return {
        "review": review,
        "partner": review.partner,
        "window": window,
        "missed": any(e.action == "miss" for e in events),
        "days_left": window.days_left(timezone.localdate()) if window else None,
        "rows": rows,
        "changed": selectors.changed_rows(rows),
        "summary": selectors.diff_summary(rows),
        "diff_kinds": list(DiffKind),
        "risk_diff": selectors.risk_assessment_diff(review),
        "gaps": selectors.review_gaps(review) if editable else [],
        "events": events,
        "can_edit": editable and role in PARTNER_EDITORS,
        "can_submit": editable and role == Role.COMPANY_OFFICER,
        "can_decide": review.state == ReviewState.SUBMITTED and access.can_decide(membership, review),
        "risk_form": extra.pop("risk_form", None)
        or RiskAssessmentForm(initial={"risk_assessment": review.risk_assessment}),
        "return_form": extra.pop("return_form", None) or ReturnForm(),
        **extra,
    }


@login_required
def review_page(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.access_review_by_id(request_membership(request), review_id)
    return render(request, "membership/review.html", _review_context(request, review))


@login_required
def review_answer(request: HttpRequest, review_id: int, answer_id: int) -> HttpResponse:
    """One answer of the year's profile: GET shows the form with last year's answer beside it,
    POST saves it."""
    membership = request_membership(request)
    review = access.access_review_to_edit(membership, review_id)
    answer = access.access_review_answer_by_id(review, answer_id)
    form = AnswerForm(request.POST or None, initial={
        "status": answer.status, "narrative": answer.narrative, "not_applicable_reason": answer.not_applicable_reason,
    })  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.review_answer_save(
                actor=_user(request), review=review, answer=answer, data=AnswerInput(**form.cleaned_data)
            )
        except ValidationError as exc:
            flash_refusal(request, exc)
        else:
            messages.success(request, _("Answer to %(code)s saved.") % {"code": answer.criterion.code})
            return redirect(
                reverse("membership:review", args=[review.pk]) + f"#criterion-{answer.criterion.code}"
            )
    row = next((r for r in selectors.review_diff(review) if r.diff.criterion == answer.criterion.code), None)
    context = {
        "review": review,
        "partner": review.partner,
        "answer": answer,
        "row": row,
        "form": form,
        "evidence_form": EvidenceForm(),
        "evidence": list(answer.evidence.all()),
        "allowed_files": ALLOWED_DESCRIPTION,
        "can_edit": review.state_enum in PARTNER_TURN,
    }
    return render(request, "membership/review_answer.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def review_evidence_upload(request: HttpRequest, review_id: int, answer_id: int) -> HttpResponse:
    review = access.access_review_to_edit(request_membership(request), review_id)
    answer = access.access_review_answer_by_id(review, answer_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
    else:
        try:
            evidence = services.review_evidence_add(
                actor=_user(request), review=review, answer=answer, upload=form.cleaned_data["file"]
            )
        except (EvidenceRejected, ValidationError) as exc:
            flash_refusal(request, exc)
        else:
            messages.success(request, _("%(name)s attached.") % {"name": evidence.original_name})
    return redirect("membership:review_answer", review_id=review.pk, answer_id=answer.pk)


@login_required
@require_POST
def review_evidence_remove(request: HttpRequest, review_id: int, evidence_id: int) -> HttpResponse:
    review = access.access_review_to_edit(request_membership(request), review_id)
    evidence = access.access_review_evidence_by_id(review, evidence_id)
    if evidence.answer.profile_id != review.profile_id:
        raise Http404(_("Last year's evidence stays as it was."))
    try:
        services.review_evidence_remove(actor=_user(request), review=review, evidence=evidence)
    except ValidationError as exc:
        flash_refusal(request, exc)
    return redirect("membership:review_answer", review_id=review.pk, answer_id=evidence.answer_id)


@login_required
def review_evidence(request: HttpRequest, review_id: int, evidence_id: int) -> HttpResponseBase:
    review = access.access_review_by_id(request_membership(request), review_id)
    evidence: Evidence = access.access_review_evidence_by_id(review, evidence_id)
    return evidence_response(evidence.original_name, evidence.content_type, evidence.file)


@login_required
@require_POST
def review_risk_assessment(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.access_review_to_edit(request_membership(request), review_id)
    form = RiskAssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.review_risk_assessment_save(
                actor=_user(request), review=review, text=form.cleaned_data["risk_assessment"]
            )
        except ValidationError as exc:
            flash_refusal(request, exc)
        else:
            messages.success(request, _("Risk assessment saved."))
    return redirect("membership:review", review_id=review.pk)


@login_required
@require_POST
def review_submit(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.access_review_to_submit(request_membership(request), review_id)
    try:
        services.annual_review_submit(actor=_user(request), membership=_membership(request), review=review)
    except (TransitionError, ValidationError) as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, _("Annual review re-submitted to the agency."))
    return redirect("membership:review", review_id=review.pk)


@login_required
@require_POST
def review_accept(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.access_review_to_decide(request_membership(request), review_id)
    try:
        services.annual_review_accept(actor=_user(request), membership=_membership(request), review=review)
    except (TransitionError, ValidationError) as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, _("Annual review accepted."))
    return redirect("membership:review", review_id=review.pk)


@login_required
@require_POST
def review_return(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.access_review_to_decide(request_membership(request), review_id)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        context = _review_context(request, review, return_form=form)
        return render(request, "membership/review.html", context, status=422)
    try:
        services.annual_review_return(
            actor=_user(request),
            membership=_membership(request),
            review=review,
            reason=form.cleaned_data["reason"],
        )
    except (TransitionError, ValidationError) as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, _("Annual review returned to the partner."))
    return redirect("membership:review", review_id=review.pk)
