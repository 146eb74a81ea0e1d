"""Authentication: personal access tokens, revoked tokens, the session's CSRF check and the
agency's second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.test import override_settings

from ctpat.accounts.models import AccessToken, User
from ctpat.accounts.services import access_token_create, access_token_revoke
from ctpat.applications.models import Identifier
from tests.api.conftest import JSON
from tests.api.roles import ACME_READ
from tests.api.spec_client import SpecCheckedClient
from tests.conftest import Personas

ApiAs = Callable[[str], SpecCheckedClient]
CSRF_SECRET = "a" * 32


def bearer(user: User, *, organization_id: int | None = None) -> SpecCheckedClient:
    _token, raw = access_token_create(user=user, name="test client")
    headers = {"Authorization": f"Bearer {raw}"}
    if organization_id is not None:
        headers["X-Organization"] = str(organization_id)
    return SpecCheckedClient(enforce_csrf_checks=True, headers=headers)


def test_token_gives_each_persona_the_same_access_as_the_session(personas: Personas) -> None:
    url = f"/api/partners/{personas.acme.pk}"
    users = personas.all_users()
    actual = {name: bearer(user).get(url).status_code for name, user in users.items()}
    assert actual == {name: ACME_READ[name] or 200 for name in users}


def test_token_client_writes_without_csrf(personas: Personas) -> None:
    response = bearer(personas.alice).post(
        f"/api/partners/{personas.acme.pk}/identifiers",
        {"kind": "ein", "value": "12-3456789"},
        content_type=JSON,
    )
    assert response.status_code == 201
    assert AccessToken.objects.get(user=personas.alice).last_used_at is not None


def test_consultant_token_chooses_the_company_by_header(personas: Personas) -> None:
    client = bearer(personas.carol, organization_id=personas.beta.organization_id)
    assert client.get("/api/partners/me").json()["id"] == personas.beta.pk
    assert client.get(f"/api/partners/{personas.acme.pk}").status_code == 404


def test_revoked_and_unknown_tokens_are_refused(personas: Personas) -> None:
    token, raw = access_token_create(user=personas.alice, name="laptop")
    access_token_revoke(user=personas.alice, token_id=token.pk)
    revoked = SpecCheckedClient(headers={"Authorization": f"Bearer {raw}"}).get("/api/partners/me")
    unknown = SpecCheckedClient(headers={"Authorization": "Bearer ctpat_not-a-token"}).get("/api/partners/me")
    assert (revoked.status_code, unknown.status_code) == (401, 401)


def test_token_of_a_deactivated_user_is_refused(personas: Personas) -> None:
    client = bearer(personas.alice)
    User.objects.filter(pk=personas.alice.pk).update(is_active=False)
    assert client.get("/api/partners/me").status_code == 401


def test_session_write_without_csrf_token_is_refused(personas: Personas) -> None:
    url = f"/api/partners/{personas.acme.pk}/identifiers"
    body = {"kind": "ein", "value": "12-3456789"}
    client = SpecCheckedClient(enforce_csrf_checks=True)
    client.force_login(personas.alice)
    forged = client.post(url, body, content_type=JSON)
    assert forged.status_code == 403
    assert "CSRF" in forged.json()["detail"]
    assert Identifier.objects.count() == 0
    client.cookies["csrftoken"] = CSRF_SECRET
    genuine = client.post(url, body, content_type=JSON, headers={"X-CSRFToken": CSRF_SECRET})
    assert genuine.status_code == 201


def test_session_reads_need_no_csrf_token(personas: Personas) -> None:
    client = SpecCheckedClient(enforce_csrf_checks=True)
    client.force_login(personas.dave)
    assert client.get("/api/partners/me").status_code == 200


@override_settings(DEMO_RELAX_2FA=False)
def test_agency_session_without_second_factor_is_refused(api_as: ApiAs, personas: Personas) -> None:
    assert api_as("sam").get("/api/agency/inbox").status_code == 401
    assert api_as("alice").get("/api/partners/me").status_code == 200
