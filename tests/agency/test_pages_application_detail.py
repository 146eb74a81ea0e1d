"""The agency's read-only view of a whole application, its evidence downloads, and the two
decisions taken from it: start review, and return to the partner with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ctpat.accounts.models import User
from ctpat.applications.models import Evidence, Partner, PartnerEvent, ProfileAnswer
from ctpat.applications.services import agreement_sign, application_submit, evidence_add
from tests.applications.test_pages_submit import complete_application
from tests.conftest import Personas

ClientFor = Callable[[User | None], Client]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AGENCY = ["sam", "sue", "pat", "rita", "adam"]
DECIDERS = ["sam", "sue", "pat"]
OUTSIDERS = ["alice", "bob", "carol", "dave", "erin", "liam", "nora"]


@pytest.fixture(autouse=True)
def _fast(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitted(personas: Personas) -> tuple[Partner, Evidence]:
    """Acme, complete, signed and submitted, with one evidence file."""
    acme = personas.acme
    complete_application(acme)
    answer = ProfileAnswer.objects.filter(profile__partner=acme, criterion__code="3.4").get()
    upload = SimpleUploadedFile("partner-screening.pdf", PDF)
    evidence = evidence_add(actor=personas.alice, partner=acme, answer=answer, upload=upload)
    membership = personas.alice.memberships.get()
    agreement_sign(actor=personas.alice, membership=membership, partner=acme)
    application_submit(actor=personas.alice, membership=membership, partner=acme)
    return acme, evidence


def _urls(partner: Partner, evidence: Evidence) -> dict[str, str]:
    return {
        "detail": reverse("agency:application", args=[partner.pk]),
        "evidence": reverse("agency:evidence", args=[partner.pk, evidence.pk]),
        "start_review": reverse("agency:start_review", args=[partner.pk]),
        "return": reverse("agency:return", args=[partner.pk]),
    }


def test_agency_staff_read_the_whole_application(
    personas: Personas, submitted: tuple[Partner, Evidence], client_for: ClientFor
) -> None:
    acme, evidence = submitted
    urls = _urls(acme, evidence)
    for name in AGENCY:
        client = client_for(getattr(personas, name))
        page = client.get(urls["detail"]).content.decode()
        for text in [
            "Acme Imports LLC",
            "12-3456789AB",
            "Long Beach",
            "Done so.",
            "partner-screening.pdf",
            "submit",
        ]:
            assert text in page, (name, text)
        assert 'data-testid="clocks"' in page
        assert "days left" in page
        assert urls["evidence"] in page
        assert ("Start review" in page) is (name in DECIDERS), name
        download = client.get(urls["evidence"])
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="partner-screening.pdf"'
    assert client_for(personas.sam).get(reverse("agency:inbox")).status_code == 200


def test_others_cannot_reach_agency_pages(
    personas: Personas, submitted: tuple[Partner, Evidence], client_for: ClientFor
) -> None:
    acme, evidence = submitted
    urls = _urls(acme, evidence)
    for name in OUTSIDERS:
        client = client_for(getattr(personas, name))
        assert client.get(reverse("agency:inbox")).status_code == 403, name
        assert client.get(urls["detail"]).status_code == 403, name
        assert client.get(urls["evidence"]).status_code == 403, name
        assert client.post(urls["start_review"]).status_code == 403, name
        assert client.post(urls["return"], {"reason": "x"}).status_code == 403, name
    anonymous = client_for(None)
    for url in urls.values():
        assert anonymous.get(url)["Location"].startswith(reverse("accounts:login"))
        assert anonymous.post(url)["Location"].startswith(reverse("accounts:login"))
    for name in ["rita", "adam"]:  # agency staff who do not decide
        client = client_for(getattr(personas, name))
        assert client.post(urls["start_review"]).status_code == 403
        assert client.post(urls["return"], {"reason": "x"}).status_code == 403
    acme.refresh_from_db()
    assert acme.status == "applicant"
    assert acme.events.count() == 1


def test_unknown_partner_or_evidence_is_not_found(
    personas: Personas, submitted: tuple[Partner, Evidence], client_for: ClientFor
) -> None:
    _acme, evidence = submitted
    sam = client_for(personas.sam)
    assert sam.get(reverse("agency:application", args=[99999])).status_code == 404
    assert sam.get(reverse("agency:evidence", args=[personas.beta.pk, evidence.pk])).status_code == 404
    assert sam.post(reverse("agency:start_review", args=[99999])).status_code == 404


def test_start_review_then_return_to_partner(
    personas: Personas, submitted: tuple[Partner, Evidence], client_for: ClientFor
) -> None:
    acme, evidence = submitted
    urls = _urls(acme, evidence)
    sam = client_for(personas.sam)
    response = sam.post(urls["start_review"], follow=True)
    assert "Review started." in response.content.decode()
    acme.refresh_from_db()
    assert acme.status == "under_review"
    event = PartnerEvent.objects.filter(partner=acme).last()
    assert event is not None
    assert (event.transition, event.actor, event.actor_role) == ("start_review", personas.sam, "specialist")
    # Starting again is refused with the lifecycle's reason.
    response = sam.post(urls["start_review"], follow=True)
    assert "Start review is not possible from the status Under review." in response.content.decode()
    # A return needs a reason.
    sue_client = client_for(personas.sue)
    response = sue_client.post(urls["return"], {"reason": "  "}, follow=True)
    assert "A reason is required." in response.content.decode()
    acme.refresh_from_db()
    assert acme.status == "under_review"
    response = sue_client.post(urls["return"], {"reason": "Describe your seal controls (6.2)."}, follow=True)
    assert "returned to the partner" in response.content.decode()
    acme.refresh_from_db()
    assert acme.status == "pre_applicant"
    assert acme.agreement_signed_at is None
    last = PartnerEvent.objects.filter(partner=acme).last()
    assert last is not None
    assert (last.transition, last.reason) == ("return_to_partner", "Describe your seal controls (6.2).")
    # The partner can edit again and sees the reason in the history; the clock is paused.
    bob = client_for(personas.bob)
    dashboard = bob.get(reverse("applications:dashboard")).content.decode()
    assert "Describe your seal controls (6.2)." in dashboard
    assert "paused" in dashboard
    answer = ProfileAnswer.objects.filter(profile__partner=acme, criterion__code="6.2").first()
    if answer is None:
        answer = ProfileAnswer.objects.filter(profile__partner=acme).first()
    assert answer is not None
    url = reverse("applications:answer_save", args=[answer.pk])
    assert bob.post(url, {"status": "implemented", "narrative": "ISO 17712 H seals."}).status_code == 302
    answer.refresh_from_db()
    assert answer.narrative == "ISO 17712 H seals."
