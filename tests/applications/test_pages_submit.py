"""Review & submit: the completeness check, the partner agreement (Company Officer only), the
submission, and an application that refuses every edit once it is with the agency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ctpat.accounts.models import User
from ctpat.applications.models import Contact, Facility, Identifier, OriginCountry, Partner, ProfileAnswer
from tests.conftest import Personas

ClientFor = Callable[[User | None], Client]


@pytest.fixture(autouse=True)
def _fast(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


def complete_application(partner: Partner) -> None:
    """Fill an importer's application so that nothing is missing (test data, written directly)."""
    partner.eligibility_answers = {"all": True}
    partner.eligible = True
    partner.street, partner.city = "1 Harbor Way", "Long Beach"
    partner.transport_modes = ["sea"]
    partner.save()
    Contact.objects.create(
        partner=partner, contact_type="company_officer", full_name="Alice", email="alice@example.com"
    )
    Identifier.objects.create(partner=partner, kind="importer_of_record", value="12-3456789AB")
    OriginCountry.objects.create(partner=partner, country="CN", share_percent=80)
    Facility.objects.create(
        partner=partner, name="DC", kind="warehouse", street="2 Dock", city="Reno", country="US"
    )
    ProfileAnswer.objects.filter(profile__partner=partner).update(status="implemented", narrative="Done so.")


def _texts(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_completeness_gaps_are_listed_with_links(personas: Personas, client_for: ClientFor) -> None:
    page = client_for(personas.bob).get(reverse("applications:review")).content.decode()
    assert "Complete the eligibility check for your entity type." in page
    assert "Name at least one Company Officer as a contact." in page
    assert "Importer of record number is required." in page
    assert "This Must criterion has no answer." in page
    assert reverse("applications:identifiers") in page
    assert "/security-profile/3/#answer-" in page
    dashboard = client_for(personas.bob).get(reverse("applications:dashboard")).content.decode()
    assert 'data-testid="gaps"' in dashboard
    assert "usa-step-indicator" in dashboard
    assert 'data-testid="progress"' in dashboard


def test_na_without_reason_is_a_gap(personas: Personas, client_for: ClientFor) -> None:
    complete_application(personas.acme)
    answer = ProfileAnswer.objects.filter(profile__partner=personas.acme, criterion__code="3.4").get()
    client_for(personas.bob).post(
        reverse("applications:answer_save", args=[answer.pk]), {"status": "not_applicable"}
    )
    page = client_for(personas.bob).get(reverse("applications:review")).content.decode()
    assert "3.4: Say why this criterion does not apply." in page


def test_only_the_company_officer_signs_and_submits(personas: Personas, client_for: ClientFor) -> None:
    complete_application(personas.acme)
    bob, alice = client_for(personas.bob), client_for(personas.alice)
    assert "Sign the partner agreement" not in bob.get(reverse("applications:review")).content.decode()
    response = bob.post(reverse("applications:sign"), {"agree": "on"}, follow=True)
    assert "Only a Company Officer of the company may sign the partner agreement." in _texts(response)
    response = bob.post(reverse("applications:submit"), follow=True)
    assert "Only a Company Officer may submit the application." in _texts(response)
    personas.acme.refresh_from_db()
    assert personas.acme.agreement_signed_at is None
    assert personas.acme.status == "pre_applicant"
    # Alice: submitting unsigned gives the reason; signing needs the box ticked.
    response = alice.post(reverse("applications:submit"), follow=True)
    assert "The Company Officer must sign the partner agreement." in _texts(response)
    response = alice.post(reverse("applications:sign"), {}, follow=True)
    assert "Tick the box" in _texts(response)
    review = alice.get(reverse("applications:review")).content.decode()
    assert 'data-testid="agreement-text"' in review
    assert alice.post(reverse("applications:sign"), {"agree": "on"}).status_code == 302
    response = alice.post(reverse("applications:submit"), follow=True)
    assert "Application submitted" in _texts(response)
    personas.acme.refresh_from_db()
    assert personas.acme.status == "applicant"
    assert personas.acme.events.get().transition == "submit"
    assert "days left" in response.content.decode()


def test_submit_refused_with_every_reason(personas: Personas, client_for: ClientFor) -> None:
    response = client_for(personas.alice).post(reverse("applications:submit"), follow=True)
    text = _texts(response)
    assert "The company must pass the eligibility check for its entity type." in text
    assert "The application is not complete: see the completeness check." in text
    assert "The Company Officer must sign the partner agreement." in text
    assert not personas.acme.events.exists()


def test_after_submission_every_edit_is_refused(personas: Personas, client_for: ClientFor) -> None:
    from tests.applications.test_pages_access import _fingerprint

    complete_application(personas.acme)
    alice = client_for(personas.alice)
    alice.post(reverse("applications:sign"), {"agree": "on"})
    alice.post(reverse("applications:submit"))
    contact = Contact.objects.get(partner=personas.acme)
    answer = ProfileAnswer.objects.filter(profile__partner=personas.acme).first()
    assert answer is not None
    before = _fingerprint(personas.acme)
    bob = client_for(personas.bob)
    posts: list[tuple[str, dict[str, Any]]] = [
        (reverse("applications:company"), {"legal_name": "Changed", "country": "US"}),
        (reverse("applications:eligibility"), {}),
        (reverse("applications:entity_type"), {"entity_type": "exporter"}),
        (
            reverse("applications:contact_add"),
            {"contact_type": "employee", "full_name": "X", "email": "x@x.test"},
        ),
        (reverse("applications:contact_remove", args=[contact.pk]), {}),
        (reverse("applications:identifiers"), {}),
        (reverse("applications:transport_modes"), {"transport_modes": ["air"]}),
        (reverse("applications:origin_add"), {"country": "VN", "share_percent": "5"}),
        (reverse("applications:answer_save", args=[answer.pk]), {"status": "partly"}),
        (
            reverse("applications:evidence_upload", args=[answer.pk]),
            {"file": SimpleUploadedFile("a.csv", b"a,b\n")},
        ),
        (reverse("applications:sign"), {"agree": "on"}),
        (reverse("applications:submit"), {}),
    ]
    for url, body in posts:
        response = bob.post(url, body, follow=True)
        assert response.status_code == 200, url
        assert "cannot be changed until the agency returns it" in _texts(response), url
    htmx = bob.post(
        reverse("applications:answer_save", args=[answer.pk]), {"status": "partly"}, HTTP_HX_REQUEST="true"
    )
    assert htmx["HX-Redirect"] == reverse("applications:dashboard")
    assert _fingerprint(personas.acme) == before
    for name in ["company", "contacts", "identifiers", "business", "eligibility", "review"]:
        page = bob.get(reverse(f"applications:{name}")).content.decode()
        assert "data-edit-form" not in page, name
        assert 'data-testid="read-only-note"' in page, name
    category = bob.get(
        reverse("applications:category", args=[answer.criterion.category_number])
    ).content.decode()
    assert "hx-post" not in category
