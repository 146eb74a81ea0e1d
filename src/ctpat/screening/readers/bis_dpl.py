"""The BIS Denied Persons List: tab-separated, with a header, quoted cells, one order per row."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

from ..countries import country_code
from ..legal_forms import looks_like_organization
from ..model import Address, ListedEntity, ListedName, ListFileError, PartyType, RestrictedPartyList
from ..normalisation import name_tokens
from .text_files import file_date, read_text

REQUIRED_COLUMNS = ("Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date")


def _entity(row: dict[str, str]) -> ListedEntity:
    name = row["Name"].strip()
    # The list has no entry numbers: a stable id from the name and the order's date.
    key = "|".join((name, row["Street_Address"].strip(), row["Effective_Date"].strip()))
    country = country_code(row["Country"]) if row["Country"].strip() else None
    text = ", ".join(
        p.strip() for p in (row["Street_Address"], row["City"], row["State"], row["Postal_Code"]) if p.strip()
    )
    address = Address(text=text, country=country or "")
    # The list does not say who is a person; a legal form or a business word marks a company.
    party_type = PartyType.ORGANIZATION if looks_like_organization(name_tokens(name)) else PartyType.UNKNOWN
    return ListedEntity(
        list_code="BIS-DPL",
        entity_id="dpl-" + hashlib.sha256(key.encode()).hexdigest()[:12],
        party_type=party_type,
        names=(ListedName(name),),
        programs=("DPL",),
        countries=(country,) if country else (),
        addresses=(address,),
        remarks=row.get("FR_Citation", ""),
    )


def _last_update(rows: list[dict[str, str]]) -> str | None:
    dates = [r.get("Last_Update", "").strip() for r in rows]
    today = dt.datetime.now(tz=dt.UTC).date().isoformat()
    # The file has the odd mistyped year (3017): a date in the future is not the list's date.
    valid = [d for d in dates if len(d) == 10 and d[4] == "-" and d <= today]
    if not valid:
        return None
    latest = max(valid)
    try:
        return dt.date.fromisoformat(latest).isoformat()
    except ValueError:
        return None


def read_bis_dpl(path: Path, *, list_date: str | None = None) -> RestrictedPartyList:
    """Read the Denied Persons List (``dpl.txt``) into the entity model."""
    reader = csv.DictReader(read_text(path).splitlines(), delimiter="\t")
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ListFileError(path, 1, f"not a Denied Persons List: missing column(s) {', '.join(missing)}")
    rows = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise ListFileError(path, reader.line_num, f"expected {len(header)} tab-separated fields")
        if not row["Name"].strip():
            raise ListFileError(path, reader.line_num, "entry without a name")
        rows.append(row)
    entities = tuple(_entity(row) for row in rows)
    date = list_date or _last_update(rows) or file_date(path)
    return RestrictedPartyList(
        code="BIS-DPL", format="bis-dpl", source=str(path), list_date=date, entities=entities
    )
