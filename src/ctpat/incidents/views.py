"""Incident pages. A partner reports incidents and keeps its investigation, corrective actions
and post-incident analyses up to date; the agency records incidents it found and triages them
(refer, ask for an analysis, non-compliance, close); a liaison of another government agency
reads the referrals made to it. Every page fetches through ``access``; every write calls a
service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm, Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import AGENCY_DECIDERS, PARTNER_EDITORS
from ctpat.applications.evidence import ALLOWED_DESCRIPTION, EvidenceRejected
from ctpat.applications.models import Partner
from ctpat.core.incident_rules import KIND_LABELS, IncidentState, agency_steps, default_analysis_due
from ctpat.core.lifecycle import TransitionError
from ctpat.incidents import access, selectors, services
from ctpat.incidents.forms import (
    AnalysisAnswerForm,
    AnalysisRequestForm,
    IncidentForm,
    InvestigationForm,
    ReasonForm,
    ReferralForm,
    TriageForm,
)
from ctpat.incidents.models import EvidencePurpose, Incident, IncidentEvidence


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def _membership(request: HttpRequest) -> Membership:
    membership = request_membership(request)
    assert membership is not None  # the access function ran first and refused None
    return membership


def _add_errors(form: BaseForm, exc: ValidationError | EvidenceRejected | TransitionError) -> None:
    """A service's refusal, shown on the form's fields (or above it)."""
    if isinstance(exc, EvidenceRejected):
        form.add_error("evidence" if "evidence" in form.fields else None, str(exc))
    elif isinstance(exc, TransitionError):
        form.add_error(None, exc.reasons)
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _download(evidence: IncidentEvidence) -> FileResponse:
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Lists -------------------------------------------------------------------------------------


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """A partner's own incidents, or (agency staff) every incident, filtered by state and type."""
    incidents = access.access_incidents(request_membership(request))
    membership = _membership(request)
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    state = state if state in {s.value for s in IncidentState} else ""
    kind = kind if kind in {k.value for k in KIND_LABELS} else ""
    context = {
        "rows": selectors.incident_rows(selectors.filter_incidents(incidents, state=state, kind=kind)),
        "is_agency": membership.is_agency,
        "can_report": membership.role in PARTNER_EDITORS,
        "states": list(IncidentState),
        "kinds": list(KIND_LABELS.items()),
        "state": state,
        "kind": kind,
        "late_hours": selectors.late_report_policy().hours,
    }
    return render(request, "incidents/list.html", context)


# --- Reporting ---------------------------------------------------------------------------------


def _incident_input(form: IncidentForm) -> services.IncidentInput:
    data = form.cleaned_data
    return services.IncidentInput(
        kind=data["kind"],
        happened_at=data["happened_at"],
        found_at=data["found_at"],
        place=data["place"],
        country=data["country"],
        description=data["description"],
        bill_of_lading=data["bill_of_lading"],
        entry_number=data["entry_number"],
        conveyance=data["conveyance"],
        seal_numbers=data["seal_numbers"],
        investigation=data["investigation"],
        corrective_actions=data["corrective_actions"],
    )


def _report_page(
    request: HttpRequest, partner: Partner, write: Callable[..., Incident], *, by_agency: bool
) -> HttpResponse:
    form = IncidentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = write(
                actor=_user(request),
                membership=_membership(request),
                partner=partner,
                data=_incident_input(form),
                uploads=form.cleaned_data["evidence"],
            )
        except (ValidationError, EvidenceRejected) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Incident %(ref)s recorded.") % {"ref": incident.reference})
            return redirect("incidents:detail", incident_id=incident.pk)
    context = {
        "form": form,
        "partner": partner,
        "by_agency": by_agency,
        "allowed_files": ALLOWED_DESCRIPTION,
        "late_hours": selectors.late_report_policy().hours,
    }
    return render(request, "incidents/report.html", context, status=422 if form.errors else 200)


@login_required
def incident_report(request: HttpRequest) -> HttpResponse:
    partner = access.access_partner_to_report(request_membership(request))
    return _report_page(request, partner, services.incident_report, by_agency=False)


@login_required
def incident_record(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner_to_record(request_membership(request), partner_id)
    return _report_page(request, partner, services.incident_record, by_agency=True)


# --- One incident ------------------------------------------------------------------------------


@login_required
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access.access_incident_by_id(request_membership(request), incident_id)
    membership = _membership(request)
    if membership.is_agency:
        return _triage_page(request, membership, incident)
    return _partner_page(request, membership, incident)


def _common(incident: Incident) -> dict[str, Any]:
    clock = selectors.incident_analysis_clock(incident)
    return {
        "incident": incident,
        "partner": incident.partner,
        "late": selectors.incident_is_late(incident),
        "delay_hours": selectors.incident_delay_hours(incident),
        "late_hours": selectors.late_report_policy().hours,
        "clock": clock,
        "clock_overdue": clock is not None and clock.is_overdue(timezone.localdate()),
        "analyses": list(incident.analysis_requests.prefetch_related("evidence")),
        "open_analysis": selectors.open_analysis_request(incident),
        "evidence": list(incident.evidence.filter(analysis__isnull=True)),
        "events": selectors.incident_events(incident),
        "history": selectors.investigation_history(incident),
        "allowed_files": ALLOWED_DESCRIPTION,
    }


def _partner_page(
    request: HttpRequest, membership: Membership, incident: Incident, *, forms: dict[str, Form] | None = None
) -> HttpResponse:
    can_edit = membership.role in PARTNER_EDITORS and incident.is_open
    context = {
        **_common(incident),
        "can_edit": can_edit,
        "is_agency": False,
        "investigation_form": InvestigationForm(
            initial={
                "investigation": incident.investigation,
                "corrective_actions": incident.corrective_actions,
            }
        ),
        "analysis_form": AnalysisAnswerForm(),
        **(forms or {}),
    }
    return render(request, "incidents/detail.html", context, status=422 if forms else 200)


def _triage_page(
    request: HttpRequest, membership: Membership, incident: Incident, *, forms: dict[str, Form] | None = None
) -> HttpResponse:
    can_decide = membership.role in AGENCY_DECIDERS
    context = {
        **_common(incident),
        "can_decide": can_decide,
        "is_agency": True,
        "steps": agency_steps(incident.state_enum) if can_decide else [],
        "referrals": selectors.incident_referrals(incident),
        "triage_form": TriageForm(),
        "referral_form": ReferralForm(),
        "analysis_request_form": AnalysisRequestForm(
            initial={"due": default_analysis_due(timezone.localdate())}
        ),
        "escalate_form": ReasonForm(prefix="escalate"),
        "close_form": ReasonForm(prefix="close"),
        **(forms or {}),
    }
    return render(request, "incidents/triage.html", context, status=422 if forms else 200)


# --- The partner's side ------------------------------------------------------------------------


@login_required
@require_POST
def investigation_update(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access.access_incident_to_edit(request_membership(request), incident_id)
    form = InvestigationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.investigation_update(
                actor=_user(request),
                membership=_membership(request),
                incident=incident,
                investigation=form.cleaned_data["investigation"],
                corrective_actions=form.cleaned_data["corrective_actions"],
                uploads=form.cleaned_data["evidence"],
            )
        except (ValidationError, EvidenceRejected, TransitionError) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Investigation and corrective actions saved."))
            return redirect("incidents:detail", incident_id=incident.pk)
    return _partner_page(request, _membership(request), incident, forms={"investigation_form": form})


@login_required
@require_POST
def analysis_submit(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access.access_incident_to_edit(request_membership(request), incident_id)
    form = AnalysisAnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.analysis_submit(
                actor=_user(request),
                membership=_membership(request),
                incident=incident,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["evidence"],
            )
        except (ValidationError, EvidenceRejected, TransitionError) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your post-incident analysis was sent to the agency."))
            return redirect("incidents:detail", incident_id=incident.pk)
    return _partner_page(request, _membership(request), incident, forms={"analysis_form": form})


# --- The agency's decisions --------------------------------------------------------------------


def _decide(
    request: HttpRequest,
    incident_id: int,
    *,
    form_name: str,
    make_form: Callable[[HttpRequest], Form],
    write: Callable[[Incident, dict[str, Any]], object],
    done: str,
) -> HttpResponseBase:
    incident = access.access_incident_to_decide(request_membership(request), incident_id)
    form = make_form(request)
    if form.is_valid():
        try:
            write(incident, form.cleaned_data)
        except (ValidationError, TransitionError) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("incidents:detail", incident_id=incident.pk)
    return _triage_page(request, _membership(request), incident, forms={form_name: form})


@login_required
@require_POST
def triage(request: HttpRequest, incident_id: int) -> HttpResponseBase:
    def write(incident: Incident, data: dict[str, Any]) -> object:
        return services.incident_triage(
            actor=_user(request),
            membership=_membership(request),
            incident=incident,
            assessment=data["assessment"],
        )

    return _decide(
        request,
        incident_id,
        form_name="triage_form",
        make_form=lambda r: TriageForm(r.POST),
        write=write,
        done=_("Incident triaged."),
    )


@login_required
@require_POST
def refer(request: HttpRequest, incident_id: int) -> HttpResponseBase:
    def write(incident: Incident, data: dict[str, Any]) -> object:
        return services.incident_refer(
            actor=_user(request),
            membership=_membership(request),
            incident=incident,
            agency=data["agency"],
            note=data["note"],
        )

    return _decide(
        request,
        incident_id,
        form_name="referral_form",
        make_form=lambda r: ReferralForm(r.POST),
        write=write,
        done=_("Referral recorded; the agency's liaisons were told."),
    )


@login_required
@require_POST
def request_analysis(request: HttpRequest, incident_id: int) -> HttpResponseBase:
    def write(incident: Incident, data: dict[str, Any]) -> object:
        return services.analysis_request(
            actor=_user(request),
            membership=_membership(request),
            incident=incident,
            question=data["question"],
            due=data["due"],
        )

    return _decide(
        request,
        incident_id,
        form_name="analysis_request_form",
        make_form=lambda r: AnalysisRequestForm(r.POST),
        write=write,
        done=_("Post-incident analysis requested; the partner's Company Officers were told."),
    )


@login_required
@require_POST
def escalate(request: HttpRequest, incident_id: int) -> HttpResponseBase:
    def write(incident: Incident, data: dict[str, Any]) -> object:
        return services.incident_escalate(
            actor=_user(request), membership=_membership(request), incident=incident, reason=data["reason"]
        )

    return _decide(
        request,
        incident_id,
        form_name="escalate_form",
        make_form=lambda r: ReasonForm(r.POST, prefix="escalate"),
        write=write,
        done=_("Non-compliance case opened for this incident."),
    )


@login_required
@require_POST
def close(request: HttpRequest, incident_id: int) -> HttpResponseBase:
    def write(incident: Incident, data: dict[str, Any]) -> object:
        return services.incident_close(
            actor=_user(request), membership=_membership(request), incident=incident, reason=data["reason"]
        )

    return _decide(
        request,
        incident_id,
        form_name="close_form",
        make_form=lambda r: ReasonForm(r.POST, prefix="close"),
        write=write,
        done=_("Incident closed."),
    )


@login_required
def evidence_download(request: HttpRequest, incident_id: int, evidence_id: int) -> FileResponse:
    incident = access.access_incident_by_id(request_membership(request), incident_id)
    return _download(access.access_incident_evidence_by_id(incident, evidence_id))


# --- Liaisons of other government agencies -----------------------------------------------------


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    referrals = access.access_referrals(request_membership(request))
    return render(request, "incidents/referral_list.html", {"referrals": referrals})


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = access.access_referral_by_id(request_membership(request), referral_id)
    incident = referral.incident
    context = {
        "referral": referral,
        "incident": incident,
        "evidence": incident.evidence.filter(purpose=EvidencePurpose.REPORT),
    }
    return render(request, "incidents/referral_detail.html", context)


@login_required
def referral_evidence(request: HttpRequest, referral_id: int, evidence_id: int) -> FileResponse:
    referral = access.access_referral_by_id(request_membership(request), referral_id)
    return _download(access.access_referral_evidence_by_id(referral, evidence_id))
