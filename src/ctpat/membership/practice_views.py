"""Pages of the partner's best practices: internal assessments with findings per criterion,
training records (category 12) with their evidence, and improvement actions. The partner's
editors write; its read-only people and agency staff read; another company is "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import User
from ctpat.accounts.roles import PARTNER_EDITORS
from ctpat.applications.evidence import ALLOWED_DESCRIPTION, EvidenceRejected
from ctpat.applications.models import Partner
from ctpat.membership import access, best_practices, selectors
from ctpat.membership.forms import ActionForm, AssessmentForm, FindingForm, TrainingForm
from ctpat.membership.views import evidence_response, flash_refusal


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def _can_edit(request: HttpRequest) -> bool:
    membership = request_membership(request)
    return membership is not None and membership.role in PARTNER_EDITORS


def _refused(form: BaseForm, exc: ValidationError | EvidenceRejected) -> None:
    """A service's refusal, shown on the form's fields (or above it)."""
    if isinstance(exc, EvidenceRejected):
        form.add_error("file" if "file" in form.fields else None, str(exc))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def practices(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner_by_id(request_membership(request), partner_id)
    context = {
        "partner": partner,
        "assessments": selectors.assessments(partner),
        "trainings": selectors.trainings(partner),
        "dues": selectors.open_action_dues([partner.pk]),
        "actions": selectors.actions(partner),
        "can_edit": _can_edit(request),
        "today": timezone.localdate(),
    }
    return render(request, "membership/practices.html", context)


# --- Internal assessments -----------------------------------------------------------------------


@login_required
def assessment_new(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner_by_id(request_membership(request), partner_id, write=True)
    form = AssessmentForm(request.POST or None, criteria=selectors.assessment_criteria(partner))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = best_practices.internal_assessment_record(
                actor=_user(request), partner=partner, performed_on=data["performed_on"],
                title=data["title"], summary=data["summary"], criteria=list(data["criteria"]),
            )  # fmt: skip
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Internal assessment recorded: record what you found per criterion."))
            return redirect("membership:assessment", partner_id=partner.pk, assessment_id=assessment.pk)
    context = {"partner": partner, "form": form}
    return render(request, "membership/assessment_new.html", context, status=422 if form.errors else 200)


@login_required
def assessment(request: HttpRequest, partner_id: int, assessment_id: int) -> HttpResponse:
    partner = access.access_partner_by_id(request_membership(request), partner_id)
    record = access.access_assessment_by_id(partner, assessment_id)
    findings = [(f, FindingForm(initial={"result": f.result, "note": f.note}, prefix=f"f{f.pk}"))
                for f in record.findings.select_related("criterion")]  # fmt: skip
    context = {
        "partner": partner,
        "assessment": record,
        "findings": findings,
        "actions": record.actions.all(),
        "can_edit": _can_edit(request),
    }
    return render(request, "membership/assessment.html", context)


@login_required
@require_POST
def finding_save(request: HttpRequest, partner_id: int, assessment_id: int, finding_id: int) -> HttpResponse:
    partner = access.access_partner_by_id(request_membership(request), partner_id, write=True)
    record = access.access_assessment_by_id(partner, assessment_id)
    finding = access.access_finding_by_id(record, finding_id)
    form = FindingForm(request.POST, prefix=f"f{finding.pk}")
    if form.is_valid():
        try:
            best_practices.assessment_finding_save(
                actor=_user(request),
                finding=finding,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            flash_refusal(request, exc)
        else:
            messages.success(request, _("Finding on %(code)s saved.") % {"code": finding.criterion.code})
    else:
        messages.error(request, _("Choose one of the offered results."))
    return redirect("membership:assessment", partner_id=partner.pk, assessment_id=record.pk)


# --- Training records -----------------------------------------------------------------------------


@login_required
def training_new(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner_by_id(request_membership(request), partner_id, write=True)
    form = TrainingForm(request.POST or None, request.FILES or None, criteria=selectors.training_criteria())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            best_practices.training_record_add(
                actor=_user(request),
                partner=partner,
                data=best_practices.TrainingInput(
                    course=data["course"], held_on=data["held_on"], criteria=list(data["criteria"]),
                    attendee_names=data["attendee_names"], attendee_count=data["attendee_count"],
                ),
                upload=data["file"],
            )  # fmt: skip
        except (ValidationError, EvidenceRejected) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("membership:practices", partner_id=partner.pk)
    context = {"partner": partner, "form": form, "allowed_files": ALLOWED_DESCRIPTION}
    return render(request, "membership/training_new.html", context, status=422 if form.errors else 200)


@login_required
def training_evidence(request: HttpRequest, partner_id: int, record_id: int) -> HttpResponseBase:
    partner = access.access_partner_by_id(request_membership(request), partner_id)
    record = access.access_training_by_id(partner, record_id)
    if not record.evidence:
        return redirect("membership:practices", partner_id=partner.pk)
    return evidence_response(record.evidence_name, record.evidence_content_type, record.evidence)


# --- Improvement actions --------------------------------------------------------------------------


def _action_form(request: HttpRequest, partner: Partner) -> ActionForm:
    return ActionForm(
        request.POST or None,
        criteria=selectors.assessment_criteria(partner),
        assessments=list(selectors.assessments(partner)),
    )


@login_required
def actions(request: HttpRequest, partner_id: int) -> HttpResponse:
    """The list of improvement actions, and (for editors) the form to add one."""
    write = request.method == "POST"
    partner = access.access_partner_by_id(request_membership(request), partner_id, write=write)
    form = _action_form(request, partner)
    if write and form.is_valid():
        data = form.cleaned_data
        try:
            best_practices.improvement_action_save(
                actor=_user(request), partner=partner, data=best_practices.ActionInput(**data)
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Improvement action added."))
            return redirect("membership:actions", partner_id=partner.pk)
    context = {
        "partner": partner,
        "actions": selectors.actions(partner),
        "dues": selectors.open_action_dues([partner.pk]),
        "form": form,
        "can_edit": _can_edit(request),
        "today": timezone.localdate(),
    }
    return render(request, "membership/actions.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def action_status(request: HttpRequest, partner_id: int, action_id: int) -> HttpResponse:
    partner = access.access_partner_by_id(request_membership(request), partner_id, write=True)
    action = access.access_action_by_id(partner, action_id)
    try:
        best_practices.improvement_action_set_status(
            actor=_user(request), action=action, status=request.POST.get("status", "")
        )
    except ValidationError as exc:
        flash_refusal(request, exc)
    return redirect("membership:actions", partner_id=partner.pk)
