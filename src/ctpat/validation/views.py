"""Agency pages of a validation: the list and the partners due, the plan and its sites, the
validation's page with its report and the proposed and approved decision. Every page fetches
through ``access``; every write calls a service. The worksheets and findings are in
``worksheet_views``, the partner's pages in ``partner_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import Membership
from ctpat.accounts.roles import AGENCY_DECIDERS
from ctpat.core.lifecycle import TransitionError
from ctpat.core.validation_rules import (
    MRA_PARTNERS,
    Stage,
)
from ctpat.validation import access, selectors, services
from ctpat.validation.acting import (
    acting_membership,
    acting_user,
    errors_on_form,
    flash_refusal,
)
from ctpat.validation.forms import (
    PlanForm,
    ProposalForm,
    ReviewForm,
    SiteForm,
)
from ctpat.validation.models import Validation, ValidationSite
from ctpat.validation.report import validation_report_pdf

# --- The list and the plan ---------------------------------------------------------------------


@login_required
def validation_list(request: HttpRequest) -> HttpResponse:
    membership = access.access_agency(request_membership(request))
    stage = request.GET.get("stage", "")
    mine = request.GET.get("mine") == "1"
    rows = selectors.validation_list(
        stage=stage if stage in {s.value for s in Stage} else "", lead=acting_user(request) if mine else None
    )
    context = {
        "validations": rows,
        "due": selectors.partners_to_plan(),
        "stages": list(Stage),
        "stage": stage,
        "mine": mine,
        "can_plan": membership.role in AGENCY_DECIDERS,
    }
    return render(request, "validation/list.html", context)


@login_required
def plan(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner_to_plan(request_membership(request), partner_id)
    form = PlanForm(request.POST or None, initial={"lead": partner.assigned_specialist})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            validation = services.validation_plan(
                actor=acting_user(request),
                membership=acting_membership(request),
                partner=partner,
                lead=data["lead"],
                team=list(data["team"]),
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                scope=data["scope"],
                prefill_sites=data["prefill_sites"],
            )
        except ValidationError as exc:
            errors_on_form(form, exc)
        else:
            messages.success(request, _("Validation planned for %(name)s.") % {"name": partner.legal_name})
            return redirect("validation:detail", validation_id=validation.pk)
    context = {"partner": partner, "form": form, "clock": selectors.partner_validation_clock(partner)}
    return render(request, "validation/plan.html", context, status=422 if form.errors else 200)


@login_required
def plan_edit(request: HttpRequest, validation_id: int) -> HttpResponse:
    validation = access.access_validation_to_plan(request_membership(request), validation_id)
    initial = {
        "lead": validation.lead,
        "team": list(validation.team.all()),
        "planned_start": validation.planned_start,
        "planned_end": validation.planned_end,
        "scope": validation.scope,
    }
    form = PlanForm(request.POST or None, initial=initial, creating=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.validation_plan_update(
                actor=acting_user(request),
                membership=acting_membership(request),
                validation=validation,
                lead=data["lead"],
                team=list(data["team"]),
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                scope=data["scope"],
            )
        except ValidationError as exc:
            errors_on_form(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("validation:detail", validation_id=validation.pk)
    context = {
        "partner": validation.partner,
        "validation": validation,
        "form": form,
        "clock": selectors.partner_validation_clock(validation.partner),
    }
    return render(request, "validation/plan.html", context, status=422 if form.errors else 200)


# --- The validation's page ---------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, validation_id: int) -> HttpResponse:
    membership = access.access_agency(request_membership(request))
    validation = access.access_validation_by_id(membership, validation_id)
    return render(request, "validation/detail.html", _detail_context(request, membership, validation))


def _detail_context(request: HttpRequest, membership: Membership, validation: Validation) -> dict[str, Any]:
    stage = validation.stage_enum
    proposal = selectors.open_proposal(validation)
    return {
        "validation": validation,
        "partner": validation.partner,
        "clock": selectors.partner_validation_clock(validation.partner),
        "team": list(validation.team.all()),
        "sites": list(validation.sites.all()),
        "tally": selectors.tally_of(validation),
        "findings": selectors.findings_of(validation),
        "gaps": selectors.report_readiness(validation) if stage in {Stage.PLANNED, Stage.FIELDWORK} else [],
        "report": getattr(validation, "report", None),
        "response": getattr(validation, "response", None),
        "proposal": proposal,
        "approved": selectors.approved_proposal(validation),
        "returned": validation.proposals.filter(state="returned"),
        "events": validation.events.select_related("actor"),
        "can_fieldwork": access.can_do_fieldwork(membership, validation),
        "can_plan": membership.role in AGENCY_DECIDERS and stage in {Stage.PLANNED, Stage.FIELDWORK},
        "can_review": proposal is not None
        and membership.role in access.APPROVERS
        and proposal.proposed_by_id != membership.user_id,
        "proposal_form": ProposalForm(
            allowed=selectors.outcomes_allowed(validation), today=timezone.localdate()
        ),
        "review_form": ReviewForm(),
        "is_fieldwork": stage in {Stage.PLANNED, Stage.FIELDWORK},
        "can_propose_now": stage in {Stage.REPORT_SENT, Stage.RESPONDED},
    }


# --- Sites -------------------------------------------------------------------------------------


@login_required
def site_add(request: HttpRequest, validation_id: int) -> HttpResponse:
    validation = access.access_validation_for_fieldwork(request_membership(request), validation_id)
    return _site_form(request, validation, ValidationSite(validation=validation))


@login_required
def site_edit(request: HttpRequest, validation_id: int, site_id: int) -> HttpResponse:
    validation = access.access_validation_for_fieldwork(request_membership(request), validation_id)
    return _site_form(request, validation, access.access_site_by_id(validation, site_id))


def _site_form(request: HttpRequest, validation: Validation, site: ValidationSite) -> HttpResponse:
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_save(
                actor=acting_user(request),
                membership=acting_membership(request),
                validation=validation,
                site=form.instance,
            )
        except ValidationError as exc:
            errors_on_form(form, exc)
        else:
            messages.success(request, _("Site %(name)s saved.") % {"name": form.instance.name})
            return redirect("validation:detail", validation_id=validation.pk)
    context = {
        "validation": validation,
        "partner": validation.partner,
        "form": form,
        "site": site if site.pk else None,
        "mra_partners": list(MRA_PARTNERS.values()),
    }
    return render(request, "validation/site_form.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def site_delete(request: HttpRequest, validation_id: int, site_id: int) -> HttpResponse:
    validation = access.access_validation_for_fieldwork(request_membership(request), validation_id)
    site = access.access_site_by_id(validation, site_id)
    try:
        services.site_remove(actor=acting_user(request), membership=acting_membership(request), site=site)
    except ValidationError as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, _("Site removed."))
    return redirect("validation:detail", validation_id=validation.pk)


# --- The report --------------------------------------------------------------------------------


@login_required
def report_pdf(request: HttpRequest, validation_id: int) -> HttpResponse:
    """The report as sent; before it is sent, agency staff see a draft."""
    validation = access.access_validation_by_id(request_membership(request), validation_id)
    report = getattr(validation, "report", None)
    pdf = bytes(report.pdf) if report is not None else validation_report_pdf(validation)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"ctpat-validation-V{validation.pk}{'' if report else '-draft'}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_send(request: HttpRequest, validation_id: int) -> HttpResponse:
    validation = access.access_validation_for_fieldwork(request_membership(request), validation_id)
    try:
        services.report_send(
            actor=acting_user(request), membership=acting_membership(request), validation=validation
        )
    except ValidationError as exc:
        flash_refusal(request, exc)
    else:
        messages.success(
            request, _("The report was sent to %(name)s.") % {"name": validation.partner.legal_name}
        )
    return redirect("validation:detail", validation_id=validation.pk)


# --- The decision ------------------------------------------------------------------------------


@login_required
@require_POST
def propose(request: HttpRequest, validation_id: int) -> HttpResponse:
    membership = request_membership(request)
    validation = access.access_validation_to_propose(membership, validation_id)
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            services.decision_propose(
                actor=acting_user(request),
                membership=acting_membership(request),
                validation=validation,
                decision=form.decision(),
            )
        except ValidationError as exc:
            errors_on_form(form, exc)
        else:
            messages.success(request, _("Decision proposed; a supervisor approves it."))
            return redirect("validation:detail", validation_id=validation.pk)
    context = _detail_context(request, acting_membership(request), validation)
    context["proposal_form"] = form
    return render(request, "validation/detail.html", context, status=422)


@login_required
@require_POST
def approve(request: HttpRequest, validation_id: int, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal_to_review(request_membership(request), validation_id, proposal_id)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.decision_approve(
            actor=acting_user(request),
            membership=acting_membership(request),
            proposal=proposal,
            note=form.cleaned_data.get("note", ""),
        )
    except (ValidationError, TransitionError) as exc:
        flash_refusal(request, exc)
    else:
        messages.success(
            request, _("Decision approved: %(outcome)s.") % {"outcome": proposal.outcome_enum.label}
        )
    return redirect("validation:detail", validation_id=validation_id)


@login_required
@require_POST
def return_proposal(request: HttpRequest, validation_id: int, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal_to_review(request_membership(request), validation_id, proposal_id)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.decision_return(
            actor=acting_user(request),
            membership=acting_membership(request),
            proposal=proposal,
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, _("The proposal was returned to the specialist."))
    return redirect("validation:detail", validation_id=validation_id)
