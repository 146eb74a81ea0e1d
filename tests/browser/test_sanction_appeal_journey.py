"""In Chromium: the specialist sends Acme a warning letter, its deadline passes (the letter's
event rows are moved back in the setup, not through the pages), the specialist recommends a
suspension, the program director suspends, Acme's Company Officer appeals, and a different
program director grants the appeal: Acme's status and tier are restored.

Uses the shared ``browser`` and ``portal`` fixtures, with one logged-in page per persona."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db.models import F
from django.test import Client

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import partner_tier
from ctpat.compliance.models import ComplianceEvent, WarningLetter
from ctpat.core.sanctions import Subject
from tests.compliance.conftest import membership_of, transition
from tests.conftest import PASSWORD, Personas

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
        cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
        context.add_cookies([cookie])
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def paula(personas: Personas) -> User:
    """A second program director, who decides appeals against Pat's decisions."""
    user = User.objects.create_user(email="paula@example.com", password=PASSWORD, full_name="Paula")
    Membership.objects.create(
        user=user, organization=membership_of(personas.pat).organization, role=Role.PROGRAM_DIRECTOR
    )
    return user


@pytest.fixture
def acme_certified(personas: Personas) -> Partner:
    """Acme certified (Tier 1) a year ago; the application itself is not the point here."""
    acme = personas.acme
    transition(
        acme,
        personas.alice,
        "submit",
        facts={"eligible": True, "profile_complete": True, "agreement_signed": True},
    )
    transition(acme, personas.sam, "start_review")
    transition(acme, personas.sue, "certify", facts={"vetting_complete": True, "risk_assessed": True})
    PartnerEvent.objects.filter(partner=acme).update(at=F("at") - timedelta(days=365))
    acme.refresh_from_db()
    return acme


def test_warning_letter_missed_suspension_appeal_granted(
    personas: Personas,
    paula: User,
    acme_certified: Partner,
    page_for: Callable[[User], Any],
    screenshot: Callable[[Any, str], Path],
) -> None:
    acme = acme_certified
    assert partner_tier(acme).tier == 1

    # The specialist opens a case and sends a warning letter.
    sam = page_for(personas.sam)
    sam.goto(f"/compliance/agency/partners/{acme.pk}/")
    sam.get_by_label("Grounds").fill(
        "Validation found seal logs incomplete at the main warehouse (criterion 6.5)."
    )
    sam.get_by_role("button", name="Open a non-compliance case").click()
    sam.get_by_text("Non-compliance case opened.").wait_for()
    sam.get_by_label("Deficiencies").fill("Seal logs incomplete for the last quarter (criterion 6.5).")
    sam.get_by_label("Required actions").fill("Keep a complete seal log, reviewed weekly by a manager.")
    sam.get_by_label("Days to correct").fill("30")
    sam.get_by_role("button", name="Send the warning letter").click()
    sam.get_by_text("The warning letter was sent to the partner.").wait_for()
    letter = WarningLetter.objects.get()

    # Its 30 days pass with no plan: the letter's event rows are moved back 31 days.
    ComplianceEvent.objects.filter(subject=Subject.LETTER, subject_id=letter.pk).update(
        at=F("at") - timedelta(days=31)
    )
    alice = page_for(personas.alice)
    alice.goto(f"/compliance/letters/{letter.pk}/")
    alice.get_by_text("Deadline missed").wait_for()
    assert "Seal logs incomplete" in alice.get_by_test_id("deficiencies").inner_text()

    # The specialist sees the missed deadline and recommends suspending all benefits.
    sam.reload()
    sam.get_by_test_id("overdue").wait_for()
    sam.locator("#recommend-reasons").fill(
        "The warning letter's deadline passed with no corrective action plan."
    )
    sam.get_by_role("button", name="Recommend", exact=True).click()
    sam.get_by_text("Suspension recommended to the program director.").wait_for()
    screenshot(sam, "recommended")

    # The program director suspends.
    pat = page_for(personas.pat)
    pat.goto(sam.url)
    pat.locator("#sanction-reason").fill(
        "No corrective action plan by the deadline; all benefits are suspended."
    )
    pat.get_by_test_id("sanction-decision").get_by_role("button", name="Record the decision").click()
    pat.get_by_text("The sanction was taken.").wait_for()
    acme.refresh_from_db()
    assert acme.status == "suspended"
    assert partner_tier(acme).tier is None

    # The Company Officer appeals within the 90 days.
    alice.goto("/compliance/")
    alice.get_by_test_id("appeal-window").wait_for()
    alice.get_by_role("link", name="File an appeal").click()
    alice.locator("#appeal-statement").fill("The seal logs were kept at the gate house; copies are attached.")
    alice.get_by_role("button", name="File the appeal").click()
    alice.get_by_text("Your appeal was filed. CBP decides within 180 days.").wait_for()
    appeal_url = alice.url

    # Pat took the decision, so he may not decide the appeal; Paula grants it.
    pat.goto(appeal_url)
    pat.get_by_test_id("separation-of-duties").wait_for()
    director = page_for(paula)
    director.goto(appeal_url)
    director.locator("#appeal-reasons").fill(
        "The gate-house logs meet criterion 6.5; the suspension is lifted."
    )
    director.get_by_role("button", name="Record the decision").click()
    director.get_by_text("The appeal was decided").wait_for()
    assert (director.get_by_test_id("appeal-state").text_content() or "").strip() == "Granted"
    screenshot(director, "granted")

    # Acme is certified again, with its Tier 1.
    acme.refresh_from_db()
    assert acme.status == "certified"
    assert partner_tier(acme).tier == 1
    restore = PartnerEvent.objects.get(partner=acme, transition="restore")
    assert (restore.actor, restore.from_status, restore.to_status) == (paula, "suspended", "certified")
    alice.goto("/application/")
    assert "Certified" in (alice.get_by_test_id("status").text_content() or "")
    alice.get_by_test_id("standing-summary").get_by_text("Tier 1").wait_for()
