"""Audit cooperation (domain file, section 3.4): the agency asks a partner for documents,
information or access with a deadline; the partner answers item by item; the agency accepts each
answer or asks again; the request closes once every item is accepted.

The item steps are one table; the request's state follows from its items' states; the deadline
and whether it is overdue are recomputed from the recorded steps. No Django here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from ctpat.core.incident_rules import Party
from ctpat.core.lifecycle import TransitionError


class RequestKind(StrEnum):
    AUDIT = "audit"
    DOCUMENTS = "documents"

    @property
    def label(self) -> str:
        return {RequestKind.AUDIT: "Audit", RequestKind.DOCUMENTS: "Document request"}[self]


class RequestState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            RequestState.OPEN: "Awaiting the partner",
            RequestState.ANSWERED: "Awaiting the agency's review",
            RequestState.CLOSED: "Closed (every item accepted)",
        }[self]


class ItemState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return {
            ItemState.OPEN: "Awaiting an answer",
            ItemState.ANSWERED: "Answered",
            ItemState.ACCEPTED: "Accepted",
        }[self]


@dataclass(frozen=True)
class ItemStep:
    name: str
    sources: frozenset[ItemState]
    target: ItemState
    party: Party
    label: str


ITEM_STEPS: dict[str, ItemStep] = {
    s.name: s
    for s in (
        # The partner may improve an answer until the agency has reviewed it.
        ItemStep(
            "answer",
            frozenset({ItemState.OPEN, ItemState.ANSWERED}),
            ItemState.ANSWERED,
            Party.PARTNER,
            "Answer",
        ),
        ItemStep("accept", frozenset({ItemState.ANSWERED}), ItemState.ACCEPTED, Party.AGENCY, "Accept"),
        ItemStep("ask_again", frozenset({ItemState.ANSWERED}), ItemState.OPEN, Party.AGENCY, "Ask again"),
    )
}
STEP_LABELS = {
    "send": "Request sent",
    "answer": "Item answered",
    "accept": "Item accepted",
    "ask_again": "Asked again",
    "close": "Closed",
}


class AuditStepError(TransitionError):
    """A step that is not allowed; ``reasons`` says every reason why (the API answers 409)."""


def item_state_after(
    step_name: str, *, current: ItemState, party: Party, text: str = "", documents: int = 0
) -> ItemState:
    """The item's state after ``party`` takes ``step_name``; AuditStepError lists every reason
    it is refused.

    >>> item_state_after("answer", current=ItemState.OPEN, party=Party.PARTNER, text="Attached.")
    <ItemState.ANSWERED: 'answered'>
    """
    step = ITEM_STEPS.get(step_name)
    if step is None:
        raise AuditStepError([f"Unknown step {step_name!r}."])
    reasons = []
    if current not in step.sources:
        reasons.append(f"{step.label} is not possible: the item is {current.label.lower()}.")
    if party is not step.party:
        reasons.append(f"{step.label} is not done by the {party.value}.")
    if step_name == "answer" and not text.strip() and documents == 0:
        reasons.append("Write an answer or attach a document.")
    if step_name == "ask_again" and not text.strip():
        reasons.append("Say what is still missing.")
    if reasons:
        raise AuditStepError(reasons)
    return step.target


def request_state_for(items: Iterable[ItemState]) -> RequestState:
    """Closed once every item is accepted; open while any item awaits the partner; else answered.

    >>> request_state_for([ItemState.ACCEPTED, ItemState.ANSWERED])
    <RequestState.ANSWERED: 'answered'>
    """
    states = list(items)
    if states and all(s is ItemState.ACCEPTED for s in states):
        return RequestState.CLOSED
    if any(s is ItemState.OPEN for s in states):
        return RequestState.OPEN
    return RequestState.ANSWERED


def is_overdue(*, state: RequestState, deadline: date, today: date) -> bool:
    """A request is overdue when the partner still owes an answer after the deadline day.

    >>> from datetime import date
    >>> is_overdue(state=RequestState.OPEN, deadline=date(2024, 5, 1), today=date(2024, 5, 2))
    True
    >>> is_overdue(state=RequestState.ANSWERED, deadline=date(2024, 5, 1), today=date(2024, 5, 2))
    False
    """
    return state is RequestState.OPEN and today > deadline


# --- What the agency types ---------------------------------------------------------------------


def request_errors(
    *,
    subject: str,
    items: Sequence[str],
    deadline: date | None,
    today: date,
    site_access: bool = False,
    site_date: date | None = None,
    site: str = "",
) -> dict[str, list[str]]:
    """The reasons a new request is refused, by field."""
    errors: dict[str, list[str]] = {}
    if not subject.strip():
        errors["subject"] = ["Give the request a subject."]
    if not any(item.strip() for item in items):
        errors["items"] = ["List at least one item the partner must answer."]
    deadline_error = new_deadline_error(deadline, today=today)
    if deadline_error:
        errors["deadline"] = [deadline_error]
    if site_access:
        if site_date is None:
            errors["site_date"] = ["Give the date of the site visit."]
        elif site_date < today:
            errors["site_date"] = ["The site visit cannot be in the past."]
        if not site.strip():
            errors["site"] = ["Say which site the agency needs access to."]
    return errors


def new_deadline_error(deadline: date | None, *, today: date) -> str | None:
    if deadline is None:
        return "Give the deadline."
    if deadline <= today:
        return "The deadline must be after today."
    return None


# --- The deadline, from the recorded steps -----------------------------------------------------


@dataclass(frozen=True)
class AuditStepRecord:
    """The part of an event row the clock needs. ``items`` (for ``send``) lists the request's
    item IDs; ``item`` names the item a step is about; ``deadline`` is set by ``send`` and by an
    ``ask_again`` that gives a new one."""

    action: str
    at: datetime
    item: int | None = None
    items: tuple[int, ...] = ()
    deadline: date | None = None


@dataclass(frozen=True)
class AuditClock:
    started: datetime
    deadline: date

    def is_overdue(self, today: date) -> bool:
        return is_overdue(state=RequestState.OPEN, deadline=self.deadline, today=today)


def audit_clock(steps: Iterable[AuditStepRecord]) -> AuditClock | None:
    """The request's deadline while the partner owes an answer to any item; None otherwise.

    It starts when the request is sent (or an answer is sent back with "ask again") and runs
    to the latest deadline given.
    """
    items: dict[int, ItemState] = {}
    deadline: date | None = None
    started: datetime | None = None
    for step in sorted(steps, key=lambda s: s.at):
        if step.action == "send":
            items = dict.fromkeys(step.items, ItemState.OPEN)
            deadline, started = step.deadline, step.at
        elif step.item is not None and step.action in ITEM_STEPS:
            items[step.item] = ITEM_STEPS[step.action].target
            if step.action == "ask_again":
                started = step.at
                deadline = step.deadline or deadline
    if deadline is None or started is None or request_state_for(items.values()) is not RequestState.OPEN:
        return None
    return AuditClock(started, deadline)
