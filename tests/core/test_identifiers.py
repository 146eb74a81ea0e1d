import pytest

from ctpat.core.identifiers import IdentifierKind, identifier_error, normalise_identifier

K = IdentifierKind


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (K.EIN, "12-3456789"),
        (K.IMPORTER_OF_RECORD, "12-3456789AB"),
        (K.IMPORTER_OF_RECORD, "981234-56789"),
        (K.MID, "MXACMMAN1234TIJ"),
        (K.DUNS, "123456789"),
        (K.SCAC, "abcd"),
        (K.SCAC, "MX"),
        (K.USDOT, "1234567"),
        (K.FMC, "012345"),
        (K.FMC, "3344F"),
        (K.IATA, "AA"),
        (K.IATA, "1234567"),
        (K.RFC, "ABC010203XY1"),
        (K.RFC, "ABCD010203XY1"),
    ],
)
def test_good_identifiers(kind: IdentifierKind, value: str) -> None:
    assert identifier_error(kind, value) is None


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (K.EIN, "123456789", "two digits, a hyphen"),
        (K.IMPORTER_OF_RECORD, "12-34567", "importer of record number"),
        (K.MID, "MXACMEMANUFACTURING1", "at most 15 characters"),
        (K.MID, "12ACME1TIJ", "country code"),
        (K.DUNS, "12345678", "nine digits"),
        (K.SCAC, "ABCDE", "two to four letters"),
        (K.SCAC, "AB1", "two to four letters"),
        (K.USDOT, "123456789", "one to eight digits"),
        (K.FMC, "AB", "FMC"),
        (K.IATA, "ABCD", "IATA"),
        (K.RFC, "ABC0102", "12 characters"),
        (K.RFC, "1234567890123", "3 or 4 letters"),
        (K.DUNS, "   ", "required"),
    ],
)
def test_bad_identifiers_say_why(kind: IdentifierKind, value: str, message: str) -> None:
    error = identifier_error(kind, value)
    assert error is not None
    assert message in error


def test_normalise_trims_and_upper_cases() -> None:
    assert normalise_identifier(" ab cd ") == "ABCD"
