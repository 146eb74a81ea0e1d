"""The agency's compliance pages: the work list, a partner's compliance file, a case with its
letters, plans and recommendations, and the program director's decisions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.roles import AGENCY_DECIDERS, Role
from ctpat.applications.models import Partner
from ctpat.compliance import access, selectors, services
from ctpat.compliance.forms import (
    CaseOpenForm,
    LetterForm,
    PlanDecisionForm,
    ReasonForm,
    RecommendationForm,
    SanctionDecisionForm,
)
from ctpat.compliance.models import ComplianceCase
from ctpat.compliance.views.common import attempt, invalid, member, user
from ctpat.core.sanctions import Benefit, SanctionGround, SanctionKind

# --- The agency's pages -----------------------------------------------------------------------


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    access.access_worklist(request_membership(request))
    return render(request, "compliance/worklist.html", {"worklist": selectors.agency_worklist()})


@login_required
def partner_file(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_partner_file_by_id(membership, partner_id)
    role = membership.role if membership else ""
    context = {
        "partner": partner,
        "cases": selectors.cases_of(partner),
        "letters": selectors.letters_of(partner),
        "window": selectors.appeal_window(partner),
        "appeals": selectors.appeals_of(partner),
        "benefits": selectors.partner_benefits(partner),
        "consents": selectors.consents_of(partner),
        "reinstatement": selectors.reinstatement_facts(partner),
        "can_write": role in AGENCY_DECIDERS,
        "is_director": role == Role.PROGRAM_DIRECTOR,
        "case_form": CaseOpenForm(),
    }
    return render(request, "compliance/partner.html", context)


def _back_to_partner(partner: Partner) -> HttpResponse:
    return redirect("compliance:partner", partner_id=partner.pk)


@login_required
@require_POST
def case_open(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner_file_by_id(request_membership(request), partner_id, write=True)
    form = CaseOpenForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
        return _back_to_partner(partner)
    opened: list[ComplianceCase] = []
    done = attempt(
        request,
        lambda: opened.append(
            services.case_open(
                actor=user(request),
                membership=member(request),
                partner=partner,
                grounds=form.cleaned_data["grounds"],
                incident_id=form.cleaned_data["incident_id"],
            )
        ),
        _("Non-compliance case opened."),
    )
    return redirect("compliance:case", case_id=opened[0].pk) if done else _back_to_partner(partner)


@login_required
@require_POST
def remove(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Removal for knowingly false information, straight from the program director."""
    partner = access.access_director_on_partner_by_id(request_membership(request), partner_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.partner_remove_for_false_information(
                actor=user(request),
                membership=member(request),
                partner=partner,
                reasons=form.cleaned_data["reason"],
            ),
            _("The partner was removed from the program."),
        )
    return _back_to_partner(partner)


@login_required
@require_POST
def reinstate(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_director_on_partner_by_id(request_membership(request), partner_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.partner_reinstate(
                actor=user(request),
                membership=member(request),
                partner=partner,
                reason=form.cleaned_data["reason"],
            ),
            _("The partner was reinstated."),
        )
    return _back_to_partner(partner)


@login_required
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    membership = request_membership(request)
    record = access.access_case_by_id(membership, case_id)
    role = membership.role if membership else ""
    plans = [
        (p, selectors.objective_notes(p))
        for p in selectors.plans_of(record.partner).filter(letter__case=record)
    ]
    context = {
        "case": record,
        "partner": record.partner,
        "letters": selectors.letters_of_case(record),
        "plans": plans,
        "recommendations": selectors.recommendations_of(record),
        "pending": selectors.pending_recommendation(record),
        "history": selectors.case_history(record),
        "can_write": role in AGENCY_DECIDERS,
        "can_recommend": role in {Role.SPECIALIST, Role.SUPERVISOR},
        "is_director": role == Role.PROGRAM_DIRECTOR,
        "letter_form": LetterForm(),
        "sanction_kinds": list(SanctionKind),
        "grounds": list(SanctionGround),
        "benefits": list(Benefit),
    }
    return render(request, "compliance/case.html", context)


def _back_to_case(record: ComplianceCase) -> HttpResponse:
    return redirect("compliance:case", case_id=record.pk)


@login_required
@require_POST
def letter_issue(request: HttpRequest, case_id: int) -> HttpResponse:
    record = access.access_case_by_id(request_membership(request), case_id, write=True)
    form = LetterForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
        return _back_to_case(record)
    attempt(
        request,
        lambda: services.warning_letter_issue(
            actor=user(request),
            membership=member(request),
            case=record,
            deficiencies=form.cleaned_data["deficiencies"],
            required_actions=form.cleaned_data["required_actions"],
            response_days=form.cleaned_data["response_days"],
        ),
        _("The warning letter was sent to the partner."),
    )
    return _back_to_case(record)


@login_required
@require_POST
def recommend(request: HttpRequest, case_id: int) -> HttpResponse:
    record = access.access_case_by_id(request_membership(request), case_id, write=True)
    form = RecommendationForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
        return _back_to_case(record)
    kind = SanctionKind(form.cleaned_data["kind"])
    attempt(
        request,
        lambda: services.sanction_recommend(
            actor=user(request),
            membership=member(request),
            case=record,
            kind=kind,
            ground=SanctionGround(form.cleaned_data["ground"]),
            benefits=[Benefit(b) for b in form.cleaned_data["benefits"]],
            reasons=form.cleaned_data["reasons"],
        ),
        _("%(kind)s recommended to the program director.") % {"kind": kind.label},
    )
    return _back_to_case(record)


@login_required
@require_POST
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    record = access.access_case_by_id(request_membership(request), case_id, write=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.case_close(
                actor=user(request),
                membership=member(request),
                case=record,
                reason=form.cleaned_data["reason"],
            ),
            _("The case was closed."),
        )
    return _back_to_case(record)


@login_required
@require_POST
def plan_decide(request: HttpRequest, plan_id: int) -> HttpResponse:
    record = access.access_plan_by_id(request_membership(request), plan_id, decide=True)
    form = PlanDecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["action"] == "accept"
        service = services.corrective_plan_accept if accept else services.corrective_plan_return
        attempt(
            request,
            lambda: service(
                actor=user(request),
                membership=member(request),
                plan=record,
                reason=form.cleaned_data["reason"],
            ),
            _("The plan was accepted.") if accept else _("The plan was returned to the partner."),
        )
    else:
        invalid(request, form)
    return _back_to_case(record.letter.case)


@login_required
@require_POST
def recommendation_decide(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    record = access.access_recommendation_by_id(request_membership(request), recommendation_id)
    form = SanctionDecisionForm(request.POST)
    if form.is_valid():
        take = form.cleaned_data["action"] == "take"
        attempt(
            request,
            lambda: services.sanction_decide(
                actor=user(request),
                membership=member(request),
                recommendation=record,
                take=take,
                reason=form.cleaned_data["reason"],
            ),
            _("The sanction was taken.") if take else _("The recommendation was declined."),
        )
    else:
        invalid(request, form)
    return _back_to_case(record.case)
