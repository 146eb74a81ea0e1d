"""The agency's inbox and first review steps: /api/agency/..."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ctpat.applications.models import Partner, PartnerEvent
from ctpat.core.lifecycle import PartnerStatus
from tests.api.conftest import JSON
from tests.api.roles import AGENCY_DECIDE, AGENCY_READ, PERSONAS, statuses_by_call
from tests.api.spec_client import SpecCheckedClient
from tests.conftest import Personas

ApiAs = Callable[[str], SpecCheckedClient]
REASON = {"reason": "Describe how container seals are verified at the Newark warehouse."}


@pytest.mark.parametrize("persona", PERSONAS)
def test_agency_endpoints_by_role(
    persona: str, api_as: ApiAs, personas: Personas, acme_submitted: Partner
) -> None:
    client = api_as(persona)
    agency = f"/api/agency/partners/{personas.acme.pk}"
    actual, expected = statuses_by_call(
        persona,
        [
            ("GET inbox", AGENCY_READ, 200, lambda: client.get("/api/agency/inbox")),
            ("POST start-review", AGENCY_DECIDE, 200, lambda: client.post(f"{agency}/start-review")),
            (
                "POST return",
                AGENCY_DECIDE,
                200,
                lambda: client.post(f"{agency}/return", REASON, content_type=JSON),
            ),
        ],
    )
    assert actual == expected


def test_inbox_shows_submitted_applications_with_their_clock(
    api_as: ApiAs, personas: Personas, acme_submitted: Partner
) -> None:
    rows = api_as("rita").get("/api/agency/inbox").json()
    assert [(r["partner_id"], r["status"], r["days_left"]) for r in rows] == [
        (personas.acme.pk, PartnerStatus.APPLICANT, 89)
    ]
    assert rows[0]["submitted_at"] is not None
    assert rows[0]["due"] > rows[0]["submitted_at"]


def test_inbox_leaves_out_unsubmitted_applications(api_as: ApiAs) -> None:
    assert api_as("sam").get("/api/agency/inbox").json() == []


def test_review_then_return_unlocks_the_application(
    api_as: ApiAs, personas: Personas, acme_submitted: Partner
) -> None:
    agency = f"/api/agency/partners/{personas.acme.pk}"
    started = api_as("sam").post(f"{agency}/start-review")
    returned = api_as("sue").post(f"{agency}/return", REASON, content_type=JSON)
    assert started.json()["to_status"] == PartnerStatus.UNDER_REVIEW
    assert returned.json()["reason"] == REASON["reason"]
    personas.acme.refresh_from_db()
    assert personas.acme.status == PartnerStatus.PRE_APPLICANT
    assert personas.acme.agreement_signed_at is None  # a new signature is needed
    edit = api_as("bob").patch(
        f"/api/partners/{personas.acme.pk}", {"city": "Jersey City"}, content_type=JSON
    )
    assert edit.status_code == 200


def test_return_needs_a_reason(api_as: ApiAs, personas: Personas, acme_submitted: Partner) -> None:
    agency = f"/api/agency/partners/{personas.acme.pk}"
    missing = api_as("sam").post(f"{agency}/return", {}, content_type=JSON)
    blank = api_as("sam").post(f"{agency}/return", {"reason": "   "}, content_type=JSON)
    assert missing.status_code == 422
    assert blank.status_code == 409
    assert blank.json()["reasons"] == ["A reason is required."]
    assert PartnerEvent.objects.count() == 1


def test_review_of_an_unsubmitted_application_is_refused(api_as: ApiAs, personas: Personas) -> None:
    response = api_as("pat").post(f"/api/agency/partners/{personas.beta.pk}/start-review")
    assert response.status_code == 409
    assert "not possible from the status Pre-applicant" in response.json()["reasons"][0]


def test_unknown_partner_is_not_found(api_as: ApiAs) -> None:
    assert api_as("sam").post("/api/agency/partners/999999/start-review").status_code == 404
