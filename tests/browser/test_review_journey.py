"""In Chromium: a supervisor assigns a submitted application; the specialist starts the review,
records every vetting check (one by running the restricted-party screening), writes the
five-step assessment (saved as typed), records the score and recommends certification; the
supervisor agrees; the partner's officer logs in, sees Tier 1 and downloads the certificate.

Uses the shared ``browser`` and ``portal`` fixtures, with one logged-in page per agency persona.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from ctpat.accounts.models import Membership, User
from ctpat.applications.models import Partner
from ctpat.applications.services import application_submit
from ctpat.core.decisions import VettingCheckKind
from ctpat.core.risk import AssessmentStep
from ctpat.review.models import Certificate
from tests.builders import complete_application
from tests.conftest import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Screenshot = Callable[[Page, str], Path]
COMPANY = "Acme Imports LLC"


@pytest.fixture
def page_for(
    browser: Any, live_server: Any, portal: None, settings: Any, tmp_path: Path
) -> Iterator[Callable[[User | None], Page]]:
    """A page logged in as the persona (through a session cookie), or logged out for None."""
    settings.VAR_DIR = tmp_path
    contexts: list[Any] = []

    def open_as(user: User | None) -> Page:
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(15_000)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
            context.add_cookies([cookie])
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def review_step(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Review steps").get_by_role("link", name=name, exact=True).click()


def expect_message(page: Page, text: str) -> None:
    expect(page.locator(".usa-alert").filter(has_text=text).first).to_be_visible()


def submitted_application(personas: Personas) -> Partner:
    acme = complete_application(personas.acme, personas.alice)
    membership = Membership.objects.get(user=personas.alice, organization=acme.organization)
    application_submit(actor=personas.alice, membership=membership, partner=acme)
    return acme


def supervisor_assigns(page: Page, screenshot: Screenshot) -> None:
    page.goto("/")
    page.get_by_role("link", name="Work queues").click()
    unassigned = page.get_by_test_id("unassigned")
    expect(unassigned).to_contain_text(COMPANY)
    unassigned.get_by_role("link", name=COMPANY).click()
    expect(page.get_by_test_id("suggestions")).to_contain_text("Sam")
    expect(page.get_by_test_id("suggestions")).to_contain_text("suggested")
    page.get_by_label("Assign to").select_option(label="Sam")
    page.get_by_label("Note to the specialist (optional)").fill(
        "Importer with CN origins: check the seal logs."
    )
    screenshot(page, "assign")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect_message(page, f"{COMPANY} is assigned to Sam.")
    expect(page.get_by_test_id("assignments")).to_contain_text("Sue")


def specialist_vets(page: Page, screenshot: Screenshot) -> None:
    page.goto("/review/portfolio/")
    page.get_by_test_id("portfolio").get_by_role("link", name=COMPANY).click()
    page.get_by_role("button", name="Start review").click()
    expect_message(page, "Review started.")
    review_step(page, "Vetting")
    page.get_by_role("button", name="Run the restricted-party screening").click()
    expect_message(page, "Restricted-party screening run and recorded.")
    for kind in VettingCheckKind:
        if kind is VettingCheckKind.RESTRICTED_PARTY:
            continue
        form = page.get_by_role("form", name=kind.label)
        form.get_by_label("Result").fill(f"{kind.label}: nothing of concern.")
        form.get_by_role("button", name=f"Record: {kind.label}").click()
        expect_message(page, f"{kind.label} recorded.")
    expect(page.get_by_test_id("vetting-complete")).to_contain_text("Every check has a recorded result.")
    screenshot(page, "vetting")


def specialist_assesses(page: Page, screenshot: Screenshot) -> None:
    review_step(page, "Risk assessment")
    expect(page.get_by_test_id("risk-score")).to_contain_text("Low risk")
    expect(page.get_by_test_id("contributions").first).to_be_visible()
    for step in AssessmentStep:
        box = page.get_by_label(step.label)
        box.fill(f"{step.label}: written for {COMPANY}.")
        expect(page.locator(f"#step-{step.value}-status")).to_contain_text("Saved")
    page.get_by_role("button", name="Record this score").click()
    expect_message(page, "Risk score recorded.")
    expect(page.get_by_test_id("risk-assessed")).to_contain_text(
        "A score is recorded and all five steps are written."
    )
    expect(page.get_by_label(AssessmentStep.ACTION_PLAN.label)).to_have_value(
        f"{AssessmentStep.ACTION_PLAN.label}: written for {COMPANY}."
    )
    screenshot(page, "risk")


def specialist_recommends(page: Page) -> None:
    review_step(page, "Decision")
    page.locator("label", has_text="Certify (Tier 1)").click()
    page.get_by_label("Reasons").fill("Vetting clear, low risk, every Must criterion implemented.")
    page.get_by_role("button", name="Recommend").click()
    expect_message(page, "Recommendation recorded: Certify (Tier 1).")
    expect(page.get_by_test_id("pending")).to_contain_text("Recommended: Certify (Tier 1)")


def supervisor_agrees(page: Page, partner: Partner, screenshot: Screenshot) -> None:
    page.goto(f"/review/applications/{partner.pk}/decision/")
    expect(page.get_by_test_id("pending")).to_contain_text("By Sam")
    page.locator("label", has_text="Agree with the recommendation").click()
    screenshot(page, "decide")
    page.get_by_role("button", name="Record the decision").click()
    expect_message(page, "Decision recorded: Agree with the recommendation.")
    expect(page.get_by_test_id("status")).to_contain_text("Certified (Tier 1)")


def partner_downloads(page: Page, personas: Personas, screenshot: Screenshot, tmp_path: Path) -> bytes:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(personas.alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/application/")
    summary = page.get_by_test_id("standing-summary")
    expect(summary).to_contain_text("Tier 1")
    screenshot(page, "partner-dashboard")
    summary.get_by_role("link", name="Tier and benefits").click()
    expect(page.get_by_test_id("tier")).to_contain_text("Tier 1")
    expect(page.get_by_test_id("benefits")).to_contain_text("Access to FAST lanes")
    certificate = Certificate.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download certificate {certificate.number} (PDF)").click()
    target = tmp_path / "certificate.pdf"
    download.value.save_as(target)
    assert download.value.suggested_filename == f"{certificate.number}.pdf"
    return target.read_bytes()


def test_assign_vet_assess_recommend_certify_and_download(
    personas: Personas, page_for: Callable[[User | None], Page], screenshot: Screenshot, tmp_path: Path
) -> None:
    from ctpat.business_partners.demo import demo_lists_load

    demo_lists_load()
    partner = submitted_application(personas)
    supervisor = page_for(personas.sue)
    supervisor_assigns(supervisor, screenshot)
    specialist = page_for(personas.sam)
    specialist_vets(specialist, screenshot)
    specialist_assesses(specialist, screenshot)
    specialist_recommends(specialist)
    supervisor_agrees(supervisor, partner, screenshot)
    partner.refresh_from_db()
    assert partner.status == "certified"
    pdf = partner_downloads(page_for(None), personas, screenshot, tmp_path)
    assert pdf.startswith(b"%PDF")
