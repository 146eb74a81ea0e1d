"""The clock pages: program-wide for the agency, each partner its own; every role tried."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ctpat.accounts.models import Membership, User
from ctpat.applications.models import PartnerEvent
from ctpat.applications.selectors import clock_policy
from ctpat.applications.services import application_submit
from ctpat.core.clocks import LifecycleEvent, open_clocks
from tests.builders import complete_application
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
AGENCY = ["sam", "sue", "pat", "rita", "adam"]
PARTNER_ACME = ["alice", "bob", "carol", "dave"]


@pytest.fixture
def acme_submitted(personas: Personas) -> Personas:
    complete_application(personas.acme, personas.alice)
    membership = Membership.objects.get(user=personas.alice, organization=personas.acme.organization)
    application_submit(actor=personas.alice, membership=membership, partner=personas.acme)
    PartnerEvent.objects.filter(partner=personas.acme).update(at=timezone.now() - timedelta(days=30))
    return personas


@pytest.mark.parametrize("persona", [*AGENCY, *PARTNER_ACME, "erin", "liam", "nora", None])
def test_program_page(
    acme_submitted: Personas, client_for: Callable[[User | None], Client], persona: str | None
) -> None:
    user = getattr(acme_submitted, persona) if persona else None
    response = client_for(user).get(reverse("deadlines:program"))
    expected = 200 if persona in AGENCY else 302 if persona is None else 403
    assert response.status_code == expected
    if expected == 200:
        assert "Acme Imports LLC" in response.content.decode()


@pytest.mark.parametrize("persona", [*PARTNER_ACME, "erin"])
def test_partners_see_only_their_own(
    acme_submitted: Personas, client_for: Callable[[User | None], Client], persona: str
) -> None:
    page = client_for(getattr(acme_submitted, persona)).get(reverse("deadlines:mine")).content.decode()
    assert ("Certification decision" in page) is (persona != "erin")


@pytest.mark.parametrize("persona", ["erin", "liam", "nora"])
def test_others_cannot_open_a_partners_page(
    acme_submitted: Personas, client_for: Callable[[User | None], Client], persona: str
) -> None:
    response = client_for(getattr(acme_submitted, persona)).get(
        reverse("deadlines:partner", args=[acme_submitted.acme.pk])
    )
    assert response.status_code in {403, 404}


def test_the_page_agrees_with_a_recomputation_from_the_event_rows(
    acme_submitted: Personas, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(acme_submitted.sam).get(reverse("deadlines:program"))
    shown = {row["deadline"].key: row["deadline"].due for row in response.context["rows"]}
    events = [
        LifecycleEvent(e.transition, e.at) for e in PartnerEvent.objects.filter(partner=acme_submitted.acme)
    ]
    [clock] = open_clocks(events, clock_policy())
    assert shown[f"partner:{acme_submitted.acme.pk}:certification"] == clock.due
    assert timezone.localtime(clock.due).strftime("%Y-%m-%d") in response.content.decode()
