"""The fieldwork: each site's worksheet, the findings per criterion and their evidence files."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.applications.evidence import inspect_upload
from ctpat.core.validation_rules import (
    CHECKLISTS,
    NOTE_MAX,
    FindingKind,
    WorksheetInput,
    point_field,
    visit_date_error,
    worksheet_errors,
)
from ctpat.criteria.models import Criterion
from ctpat.validation.models import (
    Finding,
    PartnerResponse,
    Validation,
    ValidationEvidence,
    ValidationSite,
)
from ctpat.validation.services.stages import ensure_fieldwork, fieldwork_started

Errors = dict[str, list[str]]


# --- The worksheet and the findings ------------------------------------------------------------


@transaction.atomic
def worksheet_save(
    *,
    actor: User,
    membership: Membership,
    site: ValidationSite,
    worksheet: WorksheetInput,
    visited_on: date | None,
) -> Errors:
    """Save what the specialist typed on a site's worksheet. Every field without a problem is
    stored; a field with one keeps its previous value and its problem is returned, so nothing
    typed correctly is lost because of a mistake elsewhere on the page."""
    validation = site.validation
    ensure_fieldwork(validation)
    errors = worksheet_errors(worksheet)
    date_problem = visit_date_error(visited_on, today=timezone.localdate())
    if date_problem:
        errors["visited_on"] = [date_problem]
    else:
        site.visited_on = visited_on
    site.inspections = _merged_inspections(site.inspections or {}, worksheet, errors)
    if "vvtt" not in errors:
        site.vvtt = {step: bool(done) for step, done in worksheet.vvtt.items() if done}
    if "seal_class_seen" not in errors:
        site.seal_class_seen = worksheet.seal_class_seen
    site.seal_log_kept = worksheet.seal_log_kept
    site.observations = worksheet.observations.strip()
    site.worksheet_updated_at = timezone.now()
    site.worksheet_updated_by = actor
    site.save()
    fieldwork_started(validation, actor, membership)
    return errors


def _merged_inspections(
    previous: dict[str, Any], worksheet: WorksheetInput, errors: Errors
) -> dict[str, dict[str, dict[str, str]]]:
    merged: dict[str, dict[str, dict[str, str]]] = {
        k: dict(v) for k, v in previous.items() if k in CHECKLISTS
    }
    for checklist, points in worksheet.inspections.items():
        if checklist not in CHECKLISTS:
            continue
        for point, observed in points.items():
            if point_field(checklist, point, "result") in errors:
                continue
            before = merged.get(checklist, {}).get(point, {})
            note = observed.get("note", "")
            kept_note = before.get("note", "") if len(note) > NOTE_MAX else note.strip()
            result = observed.get("result", "")
            if result or kept_note:
                merged.setdefault(checklist, {})[point] = {"result": result, "note": kept_note}
            else:
                merged.get(checklist, {}).pop(point, None)
    return {k: v for k, v in merged.items() if v}


@transaction.atomic
def finding_save(
    *,
    actor: User,
    membership: Membership,
    validation: Validation,
    site: ValidationSite | None,
    criterion: Criterion,
    kind: str,
    narrative: str,
) -> tuple[Finding | None, Errors]:
    """Record (or clear) the finding on one criterion, saved as the specialist types. An unknown
    kind keeps the previous one; the narrative is kept either way."""
    ensure_fieldwork(validation)
    _check_criterion(validation, criterion)
    finding = Finding.objects.filter(validation=validation, site=site, criterion=criterion).first()
    errors: Errors = {}
    if kind and kind not in {k.value for k in FindingKind}:
        errors["kind"] = [_("Choose one of the offered findings.")]
        kind = finding.kind if finding else ""
    if not kind and not narrative.strip():
        if finding is not None and not finding.evidence.exists():
            finding.delete()
            finding = None
        return finding, errors
    if finding is None:
        finding = Finding(validation=validation, site=site, criterion=criterion)
    finding.kind = kind
    finding.narrative = narrative.strip()
    finding.recorded_by = actor
    finding.save()
    if kind in {FindingKind.MINOR, FindingKind.MAJOR} and not finding.narrative:
        errors["narrative"] = [_("Describe the deficiency: the partner reads this in the report.")]
    fieldwork_started(validation, actor, membership)
    return finding, errors


def _check_criterion(validation: Validation, criterion: Criterion) -> None:
    if not criterion.catalogue.is_current:
        raise ValidationError({"criterion": [_("Findings are recorded against the current catalogue.")]})
    if validation.partner.entity_type not in criterion.entity_types:
        raise ValidationError(
            {
                "criterion": [
                    _("Criterion %(code)s does not apply to this partner.") % {"code": criterion.code}
                ]
            }
        )


def evidence_store(
    *,
    actor: User,
    validation: Validation,
    upload: UploadedFile[bytes],
    finding: Finding | None = None,
    response: PartnerResponse | None = None,
) -> ValidationEvidence:
    inspected = inspect_upload(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)
    evidence = ValidationEvidence(
        validation=validation,
        finding=finding,
        response=response,
        original_name=inspected.original_name,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(inspected.sha256, upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def finding_evidence_add(
    *, actor: User, membership: Membership, finding: Finding, upload: UploadedFile[bytes]
) -> ValidationEvidence:
    """A file backing a finding (a photo of the seal, a log page); EvidenceRejected says why not."""
    ensure_fieldwork(finding.validation)
    return evidence_store(actor=actor, validation=finding.validation, upload=upload, finding=finding)
