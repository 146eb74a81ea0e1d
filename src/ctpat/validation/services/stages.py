"""Moving a validation from stage to stage, each move checked by the core and recorded as a
``ValidationEvent`` (events that do not move the stage are recorded too)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.core.validation_rules import (
    Stage,
    StageError,
    stage_after,
)
from ctpat.validation.models import (
    Validation,
    ValidationEvent,
)

# --- Stages ------------------------------------------------------------------------------------


def step_take(
    *,
    validation: Validation,
    step: str,
    actor: User,
    membership: Membership,
    to: Stage | None = None,
    details: dict[str, Any] | None = None,
) -> ValidationEvent:
    """Move the (locked) validation to the stage ``step`` leads to and record the event."""
    locked = Validation.objects.select_for_update().get(pk=validation.pk)
    current = Stage(locked.stage)
    try:
        target = to or stage_after(step, current)
    except StageError as exc:
        raise ValidationError(str(exc)) from exc
    locked.stage = target
    locked.save(update_fields=["stage", "updated_at"])
    validation.stage = target
    return ValidationEvent.objects.create(
        validation=locked,
        action=step,
        from_stage=current,
        to_stage=target,
        actor=actor,
        actor_role=membership.role,
        details=details or {},
        at=timezone.now(),
    )


def ensure_fieldwork(validation: Validation) -> None:
    """The plan, sites, worksheets and findings change only until the report is sent (read from
    the locked row, so a page opened before the report was sent cannot change it after)."""
    stage = Validation.objects.select_for_update().values_list("stage", flat=True).get(pk=validation.pk)
    validation.stage = stage
    if not _is_open_for_fieldwork(validation):
        raise ValidationError(
            _("The report has been sent; the plan, the worksheets and the findings can no longer change.")
        )


def _is_open_for_fieldwork(validation: Validation) -> bool:
    return validation.stage in {Stage.PLANNED, Stage.FIELDWORK}


def fieldwork_started(validation: Validation, actor: User, membership: Membership) -> None:
    """The first worksheet entry or finding moves a planned validation into its fieldwork."""
    if validation.stage == Stage.PLANNED:
        step_take(validation=validation, step="record_fieldwork", actor=actor, membership=membership)


def event_record(
    validation: Validation,
    action: str,
    actor: User,
    membership: Membership,
    details: dict[str, Any] | None = None,
) -> None:
    """An event that does not change the stage (plan changes, sites)."""
    ValidationEvent.objects.create(
        validation=validation,
        action=action,
        from_stage=validation.stage,
        to_stage=validation.stage,
        actor=actor,
        actor_role=membership.role,
        details=details or {},
        at=timezone.now(),
    )
