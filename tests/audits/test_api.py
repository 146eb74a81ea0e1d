"""The audits API against every persona and the government-agency liaisons, partner isolation,
refused input, and a whole request through the API (statuses checked against the live spec)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.audits.models import AuditRequest
from tests.conftest import Personas
from tests.incidents.conftest import ACME, ACME_EDITORS, AGENCY, DECIDERS, PDF, ClientFor
from tests.incidents.test_api import api_table, call, statuses

UserNamed = Callable[[str], User | None]
JSON = "application/json"
READ = api_table(403, **dict.fromkeys((*AGENCY, *ACME), 200), erin=404)


def request_json(personas: Personas, **overrides: Any) -> dict[str, Any]:
    return {
        "partner_id": personas.acme.pk,
        "kind": "documents",
        "subject": "Training records",
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "items": ["Attendance of the last training"],
        **overrides,
    }


def test_reading_endpoints(
    personas: Personas, sent: AuditRequest, user_named: UserNamed, client_for: ClientFor
) -> None:
    assert statuses("get", "/api/audits", user_named, client_for) == api_table(
        403, **dict.fromkeys((*AGENCY, *ACME, "erin"), 200)
    )
    assert statuses("get", f"/api/audits/{sent.pk}", user_named, client_for) == READ
    assert statuses("get", f"/api/audits/{sent.pk}/events", user_named, client_for) == READ
    assert call(client_for(personas.erin), "get", "/api/audits").json() == []


def test_sending(personas: Personas, user_named: UserNamed, client_for: ClientFor) -> None:
    answered = statuses(
        "post", "/api/audits", user_named, client_for, data=request_json(personas), content_type=JSON
    )
    assert answered == api_table(403, **dict.fromkeys(DECIDERS, 201))
    assert AuditRequest.objects.count() == 3


def test_item_steps(
    personas: Personas, sent: AuditRequest, user_named: UserNamed, client_for: ClientFor
) -> None:
    item = sent.items.first()
    assert item is not None
    base = f"/api/audits/{sent.pk}/items/{item.pk}"
    # An empty answer (422 for the editors), accepting an unanswered item (409 for the deciders).
    assert statuses("post", f"{base}/answer", user_named, client_for, data={"text": ""}) == api_table(
        403, **dict.fromkeys(ACME_EDITORS, 422), erin=404
    )
    assert statuses("post", f"{base}/accept", user_named, client_for) == api_table(
        403, **dict.fromkeys(DECIDERS, 409)
    )
    body = {"note": "More."}
    assert statuses(
        "post", f"{base}/ask-again", user_named, client_for, data=body, content_type=JSON
    ) == api_table(403, **dict.fromkeys(DECIDERS, 409))
    assert sent.events.count() == 1


def test_bad_input(personas: Personas, client_for: ClientFor) -> None:
    sam = client_for(personas.sam)
    past = call(
        sam, "post", "/api/audits", data=request_json(personas, deadline="2020-01-01"), content_type=JSON
    )
    assert past.status_code == 422 and past.json()["errors"]["deadline"] == [
        "The deadline must be after today."
    ]
    site = call(sam, "post", "/api/audits", data=request_json(personas, site_access=True), content_type=JSON)
    assert site.status_code == 422 and set(site.json()["errors"]) == {"site", "site_date"}
    assert AuditRequest.objects.count() == 0


def test_a_whole_request_through_the_api(personas: Personas, client_for: ClientFor) -> None:
    sam, alice = client_for(personas.sam), client_for(personas.alice)
    created = call(sam, "post", "/api/audits", data=request_json(personas), content_type=JSON).json()
    item = created["items"][0]
    base = f"/api/audits/{created['id']}/items/{item['id']}"
    answer = call(
        alice,
        "post",
        f"{base}/answer",
        data={"text": "Here.", "documents": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    assert (
        answer.status_code == 200
        and answer.json()["state"] == "answered"
        and answer.json()["deadline"] is None
    )
    document = answer.json()["items"][0]["answers"][0]["documents"][0]
    download = call(
        client_for(personas.dave), "get", f"/api/audits/{created['id']}/documents/{document['id']}"
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        call(
            client_for(personas.erin), "get", f"/api/audits/{created['id']}/documents/{document['id']}"
        ).status_code
        == 404
    )
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    asked = call(
        sam, "post", f"{base}/ask-again", data={"note": "Signatures?", "deadline": later}, content_type=JSON
    )
    assert asked.json()["state"] == "open" and asked.json()["deadline"] == later
    call(alice, "post", f"{base}/answer", data={"text": "Signed copy attached."})
    closed = call(sam, "post", f"{base}/accept").json()
    assert closed["state"] == "closed" and closed["closed_at"] is not None
    events = call(alice, "get", f"/api/audits/{created['id']}/events").json()
    assert [e["action"] for e in events] == ["send", "answer", "ask_again", "answer", "accept", "close"]
