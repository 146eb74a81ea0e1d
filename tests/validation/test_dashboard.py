"""The agency dashboard: its numbers (derived from statuses, events and open validations), the
rules for clocks at risk and the quarter, its charts with their numbers, and who may see it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.applications.models import PartnerEvent
from ctpat.applications.services import application_submit
from ctpat.core.clocks import Clock, ClockKind
from ctpat.validation.dashboard import agency_dashboard, clock_at_risk, quarter_bounds
from tests.builders import complete_application
from tests.conftest import Personas
from tests.validation.conftest import Stages, membership_of

ClientFor = Callable[[User | None], Client]
NOW = timezone.now()


def test_quarter_bounds() -> None:
    assert quarter_bounds(date(2026, 1, 1)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_bounds(date(2026, 5, 17)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert quarter_bounds(date(2026, 12, 31)) == (date(2026, 10, 1), date(2026, 12, 31))


def _clock(kind: ClockKind, paused: bool = False) -> Clock:
    return Clock(kind, NOW, NOW + timedelta(days=30), NOW if paused else None)


def test_clock_at_risk_thresholds() -> None:
    certification, validation = _clock(ClockKind.CERTIFICATION), _clock(ClockKind.VALIDATION)
    assert [clock_at_risk(certification, d) for d in (-3, 14, 15)] == [True, True, False]
    assert [clock_at_risk(validation, d) for d in (-1, 60, 61)] == [True, True, False]
    assert not clock_at_risk(_clock(ClockKind.CERTIFICATION, paused=True), 3)


def test_the_numbers(personas: Personas, stages: Stages) -> None:
    # Acme certified 330 days ago (validation due in ~35 days, planned by Sam); Beta submitted
    # 80 days ago (certification due in ~10 days) and assigned to Sam.
    PartnerEvent.objects.filter(partner=personas.acme, transition="certify").update(
        at=NOW - timedelta(days=330)
    )
    stages.planned()
    beta = complete_application(personas.beta, personas.erin)
    application_submit(actor=personas.erin, membership=membership_of(personas.erin), partner=beta)
    PartnerEvent.objects.filter(partner=beta, transition="submit").update(at=NOW - timedelta(days=80))
    type(beta).objects.filter(pk=beta.pk).update(assigned_specialist=personas.sam)

    board = agency_dashboard()
    assert dict(board.by_status)["certified"] == 1 and dict(board.by_status)["applicant"] == 1
    assert board.open_applications == 1
    at_risk = {(r.partner.legal_name, r.clock.kind.value): r.days_left for r in board.clocks_at_risk}
    assert set(at_risk) == {(beta.legal_name, "certification"), (personas.acme.legal_name, "validation")}
    assert 9 <= at_risk[(beta.legal_name, "certification")] <= 10
    acme_row = next(r for r in board.clocks_at_risk if r.partner == personas.acme)
    assert acme_row.validation is not None
    workload = {w.specialist: (w.applications, w.validations) for w in board.workload}
    assert workload[personas.sam] == (1, 1)
    assert dict(board.by_tier) == {"Tier 1": 1, "Tier 2": 0, "Tier 3": 0}
    assert {t.value: (n, m) for t, n, m in board.by_entity_type} == {
        "importer": (1, 1),
        "highway_carrier": (1, 0),
    }
    quarter = board.quarter
    due = timezone.localdate(acme_row.clock.due)
    assert (acme_row in board.due_this_quarter) == (quarter[0] <= due <= quarter[1])


def test_the_page_draws_charts_with_their_numbers(
    personas: Personas, client_for: ClientFor, stages: Stages
) -> None:
    stages.planned()
    html = client_for(personas.rita).get(reverse("validation:dashboard")).content.decode()
    assert html.count('data-testid="chart"') == 4
    for title in (
        "Partner accounts by status",
        "Workload per specialist",
        "Partners by entity type",
        "Members by tier",
    ):
        assert title in html
    assert "Show the numbers" in html
    assert 'data-testid="clocks-at-risk"' in html and 'data-testid="due-this-quarter"' in html
