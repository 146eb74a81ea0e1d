"""The demo hook: annual reviews in several stages and best practices for the demo's members."""

from __future__ import annotations

import random

from django.utils import timezone

from ctpat.core.revalidation import ReviewState
from ctpat.membership.demo import demo_membership
from ctpat.membership.models import AnnualReview, ImprovementAction, TrainingRecord
from ctpat.membership.selectors import open_action_dues
from tests.conftest import Personas
from tests.membership.conftest import certify


def test_the_demo_adds_reviews_in_several_stages_and_best_practices(personas: Personas) -> None:
    acme = certify(personas, personas.acme, personas.alice, days_ago=300)  # window open
    beta = certify(personas, personas.beta, personas.erin, days_ago=420)  # window closed unsubmitted
    summary = demo_membership(rng=random.Random(7))

    assert summary.reviews == {"submitted": 1, "missed": 1}
    assert AnnualReview.objects.get(partner=acme).state == ReviewState.SUBMITTED
    missed = AnnualReview.objects.get(partner=beta)
    assert list(missed.events.values_list("action", flat=True)) == ["open", "miss"]
    changed = [
        e.details["changed"] for e in AnnualReview.objects.get(partner=acme).events.filter(action="submit")
    ]
    assert changed[0]["changed"] == 1
    assert TrainingRecord.objects.count() == 4
    assert all(t.evidence_sha256 for t in TrainingRecord.objects.all())
    overdue = [d for d in open_action_dues().values() if d < timezone.localdate()]
    assert len(overdue) == 1
    assert ImprovementAction.objects.count() == 4

    again = demo_membership(rng=random.Random(7))
    assert (again.reviews, again.trainings, again.actions) == ({}, 0, 0)
