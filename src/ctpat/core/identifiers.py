"""Formats of the identifiers a partner gives (domain file, section 1).

Each validator returns ``None`` for a good value or a sentence that says what is wrong, so the
same rule serves forms, the API and imports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum


class IdentifierKind(StrEnum):
    EIN = "ein"
    IMPORTER_OF_RECORD = "importer_of_record"
    MID = "mid"
    DUNS = "duns"
    SCAC = "scac"
    USDOT = "usdot"
    FMC = "fmc"
    IATA = "iata"
    RFC = "rfc"

    @property
    def label(self) -> str:
        return IDENTIFIER_LABELS[self]


IDENTIFIER_LABELS: dict[IdentifierKind, str] = {
    IdentifierKind.EIN: "Employer Identification Number (EIN)",
    IdentifierKind.IMPORTER_OF_RECORD: "Importer of record number",
    IdentifierKind.MID: "Manufacturer ID (MID)",
    IdentifierKind.DUNS: "DUNS number",
    IdentifierKind.SCAC: "Standard Carrier Alpha Code (SCAC)",
    IdentifierKind.USDOT: "USDOT number",
    IdentifierKind.FMC: "FMC organization number",
    IdentifierKind.IATA: "IATA code",
    IdentifierKind.RFC: "Mexican RFC",
}

_EIN = re.compile(r"^\d{2}-\d{7}$")
# IRS number with its two-character suffix (e.g. 12-3456789AB), or a CBP-assigned number
# (YYDDPP-NNNNN, e.g. 981234-56789).
_IOR_IRS = re.compile(r"^\d{2}-\d{7}[A-Z0-9]{2}$")
_IOR_CBP = re.compile(r"^\d{6}-\d{5}$")
# MID: ISO country (2 letters), up to 6 letters of the maker's name, up to 4 digits of the
# address number, up to 3 letters of the city; 15 characters at most.
_MID = re.compile(r"^[A-Z]{2}[A-Z]{1,6}\d{1,4}[A-Z]{1,3}$")
_DUNS = re.compile(r"^\d{9}$")
_SCAC = re.compile(r"^[A-Z]{2,4}$")
_USDOT = re.compile(r"^\d{1,8}$")
_FMC = re.compile(r"^\d{3,6}[A-Z]?$")
_IATA = re.compile(r"^([A-Z0-9]{2}|\d{7,11})$")
# RFC: 3 letters (companies) or 4 (people), a date YYMMDD, and a 3-character check code.
_RFC = re.compile(r"^[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}$")


def normalise_identifier(value: str) -> str:
    """Trim and upper-case a typed identifier; inner spaces are dropped."""
    return re.sub(r"\s+", "", value).upper()


def _check(pattern: re.Pattern[str], message: str) -> Callable[[str], str | None]:
    def validate(value: str) -> str | None:
        return None if pattern.match(value) else message

    return validate


def _validate_ior(value: str) -> str | None:
    if _IOR_IRS.match(value) or _IOR_CBP.match(value) or _EIN.match(value):
        return None
    return (
        "An importer of record number is an IRS number NN-NNNNNNN with a two-character suffix "
        "(e.g. 12-3456789AB) or a CBP-assigned number NNNNNN-NNNNN."
    )


def _validate_mid(value: str) -> str | None:
    if len(value) > 15:
        return "A manufacturer ID has at most 15 characters."
    if not _MID.match(value):
        return (
            "A manufacturer ID is the country code, up to six letters of the name, up to four "
            "digits of the address and up to three letters of the city (e.g. MXACMMAN1234TIJ)."
        )
    return None


def _validate_rfc(value: str) -> str | None:
    if len(value) not in (12, 13):
        return "A Mexican RFC has 12 characters (companies) or 13 (individuals)."
    if not _RFC.match(value):
        return "A Mexican RFC is 3 or 4 letters, a date YYMMDD and a 3-character code (e.g. ABC010203XY1)."
    return None


VALIDATORS: dict[IdentifierKind, Callable[[str], str | None]] = {
    IdentifierKind.EIN: _check(_EIN, "An EIN is two digits, a hyphen and seven digits (NN-NNNNNNN)."),
    IdentifierKind.IMPORTER_OF_RECORD: _validate_ior,
    IdentifierKind.MID: _validate_mid,
    IdentifierKind.DUNS: _check(_DUNS, "A DUNS number is exactly nine digits."),
    IdentifierKind.SCAC: _check(_SCAC, "A SCAC is two to four letters."),
    IdentifierKind.USDOT: _check(_USDOT, "A USDOT number is one to eight digits."),
    IdentifierKind.FMC: _check(
        _FMC, "An FMC organization number is three to six digits (optionally a letter)."
    ),
    IdentifierKind.IATA: _check(
        _IATA, "An IATA code is a two-character airline designator or a 7 to 11 digit agent code."
    ),
    IdentifierKind.RFC: _validate_rfc,
}


def identifier_error(kind: IdentifierKind, value: str) -> str | None:
    """The reason ``value`` is not a valid identifier of ``kind``, or None when it is.

    >>> identifier_error(IdentifierKind.DUNS, "12345678")
    'A DUNS number is exactly nine digits.'
    >>> identifier_error(IdentifierKind.SCAC, "abcd") is None
    True
    """
    cleaned = normalise_identifier(value)
    if not cleaned:
        return "A value is required."
    return VALIDATORS[kind](cleaned)
