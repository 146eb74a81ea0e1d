"""The business-partner API against every persona, with partner isolation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ctpat.accounts.models import User
from ctpat.business_partners.models import BusinessPartner, ScreeningHit
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
BASE = "/api/business-partners"


@pytest.fixture
def acme_hit(personas: Personas, sdn_loaded: object) -> ScreeningHit:
    fields = {"name": "Banco Nacional de Cuba", "relationship": "customer"}
    return business_partner_create(
        actor=personas.alice, company=personas.acme.organization, fields=fields
    ).hits.get()


def _status(
    who: str | None, allowed: set[str], *, ok: int = 200, isolated: frozenset[str] = frozenset()
) -> int:
    if who is None:
        return 401
    if who in allowed:
        return ok
    return 404 if who in isolated else 403


def _client(personas: Personas, client_for: Callable[[User | None], Client], who: str | None) -> Client:
    return client_for(getattr(personas, who) if who else None)


@pytest.mark.parametrize("who", EVERYONE)
def test_read_endpoints(
    personas: Personas, client_for: Callable[[User | None], Client], acme_hit: ScreeningHit, who: str | None
) -> None:
    client = _client(personas, client_for, who)
    listing = client.get(BASE)
    assert listing.status_code == _status(who, ACME_READERS | {"erin"})
    hits = client.get(f"{BASE}/hits", {"status": "open"})
    assert hits.status_code == _status(who, ACME_READERS | {"erin"})
    detail = client.get(f"{BASE}/{acme_hit.business_partner_id}")
    assert detail.status_code == _status(who, ACME_READERS, isolated=frozenset({"erin"}))
    if who in ACME_READERS:
        assert [bp["name"] for bp in listing.json()] == ["Banco Nacional de Cuba"]
        assert [(h["entity_id"], h["status"], h["business_partner_name"]) for h in hits.json()] == [
            ("306", "open", "Banco Nacional de Cuba")
        ]
    if who == "erin":
        assert listing.json() == [] and hits.json() == []


@pytest.mark.parametrize("who", EVERYONE)
def test_create(
    personas: Personas, client_for: Callable[[User | None], Client], sdn_loaded: object, who: str | None
) -> None:
    payload = {"name": "Aerocaribbean Airlines", "relationship": "carrier", "country": "CU"}
    response = _client(personas, client_for, who).post(BASE, payload, content_type="application/json")
    assert response.status_code == _status(who, ACME_EDITORS | {"erin"}, ok=201)
    if response.status_code == 201:
        created = BusinessPartner.objects.get(pk=response.json()["id"])
        assert created.hits.get().entity_id == "36"


def test_create_refuses_invalid_input(
    personas: Personas, client_for: Callable[[User | None], Client], db: None
) -> None:
    payload = {"name": "X", "relationship": "carrier", "ctpat_status": "mra_member"}
    response = client_for(personas.alice).post(BASE, payload, content_type="application/json")
    assert response.status_code == 422
    assert "mra_program" in response.json()["errors"]


@pytest.mark.parametrize("who", EVERYONE)
def test_disposition(
    personas: Personas, client_for: Callable[[User | None], Client], acme_hit: ScreeningHit, who: str | None
) -> None:
    payload = {"status": "true_match", "reason": "Same bank: registration matches."}
    response = _client(personas, client_for, who).post(
        f"{BASE}/hits/{acme_hit.pk}/disposition", payload, content_type="application/json"
    )
    assert response.status_code == _status(who, ACME_EDITORS, isolated=frozenset({"erin"}))
    acme_hit.refresh_from_db()
    if who in ACME_EDITORS:
        assert response.json()["disposed_by"] == f"{who}@example.com"
        assert acme_hit.status == "true_match"
    else:
        assert acme_hit.status == "open"


def test_disposition_requires_a_reason(
    personas: Personas, client_for: Callable[[User | None], Client], acme_hit: ScreeningHit
) -> None:
    response = client_for(personas.bob).post(
        f"{BASE}/hits/{acme_hit.pk}/disposition",
        {"status": "false_positive", "reason": " "},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]
