"""Deadlines derived from recorded events, never typed in (domain file, sections 3 and 9).

The services store events; these pure functions read a partner's events in time order and say
which clocks are open and when each falls due. Rebuilding a clock from the event rows must give
the same answer as the page showed, so nothing here reads a stored due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ClockKind(StrEnum):
    CERTIFICATION = "certification"
    VALIDATION = "validation"

    @property
    def label(self) -> str:
        return {
            ClockKind.CERTIFICATION: "Certification decision (90 days from submission)",
            ClockKind.VALIDATION: "Validation (1 year from certification)",
        }[self]


@dataclass(frozen=True)
class LifecycleEvent:
    """The part of an event row the clocks need: which transition, and when."""

    transition: str
    at: datetime


@dataclass(frozen=True)
class Clock:
    kind: ClockKind
    started: datetime
    due: datetime
    paused_since: datetime | None = None

    def days_left(self, now: datetime) -> int:
        """Whole days until the due moment; negative once overdue. A paused clock does not run."""
        reference = self.paused_since or now
        delta = self.due - reference
        return delta.days

    def is_overdue(self, now: datetime) -> bool:
        return self.paused_since is None and now > self.due


@dataclass(frozen=True)
class ClockPolicy:
    certification_days: int = 90
    validation_days: int = 365


CERTIFICATION_STOPPERS = frozenset({"certify", "reject", "withdraw", "remove"})
VALIDATION_STOPPERS = frozenset({"validate", "withdraw", "remove", "suspend"})


def certification_clock(events: Iterable[LifecycleEvent], policy: ClockPolicy) -> Clock | None:
    """The 90-day certification clock.

    It starts at the first submission. A return to the partner pauses it; the resubmission
    resumes it, so the agency's time is counted but the partner's is not. Certification,
    rejection, withdrawal or removal stops it.
    """
    started: datetime | None = None
    paused_since: datetime | None = None
    paused_total = timedelta()
    for event in sorted(events, key=lambda e: e.at):
        if event.transition == "submit":
            if started is None:
                started = event.at
            elif paused_since is not None:
                paused_total += event.at - paused_since
                paused_since = None
        elif event.transition == "return_to_partner" and started is not None:
            paused_since = event.at
        elif event.transition in CERTIFICATION_STOPPERS and started is not None:
            return None
    if started is None:
        return None
    due = started + timedelta(days=policy.certification_days) + paused_total
    return Clock(ClockKind.CERTIFICATION, started, due, paused_since)


def validation_clock(events: Iterable[LifecycleEvent], policy: ClockPolicy) -> Clock | None:
    """The validation clock: due within one year of the (latest) certification."""
    certified_at: datetime | None = None
    for event in sorted(events, key=lambda e: e.at):
        if event.transition == "certify":
            certified_at = event.at
        elif event.transition in VALIDATION_STOPPERS:
            certified_at = None
    if certified_at is None:
        return None
    return Clock(ClockKind.VALIDATION, certified_at, add_years(certified_at, policy.validation_days), None)


def add_years(start: datetime, days: int) -> datetime:
    """``days`` of 365 mean whole calendar years: a year after 29 February is 28 February."""
    if days % 365 == 0:
        years = days // 365
        try:
            return start.replace(year=start.year + years)
        except ValueError:  # 29 February in a year that has none
            return start.replace(year=start.year + years, day=28)
    return start + timedelta(days=days)


def open_clocks(events: Iterable[LifecycleEvent], policy: ClockPolicy) -> list[Clock]:
    """Every clock the events leave open, soonest due first."""
    history = list(events)
    clocks = [certification_clock(history, policy), validation_clock(history, policy)]
    return sorted((c for c in clocks if c is not None), key=lambda c: c.due)
