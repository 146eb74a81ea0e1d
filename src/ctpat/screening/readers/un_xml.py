"""The UN Security Council Consolidated List XML (schema ``sc-sanctions.xsd``).

INDIVIDUAL entries spell the name over FIRST_NAME … FOURTH_NAME (plus NAME_ORIGINAL_SCRIPT) and
give aliases with a QUALITY (``Good``/``Low``); ENTITY entries carry the name in FIRST_NAME and
aliases with ``a.k.a.``/``f.k.a.``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..countries import country_code
from ..model import (
    Address,
    BirthDate,
    Identifier,
    ListedEntity,
    ListedName,
    ListFileError,
    NameKind,
    PartyType,
    RestrictedPartyList,
)
from .remarks import parse_birth_date
from .text_files import read_text

_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return " ".join((found.text or "").split()) if found is not None else ""


def _values(element: ET.Element, tag: str) -> list[str]:
    return [
        " ".join((v.text or "").split()) for v in element.findall(f"{tag}/VALUE") if (v.text or "").strip()
    ]


def _alias_kind(quality: str) -> NameKind:
    quality = quality.lower()
    if quality == "low":
        return NameKind.WEAK_ALIAS
    return NameKind.FKA if quality.startswith("f.k.a") else NameKind.AKA


def _birth_dates(element: ET.Element) -> list[BirthDate]:
    dates = []
    for node in element.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        exact, year = _text(node, "DATE"), _text(node, "YEAR")
        low, high = _text(node, "FROM_YEAR"), _text(node, "TO_YEAR")
        approximate = _text(node, "TYPE_OF_DATE").upper() == "APPROXIMATELY"
        text = f"{low} to {high}" if low and high else exact or year
        if approximate and text and " to " not in text:
            text = "circa " + text
        parsed = parse_birth_date(text) if text else None
        if parsed:
            dates.append(parsed)
    return dates


def _addresses(element: ET.Element, tag: str) -> list[Address]:
    addresses = []
    for node in element.findall(tag):
        parts = [_text(node, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")]
        text = ", ".join(p for p in parts if p)
        if text:
            addresses.append(Address(text=text, country=country_code(_text(node, "COUNTRY")) or ""))
    return addresses


def _identifiers(element: ET.Element) -> list[Identifier]:
    found = []
    for node in element.findall("INDIVIDUAL_DOCUMENT"):
        number = _text(node, "NUMBER")
        if number:
            kind = _text(node, "TYPE_OF_DOCUMENT") or _text(node, "TYPE_OF_DOCUMENT2")
            country = country_code(_text(node, "ISSUING_COUNTRY") or _text(node, "COUNTRY_OF_ISSUE")) or ""
            found.append(Identifier(kind=kind, number=number, country=country))
    return found


def _entity(element: ET.Element, *, person: bool) -> ListedEntity:
    if person:
        primary = " ".join(p for p in (_text(element, tag) for tag in _NAME_PARTS) if p)
    else:
        primary = _text(element, "FIRST_NAME")
    names = [ListedName(primary, NameKind.PRIMARY)]
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(ListedName(original, NameKind.AKA))
    for alias in element.findall("INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"):
        alias_name = _text(alias, "ALIAS_NAME")
        if alias_name:
            names.append(ListedName(alias_name, _alias_kind(_text(alias, "QUALITY"))))
    addresses = _addresses(element, "INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS")
    places = _addresses(element, "INDIVIDUAL_PLACE_OF_BIRTH")
    nationalities = [c for c in (country_code(n) for n in _values(element, "NATIONALITY")) if c]
    countries = {a.country for a in addresses + places if a.country}
    return ListedEntity(
        list_code="UN-SC",
        entity_id=_text(element, "REFERENCE_NUMBER") or _text(element, "DATAID"),
        party_type=PartyType.PERSON if person else PartyType.ORGANIZATION,
        names=tuple(names),
        programs=tuple(p for p in [_text(element, "UN_LIST_TYPE")] if p),
        birth_dates=tuple(_birth_dates(element)) if person else (),
        places_of_birth=tuple(p.text for p in places),
        nationalities=tuple(dict.fromkeys(nationalities)),
        countries=tuple(sorted(countries)),
        addresses=tuple(addresses),
        identifiers=tuple(_identifiers(element)) if person else (),
        gender=_text(element, "GENDER"),
        remarks=_text(element, "COMMENTS1"),
    )


def read_un_xml(path: Path, *, list_date: str | None = None) -> RestrictedPartyList:
    """Read the UN Security Council Consolidated List XML into the entity model."""
    text = read_text(path)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ListFileError(path, None, "document type declarations are not accepted in a list file")
    try:
        root = ET.fromstring(text)  # noqa: S314 - DTDs and entity declarations refused above
    except ET.ParseError as error:
        line = error.position[0] if error.position else None
        raise ListFileError(
            path, line, f"not well-formed XML ({error.msg if hasattr(error, 'msg') else error})"
        ) from error
    if root.tag != "CONSOLIDATED_LIST":
        raise ListFileError(path, 1, f"not a UN consolidated list: root element is <{root.tag}>")
    entities = []
    for tag, person in (("INDIVIDUALS/INDIVIDUAL", True), ("ENTITIES/ENTITY", False)):
        for element in root.findall(tag):
            if not _text(element, "FIRST_NAME"):
                reference = _text(element, "REFERENCE_NUMBER") or _text(element, "DATAID")
                raise ListFileError(path, None, f"entry {reference or '?'} has no FIRST_NAME")
            entities.append(_entity(element, person=person))
    date = list_date or root.get("dateGenerated", "")[:10]
    return RestrictedPartyList(
        code="UN-SC", format="un-xml", source=str(path), list_date=date, entities=tuple(entities)
    )
