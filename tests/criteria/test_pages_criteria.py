"""The catalogue page: every logged-in role reads it; filters and both groupings work."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ctpat.accounts.models import User
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
EVERYONE = ["alice", "bob", "carol", "dave", "erin", "sam", "sue", "pat", "rita", "adam", "liam", "nora"]


@pytest.mark.parametrize("persona", EVERYONE)
def test_every_logged_in_user_reads_the_catalogue(
    personas: Personas, client_for: Callable[[User | None], Client], persona: str
) -> None:
    response = client_for(getattr(personas, persona)).get(reverse("criteria:list"))
    assert response.status_code == 200
    assert "Minimum Security Criteria" in response.content.decode()


def test_anonymous_is_sent_to_login(catalogue: None) -> None:
    assert Client().get(reverse("criteria:list")).status_code == 302


def test_filter_by_entity_type_drops_criteria_that_do_not_apply(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas.sam)
    everything = client.get(reverse("criteria:list")).context["count"]
    brokers = client.get(reverse("criteria:list"), {"entity_type": "customs_broker"}).context["count"]
    assert brokers < everything
    bogus = client.get(reverse("criteria:list"), {"entity_type": "<script>"})
    assert bogus.context["count"] == everything


def test_group_by_program_area_shows_the_six_areas(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(personas.alice).get(reverse("criteria:list"), {"group": "area"})
    titles = [title for title, _items in response.context["groups"]]
    assert titles == [
        "Physical security",
        "Personnel security",
        "Procedural security",
        "Information security",
        "Physical access controls",
        "IT security",
    ]
