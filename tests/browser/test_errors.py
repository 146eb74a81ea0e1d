"""What a partner sees when the portal refuses a value: an identifier in the wrong format, and
an evidence file whose content is not what its name says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ctpat.applications.models import Evidence, Identifier
from ctpat.applications.services import partner_register, security_profile_ensure
from ctpat.core.entity_types import EntityType
from ctpat.criteria.services import catalogue_import
from ctpat.demo.sample_files import sample_png

pytestmark = pytest.mark.browser
Screenshot = Callable[[Page, str], Path]

EMAIL = "officer@northwind.example"
PASSWORD = "a-long-browser-test-passphrase"


@pytest.fixture
def logged_in(page: Page) -> Page:
    """The Company Officer of a new exporter, logged in through the log-in page."""
    catalogue_import()
    _user, partner = partner_register(
        email=EMAIL,
        full_name="Nadia Officer",
        password=PASSWORD,
        company_name="Northwind Export Group Inc.",
        entity_type=EntityType.EXPORTER,
        country="US",
    )
    security_profile_ensure(partner=partner)
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Application steps")).to_be_visible()
    return page


def test_an_invalid_identifier_says_what_its_format_is(logged_in: Page, screenshot: Screenshot) -> None:
    page = logged_in
    page.goto("/application/identifiers/")
    page.get_by_label("DUNS number").fill("12345678")
    page.get_by_role("button", name="Save identifiers").click()

    error = page.get_by_role("alert").filter(has_text="A DUNS number is exactly nine digits.")
    expect(error).to_be_visible()
    expect(page.get_by_label("DUNS number")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "identifier-error")
    assert not Identifier.objects.exists()


def test_a_rejected_evidence_upload_says_why(logged_in: Page, screenshot: Screenshot) -> None:
    page = logged_in
    page.goto("/application/security-profile/1/")
    section = page.locator("section.ctpat-answer").first
    # A photo renamed to .pdf: the portal judges the content, not the name.
    section.locator("input[type=file]").set_input_files(
        files=[{"name": "seal-log.pdf", "mimeType": "application/pdf", "buffer": sample_png()}]
    )
    section.get_by_role("button", name="Upload").click()

    error = page.get_by_test_id("evidence-error")
    expect(error).to_contain_text("seal-log.pdf is named .pdf but its content is image/png")
    screenshot(page, "evidence-error")
    assert not Evidence.objects.exists()
