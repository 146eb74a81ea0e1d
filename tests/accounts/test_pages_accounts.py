"""Log-in, throttling, registration, the second factor, tokens and switching company."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctpat.accounts.models import AccessToken, Membership, Organization, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner
from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def login(client: Client, email: str, password: str) -> int:
    response = client.post(reverse("accounts:login"), {"username": email, "password": password})
    return response.status_code


def test_login_with_email_and_password(personas: Personas) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("applications:dashboard")


def test_wrong_password_says_so_and_logs_nobody_in(personas: Personas) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "alice@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "enter a correct" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failed_logins_are_throttled(personas: Personas) -> None:
    client = Client()
    for _ in range(3):
        login(client, "alice@example.com", "wrong")
    # Even the right password is refused while locked out.
    response = client.post(reverse("accounts:login"), {"username": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2() -> None:
    from django.contrib.auth.hashers import make_password

    from ctpat import settings as project_settings

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assert make_password("a-long-enough-password").startswith("argon2$")


def test_login_page_says_when_the_demo_relaxes_the_second_factor() -> None:
    with override_settings(DEMO_RELAX_2FA=True):
        assert "Demo mode" in Client().get(reverse("accounts:login")).content.decode()
    with override_settings(DEMO_RELAX_2FA=False):
        assert "Demo mode" not in Client().get(reverse("accounts:login")).content.decode()


@override_settings(DEMO_RELAX_2FA=False, OTP_TOTP_THROTTLE_FACTOR=0)
def test_agency_users_must_set_up_totp_before_any_page(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas.sam)
    assert client.get(reverse("agency:inbox")).url == reverse("accounts:totp_setup")
    page = client.get(reverse("accounts:totp_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=personas.sam, confirmed=False)
    wrong = client.post(
        reverse("accounts:totp_setup"), {"otp_token": "000000" if totp(device.bin_key) != 0 else "111111"}
    )
    assert "does not match" in wrong.content.decode()
    code = f"{totp(device.bin_key):06d}"
    assert client.post(reverse("accounts:totp_setup"), {"otp_token": code}).status_code == 302
    assert client.get(reverse("agency:inbox")).status_code == 200


@override_settings(DEMO_RELAX_2FA=False)
def test_a_user_with_a_device_must_enter_a_code_at_each_login(personas: Personas) -> None:
    device = TOTPDevice.objects.create(user=personas.alice, name="phone", confirmed=True)
    client = Client()
    login(client, "alice@example.com", PASSWORD)
    assert client.get(reverse("applications:dashboard")).url == reverse("accounts:verify")
    assert (
        "does not match"
        in client.post(
            reverse("accounts:verify"), {"otp_token": f"{(totp(device.bin_key) + 1) % 1000000:06d}"}
        ).content.decode()
    )
    device.throttle_reset()
    client.post(reverse("accounts:verify"), {"otp_token": f"{totp(device.bin_key):06d}"})
    assert client.get(reverse("applications:dashboard")).status_code == 200


@override_settings(DEMO_RELAX_2FA=False)
def test_partners_without_a_device_are_not_forced(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    assert client_for(personas.alice).get(reverse("applications:dashboard")).status_code == 200


def test_register_creates_company_officer_and_partner() -> None:
    response = Client().post(
        reverse("accounts:register"),
        {
            "full_name": "Rosa Diaz",
            "email": "rosa@newco.example",
            "password": "a-long-enough-password",
            "company_name": "NewCo Imports Inc",
            "entity_type": "importer",
            "country": "us",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="rosa@newco.example")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.COMPANY_OFFICER
    partner = Partner.objects.get(organization=membership.organization)
    assert (partner.status, partner.country, partner.entity_type) == ("pre_applicant", "US", "importer")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "valid email"),
        ("password", "short", "too short"),
        ("entity_type", "spaceport", "Select a valid choice"),
        ("country", "1X", "two-letter ISO country code"),
    ],
)
def test_register_rejects_bad_input_and_writes_nothing(field: str, value: str, message: str) -> None:
    data = {
        "full_name": "Rosa Diaz",
        "email": "rosa@newco.example",
        "password": "a-long-enough-password",
        "company_name": "NewCo Imports Inc",
        "entity_type": "importer",
        "country": "US",
    } | {field: value}
    response = Client().post(reverse("accounts:register"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_register_refuses_a_taken_email(personas: Personas) -> None:
    before = Organization.objects.count()
    response = Client().post(
        reverse("accounts:register"),
        {
            "full_name": "A",
            "email": "ALICE@example.com",
            "password": "a-long-enough-password",
            "company_name": "Dup",
            "entity_type": "importer",
            "country": "US",
        },
    )
    assert "already exists" in response.content.decode()
    assert Organization.objects.count() == before


def test_tokens_are_shown_once_and_stored_hashed(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas.alice)
    client.post(reverse("accounts:token_create"), {"name": "ERP sync"})
    page = client.get(reverse("accounts:profile")).content.decode()
    token = AccessToken.objects.get(user=personas.alice)
    raw = page.split('data-testid="new-token">')[1].split("<")[0]
    assert AccessToken.hash(raw) == token.token_hash
    assert raw not in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_token(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    token = AccessToken.objects.create(user=personas.alice, name="x", prefix="ctpat_x", token_hash="h" * 64)
    client_for(personas.erin).post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_consultant_switches_company_only_to_one_they_serve(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas.carol)
    client.post(reverse("accounts:switch"), {"organization": personas.beta.organization_id})
    assert client.session["active_organization_id"] == personas.beta.organization_id
    agency = Organization.objects.get(kind="agency")
    client.post(reverse("accounts:switch"), {"organization": agency.pk})
    assert client.session["active_organization_id"] == personas.beta.organization_id


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("alice", "applications:dashboard"),
        ("dave", "applications:dashboard"),
        ("sam", "agency:inbox"),
        ("rita", "agency:inbox"),
    ],
)
def test_home_sends_each_role_to_its_work(
    personas: Personas, client_for: Callable[[User | None], Client], persona: str, target: str
) -> None:
    assert client_for(getattr(personas, persona)).get(reverse("home")).url == reverse(target)


@pytest.mark.parametrize("persona", ["liam", "nora"])
def test_home_without_a_portal_role(
    personas: Personas, client_for: Callable[[User | None], Client], persona: str
) -> None:
    assert client_for(getattr(personas, persona)).get(reverse("home")).status_code == 403


def test_anonymous_visitors_are_sent_to_login() -> None:
    response = Client().get(reverse("home"))
    assert response.url.startswith(reverse("accounts:login"))
