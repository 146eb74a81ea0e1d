"""Writes of the partner's best practices: internal assessments with findings per criterion,
training records mapped to category 12, and improvement actions with owner and due date.

Each service takes the acting user, runs in one transaction and writes a ``BestPracticeEvent``;
an improvement action's due date and status are read back from those events by its clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import User
from ctpat.applications.evidence import inspect_upload
from ctpat.applications.models import Partner
from ctpat.core.revalidation import ActionStatus
from ctpat.criteria.models import Criterion
from ctpat.criteria.selectors import catalogue_current
from ctpat.membership import selectors
from ctpat.membership.models import (
    AssessmentFinding,
    BestPracticeEvent,
    FindingResult,
    ImprovementAction,
    InternalAssessment,
    TrainingRecord,
)
from ctpat.notifications.services import notify

Subject = BestPracticeEvent.Subject


def _event(
    partner: Partner, subject: str, subject_id: int, action: str, actor: User, **details: Any
) -> BestPracticeEvent:
    return BestPracticeEvent.objects.create(
        partner=partner,
        subject=subject,
        subject_id=subject_id,
        action=action,
        actor=actor,
        details=details,
        at=timezone.now(),
    )


def _check_scope(
    criteria: Sequence[Criterion], allowed: Sequence[Criterion], field: str, message: str
) -> None:
    allowed_ids = {c.pk for c in allowed}
    if not criteria:
        raise ValidationError({field: _("Choose at least one criterion.")})
    if any(c.pk not in allowed_ids for c in criteria):
        raise ValidationError({field: message})


# --- Internal assessments ---------------------------------------------------------------------


@transaction.atomic
def internal_assessment_record(
    *,
    actor: User,
    partner: Partner,
    performed_on: date,
    title: str,
    summary: str,
    criteria: Sequence[Criterion],
) -> InternalAssessment:
    """A self-audit against the chosen criteria (its scope): one finding row per criterion."""
    _check_scope(
        criteria,
        selectors.assessment_criteria(partner),
        "criteria",
        _("Choose criteria of the current catalogue that apply to your company."),
    )
    if performed_on > timezone.localdate():
        raise ValidationError({"performed_on": _("An assessment is recorded once it took place.")})
    assessment = InternalAssessment.objects.create(
        partner=partner,
        performed_on=performed_on,
        title=title.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    AssessmentFinding.objects.bulk_create(
        AssessmentFinding(assessment=assessment, criterion=c) for c in criteria
    )
    _event(partner, Subject.ASSESSMENT, assessment.pk, "record", actor, criteria=[c.code for c in criteria])
    return assessment


@transaction.atomic
def assessment_finding_save(
    *, actor: User, finding: AssessmentFinding, result: str, note: str
) -> AssessmentFinding:
    """What the self-audit found for one criterion of its scope."""
    if result and result not in FindingResult.values:
        raise ValidationError({"result": _("Choose one of the offered results.")})
    if result in {FindingResult.GAP, FindingResult.PARTLY} and not note.strip():
        raise ValidationError({"note": _("Say what was found.")})
    finding.result, finding.note = result, note.strip()
    finding.save(update_fields=["result", "note"])
    assessment = finding.assessment
    _event(assessment.partner, Subject.ASSESSMENT, assessment.pk, "finding", actor,
           criterion=finding.criterion.code, result=result)  # fmt: skip
    return finding


# --- Training records -------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingInput:
    course: str
    held_on: date
    criteria: Sequence[Criterion]
    attendee_names: str = ""
    attendee_count: int | None = None


def _attendees(data: TrainingInput) -> tuple[str, int]:
    """Names one a line, a count, or both (then the count may include people not named)."""
    names = [line.strip() for line in data.attendee_names.splitlines() if line.strip()]
    count = data.attendee_count if data.attendee_count is not None else len(names)
    if count < 1:
        raise ValidationError({"attendee_names": _("Name the attendees or give their number.")})
    if count < len(names):
        raise ValidationError(
            {"attendee_count": _("%(n)s people are named; the number cannot be lower.") % {"n": len(names)}}
        )
    return "\n".join(names), count


@transaction.atomic
def training_record_add(
    *, actor: User, partner: Partner, data: TrainingInput, upload: UploadedFile[bytes] | None = None
) -> TrainingRecord:
    """A training session against category 12's criteria, with an optional evidence file."""
    _check_scope(
        data.criteria,
        selectors.training_criteria(),
        "criteria",
        _("Choose criteria of category 12 (education, training and awareness) of the current catalogue."),
    )
    if data.held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A training is recorded once it took place.")})
    names, count = _attendees(data)
    record = TrainingRecord(
        partner=partner, course=data.course.strip(), held_on=data.held_on,
        attendee_names=names, attendee_count=count, recorded_by=actor,
    )  # fmt: skip
    if upload is not None:
        _attach(record, upload)
    try:
        record.save()
    except Exception:
        if record.evidence:
            record.evidence.delete(save=False)
        raise
    record.criteria.set(data.criteria)
    _event(partner, Subject.TRAINING, record.pk, "record", actor, criteria=[c.code for c in data.criteria],
           attendees=count, evidence_sha256=record.evidence_sha256)  # fmt: skip
    return record


def _attach(record: TrainingRecord, upload: UploadedFile[bytes]) -> None:
    """Check the file (type from its content, size, SHA-256) and store it under its hash."""
    inspected = inspect_upload(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)
    record.evidence_name = inspected.original_name
    record.evidence_content_type = inspected.content_type
    record.evidence_size = inspected.size
    record.evidence_sha256 = inspected.sha256
    record.evidence.save(inspected.sha256, upload, save=False)


@transaction.atomic
def training_evidence_attach(
    *, actor: User, record: TrainingRecord, upload: UploadedFile[bytes]
) -> TrainingRecord:
    """Attach (or replace) a training record's evidence file."""
    previous = record.evidence.name
    _attach(record, upload)
    record.save()
    if previous and previous != record.evidence.name:
        storage, name = record.evidence.storage, previous
        if not TrainingRecord.objects.filter(evidence=name).exists():
            transaction.on_commit(lambda: storage.delete(name))
    _event(
        record.partner, Subject.TRAINING, record.pk, "evidence", actor, evidence_sha256=record.evidence_sha256
    )
    return record


# --- Improvement actions ----------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    title: str
    owner: str
    due_on: date
    description: str = ""
    criterion: Criterion | None = None
    assessment: InternalAssessment | None = None


def _check_action(partner: Partner, data: ActionInput) -> None:
    if data.assessment is not None and data.assessment.partner_id != partner.pk:
        raise ValidationError({"assessment": _("Choose one of your company's internal assessments.")})
    if data.criterion is not None and data.criterion.catalogue_id != catalogue_current().pk:
        raise ValidationError({"criterion": _("Choose a criterion of the current catalogue.")})


@transaction.atomic
def improvement_action_save(
    *, actor: User, partner: Partner, data: ActionInput, action: ImprovementAction | None = None
) -> ImprovementAction:
    """Record a new improvement action, or change one (its due date is kept in the event)."""
    _check_action(partner, data)
    row = action or ImprovementAction(partner=partner, created_by=actor)
    row.title, row.owner, row.due_on = data.title.strip(), data.owner.strip(), data.due_on
    row.description, row.criterion, row.assessment = data.description.strip(), data.criterion, data.assessment
    row.full_clean(exclude=["partner", "created_by"])
    row.save()
    _event(partner, Subject.ACTION, row.pk, "update" if action else "record", actor,
           due_on=row.due_on.isoformat(), owner=row.owner)  # fmt: skip
    return row


@transaction.atomic
def improvement_action_set_status(
    *, actor: User, action: ImprovementAction, status: str
) -> ImprovementAction:
    """Mark an action done, or open it again."""
    if status not in {s.value for s in ActionStatus}:
        raise ValidationError({"status": _("Choose open or done.")})
    if status == action.status:
        return action
    action.status = status
    action.save(update_fields=["status"])
    _event(
        action.partner, Subject.ACTION, action.pk, "done" if status == ActionStatus.DONE else "reopen", actor
    )
    if status == ActionStatus.DONE:
        notify(
            users=selectors.partner_specialist(action.partner),
            subject=_("Improvement action done: %(title)s") % {"title": action.title},
            body=_("%(name)s marked an improvement action done.") % {"name": action.partner.legal_name},
        )
    return action
