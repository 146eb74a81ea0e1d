"""In Chromium: a partner's Company Officer reports an incident with a photo; the specialist
triages it and refers it to U.S. Immigration and Customs Enforcement; ICE's liaison reads the
referral (read-only, and nothing else); the specialist closes the incident and the partner sees
it closed. Uses the shared ``browser``, ``portal`` and ``screenshot`` fixtures, with one page per
persona logged in through a session cookie."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.demo.sample_files import sample_pdf
from ctpat.incidents.models import Incident
from tests.conftest import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Screenshot = Callable[[Page, str], Path]
ICE = "U.S. Immigration and Customs Enforcement"


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


@pytest.fixture
def ivy(personas: Personas) -> User:
    """The liaison of another government agency (ICE)."""
    ice = Organization.objects.create(name=ICE, kind=OrganizationKind.GOVERNMENT_AGENCY)
    user = User.objects.create_user(email="ivy@ice.example", password=PASSWORD, full_name="Ivy Liaison")
    Membership.objects.create(user=user, organization=ice, role=Role.LIAISON)
    return user


def form_with_button(page: Page, button: str) -> Any:
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def report(page: Page, screenshot: Screenshot, photo: Path) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Incidents").click()
    page.get_by_role("link", name="Report an incident").click()
    now = timezone.localtime()
    page.get_by_label("Type of incident").select_option(label="Narcotics or other contraband found")
    page.get_by_label("When it happened").fill((now - timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("When it was found").fill((now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where (place)").fill("Otay Mesa crossing, truck lane 3")
    page.get_by_label("Country").fill("US")
    page.get_by_label("Bill of lading").fill("MAEU445566778")
    page.get_by_label("Seal numbers").fill("SL7788990")
    page.get_by_label("What happened", exact=False).first.fill(
        "Packages found behind the trailer's front wall."
    )
    page.locator("#id_evidence").set_input_files(str(photo))
    screenshot(page, "report")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Narcotics or other contraband found")
    expect(page.get_by_test_id("incident-flags")).to_contain_text("Self-reported")
    expect(page.get_by_test_id("evidence")).to_contain_text("seal-photos.pdf")


def triage_and_refer(page: Page, screenshot: Screenshot, reference: str) -> None:
    page.goto("/incidents/")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("self-reported")).to_contain_text("a review, not an automatic suspension")
    triage = form_with_button(page, "Record triage")
    triage.get_by_label("Triage assessment").fill("Self-reported within hours; narcotics: refer to ICE.")
    triage.get_by_role("button", name="Record triage").click()
    expect(page.get_by_test_id("state")).to_have_text("Triaged")
    refer = form_with_button(page, "Refer")
    refer.get_by_label("Government agency").select_option(label=ICE)
    refer.get_by_label("What the referral is for").fill(
        "Narcotics in a trailer at Otay Mesa; the partner cooperates."
    )
    refer.get_by_role("button", name="Refer").click()
    expect(page.get_by_test_id("state")).to_have_text("Referred to a government agency")
    expect(page.get_by_test_id("referrals")).to_contain_text(ICE)
    screenshot(page, "referred")


def liaison_reads(page: Page, screenshot: Screenshot, incident: Incident) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Incident referrals"
    ).click()
    page.get_by_role("link", name=incident.reference).click()
    expect(page.get_by_test_id("read-only")).to_contain_text("Read-only")
    expect(page.get_by_test_id("referral")).to_contain_text("Narcotics in a trailer at Otay Mesa")
    expect(page.get_by_test_id("incident-facts")).to_contain_text("SL7788990")
    expect(page.locator("#main-content form")).to_have_count(0)
    screenshot(page, "liaison")
    # Nothing else: not the incident's own page, not the partner's application.
    assert page.goto(f"/incidents/{incident.pk}/").status == 403  # type: ignore[union-attr]
    assert page.goto(f"/agency/applications/{incident.partner_id}/").status == 403  # type: ignore[union-attr]


def close(page: Page, screenshot: Screenshot, incident: Incident) -> None:
    page.goto(f"/incidents/{incident.pk}/")
    closing = form_with_button(page, "Close incident")
    closing.get_by_label("Reason").fill(
        "ICE took the case over; the partner's corrective actions are adequate."
    )
    closing.get_by_role("button", name="Close incident").click()
    expect(page.get_by_test_id("state")).to_have_text("Closed")
    expect(page.get_by_test_id("decisions")).to_have_count(0)
    screenshot(page, "closed")


def test_incident_reported_triaged_referred_read_by_the_liaison_and_closed(
    personas: Personas, ivy: User, page_for: Callable[[User], Page], screenshot: Screenshot, tmp_path: Path
) -> None:
    photo = tmp_path / "seal-photos.pdf"
    photo.write_bytes(sample_pdf("Seal and front wall photos"))
    alice = page_for(personas.alice)
    report(alice, screenshot, photo)
    incident = Incident.objects.get()
    assert incident.self_reported and incident.reported_by == personas.alice

    sam = page_for(personas.sam)
    triage_and_refer(sam, screenshot, incident.reference)

    liaison_reads(page_for(ivy), screenshot, incident)

    close(sam, screenshot, incident)
    alice.reload()
    expect(alice.get_by_test_id("state")).to_have_text("Closed")
    expect(alice.get_by_test_id("events")).to_contain_text(re.compile("Close"))
    incident.refresh_from_db()
    assert incident.state == "closed"
    assert list(incident.events.values_list("action", flat=True)) == ["report", "triage", "refer", "close"]
