"""Non-compliance, sanctions and appeals (domain file, section 3, items 5 to 7), without Django.

The path of a partner that falls short: the agency opens a *case* with its grounds, sends a
*warning letter* (deficiencies, required actions, a time to fix them), the partner answers with a
*corrective action plan* of dated objectives and reports progress on each, the specialist accepts
or returns the plan. When that fails the specialist *recommends* a suspension (of all benefits or
named ones) or a removal, and the program director decides. Knowingly false information may go
straight to removal. A sanctioned company may *appeal*: within 90 days against a denial of
benefits, within 30 days against a sanction for false information, decided within 180 days of
filing by an official who did not take the decision.

Each record (case, letter, plan, objective, recommendation, appeal, consent) moves through the
steps of one table below; the services check the step here, then write the new state and an
event row together. Deadlines are recomputed from those event rows, never stored.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from ctpat.core.lifecycle import TransitionError
from ctpat.core.tiers import BENEFITS


class SanctionRefused(TransitionError):
    """A compliance step that is not allowed now; ``reasons`` says every reason why.

    It is a TransitionError so that pages and the API answer it like a refused status change.
    """


class Official(StrEnum):
    """Who takes a compliance step, in program terms (the portal maps its roles onto these)."""

    COMPANY_OFFICER = "company_officer"
    PARTNER_EDITOR = "partner_editor"  # an employee or consultant of the company
    SPECIALIST = "specialist"
    SUPERVISOR = "supervisor"
    PROGRAM_DIRECTOR = "program_director"


PARTNER_SIDE = frozenset({Official.COMPANY_OFFICER, Official.PARTNER_EDITOR})
AGENCY_DECIDERS = frozenset({Official.SPECIALIST, Official.SUPERVISOR, Official.PROGRAM_DIRECTOR})
RECOMMENDERS = frozenset({Official.SPECIALIST, Official.SUPERVISOR})
DIRECTOR = frozenset({Official.PROGRAM_DIRECTOR})
OFFICER = frozenset({Official.COMPANY_OFFICER})


class Benefit(StrEnum):
    """The benefits a suspension may take away one by one (domain file, section 4)."""

    RISK_SCORE_REDUCTION = "risk_score_reduction"
    FEWER_EXAMINATIONS = "fewer_examinations"
    FRONT_OF_LINE = "front_of_line"
    EXPEDITED_RELEASE = "expedited_release"
    FAST_LANES = "fast_lanes"

    @property
    def label(self) -> str:
        return BENEFIT_LABELS[self]


BENEFIT_LABELS: dict[Benefit, str] = {
    Benefit.RISK_SCORE_REDUCTION: "Risk-score reduction",
    Benefit.FEWER_EXAMINATIONS: "Fewer examinations",
    Benefit.FRONT_OF_LINE: "Front-of-line inspection",
    Benefit.EXPEDITED_RELEASE: "Expedited release",
    Benefit.FAST_LANES: "Access to FAST lanes",
}
ALL_BENEFITS = frozenset(Benefit)


def tier_benefits(tier: int | None) -> frozenset[Benefit]:
    """The benefits a tier brings, as ``core.tiers.BENEFITS`` defines them.

    >>> sorted(b.value for b in tier_benefits(1))
    ['fast_lanes', 'risk_score_reduction']
    """
    benefits = BENEFITS.get(tier) if tier is not None else None
    if benefits is None:
        return frozenset()
    flags = {
        Benefit.RISK_SCORE_REDUCTION: benefits.risk_score_reduction > 0,
        Benefit.FEWER_EXAMINATIONS: benefits.fewer_examinations,
        Benefit.FRONT_OF_LINE: benefits.front_of_line,
        Benefit.EXPEDITED_RELEASE: benefits.expedited_release,
        Benefit.FAST_LANES: benefits.fast_lanes,
    }
    return frozenset(benefit for benefit, granted in flags.items() if granted)


def benefits_in_force(
    *, tier_before: int | None, suspended: Collection[Benefit], restored: Collection[Benefit] = ()
) -> frozenset[Benefit]:
    """What a partially suspended partner keeps: its tier's benefits less the suspended ones,
    plus those an appeal gave back.

    >>> sorted(benefits_in_force(tier_before=1, suspended={Benefit.FAST_LANES}))
    [<Benefit.RISK_SCORE_REDUCTION: 'risk_score_reduction'>]
    """
    had = tier_benefits(tier_before)
    return frozenset(had - (frozenset(suspended) - frozenset(restored)))


class SanctionGround(StrEnum):
    """Why a sanction is taken; it decides the appeal window (domain file, section 3, item 6)."""

    NON_COMPLIANCE = "non_compliance"
    FALSE_INFORMATION = "false_information"

    @property
    def label(self) -> str:
        return {
            SanctionGround.NON_COMPLIANCE: "Failure to meet the program's requirements (denial of benefits)",
            SanctionGround.FALSE_INFORMATION: "Knowingly false or misleading information",
        }[self]


class SanctionKind(StrEnum):
    SUSPEND = "suspend"
    REMOVE = "remove"

    @property
    def label(self) -> str:
        return {SanctionKind.SUSPEND: "Suspension", SanctionKind.REMOVE: "Removal from the program"}[self]


class AppealOutcome(StrEnum):
    GRANTED = "granted"
    PARTLY_GRANTED = "partly_granted"
    DENIED = "denied"

    @property
    def label(self) -> str:
        return {
            AppealOutcome.GRANTED: "Granted: the status before the decision is restored",
            AppealOutcome.PARTLY_GRANTED: "Partly granted: some benefits are restored",
            AppealOutcome.DENIED: "Denied",
        }[self]


# The lifecycle decisions a company may appeal: suspension, removal and the denial of benefits
# that a rejected application is.
APPEALABLE_TRANSITIONS = frozenset({"suspend", "remove", "reject"})


# --- The step tables ------------------------------------------------------------------------


class Subject(StrEnum):
    """The kinds of compliance record, each with its own states and steps."""

    CASE = "case"
    LETTER = "warning_letter"
    PLAN = "corrective_plan"
    OBJECTIVE = "objective"
    RECOMMENDATION = "recommendation"
    APPEAL = "appeal"
    CONSENT = "visit_consent"


class CaseState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class LetterState(StrEnum):
    ISSUED = "issued"
    RESOLVED = "resolved"


class PlanState(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class ObjectiveState(StrEnum):
    OPEN = "open"
    DONE = "done"


class RecommendationState(StrEnum):
    PENDING = "pending"
    TAKEN = "taken"
    DECLINED = "declined"


class AppealState(StrEnum):
    FILED = "filed"
    GRANTED = "granted"
    PARTLY_GRANTED = "partly_granted"
    DENIED = "denied"


class ConsentState(StrEnum):
    GIVEN = "given"


STATE_LABELS: dict[str, str] = {
    "open": "Open",
    "closed": "Closed",
    "issued": "Issued",
    "resolved": "Resolved",
    "submitted": "Submitted",
    "returned": "Returned for changes",
    "accepted": "Accepted",
    "done": "Done",
    "pending": "Pending",
    "taken": "Taken",
    "declined": "Declined",
    "filed": "Filed",
    "granted": "Granted",
    "partly_granted": "Partly granted",
    "denied": "Denied",
    "given": "Given",
}

# A guard reads the facts the service gathered and returns the reason the step is refused, or None.
Guard = Callable[[Mapping[str, object]], str | None]
NEW = ""  # the state of a record that does not exist yet


def requires(fact: str, reason: str) -> Guard:
    def guard(facts: Mapping[str, object]) -> str | None:
        return None if facts.get(fact) else reason

    guard.__name__ = f"requires_{fact}"
    return guard


def requires_reason(facts: Mapping[str, object]) -> str | None:
    reason = facts.get("reason")
    return None if isinstance(reason, str) and reason.strip() else "Written reasons are required."


def separate_from_decision(facts: Mapping[str, object]) -> str | None:
    """Separation of duties: whoever took the decision may not decide its appeal."""
    decided_by = facts.get("decided_by_id")
    if decided_by is not None and decided_by == facts.get("actor_id"):
        return "The official who took the decision may not decide its appeal (separation of duties)."
    return None


def separate_from_recommendation(facts: Mapping[str, object]) -> str | None:
    """Whoever recommended a sanction may not also decide it."""
    recommended_by = facts.get("recommended_by_id")
    if recommended_by is not None and recommended_by == facts.get("actor_id"):
        return "The official who recommended the sanction may not decide it (separation of duties)."
    return None


@dataclass(frozen=True)
class Step:
    subject: Subject
    name: str
    sources: frozenset[str]
    target: str
    officials: frozenset[Official]
    guards: tuple[Guard, ...] = field(default=())
    label: str = ""


def _s(
    subject: Subject,
    name: str,
    sources: Iterable[str],
    target: str,
    officials: frozenset[Official],
    *guards: Guard,
    label: str,
) -> Step:
    return Step(subject, name, frozenset(sources), target, officials, tuple(guards), label)


PLAN_ACCEPTED = requires("plan_accepted", "Progress is reported on the objectives of an accepted plan.")

STEPS: dict[tuple[Subject, str], Step] = {
    (s.subject, s.name): s
    for s in (
        _s(Subject.CASE, "open", [NEW], CaseState.OPEN, AGENCY_DECIDERS, requires_reason,
           requires("partner_sanctionable", "A case is opened on a certified, validated, corrective-action or suspended partner."),
           label="Open a non-compliance case"),
        _s(Subject.CASE, "close", [CaseState.OPEN], CaseState.CLOSED, AGENCY_DECIDERS, requires_reason, label="Close the case"),
        _s(Subject.LETTER, "issue", [NEW], LetterState.ISSUED, AGENCY_DECIDERS,
           requires("case_open", "A warning letter is sent on an open case."),
           requires("deficiencies", "List the deficiencies found."),
           requires("required_actions", "List the actions required of the partner."),
           requires("response_days_valid", "Give the partner between 1 and 180 days to respond."),
           label="Send a warning letter"),
        _s(Subject.LETTER, "resolve", [LetterState.ISSUED], LetterState.RESOLVED, AGENCY_DECIDERS, requires_reason,
           label="Resolve the warning letter"),
        _s(Subject.PLAN, "submit", [NEW, PlanState.RETURNED], PlanState.SUBMITTED, PARTNER_SIDE,
           requires("letter_open", "A plan answers a warning letter that is still open."),
           requires("objectives_valid", "Give at least one objective, each with a date that is not in the past."),
           requires("no_other_plan", "This letter already has a plan with the agency or accepted."),
           label="Submit the corrective action plan"),
        _s(Subject.PLAN, "accept", [PlanState.SUBMITTED], PlanState.ACCEPTED, AGENCY_DECIDERS, label="Accept the plan"),
        _s(Subject.PLAN, "return", [PlanState.SUBMITTED], PlanState.RETURNED, AGENCY_DECIDERS, requires_reason,
           label="Return the plan for changes"),
        _s(Subject.OBJECTIVE, "progress", [ObjectiveState.OPEN], ObjectiveState.OPEN, PARTNER_SIDE, requires_reason, PLAN_ACCEPTED,
           label="Report progress"),
        _s(Subject.OBJECTIVE, "complete", [ObjectiveState.OPEN], ObjectiveState.DONE, PARTNER_SIDE, requires_reason, PLAN_ACCEPTED,
           label="Report the objective done"),
        _s(Subject.RECOMMENDATION, "recommend", [NEW], RecommendationState.PENDING, RECOMMENDERS, requires_reason,
           requires("case_open", "A sanction is recommended on an open case."),
           requires("status_allows", "The partner's status does not allow this sanction."),
           requires("benefits_named", "Name the benefits to suspend (or all of them)."),
           requires("none_pending", "A recommendation on this case is already waiting for the program director."),
           label="Recommend a sanction"),
        _s(Subject.RECOMMENDATION, "take", [RecommendationState.PENDING], RecommendationState.TAKEN, DIRECTOR, requires_reason,
           separate_from_recommendation, label="Take the sanction"),
        _s(Subject.RECOMMENDATION, "decline", [RecommendationState.PENDING], RecommendationState.DECLINED, DIRECTOR, requires_reason,
           separate_from_recommendation, label="Decline the recommendation"),
        _s(Subject.APPEAL, "file", [NEW], AppealState.FILED, OFFICER, requires_reason,
           requires("appealable", "Only a suspension, a removal or a denial of benefits can be appealed."),
           requires("latest_decision", "Only the decision that set the current status can be appealed."),
           requires("not_yet_appealed", "This decision has already been appealed."),
           requires("within_window", "The time to appeal this decision has passed."),
           label="File an appeal"),
        _s(Subject.APPEAL, "grant", [AppealState.FILED], AppealState.GRANTED, DIRECTOR, requires_reason, separate_from_decision,
           requires("restorable", "Granting restores the status before a suspension that still stands; "
                                  "a removal or a rejection is final and cannot be undone here."),
           label="Grant the appeal"),
        _s(Subject.APPEAL, "partly_grant", [AppealState.FILED], AppealState.PARTLY_GRANTED, DIRECTOR, requires_reason,
           separate_from_decision,
           requires("partial_allowed", "Only an appeal against a suspension can be partly granted."),
           requires("restored_valid", "Name some, not all, of the suspended benefits to restore."),
           label="Partly grant the appeal"),
        _s(Subject.APPEAL, "deny", [AppealState.FILED], AppealState.DENIED, DIRECTOR, requires_reason, separate_from_decision,
           label="Deny the appeal"),
        _s(Subject.CONSENT, "give", [NEW], ConsentState.GIVEN, OFFICER, requires_reason,
           label="Consent to unannounced visits"),
    )
}  # fmt: skip

APPEAL_OUTCOME_STEPS: dict[AppealOutcome, str] = {
    AppealOutcome.GRANTED: "grant",
    AppealOutcome.PARTLY_GRANTED: "partly_grant",
    AppealOutcome.DENIED: "deny",
}


def check_step(
    subject: Subject, name: str, *, current: str, official: Official | None, facts: Mapping[str, object]
) -> Step:
    """Return the step when ``official`` may take it from ``current`` given ``facts``.

    Raises SanctionRefused with every reason it is refused.

    >>> check_step(Subject.CASE, "close", current="open", official=Official.SPECIALIST,
    ...     facts={"reason": "Plan completed."}).target
    'closed'
    """
    step = STEPS.get((subject, name))
    if step is None:
        raise SanctionRefused([f"Unknown step {subject.value}.{name}."])
    reasons: list[str] = []
    if current not in step.sources:
        state = STATE_LABELS.get(current, "not yet recorded").lower()
        reasons.append(f"{step.label} is not possible now: the {subject.value.replace('_', ' ')} is {state}.")
    if official is None or official not in step.officials:
        who = official.value.replace("_", " ") if official else "person with your role"
        reasons.append(f"{step.label} cannot be done by a {who}.")
    reasons.extend(reason for guard in step.guards if (reason := guard(facts)))
    if reasons:
        raise SanctionRefused(reasons)
    return step


def available_steps(subject: Subject, current: str, official: Official | None) -> list[Step]:
    """Steps ``official`` could take on a record in ``current`` (guards not yet checked)."""
    return [
        s
        for s in STEPS.values()
        if s.subject is subject and current in s.sources and official is not None and official in s.officials
    ]


# --- Sanction decisions ---------------------------------------------------------------------


def sanction_refusals(
    *,
    kind: SanctionKind,
    ground: SanctionGround,
    benefits: Collection[Benefit],
    reasons: str,
    recommended: bool,
    official: Official | None,
) -> list[str]:
    """Who may take a suspension or removal, and what it must say.

    The program director decides. A suspension names the benefits it takes away. Without a
    specialist's recommendation, only an egregious case (knowingly false information) may go
    straight to removal.
    """
    refusals: list[str] = []
    if official is not Official.PROGRAM_DIRECTOR:
        refusals.append(f"Only the program director decides a {kind.label.lower()}.")
    if not reasons.strip():
        refusals.append("Written reasons are required.")
    if kind is SanctionKind.SUSPEND and not benefits:
        refusals.append("Name the benefits to suspend (or all of them).")
    if not recommended and not (kind is SanctionKind.REMOVE and ground is SanctionGround.FALSE_INFORMATION):
        refusals.append(
            "Without a specialist's recommendation only knowingly false information leads straight to removal."
        )
    return refusals


def reinstatement_refusals(*, plan_accepted: bool, visits_consented: bool) -> list[str]:
    """Reinstatement needs an accepted corrective action plan and consent to unannounced visits,
    both recorded after the suspension."""
    refusals = []
    if not plan_accepted:
        refusals.append("Reinstatement needs a corrective action plan accepted since the suspension.")
    if not visits_consented:
        refusals.append("Reinstatement needs the Company Officer's consent to unannounced visits.")
    return refusals


def appeal_decider_refusals(
    *, official: Official | None, actor_id: int, decided_by_id: int | None
) -> list[str]:
    """Appeals go above the deciding official: a program director who did not take the decision.

    >>> appeal_decider_refusals(official=Official.PROGRAM_DIRECTOR, actor_id=7, decided_by_id=7)
    ['The official who took the decision may not decide its appeal (separation of duties).']
    """
    refusals = []
    if official is not Official.PROGRAM_DIRECTOR:
        refusals.append("Appeals are decided by a program director.")
    reason = separate_from_decision({"actor_id": actor_id, "decided_by_id": decided_by_id})
    if reason:
        refusals.append(reason)
    return refusals


def restored_benefits_valid(restored: Collection[Benefit], suspended: Collection[Benefit]) -> bool:
    """A partial grant restores some, not all, of the benefits the suspension took away."""
    chosen, taken = frozenset(restored), frozenset(suspended)
    return bool(chosen) and chosen <= taken and chosen != taken


# --- Windows and deadlines ------------------------------------------------------------------


@dataclass(frozen=True)
class AppealPolicy:
    """The law's appeal periods (domain file, section 3, item 6); settings may change them."""

    benefit_denial_days: int = 90
    false_information_days: int = 30
    decision_days: int = 180
    default_response_days: int = 30  # a warning letter's time to respond (policy)


def appeal_window_days(ground: SanctionGround, policy: AppealPolicy) -> int:
    if ground is SanctionGround.FALSE_INFORMATION:
        return policy.false_information_days
    return policy.benefit_denial_days


def appeal_filing_due(decided_at: datetime, ground: SanctionGround, policy: AppealPolicy) -> datetime:
    """The last moment an appeal may be filed: 90 days (denial of benefits) or 30 days (false
    information) after the decision."""
    return decided_at + timedelta(days=appeal_window_days(ground, policy))


def within_appeal_window(
    *, decided_at: datetime, ground: SanctionGround, filed_at: datetime, policy: AppealPolicy
) -> bool:
    return decided_at <= filed_at <= appeal_filing_due(decided_at, ground, policy)


def appeal_decision_due(filed_at: datetime, policy: AppealPolicy) -> datetime:
    """The agency decides an appeal within 180 days of its filing."""
    return filed_at + timedelta(days=policy.decision_days)


def letter_response_due(issued_at: datetime, response_days: int) -> datetime:
    return issued_at + timedelta(days=response_days)


def end_of_day(day: date, like: datetime) -> datetime:
    """An objective dated ``day`` is due at the end of that day, in the time zone of ``like``."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=like.tzinfo)


def ground_of(details: Mapping[str, object]) -> SanctionGround:
    """The ground a decision event recorded; a decision that names none is a denial of benefits."""
    value = details.get("ground")
    return (
        SanctionGround(str(value))
        if value in SanctionGround._value2member_map_
        else SanctionGround.NON_COMPLIANCE
    )


class ComplianceClockKind(StrEnum):
    LETTER_RESPONSE = "warning_letter"
    OBJECTIVE = "corrective_action"
    APPEAL_FILING = "appeal_filing"
    APPEAL_DECISION = "appeal_decision"

    @property
    def label(self) -> str:
        return {
            ComplianceClockKind.LETTER_RESPONSE: "Warning letter: deficiencies to correct",
            ComplianceClockKind.OBJECTIVE: "Corrective action objective",
            ComplianceClockKind.APPEAL_FILING: "Time to appeal the decision",
            ComplianceClockKind.APPEAL_DECISION: "Appeal decision (180 days from filing)",
        }[self]


@dataclass(frozen=True)
class SanctionEvent:
    """The part of a compliance event row the clocks need."""

    subject: str
    subject_id: int
    step: str
    at: datetime
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class DecisionEvent:
    """The part of a lifecycle event row the appeal window needs."""

    id: int
    transition: str
    at: datetime
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ComplianceClock:
    kind: ComplianceClockKind
    subject_id: int  # the letter, objective, decision event or appeal the clock is about
    started: datetime
    due: datetime

    def days_left(self, now: datetime) -> int:
        return (self.due - now).days

    def is_overdue(self, now: datetime) -> bool:
        return now > self.due


def _ordered(events: Iterable[SanctionEvent], subject: Subject) -> list[SanctionEvent]:
    return sorted((e for e in events if e.subject == subject.value), key=lambda e: e.at)


def letter_clocks(events: Iterable[SanctionEvent]) -> list[ComplianceClock]:
    """Each issued letter is due ``response_days`` after it was sent, until it is resolved."""
    open_letters: dict[int, ComplianceClock] = {}
    for event in _ordered(events, Subject.LETTER):
        if event.step == "issue":
            days = int(str(event.details.get("response_days", 30)))
            due = letter_response_due(event.at, days)
            open_letters[event.subject_id] = ComplianceClock(
                ComplianceClockKind.LETTER_RESPONSE, event.subject_id, event.at, due
            )
        elif event.step == "resolve":
            open_letters.pop(event.subject_id, None)
    return sorted(open_letters.values(), key=lambda c: c.due)


def objective_clocks(events: Iterable[SanctionEvent]) -> list[ComplianceClock]:
    """The objectives of accepted plans, each due at the end of its date, until reported done.

    The dates are those the plan carried when it was accepted (the accept event records them).
    """
    history = list(events)
    due: dict[int, ComplianceClock] = {}
    for event in _ordered(history, Subject.PLAN):
        if event.step != "accept":
            continue
        objectives = event.details.get("objectives", [])
        for item in objectives if isinstance(objectives, list) else []:
            day = date.fromisoformat(str(item["due_on"]))
            key = int(item["id"])
            due[key] = ComplianceClock(
                ComplianceClockKind.OBJECTIVE, key, event.at, end_of_day(day, event.at)
            )
    for event in _ordered(history, Subject.OBJECTIVE):
        if event.step == "complete":
            due.pop(event.subject_id, None)
    return sorted(due.values(), key=lambda c: c.due)


def appeal_decision_clocks(events: Iterable[SanctionEvent], policy: AppealPolicy) -> list[ComplianceClock]:
    """Each filed appeal is decided within 180 days of filing."""
    filed: dict[int, ComplianceClock] = {}
    for event in _ordered(events, Subject.APPEAL):
        if event.step == "file":
            filed[event.subject_id] = ComplianceClock(
                ComplianceClockKind.APPEAL_DECISION,
                event.subject_id,
                event.at,
                appeal_decision_due(event.at, policy),
            )
        elif event.step in APPEAL_OUTCOME_STEPS.values():
            filed.pop(event.subject_id, None)
    return sorted(filed.values(), key=lambda c: c.due)


def appealable_decision(decisions: Iterable[DecisionEvent]) -> DecisionEvent | None:
    """The decision that may be appealed: the latest lifecycle event, when it is a suspension,
    a removal or a rejection (an earlier one was overtaken by what followed)."""
    history = sorted(decisions, key=lambda e: (e.at, e.id))
    if not history or history[-1].transition not in APPEALABLE_TRANSITIONS:
        return None
    return history[-1]


def appeal_filing_clock(
    decisions: Iterable[DecisionEvent],
    appealed_event_ids: Collection[int],
    policy: AppealPolicy,
    *,
    now: datetime | None = None,
) -> ComplianceClock | None:
    """The partner's open window to appeal its latest decision, if any. An appeal already
    filed closes it; with ``now`` a window that has passed is closed too."""
    decision = appealable_decision(decisions)
    if decision is None or decision.id in appealed_event_ids:
        return None
    due = appeal_filing_due(decision.at, ground_of(decision.details), policy)
    if now is not None and now > due:
        return None
    return ComplianceClock(ComplianceClockKind.APPEAL_FILING, decision.id, decision.at, due)


@dataclass(frozen=True)
class AppealFacts:
    """What the filing of an appeal is checked against."""

    decision: DecisionEvent
    latest: DecisionEvent | None
    already_appealed: bool
    filed_at: datetime


def appeal_filing_facts(facts: AppealFacts, policy: AppealPolicy) -> dict[str, object]:
    """The facts the ``appeal.file`` step's guards read."""
    decision = facts.decision
    return {
        "appealable": decision.transition in APPEALABLE_TRANSITIONS,
        "latest_decision": facts.latest is not None and facts.latest.id == decision.id,
        "not_yet_appealed": not facts.already_appealed,
        "within_window": within_appeal_window(
            decided_at=decision.at, ground=ground_of(decision.details), filed_at=facts.filed_at, policy=policy
        ),
    }
