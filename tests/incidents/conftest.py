"""Fixtures for the incident tests: two other government agencies, each with its own liaison
(Ivy at ICE, Tess at TSA), Acme certified through the real lifecycle (a non-compliance case
needs a member), and Acme's incidents in each stage.

Who may see what, besides the shared personas of ``tests/conftest.py``:
- ivy: liaison of U.S. Immigration and Customs Enforcement; reads the referrals made to ICE only.
- tess: liaison of the Transportation Security Administration; reads the referrals made to TSA only.
- liam (shared persona): liaison of a foreign customs administration; receives no referrals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Partner
from ctpat.applications.services import application_submit, partner_transition
from ctpat.incidents import services
from ctpat.incidents.models import Incident, Referral
from tests.builders import complete_application
from tests.conftest import PASSWORD, Personas

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ClientFor = Callable[[User | None], Client]
AGENCY = ("sam", "sue", "pat", "rita", "adam")
DECIDERS = ("sam", "sue", "pat")
ACME = ("alice", "bob", "carol", "dave")
ACME_EDITORS = ("alice", "bob", "carol")
LIAISONS = ("liam", "ivy", "tess")
EVERYONE = (*AGENCY, *ACME, "erin", *LIAISONS, "nora", "anonymous")


def table(default: int, **statuses: int) -> dict[str, int]:
    """Expected status per persona; anonymous visitors are sent to the log-in page."""
    return dict.fromkeys(EVERYONE, default) | statuses | {"anonymous": 302}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def membership_of(user: User) -> Membership:
    membership = Membership.objects.select_related("organization").filter(user=user).order_by("id").first()
    assert membership is not None
    return membership


def pdf(name: str = "seal-photo.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class Government:
    ice: Organization
    tsa: Organization
    ivy: User
    tess: User


@pytest.fixture
def gov(personas: Personas) -> Government:
    made = {}
    for code, name, liaison in (
        ("ice", "U.S. Immigration and Customs Enforcement", "ivy"),
        ("tsa", "Transportation Security Administration", "tess"),
    ):
        org = Organization.objects.create(name=name, kind=OrganizationKind.GOVERNMENT_AGENCY)
        user = User.objects.create_user(
            email=f"{liaison}@{code}.example", password=PASSWORD, full_name=liaison.title()
        )
        Membership.objects.create(user=user, organization=org, role=Role.LIAISON)
        made[code], made[liaison] = org, user
    return Government(**made)


@pytest.fixture
def user_named(personas: Personas, gov: Government) -> Callable[[str], User | None]:
    def named(name: str) -> User | None:
        if name == "anonymous":
            return None
        return getattr(gov, name, None) or getattr(personas, name)

    return named


def incident_input(**overrides: Any) -> services.IncidentInput:
    now = timezone.now()
    fields: dict[str, Any] = {
        "kind": "seal_discrepancy",
        "happened_at": now - timedelta(hours=10),
        "found_at": now - timedelta(hours=6),
        "place": "Laredo yard 4",
        "country": "US",
        "description": "The seal number did not match the bill of lading.",
        "bill_of_lading": "MAEU123456789",
        "entry_number": "ABC-1234567-8",
        "conveyance": "Trailer TR-4411",
        "seal_numbers": "SL1234567",
    }
    return services.IncidentInput(**(fields | overrides))


def report(personas: Personas, **overrides: Any) -> Incident:
    """An incident Alice reports for Acme (self-reported), with one photo."""
    return services.incident_report(
        actor=personas.alice,
        membership=membership_of(personas.alice),
        partner=personas.acme,
        data=incident_input(**overrides),
        uploads=[pdf()],
    )


def certify(personas: Personas, partner: Partner, officer: User) -> Partner:
    """Submit, start review and certify through ``partner_transition``, as the portal does."""
    complete_application(partner, officer)
    application_submit(actor=officer, membership=membership_of(officer), partner=partner)
    partner_transition(
        actor=personas.sam, membership=membership_of(personas.sam), partner=partner, name="start_review"
    )
    partner_transition(
        actor=personas.sue,
        membership=membership_of(personas.sue),
        partner=partner,
        name="certify",
        facts={"vetting_complete": True, "risk_assessed": True},
    )
    partner.refresh_from_db()
    return partner


class Stages:
    """Acme's incidents, each taken to a stage through the services as the specialist (Sam)."""

    def __init__(self, personas: Personas, gov: Government) -> None:
        self.personas, self.gov = personas, gov
        self.sam = {"actor": personas.sam, "membership": membership_of(personas.sam)}

    def reported(self, **overrides: Any) -> Incident:
        return report(self.personas, **overrides)

    def triaged(self) -> Incident:
        incident = self.reported()
        services.incident_triage(
            **self.sam, incident=incident, assessment="Seal mismatch; partner cooperates."
        )
        return incident

    def referred(self) -> tuple[Incident, Referral]:
        incident = self.triaged()
        referral = services.incident_refer(
            **self.sam, incident=incident, agency=self.gov.ice, note="Possible smuggling route."
        )
        return incident, referral

    def analysis_requested(self, days: int = 14) -> Incident:
        incident = self.triaged()
        services.analysis_request(
            **self.sam,
            incident=incident,
            question="Root cause?",
            due=timezone.localdate() + timedelta(days=days),
        )
        return incident


@pytest.fixture
def stages(personas: Personas, gov: Government) -> Stages:
    return Stages(personas, gov)
