"""In Chromium: a targeting analyst opens the targeting figures (charts drawn) and the model page;
a partner's Company Officer opens "My examinations". The data is the demo hook's, kept small."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Identifier, PartnerEvent
from ctpat.declarations.demo import DEMO_MODEL_NAME, demo_declarations
from tests.browser.conftest import Screenshot
from tests.conftest import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_for(
    browser: Any, live_server: Any, portal: None, settings: Any, tmp_path: Path
) -> Iterator[Callable[[User], Any]]:
    """A page logged in as the persona (through a session cookie); models stored under tmp."""
    settings.VAR_DIR = tmp_path
    contexts: list[Any] = []

    def open_as(user: User) -> Any:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(15_000)
        contexts.append(context)
        cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
        context.add_cookies([cookie])
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def demo_targeting(personas: Personas) -> User:
    """Acme is a Tier 2 member with an importer-of-record number; three months of demo
    declarations are scored. Returns Tina, a targeting analyst."""
    Identifier.objects.create(partner=personas.acme, kind="importer_of_record", value="12-3456789AB")
    for transition, day, details in (("certify", 2, {}), ("validate", 3, {"tier": 2})):
        PartnerEvent.objects.create(
            partner=personas.acme,
            transition=transition,
            from_status="x",
            to_status="y",
            actor_role="specialist",
            details=details,
            at=datetime(2024, 1, day, tzinfo=UTC),
        )
    demo_declarations(rng=random.Random(3), months=3, per_month=200, today=date(2024, 6, 20))
    tina = User.objects.create_user(email="tina@example.com", password=PASSWORD, full_name="Tina")
    agency = Organization.objects.get(kind=OrganizationKind.AGENCY)
    Membership.objects.create(user=tina, organization=agency, role=Role.TARGETING_ANALYST)
    return tina


def test_analyst_and_partner_pages(
    personas: Personas, demo_targeting: User, page_for: Callable[[User], Any], screenshot: Screenshot
) -> None:
    analyst = page_for(demo_targeting)
    analyst.goto("/criteria/")
    analyst.get_by_role("link", name="Targeting", exact=True).click()
    expect(analyst.get_by_role("heading", name="Declaration targeting", level=1)).to_be_visible()
    expect(analyst.get_by_test_id("synthetic-notice")).to_be_visible()
    charts = analyst.get_by_test_id("chart")
    expect(charts).to_have_count(5)
    for index in range(5):
        expect(charts.nth(index).locator("svg")).to_be_visible()
    expect(charts.first.locator("rect").first).to_be_attached()
    expect(analyst.get_by_test_id("tier-rates")).to_contain_text("Tier 2")
    expect(analyst.get_by_test_id("months")).to_contain_text("2024-06")
    screenshot(analyst, "analysis")

    analyst.get_by_role("link", name="The targeting models").click()
    expect(analyst.get_by_role("heading", name=DEMO_MODEL_NAME)).to_be_visible()
    expect(analyst.get_by_test_id("model-metrics")).to_contain_text("10%")
    expect(analyst.get_by_test_id("top-features").locator("li").first).to_be_visible()
    expect(analyst.get_by_text("kcs_train.csv")).to_be_visible()
    screenshot(analyst, "models")

    alice = page_for(personas.alice)
    alice.goto("/criteria/")
    alice.get_by_role("link", name="My examinations", exact=True).click()
    expect(alice.get_by_role("heading", name="My examinations", level=1)).to_be_visible()
    expect(alice.get_by_test_id("my-figures")).to_contain_text("of your")
    rows = alice.get_by_test_id("my-declarations").locator("tbody tr")
    expect(rows.first).to_be_visible()
    expect(alice.get_by_test_id("synthetic-notice")).to_be_visible()
    screenshot(alice, "my-examinations")
