"""The partner lifecycle (domain file, section 3) as a transition table with guards.

Every status change in the system is one of these transitions: the services look the
transition up here, check who may take it and its guards, and only then write the new status
and the event row. Nothing else writes a partner's status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum


class PartnerStatus(StrEnum):
    PRE_APPLICANT = "pre_applicant"
    APPLICANT = "applicant"
    UNDER_REVIEW = "under_review"
    CERTIFIED = "certified"
    VALIDATED = "validated"
    CORRECTIVE_ACTION = "corrective_action"
    SUSPENDED = "suspended"
    REMOVED = "removed"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[PartnerStatus, str] = {
    PartnerStatus.PRE_APPLICANT: "Pre-applicant",
    PartnerStatus.APPLICANT: "Applicant (submitted)",
    PartnerStatus.UNDER_REVIEW: "Under review",
    PartnerStatus.CERTIFIED: "Certified (Tier 1)",
    PartnerStatus.VALIDATED: "Validated",
    PartnerStatus.CORRECTIVE_ACTION: "Corrective action",
    PartnerStatus.SUSPENDED: "Suspended",
    PartnerStatus.REMOVED: "Removed",
    PartnerStatus.WITHDRAWN: "Withdrawn",
    PartnerStatus.REJECTED: "Rejected",
}

# Statuses in which the partner's application can be edited by the partner.
EDITABLE_STATUSES = frozenset({PartnerStatus.PRE_APPLICANT})
# Statuses that end the membership; nothing leaves them except by a new application.
FINAL_STATUSES = frozenset({PartnerStatus.REMOVED, PartnerStatus.WITHDRAWN, PartnerStatus.REJECTED})
MEMBER_STATUSES = frozenset(
    {PartnerStatus.CERTIFIED, PartnerStatus.VALIDATED, PartnerStatus.CORRECTIVE_ACTION}
)


class Actor(StrEnum):
    """Who takes a transition, in program terms (the portal maps its roles onto these)."""

    COMPANY_OFFICER = "company_officer"
    SPECIALIST = "specialist"
    SUPERVISOR = "supervisor"
    PROGRAM_DIRECTOR = "program_director"
    SYSTEM = "system"


# A guard reads the facts the service gathered and returns the reason the transition is not
# allowed, or None.
Guard = Callable[[Mapping[str, object]], str | None]


def requires(fact: str, reason: str) -> Guard:
    def guard(facts: Mapping[str, object]) -> str | None:
        return None if facts.get(fact) else reason

    guard.__name__ = f"requires_{fact}"
    return guard


def requires_reason(facts: Mapping[str, object]) -> str | None:
    reason = facts.get("reason")
    return None if isinstance(reason, str) and reason.strip() else "A reason is required."


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[PartnerStatus]
    target: PartnerStatus
    actors: frozenset[Actor]
    guards: tuple[Guard, ...] = field(default=())
    label: str = ""
    # When set, the target is the status this fact names (one of RESTORABLE), not ``target``.
    target_fact: str = ""


def _t(
    name: str,
    sources: set[PartnerStatus],
    target: PartnerStatus,
    actors: set[Actor],
    *guards: Guard,
    label: str,
    target_fact: str = "",
) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(actors), tuple(guards), label, target_fact)


S = PartnerStatus
AGENCY_DECIDERS = {Actor.SPECIALIST, Actor.SUPERVISOR, Actor.PROGRAM_DIRECTOR}
ACTIVE = {S.CERTIFIED, S.VALIDATED, S.CORRECTIVE_ACTION}
# A granted appeal against a suspension returns the partner to its status before it.
RESTORABLE = frozenset(ACTIVE)


def restores_prior_status(facts: Mapping[str, object]) -> str | None:
    restore_to = facts.get("restore_to")
    if restore_to in {s.value for s in RESTORABLE}:
        return None
    return "Name the status the partner had before the suspension."


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t(
            "submit",
            {S.PRE_APPLICANT},
            S.APPLICANT,
            {Actor.COMPANY_OFFICER},
            requires("eligible", "The company must pass the eligibility check for its entity type."),
            requires("profile_complete", "The application is not complete: see the completeness check."),
            requires("agreement_signed", "The Company Officer must sign the partner agreement."),
            label="Submit application",
        ),
        _t("start_review", {S.APPLICANT}, S.UNDER_REVIEW, AGENCY_DECIDERS, label="Start review"),
        _t(
            "return_to_partner",
            {S.APPLICANT, S.UNDER_REVIEW},
            S.PRE_APPLICANT,
            AGENCY_DECIDERS,
            requires_reason,
            label="Return to partner for more information",
        ),
        _t(
            "certify",
            {S.UNDER_REVIEW},
            S.CERTIFIED,
            {Actor.SUPERVISOR, Actor.PROGRAM_DIRECTOR},
            requires("vetting_complete", "Vetting must be complete before certification."),
            requires("risk_assessed", "The risk assessment must be complete before certification."),
            label="Certify (Tier 1)",
        ),
        _t(
            "reject",
            {S.APPLICANT, S.UNDER_REVIEW},
            S.REJECTED,
            {Actor.SUPERVISOR, Actor.PROGRAM_DIRECTOR},
            requires_reason,
            label="Reject application",
        ),
        _t(
            "validate",
            {S.CERTIFIED, S.CORRECTIVE_ACTION, S.VALIDATED},
            S.VALIDATED,
            {Actor.SUPERVISOR, Actor.PROGRAM_DIRECTOR},
            requires("validation_approved", "The validation report must be approved by a supervisor."),
            label="Validate",
        ),
        _t(
            "require_corrective_action",
            ACTIVE,
            S.CORRECTIVE_ACTION,
            AGENCY_DECIDERS,
            requires_reason,
            label="Require corrective action",
        ),
        _t(
            "suspend",
            ACTIVE,
            S.SUSPENDED,
            {Actor.PROGRAM_DIRECTOR},
            requires_reason,
            label="Suspend",
        ),
        _t(
            "reinstate",
            {S.SUSPENDED},
            S.CERTIFIED,
            {Actor.PROGRAM_DIRECTOR},
            requires("corrective_plan_accepted", "Reinstatement needs an accepted corrective action plan."),
            label="Reinstate",
        ),
        _t(
            "remove",
            ACTIVE | {S.SUSPENDED},
            S.REMOVED,
            {Actor.PROGRAM_DIRECTOR},
            requires_reason,
            label="Remove from the program",
        ),
        _t(
            "withdraw",
            {S.PRE_APPLICANT, S.APPLICANT, S.UNDER_REVIEW} | ACTIVE | {S.SUSPENDED},
            S.WITHDRAWN,
            {Actor.COMPANY_OFFICER},
            requires_reason,
            label="Withdraw from the program",
        ),
        _t(
            "restore",
            # An appeal can be filed against a suspension or a removal; granting it is the one
            # way out of removal.
            {S.SUSPENDED, S.REMOVED},
            S.CERTIFIED,
            {Actor.PROGRAM_DIRECTOR},
            requires("appeal_granted", "Only a granted appeal restores the status before the sanction."),
            requires_reason,
            restores_prior_status,
            label="Restore on appeal",
            target_fact="restore_to",
        ),
    )
}


class TransitionError(Exception):
    """A transition that is not allowed; ``reasons`` says every reason why."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def check_transition(
    name: str, *, current: PartnerStatus, actor: Actor, facts: Mapping[str, object]
) -> Transition:
    """Return the transition when ``actor`` may take it from ``current`` given ``facts``.

    Raises TransitionError with every reason it is refused.

    >>> check_transition("start_review", current=PartnerStatus.APPLICANT,
    ...     actor=Actor.SPECIALIST, facts={}).target
    <PartnerStatus.UNDER_REVIEW: 'under_review'>
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError([f"Unknown transition {name!r}."])
    reasons: list[str] = []
    if current not in transition.sources:
        reasons.append(f"{transition.label} is not possible from the status {current.label}.")
    if actor not in transition.actors:
        reasons.append(f"{transition.label} cannot be done by a {actor.value.replace('_', ' ')}.")
    for guard in transition.guards:
        reason = guard(facts)
        if reason:
            reasons.append(reason)
    if reasons:
        raise TransitionError(reasons)
    if transition.target_fact:
        return replace(transition, target=PartnerStatus(str(facts[transition.target_fact])))
    return transition


def available_transitions(current: PartnerStatus, actor: Actor) -> list[Transition]:
    """Transitions ``actor`` could take from ``current`` (guards not yet checked)."""
    return [t for t in TRANSITIONS.values() if current in t.sources and actor in t.actors]
