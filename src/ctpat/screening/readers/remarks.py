"""The facts OFAC writes into an entry's free-text remarks.

``DOB 1962; POB Shati; nationality Iraq; Passport 123 (Iraq); Gender Male; a.k.a. 'X'; Linked To: Y.``
The same item syntax appears in the Consolidated Screening List's ``ids`` cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..countries import country_code
from ..model import BirthDate, Identifier, ListedName, NameKind

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_ALIAS = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*'(.+)'$", re.IGNORECASE)
_ID_WORDS = re.compile(
    r"passport|\bid\b|no\.|number|registration|identification|\bimo\b|mmsi|swift|\bbic\b|cedula|curp|"
    r"r\.f\.c|\bnit\b|\bruc\b|d\.n\.i|licen[cs]e|certificate|code|card|serial|tail|digital currency|"
    r"\bssn\b|document|matricula|#",
    re.IGNORECASE,
)
_NOT_ID = re.compile(
    r"date|executive order|sanctions|phone|fax|website|email|target type|directive|vessel year|"
    r"tonnage|flag|call sign|listing|effective",
    re.IGNORECASE,
)
_COUNTRY_SUFFIX = re.compile(r"\(([^()]+)\)\s*(?:issued|expires|$).*$", re.IGNORECASE)


@dataclass
class RemarkFacts:
    """What a remarks text says about the entity."""

    birth_dates: list[BirthDate] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    aliases: list[ListedName] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    gender: str = ""


def parse_birth_date(text: str) -> BirthDate | None:
    """A list's date of birth: ``1962``, ``13 Mar 1962``, ``1962-03-13``, ``circa 1962``, ``1962 to 1964``.

    >>> str(parse_birth_date("circa 1962")), str(parse_birth_date("13 Mar 1962"))
    ('1961-1963', '1962-03-13')
    """
    text = text.strip().rstrip(".").lower()
    circa = text.startswith(("circa", "approximately", "about"))
    years = [int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", text)]
    if not years:
        return None
    if len(years) >= 2:
        return BirthDate(min(years), max(years))
    year = years[0]
    if circa:
        return BirthDate(year - 1, year + 1)
    iso = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        return BirthDate(year, year, int(iso.group(2)), int(iso.group(3)))
    written = re.search(r"(\d{1,2})\s+([a-z]{3})[a-z]*\s+\d{4}", text)
    if written and written.group(2) in _MONTHS:
        return BirthDate(year, year, _MONTHS[written.group(2)], int(written.group(1)))
    return BirthDate(year, year)


def parse_identifier(item: str) -> Identifier | None:
    """``Passport 123456 (Iraq) issued 2005`` as an identifier; ``None`` for other remarks."""
    item = re.sub(r"^alt\.\s*", "", item.strip(), flags=re.IGNORECASE)
    if _NOT_ID.search(item) or not _ID_WORDS.search(item):
        return None
    words = item.split()
    first_number = next((i for i, word in enumerate(words) if any(ch.isdigit() for ch in word)), None)
    if first_number is None or first_number == 0:
        return None
    kind = " ".join(words[:first_number])
    rest = " ".join(words[first_number:])
    country = ""
    suffix = _COUNTRY_SUFFIX.search(rest)
    if suffix:
        country = country_code(suffix.group(1)) or ""
        rest = rest[: suffix.start()]
    number = re.split(r"\s+(?:issued|expires)\b", rest, flags=re.IGNORECASE)[0].strip(" ;,.")
    if kind.upper().endswith("IMO") or kind.upper() == "IMO":
        kind = "IMO"
    return Identifier(kind=kind.strip(" :"), number=number, country=country) if number else None


def parse_remarks(remarks: str) -> RemarkFacts:
    """Split OFAC remarks on ``;`` and read each item."""
    facts = RemarkFacts()
    for raw in remarks.split(";"):
        item = raw.strip().rstrip(".").strip()
        if not item:
            continue
        _read_item(item, facts)
    return facts


def _read_item(item: str, facts: RemarkFacts) -> None:
    lowered = re.sub(r"^alt\.\s*", "", item.lower())
    body = item[len(item) - len(lowered) :] if len(lowered) < len(item) else item
    alias = _ALIAS.match(body)
    if alias:
        kind = NameKind.FKA if alias.group(1).lower().startswith("f") else NameKind.WEAK_ALIAS
        facts.aliases.append(ListedName(alias.group(2).strip(), kind))
    elif lowered.startswith("dob "):
        birth = parse_birth_date(body[4:])
        if birth:
            facts.birth_dates.append(birth)
    elif lowered.startswith("pob "):
        facts.places_of_birth.append(body[4:].strip())
    elif lowered.startswith(("nationality ", "citizen ")):
        facts.nationalities.append(body.split(" ", 1)[1].strip())
    elif lowered.startswith("gender "):
        facts.gender = body.split(" ", 1)[1].strip()
    elif lowered.startswith("linked to:"):
        facts.linked_to.append(body.split(":", 1)[1].strip())
    else:
        identifier = parse_identifier(body)
        if identifier:
            facts.identifiers.append(identifier)
