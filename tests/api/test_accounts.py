"""GET /api/me: the caller and the organisations they hold a role in."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.roles import ANY_USER, PERSONAS, statuses_by_call
from tests.api.spec_client import SpecCheckedClient
from tests.conftest import Personas

ApiAs = Callable[[str], SpecCheckedClient]


@pytest.mark.parametrize("persona", PERSONAS)
def test_account_endpoint_by_role(persona: str, api_as: ApiAs, personas: Personas) -> None:
    client = api_as(persona)
    actual, expected = statuses_by_call(persona, [("GET me", ANY_USER, 200, lambda: client.get("/api/me"))])
    assert actual == expected


def test_consultant_sees_both_companies_and_the_one_acted_for(api_as: ApiAs, personas: Personas) -> None:
    default = api_as("carol").get("/api/me").json()
    chosen = api_as("carol_for_beta").get("/api/me").json()
    organizations = [m["organization_id"] for m in default["memberships"]]
    assert organizations == [personas.acme.organization_id, personas.beta.organization_id]
    assert default["acting_for"] == personas.acme.organization_id
    assert chosen["acting_for"] == personas.beta.organization_id


def test_user_without_a_role_has_no_memberships(api_as: ApiAs) -> None:
    body = api_as("nora").get("/api/me").json()
    assert (body["email"], body["memberships"], body["acting_for"]) == ("nora@example.com", [], None)
