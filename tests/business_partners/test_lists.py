"""Loading restricted-list versions (command and page), the change summary, the rescreen of
every business partner, and malformed files refused with nothing loaded."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from ctpat.accounts.models import User
from ctpat.business_partners.demo import BUNDLED_LISTS
from ctpat.business_partners.models import BusinessPartnerScreening, RestrictedListVersion, ScreeningHit
from ctpat.business_partners.services import business_partner_create
from tests.business_partners.conftest import DPL_HEADER
from tests.conftest import Personas

LOAD = reverse("business_partners:lists")


def _load(path: Path, *, code: str = "BIS-DPL", list_format: str = "bis-dpl") -> str:
    out = StringIO()
    call_command(
        "screening_list_load",
        "--format",
        list_format,
        "--code",
        code,
        "--date",
        "2024-05-01",
        str(path),
        stdout=out,
    )
    return out.getvalue()


def test_command_loads_a_version_and_rescreens_with_progress(
    personas: Personas, dpl_file: Callable[..., Path]
) -> None:
    org = personas.acme.organization
    bp = business_partner_create(
        actor=personas.alice,
        company=org,
        fields={"name": "Karachi Harbour Traders", "relationship": "supplier"},
    )
    assert not bp.hits.exists()
    output = _load(dpl_file(["KARACHI HARBOUR TRADERS", "NORTHWIND SMUGGLING LTD"]))
    assert "Rescreened 1/1 business partners" in output
    version = RestrictedListVersion.objects.get()
    assert (version.code, version.list_date, version.entity_count) == ("BIS-DPL", "2024-05-01", 2)
    assert version.change_summary["first_version"] is True
    hit = bp.hits.get()
    assert hit.list_code == "BIS-DPL"
    assert hit.first_screening.trigger == "list_update"


def test_change_summary_against_the_previous_version(
    personas: Personas, dpl_file: Callable[..., Path]
) -> None:
    _load(dpl_file(["ALPHA TRADING LTD", "BRAVO SHIPPING LTD"], name="v1.txt"))
    output = _load(dpl_file(["ALPHA TRADING LTD", "CHARLIE EXPORTS LTD"], name="v2.txt"))
    assert "1 added, 1 removed, 0 with changed names" in output
    summary = RestrictedListVersion.objects.order_by("-id").first().change_summary  # type: ignore[union-attr]
    assert [e["name"] for e in summary["added"]] == ["CHARLIE EXPORTS LTD"]
    assert [e["name"] for e in summary["removed"]] == ["BRAVO SHIPPING LTD"]


def test_rescreen_adds_only_new_hits_and_keeps_dispositions(
    personas: Personas, sdn_loaded: object, dpl_file: Callable[..., Path]
) -> None:
    org = personas.acme.organization
    listed = business_partner_create(
        actor=personas.alice,
        company=org,
        fields={"name": "Banco Nacional de Cuba", "relationship": "customer"},
    )
    clean = business_partner_create(
        actor=personas.alice, company=org, fields={"name": "Charlie Exports Ltd", "relationship": "supplier"}
    )
    first = listed.hits.get()
    first.status, first.disposition_reason = "false_positive", "Checked."
    first.save()
    _load(dpl_file(["CHARLIE EXPORTS LTD"]))
    assert ScreeningHit.objects.count() == 2
    first.refresh_from_db()
    assert first.status == "false_positive" and first.last_screening.trigger == "list_update"
    assert clean.hits.get().status == "open"
    assert BusinessPartnerScreening.objects.filter(trigger="list_update").count() == 2


@pytest.mark.parametrize(
    ("text", "fragment"),
    [('Name\tCity\n"X"\t"Y"\n', "missing column"), (DPL_HEADER + "\n", "no listed entries")],
)
def test_a_malformed_list_is_refused_by_the_command(
    db: None, tmp_path: Path, text: str, fragment: str
) -> None:
    path = tmp_path / "dpl.txt"
    path.write_text(text)
    with pytest.raises(CommandError, match=fragment):
        _load(path)
    assert not RestrictedListVersion.objects.exists()


def _ofac_uploads() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(name, (BUNDLED_LISTS / "ofac-sdn" / name).read_bytes())
        for name in ("sdn.csv", "alt.csv", "add.csv")
    ]


def test_administrator_loads_the_ofac_csvs_on_the_page(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    business_partner_create(
        actor=personas.alice,
        company=personas.acme.organization,
        fields={"name": "National Bank of Cuba", "relationship": "customer"},
    )
    client = client_for(personas.adam)
    data = {
        "list_format": "ofac-csv",
        "code": "ofac-sdn",
        "list_date": "2024-01-02",
        "list_files": _ofac_uploads(),
    }
    response = client.post(LOAD, data)
    assert response.status_code == 302
    version = RestrictedListVersion.objects.get()
    assert (version.code, version.entity_count, version.source_names) == (
        "OFAC-SDN",
        3,
        ["sdn.csv", "alt.csv", "add.csv"],
    )
    assert ScreeningHit.objects.get().entity_id == "306"
    page = client.get(LOAD).content.decode()
    assert "OFAC-SDN" in page and "First version of this list." in page


def test_a_malformed_upload_shows_the_engines_message_and_loads_nothing(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    bad = SimpleUploadedFile("sdn.csv", b'306,"BANCO NACIONAL DE CUBA",-0-\n')
    response = client_for(personas.adam).post(
        LOAD, {"list_format": "ofac-csv", "code": "OFAC-SDN", "list_files": [bad]}
    )
    assert response.status_code == 422
    assert "sdn.csv, line 1: expected 12 fields, found 3" in response.content.decode()
    assert not RestrictedListVersion.objects.exists()
