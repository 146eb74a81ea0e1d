"""The partner's compliance pages (and the appeal page both sides read): letters and their
PDFs, plans and progress, appeals, consent to unannounced visits and withdrawal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.roles import AGENCY_ROLES, PARTNER_EDITORS, Role
from ctpat.compliance import access, selectors, services
from ctpat.compliance.forms import (
    AppealDecisionForm,
    ObjectiveFormSet,
    PlanForm,
    ProgressForm,
    StatementForm,
)
from ctpat.compliance.letters import warning_letter_filename, warning_letter_pdf
from ctpat.compliance.models import Appeal
from ctpat.compliance.views.common import attempt, invalid, member, user
from ctpat.core.sanctions import STATE_LABELS, AppealOutcome, Benefit, Subject

# --- The partner's pages ----------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    partner = access.access_own_compliance(request_membership(request))
    membership = member(request)
    context = {
        "partner": partner,
        "letters": selectors.letters_of(partner),
        "plans": selectors.plans_of(partner),
        "window": selectors.appeal_window(partner),
        "appeals": selectors.appeals_of(partner),
        "benefits": selectors.partner_benefits(partner),
        "consents": selectors.consents_of(partner),
        "is_officer": membership.role == Role.COMPANY_OFFICER,
        "is_editor": membership.role in PARTNER_EDITORS,
    }
    return render(request, "compliance/mine.html", context)


@login_required
def letter(request: HttpRequest, letter_id: int) -> HttpResponse:
    membership = request_membership(request)
    warning_letter = access.access_letter_by_id(membership, letter_id)
    plans = list(selectors.plans_of_letter(warning_letter))
    context = {
        "letter": warning_letter,
        "view": selectors.letter_view(warning_letter),
        "partner": warning_letter.case.partner,
        "plans": [(plan, selectors.objective_notes(plan)) for plan in plans],
        "latest_plan": plans[0] if plans else None,
        "is_editor": membership is not None and membership.role in PARTNER_EDITORS,
        "is_agency": membership is not None and membership.role in AGENCY_ROLES,
        "progress_form": ProgressForm(),
    }
    return render(request, "compliance/letter.html", context)


@login_required
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    warning_letter = access.access_letter_by_id(request_membership(request), letter_id)
    response = HttpResponse(warning_letter_pdf(warning_letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{warning_letter_filename(warning_letter)}"'
    return response


@login_required
def plan(request: HttpRequest, letter_id: int) -> HttpResponse:
    """Answer a warning letter with a corrective action plan (or resubmit a returned one)."""
    warning_letter = access.access_letter_for_plan_by_id(request_membership(request), letter_id)
    latest = selectors.latest_plan(warning_letter)
    form = PlanForm(request.POST or None, initial={"summary": latest.summary if latest else ""})
    initial = (
        [{"description": o.description, "due_on": o.due_on} for o in latest.objectives.all()]
        if latest
        else []
    )
    formset = ObjectiveFormSet(request.POST or None, initial=initial, prefix="objectives")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        objectives = [
            services.ObjectiveInput(row["description"], row["due_on"])
            for row in formset.cleaned_data
            if row.get("description")
        ]
        submitted = attempt(
            request,
            lambda: services.corrective_plan_submit(
                actor=user(request),
                membership=member(request),
                letter=warning_letter,
                summary=form.cleaned_data["summary"],
                objectives=objectives,
            ),
            _("Your corrective action plan was sent to CBP."),
        )
        if submitted:
            return redirect("compliance:letter", letter_id=warning_letter.pk)
    context = {"letter": warning_letter, "form": form, "formset": formset, "latest": latest}
    return render(request, "compliance/plan.html", context)


@login_required
@require_POST
def objective_progress(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = access.access_objective_by_id(request_membership(request), objective_id)
    form = ProgressForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.objective_progress(
                actor=user(request),
                membership=member(request),
                objective=objective,
                note=form.cleaned_data["note"],
                completed=form.cleaned_data["completed"],
            ),
            _("Progress recorded."),
        )
    else:
        invalid(request, form)
    return redirect("compliance:letter", letter_id=objective.plan.letter_id)


@login_required
def appeal_new(request: HttpRequest, event_id: int) -> HttpResponse:
    """The Company Officer appeals the decision that set the company's status."""
    decision = access.access_decision_for_appeal_by_id(request_membership(request), event_id)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        appeal: list[Appeal] = []
        filed = attempt(
            request,
            lambda: appeal.append(
                services.appeal_file(
                    actor=user(request),
                    membership=member(request),
                    decision_event=decision,
                    statement=form.cleaned_data["statement"],
                )
            ),
            _("Your appeal was filed. CBP decides within 180 days."),
        )
        if filed:
            return redirect("compliance:appeal", appeal_id=appeal[0].pk)
    window = selectors.appeal_window(decision.partner)
    context = {
        "decision": decision,
        "form": form,
        "window": window if window and window.event == decision else None,
    }
    return render(request, "compliance/appeal_new.html", context)


@login_required
@require_POST
def consent(request: HttpRequest) -> HttpResponse:
    partner = access.access_officer_partner(request_membership(request))
    form = StatementForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.visit_consent_record(
                actor=user(request),
                membership=member(request),
                partner=partner,
                statement=form.cleaned_data["statement"],
            ),
            _("Your consent to unannounced visits was recorded."),
        )
    return redirect("compliance:mine")


@login_required
def withdraw(request: HttpRequest) -> HttpResponse:
    """The Company Officer withdraws the company from the program, in writing."""
    partner = access.access_officer_partner(request_membership(request))
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: services.partner_withdraw(
                actor=user(request),
                membership=member(request),
                partner=partner,
                statement=form.cleaned_data["statement"],
            ),
            _("The company has withdrawn from the program."),
        )
        if done:
            return redirect("compliance:mine")
    return render(request, "compliance/withdraw.html", {"partner": partner, "form": form})


# --- Appeals (both sides) ---------------------------------------------------------------------


@login_required
def appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    membership = request_membership(request)
    record = access.access_appeal_by_id(membership, appeal_id)
    decided_by = record.decision_event.actor_id
    context = {
        "appeal": record,
        "partner": record.partner,
        "decision": record.decision_event,
        "due": selectors.appeal_decision_deadline(record),
        "history": selectors.record_events(Subject.APPEAL, record.pk),
        "can_decide": access.can_decide_appeals(membership) and record.state == "filed",
        "decided_it": membership is not None and membership.user_id == decided_by,
        "outcomes": list(AppealOutcome),
        "benefits": list(Benefit),
        "suspended": selectors.suspended_benefits(record.decision_event),
        "is_agency": membership is not None and membership.role in AGENCY_ROLES,
    }
    return render(request, "compliance/appeal.html", context)


@login_required
@require_POST
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    record = access.access_appeal_by_id(request_membership(request), appeal_id, decide=True)
    form = AppealDecisionForm(request.POST)
    if form.is_valid():
        outcome = AppealOutcome(form.cleaned_data["outcome"])
        attempt(
            request,
            lambda: services.appeal_decide(
                actor=user(request),
                membership=member(request),
                appeal=record,
                outcome=outcome,
                reasons=form.cleaned_data["reasons"],
                restored_benefits=[Benefit(b) for b in form.cleaned_data["restored_benefits"]],
            ),
            _("The appeal was decided (%(outcome)s).") % {"outcome": STATE_LABELS[outcome.value].lower()},
        )
    else:
        invalid(request, form)
    return redirect("compliance:appeal", appeal_id=record.pk)
