"""Keeping membership (domain file, section 3.4): the annual revalidation window and its review,
the full revalidation with site visits every few years, what changed between two years'
security profiles, and the due dates of improvement actions.

Like the lifecycle, these are pure rules: the services gather facts and event rows, these
functions decide. Every date here is derived from recorded events (the certification, the last
validation, the review's own events), never typed in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from ctpat.core.clocks import LifecycleEvent, add_years
from ctpat.core.lifecycle import (
    Actor,
    Guard,
    PartnerStatus,
    TransitionError,
    requires,
    requires_reason,
)

# --- The annual review window ----------------------------------------------------------------


def certification_date(certified_at: datetime, tz: tzinfo) -> date:
    """The calendar day of the certification where the program keeps its dates.

    A certification at 03:00 UTC on 29 February 2024 happened on 28 February in New York, so
    its anniversaries fall on 28 February.
    """
    return certified_at.astimezone(tz).date()


def anniversary(certified_on: date, cycle: int) -> date:
    """The ``cycle``-th membership anniversary (1 for the first year).

    Each anniversary is counted from the certification date itself, so a leap-day member's
    anniversary is 28 February in common years and 29 February again in leap years.

    >>> anniversary(date(2024, 2, 29), 1), anniversary(date(2024, 2, 29), 4)
    (datetime.date(2025, 2, 28), datetime.date(2028, 2, 29))
    """
    if cycle < 1:
        raise ValueError("The first anniversary is cycle 1.")
    year = certified_on.year + cycle
    try:
        return certified_on.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return certified_on.replace(year=year, day=28)


@dataclass(frozen=True)
class AnnualWindow:
    """The days in which the partner re-submits its profile: ``opens_on`` to the anniversary."""

    cycle: int
    opens_on: date
    anniversary: date

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.anniversary

    def opens_at(self, tz: tzinfo) -> datetime:
        return datetime.combine(self.opens_on, time.min, tzinfo=tz)

    def closes_at(self, tz: tzinfo) -> datetime:
        """The first moment after the anniversary day, in the program's time zone: a submission
        made at any time on the anniversary itself is in time."""
        return datetime.combine(self.anniversary + timedelta(days=1), time.min, tzinfo=tz)

    def days_left(self, today: date) -> int:
        return (self.anniversary - today).days


# Anniversaries are at least 365 days apart, so a window of up to 364 days never overlaps the
# previous one: on any day at most one year's review is owed.
MAX_WINDOW_DAYS = 364


def check_window_days(window_days: int) -> int:
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise ValueError(f"The annual review window must be 1 to {MAX_WINDOW_DAYS} days, not {window_days}.")
    return window_days


def annual_window(certified_on: date, cycle: int, *, window_days: int) -> AnnualWindow:
    """The window of one cycle: it opens ``window_days`` before the anniversary.

    >>> annual_window(date(2024, 6, 30), 1, window_days=90).opens_on
    datetime.date(2025, 4, 1)
    """
    day = anniversary(certified_on, cycle)
    return AnnualWindow(cycle, day - timedelta(days=check_window_days(window_days)), day)


def latest_opened_window(certified_on: date, today: date, *, window_days: int) -> AnnualWindow | None:
    """The window of the most recent cycle that has opened by ``today`` (None before the first)."""
    cycle = today.year - certified_on.year + 1  # no later cycle can have opened yet
    while cycle >= 1:
        window = annual_window(certified_on, cycle, window_days=window_days)
        if window.opens_on <= today:
            return window
        cycle -= 1
    return None


def next_window(certified_on: date, today: date, *, window_days: int) -> AnnualWindow:
    """The window whose anniversary is today or the next one to come."""
    cycle = max(1, today.year - certified_on.year - 1)
    while True:
        window = annual_window(certified_on, cycle, window_days=window_days)
        if window.anniversary >= today:
            return window
        cycle += 1


def window_missed(closes_at: datetime, submissions: Iterable[datetime], now: datetime) -> bool:
    """The window has closed and nothing was submitted before it closed."""
    return now >= closes_at and not any(at < closes_at for at in submissions)


# --- The review of one year: a small transition table -----------------------------------------


class ReviewState(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return REVIEW_STATE_LABELS[self]


REVIEW_STATE_LABELS: dict[ReviewState, str] = {
    ReviewState.OPEN: "Open for the partner",
    ReviewState.SUBMITTED: "Submitted, with the specialist",
    ReviewState.ACCEPTED: "Accepted",
    ReviewState.RETURNED: "Returned to the partner",
}
# States in which the partner still owes a submission (and may edit the profile).
PARTNER_TURN = frozenset({ReviewState.OPEN, ReviewState.RETURNED})


@dataclass(frozen=True)
class ReviewTransition:
    name: str
    sources: frozenset[ReviewState | None]  # None: the review does not exist yet
    target: ReviewState | None  # None: the state stays (an event is recorded, nothing moves)
    actors: frozenset[Actor]
    guards: tuple[Guard, ...] = ()
    label: str = ""


def _not_recorded_before(facts: Mapping[str, object]) -> str | None:
    return "The missed window is already recorded." if facts.get("already_missed") else None


REVIEW_DECIDERS = frozenset({Actor.SPECIALIST, Actor.SUPERVISOR, Actor.PROGRAM_DIRECTOR})
REVIEW_TRANSITIONS: dict[str, ReviewTransition] = {
    t.name: t
    for t in (
        # The window opening is computed, not decided: whoever triggers it, the system takes it.
        ReviewTransition("open", frozenset({None}), ReviewState.OPEN, frozenset({Actor.SYSTEM}),
                         label="Open the annual review"),
        ReviewTransition(
            "submit",
            frozenset(PARTNER_TURN),
            ReviewState.SUBMITTED,
            frozenset({Actor.COMPANY_OFFICER}),
            (
                requires("profile_complete", "The security profile is not complete: see what is missing."),
                requires("risk_assessment_written", "Describe this year's risk assessment."),
            ),
            label="Re-submit the security profile",
        ),
        ReviewTransition("accept", frozenset({ReviewState.SUBMITTED}), ReviewState.ACCEPTED,
                         REVIEW_DECIDERS, label="Accept the annual review"),
        ReviewTransition("return", frozenset({ReviewState.SUBMITTED}), ReviewState.RETURNED,
                         REVIEW_DECIDERS, (requires_reason,), label="Return to the partner"),
        ReviewTransition(
            "miss",
            frozenset(PARTNER_TURN),
            None,
            frozenset({Actor.SYSTEM}),
            (requires("window_missed", "The window has not closed unsubmitted."), _not_recorded_before),
            label="Window missed",
        ),
    )
}  # fmt: skip


def _state_label(state: ReviewState | None) -> str:
    return state.label if state is not None else "not opened"


def check_review_transition(
    name: str, *, current: ReviewState | None, actor: Actor, facts: Mapping[str, object]
) -> ReviewTransition:
    """Return the review transition when ``actor`` may take it; TransitionError lists every
    reason it is refused.

    >>> check_review_transition("accept", current=ReviewState.SUBMITTED,
    ...     actor=Actor.SPECIALIST, facts={}).target
    <ReviewState.ACCEPTED: 'accepted'>
    """
    transition = REVIEW_TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError([f"Unknown review step {name!r}."])
    reasons: list[str] = []
    if current not in transition.sources:
        reasons.append(f"{transition.label} is not possible when the review is {_state_label(current)}.")
    if actor not in transition.actors:
        reasons.append(f"{transition.label} cannot be done by a {actor.value.replace('_', ' ')}.")
    reasons += [reason for guard in transition.guards if (reason := guard(facts))]
    if reasons:
        raise TransitionError(reasons)
    return transition


def available_review_transitions(current: ReviewState | None, actor: Actor) -> list[ReviewTransition]:
    return [t for t in REVIEW_TRANSITIONS.values() if current in t.sources and actor in t.actors]


@dataclass(frozen=True)
class ReviewEventFacts:
    action: str
    at: datetime


def review_state(events: Iterable[ReviewEventFacts]) -> ReviewState | None:
    """The state the review's events leave it in (None: never opened)."""
    state: ReviewState | None = None
    for event in sorted(events, key=lambda e: e.at):
        transition = REVIEW_TRANSITIONS.get(event.action)
        if transition is not None and transition.target is not None:
            state = transition.target
    return state


@dataclass(frozen=True)
class AnnualReviewClock:
    """The partner's deadline of one cycle: re-submit by the anniversary."""

    cycle: int
    opens_at: datetime
    due: datetime
    missed: bool


def annual_review_clocks(
    certified_at: datetime | None,
    events_by_cycle: Mapping[int, Sequence[ReviewEventFacts]],
    *,
    now: datetime,
    tz: tzinfo,
    window_days: int,
) -> list[AnnualReviewClock]:
    """The open annual-review deadlines of one member.

    The latest window that has opened is owed until the partner submits (whether or not the
    review was opened yet: the deadline follows from the certification alone). Earlier cycles stay
    open only when their review exists and is still the partner's turn, e.g. returned.
    """
    if certified_at is None:
        return []
    certified_on = certification_date(certified_at, tz)
    latest = latest_opened_window(certified_on, now.astimezone(tz).date(), window_days=window_days)
    cycles = {c for c, events in events_by_cycle.items() if review_state(events) in PARTNER_TURN}
    if latest is not None and review_state(events_by_cycle.get(latest.cycle, ())) in {*PARTNER_TURN, None}:
        cycles.add(latest.cycle)
    clocks = []
    for cycle in sorted(cycles):
        window = annual_window(certified_on, cycle, window_days=window_days)
        events = events_by_cycle.get(cycle, ())
        submitted = [e.at for e in events if e.action == "submit"]
        missed = window_missed(window.closes_at(tz), submitted, now)
        clocks.append(AnnualReviewClock(cycle, window.opens_at(tz), window.closes_at(tz), missed))
    return clocks


# --- What a missed window leads to -------------------------------------------------------------


class MissedConsequence(StrEnum):
    """Policy: what happens when no profile was re-submitted by the anniversary."""

    WARNING = "warning"
    CORRECTIVE_ACTION = "corrective_action"


@dataclass(frozen=True)
class MissedSteps:
    notify_officers: bool
    notify_specialist: bool
    require_corrective_action: bool


def missed_window_steps(policy: MissedConsequence, status: PartnerStatus) -> MissedSteps:
    """What the service does for a missed window: the officers and the specialist are always
    told; under the corrective-action policy a certified or validated partner is also put into
    corrective action (one already there is not put there again, and a suspended one is not a
    member to act on)."""
    corrective = policy is MissedConsequence.CORRECTIVE_ACTION and status in {
        PartnerStatus.CERTIFIED,
        PartnerStatus.VALIDATED,
    }
    return MissedSteps(notify_officers=True, notify_specialist=True, require_corrective_action=corrective)


# --- Full revalidation ------------------------------------------------------------------------

# After these the partner is not a member to revalidate, until a reinstatement or a suspension
# lifted on appeal ("restore") makes it one again.
FULL_REVALIDATION_PAUSES = frozenset({"suspend", "remove", "withdraw", "reject"})
FULL_REVALIDATION_RESUMES = frozenset({"reinstate", "restore"})


@dataclass(frozen=True)
class FullRevalidation:
    last_validated: datetime
    due: datetime

    def days_left(self, now: datetime) -> int:
        return (self.due - now).days


def full_revalidation_due(events: Iterable[LifecycleEvent], *, years: int) -> FullRevalidation | None:
    """The full revalidation (with site visits) is due ``years`` after the latest validation.

    A partner never validated has the one-year validation clock instead; a suspended, removed or
    withdrawn partner has none until it is reinstated (or restored on appeal).
    """
    last_validated: datetime | None = None
    active = False
    for event in sorted(events, key=lambda e: e.at):
        if event.transition == "validate":
            last_validated, active = event.at, True
        elif event.transition in FULL_REVALIDATION_PAUSES:
            active = False
        elif event.transition in FULL_REVALIDATION_RESUMES:
            active = last_validated is not None
    if not active or last_validated is None:
        return None
    return FullRevalidation(last_validated, add_years(last_validated, 365 * years))


# --- The diff between two years' security profiles -------------------------------------------


@dataclass(frozen=True)
class AnswerSnapshot:
    """One answer as the diff sees it; ``evidence`` holds the SHA-256 of each evidence file."""

    criterion: str
    status: str = ""
    narrative: str = ""
    not_applicable_reason: str = ""
    evidence: frozenset[str] = frozenset()


class DiffKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    EVIDENCE_REPLACED = "evidence_replaced"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return DIFF_LABELS[self]


DIFF_LABELS: dict[DiffKind, str] = {
    DiffKind.ADDED: "New criterion",
    DiffKind.REMOVED: "No longer in the profile",
    DiffKind.CHANGED: "Answer changed",
    DiffKind.EVIDENCE_REPLACED: "Evidence changed",
    DiffKind.UNCHANGED: "Unchanged",
}
ANSWER_FIELDS = ("status", "narrative", "not_applicable_reason")


@dataclass(frozen=True)
class WordChange:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class CriterionDiff:
    criterion: str
    kind: DiffKind
    old: AnswerSnapshot | None
    new: AnswerSnapshot | None
    changed_fields: tuple[str, ...] = ()
    evidence_added: frozenset[str] = field(default_factory=frozenset)
    evidence_removed: frozenset[str] = field(default_factory=frozenset)
    narrative_words: tuple[WordChange, ...] = ()

    @property
    def evidence_changed(self) -> bool:
        return bool(self.evidence_added or self.evidence_removed)


_WORDS = re.compile(r"\S+|\s+")


def word_diff(old: str, new: str) -> tuple[WordChange, ...]:
    """The narrative's change word by word (spaces kept, so the pieces join back into the text).

    >>> [(c.op, c.text) for c in word_diff("checked monthly", "checked weekly")]
    [('equal', 'checked '), ('delete', 'monthly'), ('insert', 'weekly')]
    """
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    changes: list[WordChange] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pieces = (
            [("equal", before[i1:i2])]
            if op == "equal"
            else [("delete", before[i1:i2]), ("insert", after[j1:j2])]
        )
        for kind, words in pieces:
            if not words:
                continue
            if changes and changes[-1].op == kind:
                changes[-1] = WordChange(kind, changes[-1].text + "".join(words))
            else:
                changes.append(WordChange(kind, "".join(words)))
    return tuple(changes)


def criterion_sort_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """3.10 after 3.9."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in code.split("."))


def _compare(old: AnswerSnapshot, new: AnswerSnapshot) -> CriterionDiff:
    changed = tuple(f for f in ANSWER_FIELDS if getattr(old, f).strip() != getattr(new, f).strip())
    added, removed = new.evidence - old.evidence, old.evidence - new.evidence
    if changed:
        kind = DiffKind.CHANGED
    elif added or removed:
        kind = DiffKind.EVIDENCE_REPLACED
    else:
        kind = DiffKind.UNCHANGED
    words = word_diff(old.narrative, new.narrative) if "narrative" in changed else ()
    return CriterionDiff(old.criterion, kind, old, new, changed, added, removed, words)


def profile_diff(
    old_answers: Iterable[AnswerSnapshot], new_answers: Iterable[AnswerSnapshot]
) -> list[CriterionDiff]:
    """Per criterion, what changed from last year's answers to this year's, in criterion order.

    A criterion only in the new profile is *added*, only in the old one *removed*. Otherwise the
    answer is *changed* when its status, narrative or not-applicable reason differs (the
    narrative also word by word), else *evidence replaced* when the set of evidence files differs
    by content (SHA-256: a file uploaded again under another name is the same evidence), else
    *unchanged*. A changed answer also lists its evidence changes.

    >>> old = [AnswerSnapshot("1.1", "implemented", "Reviewed yearly.")]
    >>> new = [AnswerSnapshot("1.1", "implemented", "Reviewed quarterly.")]
    >>> [(d.criterion, d.kind.value, d.changed_fields) for d in profile_diff(old, new)]
    [('1.1', 'changed', ('narrative',))]
    """
    before = {a.criterion: a for a in old_answers}
    after = {a.criterion: a for a in new_answers}
    diffs: list[CriterionDiff] = []
    for code in sorted(before.keys() | after.keys(), key=criterion_sort_key):
        old, new = before.get(code), after.get(code)
        if old is None and new is not None:
            diffs.append(CriterionDiff(code, DiffKind.ADDED, None, new, evidence_added=new.evidence))
        elif new is None and old is not None:
            diffs.append(CriterionDiff(code, DiffKind.REMOVED, old, None, evidence_removed=old.evidence))
        elif old is not None and new is not None:
            diffs.append(_compare(old, new))
    return diffs


def diff_counts(diffs: Iterable[CriterionDiff]) -> dict[DiffKind, int]:
    counts = dict.fromkeys(DiffKind, 0)
    for diff in diffs:
        counts[diff.kind] += 1
    return counts


# --- Improvement actions ----------------------------------------------------------------------


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True)
class ActionEvent:
    """One recorded step of an improvement action: ``record`` or ``update`` (with the due date),
    ``done`` or ``reopen``."""

    action: str
    at: datetime
    due_on: date | None = None


def improvement_action_due(events: Iterable[ActionEvent]) -> date | None:
    """The due date of an action that is still open, from its events; None once done."""
    due: date | None = None
    status: ActionStatus | None = None
    for event in sorted(events, key=lambda e: e.at):
        if event.action in {"record", "update"}:
            due = event.due_on or due
            status = status or ActionStatus.OPEN
        elif event.action == "done":
            status = ActionStatus.DONE
        elif event.action == "reopen":
            status = ActionStatus.OPEN
    return due if status is ActionStatus.OPEN else None
