"""Every audit request page against every persona and the government-agency liaisons, the
partner's isolation, and the forms (bad input explained, nothing written)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.audits import services
from ctpat.audits.models import AuditRequest
from tests.audits.conftest import send
from tests.conftest import Personas
from tests.incidents.conftest import (
    ACME,
    ACME_EDITORS,
    AGENCY,
    DECIDERS,
    EVERYONE,
    PDF,
    ClientFor,
    membership_of,
    table,
)

UserNamed = Callable[[str], User | None]
LIST = table(403, **dict.fromkeys((*AGENCY, *ACME, "erin"), 200))
READ = table(403, **dict.fromkeys((*AGENCY, *ACME), 200), erin=404)
SEND = table(403, **dict.fromkeys(DECIDERS, 200))
ANSWER = table(403, **dict.fromkeys(ACME_EDITORS, 422), erin=404)


def statuses(
    method: str, url: str, user_named: UserNamed, client_for: ClientFor, data: dict[str, str] | None = None
) -> dict[str, int]:
    answered = {}
    for name in EVERYONE:
        client = client_for(user_named(name))
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        answered[name] = response.status_code
    return answered


def answered(personas: Personas) -> AuditRequest:
    audit_request = send(personas)
    for item in audit_request.items.all():
        services.audit_item_answer(
            actor=personas.alice,
            membership=membership_of(personas.alice),
            audit_request=audit_request,
            item=item,
            text="Attached.",
            uploads=[SimpleUploadedFile("log.pdf", PDF)],
        )
    return audit_request


def test_list_send_and_detail_pages(
    personas: Personas, sent: AuditRequest, user_named: UserNamed, client_for: ClientFor
) -> None:
    assert statuses("get", "/audits/", user_named, client_for) == LIST
    assert statuses("get", f"/audits/send/{personas.acme.pk}/", user_named, client_for) == SEND
    assert statuses("get", f"/audits/{sent.pk}/", user_named, client_for) == READ
    assert client_for(personas.sam).get("/audits/send/999999/").status_code == 404


def test_documents(personas: Personas, user_named: UserNamed, client_for: ClientFor) -> None:
    audit_request = answered(personas)
    document = audit_request.items.first().answers.get().documents.get()  # type: ignore[union-attr]
    assert (
        statuses("get", f"/audits/{audit_request.pk}/documents/{document.pk}/", user_named, client_for)
        == READ
    )


def test_answering_is_for_the_partners_editors(
    sent: AuditRequest, user_named: UserNamed, client_for: ClientFor
) -> None:
    item = sent.items.first()
    assert item is not None
    # An empty answer: editors are told what is missing (422); nothing is written.
    assert statuses("post", f"/audits/{sent.pk}/items/{item.pk}/answer/", user_named, client_for) == ANSWER
    assert sent.events.count() == 1


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        # The first decider's acceptance is taken; the next find the item accepted already (422).
        ("accept", table(403, sam=302, sue=422, pat=422)),
        # An empty "ask again": the deciders are told what is missing (422).
        ("ask-again", table(403, **dict.fromkeys(DECIDERS, 422))),
    ],
)
def test_reviewing_is_for_the_agency_deciders(
    personas: Personas, user_named: UserNamed, client_for: ClientFor, action: str, expected: dict[str, int]
) -> None:
    audit_request = answered(personas)
    item = audit_request.items.order_by("number").first()
    assert item is not None
    url = f"/audits/{audit_request.pk}/items/{item.pk}/{action}/"
    assert statuses("post", url, user_named, client_for) == expected


def test_the_agency_sends_on_the_page_and_bad_input_is_explained(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.sue)
    url = f"/audits/send/{personas.acme.pk}/"
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    past = client.post(
        url, {"kind": "audit", "subject": "Visit", "items": "Cameras", "deadline": "2020-01-01"}
    )
    assert past.status_code == 422 and "The deadline must be after today." in past.content.decode()
    no_site = client.post(
        url,
        {"kind": "audit", "subject": "Visit", "items": "Cameras", "deadline": deadline, "site_access": "on"},
    )
    assert no_site.status_code == 422 and "Say which site" in no_site.content.decode()
    assert AuditRequest.objects.count() == 0
    data = {"kind": "audit", "subject": "Visit", "items": "Cameras\n\nSeal log\n", "deadline": deadline}
    response = client.post(url, data)
    audit_request = AuditRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/audits/{audit_request.pk}/"
    assert list(audit_request.items.values_list("description", flat=True)) == ["Cameras", "Seal log"]


def test_the_partner_answers_on_the_page(
    personas: Personas, sent: AuditRequest, client_for: ClientFor
) -> None:
    client = client_for(personas.bob)
    item = sent.items.order_by("number").first()
    assert item is not None
    url = f"/audits/{sent.pk}/items/{item.pk}/answer/"
    program = SimpleUploadedFile("log.pdf", b"MZ\x90\x00" + bytes(100))
    refused = client.post(url, {f"item-{item.pk}-text": "x", f"item-{item.pk}-documents": [program]})
    assert refused.status_code == 422 and "not an allowed type" in refused.content.decode()
    ok = client.post(
        url,
        {
            f"item-{item.pk}-text": "Attached.",
            f"item-{item.pk}-documents": [SimpleUploadedFile("log.pdf", PDF)],
        },
    )
    assert ok.status_code == 302
    page = client.get(f"/audits/{sent.pk}/").content.decode()
    assert "Attached." in page and "log.pdf" in page


def test_overdue_requests_are_flagged_on_the_lists(
    personas: Personas, sent: AuditRequest, client_for: ClientFor
) -> None:
    event = sent.events.get(action="send")
    event.details = {**event.details, "deadline": (timezone.localdate() - timedelta(days=1)).isoformat()}
    event.save()
    for user in (personas.sam, personas.alice):
        page = client_for(user).get("/audits/").content.decode()
        assert 'data-testid="overdue"' in page
    detail = client_for(personas.alice).get(f"/audits/{sent.pk}/").content.decode()
    assert 'data-testid="overdue"' in detail
    dashboard = client_for(personas.alice).get("/application/").content.decode()
    assert sent.reference in dashboard


def test_the_agency_page_links_to_sending(personas: Personas, client_for: ClientFor) -> None:
    page = client_for(personas.sam).get(f"/agency/applications/{personas.acme.pk}/").content.decode()
    assert f'href="/audits/send/{personas.acme.pk}/"' in page
    readonly = client_for(personas.rita).get(f"/agency/applications/{personas.acme.pk}/").content.decode()
    assert f'href="/audits/send/{personas.acme.pk}/"' not in readonly
