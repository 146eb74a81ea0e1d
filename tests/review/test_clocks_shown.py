"""Every clock the queue pages show, rebuilt from the event rows, gives the same due date and
days left: the pages read no stored date."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ctpat.accounts.models import Organization, User
from ctpat.accounts.roles import OrganizationKind
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import clock_policy
from ctpat.core.clocks import LifecycleEvent, open_clocks
from tests.conftest import Personas

ClientFor = Callable[[User | None], Client]
ROW = re.compile(
    r'data-testid="clock-row" data-partner="(\d+)" data-kind="(\w+)" data-due="([^"]+)" data-days-left="(-?\d+)"'
)


def history(partner: Partner, steps: list[tuple[str, str, str, int]], actor: User) -> None:
    """Event rows as the services write them, dated ``days`` ago."""
    now = timezone.now()
    for transition, source, target, days in steps:
        PartnerEvent.objects.create(
            partner=partner, transition=transition, from_status=source, to_status=target,
            actor=actor, actor_role="supervisor", at=now - timedelta(days=days),
        )  # fmt: skip
        partner.status = target
    partner.save()


def company(name: str, specialist: User | None) -> Partner:
    organization = Organization.objects.create(name=name, kind=OrganizationKind.PARTNER)
    return Partner.objects.create(
        organization=organization, entity_type="importer", legal_name=name, assigned_specialist=specialist
    )


def test_every_clock_on_the_queue_pages_is_rebuilt_from_the_events(
    personas: Personas, client_for: ClientFor
) -> None:
    sam = personas.sam
    overdue = company("Overdue Co", sam)
    history(
        overdue,
        [("submit", "pre_applicant", "applicant", 100), ("start_review", "applicant", "under_review", 95)],
        sam,
    )
    returned = company("Returned Co", sam)
    history(
        returned,
        [
            ("submit", "pre_applicant", "applicant", 60),
            ("return_to_partner", "applicant", "pre_applicant", 40),
            ("submit", "pre_applicant", "applicant", 20),
            ("start_review", "applicant", "under_review", 19),
            ("return_to_partner", "under_review", "pre_applicant", 5),
        ],
        sam,
    )
    unassigned = company("Waiting Co", None)
    history(unassigned, [("submit", "pre_applicant", "applicant", 3)], sam)
    member = company("Member Co", sam)
    history(
        member,
        [
            ("submit", "pre_applicant", "applicant", 400),
            ("start_review", "applicant", "under_review", 390),
            ("certify", "under_review", "certified", 350),
        ],
        sam,
    )
    pages = [
        client_for(personas.sue).get(reverse("review:queues")).content.decode(),
        client_for(sam).get(reverse("review:portfolio")).content.decode(),
    ]
    shown = {(int(p), kind, due, int(days)) for page in pages for p, kind, due, days in ROW.findall(page)}
    now = timezone.now()
    rebuilt = set()
    for partner in (overdue, returned, unassigned, member):
        events = [LifecycleEvent(e.transition, e.at) for e in PartnerEvent.objects.filter(partner=partner)]
        for clock in open_clocks(events, clock_policy()):
            rebuilt.add((partner.pk, clock.kind.value, clock.due, clock.days_left(now)))
    assert {(p, k, datetime.fromisoformat(d), n) for p, k, d, n in shown} == rebuilt
    # Every kind of clock is on the pages: running, overdue, paused and validation.
    assert {(p, k) for p, k, _d, _n in shown} == {
        (overdue.pk, "certification"),
        (returned.pk, "certification"),
        (unassigned.pk, "certification"),
        (member.pk, "validation"),
    }
    days = {p: n for p, k, _d, n in shown}
    assert days[overdue.pk] < 0 < days[member.pk] < 20
    assert "paused, " in pages[0] and "overdue (" in pages[0]


def test_the_board_puts_overdue_clocks_first_and_paused_ones_last(
    personas: Personas, client_for: ClientFor
) -> None:
    sam = personas.sam
    late = company("Late Co", sam)
    history(late, [("submit", "pre_applicant", "applicant", 120)], sam)
    soon = company("Soon Co", sam)
    history(soon, [("submit", "pre_applicant", "applicant", 80)], sam)
    paused = company("Paused Co", sam)
    history(
        paused,
        [
            ("submit", "pre_applicant", "applicant", 130),
            ("return_to_partner", "applicant", "pre_applicant", 100),
        ],
        sam,
    )
    page = client_for(sam).get(reverse("review:queues")).content.decode()
    board = page.split('data-testid="clock-board"')[1]
    order = [int(p) for p, *_rest in ROW.findall(board)]
    assert order == [late.pk, soon.pk, paused.pk]
