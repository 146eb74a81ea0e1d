"""The reminder scheduler: idempotent, and safe to interrupt.

Each reminder is one transaction that writes its ``Reminder`` row (unique per deadline, due
moment and stage) together with the in-app messages; the e-mails go through the
notifications outbox. Running twice sends nothing twice; a crash mid-run loses nothing: what
committed is remembered, what did not is sent by the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ctpat.core.reminders import reminder_stage, stage_label
from ctpat.deadlines.models import Reminder
from ctpat.deadlines.registry import OpenDeadline, open_deadlines
from ctpat.notifications.services import notifications_deliver, notify


@dataclass
class SchedulerReport:
    reviews_opened: int = 0
    windows_missed: int = 0
    deadlines: int = 0
    reminders_sent: int = 0
    already_sent: int = 0
    emails: int = 0
    stages: dict[str, int] = field(default_factory=dict)


def reminder_key(deadline: OpenDeadline, stage: str) -> str:
    return f"{deadline.key}|{deadline.due.isoformat()}|{stage}"


def reminder_send(*, deadline: OpenDeadline, stage: str) -> bool:
    """Send one reminder unless it was sent before; True when it was sent now."""
    key = reminder_key(deadline, stage)
    if Reminder.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(
                key=key,
                source=deadline.source,
                deadline_key=deadline.key,
                partner_id=deadline.partner_id,
                label=deadline.label,
                due=deadline.due,
                stage=stage,
                recipients=len(deadline.recipients),
            )
            notify(
                users=deadline.recipients,
                subject=f"{deadline.label} — {deadline.partner_name} {stage_label(stage)}",
                body=f"Due {timezone.localtime(deadline.due):%Y-%m-%d %H:%M}.",
                url=deadline.url,
            )
    except IntegrityError:  # another run sent it a moment ago
        return False
    return True


def scheduler_run(*, now: datetime | None = None) -> SchedulerReport:
    """Send every reminder that is due now and not yet sent; then deliver pending e-mails."""
    from ctpat.membership.services import annual_reviews_open_due, annual_reviews_record_missed

    moment = now or timezone.now()
    report = SchedulerReport()
    # Steps that are due by the calendar alone; both are idempotent.
    report.reviews_opened = len(annual_reviews_open_due(today=timezone.localdate(moment)))
    report.windows_missed = len(annual_reviews_record_missed(now=moment))
    for deadline in open_deadlines():
        report.deadlines += 1
        if deadline.paused:
            continue
        stage = reminder_stage(due=deadline.due, now=moment, days_before=settings.REMINDER_DAYS_BEFORE)
        if stage is None:
            continue
        if reminder_send(deadline=deadline, stage=stage):
            report.reminders_sent += 1
            report.stages[stage] = report.stages.get(stage, 0) + 1
        else:
            report.already_sent += 1
    report.emails = notifications_deliver()
    return report
