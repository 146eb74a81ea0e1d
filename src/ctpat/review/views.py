"""Review pages: work queues, a file's overview and assignment, vetting, the risk assessment,
the recommendation and decision, certificates, and the partner's tier and benefits.

Views are thin: they fetch through ``review.access``, call the services and render; refusals
from the rules (``ReviewRefused``/``TransitionError``) become messages on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import AGENCY_DECIDERS, Role
from ctpat.applications.evidence import ALLOWED_DESCRIPTION, EvidenceRejected
from ctpat.applications.models import Partner
from ctpat.applications.selectors import partner_clocks
from ctpat.applications.services import partner_transition
from ctpat.charts import Series, bar_chart
from ctpat.core.decisions import DecisionAction, RecommendationKind, VettingCheckKind
from ctpat.core.lifecycle import TransitionError
from ctpat.core.risk import AssessmentStep, assessment_missing
from ctpat.core.tiers import BENEFITS
from ctpat.review import access, selectors, services
from ctpat.review.certificates import certificate_filename, certificate_pdf
from ctpat.review.forms import (
    AssessmentStepForm,
    AssignmentForm,
    DecisionForm,
    RecommendationForm,
    VettingCheckForm,
    form_error_text,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _refused(request: HttpRequest, exc: TransitionError | ValidationError | EvidenceRejected) -> None:
    reasons = exc.reasons if isinstance(exc, TransitionError) else getattr(exc, "messages", [str(exc)])
    for reason in reasons:
        messages.error(request, reason)


def _attempt(request: HttpRequest, step: Callable[[], Any], success: str) -> bool:
    """Run a service; its refusal becomes error messages, its success one message."""
    try:
        step()
    except (TransitionError, ValidationError, EvidenceRejected) as exc:
        _refused(request, exc)
        return False
    messages.success(request, success)
    return True


def _can_write(membership: Membership, partner: Partner) -> bool:
    if membership.role not in AGENCY_DECIDERS:
        return False
    return membership.role != Role.SPECIALIST or partner.assigned_specialist_id == membership.user_id


def _can_supervise(membership: Membership) -> bool:
    return membership.role in access.SUPERVISING_ROLES


# --- Queues ----------------------------------------------------------------------------------


@login_required
def queues(request: HttpRequest) -> HttpResponse:
    membership = access.access_queues(request_membership(request))
    now = timezone.now()
    context = {
        "unassigned": selectors.unassigned_queue(now=now),
        "clocks": selectors.clock_board(now=now),
        "can_assign": _can_supervise(membership),
        "tab": "queues",
    }
    return render(request, "review/queues.html", context)


@login_required
def portfolio(request: HttpRequest, specialist_id: int | None = None) -> HttpResponse:
    membership = access.access_queues(request_membership(request))
    chosen = request.GET.get("specialist", "")
    if specialist_id is None and chosen.isdigit():
        specialist_id = int(chosen)
    if specialist_id is None and membership.role in selectors.ASSIGNABLE_ROLES:
        specialist_id = membership.user_id
    specialist = access.access_specialist_by_id(membership, specialist_id) if specialist_id else None
    now = timezone.now()
    context = {
        "specialist": specialist,
        "people": selectors.assignable_people(),
        "rows": selectors.portfolio_of(specialist, now=now) if specialist else [],
        "clocks": selectors.clock_board(specialists=[specialist], now=now) if specialist else [],
        "tab": "portfolio",
    }
    return render(request, "review/portfolio.html", context)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    membership = access.access_queues(request_membership(request))
    context = {"teams": selectors.team_views(membership), "tab": "team"}
    return render(request, "review/team.html", context)


# --- A file: overview and assignment ---------------------------------------------------------


def _file_context(membership: Membership, partner: Partner, section: str) -> dict[str, Any]:
    now = timezone.now()
    return {
        "partner": partner,
        "section": section,
        "can_write": _can_write(membership, partner),
        "can_supervise": _can_supervise(membership),
        "clocks": [(clock, clock.days_left(now)) for clock in partner_clocks(partner)],
    }


@login_required
def file(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_review_by_id(membership, partner_id)
    assert membership is not None
    context = _file_context(membership, partner, "file")
    if context["can_supervise"]:
        suggestions = selectors.assignment_suggestions(
            partner, candidates=selectors.suggestion_candidates(membership)
        )
        context["suggestions"] = suggestions
        context["people"] = list(selectors.assignable_people())
        context["suggested"] = suggestions[0].specialist.pk if suggestions else None
    context.update(
        assignments=selectors.assignments_of(partner),
        checklist=selectors.vetting_checklist(partner),
        risk_assessed=selectors.risk_assessed(partner),
        score=selectors.risk_score_latest(partner),
        pending=selectors.pending_recommendation(partner),
        standing=selectors.partner_standing(partner),
        certificates=selectors.certificates_of(partner),
    )
    return render(request, "review/file.html", context)


@login_required
@require_POST
def assign(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_assignment_by_id(membership, partner_id)
    assert membership is not None
    form = AssignmentForm(request.POST, people=list(selectors.assignable_people()))
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("review:file", partner_id=partner.pk)
    specialist = User.objects.get(pk=form.cleaned_data["specialist"])
    _attempt(
        request,
        lambda: services.assignment_make(
            actor=_user(request),
            membership=membership,
            partner=partner,
            specialist=specialist,
            note=form.cleaned_data["note"],
        ),
        _("%(name)s is assigned to %(who)s.") % {"name": partner.legal_name, "who": specialist},
    )
    return redirect("review:file", partner_id=partner.pk)


@login_required
@require_POST
def start_review(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_review_by_id(membership, partner_id, write=True)
    assert membership is not None
    _attempt(
        request,
        lambda: partner_transition(
            actor=_user(request), membership=membership, partner=partner, name="start_review"
        ),
        _("Review started."),
    )
    return redirect("review:file", partner_id=partner.pk)


# --- Vetting ---------------------------------------------------------------------------------


@login_required
def vetting(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_review_by_id(membership, partner_id)
    assert membership is not None
    context = _file_context(membership, partner, "vetting")
    context.update(
        checklist=selectors.vetting_checklist(partner),
        complete=selectors.vetting_complete(partner),
        allowed_files=ALLOWED_DESCRIPTION,
        restricted_party=VettingCheckKind.RESTRICTED_PARTY.value,
    )
    return render(request, "review/vetting.html", context)


@login_required
@require_POST
def vetting_record(request: HttpRequest, partner_id: int, kind: str) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_review_by_id(membership, partner_id, write=True)
    assert membership is not None
    try:
        check_kind = VettingCheckKind(kind)
    except ValueError:
        raise Http404(_("No such vetting check.")) from None
    form = VettingCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(f"{_vetting_url(partner)}#check-{kind}")
    data = form.cleaned_data
    _attempt(
        request,
        lambda: services.vetting_check_record(
            actor=_user(request),
            membership=membership,
            partner=partner,
            kind=check_kind,
            result=data["result"],
            derogatory=data["derogatory"] == "yes",
            notes=data["notes"],
            upload=data["evidence"],
        ),
        _("%(check)s recorded.") % {"check": check_kind.label},
    )
    return redirect(f"{_vetting_url(partner)}#check-{kind}")


def _vetting_url(partner: Partner) -> str:
    return reverse("review:vetting", args=[partner.pk])


@login_required
@require_POST
def vetting_screen(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_review_by_id(membership, partner_id, write=True)
    assert membership is not None
    _attempt(
        request,
        lambda: services.vetting_screening_run(actor=_user(request), membership=membership, partner=partner),
        _("Restricted-party screening run and recorded."),
    )
    return redirect(f"{_vetting_url(partner)}#check-{VettingCheckKind.RESTRICTED_PARTY.value}")


@login_required
def vetting_evidence(request: HttpRequest, partner_id: int, check_id: int) -> HttpResponseBase:
    partner = access.access_review_by_id(request_membership(request), partner_id)
    check = access.access_vetting_check_by_id(partner, check_id)
    if not check.evidence_file:
        raise Http404(_("This record has no evidence file."))
    try:
        handle = check.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The evidence file is missing from storage.")) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=check.evidence_name, content_type=check.evidence_content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Risk ------------------------------------------------------------------------------------


@login_required
def risk(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_review_by_id(membership, partner_id)
    assert membership is not None
    texts = selectors.assessment_texts(partner)
    live = selectors.risk_score_live(partner)
    recorded = selectors.risk_score_latest(partner)
    context = _file_context(membership, partner, "risk")
    context.update(
        score=live,
        recorded=recorded,
        recorded_differs=recorded is not None and recorded.total != live.total,
        steps=[{"step": step, "text": texts[step.value]} for step in AssessmentStep],
        missing=assessment_missing(texts),
        assessed=selectors.risk_assessed(partner),
        assessment=selectors.assessment_of(partner),
        policy=selectors.risk_policy(),
        chart=bar_chart(
            _("Points by source"),
            [source.label for source, _subtotal, _rows in live.by_source()],
            [Series(_("Points"), [float(subtotal) for _source, subtotal, _rows in live.by_source()])],
        ),
    )
    return render(request, "review/risk.html", context)


@login_required
@require_POST
def risk_step(request: HttpRequest, partner_id: int, step: str) -> HttpResponse:
    """Save one step of the written assessment; htmx gets the step's status line back."""
    membership = request_membership(request)
    partner = access.access_review_by_id(membership, partner_id, write=True)
    assert membership is not None
    try:
        assessment_step = AssessmentStep(step)
    except ValueError:
        raise Http404(_("No such step.")) from None
    form = AssessmentStepForm(request.POST)
    form.is_valid()
    error = ""
    try:
        services.assessment_step_save(
            actor=_user(request),
            membership=membership,
            partner=partner,
            step=assessment_step,
            text=form.cleaned_data.get("text", ""),
        )
    except TransitionError as exc:
        error = " ".join(exc.reasons)
    if request.headers.get("HX-Request") == "true":
        context = {"step": assessment_step, "saved": not error, "error": error}
        return render(request, "review/_step_status.html", context, status=409 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(step)s saved.") % {"step": assessment_step.label})
    return redirect("review:risk", partner_id=partner.pk)


@login_required
@require_POST
def risk_record(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_review_by_id(membership, partner_id, write=True)
    assert membership is not None
    _attempt(
        request,
        lambda: services.risk_score_record(actor=_user(request), membership=membership, partner=partner),
        _("Risk score recorded."),
    )
    return redirect("review:risk", partner_id=partner.pk)


# --- Recommendation and decision -------------------------------------------------------------


@login_required
def decision(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_review_by_id(membership, partner_id)
    assert membership is not None
    pending = selectors.pending_recommendation(partner)
    context = _file_context(membership, partner, "decision")
    context.update(
        pending=pending,
        recommendations=selectors.recommendations_of(partner),
        can_recommend=partner.assigned_specialist_id == membership.user_id
        and membership.role in AGENCY_DECIDERS
        and pending is None
        and partner.status in selectors.OPEN_APPLICATION,
        can_decide=_can_supervise(membership) and pending is not None,
        own_recommendation=pending is not None
        and membership.user_id in (pending.recommended_by_id, partner.assigned_specialist_id),
        recommendation_kinds=list(RecommendationKind),
        decision_actions=list(DecisionAction),
        facts=selectors.certification_facts(partner),
        certificates=selectors.certificates_of(partner),
    )
    return render(request, "review/decision.html", context)


@login_required
@require_POST
def recommend(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_review_by_id(membership, partner_id, write=True)
    assert membership is not None
    form = RecommendationForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("review:decision", partner_id=partner.pk)
    kind = RecommendationKind(form.cleaned_data["kind"])
    _attempt(
        request,
        lambda: services.recommendation_make(
            actor=_user(request),
            membership=membership,
            partner=partner,
            kind=kind,
            reason=form.cleaned_data["reason"],
        ),
        _("Recommendation recorded: %(kind)s.") % {"kind": kind.label},
    )
    return redirect("review:decision", partner_id=partner.pk)


@login_required
@require_POST
def decide(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_decision_by_id(membership, partner_id)
    assert membership is not None
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("review:decision", partner_id=partner.pk)
    action = DecisionAction(form.cleaned_data["action"])
    _attempt(
        request,
        lambda: services.decision_take(
            actor=_user(request),
            membership=membership,
            partner=partner,
            action=action,
            reason=form.cleaned_data["reason"],
        ),
        _("Decision recorded: %(action)s.") % {"action": action.label},
    )
    return redirect("review:decision", partner_id=partner.pk)


# --- Certificates and the partner's standing -------------------------------------------------


@login_required
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = access.access_certificate_by_id(request_membership(request), certificate_id)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(certificate)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _standing_page(request: HttpRequest, partner: Partner, *, agency: bool) -> HttpResponse:
    context = {
        "partner": partner,
        "standing": selectors.partner_standing(partner),
        "certificates": selectors.certificates_of(partner),
        "benefit_rows": selectors.benefit_rows(),
        "tiers": sorted(BENEFITS),
        "agency": agency,
    }
    return render(request, "review/standing.html", context)


@login_required
def my_standing(request: HttpRequest) -> HttpResponse:
    partner = access.access_own_standing(request_membership(request))
    return _standing_page(request, partner, agency=False)


@login_required
def standing(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_standing_by_id(membership, partner_id)
    return _standing_page(request, partner, agency=membership is not None and membership.is_agency)
