"""The partner's application journey in a real browser, then the specialist's inbox.

A new importer registers, passes the eligibility check, fills in its profile, a contact, its
importer of record number and its business information, answers the security profile (most
answers are saved through the services to keep the test short; two are typed on the page and
saved by the htmx autosave, and one evidence file is uploaded), signs the agreement and submits.
A specialist then finds it in the inbox with its 90-day clock and opens it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Partner, ProfileAnswer
from ctpat.applications.services import AnswerInput, answer_save, security_profile_ensure
from ctpat.core.eligibility import questions_for
from ctpat.core.entity_types import EntityType
from ctpat.criteria.services import catalogue_import
from ctpat.demo.sample_files import sample_pdf

pytestmark = pytest.mark.browser
Screenshot = Callable[[Page, str], Path]

COMPANY = "Harbor Light Imports LLC"
OFFICER_EMAIL = "officer@harborlight.example"
SPECIALIST_EMAIL = "specialist@cbp.example"
PASSWORD = "a-long-browser-test-passphrase"
# Answered on the page, not through the services: the first two Must criteria of category 1.
TYPED_ANSWERS = 2


def step_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Application steps").get_by_role("link", name=name, exact=True)


def form_with_button(page: Page, button: str) -> Locator:
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def expect_message(page: Page, text: str) -> None:
    expect(page.locator(".usa-alert").filter(has_text=text).first).to_be_visible()


def register(page: Page, screenshot: Screenshot) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Register your company").click()
    page.get_by_label("Your full name").fill("Olivia Officer")
    page.get_by_label("Your work e-mail address").fill(OFFICER_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Company legal name").fill(COMPANY)
    page.get_by_label("Entity type").select_option(label="Importer")
    page.get_by_label("Country (ISO code)").fill("US")
    # The USWDS style sheet is served and applied (its primary blue on the button).
    expect(page.get_by_role("button", name="Create account")).to_have_css(
        "background-color", "rgb(0, 94, 162)"
    )
    screenshot(page, "register")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eligibility")


def answer_eligibility(page: Page, screenshot: Screenshot) -> None:
    for question in questions_for(EntityType.IMPORTER):
        # USWDS draws its own box and moves the input off-screen; the label is what people click.
        page.locator("label.usa-checkbox__label", has_text=question.text).click()
        expect(page.get_by_label(question.text)).to_be_checked()
    page.get_by_role("button", name="Check eligibility").click()
    expect(page.get_by_test_id("eligibility-result")).to_contain_text("Eligible")
    screenshot(page, "eligibility")


def fill_company_profile(page: Page) -> None:
    step_link(page, "Company").click()
    page.get_by_label("Street address").fill("1200 Harbor Boulevard")
    page.get_by_label("City").fill("Long Beach")
    page.get_by_label("State or province").fill("CA")
    page.get_by_label("Postal code").fill("90802")
    page.get_by_role("button", name="Save company profile").click()
    expect_message(page, "Company profile saved.")


def add_contact(page: Page) -> None:
    step_link(page, "Contacts").click()
    form = form_with_button(page, "Add contact")
    form.get_by_label("Contact type").select_option(label="Employee")
    form.get_by_label("Full name").fill("Ethan Employee")
    form.get_by_label("E-mail").fill("ethan@harborlight.example")
    form.get_by_role("button", name="Add contact").click()
    expect(page.get_by_test_id("contacts")).to_contain_text("Ethan Employee")


def give_identifier(page: Page) -> None:
    step_link(page, "Identifiers").click()
    expect(page.get_by_test_id("missing-identifiers")).to_contain_text("Importer of record number")
    page.get_by_label("Importer of record number").fill("12-3456789AB")
    page.get_by_role("button", name="Save identifiers").click()
    expect_message(page, "Identifiers saved.")
    expect(page.get_by_test_id("missing-identifiers")).to_have_count(0)


def fill_business_information(page: Page, screenshot: Screenshot) -> None:
    step_link(page, "Business information").click()
    page.locator("label.usa-checkbox__label", has_text="Sea").click()
    page.get_by_role("button", name="Save modes of transport").click()
    expect_message(page, "Modes of transport saved.")

    origin = form_with_button(page, "Add country")
    origin.get_by_label("Country").fill("VN")
    origin.get_by_label("Share of imports (%)").fill("65")
    origin.get_by_role("button", name="Add country").click()
    expect(page.get_by_test_id("origins")).to_contain_text("65")

    facility = form_with_button(page, "Add facility")
    facility.get_by_label("Name").fill("Long Beach distribution center")
    facility.get_by_label("Kind").select_option(label="Warehouse")
    facility.get_by_label("Street address").fill("88 Pier Avenue")
    facility.get_by_label("City").fill("Long Beach")
    # The origin form above has a "Country" field too, so find this one by its name.
    facility.locator("input[name=country]").fill("US")
    facility.get_by_role("button", name="Add facility").click()
    expect(page.get_by_test_id("facilities")).to_contain_text("Long Beach distribution center")
    screenshot(page, "business")


def prefill_answers(partner: Partner, officer: User) -> list[ProfileAnswer]:
    """Answer every criterion through the services except the first Must criteria of category
    1, which the test answers on the page; returns those."""
    profile = security_profile_ensure(partner=partner)
    answers = list(profile.answers.select_related("criterion").order_by("criterion__sort_key"))
    typed = [a for a in answers if a.criterion.category_number == 1 and a.criterion.is_must][:TYPED_ANSWERS]
    for answer in answers:
        if answer not in typed:
            data = AnswerInput(status="implemented", narrative="Written procedure in the security manual.")
            answer_save(actor=officer, partner=partner, answer=answer, data=data)
    return typed


def autosave_answer(page: Page, answer: ProfileAnswer, status: str, narrative: str) -> None:
    """Choose the answer and type the narrative; htmx saves it, and the page says "Saved"."""
    section = page.locator(f"#answer-{answer.pk}")
    section.locator("label.usa-radio__label", has_text=re.compile(f"^{status}$")).click()
    box = section.get_by_label("How the company meets this criterion")
    with page.expect_response(
        lambda r: (
            r.url.endswith(f"/answers/{answer.pk}/") and narrative.split()[-1] in (r.request.post_data or "")
        )
    ) as saved:
        box.press_sequentially(narrative)
    assert saved.value.ok
    expect(section.get_by_test_id("answer-status")).to_contain_text("Saved")


def answer_security_profile(page: Page, partner: Partner, officer: User, screenshot: Screenshot) -> None:
    typed = prefill_answers(partner, officer)
    step_link(page, "Security profile").click()
    page.get_by_role("link", name=re.compile(typed[0].criterion.category_name)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(typed[0].criterion.category_name)
    autosave_answer(page, typed[0], "Implemented", "The Company Officer leads the security program")
    autosave_answer(page, typed[1], "Partly implemented", "Reviewed yearly; the review plan is being written")

    section = page.locator(f"#answer-{typed[0].pk}")
    # USWDS's file input replaces the input's accessible name with "Drag file here or choose
    # from folder", so the label text no longer finds it.
    section.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "security-policy.pdf",
                "mimeType": "application/pdf",
                "buffer": sample_pdf("Security policy"),
            }
        ]
    )
    section.get_by_role("button", name="Upload").click()
    expect_message(page, f"security-policy.pdf attached to {typed[0].criterion.code}.")
    expect(page.locator(f"#answer-{typed[0].pk}").get_by_test_id("evidence")).to_contain_text(
        "security-policy.pdf"
    )
    screenshot(page, "security-profile")
    for answer in typed:
        answer.refresh_from_db()
        assert answer.status and answer.narrative


def sign_and_submit(page: Page, screenshot: Screenshot) -> None:
    step_link(page, "Review & submit").click()
    expect(page.locator(".usa-alert--error")).to_have_count(0)
    page.locator("label.usa-checkbox__label[for=agree]").click()
    page.get_by_role("button", name="Sign the partner agreement").click()
    expect(page.get_by_test_id("agreement-signed")).to_contain_text("Olivia Officer")
    screenshot(page, "review")
    page.get_by_role("button", name="Submit the application").click()
    expect_message(page, "Application submitted.")


def log_out_and_in(page: Page, email: str) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def agency_specialist() -> User:
    agency = Organization.objects.create(
        name="U.S. Customs and Border Protection", kind=OrganizationKind.AGENCY
    )
    specialist = User.objects.create_user(
        email=SPECIALIST_EMAIL, password=PASSWORD, full_name="Sam Specialist"
    )
    Membership.objects.create(user=specialist, organization=agency, role=Role.SPECIALIST)
    return specialist


def test_a_company_applies_and_a_specialist_finds_it_in_the_inbox(page: Page, screenshot: Screenshot) -> None:
    catalogue_import()
    agency_specialist()

    register(page, screenshot)
    answer_eligibility(page, screenshot)
    fill_company_profile(page)
    add_contact(page)
    give_identifier(page)
    fill_business_information(page, screenshot)
    partner = Partner.objects.get(legal_name=COMPANY)
    officer = User.objects.get(email=OFFICER_EMAIL)
    answer_security_profile(page, partner, officer, screenshot)
    sign_and_submit(page, screenshot)
    partner.refresh_from_db()
    assert partner.status == "applicant"
    assert partner.events.get().transition == "submit"

    log_out_and_in(page, SPECIALIST_EMAIL)
    inbox = page.get_by_test_id("inbox")
    row = inbox.get_by_role("row").filter(has_text=COMPANY)
    due = timezone.localdate(partner.events.get().at + timedelta(days=90))
    expect(row).to_contain_text(due.isoformat())
    expect(row.get_by_role("cell").nth(5)).to_have_text(re.compile(r"^\s*(89|90)\s*$"))
    screenshot(page, "inbox")
    row.get_by_role("link", name=COMPANY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY)
    expect(page.get_by_test_id("status")).to_contain_text("Applicant (submitted)")
    screenshot(page, "agency-application")
