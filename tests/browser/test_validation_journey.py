"""In Chromium: a partner certified through the real transitions is validated. The specialist
plans the validation with its sites (a foreign site validated by an MRA partner), fills the
worksheet and records findings as he types, sends the report and opens it; the partner
responds; the specialist proposes Tier 2, a supervisor approves, and the partner sees Tier 2."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.applications.models import Partner
from ctpat.applications.selectors import partner_tier
from ctpat.core.lifecycle import PartnerStatus
from ctpat.validation.models import Validation, ValidationSite
from tests.browser.conftest import Screenshot
from tests.conftest import Personas
from tests.validation.conftest import certify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_for(browser: Any, live_server: Any, portal: None) -> Iterator[Callable[[User], Any]]:
    """A page logged in as the persona (through a session cookie)."""
    contexts: list[Any] = []

    def open_as(user: User) -> Any:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(15_000)
        contexts.append(context)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def eventually(check: Callable[[], bool], *, seconds: float = 10) -> None:
    """Wait for what the page saved in the background (htmx) to reach the database."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the page did not save in time"
        time.sleep(0.2)


def site_saved(site: ValidationSite) -> bool:
    site.refresh_from_db()
    observed = site.inspections.get("container_7", {})
    return (
        site.seal_log_kept is True
        and site.seal_class_seen == "H"
        and observed.get("floor", {}).get("result") == "ok"
    )


def test_validation_from_plan_to_tier_two(
    personas: Personas, page_for: Callable[[User], Any], screenshot: Screenshot
) -> None:
    acme = certify(personas, personas.acme, personas.alice)
    acme.facilities.create(
        name="Stuttgart plant", kind="manufacturing", street="Hafenstr. 5", city="Stuttgart", country="DE"
    )
    Partner.objects.filter(pk=acme.pk).update(assigned_specialist=personas.sam)
    today = timezone.localdate().isoformat()

    # The specialist plans the validation; the facilities become its sites.
    sam = page_for(personas.sam)
    sam.goto("/validation/")
    sam.get_by_test_id("to-plan").get_by_role("link", name="Plan validation").click()
    sam.get_by_test_id("validation-clock").wait_for()
    sam.get_by_label("Visits start").fill(today)
    sam.get_by_label("Visits end").fill(today)
    sam.get_by_role("button", name="Plan validation").click()
    sam.get_by_text("Validation planned for Acme Imports LLC.").wait_for()
    validation = Validation.objects.get(partner=acme)

    # The German plant's AEO validation replaces the visit.
    sam.locator("tr[data-site='Stuttgart plant']").get_by_role("link", name="Edit").click()
    sam.get_by_label("Validated by MRA partner").select_option("EU")
    sam.get_by_label("MRA partner's validation reference").fill("AEO-DE-2024-118")
    sam.get_by_role("button", name="Save site").click()
    sam.get_by_text("Validated by an MRA partner").wait_for()

    # The worksheet of the warehouse visit, saved as he types.
    sam.locator("tr[data-site='Main warehouse']").get_by_role("link", name="Worksheet").click()
    sam.get_by_label("Date visited").fill(today)
    sam.get_by_label("What else was seen at the site").fill("Gate guard checks every driver's ID.")
    for point in ("front_wall", "left_side", "floor", "doors_locks"):
        sam.locator(f"label[for='container_7__{point}__result-ok']").click()
    for step in ("view", "verify", "tug", "twist"):
        sam.locator(f"label[for='vvtt_{step}']").click()
    sam.get_by_label("ISO 17712 seal class seen").select_option("H")
    sam.locator("label[for='seal_log_yes']").click()
    sam.get_by_test_id("worksheet-status").get_by_text("Saved").wait_for()
    site = validation.sites.get(name="Main warehouse")
    eventually(lambda: site_saved(site))

    first = sam.locator("section[data-criterion]").first
    first.get_by_label("What was found").fill("Written policy signed by the CEO; staff interviewed knew it.")
    first.get_by_label("Finding").select_option("compliant")
    first.get_by_test_id("finding-status").get_by_text("Saved").wait_for()
    eventually(lambda: validation.findings.filter(narrative__startswith="Written policy").exists())
    screenshot(sam, "worksheet")

    # The report is sent and opened.
    sam.goto(f"/validation/{validation.pk}/")
    sam.get_by_role("button", name="Send the report to the partner").click()
    sam.get_by_text("The report was sent to Acme Imports LLC.").wait_for()
    report_url = sam.get_by_role("link", name="Open the report (PDF)").get_attribute("href")
    report = sam.request.get(report_url)
    assert (
        report.ok
        and report.headers["content-type"] == "application/pdf"
        and report.body().startswith(b"%PDF")
    )

    # The partner reads it and responds.
    alice = page_for(personas.alice)
    alice.goto("/application/")
    alice.get_by_test_id("validation-reports").get_by_role("link", name="respond to the findings").click()
    alice.get_by_text("Written policy signed by the CEO").wait_for()
    alice.get_by_label("Your response to the findings").fill(
        "Thank you; we will keep the policy under yearly review."
    )
    alice.get_by_role("button", name="Send response").click()
    alice.get_by_text("Your response was sent to the agency.").wait_for()

    # The specialist proposes Tier 2; a supervisor approves.
    sam.goto(f"/validation/{validation.pk}/")
    sam.get_by_text("we will keep the policy under yearly review").wait_for()
    sam.locator("label[for='outcome-tier_2']").click()
    sam.get_by_role("button", name="Propose the decision").click()
    sam.get_by_text("Decision proposed; a supervisor approves it.").wait_for()
    assert sam.get_by_role("button", name="Approve the decision").count() == 0

    sue = page_for(personas.sue)
    sue.goto(f"/validation/{validation.pk}/")
    sue.get_by_role("button", name="Approve the decision").click()
    sue.get_by_test_id("decision").get_by_text("Validated — Tier 2 (meets the criteria)").wait_for()
    screenshot(sue, "decided")
    sue.goto("/validation/dashboard/")
    sue.get_by_test_id("headline").wait_for()
    screenshot(sue, "dashboard")

    alice.goto(f"/validation/reports/{validation.pk}/")
    alice.get_by_test_id("tier").get_by_text("Tier 2").wait_for()
    alice.get_by_test_id("decision").get_by_text("Validated — Tier 2").wait_for()
    screenshot(alice, "partner-sees-tier-2")
    assert Partner.objects.get(pk=acme.pk).status == PartnerStatus.VALIDATED
    assert partner_tier(acme).tier == 2
