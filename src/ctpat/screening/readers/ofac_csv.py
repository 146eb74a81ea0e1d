"""OFAC's legacy CSV files: ``sdn.csv``/``alt.csv``/``add.csv``/``sdn_comments.csv``, or the
Consolidated (non-SDN) list's ``cons_prim.csv``/``cons_alt.csv``/``cons_add.csv``/``cons_comments.csv``.

No header; nulls are written ``-0-``; the remarks hold dates of birth, nationality, documents and
weak aliases (see :mod:`ctpat.screening.readers.remarks`); a remarks text too long for its cell
goes on in the comments file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
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
from .remarks import parse_remarks
from .text_files import file_date, read_text

PRIMARY_FILES = ("sdn.csv", "cons_prim.csv", "cons.csv")
_COMPANIONS = {
    "sdn": ("alt.csv", "add.csv", "sdn_comments.csv"),
    "cons": ("cons_alt.csv", "cons_add.csv", "cons_comments.csv"),
}
_TYPES = {"individual": PartyType.PERSON, "vessel": PartyType.VESSEL, "aircraft": PartyType.AIRCRAFT}
_ALIAS_KINDS = {"aka": NameKind.AKA, "fka": NameKind.FKA, "nka": NameKind.AKA}


@dataclass
class _Entry:
    row: list[str]
    names: list[ListedName] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    remarks: str = ""


def _value(cell: str) -> str:
    cell = cell.strip()
    return "" if cell == "-0-" else cell


def _rows(path: Path, width: int) -> Iterator[tuple[int, list[str]]]:
    text = read_text(path).replace("\x1a", "")
    reader = csv.reader(text.splitlines())
    for row in reader:
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != width:
            raise ListFileError(path, reader.line_num, f"expected {width} fields, found {len(row)}")
        if not row[0].strip().isdigit():
            raise ListFileError(path, reader.line_num, f"entity number {row[0]!r} is not a number")
        yield reader.line_num, [_value(cell) for cell in row]


def _locate(path: Path) -> tuple[Path, str]:
    if path.is_file():
        return path, "cons" if path.name.startswith("cons") else "sdn"
    for name in PRIMARY_FILES:
        if (path / name).is_file():
            return path / name, "cons" if name.startswith("cons") else "sdn"
    raise ListFileError(path, None, f"no OFAC primary file ({', '.join(PRIMARY_FILES)}) in this folder")


def read_ofac_csv(path: Path, *, list_date: str | None = None) -> RestrictedPartyList:
    """Read an OFAC legacy CSV folder (SDN or Consolidated) into the entity model."""
    primary, prefix = _locate(path)
    folder = primary.parent
    alt_name, add_name, comments_name = _COMPANIONS[prefix]
    entries: dict[str, _Entry] = {}
    for line, row in _rows(primary, 12):
        if not row[1]:
            raise ListFileError(primary, line, "entry without a name")
        entries[row[0]] = _Entry(row=row, names=[ListedName(row[1], NameKind.PRIMARY)], remarks=row[11])
    _read_companions(folder, alt_name, add_name, comments_name, entries)
    code = "OFAC-SDN" if prefix == "sdn" else "OFAC-CONS"
    entities = tuple(_entity(code, number, entry) for number, entry in entries.items())
    return RestrictedPartyList(
        code=code,
        format="ofac-csv",
        source=str(path),
        list_date=list_date or file_date(primary),
        entities=entities,
    )


def _entry_for(path: Path, line: int, number: str, entries: dict[str, _Entry]) -> _Entry:
    if number not in entries:
        raise ListFileError(path, line, f"entity number {number} is not in the primary file")
    return entries[number]


def _read_companions(
    folder: Path, alt_name: str, add_name: str, comments_name: str, entries: dict[str, _Entry]
) -> None:
    if (folder / alt_name).is_file():
        for line, row in _rows(folder / alt_name, 5):
            if not row[3]:
                raise ListFileError(folder / alt_name, line, "alias without a name")
            kind = _ALIAS_KINDS.get(row[2].lower(), NameKind.AKA)
            _entry_for(folder / alt_name, line, row[0], entries).names.append(ListedName(row[3], kind))
    if (folder / add_name).is_file():
        for line, row in _rows(folder / add_name, 6):
            text = ", ".join(part for part in row[2:5] if part)
            address = Address(text=text, country=(country_code(row[4]) or "") if row[4] else "")
            entry = _entry_for(folder / add_name, line, row[0], entries)
            if text or address.country:
                entry.addresses.append(address)
    if (folder / comments_name).is_file():
        for line, row in _rows(folder / comments_name, 2):
            # The comments file carries on a remarks text cut at the primary file's cell limit.
            _entry_for(folder / comments_name, line, row[0], entries).remarks += row[1]


def _entity(code: str, number: str, entry: _Entry) -> ListedEntity:
    row = entry.row
    facts = parse_remarks(entry.remarks)
    party_type = _TYPES.get(row[2].lower(), PartyType.ORGANIZATION)
    names = list(entry.names)
    known = {name.text.lower() for name in names}
    names += [alias for alias in facts.aliases if alias.text.lower() not in known]
    identifiers = list(facts.identifiers)
    if row[5]:
        identifiers.append(Identifier(kind="Call Sign", number=row[5]))
    nationalities = tuple(dict.fromkeys(c for c in (country_code(n) for n in facts.nationalities) if c))
    countries = {a.country for a in entry.addresses if a.country}
    countries.update(c for c in (country_code(p) for p in facts.places_of_birth) if c)
    if row[9]:
        countries.add(country_code(row[9]) or "")
    return ListedEntity(
        list_code=code,
        entity_id=number,
        party_type=party_type,
        names=tuple(names),
        programs=tuple(p.strip() for p in row[3].split("] [") if p.strip()),
        birth_dates=tuple(facts.birth_dates),
        places_of_birth=tuple(facts.places_of_birth),
        nationalities=nationalities,
        countries=tuple(sorted(countries - {""})),
        addresses=tuple(entry.addresses),
        identifiers=tuple(identifiers),
        gender=facts.gender,
        linked_to=tuple(facts.linked_to),
        remarks=entry.remarks,
    )
