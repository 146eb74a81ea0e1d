"""The fieldwork pages: each site's worksheet (inspection checklists, seal checks, observations)
and the findings per criterion, saved as the specialist types with an error per field; the
findings' and the response's evidence files."""

from __future__ import annotations

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
from ctpat.accounts.models import Membership
from ctpat.applications.evidence import ALLOWED_DESCRIPTION, EvidenceRejected
from ctpat.core.validation_rules import (
    CHECKLISTS,
    SEAL_CONTROLS,
    TAMPERING_SIGNS,
    VVTT_STEPS,
    FindingKind,
    SiteMode,
    Stage,
    WorksheetInput,
    point_field,
)
from ctpat.criteria.models import Criterion
from ctpat.validation import access, selectors, services
from ctpat.validation.acting import (
    Errors,
    acting_membership,
    acting_user,
    is_htmx,
)
from ctpat.validation.forms import (
    SEAL_CLASS_CHOICES,
    EvidenceForm,
    FindingForm,
    worksheet_from_post,
)
from ctpat.validation.models import Validation, ValidationEvidence, ValidationSite

# --- The worksheet and the findings ------------------------------------------------------------


@login_required
def worksheet(request: HttpRequest, validation_id: int, site_id: int) -> HttpResponse:
    membership = access.access_agency(request_membership(request))
    validation = access.access_validation_by_id(membership, validation_id)
    site = access.access_site_by_id(validation, site_id)
    if request.method != "POST":
        return render(request, "validation/worksheet.html", _worksheet_context(membership, validation, site))
    validation = access.access_validation_for_fieldwork(membership, validation_id)
    typed, visited_on, errors = worksheet_from_post(request.POST)
    if errors:
        visited_on = site.visited_on
    try:
        errors |= services.worksheet_save(
            actor=acting_user(request),
            membership=membership,
            site=site,
            worksheet=typed,
            visited_on=visited_on,
        )
    except ValidationError as exc:
        errors = {"__all__": exc.messages}
    if is_htmx(request):
        return _worksheet_status(request, site, errors)
    if errors:
        context = _worksheet_context(membership, validation, site, typed=typed, errors=errors)
        context["values"] = _typed_values(
            typed, request.POST.get("visited_on", ""), request.POST.get("seal_log_kept", "")
        )
        return render(request, "validation/worksheet.html", context, status=422)
    messages.success(request, _("Worksheet saved."))
    return redirect("validation:worksheet", validation_id=validation.pk, site_id=site.pk)


def _worksheet_context(
    membership: Membership,
    validation: Validation,
    site: ValidationSite,
    *,
    typed: Any = None,
    errors: Errors | None = None,
) -> dict[str, Any]:
    return {
        "validation": validation,
        "partner": validation.partner,
        "site": site,
        "checklists": selectors.checklist_rows(site, typed.inspections if typed else None, errors),
        "values": _saved_values(site),
        "field_errors": {key.strip("_"): " ".join(messages) for key, messages in (errors or {}).items()},
        "vvtt_steps": VVTT_STEPS,
        "seal_classes": SEAL_CLASS_CHOICES,
        "seal_controls": SEAL_CONTROLS,
        "tampering_signs": TAMPERING_SIGNS,
        "seal_concerns": selectors.site_seal_concerns(site),
        "rows": selectors.finding_rows(validation, site) if site.mode is SiteMode.VISIT else [],
        "errors": errors or {},
        "can_edit": access.can_do_fieldwork(membership, validation)
        and validation.stage_enum in {Stage.PLANNED, Stage.FIELDWORK},
        "allowed_files": ALLOWED_DESCRIPTION,
        "finding_kinds": [(k.value, k.label) for k in FindingKind],
    }


def _saved_values(site: ValidationSite) -> dict[str, Any]:
    return {
        "visited_on": site.visited_on.isoformat() if site.visited_on else "",
        "seal_class_seen": site.seal_class_seen,
        "seal_log_kept": {True: "yes", False: "no"}.get(site.seal_log_kept, ""),  # type: ignore[arg-type]
        "observations": site.observations,
        "vvtt": {step for step, done in (site.vvtt or {}).items() if done},
    }


def _typed_values(typed: WorksheetInput, visited_on: str, seal_log_kept: str) -> dict[str, Any]:
    """What was typed, shown again after a refused save so that nothing is lost."""
    return {
        "visited_on": visited_on,
        "seal_class_seen": typed.seal_class_seen,
        "seal_log_kept": seal_log_kept,
        "observations": typed.observations,
        "vvtt": {step for step, done in typed.vvtt.items() if done},
    }


def _worksheet_status(request: HttpRequest, site: ValidationSite, errors: Errors) -> HttpResponse:
    """The "saved" line and every field's error slot (out of band), so old errors clear too."""
    slots = ["visited_on", "seal_class_seen", "vvtt", "observations", "__all__"]
    for checklist in CHECKLISTS.values():
        for point in checklist.points:
            slots += [
                point_field(checklist.code, point.code, "result"),
                point_field(checklist.code, point.code, "note"),
            ]
    context = {
        "saved_at": timezone.localtime(),
        "errors": errors,
        "slots": [(slot, errors.get(slot, [])) for slot in slots],
        "seal_concerns": selectors.site_seal_concerns(site),
    }
    return render(request, "validation/_worksheet_status.html", context)


@login_required
def company_findings(request: HttpRequest, validation_id: int) -> HttpResponse:
    """Findings on the company as a whole (the security profile review), not tied to one site."""
    membership = access.access_agency(request_membership(request))
    validation = access.access_validation_by_id(membership, validation_id)
    context = {
        "validation": validation,
        "partner": validation.partner,
        "rows": selectors.finding_rows(validation, None),
        "can_edit": access.can_do_fieldwork(membership, validation)
        and validation.stage_enum in {Stage.PLANNED, Stage.FIELDWORK},
        "allowed_files": ALLOWED_DESCRIPTION,
        "finding_kinds": [(k.value, k.label) for k in FindingKind],
    }
    return render(request, "validation/company_findings.html", context)


@login_required
@require_POST
def finding_save(request: HttpRequest, validation_id: int) -> HttpResponse:
    membership = request_membership(request)
    validation = access.access_validation_for_fieldwork(membership, validation_id)
    site = _site_from_post(request, validation)
    criterion = _criterion_from_post(request)
    form = FindingForm(request.POST)
    form.is_valid()
    kind, narrative = form.cleaned_data.get("kind", ""), form.cleaned_data.get("narrative", "")
    errors: Errors = {k: [str(e) for e in v] for k, v in form.errors.items()}
    finding = None
    if not errors:
        try:
            finding, errors = services.finding_save(
                actor=acting_user(request),
                membership=acting_membership(request),
                validation=validation,
                site=site,
                criterion=criterion,
                kind=kind,
                narrative=narrative,
            )
        except ValidationError as exc:
            errors = {"kind": exc.messages}
    if is_htmx(request):
        context = {
            "errors": errors,
            "prefix": _finding_prefix(site, criterion),
            "finding": finding,
            "saved_at": timezone.localtime(),
        }
        return render(request, "validation/_finding_status.html", context)
    for field_errors in errors.values():
        for error in field_errors:
            messages.error(request, f"{criterion.code}: {error}")
    if not errors:
        messages.success(request, _("Finding on %(code)s saved.") % {"code": criterion.code})
    return redirect(_findings_page(validation, site) + f"#finding-{_finding_prefix(site, criterion)}")


def _finding_prefix(site: ValidationSite | None, criterion: Criterion) -> str:
    return f"s{site.pk if site else 0}-c{criterion.pk}"


def _findings_page(validation: Validation, site: ValidationSite | None) -> str:
    if site is None:
        return reverse("validation:company_findings", args=[validation.pk])
    return reverse("validation:worksheet", args=[validation.pk, site.pk])


def _site_from_post(request: HttpRequest, validation: Validation) -> ValidationSite | None:
    raw = request.POST.get("site", "")
    return access.access_site_by_id(validation, int(raw)) if raw.isdigit() and raw != "0" else None


def _criterion_from_post(request: HttpRequest) -> Criterion:
    raw = request.POST.get("criterion", "")
    criterion = (
        Criterion.objects.select_related("catalogue").filter(pk=int(raw)).first() if raw.isdigit() else None
    )
    if criterion is None:
        raise Http404(_("No such criterion."))
    return criterion


@login_required
@require_POST
def finding_evidence_upload(request: HttpRequest, validation_id: int, finding_id: int) -> HttpResponse:
    validation = access.access_validation_for_fieldwork(request_membership(request), validation_id)
    finding = access.access_finding_by_id(validation, finding_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.finding_evidence_add(
                actor=acting_user(request),
                membership=acting_membership(request),
                finding=finding,
                upload=form.cleaned_data["file"],
            )
        except (EvidenceRejected, ValidationError) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(
                request, _("File added to the finding on %(code)s.") % {"code": finding.criterion.code}
            )
    return redirect(
        _findings_page(validation, finding.site)
        + f"#finding-{_finding_prefix(finding.site, finding.criterion)}"
    )


@login_required
def evidence_download(request: HttpRequest, validation_id: int, evidence_id: int) -> HttpResponseBase:
    """A finding's or the response's file: agency staff, or the partner once the report is sent."""
    validation = access.access_validation_by_id(request_membership(request), validation_id)
    return evidence_file_response(access.access_evidence_by_id(validation, evidence_id))


def evidence_file_response(evidence: ValidationEvidence) -> FileResponse:
    """The stored file as a download under its original name; never served from a public URL."""
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The evidence file is missing from storage.")) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
