"""The compliance demo hook on the lead's demo: cases, letters (one past its deadline), plans,
a suspension with an appeal filed and an appeal granted; running it twice adds nothing."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import F
from django.test.utils import override_settings

from ctpat.accounts.models import Membership
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.services import partner_transition
from ctpat.compliance import selectors
from ctpat.compliance.demo import SECOND_DIRECTOR_EMAIL, ComplianceDemoSummary, demo_compliance
from ctpat.compliance.models import Appeal, ComplianceCase, CorrectiveActionPlan, SanctionRecommendation
from ctpat.core.lifecycle import PartnerStatus
from ctpat.criteria.services import catalogue_import
from ctpat.deadlines.registry import open_deadlines
from ctpat.demo.services import demo_build


def _suspend_another(director: Membership, specialist: Membership) -> Partner:
    """A second suspended partner (the small demo has one): a certified one, walked on."""
    partner = Partner.objects.filter(status=PartnerStatus.CERTIFIED).order_by("-pk").first()
    assert partner is not None
    for user, membership, name in [
        (specialist.user, specialist, "require_corrective_action"),
        (director.user, director, "suspend"),
    ]:
        partner_transition(actor=user, membership=membership, partner=partner, name=name, reason="Seal logs.")
    PartnerEvent.objects.filter(partner=partner).update(at=F("at") - timedelta(days=30))
    return partner


@pytest.fixture
def demo(db: None, settings: Any) -> ComplianceDemoSummary:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    catalogue_import()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        demo_build(seed=7, partners=14, areas=[])
        agency = Membership.objects.select_related("user").filter(organization__kind="agency")
        director = agency.filter(role=Role.PROGRAM_DIRECTOR).first()
        specialist = agency.filter(role=Role.SPECIALIST).first()
        assert director is not None and specialist is not None
        _suspend_another(director, specialist)
        return demo_compliance(rng=random.Random(7))


def test_the_demo_shows_every_stage_of_compliance(demo: ComplianceDemoSummary) -> None:
    sanctioned = Partner.objects.filter(
        status__in=[PartnerStatus.CORRECTIVE_ACTION, PartnerStatus.SUSPENDED, PartnerStatus.REMOVED]
    )
    assert ComplianceCase.objects.count() == demo.cases >= sanctioned.count()
    overdue = selectors.agency_worklist().overdue_letters
    assert overdue  # a letter whose deadline was missed
    assert CorrectiveActionPlan.objects.filter(state="accepted").exists()
    assert SanctionRecommendation.objects.filter(state="taken", partner_event__transition="suspend").exists()
    assert SanctionRecommendation.objects.filter(state="taken", partner_event__transition="remove").exists()
    assert Appeal.objects.filter(state="filed").count() == 1
    granted = Appeal.objects.get(state="granted")
    assert granted.decided_by is not None and granted.decided_by.email == SECOND_DIRECTOR_EMAIL
    assert granted.decided_by_id != granted.decision_event.actor_id
    granted.partner.refresh_from_db()
    assert granted.partner.status == PartnerStatus.CORRECTIVE_ACTION  # its status before the suspension
    sources = {d.source for d in open_deadlines()}
    assert {"warning_letter", "corrective_action", "appeal"} <= sources


def test_the_demo_compliance_is_idempotent(demo: ComplianceDemoSummary) -> None:
    counts = (ComplianceCase.objects.count(), Appeal.objects.count())
    again = demo_compliance(rng=random.Random(7))
    assert (again.cases, again.appeals) == (0, 0)
    assert (ComplianceCase.objects.count(), Appeal.objects.count()) == counts
