"""What besides the name speaks for or against a hit: party type, country, date of birth, documents.

A missing fact is neutral; a conflicting one lowers the score; an identical document number
decides the match on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .countries import country_code
from .model import BirthDate, ListedEntity, PartyType
from .readers.remarks import parse_birth_date

TYPE_CONFLICT_PENALTY = 0.2  # a person against a company, vessel or aircraft
OTHER_TYPE_PENALTY = 0.05  # a company against a vessel, say: lists blur these
COUNTRY_BONUS = 0.02
COUNTRY_PENALTY = 0.04
DOB_EXACT_BONUS = 0.05
DOB_YEAR_BONUS = 0.02
DOB_CONFLICT_PENALTY = 0.15
IDENTIFIER_MIN_LENGTH = 5
MAX_CONTEXT_BONUS = COUNTRY_BONUS + DOB_EXACT_BONUS

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def identifier_key(number: str) -> str:
    """A document number compared without spaces, dashes or case: ``"ob 024-3318"`` → ``"OB0243318"``."""
    return _NOT_ALNUM.sub("", number.upper())


@dataclass(frozen=True, slots=True)
class QueryContext:
    """The facts a query brings besides its name."""

    party_type: PartyType = PartyType.UNKNOWN
    country: str = ""
    birth_date: BirthDate | None = None

    @classmethod
    def from_values(cls, *, party_type: str | None, country: str | None, dob: str | None) -> QueryContext:
        kind = (
            PartyType(party_type.strip().lower()) if party_type and party_type.strip() else PartyType.UNKNOWN
        )
        code = (country_code(country) or "") if country and country.strip() else ""
        birth = parse_birth_date(dob) if dob and dob.strip() else None
        return cls(party_type=kind, country=code, birth_date=birth)


def _type_adjustment(query: PartyType, listed: PartyType) -> tuple[float, str]:
    if PartyType.UNKNOWN in (query, listed) or query is listed:
        return 0.0, ""
    if PartyType.PERSON in (query, listed):
        return -TYPE_CONFLICT_PENALTY, f"type {query.value} vs {listed.value} -{TYPE_CONFLICT_PENALTY}"
    return -OTHER_TYPE_PENALTY, f"type {query.value} vs {listed.value} -{OTHER_TYPE_PENALTY}"


def _country_adjustment(country: str, entity: ListedEntity) -> tuple[float, str]:
    listed = set(entity.countries) | set(entity.nationalities)
    if not country or not listed:
        return 0.0, ""
    if country in listed:
        return COUNTRY_BONUS, f"country {country} +{COUNTRY_BONUS}"
    return -COUNTRY_PENALTY, f"country {country} not in {'/'.join(sorted(listed))} -{COUNTRY_PENALTY}"


def _dob_adjustment(birth: BirthDate | None, entity: ListedEntity) -> tuple[float, str]:
    if birth is None or not entity.birth_dates:
        return 0.0, ""
    for listed in entity.birth_dates:
        exact = birth.month and birth.day and listed.month and listed.day
        if exact and (birth.year_from, birth.month, birth.day) == (
            listed.year_from,
            listed.month,
            listed.day,
        ):
            return DOB_EXACT_BONUS, f"dob {listed} +{DOB_EXACT_BONUS}"
    for listed in entity.birth_dates:
        if birth.year_from <= listed.year_to and listed.year_from <= birth.year_to:
            # Same year but a different day is not a conflict: lists and registers often disagree.
            return DOB_YEAR_BONUS, f"dob year {listed} +{DOB_YEAR_BONUS}"
    listed_text = "/".join(str(b) for b in entity.birth_dates)
    return -DOB_CONFLICT_PENALTY, f"dob {birth} vs {listed_text} -{DOB_CONFLICT_PENALTY}"


def context_adjustment(context: QueryContext, entity: ListedEntity) -> tuple[float, list[str]]:
    """The sum of the type, country and date-of-birth adjustments, and a note for each."""
    total = 0.0
    notes = []
    for delta, note in (
        _type_adjustment(context.party_type, entity.party_type),
        _country_adjustment(context.country, entity),
        _dob_adjustment(context.birth_date, entity),
    ):
        total += delta
        if note:
            notes.append(note)
    return total, notes
