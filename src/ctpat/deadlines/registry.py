"""Every open deadline of the program, from whichever app owns it, in one shape.

An app registers a *clock source*: a function that returns the open deadlines it knows,
each recomputed from that app's event rows (never a stored due date). The program-wide clock
page, each partner's clock page and the reminder scheduler read the sources through
``open_deadlines``::

    from ctpat.deadlines.registry import OpenDeadline, clock_source

    @clock_source("incident_report")
    def incident_deadlines(*, partner_ids=None):
        ...
        yield OpenDeadline(source="incident_report", key=f"incident:{incident.pk}", ...)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ctpat.accounts.models import User


@dataclass(frozen=True)
class OpenDeadline:
    """One open deadline. ``key`` identifies the thing the deadline is about, stably across runs
    (e.g. ``"partner:12:certification"``); with ``due`` it keys the reminders sent for it."""

    source: str
    key: str
    label: str
    partner_id: int | None
    partner_name: str
    started: datetime
    due: datetime
    url: str = ""
    paused: bool = False
    # Who is reminded; empty means nobody (the page still lists the deadline).
    recipients: tuple[User, ...] = field(default=(), compare=False, hash=False)


ClockSource = Callable[..., Iterable[OpenDeadline]]
_SOURCES: dict[str, ClockSource] = {}


def clock_source(name: str) -> Callable[[ClockSource], ClockSource]:
    """Register a function ``f(*, partner_ids: Collection[int] | None) -> Iterable[OpenDeadline]``."""

    def register(func: ClockSource) -> ClockSource:
        _SOURCES[name] = func
        return func

    return register


def registered_sources() -> dict[str, ClockSource]:
    return dict(_SOURCES)


def open_deadlines(*, partner_ids: Collection[int] | None = None) -> list[OpenDeadline]:
    """Every open deadline (of the given partners, or program-wide), soonest due first."""
    found: list[OpenDeadline] = []
    for source in _SOURCES.values():
        found.extend(source(partner_ids=partner_ids))
    return sorted(found, key=lambda d: (d.paused, d.due))
