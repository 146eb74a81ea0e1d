"""Each reader on its fixture, remarks parsing, and malformed files refused with file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctpat.screening import ListFileError, NameKind, PartyType, read_list
from ctpat.screening.readers.remarks import parse_birth_date, parse_remarks

from .conftest import FIXTURES


def _by_id(entities, entity_id):  # type: ignore[no-untyped-def]
    return next(e for e in entities if e.entity_id == entity_id)


def test_ofac_csv_reads_primary_aliases_addresses_and_remarks() -> None:
    ofac = read_list("ofac-csv", FIXTURES / "ofac_cons")
    assert ofac.code == "OFAC-CONS"
    assert len(ofac.entities) == 33
    haniya = _by_id(ofac.entities, "9639")
    assert haniya.party_type is PartyType.PERSON
    assert haniya.names[0].text == "HANIYA, Ismail Abdul Salah"
    assert {n.text for n in haniya.names if n.kind is NameKind.AKA} == {"HANIYA, Ismail", "HANIYYA, Ismaeel"}
    assert str(haniya.birth_dates[0]) == "1962"
    assert haniya.places_of_birth == ("Shati",)
    assert haniya.programs == ("NS-PLC",)
    bank = _by_id(ofac.entities, "17013")
    assert bank.party_type is PartyType.ORGANIZATION
    assert any(a.country == "RU" for a in bank.addresses)


def test_ofac_remarks_give_dob_pob_nationality_gender_ids_weak_alias_and_links() -> None:
    ofac = read_list("ofac-csv", FIXTURES / "ofac_cons")
    martelly = _by_id(ofac.entities, "50476")
    assert str(martelly.birth_dates[0]) == "1961-02-12"
    assert martelly.places_of_birth == ("Port-au-Prince, Haiti",)
    assert martelly.nationalities == ("HT",)
    assert martelly.gender == "Male"
    assert ("National ID No.", "0032768386", "HT") in {
        (i.kind, i.number, i.country) for i in martelly.identifiers
    }
    assert any(n.text == "Sweet Micky" and n.kind is NameKind.WEAK_ALIAS for n in martelly.names)
    zahhar = _by_id(ofac.entities, "9647")
    assert zahhar.linked_to == ("HAMAS",)
    assert zahhar.programs == ("SDGT", "NS-PLC")


def test_ofac_comments_continue_the_remarks() -> None:
    ofac = read_list("ofac-csv", FIXTURES / "ofac_cons")
    bank = _by_id(ofac.entities, "17014")
    # The registration number is split between the primary file and the comments file.
    assert "Registration Number 1027700342890" in bank.remarks
    assert any(i.number == "1027700342890" for i in bank.identifiers)
    assert any(n.text == "RUSAG" for n in bank.names)


def test_remarks_parser_reads_passports_and_date_forms() -> None:
    # An SDN-style remarks text (the Consolidated sample has no passport).
    facts = parse_remarks(
        "DOB 01 Jan 1962; alt. DOB circa 1965; POB Tikrit, Iraq; nationality Iraq; citizen Jordan; "
        "Passport A123456 (Iraq) issued 2005; alt. Passport 9876543 (Jordan); Gender Male; "
        "a.k.a. 'ABU X'; Linked To: SOME FRONT COMPANY."
    )
    assert [str(b) for b in facts.birth_dates] == ["1962-01-01", "1964-1966"]
    assert facts.places_of_birth == ["Tikrit, Iraq"]
    assert facts.nationalities == ["Iraq", "Jordan"]
    assert [(i.kind, i.number, i.country) for i in facts.identifiers] == [
        ("Passport", "A123456", "IQ"),
        ("Passport", "9876543", "JO"),
    ]
    assert facts.gender == "Male"
    assert facts.aliases[0].text == "ABU X"
    assert facts.linked_to == ["SOME FRONT COMPANY"]
    assert str(parse_birth_date("1962 to 1964")) == "1962-1964"


def test_csl_reads_both_layouts() -> None:
    older = read_list("csl-csv", FIXTURES / "csl.csv")
    current = read_list("csl-csv", FIXTURES / "consolidated.csv")
    assert len(older.entities) == 30
    assert len(current.entities) == 13
    psa = _by_id(older.entities, "20264")
    assert psa.list_code == "CSL-SDN"
    assert psa.identifiers[0].number == "80-0890696"
    karnes = next(e for e in older.entities if e.names[0].text == "7 KARNES")
    assert karnes.countries == ("CO",)
    rim = _by_id(current.entities, "52291")
    assert rim.party_type is PartyType.PERSON
    assert ("Passport", "836238033", "KP") in {(i.kind, i.number, i.country) for i in rim.identifiers}
    assert str(rim.birth_dates[0]) == "1978-12-05"
    assert rim.nationalities == ("KP",)


def test_un_xml_reads_individuals_entities_aliases_and_documents() -> None:
    un = read_list("un-xml", FIXTURES / "un_consolidated.xml")
    assert un.list_date == "2026-02-27"
    kakolele = _by_id(un.entities, "CDi.002")
    assert kakolele.names[0].text == "FRANK KAKOLELE BWAMBALE"
    assert "FRANK KAKORERE" in {n.text for n in kakolele.names}
    gaston = _by_id(un.entities, "CDi.003")
    assert any(n.kind is NameKind.WEAK_ALIAS and n.text == "Rumuli" for n in gaston.names)
    assert gaston.nationalities == ("RW",)
    assert str(gaston.birth_dates[0]) == "1948"
    assert any(i.kind == "Passport" and i.number == "OB 0243318" for e in un.entities for i in e.identifiers)
    adf = _by_id(un.entities, "CDe.001")
    assert adf.party_type is PartyType.ORGANIZATION
    assert any(n.kind is NameKind.FKA and n.text == "NALU" for n in adf.names)


def test_bis_dpl_reads_rows_with_stable_ids() -> None:
    dpl = read_list("bis-dpl", FIXTURES / "dpl.txt")
    again = read_list("bis-dpl", FIXTURES / "dpl.txt")
    assert len(dpl.entities) == 30
    assert dpl.entities[0].names[0].text == "I. ASH"
    assert dpl.entities[0].countries == ("US",)
    assert [e.entity_id for e in dpl.entities] == [e.entity_id for e in again.entities]


@pytest.mark.parametrize(
    ("list_format", "name", "content", "line", "reason"),
    [
        ("csl-csv", "bad.csv", "source,name\nX,Y\n", 1, "missing column"),
        ("bis-dpl", "dpl.txt", None, 3, "tab-separated fields"),
        (
            "un-xml",
            "un.xml",
            "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n</CONSOLIDATED_LIST>",
            4,
            "XML",
        ),
    ],
)
def test_malformed_files_are_refused_with_file_line_and_reason(
    tmp_path: Path, list_format: str, name: str, content: str | None, line: int, reason: str
) -> None:
    path = tmp_path / name
    if content is None:
        rows = (FIXTURES / "dpl.txt").read_text(encoding="utf-8").splitlines()
        rows[2] = rows[2].rsplit("\t", 2)[0]  # a row cut short
        content = "\n".join(rows)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ListFileError) as refused:
        read_list(list_format, path)
    assert refused.value.path == str(path)
    assert refused.value.line == line
    assert reason in refused.value.reason
    assert f"{path}, line {line}" in str(refused.value)


def test_ofac_file_with_a_wrong_row_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ofac"
    folder.mkdir()
    for source in (FIXTURES / "ofac_cons").iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    alt = folder / "cons_alt.csv"
    alt.write_bytes(alt.read_bytes() + b'99999999,1,"aka","NOBODY",-0- \r\n')
    with pytest.raises(
        ListFileError, match=r"cons_alt\.csv, line 95: entity number 99999999 is not in the primary"
    ):
        read_list("ofac-csv", folder)
    prim = folder / "cons_prim.csv"
    prim.write_bytes(b'9639,"HANIYA, Ismail","individual"\r\n')
    with pytest.raises(ListFileError, match=r"cons_prim\.csv, line 1: expected 12 fields, found 3"):
        read_list("ofac-csv", folder)
