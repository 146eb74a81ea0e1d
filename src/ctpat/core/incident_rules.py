"""Security incidents (domain file, section 3.4 "Incident reporting"): the kinds, the rule that
flags a late report, the checks on the dates a reporter gives, the incident's states as one table
of steps, and the post-incident analysis clock recomputed from the recorded steps.

No Django here: the services gather the facts, call these functions, and write the event rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from ctpat.core.lifecycle import TransitionError


class IncidentKind(StrEnum):
    THEFT = "theft"
    LOSS = "loss"
    TAMPERING = "tampering"
    SEAL_DISCREPANCY = "seal_discrepancy"
    CONTRABAND = "contraband"
    HUMAN_SMUGGLING = "human_smuggling"
    TERRORISM = "terrorism"
    CYBER = "cyber"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[IncidentKind, str] = {
    IncidentKind.THEFT: "Theft",
    IncidentKind.LOSS: "Loss",
    IncidentKind.TAMPERING: "Tampering",
    IncidentKind.SEAL_DISCREPANCY: "Seal discrepancy",
    IncidentKind.CONTRABAND: "Narcotics or other contraband found",
    IncidentKind.HUMAN_SMUGGLING: "Human smuggling",
    IncidentKind.TERRORISM: "Suspected terrorism",
    IncidentKind.CYBER: "Cyber incident",
}


# --- Late reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LateReportPolicy:
    """A partner should report promptly; a report more than ``hours`` after the incident was
    found is flagged late (the number is policy: ``CTPAT_INCIDENT_LATE_REPORT_HOURS``)."""

    hours: int = 24


def is_late(*, found_at: datetime, reported_at: datetime, policy: LateReportPolicy) -> bool:
    """Whether a report came more than the policy's hours after the incident was found.

    >>> from datetime import datetime
    >>> found = datetime(2024, 3, 1, 8, 0)
    >>> is_late(found_at=found, reported_at=datetime(2024, 3, 2, 8, 0), policy=LateReportPolicy(24))
    False
    >>> is_late(found_at=found, reported_at=datetime(2024, 3, 2, 8, 1), policy=LateReportPolicy(24))
    True
    """
    return reported_at - found_at > timedelta(hours=policy.hours)


def report_delay_hours(*, found_at: datetime, reported_at: datetime) -> int:
    """Whole hours from finding to reporting (never negative), for the pages."""
    return max(0, int((reported_at - found_at).total_seconds() // 3600))


# --- What a reporter types ---------------------------------------------------------------------


def incident_time_errors(
    *, happened_at: datetime | None, found_at: datetime | None, now: datetime
) -> dict[str, list[str]]:
    """The reasons the times are refused, by field: none may lie in the future, and an incident
    cannot be found before it happened."""
    errors: dict[str, list[str]] = {}
    if happened_at is None:
        errors["happened_at"] = ["Say when the incident happened (your best estimate)."]
    elif happened_at > now:
        errors["happened_at"] = ["The incident cannot have happened in the future."]
    if found_at is None:
        errors["found_at"] = ["Say when the incident was found."]
    elif found_at > now:
        errors["found_at"] = ["The incident cannot have been found in the future."]
    elif happened_at is not None and found_at < happened_at:
        errors["found_at"] = ["The incident cannot have been found before it happened."]
    return errors


def analysis_due_error(due: date | None, *, today: date) -> str | None:
    if due is None:
        return "Give the date the analysis is due."
    if due <= today:
        return "The analysis must be due after today."
    return None


# --- States and steps --------------------------------------------------------------------------


class IncidentState(StrEnum):
    REPORTED = "reported"
    TRIAGED = "triaged"
    REFERRED = "referred"
    ANALYSIS_REQUESTED = "analysis_requested"
    ANALYSIS_RECEIVED = "analysis_received"
    ESCALATED = "escalated"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[IncidentState, str] = {
    IncidentState.REPORTED: "Reported",
    IncidentState.TRIAGED: "Triaged",
    IncidentState.REFERRED: "Referred to a government agency",
    IncidentState.ANALYSIS_REQUESTED: "Post-incident analysis requested",
    IncidentState.ANALYSIS_RECEIVED: "Post-incident analysis received",
    IncidentState.ESCALATED: "Non-compliance case opened",
    IncidentState.CLOSED: "Closed",
}


class Party(StrEnum):
    """Who takes a step: the partner's editors, or the agency's deciders (specialist,
    supervisor, program director)."""

    PARTNER = "partner"
    AGENCY = "agency"


Guard = Callable[[Mapping[str, object]], str | None]


def requires(fact: str, reason: str) -> Guard:
    def guard(facts: Mapping[str, object]) -> str | None:
        return None if facts.get(fact) else reason

    guard.__name__ = f"requires_{fact}"
    return guard


def requires_text(fact: str, reason: str) -> Guard:
    def guard(facts: Mapping[str, object]) -> str | None:
        value = facts.get(fact)
        return None if isinstance(value, str) and value.strip() else reason

    guard.__name__ = f"requires_text_{fact}"
    return guard


@dataclass(frozen=True)
class Step:
    """One step of an incident. ``sources`` may hold None: the step that creates the incident.
    In a state of ``keeps`` the step is recorded but the state stays (a referral made while the
    partner still owes its analysis leaves the incident waiting for the analysis)."""

    name: str
    sources: frozenset[IncidentState | None]
    target: IncidentState
    parties: frozenset[Party]
    guards: tuple[Guard, ...] = ()
    label: str = ""
    keeps: frozenset[IncidentState] = field(default=frozenset())

    def target_from(self, current: IncidentState | None) -> IncidentState:
        return current if current is not None and current in self.keeps else self.target


S = IncidentState
OPEN_STATES = frozenset(S) - {S.CLOSED}
AFTER_TRIAGE = frozenset({S.TRIAGED, S.REFERRED, S.ANALYSIS_REQUESTED, S.ANALYSIS_RECEIVED, S.ESCALATED})


def _step(
    name: str,
    sources: Iterable[IncidentState | None],
    target: IncidentState,
    parties: set[Party],
    *guards: Guard,
    label: str,
    keeps: Iterable[IncidentState] = (),
) -> Step:
    return Step(name, frozenset(sources), target, frozenset(parties), tuple(guards), label, frozenset(keeps))


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        _step("report", {None}, S.REPORTED, {Party.PARTNER}, label="Reported by the partner"),
        _step("record", {None}, S.REPORTED, {Party.AGENCY}, label="Recorded by the agency"),
        _step(
            "triage",
            {S.REPORTED},
            S.TRIAGED,
            {Party.AGENCY},
            requires_text("reason", "Write the triage assessment."),
            label="Triage",
        ),
        _step(
            "refer",
            AFTER_TRIAGE,
            S.REFERRED,
            {Party.AGENCY},
            requires("government_agency", "Choose another government agency to refer the incident to."),
            requires("not_yet_referred", "The incident has already been referred to that agency."),
            requires_text("reason", "Say what the referral is for."),
            label="Refer to a government agency",
            keeps={S.ANALYSIS_REQUESTED, S.ESCALATED},
        ),
        _step(
            "request_analysis",
            {S.TRIAGED, S.REFERRED, S.ANALYSIS_RECEIVED},
            S.ANALYSIS_REQUESTED,
            {Party.AGENCY},
            requires_text("reason", "Say what the post-incident analysis must cover."),
            requires("due_ok", "The analysis must be due after today."),
            label="Request a post-incident analysis",
        ),
        _step(
            "submit_analysis",
            {S.ANALYSIS_REQUESTED, S.ESCALATED},
            S.ANALYSIS_RECEIVED,
            {Party.PARTNER},
            requires("analysis_open", "No post-incident analysis is awaiting an answer."),
            requires_text("reason", "Write the analysis."),
            label="Post-incident analysis sent",
            keeps={S.ESCALATED},
        ),
        _step(
            "escalate",
            {S.TRIAGED, S.REFERRED, S.ANALYSIS_REQUESTED, S.ANALYSIS_RECEIVED},
            S.ESCALATED,
            {Party.AGENCY},
            requires_text("reason", "Say why the incident calls for a non-compliance case."),
            label="Open a non-compliance case",
        ),
        _step(
            "close",
            OPEN_STATES,
            S.CLOSED,
            {Party.AGENCY},
            requires_text("reason", "Give the reason for closing the incident."),
            label="Close",
        ),
        # The partner's investigation, corrective actions and files are added to while the
        # incident is open; each change is recorded (the state does not change).
        _step(
            "update_investigation",
            OPEN_STATES,
            S.REPORTED,
            {Party.PARTNER},
            label="Investigation and corrective actions updated",
            keeps=OPEN_STATES,
        ),
        _step(
            "attach_evidence",
            OPEN_STATES,
            S.REPORTED,
            {Party.PARTNER},
            label="Files added",
            keeps=OPEN_STATES,
        ),
    )
}


class IncidentStepError(TransitionError):
    """A step that is not allowed; ``reasons`` says every reason why (the API answers 409, as
    for a refused lifecycle transition)."""


def check_step(
    name: str, *, current: IncidentState | None, party: Party, facts: Mapping[str, object]
) -> IncidentState:
    """The state after ``party`` takes step ``name`` from ``current``; IncidentStepError lists
    every reason it is refused.

    >>> check_step("triage", current=IncidentState.REPORTED, party=Party.AGENCY,
    ...     facts={"reason": "Seal cut; cargo intact."})
    <IncidentState.TRIAGED: 'triaged'>
    """
    step = STEPS.get(name)
    if step is None:
        raise IncidentStepError([f"Unknown step {name!r}."])
    reasons: list[str] = []
    if current not in step.sources:
        where = current.label if current is not None else "nothing"
        reasons.append(f"{step.label} is not possible when the incident is {where.lower()}.")
    if party not in step.parties:
        reasons.append(f"{step.label} is not done by the {party.value}.")
    for guard in step.guards:
        reason = guard(facts)
        if reason:
            reasons.append(reason)
    if reasons:
        raise IncidentStepError(reasons)
    return step.target_from(current)


def agency_steps(current: IncidentState) -> list[str]:
    """The agency's steps offered on the triage page (guards are checked when taken)."""
    return [s.name for s in STEPS.values() if current in s.sources and Party.AGENCY in s.parties]


def step_label(name: str) -> str:
    step = STEPS.get(name)
    return step.label if step else name


# --- The post-incident analysis clock ----------------------------------------------------------


@dataclass(frozen=True)
class IncidentStepRecord:
    """The part of an event row the clock needs: the step, when, and (for a request) its due date."""

    action: str
    at: datetime
    due: date | None = None


@dataclass(frozen=True)
class AnalysisClock:
    started: datetime
    due_date: date

    def due(self, tz: tzinfo) -> datetime:
        return end_of_day(self.due_date, tz)

    def is_overdue(self, today: date) -> bool:
        return today > self.due_date


ANALYSIS_STOPPERS = frozenset({"submit_analysis", "close"})


def analysis_clock(steps: Iterable[IncidentStepRecord]) -> AnalysisClock | None:
    """The open post-incident analysis request: the latest request not yet answered (an answer
    or the incident's closing stops it)."""
    clock: AnalysisClock | None = None
    for step in sorted(steps, key=lambda s: s.at):
        if step.action == "request_analysis" and step.due is not None:
            clock = AnalysisClock(step.at, step.due)
        elif step.action in ANALYSIS_STOPPERS:
            clock = None
    return clock


def end_of_day(day: date, tz: tzinfo) -> datetime:
    """A date deadline falls due at the end of that day (the start of the next) in ``tz``."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)


DEFAULT_ANALYSIS_DAYS = 30


def default_analysis_due(today: date, days: int = DEFAULT_ANALYSIS_DAYS) -> date:
    return today + timedelta(days=days)
