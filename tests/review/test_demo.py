"""The review's demo hook: every state of the review appears, and running it twice adds nothing."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.test.utils import override_settings

from ctpat.applications.models import Partner
from ctpat.core.decisions import certificate_number_parts
from ctpat.criteria.services import catalogue_import
from ctpat.demo.services import demo_build
from ctpat.review import selectors
from ctpat.review.demo import demo_review
from ctpat.review.models import (
    Assignment,
    Certificate,
    Recommendation,
    SupervisorDecision,
    Team,
    VettingCheck,
)


@pytest.fixture
def demo(db: None, settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    catalogue_import()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        demo_build(seed=7, partners=14, areas=[])
        return demo_review(rng=random.Random(7))


def test_the_demo_shows_every_state_of_the_review(demo: Any) -> None:
    assert demo.teams == Team.objects.count() == 2
    assert selectors.unassigned_queue()  # some applications wait for assignment
    assert demo.by_state["certify"] and demo.by_state["reject"] and demo.by_state["return_to_partner"]
    assert any(key.startswith("under_review_stage_") for key in demo.by_state)
    # Every certified-or-later partner has its certificate, numbered in order within a year.
    certified = Partner.objects.filter(events__transition="certify").distinct()
    assert Certificate.objects.count() == certified.count() == demo.certificates
    for year in set(Certificate.objects.values_list("year", flat=True)):
        rows = list(Certificate.objects.filter(year=year).order_by("issued_at"))
        assert [certificate_number_parts(c.number)[1] for c in rows] == list(range(1, len(rows) + 1))
    for certificate in Certificate.objects.select_related("partner_event"):
        assert certificate.partner_event is not None and certificate.partner_event.transition == "certify"
    # Every decision taken by the walk is linked to a recommendation and its event.
    for decision in SupervisorDecision.objects.exclude(transition=""):
        assert decision.partner_event is not None
        assert decision.partner_event.transition == decision.transition
    assert Recommendation.objects.filter(kind="return_to_partner", partner_event__isnull=False).exists()
    assert VettingCheck.objects.filter(derogatory=True).exists()  # the rejected one


def test_the_demo_review_is_idempotent(demo: Any) -> None:
    counts = (Assignment.objects.count(), VettingCheck.objects.count(), Certificate.objects.count())
    again = demo_review(rng=random.Random(7))
    assert (again.assignments, again.certificates) == (0, 0)
    assert (Assignment.objects.count(), VettingCheck.objects.count(), Certificate.objects.count()) == counts
