"""Who reaches which partner page: every page and POST endpoint against every persona.

Partner editors (alice, bob, carol for Acme) may read and write; dave reads only (403 on every
POST); agency staff, the liaison and a user without a role get 403; anonymous users are sent to
log in; another company's IDs in a URL are "not found" (erin, and carol acting for Beta).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ctpat.accounts.access import ACTIVE_ORGANIZATION_SESSION_KEY
from ctpat.accounts.models import User
from ctpat.applications.models import Contact, Evidence, Facility, OriginCountry, Partner, ProfileAnswer
from ctpat.applications.services import evidence_add
from tests.conftest import Personas

ClientFor = Callable[[User | None], Client]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PAGES = ["dashboard", "eligibility", "company", "contacts", "identifiers", "business", "profile", "review"]
POSTS = [
    "eligibility",
    "entity_type",
    "company",
    "contact_add",
    "identifiers",
    "transport_modes",
    "origin_add",
    "facility_add",
    "sign",
    "submit",
]
AGENCY_AND_OTHERS = ["sam", "sue", "pat", "rita", "adam", "liam", "nora"]


@pytest.fixture(autouse=True)
def _fast(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def acme_rows(personas: Personas) -> dict[str, int]:
    """One row of every kind hanging off Acme, to aim other people's requests at."""
    acme = personas.acme
    contact = Contact.objects.create(
        partner=acme, contact_type="employee", full_name="Ann", email="ann@acme.test"
    )
    origin = OriginCountry.objects.create(partner=acme, country="CN", share_percent=40)
    facility = Facility.objects.create(
        partner=acme, name="DC", kind="warehouse", street="1 Main", city="Reno", country="US"
    )
    answer = ProfileAnswer.objects.filter(profile__partner=acme).order_by("criterion__sort_key").first()
    assert answer is not None
    upload = SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf")
    evidence = evidence_add(actor=personas.alice, partner=acme, answer=answer, upload=upload)
    return {
        "contact": contact.pk,
        "origin": origin.pk,
        "facility": facility.pk,
        "answer": answer.pk,
        "category": answer.criterion.category_number,
        "evidence": evidence.pk,
    }


def _id_urls(rows: dict[str, int]) -> dict[str, str]:
    return {
        "contact_edit": reverse("applications:contact_edit", args=[rows["contact"]]),
        "origin_edit": reverse("applications:origin_edit", args=[rows["origin"]]),
        "facility_edit": reverse("applications:facility_edit", args=[rows["facility"]]),
        "evidence_download": reverse("applications:evidence_download", args=[rows["evidence"]]),
    }


def _id_posts(rows: dict[str, int]) -> dict[str, str]:
    return {
        "contact_edit": reverse("applications:contact_edit", args=[rows["contact"]]),
        "contact_remove": reverse("applications:contact_remove", args=[rows["contact"]]),
        "origin_edit": reverse("applications:origin_edit", args=[rows["origin"]]),
        "origin_remove": reverse("applications:origin_remove", args=[rows["origin"]]),
        "facility_edit": reverse("applications:facility_edit", args=[rows["facility"]]),
        "facility_remove": reverse("applications:facility_remove", args=[rows["facility"]]),
        "answer_save": reverse("applications:answer_save", args=[rows["answer"]]),
        "evidence_upload": reverse("applications:evidence_upload", args=[rows["answer"]]),
        "evidence_remove": reverse("applications:evidence_remove", args=[rows["evidence"]]),
    }


def _fingerprint(partner: Partner) -> tuple[Any, ...]:
    """Everything a forbidden POST could have changed on a partner's account."""
    partner.refresh_from_db()
    return (
        partner.status,
        partner.legal_name,
        partner.entity_type,
        partner.eligibility_answers,
        partner.transport_modes,
        partner.agreement_signed_at,
        sorted(partner.contacts.values_list("pk", "full_name", "contact_type")),
        sorted(partner.identifiers.values_list("kind", "value")),
        sorted(partner.origin_countries.values_list("pk", "country", "share_percent")),
        sorted(partner.facilities.values_list("pk", "name")),
        sorted(
            ProfileAnswer.objects.filter(profile__partner=partner).values_list("pk", "status", "narrative")
        ),
        Evidence.objects.filter(answer__profile__partner=partner).count(),
        partner.events.count(),
    )


def _forged_body() -> dict[str, Any]:
    return {
        "status": "implemented",
        "narrative": "x",
        "full_name": "Mallory",
        "email": "m@evil.test",
        "contact_type": "company_officer",
        "legal_name": "Hacked",
        "country": "US",
        "share_percent": "10",
        "name": "Evil",
        "kind": "office",
        "street": "x",
        "city": "x",
        "entity_type": "exporter",
        "ein": "12-3456789",
        "transport_modes": ["air"],
        "agree": "on",
        "reason": "x",
    }


def test_partner_pages_by_persona(
    personas: Personas, acme_rows: dict[str, int], client_for: ClientFor
) -> None:
    urls = [reverse(f"applications:{name}") for name in PAGES]
    urls += [reverse("applications:category", args=[acme_rows["category"]]), *_id_urls(acme_rows).values()]
    expected = {"alice": 200, "bob": 200, "carol": 200, "dave": 200, **dict.fromkeys(AGENCY_AND_OTHERS, 403)}
    for name, status in expected.items():
        client = client_for(getattr(personas, name))
        for url in urls:
            assert client.get(url).status_code == status, (name, url)


def test_anonymous_is_sent_to_log_in(
    personas: Personas, acme_rows: dict[str, int], client_for: ClientFor
) -> None:
    client = client_for(None)
    urls = [reverse(f"applications:{name}") for name in PAGES + POSTS]
    urls += [*_id_urls(acme_rows).values(), *_id_posts(acme_rows).values()]
    before = _fingerprint(personas.acme)
    for url in urls:
        for response in (client.get(url), client.post(url, _forged_body())):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url
    assert _fingerprint(personas.acme) == before


def test_read_only_agency_and_others_cannot_post(
    personas: Personas, acme_rows: dict[str, int], client_for: ClientFor
) -> None:
    urls = [reverse(f"applications:{name}") for name in POSTS] + list(_id_posts(acme_rows).values())
    before = _fingerprint(personas.acme)
    for name in ["dave", *AGENCY_AND_OTHERS]:
        client = client_for(getattr(personas, name))
        for url in urls:
            assert client.post(url, _forged_body()).status_code == 403, (name, url)
    assert _fingerprint(personas.acme) == before


def test_read_only_contact_sees_no_edit_controls(
    personas: Personas, acme_rows: dict[str, int], client_for: ClientFor
) -> None:
    editable = ["eligibility", "company", "contacts", "identifiers", "business"]
    pages = [reverse(f"applications:{name}") for name in editable]
    pages.append(reverse("applications:category", args=[acme_rows["category"]]))
    dave, bob = client_for(personas.dave), client_for(personas.bob)
    for url in pages:
        content = dave.get(url).content
        assert b"data-edit-form" not in content, url
        assert b"hx-post" not in content, url
        assert b"data-edit-form" in bob.get(url).content, url
    assert b"Your role is read-only" in dave.get(reverse("applications:dashboard")).content


def _acting_for_beta(personas: Personas, client_for: ClientFor) -> Client:
    client = client_for(personas.carol)
    session = client.session
    session[ACTIVE_ORGANIZATION_SESSION_KEY] = personas.beta.organization_id
    session.save()
    return client


def test_other_company_ids_are_not_found(
    personas: Personas, acme_rows: dict[str, int], client_for: ClientFor
) -> None:
    before = _fingerprint(personas.acme)
    for client in (client_for(personas.erin), _acting_for_beta(personas, client_for)):
        assert b"Beta Freight" in client.get(reverse("applications:dashboard")).content
        for url in _id_urls(acme_rows).values():
            assert client.get(url).status_code == 404, url
        for url in _id_posts(acme_rows).values():
            assert client.post(url, _forged_body()).status_code == 404, url
        category = reverse("applications:category", args=[99])
        assert client.get(category).status_code == 404
    assert _fingerprint(personas.acme) == before
    assert Evidence.objects.count() == 1


def test_consultant_sees_which_company_they_act_for(personas: Personas, client_for: ClientFor) -> None:
    content = client_for(personas.carol).get(reverse("applications:dashboard")).content.decode()
    assert 'data-testid="acting-for"' in content
    assert "Acme Imports LLC" in content
    assert "Beta Freight SA de CV" in content  # offered in the switch list
    beta = _acting_for_beta(personas, client_for).get(reverse("applications:dashboard")).content.decode()
    assert "You are acting for <strong>Beta Freight SA de CV</strong>" in beta
    assert (
        'data-testid="acting-for"'
        not in client_for(personas.alice).get(reverse("applications:dashboard")).content.decode()
    )


def test_pages_with_no_post_refuse_other_methods(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.alice)
    for name in ["entity_type", "contact_add", "transport_modes", "sign", "submit"]:
        assert client.get(reverse(f"applications:{name}")).status_code == 405, name
