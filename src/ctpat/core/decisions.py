"""The review's decision rules: vetting completeness, the specialist's recommendation, the
supervisor's decision with its separation of duties, and certificate numbers.

The specialist assigned to a file recommends (certify, reject, or return to the partner for
more information); a supervisor or the program director then agrees, overrides or returns the
recommendation to the specialist. Whoever recommended may not decide on that recommendation,
and neither may the specialist the file is assigned to, even when that person is also a
supervisor (domain file, sections 1 and 3: the supervisor checks the specialist's work).

The lifecycle table still guards the status change itself (``certify`` needs the facts
``vetting_complete`` and ``risk_assessed``); the rules here come first and say who may ask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ctpat.core.lifecycle import Actor, PartnerStatus, TransitionError


class ReviewRefused(TransitionError):
    """A review step that is not allowed now; ``reasons`` says every reason why.

    It is a TransitionError so that pages and the API answer it like a refused status change.
    """


# --- Vetting -----------------------------------------------------------------------------


class VettingCheckKind(StrEnum):
    """The checks the agency runs on every applicant (domain file, section 3, step 2)."""

    IDENTIFIERS = "identifier_verification"
    TRADE_HISTORY = "import_export_history"
    RESTRICTED_PARTY = "restricted_party_screening"
    OPEN_SOURCE = "open_source"
    LAW_ENFORCEMENT = "law_enforcement"
    PRIOR_ACCOUNTS = "prior_accounts"

    @property
    def label(self) -> str:
        return VETTING_TEXTS[self][0]

    @property
    def hint(self) -> str:
        return VETTING_TEXTS[self][1]


VETTING_TEXTS: dict[VettingCheckKind, tuple[str, str]] = {
    VettingCheckKind.IDENTIFIERS: (
        "Identifier verification",
        "The importer of record number, EIN, SCAC, MID and other numbers belong to this company.",
    ),
    VettingCheckKind.TRADE_HISTORY: (
        "Import/export history",
        "Entries or exports in the last 12 months match the business described.",
    ),
    VettingCheckKind.RESTRICTED_PARTY: (
        "Restricted-party screening",
        "The company, its contacts and facilities against the restricted-party lists.",
    ),
    VettingCheckKind.OPEN_SOURCE: (
        "Open-source checks",
        "News, court records, corporate registers.",
    ),
    VettingCheckKind.LAW_ENFORCEMENT: (
        "Law-enforcement checks",
        "Enforcement records and referrals from other agencies.",
    ),
    VettingCheckKind.PRIOR_ACCOUNTS: (
        "Prior accounts",
        "Earlier program accounts of the company or its officers (rejections, removals).",
    ),
}


def vetting_missing(recorded: Iterable[str]) -> list[VettingCheckKind]:
    """The checks with no recorded result yet."""
    done = set(recorded)
    return [kind for kind in VettingCheckKind if kind.value not in done]


def is_vetting_complete(recorded: Iterable[str]) -> bool:
    """Vetting is complete when every check has a recorded result."""
    return not vetting_missing(recorded)


# --- The specialist's recommendation ------------------------------------------------------


class RecommendationKind(StrEnum):
    CERTIFY = "certify"
    REJECT = "reject"
    RETURN_TO_PARTNER = "return_to_partner"

    @property
    def label(self) -> str:
        return {
            RecommendationKind.CERTIFY: "Certify (Tier 1)",
            RecommendationKind.REJECT: "Reject the application",
            RecommendationKind.RETURN_TO_PARTNER: "Return to the partner for more information",
        }[self]

    @property
    def needs_supervisor(self) -> bool:
        """Certification and rejection wait for a supervisor; a return is taken at once."""
        return self is not RecommendationKind.RETURN_TO_PARTNER


# Statuses in which the file is with the agency and can be recommended on.
RECOMMENDABLE = {
    RecommendationKind.CERTIFY: frozenset({PartnerStatus.UNDER_REVIEW}),
    RecommendationKind.REJECT: frozenset({PartnerStatus.APPLICANT, PartnerStatus.UNDER_REVIEW}),
    RecommendationKind.RETURN_TO_PARTNER: frozenset({PartnerStatus.APPLICANT, PartnerStatus.UNDER_REVIEW}),
}


@dataclass(frozen=True)
class RecommendationFacts:
    status: PartnerStatus
    by_assigned_specialist: bool
    pending: bool  # a certify/reject recommendation is already waiting for a supervisor
    vetting_complete: bool
    risk_assessed: bool


def _has_text(reason: str) -> bool:
    return bool(reason.strip())


def recommendation_refusals(kind: RecommendationKind, reason: str, facts: RecommendationFacts) -> list[str]:
    """Every reason the recommendation may not be made now (an empty list: it may)."""
    reasons: list[str] = []
    if not facts.by_assigned_specialist:
        reasons.append("Only the specialist the application is assigned to recommends a decision.")
    if facts.status not in RECOMMENDABLE[kind]:
        reasons.append(f"{kind.label} cannot be recommended while the status is {facts.status.label}.")
    if facts.pending:
        reasons.append("A recommendation is already waiting for a supervisor's decision.")
    if kind is RecommendationKind.CERTIFY:
        if not facts.vetting_complete:
            reasons.append("Vetting must be complete: record a result for every check.")
        if not facts.risk_assessed:
            reasons.append("The risk assessment must be complete: record the score and write all five steps.")
    elif not _has_text(reason):
        reasons.append("Give the reasons for this recommendation.")
    return reasons


def check_recommendation(kind: RecommendationKind, reason: str, facts: RecommendationFacts) -> None:
    reasons = recommendation_refusals(kind, reason, facts)
    if reasons:
        raise ReviewRefused(reasons)


# --- The supervisor's decision ------------------------------------------------------------


class DecisionAction(StrEnum):
    AGREE = "agree"
    OVERRIDE = "override"
    RETURN_TO_SPECIALIST = "return_to_specialist"

    @property
    def label(self) -> str:
        return {
            DecisionAction.AGREE: "Agree with the recommendation",
            DecisionAction.OVERRIDE: "Override: take the other decision",
            DecisionAction.RETURN_TO_SPECIALIST: "Return the recommendation to the specialist",
        }[self]


DECIDING_ACTORS = frozenset({Actor.SUPERVISOR, Actor.PROGRAM_DIRECTOR})
OPPOSITE = {RecommendationKind.CERTIFY: "reject", RecommendationKind.REJECT: "certify"}


@dataclass(frozen=True)
class PendingRecommendation:
    kind: RecommendationKind
    recommended_by: int | None  # the recommending user's ID


@dataclass(frozen=True)
class DecisionFacts:
    decider_id: int
    decider_actor: Actor | None
    assigned_specialist_id: int | None
    recommendation: PendingRecommendation | None


def separation_of_duties_refusals(facts: DecisionFacts) -> list[str]:
    """Whoever recommended, and the specialist who holds the file, may not decide on it."""
    reasons = []
    pending = facts.recommendation
    if pending is not None and pending.recommended_by == facts.decider_id:
        reasons.append(
            "Separation of duties: you made this recommendation, so another supervisor must decide on it."
        )
    elif facts.assigned_specialist_id == facts.decider_id:
        reasons.append(
            "Separation of duties: the application is in your portfolio, so another supervisor must decide."
        )
    return reasons


def decision_refusals(action: DecisionAction, reason: str, facts: DecisionFacts) -> list[str]:
    """Every reason the supervisor's decision may not be taken now (an empty list: it may)."""
    reasons: list[str] = []
    if facts.decider_actor not in DECIDING_ACTORS:
        reasons.append("Only a supervisor or the program director decides on a recommendation.")
    if facts.recommendation is None:
        reasons.append("No recommendation is waiting for a decision.")
    reasons += separation_of_duties_refusals(facts)
    if action is not DecisionAction.AGREE and not _has_text(reason):
        reasons.append("Give the reasons for overriding or returning the recommendation.")
    return reasons


def check_decision(action: DecisionAction, reason: str, facts: DecisionFacts) -> None:
    reasons = decision_refusals(action, reason, facts)
    if reasons:
        raise ReviewRefused(reasons)


def decision_transition(action: DecisionAction, kind: RecommendationKind) -> str | None:
    """The lifecycle transition a decision takes: the recommended one, the other one, or none.

    >>> decision_transition(DecisionAction.OVERRIDE, RecommendationKind.CERTIFY)
    'reject'
    """
    if action is DecisionAction.RETURN_TO_SPECIALIST or not kind.needs_supervisor:
        return None
    if action is DecisionAction.AGREE:
        return kind.value
    return OPPOSITE[kind]


# --- Certificate numbers ------------------------------------------------------------------

CERTIFICATE_NUMBER = re.compile(r"^CTPAT-(\d{4})-(\d{6})$")
MAX_SEQUENCE = 999_999


def certificate_number(year: int, sequence: int) -> str:
    """``CTPAT-<year>-<6 digits>``, numbered from 1 in each year.

    >>> certificate_number(2026, 42)
    'CTPAT-2026-000042'
    """
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"A certificate sequence runs from 1 to {MAX_SEQUENCE}, not {sequence}.")
    if not 1000 <= year <= 9999:
        raise ValueError(f"{year} is not a four-digit year.")
    return f"CTPAT-{year:04d}-{sequence:06d}"


def certificate_number_parts(number: str) -> tuple[int, int]:
    """(year, sequence) of a certificate number; ValueError for anything else."""
    match = CERTIFICATE_NUMBER.match(number)
    if match is None or int(match.group(2)) == 0:
        raise ValueError(f"{number!r} is not a certificate number.")
    return int(match.group(1)), int(match.group(2))
