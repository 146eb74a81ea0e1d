"""Acme's compliance at each stage, built through the services.

The personas are those of ``tests/conftest.py`` plus Paula, a second program director: appeals
are decided by a director other than the one who took the decision (Pat takes the sanctions
here, so Paula decides the appeals). Acme is certified through the lifecycle (the application
itself is not the point here, so its facts are given), then Sam (specialist) opens a case and
sends a warning letter, Alice (Company Officer) answers, and so on.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.services import partner_transition
from ctpat.compliance import services
from ctpat.compliance.models import (
    Appeal,
    ComplianceCase,
    ComplianceEvent,
    CorrectiveActionPlan,
    SanctionRecommendation,
    WarningLetter,
)
from ctpat.core.sanctions import Benefit, SanctionGround, SanctionKind, Subject
from ctpat.criteria import services as criteria_services
from ctpat.criteria.catalogue import Catalogue, load_catalogue
from tests.conftest import PASSWORD, Personas

GROUNDS = "Validation found seal logs incomplete at the main warehouse (criterion 6.5)."
DEFICIENCIES = (
    "Seal logs incomplete for the last quarter (criterion 6.5).\nNo seven-point inspection records."
)
ACTIONS = "Keep a complete seal log, reviewed weekly.\nRecord every seven-point inspection."


@functools.cache
def _catalogue_parsed_once(path: Path | None = None) -> Catalogue:
    return load_catalogue(path)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.setattr(criteria_services, "load_catalogue", _catalogue_parsed_once)


def membership_of(user: User) -> Membership:
    return Membership.objects.select_related("organization").filter(user=user).order_by("id").first()  # type: ignore[return-value]


@pytest.fixture
def paula(personas: Personas) -> User:
    """A second program director: decides the appeals against Pat's decisions."""
    user = User.objects.create_user(email="paula@example.com", password=PASSWORD, full_name="Paula")
    agency = membership_of(personas.pat).organization
    Membership.objects.create(user=user, organization=agency, role=Role.PROGRAM_DIRECTOR)
    return user


def transition(partner: Partner, user: User, name: str, **kwargs: object) -> PartnerEvent:
    return partner_transition(
        actor=user, membership=membership_of(user), partner=partner, name=name, **kwargs
    )  # type: ignore[arg-type]


@pytest.fixture
def certified(personas: Personas) -> Partner:
    """Acme, submitted, reviewed by Sam and certified by Sue (Tier 1)."""
    acme = personas.acme
    facts = {"eligible": True, "profile_complete": True, "agreement_signed": True}
    transition(acme, personas.alice, "submit", facts=facts)
    transition(acme, personas.sam, "start_review")
    transition(acme, personas.sue, "certify", facts={"vetting_complete": True, "risk_assessed": True})
    acme.refresh_from_db()
    return acme


@pytest.fixture
def case(personas: Personas, certified: Partner) -> ComplianceCase:
    return services.case_open(
        actor=personas.sam, membership=membership_of(personas.sam), partner=certified, grounds=GROUNDS
    )


def issue_letter(case: ComplianceCase, user: User, days: int = 30) -> WarningLetter:
    return services.warning_letter_issue(
        actor=user,
        membership=membership_of(user),
        case=case,
        deficiencies=DEFICIENCIES,
        required_actions=ACTIONS,
        response_days=days,
    )


@pytest.fixture
def letter(personas: Personas, case: ComplianceCase) -> WarningLetter:
    return issue_letter(case, personas.sam)


def backdate(subject: Subject, record_id: int, days: int) -> None:
    """Move a record's event rows ``days`` into the past (as the browser test and demo do)."""
    rows = ComplianceEvent.objects.filter(subject=subject, subject_id=record_id)
    for row in rows:
        ComplianceEvent.objects.filter(pk=row.pk).update(at=row.at - timedelta(days=days))


def submit_plan(
    letter: WarningLetter, user: User, *, days: tuple[int, ...] = (10, 40)
) -> CorrectiveActionPlan:
    today = timezone.localdate()
    return services.corrective_plan_submit(
        actor=user,
        membership=membership_of(user),
        letter=letter,
        summary="An owner per deficiency; progress every two weeks.",
        objectives=[
            services.ObjectiveInput(f"Objective due in {d} days", today + timedelta(days=d)) for d in days
        ],
    )


@pytest.fixture
def plan(personas: Personas, letter: WarningLetter) -> CorrectiveActionPlan:
    """Alice answered the letter with a plan of two objectives."""
    return submit_plan(letter, personas.alice)


def recommend(
    case: ComplianceCase,
    user: User,
    kind: SanctionKind = SanctionKind.SUSPEND,
    benefits: tuple[Benefit, ...] = tuple(Benefit),
    ground: SanctionGround = SanctionGround.NON_COMPLIANCE,
) -> SanctionRecommendation:
    return services.sanction_recommend(
        actor=user,
        membership=membership_of(user),
        case=case,
        kind=kind,
        ground=ground,
        benefits=benefits,
        reasons="The letter's deadline passed with no plan.",
    )


@pytest.fixture
def recommendation(personas: Personas, letter: WarningLetter) -> SanctionRecommendation:
    return recommend(letter.case, personas.sam)


@pytest.fixture
def suspended(personas: Personas, recommendation: SanctionRecommendation) -> Partner:
    """Pat took Sam's recommendation: Acme is suspended (all benefits)."""
    services.sanction_decide(
        actor=personas.pat,
        membership=membership_of(personas.pat),
        recommendation=recommendation,
        take=True,
        reason="No corrective action plan by the deadline.",
    )
    partner = recommendation.case.partner
    partner.refresh_from_db()
    return partner


def suspension_of(partner: Partner) -> PartnerEvent:
    return PartnerEvent.objects.get(partner=partner, transition="suspend")


@pytest.fixture
def appeal(personas: Personas, suspended: Partner) -> Appeal:
    """Alice appealed the suspension."""
    return services.appeal_file(
        actor=personas.alice,
        membership=membership_of(personas.alice),
        decision_event=suspension_of(suspended),
        statement="The logs were kept at the gate house; copies attached.",
    )
