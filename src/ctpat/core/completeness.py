"""What an application still lacks before it can be submitted.

The services gather plain facts; this module decides, so the rule can be read in one place and
tested without a database. Every Must criterion needs an answer; an answer of "not applicable"
needs a reason; the company's profile, contacts, identifiers and business information are
required as the entity type says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind

IMPORTING_TYPES = frozenset({EntityType.IMPORTER, EntityType.CONSOLIDATOR, EntityType.THIRD_PARTY_LOGISTICS})


@dataclass(frozen=True)
class AnswerFacts:
    criterion: str
    category: int
    is_must: bool
    status: str  # "" when unanswered
    narrative: str = ""
    not_applicable_reason: str = ""


@dataclass(frozen=True)
class ApplicationFacts:
    entity_type: EntityType
    eligible: bool
    has_address: bool
    identifiers: frozenset[IdentifierKind]
    contact_types: Sequence[str]
    transport_modes: Sequence[str]
    origin_shares: Sequence[Decimal]
    facility_count: int
    answers: Sequence[AnswerFacts] = field(default_factory=tuple)


@dataclass(frozen=True)
class Gap:
    section: str
    message: str
    criterion: str | None = None


def answer_gaps(answer: AnswerFacts) -> list[Gap]:
    if not answer.status:
        if answer.is_must:
            return [Gap("security_profile", "This Must criterion has no answer.", answer.criterion)]
        return []
    if answer.status == "not_applicable" and not answer.not_applicable_reason.strip():
        return [Gap("security_profile", "Say why this criterion does not apply.", answer.criterion)]
    if answer.status in {"implemented", "partly"} and not answer.narrative.strip():
        return [Gap("security_profile", "Describe how the company meets this criterion.", answer.criterion)]
    return []


def application_gaps(facts: ApplicationFacts) -> list[Gap]:
    """Every item missing from the application, in the order the pages show them."""
    from ctpat.core.eligibility import missing_identifiers

    gaps: list[Gap] = []
    if not facts.eligible:
        gaps.append(Gap("eligibility", "Complete the eligibility check for your entity type."))
    if not facts.has_address:
        gaps.append(Gap("company", "Give the company's street address, city and country."))
    if "company_officer" not in facts.contact_types:
        gaps.append(Gap("contacts", "Name at least one Company Officer as a contact."))
    gaps += [
        Gap("identifiers", message)
        for message in missing_identifiers(facts.entity_type, set(facts.identifiers))
    ]
    if not facts.transport_modes:
        gaps.append(Gap("business", "Choose at least one mode of transport."))
    if facts.entity_type in IMPORTING_TYPES:
        total = sum(facts.origin_shares, Decimal(0))
        if not facts.origin_shares:
            gaps.append(Gap("business", "List the countries of origin of your imports with their share."))
        elif total > Decimal(100):
            gaps.append(
                Gap("business", f"The shares of the countries of origin add up to {total}%, over 100%.")
            )
    if facts.facility_count == 0:
        gaps.append(Gap("business", "List at least one facility with its address."))
    for answer in facts.answers:
        gaps += answer_gaps(answer)
    return gaps


@dataclass(frozen=True)
class CategoryProgress:
    category: int
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else round(100 * self.answered / self.total)


def category_progress(answers: Sequence[AnswerFacts]) -> list[CategoryProgress]:
    """Answered criteria per category (an answer counts once it has no gap of its own)."""
    totals: dict[int, list[int]] = {}
    for answer in answers:
        done = bool(answer.status) and not answer_gaps(answer)
        counts = totals.setdefault(answer.category, [0, 0])
        counts[0] += int(done)
        counts[1] += 1
    return [CategoryProgress(cat, done, total) for cat, (done, total) in sorted(totals.items())]
