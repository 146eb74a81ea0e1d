"""The clock sources of keeping membership: what they list equals a recomputation from the event
rows (the certification and validation events, the reviews' and the actions' own events)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from ctpat.applications.models import Partner, PartnerEvent
from ctpat.core.clocks import LifecycleEvent
from ctpat.core.revalidation import (
    ActionEvent,
    ReviewEventFacts,
    annual_review_clocks,
    full_revalidation_due,
    improvement_action_due,
)
from ctpat.deadlines.registry import open_deadlines, registered_sources
from ctpat.membership import best_practices, services
from ctpat.membership.models import AnnualReview, BestPracticeEvent, ImprovementAction, ReviewEvent
from tests.conftest import Personas
from tests.membership.conftest import membership_of, validate

TZ = timezone.get_default_timezone()


def recomputed_annual(partner: Partner) -> list[tuple[str, datetime, datetime]]:
    certified = PartnerEvent.objects.filter(partner=partner, transition="certify").earliest("at").at
    by_cycle: dict[int, list[ReviewEventFacts]] = {}
    for event in ReviewEvent.objects.filter(review__partner=partner).select_related("review"):
        by_cycle.setdefault(event.review.cycle, []).append(ReviewEventFacts(event.action, event.at))
    clocks = annual_review_clocks(certified, by_cycle, now=timezone.now(), tz=TZ, window_days=90)
    return [(f"partner:{partner.pk}:annual_review:{c.cycle}", c.opens_at, c.due) for c in clocks]


def listed(source: str, partner: Partner) -> list[tuple[str, datetime, datetime]]:
    return [(d.key, d.started, d.due) for d in registered_sources()[source](partner_ids=[partner.pk])]


def test_the_three_sources_are_registered() -> None:
    assert {"annual_review", "full_revalidation", "improvement_action"} <= set(registered_sources())


def test_the_annual_review_deadline_equals_a_recomputation_from_the_event_rows(
    review: AnnualReview, personas: Personas
) -> None:
    partner = review.partner
    (deadline,) = registered_sources()["annual_review"](partner_ids=[partner.pk])
    assert listed("annual_review", partner) == recomputed_annual(partner)
    assert deadline.url == f"/membership/reviews/{review.pk}/"
    assert deadline.recipients == (personas.alice,)
    assert deadline.key in {d.key for d in open_deadlines(partner_ids=[partner.pk])}
    services.review_risk_assessment_save(actor=personas.alice, review=review, text="Done.")
    services.annual_review_submit(
        actor=personas.alice, membership=membership_of(personas.alice), review=review
    )
    assert listed("annual_review", partner) == recomputed_annual(partner) == []
    services.annual_review_return(
        actor=personas.sam, membership=membership_of(personas.sam), review=review, reason="Attach the log."
    )
    assert listed("annual_review", partner) == recomputed_annual(partner) != []


def test_the_deadline_exists_once_the_window_opens_even_before_the_review_is(member: Partner) -> None:
    (_key, started, due) = listed("annual_review", member)[0]
    assert listed("annual_review", member) == recomputed_annual(member)
    assert started <= timezone.now() < due


def test_the_full_revalidation_deadline_equals_a_recomputation(member: Partner, personas: Personas) -> None:
    assert listed("full_revalidation", member) == []  # certified, never validated
    validate(personas, member, days_ago=1400)
    events = [LifecycleEvent(e.transition, e.at) for e in PartnerEvent.objects.filter(partner=member)]
    clock = full_revalidation_due(events, years=4)
    assert clock is not None
    assert listed("full_revalidation", member) == [
        (f"partner:{member.pk}:full_revalidation", clock.last_validated, clock.due)
    ]
    (deadline,) = registered_sources()["full_revalidation"](partner_ids=[member.pk])
    assert deadline.url == f"/validation/partners/{member.pk}/plan/"
    assert deadline.recipients == (personas.sam,)


def test_the_full_revalidation_follows_the_setting(
    member: Partner, personas: Personas, settings: Any
) -> None:
    validate(personas, member, days_ago=10)
    settings.FULL_REVALIDATION_YEARS = 3
    (deadline,) = registered_sources()["full_revalidation"](partner_ids=[member.pk])
    assert deadline.due.year == deadline.started.year + 3


def test_improvement_action_deadlines_equal_a_recomputation(personas: Personas) -> None:
    acme = personas.acme
    first = best_practices.improvement_action_save(
        actor=personas.bob,
        partner=acme,
        data=best_practices.ActionInput(title="Seal cabinet", owner="Maria", due_on=date(2026, 1, 10)),
    )
    second = best_practices.improvement_action_save(
        actor=personas.bob,
        partner=acme,
        data=best_practices.ActionInput(title="Visitor log", owner="Tom", due_on=date(2026, 2, 1)),
    )
    best_practices.improvement_action_save(
        actor=personas.bob,
        partner=acme,
        action=first,
        data=best_practices.ActionInput(title="Seal cabinet", owner="Maria", due_on=date(2026, 3, 5)),
    )
    best_practices.improvement_action_set_status(actor=personas.bob, action=second, status="done")

    def recomputed() -> dict[str, date]:
        events: dict[int, list[ActionEvent]] = {}
        for row in BestPracticeEvent.objects.filter(subject="improvement_action", partner=acme):
            due = date.fromisoformat(row.details["due_on"]) if "due_on" in row.details else None
            events.setdefault(row.subject_id, []).append(ActionEvent(row.action, row.at, due))
        dues = {pk: improvement_action_due(e) for pk, e in events.items()}
        return {f"improvement_action:{pk}": due for pk, due in dues.items() if due is not None}

    deadlines = registered_sources()["improvement_action"](partner_ids=[acme.pk])
    shown = {d.key: (d.due - timedelta(days=1)).date() for d in deadlines}
    assert shown == recomputed() == {f"improvement_action:{first.pk}": date(2026, 3, 5)}
    (deadline,) = registered_sources()["improvement_action"](partner_ids=[acme.pk])
    assert deadline.due == datetime.combine(date(2026, 3, 6), time.min, tzinfo=TZ)
    assert ImprovementAction.objects.get(pk=first.pk).due_on == date(2026, 3, 5)
    best_practices.improvement_action_set_status(actor=personas.bob, action=second, status="open")
    assert len(list(registered_sources()["improvement_action"](partner_ids=[acme.pk]))) == 2
