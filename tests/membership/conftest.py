"""Fixtures for keeping membership: Acme certified through the real lifecycle transitions, its
certification dated so that its first annual window is open (the window opens 90 days before
the anniversary), its annual review opened, and Stan, a specialist to whom Acme is not assigned.

Moving the certification event back in time is what the demo command does too: every date the
app shows is recomputed from that event, so this is how a test gets a window that is open now.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.services import application_submit, partner_transition
from ctpat.criteria import services as criteria_services
from ctpat.criteria.catalogue import Catalogue, load_catalogue
from ctpat.membership import services
from ctpat.membership.models import AnnualReview
from tests.builders import complete_application
from tests.conftest import PASSWORD, Personas

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Certified this many days ago, the first window (opening 275 days after certification) is open.
CERTIFIED_DAYS_AGO = 300
AGENCY = ("sam", "sue", "pat", "rita", "adam", "stan")
ACME = ("alice", "bob", "carol", "dave")
EDITORS = ("alice", "bob", "carol")
EVERYONE = (*AGENCY, *ACME, "erin", "liam", "nora", "anonymous")


def pdf(name: str = "seal-procedure.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@functools.cache
def _catalogue_parsed_once(path: Path | None = None) -> Catalogue:
    return load_catalogue(path)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_RELAX_2FA = True
    settings.ANNUAL_REVIEW_WINDOW_DAYS = 90
    settings.FULL_REVALIDATION_YEARS = 4
    settings.ANNUAL_REVIEW_MISSED_CONSEQUENCE = "warning"
    monkeypatch.setattr(criteria_services, "load_catalogue", _catalogue_parsed_once)


def membership_of(user: User) -> Membership:
    found = Membership.objects.select_related("organization").filter(user=user).order_by("id").first()
    assert found is not None
    return found


def certify(
    personas: Personas, partner: Partner, officer: User, *, days_ago: int = CERTIFIED_DAYS_AGO
) -> Partner:
    """Submit, start review and certify through ``partner_transition``, then date the steps."""
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
    back_date(partner, days_ago)
    Partner.objects.filter(pk=partner.pk).update(assigned_specialist=personas.sam)
    partner.refresh_from_db()
    return partner


def back_date(partner: Partner, days_ago: int) -> None:
    """Date the partner's certification ``days_ago`` (and the steps before it a little earlier)."""
    moment = timezone.now() - timedelta(days=days_ago)
    for offset, event in enumerate(PartnerEvent.objects.filter(partner=partner).order_by("-at", "-id")):
        PartnerEvent.objects.filter(pk=event.pk).update(at=moment - timedelta(days=offset))


def validate(personas: Personas, partner: Partner, *, days_ago: int) -> PartnerEvent:
    event = partner_transition(
        actor=personas.sue,
        membership=membership_of(personas.sue),
        partner=partner,
        name="validate",
        facts={"validation_approved": True},
        details={"tier": 2},
    )
    PartnerEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=days_ago))
    return event


@pytest.fixture
def stan(personas: Personas) -> User:
    """A specialist to whom Acme is not assigned: reads, but does not decide."""
    user = User.objects.create_user(email="stan@example.com", password=PASSWORD, full_name="Stan")
    agency = Organization.objects.get(kind=OrganizationKind.AGENCY)
    Membership.objects.create(user=user, organization=agency, role=Role.SPECIALIST)
    return user


@pytest.fixture
def member(personas: Personas) -> Partner:
    """Acme, certified 300 days ago: its first annual window is open, the anniversary 65 days off."""
    return certify(personas, personas.acme, personas.alice)


@pytest.fixture
def review(member: Partner) -> AnnualReview:
    opened = services.annual_review_open(actor=None, partner=member)
    assert opened is not None
    return opened


@pytest.fixture
def submitted(review: AnnualReview, personas: Personas) -> AnnualReview:
    services.review_risk_assessment_save(actor=personas.alice, review=review, text="Threats mapped per lane.")
    services.annual_review_submit(
        actor=personas.alice, membership=membership_of(personas.alice), review=review
    )
    review.refresh_from_db()
    return review


ClientFor = Callable[[User | None], Client]


@pytest.fixture
def statuses(personas: Personas, stan: User, client_for: ClientFor) -> Callable[..., dict[str, int]]:
    """The status each persona gets for one request, each in a transaction that is rolled back,
    so a request that changes something does not change what the next persona sees."""

    def ask(
        method: str, url: str, data: Callable[[], dict[str, Any]] | None = None, **extra: Any
    ) -> dict[str, int]:
        answered = {}
        for name in EVERYONE:
            with transaction.atomic():
                user = None if name == "anonymous" else stan if name == "stan" else getattr(personas, name)
                client = client_for(user)
                call = getattr(client, method)
                response = call(url, data() if data else None, **extra) if method != "get" else call(url)
                answered[name] = response.status_code
                transaction.set_rollback(True)
        return answered

    return ask
