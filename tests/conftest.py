"""Shared test personas. Each one's comment says what they may see.

Acme Imports (an importer) and Beta Freight (a highway carrier) are two partner companies;
nobody from one may see the other's data, except Carol, a consultant who serves both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Partner
from ctpat.applications.services import security_profile_ensure
from ctpat.criteria.services import catalogue_import

PASSWORD = "correct-horse-battery-staple"


@dataclass
class Personas:
    acme: Partner
    beta: Partner
    alice: User  # Company Officer of Acme: edits, signs and submits Acme's application
    bob: User  # Employee of Acme: edits Acme's application, may not sign or submit
    carol: User  # Consultant for Acme and Beta: edits both, one at a time
    dave: User  # Read-only at Acme: reads Acme's application only
    erin: User  # Company Officer of Beta: never sees Acme
    sam: User  # Supply Chain Security Specialist: reads every application
    sue: User  # Supervisor
    pat: User  # Program Director
    rita: User  # Agency read-only
    adam: User  # Agency administrator
    liam: User  # Liaison of a foreign customs administration: no partner data
    nora: User  # Logged in, but holds no role anywhere

    def all_users(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


def _user(name: str, email_domain: str) -> User:
    return User.objects.create_user(email=f"{name}@{email_domain}", password=PASSWORD, full_name=name.title())


def _partner(name: str, entity_type: str, country: str) -> Partner:
    org = Organization.objects.create(name=name, kind=OrganizationKind.PARTNER, country=country)
    partner = Partner.objects.create(
        organization=org, entity_type=entity_type, legal_name=name, country=country
    )
    security_profile_ensure(partner=partner)
    return partner


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def catalogue(db: None) -> None:
    catalogue_import()


@pytest.fixture
def personas(catalogue: None) -> Personas:
    acme = _partner("Acme Imports LLC", "importer", "US")
    beta = _partner("Beta Freight SA de CV", "highway_carrier", "MX")
    agency = Organization.objects.create(
        name="U.S. Customs and Border Protection", kind=OrganizationKind.AGENCY
    )
    mra = Organization.objects.create(
        name="Canada Border Services Agency", kind=OrganizationKind.FOREIGN_CUSTOMS, country="CA"
    )
    people = {}
    for name, org, role in [
        ("alice", acme.organization, Role.COMPANY_OFFICER),
        ("bob", acme.organization, Role.EMPLOYEE),
        ("carol", acme.organization, Role.CONSULTANT),
        ("dave", acme.organization, Role.PARTNER_READ_ONLY),
        ("erin", beta.organization, Role.COMPANY_OFFICER),
        ("sam", agency, Role.SPECIALIST),
        ("sue", agency, Role.SUPERVISOR),
        ("pat", agency, Role.PROGRAM_DIRECTOR),
        ("rita", agency, Role.AGENCY_READ_ONLY),
        ("adam", agency, Role.ADMINISTRATOR),
        ("liam", mra, Role.LIAISON),
    ]:
        people[name] = _user(name, "example.com")
        Membership.objects.create(user=people[name], organization=org, role=role)
    Membership.objects.create(user=people["carol"], organization=beta.organization, role=Role.CONSULTANT)
    people["nora"] = _user("nora", "example.com")
    return Personas(acme=acme, beta=beta, **people)


@pytest.fixture
def client_for(db: None) -> Callable[[User | None], Client]:
    """A test client logged in as the given user (or anonymous for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make
