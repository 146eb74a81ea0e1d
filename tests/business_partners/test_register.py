"""Entering and importing business partners, and the screening that follows each."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ctpat.business_partners.models import BusinessPartner, BusinessPartnerScreening, HitStatus, ScreeningHit
from ctpat.business_partners.register_import import RegisterImportRefused
from ctpat.business_partners.services import (
    business_partner_create,
    business_partners_import,
    screening_hit_dispose,
)
from tests.conftest import Personas

HEADER = "name,relationship,party_type,country,address,identifiers,ctpat_status\n"


def _create(personas: Personas, **fields: str) -> BusinessPartner:
    return business_partner_create(
        actor=personas.alice,
        company=personas.acme.organization,
        fields={"relationship": "supplier", **fields},
    )


def test_a_listed_name_entered_by_hand_is_a_hit(personas: Personas, sdn_loaded: object) -> None:
    bp = _create(personas, name="Banco Nacional de Cuba", country="CH")
    hit = ScreeningHit.objects.get(business_partner=bp)
    assert (hit.list_code, hit.entity_id, hit.status) == ("OFAC-SDN", "306", HitStatus.OPEN)
    assert hit.score >= 0.75
    run = BusinessPartnerScreening.objects.get(business_partner=bp)
    assert (run.trigger, run.hit_count, run.actor) == ("entry", 1, personas.alice)
    assert run.list_versions["OFAC-SDN"]["list_date"] == "2024-01-02"


def test_a_clean_name_is_screened_without_a_hit(personas: Personas, sdn_loaded: object) -> None:
    bp = _create(personas, name="Great Lakes Packaging Inc", country="US")
    assert not bp.hits.exists()
    assert bp.screenings.get().hit_count == 0


def test_entry_is_validated(personas: Personas, db: None) -> None:
    with pytest.raises(ValidationError) as refused:
        _create(personas, name=" ", country="Mexico", ctpat_status="mra_member")
    assert set(refused.value.message_dict) == {"name", "country", "mra_program"}
    assert not BusinessPartner.objects.exists()


def test_import_adds_and_screens_every_row(personas: Personas, sdn_loaded: object) -> None:
    content = (
        HEADER
        + "Great Lakes Packaging Inc,supplier,organization,us,1 Main St,EIN 12-3456789,member\n"
        + "Rotterdam Forwarding BV,broker,,NL,,,mra_member:AEO\n"
        + "Aerocaribbean Airlines,carrier,,,,,\n"
    ).encode()
    created = business_partners_import(
        actor=personas.bob, company=personas.acme.organization, content=content
    )
    assert [bp.name for bp in created] == [
        "Great Lakes Packaging Inc",
        "Rotterdam Forwarding BV",
        "Aerocaribbean Airlines",
    ]
    assert created[0].country == "US"
    assert (created[1].ctpat_status, created[1].mra_program) == ("mra_member", "AEO")
    assert {run.trigger for run in BusinessPartnerScreening.objects.all()} == {"import"}
    assert list(ScreeningHit.objects.values_list("business_partner__name", "entity_id")) == [
        ("Aerocaribbean Airlines", "36")
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (HEADER + "Good Co,supplier,,,,,\n,supplier,,,,,\nBad Co,friend,,,,,\nWorse Co,customer,,Mexico,,,\n",
         ["Line 3: name", "Line 4: relationship", "Line 5: country"]),
        (b"name,party_type\nGood Co,organization\n", ["lacks the column(s): relationship"]),
        (b"", ["empty"]),
        ("name,relationship\nCaf\u00e9 S.A.,supplier\n".encode("latin-1"), ["not UTF-8"]),
        (HEADER, ["no business partners"]),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_and_nothing_written(
    personas: Personas, sdn_loaded: object, content: str | bytes, expected: list[str]
) -> None:
    raw = content.encode() if isinstance(content, str) else content
    with pytest.raises(RegisterImportRefused) as refused:
        business_partners_import(actor=personas.alice, company=personas.acme.organization, content=raw)
    assert len(refused.value.errors) == len(expected)
    for error, fragment in zip(refused.value.errors, expected, strict=True):
        assert fragment in error
    assert not BusinessPartner.objects.exists()


def test_disposition_needs_a_reason_and_records_who_and_when(personas: Personas, sdn_loaded: object) -> None:
    hit = _create(personas, name="Banco Nacional de Cuba").hits.get()
    with pytest.raises(ValidationError):
        screening_hit_dispose(actor=personas.bob, hit=hit, status="false_positive", reason="  ")
    hit.refresh_from_db()
    assert hit.status == HitStatus.OPEN
    screening_hit_dispose(
        actor=personas.bob, hit=hit, status="false_positive", reason="Different bank, in Miami."
    )
    hit.refresh_from_db()
    assert (hit.status, hit.disposed_by, hit.disposition_reason) == (
        "false_positive",
        personas.bob,
        "Different bank, in Miami.",
    )
    assert hit.disposed_at is not None
