"""One model for a listed party, whatever list it came from.

Every reader (OFAC legacy CSV, the U.S. Consolidated Screening List, the UN Security Council XML,
the BIS Denied Persons List) turns its file into :class:`ListedEntity` rows inside a
:class:`RestrictedPartyList`; the index and the matcher only ever see this model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class PartyType(StrEnum):
    """What kind of party a listed entry or a query is. ``unknown`` when the list does not say."""

    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class NameKind(StrEnum):
    """How a list presents a name: the primary name, an alias, a former name or a weak alias."""

    PRIMARY = "primary"
    AKA = "aka"
    FKA = "fka"
    WEAK_ALIAS = "weak"


@dataclass(frozen=True, slots=True)
class ListedName:
    """One name of a listed entity, as written on the list."""

    text: str
    kind: NameKind = NameKind.PRIMARY


@dataclass(frozen=True, slots=True)
class Identifier:
    """A document or registration number: passport, IMO number, tax ID, registration number."""

    kind: str
    number: str
    country: str = ""


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address; ``country`` is an ISO-2 code when it could be recognised."""

    text: str
    country: str = ""


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date of birth as lists write them: a full date, a year, or a range of years.

    ``year_from``/``year_to`` bound the year; ``month``/``day`` are 0 when unknown.
    """

    year_from: int
    year_to: int
    month: int = 0
    day: int = 0

    def __str__(self) -> str:
        if self.year_from != self.year_to:
            return f"{self.year_from}-{self.year_to}"
        if self.month and self.day:
            return f"{self.year_from:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year_from:04d}"


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """A party on a restricted-party list, with everything the matcher may compare."""

    list_code: str
    entity_id: str
    party_type: PartyType
    names: tuple[ListedName, ...]
    programs: tuple[str, ...] = ()
    birth_dates: tuple[BirthDate, ...] = ()
    places_of_birth: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    addresses: tuple[Address, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    gender: str = ""
    linked_to: tuple[str, ...] = ()
    remarks: str = ""

    @property
    def primary_name(self) -> str:
        return self.names[0].text


@dataclass(frozen=True, slots=True)
class RestrictedPartyList:
    """The entities read from one list file (or OFAC folder), with the list's date and source."""

    code: str
    format: str
    source: str
    list_date: str
    entities: tuple[ListedEntity, ...] = field(default=())


class ListFileError(ValueError):
    """A list file that cannot be read: the message names the file, the line and the reason."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")
