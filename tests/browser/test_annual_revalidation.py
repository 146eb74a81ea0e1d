"""In Chromium: an annual revalidation with one changed answer. Acme was certified 300 days ago, so
its first annual window is open. The Company Officer opens the review, changes one answer,
writes the risk assessment and re-submits; the specialist opens it from the membership queue,
sees the diff highlighting exactly that answer, and accepts. Uses the shared ``browser`` and
``portal`` fixtures, with one logged-in page per persona (through a session cookie)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from ctpat.accounts.models import User
from ctpat.applications.selectors import profile_current
from ctpat.core.revalidation import ReviewState
from ctpat.membership.models import AnnualReview
from tests.browser.conftest import Screenshot
from tests.conftest import Personas
from tests.membership.conftest import certify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDED = "Since March a second guard checks the seal log every Friday."


@pytest.fixture
def page_for(browser: Any, live_server: Any, portal: None) -> Iterator[Callable[[User], Page]]:
    contexts: list[Any] = []

    def open_as(user: User) -> Page:
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


def expect_message(page: Page, text: str) -> None:
    expect(page.locator(".usa-alert").filter(has_text=text).first).to_be_visible()


def test_an_annual_revalidation_with_one_changed_answer(
    personas: Personas, page_for: Callable[[User], Page], screenshot: Screenshot
) -> None:
    acme = certify(personas, personas.acme, personas.alice)
    profile = profile_current(acme)
    assert profile is not None
    answer = profile.answers.select_related("criterion").order_by("criterion__sort_key")[4]
    code = answer.criterion.code

    # The Company Officer opens this year's review from the membership page.
    alice = page_for(personas.alice)
    alice.goto("/membership/")
    expect(alice.get_by_role("heading", level=1)).to_have_text("Keeping membership")
    alice.get_by_role("button", name="Start this year's review").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("Annual review, membership year 1")
    expect(alice.get_by_test_id("no-change")).to_be_visible()
    screenshot(alice, "review-opened")

    # One answer changes; the rest stay as last year.
    alice.get_by_role("link", name=f"Change {code}", exact=True).click()
    expect(alice.get_by_test_id("last-year")).to_contain_text("Documented in our security manual")
    narrative = alice.get_by_label("How the company meets this criterion")
    narrative.fill(f"{answer.narrative} {ADDED}")
    alice.get_by_role("button", name="Save answer").click()
    expect_message(alice, f"Answer to {code} saved.")
    changed = alice.get_by_test_id("diff-changed").get_by_test_id("diff-row")
    expect(changed).to_have_count(1)

    alice.get_by_label("This year's risk assessment").fill(
        "Cargo flow and partners mapped; narcotics threat high on the northern lanes; seal storage fixed."
    )
    alice.get_by_role("button", name="Save the risk assessment").click()
    expect_message(alice, "Risk assessment saved.")
    alice.get_by_role("button", name="Re-submit to the agency").click()
    expect_message(alice, "Annual review re-submitted to the agency.")
    expect(alice.get_by_test_id("review-state")).to_contain_text("Submitted, with the specialist")

    # The specialist sees exactly that answer highlighted, and accepts.
    sam = page_for(personas.sam)
    sam.goto("/membership/agency/")
    sam.get_by_test_id("to-decide").get_by_role("link", name="Acme Imports LLC").click()
    rows = sam.get_by_test_id("diff-changed").get_by_test_id("diff-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-criterion", code)
    expect(rows.first).to_have_attribute("data-kind", "changed")
    expect(rows.first.locator("ins")).to_have_text(f" {ADDED}")
    expect(rows.first).to_have_class("bg-warning-lighter")
    expect(sam.get_by_test_id("diff-summary")).to_contain_text("Answer changed 1")
    screenshot(sam, "specialist-diff")
    sam.get_by_role("button", name="Accept the annual review").click()
    expect_message(sam, "Annual review accepted.")
    expect(sam.get_by_test_id("review-state")).to_contain_text("Accepted")

    review = AnnualReview.objects.get(partner=acme)
    assert review.state == ReviewState.ACCEPTED
    assert profile_current(acme) == review.profile
    assert list(review.events.values_list("action", "actor")) == [
        ("open", personas.alice.pk),
        ("submit", personas.alice.pk),
        ("accept", personas.sam.pk),
    ]
    answer.refresh_from_db()
    assert ADDED not in answer.narrative  # last year's row is untouched
