"""When to remind someone of a deadline (issue: "reminders before each deadline and on overdue").

Stages run from the earliest (e.g. 30 days before) to "overdue". A run sends only the most
urgent stage that has been reached, so a scheduler that was down for a week does not send a
pile of stale reminders; a stage is sent at most once per deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

OVERDUE = "overdue"


def reminder_stage(*, due: datetime, now: datetime, days_before: Sequence[int] = (30, 7, 1)) -> str | None:
    """The most urgent reminder stage reached at ``now``, or None when none is due yet.

    >>> from datetime import UTC
    >>> due = datetime(2026, 12, 31, tzinfo=UTC)
    >>> reminder_stage(due=due, now=datetime(2026, 12, 26, tzinfo=UTC))
    '7'
    >>> reminder_stage(due=due, now=datetime(2027, 1, 1, tzinfo=UTC))
    'overdue'
    >>> reminder_stage(due=due, now=datetime(2026, 11, 1, tzinfo=UTC)) is None
    True
    """
    if now > due:
        return OVERDUE
    reached = [days for days in days_before if now >= due - timedelta(days=days)]
    return str(min(reached)) if reached else None


def stage_label(stage: str) -> str:
    if stage == OVERDUE:
        return "is overdue"
    return "is due within 1 day" if stage == "1" else f"is due within {stage} days"
