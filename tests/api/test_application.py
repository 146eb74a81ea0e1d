"""The partner agreement, submission, events and clocks of /api/partners/{id}."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ctpat.applications.models import Identifier, Partner, PartnerEvent, ProfileAnswer
from ctpat.core.lifecycle import PartnerStatus
from tests.api.conftest import JSON, NARRATIVE
from tests.api.roles import ACME_OFFICER, ACME_READ, PERSONAS, statuses_by_call
from tests.api.spec_client import SpecCheckedClient
from tests.conftest import Personas

ApiAs = Callable[[str], SpecCheckedClient]


@pytest.mark.parametrize("persona", PERSONAS)
def test_application_endpoints_by_role(
    persona: str, api_as: ApiAs, personas: Personas, acme_complete: Partner
) -> None:
    client = api_as(persona)
    acme = f"/api/partners/{personas.acme.pk}"
    actual, expected = statuses_by_call(
        persona,
        [
            ("POST agreement", ACME_OFFICER, 200, lambda: client.post(f"{acme}/agreement")),
            ("POST submit", ACME_OFFICER, 200, lambda: client.post(f"{acme}/submit")),
            ("GET events", ACME_READ, 200, lambda: client.get(f"{acme}/events")),
            ("GET clocks", ACME_READ, 200, lambda: client.get(f"{acme}/clocks")),
        ],
    )
    assert actual == expected


def test_incomplete_application_is_refused_with_every_reason(api_as: ApiAs, personas: Personas) -> None:
    response = api_as("alice").post(f"/api/partners/{personas.acme.pk}/submit")
    assert response.status_code == 409
    assert response.json()["reasons"] == [
        "The company must pass the eligibility check for its entity type.",
        "The application is not complete: see the completeness check.",
        "The Company Officer must sign the partner agreement.",
    ]
    personas.acme.refresh_from_db()
    assert personas.acme.status == PartnerStatus.PRE_APPLICANT
    assert not PartnerEvent.objects.exists()


def test_complete_application_is_refused_until_signed(
    api_as: ApiAs, personas: Personas, acme_complete: Partner
) -> None:
    response = api_as("alice").post(f"/api/partners/{personas.acme.pk}/submit")
    assert response.status_code == 409
    assert response.json()["reasons"] == ["The Company Officer must sign the partner agreement."]


def test_application_built_through_the_api_is_submitted(api_as: ApiAs, personas: Personas) -> None:
    """Everything an importer needs, entered through the API alone, then signed and submitted."""
    client, officer = api_as("bob"), api_as("alice")
    acme = f"/api/partners/{personas.acme.pk}"
    questions = client.get("/api/eligibility/questions/importer").json()["questions"]
    steps = [
        client.put(
            f"{acme}/eligibility", {"answers": {q["key"]: True for q in questions}}, content_type=JSON
        ),
        client.patch(
            acme, {"street": "1 Main St", "city": "Newark", "transport_modes": ["sea"]}, content_type=JSON
        ),
        client.post(
            f"{acme}/contacts",
            {"contact_type": "company_officer", "full_name": "Alice", "email": "alice@example.com"},
            content_type=JSON,
        ),
        client.post(
            f"{acme}/identifiers", {"kind": "importer_of_record", "value": "12-3456789AB"}, content_type=JSON
        ),
        client.post(f"{acme}/origin-countries", {"country": "CN", "share_percent": "60"}, content_type=JSON),
        client.post(
            f"{acme}/facilities",
            {
                "name": "Newark DC",
                "kind": "warehouse",
                "street": "1 Dock St",
                "city": "Newark",
                "country": "US",
            },
            content_type=JSON,
        ),
    ]
    assert [s.status_code for s in steps] == [200, 200, 201, 201, 201, 201]
    profile = client.get(f"{acme}/security-profile").json()
    for answer in profile["answers"]:
        saved = client.put(
            f"{acme}/answers/{answer['criterion']['id']}",
            {"status": "implemented", "narrative": NARRATIVE},
            content_type=JSON,
        )
        assert saved.status_code == 200
    completeness = client.get(f"{acme}/completeness").json()
    assert (completeness["complete"], completeness["gaps"]) == (True, [])
    assert officer.post(f"{acme}/agreement").status_code == 200
    submitted = officer.post(f"{acme}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["to_status"] == PartnerStatus.APPLICANT
    personas.acme.refresh_from_db()
    assert personas.acme.status == PartnerStatus.APPLICANT


def test_submitted_application_is_locked(api_as: ApiAs, personas: Personas, acme_submitted: Partner) -> None:
    client = api_as("bob")
    acme = f"/api/partners/{personas.acme.pk}"
    identifiers_before = Identifier.objects.count()
    edits = [
        client.patch(acme, {"city": "Elsewhere"}, content_type=JSON),
        client.post(f"{acme}/identifiers", {"kind": "ein", "value": "12-3456789"}, content_type=JSON),
        client.put(f"{acme}/answers/3.4", {"status": "partly", "narrative": "x"}, content_type=JSON),
    ]
    assert [e.status_code for e in edits] == [422, 422, 422]
    assert "cannot be changed until the agency returns it" in edits[0].json()["detail"]
    assert Identifier.objects.count() == identifiers_before
    assert (
        ProfileAnswer.objects.get(profile__partner=personas.acme, criterion__code="3.4").status
        == "implemented"
    )
    again = api_as("alice").post(f"{acme}/submit")
    assert again.status_code == 409
    assert "not possible from the status" in again.json()["reasons"][0]


def test_events_and_clocks_after_submission(
    api_as: ApiAs, personas: Personas, acme_submitted: Partner
) -> None:
    acme = f"/api/partners/{personas.acme.pk}"
    events = api_as("dave").get(f"{acme}/events").json()
    clocks = api_as("dave").get(f"{acme}/clocks").json()
    assert [(e["transition"], e["actor"], e["actor_role"]) for e in events] == [
        ("submit", "Alice", "company_officer")
    ]
    assert [(c["kind"], c["days_left"], c["overdue"]) for c in clocks] == [("certification", 89, False)]


def test_agreement_needs_a_company_officer(api_as: ApiAs, personas: Personas) -> None:
    response = api_as("carol").post(f"/api/partners/{personas.acme.pk}/agreement")
    assert response.status_code == 403
    assert "Consultant" in response.json()["detail"]
    personas.acme.refresh_from_db()
    assert personas.acme.agreement_signed_at is None
