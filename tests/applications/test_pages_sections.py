"""The application's sections as an editor uses them: eligibility, entity type, company profile,
contacts, identifiers, business information; and forged posts that must write nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ctpat.accounts.models import User
from ctpat.applications.models import Contact, Facility, Identifier, OriginCountry
from tests.conftest import Personas

ClientFor = Callable[[User | None], Client]


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def bob(personas: Personas, client_for: ClientFor) -> Client:
    return client_for(personas.bob)


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_eligibility_shows_every_failed_rule_then_eligible(personas: Personas, bob: Client) -> None:
    url = reverse("applications:eligibility")
    page = bob.get(url).content.decode()
    assert "The company imported into the United States in the last 12 months." in page
    response = bob.post(url, {"security_officer": "on"}, follow=True)
    page = response.content.decode()
    assert "Importers must have imported into the U.S. in the last 12 months." in page
    assert "Importers need a continuous import bond." in page
    assert "A company with an unpaid final debt to CBP cannot join until it is paid." in page
    everything = dict.fromkeys(["imported_last_12_months", "continuous_bond", "us_or_ca_office"], "on")
    everything |= {"security_officer": "on", "no_unpaid_debt": "on", "not_a_question": "on"}
    page = bob.post(url, everything, follow=True).content.decode()
    assert "Eligible: the company meets every rule" in page
    personas.acme.refresh_from_db()
    assert personas.acme.eligible
    assert "not_a_question" not in personas.acme.eligibility_answers


def test_entity_type_change_and_forged_type(personas: Personas, bob: Client) -> None:
    url = reverse("applications:entity_type")
    response = bob.post(url, {"entity_type": "spaceport"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    personas.acme.refresh_from_db()
    assert personas.acme.entity_type == "importer"
    response = bob.post(url, {"entity_type": "exporter"}, follow=True)
    assert "Entity type changed" in " ".join(_messages(response))
    personas.acme.refresh_from_db()
    assert personas.acme.entity_type == "exporter"
    assert (
        "principal party that controls the export"
        in bob.get(reverse("applications:eligibility")).content.decode()
    )


def test_company_profile_saves_and_rejects_bad_values(personas: Personas, bob: Client) -> None:
    url = reverse("applications:company")
    data = {
        "legal_name": "Acme Imports LLC",
        "doing_business_as": "Acme",
        "website": "https://acme.test",
        "phone": "+1 555 0100",
        "street": "1 Harbor Way",
        "city": "Long Beach",
        "region": "CA",
        "postal_code": "90802",
        "country": "us",
        "year_established": "1999",
        "employees": "120",
        "business_description": "Imports furniture.",
    }
    assert bob.post(url, data).status_code == 302
    personas.acme.refresh_from_db()
    assert (personas.acme.city, personas.acme.country, personas.acme.employees) == ("Long Beach", "US", 120)
    bad = data | {"country": "USA", "year_established": "1500", "legal_name": ""}
    response = bob.post(url, bad)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"country", "year_established", "legal_name"}
    personas.acme.refresh_from_db()
    assert personas.acme.legal_name == "Acme Imports LLC"


def test_contacts_add_edit_remove(personas: Personas, bob: Client) -> None:
    add = reverse("applications:contact_add")
    body = {"contact_type": "company_officer", "full_name": "Olga Officer", "email": "olga@acme.test"}
    assert bob.post(add, body).status_code == 302
    contact = Contact.objects.get(partner=personas.acme, full_name="Olga Officer")
    assert "Olga Officer" in bob.get(reverse("applications:contacts")).content.decode()
    edit = reverse("applications:contact_edit", args=[contact.pk])
    assert bob.post(edit, body | {"contact_type": "consultant", "title": "Advisor"}).status_code == 302
    contact.refresh_from_db()
    assert (contact.contact_type, contact.title) == ("consultant", "Advisor")
    # Forged: an invalid contact type, a missing e-mail: form errors, nothing written.
    response = bob.post(add, body | {"contact_type": "king", "email": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"contact_type", "email"}
    assert Contact.objects.filter(partner=personas.acme).count() == 1
    assert bob.post(reverse("applications:contact_remove", args=[contact.pk])).status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert bob.post(reverse("applications:contact_remove", args=[contact.pk])).status_code == 404


def test_identifiers_show_each_bad_value_and_save_nothing_then_save(personas: Personas, bob: Client) -> None:
    url = reverse("applications:identifiers")
    page = bob.get(url).content.decode()
    assert "Importer of record number is required." in page
    response = bob.post(url, {"importer_of_record": "12-3456789AB", "duns": "12345678", "scac": "abcde1"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["duns"] == ["A DUNS number is exactly nine digits."]
    assert errors["scac"] == ["A SCAC is two to four letters."]
    assert "importer_of_record" not in errors
    assert not Identifier.objects.filter(partner=personas.acme).exists()
    assert bob.post(url, {"importer_of_record": "12-3456789ab", "duns": "123456789"}).status_code == 302
    assert dict(personas.acme.identifiers.values_list("kind", "value")) == {
        "importer_of_record": "12-3456789AB",
        "duns": "123456789",
    }
    assert bob.post(url, {"importer_of_record": "12-3456789AB"}).status_code == 302
    assert set(personas.acme.identifiers.values_list("kind", flat=True)) == {"importer_of_record"}


def test_transport_modes(personas: Personas, bob: Client) -> None:
    url = reverse("applications:transport_modes")
    assert bob.post(url, {"transport_modes": ["sea", "air"]}).status_code == 302
    personas.acme.refresh_from_db()
    assert sorted(personas.acme.transport_modes) == ["air", "sea"]
    response = bob.post(url, {"transport_modes": ["sea", "teleport"]})
    assert response.status_code == 200
    assert "transport_modes" in response.context["modes_form"].errors
    personas.acme.refresh_from_db()
    assert sorted(personas.acme.transport_modes) == ["air", "sea"]


def test_origin_shares_may_not_pass_100(personas: Personas, bob: Client) -> None:
    add = reverse("applications:origin_add")
    assert bob.post(add, {"country": "cn", "share_percent": "60"}).status_code == 302
    response = bob.post(add, {"country": "VN", "share_percent": "50"})
    assert response.status_code == 200
    assert "The shares would add up to 110" in response.content.decode()
    response = bob.post(add, {"country": "CN", "share_percent": "10"})
    assert response.status_code == 200  # one share per country
    assert list(
        OriginCountry.objects.filter(partner=personas.acme).values_list("country", "share_percent")
    ) == [("CN", Decimal("60.00"))]
    origin = OriginCountry.objects.get(partner=personas.acme)
    edit = reverse("applications:origin_edit", args=[origin.pk])
    assert bob.post(edit, {"country": "CN", "share_percent": "100"}).status_code == 302
    assert bob.post(edit, {"country": "CN", "share_percent": "100.5"}).status_code == 200
    origin.refresh_from_db()
    assert origin.share_percent == Decimal("100")
    assert bob.post(reverse("applications:origin_remove", args=[origin.pk])).status_code == 302
    assert not OriginCountry.objects.filter(partner=personas.acme).exists()


def test_facilities_with_optional_coordinates(personas: Personas, bob: Client) -> None:
    add = reverse("applications:facility_add")
    body = {
        "name": "Main DC",
        "kind": "warehouse",
        "street": "2 Dock Rd",
        "city": "Savannah",
        "country": "US",
    }
    assert bob.post(add, body).status_code == 302
    assert (
        bob.post(add, body | {"name": "Yard", "latitude": "32.08", "longitude": "-81.09"}).status_code == 302
    )
    response = bob.post(add, body | {"name": "Moon", "latitude": "132", "kind": "castle"})
    assert response.status_code == 200
    assert set(response.context["facility_form"].errors) == {"latitude", "kind"}
    assert sorted(Facility.objects.filter(partner=personas.acme).values_list("name", flat=True)) == [
        "Main DC",
        "Yard",
    ]
    page = bob.get(reverse("applications:business")).content.decode()
    assert "Savannah" in page
    assert "32.080000, -81.090000" in page
