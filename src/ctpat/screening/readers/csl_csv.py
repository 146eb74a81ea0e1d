"""The U.S. Consolidated Screening List (trade.gov) CSV, in both layouts.

``csl.csv`` (older, 28 columns) and ``consolidated.csv`` (current, 29 columns with a leading
``_id``). Multi-valued cells are ``; ``-separated. The ``ids`` cell lists documents as
``number, type`` or ``country, number, type`` (older) or ``type, number, country`` (current).
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

from ..countries import country_code
from ..model import (
    Address,
    Identifier,
    ListedEntity,
    ListedName,
    ListFileError,
    NameKind,
    PartyType,
    RestrictedPartyList,
)
from .remarks import parse_birth_date
from .text_files import file_date, read_text

REQUIRED_COLUMNS = ("source", "name", "type", "programs", "addresses", "alt_names", "ids")
_TYPES = {"individual": PartyType.PERSON, "entity": PartyType.ORGANIZATION, "vessel": PartyType.VESSEL,
          "aircraft": PartyType.AIRCRAFT}  # fmt: skip
_SOURCE_CODE = re.compile(r"\(([A-Z]{2,6})\)")
_NOT_IDS = re.compile(
    r"sanctions|directive|website|email|additional|prohibited|flag|gender|effective|listing", re.I
)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _identifier(item: str) -> Identifier | None:
    if _NOT_IDS.search(item):
        return None
    parts = [part.strip() for part in item.split(",") if part.strip()]
    numbered = [p for p in parts if any(ch.isdigit() for ch in p)]
    if not numbered:
        return None
    number = numbered[0]
    others = [p for p in parts if p != number]
    country = next((c for c in (country_code(p) for p in others if len(p) == 2) if c), "")
    kind = next((p for p in others if len(p) > 2), "")
    if number.upper().startswith("IMO "):
        kind, number = "IMO", number[4:].strip()
    return Identifier(kind=kind, number=number, country=country)


def _entity_id(row: dict[str, str]) -> str:
    if row.get("entity_number"):
        return row["entity_number"]
    if row.get("_id"):
        return row["_id"]
    # Lists inside the CSL without numbers: a stable id from what identifies the row.
    key = "|".join((row["source"], row["name"], row["addresses"], row.get("start_date", "")))
    return "csl-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def _entity(row: dict[str, str]) -> ListedEntity:
    source = _SOURCE_CODE.search(row["source"])
    code = "CSL-" + (source.group(1) if source else "OTHER")
    names = [ListedName(row["name"].strip(), NameKind.PRIMARY)]
    names += [ListedName(alt, NameKind.AKA) for alt in _split(row["alt_names"])]
    addresses = [
        Address(text=a, country=country_code(a.rsplit(",", 1)[-1]) or "") for a in _split(row["addresses"])
    ]
    nationalities = [c for c in (country_code(n) for n in _split(row.get("nationalities", ""))) if c]
    citizenships = [c for c in (country_code(n) for n in _split(row.get("citizenships", ""))) if c]
    births = [b for b in (parse_birth_date(d) for d in _split(row.get("dates_of_birth", ""))) if b]
    places = _split(row.get("places_of_birth", ""))
    countries = {a.country for a in addresses if a.country} | set(citizenships)
    party_type = _TYPES.get(row["type"].strip().lower(), PartyType.UNKNOWN)
    return ListedEntity(
        list_code=code,
        entity_id=_entity_id(row),
        party_type=party_type,
        names=tuple(names),
        programs=tuple(_split(row["programs"])),
        birth_dates=tuple(births),
        places_of_birth=tuple(places),
        nationalities=tuple(dict.fromkeys(nationalities + citizenships)),
        countries=tuple(sorted(countries)),
        addresses=tuple(addresses),
        identifiers=tuple(i for i in (_identifier(item) for item in _split(row["ids"])) if i),
        remarks=row.get("remarks", ""),
    )


def read_csl_csv(path: Path, *, list_date: str | None = None) -> RestrictedPartyList:
    """Read a Consolidated Screening List CSV (either layout) into the entity model."""
    lines = read_text(path).splitlines()
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ListFileError(
            path, 1, f"not a Consolidated Screening List: missing column(s) {', '.join(missing)}"
        )
    entities = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise ListFileError(
                path, reader.line_num, f"expected {len(header)} fields, found a different number"
            )
        if not row["name"].strip():
            raise ListFileError(path, reader.line_num, "entry without a name")
        entities.append(_entity(row))
    return RestrictedPartyList(
        code="CSL",
        format="csl-csv",
        source=str(path),
        list_date=list_date or file_date(path),
        entities=tuple(entities),
    )
