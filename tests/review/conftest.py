"""Acme's application at each stage of the review, built through the review's services.

The personas are those of ``tests/conftest.py``; here Sue (supervisor) assigns Acme to Sam
(specialist), Sam vets, assesses and recommends, and Sue or Pat (program director) decides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ctpat.accounts.models import Membership, User
from ctpat.applications.models import Partner
from ctpat.applications.services import application_submit, partner_transition
from ctpat.core.decisions import DecisionAction, RecommendationKind, VettingCheckKind
from ctpat.core.risk import AssessmentStep
from ctpat.review import services
from ctpat.review.models import Certificate
from tests.builders import complete_application
from tests.conftest import Personas

STEP_TEXT = "Cargo from CN by sea to Long Beach; one warehouse; broker and NVOCC as partners."


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"


def membership_of(user: User) -> Membership:
    return Membership.objects.select_related("organization").get(user=user)


@pytest.fixture
def submitted(personas: Personas) -> Partner:
    """Acme, complete, signed and submitted by Alice: the 90-day clock runs."""
    acme = complete_application(personas.acme, personas.alice)
    membership = Membership.objects.get(user=personas.alice, organization=acme.organization)
    application_submit(actor=personas.alice, membership=membership, partner=acme)
    acme.refresh_from_db()
    return acme


def assign(partner: Partner, *, by: User, to: User) -> None:
    services.assignment_make(actor=by, membership=membership_of(by), partner=partner, specialist=to)


def start_review(partner: Partner, by: User) -> None:
    partner_transition(actor=by, membership=membership_of(by), partner=partner, name="start_review")


@pytest.fixture
def assigned(personas: Personas, submitted: Partner) -> Partner:
    """Sue assigned Acme to Sam, who started the review."""
    assign(submitted, by=personas.sue, to=personas.sam)
    start_review(submitted, personas.sam)
    submitted.refresh_from_db()
    return submitted


def vet_and_assess(
    partner: Partner, specialist: User, *, derogatory: frozenset[VettingCheckKind] = frozenset()
) -> None:
    """Every vetting check, the five written steps and a recorded score."""
    membership = membership_of(specialist)
    for kind in VettingCheckKind:
        services.vetting_check_record(
            actor=specialist,
            membership=membership,
            partner=partner,
            kind=kind,
            result=f"{kind.label}: checked.",
            derogatory=kind in derogatory,
        )
    for step in AssessmentStep:
        services.assessment_step_save(
            actor=specialist, membership=membership, partner=partner, step=step, text=STEP_TEXT
        )
    services.risk_score_record(actor=specialist, membership=membership, partner=partner)


@pytest.fixture
def ready(personas: Personas, assigned: Partner) -> Partner:
    """Sam has vetted and assessed Acme: ready to recommend."""
    vet_and_assess(assigned, personas.sam)
    return assigned


def recommend(
    partner: Partner,
    specialist: User,
    kind: RecommendationKind = RecommendationKind.CERTIFY,
    reason: str = "",
) -> None:
    services.recommendation_make(
        actor=specialist, membership=membership_of(specialist), partner=partner, kind=kind, reason=reason
    )


@pytest.fixture
def recommended(personas: Personas, ready: Partner) -> Partner:
    """Sam recommends certifying Acme; it waits for a supervisor."""
    recommend(ready, personas.sam)
    return ready


def decide(
    partner: Partner, supervisor: User, action: DecisionAction = DecisionAction.AGREE, reason: str = ""
) -> None:
    services.decision_take(
        actor=supervisor, membership=membership_of(supervisor), partner=partner, action=action, reason=reason
    )


@pytest.fixture
def certified(personas: Personas, recommended: Partner) -> Partner:
    """Sue agreed: Acme is certified (Tier 1) with a certificate."""
    decide(recommended, personas.sue)
    recommended.refresh_from_db()
    return recommended


@pytest.fixture
def certificate(certified: Partner) -> Certificate:
    return Certificate.objects.get(partner=certified)
