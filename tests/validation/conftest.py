"""Fixtures for the validation tests: Acme made a certified partner through the real lifecycle
transitions, and its validation in each stage (planned, fieldwork done, report sent, responded,
proposed). Sam (specialist) leads it; Sue (supervisor) approves; Stan is a second specialist
who is not on the team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Facility, Partner
from ctpat.applications.services import application_submit, partner_transition
from ctpat.core.validation_rules import DecisionInput, FindingKind, Outcome, WorksheetInput
from ctpat.criteria.models import Criterion
from ctpat.validation import services
from ctpat.validation.models import DecisionProposal, Validation
from ctpat.validation.selectors import applicable_criteria
from tests.builders import complete_application
from tests.conftest import PASSWORD, Personas

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONTAINER_OK = {
    "container_7": {
        p: {"result": "ok", "note": ""}
        for p in (
            "front_wall",
            "left_side",
            "right_side",
            "floor",
            "ceiling_roof",
            "doors_locks",
            "outside_undercarriage",
        )
    }
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def membership_of(user: User) -> Membership:
    return Membership.objects.select_related("organization").filter(user=user).order_by("id").first()  # type: ignore[return-value]


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


@pytest.fixture
def stan(personas: Personas) -> User:
    """A second specialist, not on Acme's validation team."""
    user = User.objects.create_user(email="stan@example.com", password=PASSWORD, full_name="Stan")
    agency = Organization.objects.get(kind=OrganizationKind.AGENCY)
    Membership.objects.create(user=user, organization=agency, role=Role.SPECIALIST)
    return user


@pytest.fixture
def certified(personas: Personas) -> Partner:
    """Acme, certified (Tier 1), with a domestic warehouse and a foreign plant in Germany."""
    acme = certify(personas, personas.acme, personas.alice)
    acme.facilities.update(latitude=Decimal("33.768300"), longitude=Decimal("-118.195600"))
    Facility.objects.create(
        partner=acme,
        name="Stuttgart plant",
        kind="manufacturing",
        street="Hafenstr. 5",
        city="Stuttgart",
        country="DE",
    )
    Partner.objects.filter(pk=acme.pk).update(assigned_specialist=personas.sam)
    acme.refresh_from_db()
    return acme


@dataclass
class Stages:
    """Make Acme's validation reach a stage, each step through the services."""

    personas: Personas

    def planned(self) -> Validation:
        p = self.personas
        partner = Partner.objects.get(pk=p.acme.pk)
        return services.validation_plan(
            actor=p.sam,
            membership=membership_of(p.sam),
            partner=partner,
            lead=p.sam,
            team=[],
            planned_start=_today(),
            planned_end=_today(),
        )

    def fieldwork(self, kinds: tuple[FindingKind, ...] = (FindingKind.COMPLIANT,)) -> Validation:
        validation = self.planned()
        p = self.personas
        for site in validation.sites.all():
            if site.is_foreign:
                site.mra_partner, site.mra_reference = "EU", "AEO-DE-2024-118"
                services.site_save(
                    actor=p.sam, membership=membership_of(p.sam), validation=validation, site=site
                )
                continue
            services.worksheet_save(
                actor=p.sam,
                membership=membership_of(p.sam),
                site=site,
                worksheet=WorksheetInput(
                    inspections=CONTAINER_OK,
                    vvtt=dict.fromkeys(("view", "verify", "tug", "twist"), True),
                    seal_class_seen="H",
                    seal_log_kept=True,
                ),
                visited_on=_today(),
            )
        for criterion, kind in zip(criteria_for(validation), kinds, strict=False):
            services.finding_save(
                actor=p.sam,
                membership=membership_of(p.sam),
                validation=validation,
                site=None,
                criterion=criterion,
                kind=kind.value,
                narrative=f"{kind.label} on {criterion.code}.",
            )
        return validation

    def report_sent(self, kinds: tuple[FindingKind, ...] = (FindingKind.COMPLIANT,)) -> Validation:
        validation = self.fieldwork(kinds)
        services.report_send(
            actor=self.personas.sam, membership=membership_of(self.personas.sam), validation=validation
        )
        return validation

    def responded(self, kinds: tuple[FindingKind, ...] = (FindingKind.COMPLIANT,)) -> Validation:
        validation = self.report_sent(kinds)
        p = self.personas
        services.response_submit(
            actor=p.alice,
            membership=membership_of(p.alice),
            validation=validation,
            text="We agree with the findings.",
        )
        return validation

    def proposed(
        self, outcome: Outcome = Outcome.TIER_2, kinds: tuple[FindingKind, ...] = (FindingKind.COMPLIANT,)
    ) -> DecisionProposal:
        validation = self.responded(kinds)
        p = self.personas
        return services.decision_propose(
            actor=p.sam,
            membership=membership_of(p.sam),
            validation=validation,
            decision=DecisionInput(outcome),
        )


def _today() -> date:
    return timezone.localdate()


def criteria_for(validation: Validation) -> list[Criterion]:
    return applicable_criteria(validation)


@pytest.fixture
def stages(certified: Partner, personas: Personas) -> Stages:
    return Stages(personas)
