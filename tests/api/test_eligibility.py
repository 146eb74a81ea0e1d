"""GET /api/eligibility/questions/{entity_type} and POST /api/eligibility/check (no write)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ctpat.applications.models import Partner
from tests.api.conftest import JSON
from tests.api.roles import ANY_USER, PERSONAS, statuses_by_call
from tests.api.spec_client import SpecCheckedClient
from tests.conftest import Personas

ApiAs = Callable[[str], SpecCheckedClient]
ALL_YES = {
    "imported_last_12_months": True,
    "continuous_bond": True,
    "us_or_ca_office": True,
    "security_officer": True,
    "no_unpaid_debt": True,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_eligibility_endpoints_by_role(persona: str, api_as: ApiAs, personas: Personas) -> None:
    client = api_as(persona)
    check = {"entity_type": "importer", "answers": ALL_YES}
    actual, expected = statuses_by_call(
        persona,
        [
            ("GET questions", ANY_USER, 200, lambda: client.get("/api/eligibility/questions/importer")),
            (
                "POST check",
                ANY_USER,
                200,
                lambda: client.post("/api/eligibility/check", check, content_type=JSON),
            ),
        ],
    )
    assert actual == expected


def test_questions_for_an_entity_type(api_as: ApiAs) -> None:
    body = api_as("alice").get("/api/eligibility/questions/highway_carrier").json()
    keys = [q["key"] for q in body["questions"]]
    assert body["label"].startswith("Highway carrier")
    assert keys[0] == "crosses_border"
    assert keys[-2:] == ["security_officer", "no_unpaid_debt"]


def test_unknown_entity_type_is_refused_with_the_choices(api_as: ApiAs) -> None:
    response = api_as("alice").get("/api/eligibility/questions/smuggler")
    assert response.status_code == 422
    assert "entity_type" in response.json()["errors"]
    assert "importer" in response.json()["detail"]


def test_check_gives_every_reason_and_stores_nothing(api_as: ApiAs, personas: Personas) -> None:
    before = Partner.objects.values_list("pk", "eligible", "eligibility_answers").order_by("pk")
    before_rows = list(before)
    answers = {**ALL_YES, "continuous_bond": False, "no_unpaid_debt": False}
    response = api_as("alice").post(
        "/api/eligibility/check", {"entity_type": "importer", "answers": answers}, content_type=JSON
    )
    assert response.json() == {
        "eligible": False,
        "reasons": [
            "Importers need a continuous import bond.",
            "A company with an unpaid final debt to CBP cannot join until it is paid.",
        ],
    }
    assert list(before) == before_rows


def test_check_passes_when_every_rule_is_met(api_as: ApiAs) -> None:
    response = api_as("alice").post(
        "/api/eligibility/check", {"entity_type": "importer", "answers": ALL_YES}, content_type=JSON
    )
    assert response.json() == {"eligible": True, "reasons": []}


def test_check_refuses_unknown_types_and_question_keys(api_as: ApiAs) -> None:
    client = api_as("alice")
    bad_type = client.post(
        "/api/eligibility/check", {"entity_type": "pirate", "answers": {}}, content_type=JSON
    )
    bad_key = client.post(
        "/api/eligibility/check", {"entity_type": "importer", "answers": {"bonded": True}}, content_type=JSON
    )
    assert bad_type.status_code == 422
    assert bad_key.status_code == 422
    assert "Unknown question(s) for Importer: bonded" in bad_key.json()["errors"]["answers"][0]
