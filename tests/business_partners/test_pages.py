"""Every page against every persona: who may read, who may change, and partner isolation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ctpat.accounts.models import User
from ctpat.business_partners.models import ApplicantScreening, BusinessPartner, ScreeningHit
from ctpat.business_partners.services import business_partner_create
from tests.conftest import Personas

EVERYONE = [
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "sam",
    "sue",
    "pat",
    "rita",
    "adam",
    "liam",
    "nora",
    None,
]
ACME_READERS = {"alice", "bob", "carol", "dave"}
ACME_EDITORS = {"alice", "bob", "carol"}
PARTNER_USERS = ACME_READERS | {"erin"}
AGENCY = {"sam", "sue", "pat", "rita", "adam"}


@pytest.fixture
def acme_hit(personas: Personas, sdn_loaded: object) -> ScreeningHit:
    fields = {"name": "Banco Nacional de Cuba", "relationship": "customer"}
    return business_partner_create(
        actor=personas.alice, company=personas.acme.organization, fields=fields
    ).hits.get()


def _client(personas: Personas, client_for: Callable[[User | None], Client], who: str | None) -> Client:
    return client_for(getattr(personas, who) if who else None)


def _expected(who: str | None, allowed: set[str], *, ok: int = 200, isolated: set[str] = frozenset()) -> int:  # type: ignore[assignment]
    if who is None:
        return 302
    if who in allowed:
        return ok
    return 404 if who in isolated else 403


@pytest.mark.parametrize("who", EVERYONE)
def test_register_and_queue(
    personas: Personas, client_for: Callable[[User | None], Client], acme_hit: ScreeningHit, who: str | None
) -> None:
    client = _client(personas, client_for, who)
    for name in ("business_partners:register", "business_partners:queue"):
        response = client.get(reverse(name))
        assert response.status_code == _expected(who, PARTNER_USERS), name
        if who in ACME_READERS:
            assert "Banco Nacional de Cuba" in response.content.decode()
        if who == "erin":
            assert "Banco Nacional de Cuba" not in response.content.decode()
    if who == "dave":
        assert "Record decision" not in client.get(reverse("business_partners:queue")).content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_add_page(
    personas: Personas, client_for: Callable[[User | None], Client], sdn_loaded: object, who: str | None
) -> None:
    client = _client(personas, client_for, who)
    assert client.get(reverse("business_partners:add")).status_code == _expected(who, ACME_EDITORS | {"erin"})
    response = client.post(
        reverse("business_partners:add"), {"name": "Aerocaribbean Airlines", "relationship": "carrier"}
    )
    assert response.status_code == _expected(who, ACME_EDITORS | {"erin"}, ok=302)
    assert BusinessPartner.objects.count() == (1 if who in ACME_EDITORS | {"erin"} else 0)


def test_add_page_shows_field_errors(
    personas: Personas, client_for: Callable[[User | None], Client], db: None
) -> None:
    response = client_for(personas.alice).post(
        reverse("business_partners:add"), {"name": "", "relationship": "friend"}
    )
    assert response.status_code == 422
    assert "usa-error-message" in response.content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_detail_page(
    personas: Personas, client_for: Callable[[User | None], Client], acme_hit: ScreeningHit, who: str | None
) -> None:
    url = reverse("business_partners:detail", args=[acme_hit.business_partner_id])
    response = _client(personas, client_for, who).get(url)
    assert response.status_code == _expected(who, ACME_READERS, isolated={"erin"})
    if response.status_code == 200:
        assert "Entered by hand" in response.content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_disposition(
    personas: Personas, client_for: Callable[[User | None], Client], acme_hit: ScreeningHit, who: str | None
) -> None:
    url = reverse("business_partners:dispose", args=[acme_hit.pk])
    response = _client(personas, client_for, who).post(
        url, {"status": "false_positive", "reason": "Other bank."}
    )
    assert response.status_code == _expected(who, ACME_EDITORS, ok=302, isolated={"erin"})
    acme_hit.refresh_from_db()
    assert acme_hit.status == ("false_positive" if who in ACME_EDITORS else "open")


def test_disposition_without_reason_is_refused_on_the_page(
    personas: Personas, client_for: Callable[[User | None], Client], acme_hit: ScreeningHit
) -> None:
    url = reverse("business_partners:dispose", args=[acme_hit.pk])
    response = client_for(personas.bob).post(url, {"status": "true_match", "reason": ""})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    acme_hit.refresh_from_db()
    assert acme_hit.status == "open"


@pytest.mark.parametrize("who", EVERYONE)
def test_import_page(
    personas: Personas, client_for: Callable[[User | None], Client], sdn_loaded: object, who: str | None
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "register.csv", b"name,relationship\nAero-Caribbean,carrier\n", content_type="text/csv"
    )
    response = _client(personas, client_for, who).post(reverse("business_partners:import"), {"file": upload})
    assert response.status_code == _expected(who, ACME_EDITORS | {"erin"}, ok=302)
    assert ScreeningHit.objects.count() == (1 if who in ACME_EDITORS | {"erin"} else 0)


def test_import_page_lists_bad_lines(
    personas: Personas, client_for: Callable[[User | None], Client], db: None
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("register.csv", b"name,relationship\nGood,supplier\nBad,friend\n")
    response = client_for(personas.alice).post(reverse("business_partners:import"), {"file": upload})
    assert response.status_code == 422
    assert "Line 3: relationship" in response.content.decode()
    assert not BusinessPartner.objects.exists()


@pytest.mark.parametrize("who", EVERYONE)
def test_lists_page(personas: Personas, client_for: Callable[[User | None], Client], who: str | None) -> None:
    assert _client(personas, client_for, who).get(
        reverse("business_partners:lists")
    ).status_code == _expected(who, {"adam"})


@pytest.mark.parametrize("who", EVERYONE)
def test_applicant_screening(
    personas: Personas, client_for: Callable[[User | None], Client], sdn_loaded: object, who: str | None
) -> None:
    beta = personas.beta
    beta.doing_business_as = "Banco Nacional de Cuba"
    beta.save()
    url = reverse("business_partners:applicant_screening", args=[beta.pk])
    client = _client(personas, client_for, who)
    assert client.get(url).status_code == _expected(who, AGENCY)
    assert client.post(url).status_code == _expected(who, {"sam", "sue", "pat"}, ok=302)
    if who in {"sam", "sue", "pat"}:
        run = ApplicantScreening.objects.get()
        assert run.actor == getattr(personas, who)
        assert run.hit_count == 1 and run.list_versions["OFAC-SDN"]["list_date"] == "2024-01-02"
        by_name = {result["name"]: result["hits"] for result in run.results}
        assert by_name["Banco Nacional de Cuba"][0]["entity_id"] == "306"
        assert by_name["Beta Freight SA de CV"] == []
        assert "Banco Nacional de Cuba" in client.get(url).content.decode()
    else:
        assert not ApplicantScreening.objects.exists()
