"""GET /api/criteria and /api/criteria/versions."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.roles import ANY_USER, PERSONAS, statuses_by_call
from tests.api.spec_client import SpecCheckedClient
from tests.conftest import Personas

ApiAs = Callable[[str], SpecCheckedClient]


@pytest.mark.parametrize("persona", PERSONAS)
def test_criteria_endpoints_by_role(persona: str, api_as: ApiAs, personas: Personas) -> None:
    client = api_as(persona)
    actual, expected = statuses_by_call(
        persona,
        [
            ("GET criteria", ANY_USER, 200, lambda: client.get("/api/criteria")),
            ("GET criteria/versions", ANY_USER, 200, lambda: client.get("/api/criteria/versions")),
        ],
    )
    assert actual == expected


def test_catalogue_lists_criteria_with_their_fields(api_as: ApiAs) -> None:
    body = api_as("nora").get("/api/criteria").json()
    criterion = body["criteria"][0]
    assert body["version"]
    assert set(criterion) == {
        "id",
        "category",
        "category_name",
        "focus_area",
        "program_area",
        "requirement",
        "statement",
        "guidance",
        "entity_types",
    }
    ids = [c["id"] for c in body["criteria"]]
    assert "3.4" in ids


def test_filters_narrow_the_catalogue(api_as: ApiAs) -> None:
    client = api_as("alice")
    everything = client.get("/api/criteria").json()["criteria"]
    carriers = client.get("/api/criteria", {"entity_type": "highway_carrier"}).json()["criteria"]
    category_3 = client.get("/api/criteria", {"category": 3}).json()["criteria"]
    it = client.get("/api/criteria", {"program_area": "it"}).json()["criteria"]
    assert 0 < len(carriers) < len(everything)
    assert all("highway_carrier" in c["entity_types"] for c in carriers)
    assert category_3 and all(c["category"] == 3 for c in category_3)
    assert it and all(c["program_area"] == "it" for c in it)


def test_unknown_filter_values_are_refused_with_the_choices(api_as: ApiAs) -> None:
    response = api_as("alice").get("/api/criteria", {"entity_type": "smuggler"})
    assert response.status_code == 422
    assert "importer" in response.json()["errors"]["entity_type"][0]


def test_versions_say_which_is_current(api_as: ApiAs) -> None:
    versions = api_as("alice").get("/api/criteria/versions").json()
    assert [v["is_current"] for v in versions].count(True) == 1
    assert versions[0]["criteria_count"] > 50
