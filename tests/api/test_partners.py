"""The partner account: /api/partners/me, /api/partners/{id} and its identifiers, contacts,
origin countries, facilities and eligibility answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ctpat.applications.models import Contact, Facility, Identifier, OriginCountry, Partner
from ctpat.applications.services import child_save
from tests.api.conftest import JSON, AcmeRecords
from tests.api.roles import ACME_READ, ACME_WRITE, OWN_COMPANY, PERSONAS, statuses_by_call
from tests.api.spec_client import SpecCheckedClient
from tests.conftest import Personas

ApiAs = Callable[[str], SpecCheckedClient]
IMPORTER_YES = {
    "imported_last_12_months": True,
    "continuous_bond": True,
    "us_or_ca_office": True,
    "security_officer": True,
    "no_unpaid_debt": True,
}
CONTACT = {"contact_type": "employee", "full_name": "Tom Trade", "email": "tom@acme.example"}
FACILITY = {
    "name": "Savannah DC",
    "kind": "warehouse",
    "street": "2 Port Rd",
    "city": "Savannah",
    "country": "US",
}


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Identifier, Contact, OriginCountry, Facility)}


@pytest.mark.parametrize("persona", PERSONAS)
def test_partner_endpoints_by_role(
    persona: str, api_as: ApiAs, personas: Personas, acme_records: AcmeRecords
) -> None:
    client = api_as(persona)
    acme = f"/api/partners/{personas.acme.pk}"
    records = acme_records
    actual, expected = statuses_by_call(
        persona,
        [
            ("GET me", OWN_COMPANY, 200, lambda: client.get("/api/partners/me")),
            ("GET partner", ACME_READ, 200, lambda: client.get(acme)),
            (
                "PATCH partner",
                ACME_WRITE,
                200,
                lambda: client.patch(acme, {"phone": "+1 555 0100"}, content_type=JSON),
            ),
            (
                "PUT eligibility",
                ACME_WRITE,
                200,
                lambda: client.put(f"{acme}/eligibility", {"answers": IMPORTER_YES}, content_type=JSON),
            ),
            ("GET identifiers", ACME_READ, 200, lambda: client.get(f"{acme}/identifiers")),
            (
                "POST identifier",
                ACME_WRITE,
                201,
                lambda: client.post(
                    f"{acme}/identifiers",
                    {"kind": "importer_of_record", "value": "12-3456789AB"},
                    content_type=JSON,
                ),
            ),
            ("DELETE identifier", ACME_WRITE, 204, lambda: client.delete(f"{acme}/identifiers/ein")),
            ("GET contacts", ACME_READ, 200, lambda: client.get(f"{acme}/contacts")),
            (
                "POST contact",
                ACME_WRITE,
                201,
                lambda: client.post(f"{acme}/contacts", CONTACT, content_type=JSON),
            ),
            (
                "DELETE contact",
                ACME_WRITE,
                204,
                lambda: client.delete(f"{acme}/contacts/{records.contact.pk}"),
            ),
            ("GET origins", ACME_READ, 200, lambda: client.get(f"{acme}/origin-countries")),
            (
                "POST origin",
                ACME_WRITE,
                201,
                lambda: client.post(
                    f"{acme}/origin-countries", {"country": "DE", "share_percent": "12.5"}, content_type=JSON
                ),
            ),
            (
                "DELETE origin",
                ACME_WRITE,
                204,
                lambda: client.delete(f"{acme}/origin-countries/{records.origin.pk}"),
            ),
            ("GET facilities", ACME_READ, 200, lambda: client.get(f"{acme}/facilities")),
            (
                "POST facility",
                ACME_WRITE,
                201,
                lambda: client.post(f"{acme}/facilities", FACILITY, content_type=JSON),
            ),
            (
                "DELETE facility",
                ACME_WRITE,
                204,
                lambda: client.delete(f"{acme}/facilities/{records.facility.pk}"),
            ),
        ],
    )
    assert actual == expected


def test_me_is_the_company_one_acts_for(api_as: ApiAs, personas: Personas) -> None:
    assert api_as("alice").get("/api/partners/me").json()["id"] == personas.acme.pk
    assert api_as("erin").get("/api/partners/me").json()["id"] == personas.beta.pk
    assert api_as("carol").get("/api/partners/me").json()["id"] == personas.acme.pk
    assert api_as("carol_for_beta").get("/api/partners/me").json()["id"] == personas.beta.pk


def test_consultant_edits_the_company_she_chooses(api_as: ApiAs, personas: Personas) -> None:
    response = api_as("carol_for_beta").patch(
        f"/api/partners/{personas.beta.pk}", {"city": "Monterrey"}, content_type=JSON
    )
    assert response.status_code == 200
    personas.beta.refresh_from_db()
    assert personas.beta.city == "Monterrey"


def test_profile_update_changes_only_the_fields_sent(api_as: ApiAs, personas: Personas) -> None:
    response = api_as("bob").patch(
        f"/api/partners/{personas.acme.pk}",
        {"legal_name": "Acme Imports Inc.", "transport_modes": ["sea", "air"]},
        content_type=JSON,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["legal_name"], body["transport_modes"], body["country"]) == (
        "Acme Imports Inc.",
        ["sea", "air"],
        "US",
    )
    personas.acme.organization.refresh_from_db()
    assert personas.acme.organization.name == "Acme Imports Inc."


def test_profile_update_refuses_bad_values_and_keeps_the_old_ones(api_as: ApiAs, personas: Personas) -> None:
    client = api_as("alice")
    url = f"/api/partners/{personas.acme.pk}"
    bad_website = client.patch(url, {"website": "not a url", "city": "Elsewhere"}, content_type=JSON)
    bad_mode = client.patch(url, {"transport_modes": ["teleport"]}, content_type=JSON)
    bad_country = client.patch(url, {"country": "usa"}, content_type=JSON)
    assert [r.status_code for r in (bad_website, bad_mode, bad_country)] == [422, 422, 422]
    assert "website" in bad_website.json()["errors"]
    assert "transport_modes.0" in bad_mode.json()["errors"]
    personas.acme.refresh_from_db()
    assert (personas.acme.city, personas.acme.website, personas.acme.country) == ("", "", "US")


def test_eligibility_answers_are_recorded_with_reasons(api_as: ApiAs, personas: Personas) -> None:
    url = f"/api/partners/{personas.acme.pk}/eligibility"
    response = api_as("alice").put(
        url, {"answers": {**IMPORTER_YES, "continuous_bond": False}}, content_type=JSON
    )
    assert response.json() == {"eligible": False, "reasons": ["Importers need a continuous import bond."]}
    assert api_as("alice").put(url, {"answers": IMPORTER_YES}, content_type=JSON).json()["eligible"] is True
    personas.acme.refresh_from_db()
    assert personas.acme.eligible is True


def test_eligibility_refuses_another_types_questions(api_as: ApiAs, personas: Personas) -> None:
    url = f"/api/partners/{personas.acme.pk}/eligibility"
    response = api_as("alice").put(url, {"answers": {"crosses_border": True}}, content_type=JSON)
    assert response.status_code == 422
    personas.acme.refresh_from_db()
    assert personas.acme.eligibility_checked_at is None


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("importer_of_record", "12-34", "An importer of record number is an IRS number"),
        ("duns", "12345678", "A DUNS number is exactly nine digits."),
        ("ein", "   ", "A value is required."),
    ],
)
def test_malformed_identifier_is_refused_with_its_rule(
    api_as: ApiAs, personas: Personas, kind: str, value: str, message: str
) -> None:
    before = row_counts()
    response = api_as("alice").post(
        f"/api/partners/{personas.acme.pk}/identifiers", {"kind": kind, "value": value}, content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["errors"]["value"][0].startswith(message)
    assert row_counts() == before


def test_unknown_identifier_kind_is_refused(api_as: ApiAs, personas: Personas) -> None:
    client = api_as("alice")
    url = f"/api/partners/{personas.acme.pk}/identifiers"
    created = client.post(url, {"kind": "passport", "value": "X1"}, content_type=JSON)
    deleted = client.delete(f"{url}/passport")
    assert (created.status_code, deleted.status_code) == (422, 422)
    assert "kind" in created.json()["errors"]


def test_identifier_is_normalised_and_replaces_the_same_kind(api_as: ApiAs, personas: Personas) -> None:
    client = api_as("alice")
    url = f"/api/partners/{personas.acme.pk}/identifiers"
    client.post(url, {"kind": "scac", "value": "abcd"}, content_type=JSON)
    client.post(url, {"kind": "scac", "value": " wxyz "}, content_type=JSON)
    assert client.get(url).json() == [{"kind": "scac", "value": "WXYZ"}]
    assert client.delete(f"{url}/scac").status_code == 204
    assert client.delete(f"{url}/scac").status_code == 404


def test_child_rows_are_checked_by_the_model(api_as: ApiAs, personas: Personas) -> None:
    client = api_as("alice")
    acme = f"/api/partners/{personas.acme.pk}"
    before = row_counts()
    bad_email = client.post(f"{acme}/contacts", {**CONTACT, "email": "not-an-email"}, content_type=JSON)
    bad_kind = client.post(f"{acme}/facilities", {**FACILITY, "kind": "castle"}, content_type=JSON)
    missing_city = client.post(f"{acme}/facilities", {**FACILITY, "city": ""}, content_type=JSON)
    assert [r.status_code for r in (bad_email, bad_kind, missing_city)] == [422, 422, 422]
    assert "email" in bad_email.json()["errors"]
    assert row_counts() == before


def test_origin_shares_may_not_pass_100_percent(api_as: ApiAs, personas: Personas) -> None:
    client = api_as("alice")
    url = f"/api/partners/{personas.acme.pk}/origin-countries"
    assert client.post(url, {"country": "CN", "share_percent": "70"}, content_type=JSON).status_code == 201
    over = client.post(url, {"country": "VN", "share_percent": "31"}, content_type=JSON)
    again = client.post(url, {"country": "CN", "share_percent": "1"}, content_type=JSON)
    assert over.status_code == 422
    assert "over 100%" in over.json()["detail"]
    assert again.status_code == 422
    assert OriginCountry.objects.filter(partner=personas.acme).count() == 1


def test_another_companys_rows_are_not_found_under_ones_own_id(api_as: ApiAs, personas: Personas) -> None:
    """Beta's contact ID used under Acme's partner ID: not found, and Beta's contact survives."""
    beta_contact = child_save(
        actor=personas.erin,
        partner=personas.beta,
        instance=Contact(contact_type="employee", full_name="Beto", email="beto@beta.example"),
    )
    response = api_as("alice").delete(f"/api/partners/{personas.acme.pk}/contacts/{beta_contact.pk}")
    assert response.status_code == 404
    assert Contact.objects.filter(pk=beta_contact.pk).exists()
    assert "Beto" not in api_as("alice").get(f"/api/partners/{personas.acme.pk}/contacts").content.decode()


@pytest.mark.parametrize("partner_id", ["999999", "abc", "-1"])
def test_forged_partner_ids(api_as: ApiAs, partner_id: str) -> None:
    before = Partner.objects.count()
    response = api_as("alice").patch(f"/api/partners/{partner_id}", {"city": "X"}, content_type=JSON)
    assert response.status_code == (422 if partner_id == "abc" else 404)
    assert response.json()["detail"]
    assert Partner.objects.count() == before
