"""The audit request services: sending (bad input writes nothing), answering item by item
(a refused file writes nothing), accepting or asking again, closing once every item is accepted,
the event rows and notifications, and the deadline recomputed from the event rows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.audits import selectors, services
from ctpat.audits.models import AuditAnswer, AuditDocument, AuditEvent, AuditItem, AuditRequest
from ctpat.core.audit_rules import AuditStepError, AuditStepRecord, audit_clock
from ctpat.core.incident_rules import end_of_day
from ctpat.deadlines.registry import open_deadlines, registered_sources
from ctpat.notifications.models import Notification
from tests.audits.conftest import request_input, send
from tests.conftest import Personas
from tests.incidents.conftest import PDF, membership_of


def notified(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("subject", flat=True))


def as_user(user: User, audit_request: AuditRequest) -> dict[str, Any]:
    return {"actor": user, "membership": membership_of(user), "audit_request": audit_request}


def test_sending_makes_items_a_site_access_item_an_event_and_tells_the_officers(
    personas: Personas, sent: AuditRequest
) -> None:
    items = list(sent.items.order_by("number"))
    assert [i.number for i in items] == [1, 2, 3]
    assert items[2].is_site_access and "Newark warehouse, dock 2" in items[2].description
    assert sent.state == "open"
    event = sent.events.get()
    assert (event.action, event.from_state, event.to_state, event.actor) == ("send", "", "open", personas.sam)
    assert event.details == {"items": [i.pk for i in items], "deadline": sent.deadline.isoformat()}
    assert notified(personas.alice) == ["Document request from CBP: Seal controls, first quarter"]
    assert notified(personas.bob) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deadline": timezone.localdate()}, "deadline"),
        ({"deadline": None}, "deadline"),
        ({"items": ["", " "]}, "items"),
        ({"subject": ""}, "subject"),
        ({"kind": "raid"}, "kind"),
        ({"site_access": True, "site": "Dock", "site_date": None}, "site_date"),
        ({"site_access": True, "site": "", "site_date": timezone.localdate() + timedelta(days=3)}, "site"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(
    personas: Personas, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        send(personas, **overrides)
    assert field in refused.value.message_dict
    assert AuditRequest.objects.count() == AuditItem.objects.count() == AuditEvent.objects.count() == 0
    assert Notification.objects.count() == 0


def test_only_agency_deciders_send(personas: Personas) -> None:
    for user in (personas.alice, personas.rita):
        with pytest.raises(PermissionDenied):
            services.audit_request_send(
                actor=user, membership=membership_of(user), partner=personas.acme, data=request_input()
            )


def test_answer_review_and_close(personas: Personas, sent: AuditRequest) -> None:
    first, second, site = sent.items.order_by("number")
    alice, sam = as_user(personas.alice, sent), as_user(personas.sam, sent)
    services.audit_item_answer(
        **alice, item=first, text="Attached.", uploads=[SimpleUploadedFile("log.pdf", PDF)]
    )
    services.audit_item_answer(
        **alice, item=second, text="", uploads=[SimpleUploadedFile("procedure.pdf", PDF)]
    )
    assert sent.state == "open" and not notified(personas.sam)
    services.audit_item_answer(**alice, item=site, text="Confirmed; our security manager will receive you.")
    assert sent.state == "answered"
    assert notified(personas.sam) == [f"{sent.reference} answered by Acme Imports LLC"]
    services.audit_item_ask_again(**sam, item=first, note="February is missing.")
    assert sent.state == "open"
    first.refresh_from_db()
    assert first.state == "open" and first.asked_again_note == "February is missing."
    assert notified(personas.alice)[-1] == f"{sent.reference}: the agency asks again about item 1"
    services.audit_item_answer(
        **alice, item=first, text="February added.", uploads=[SimpleUploadedFile("feb.pdf", PDF)]
    )
    for item in (first, second, site):
        services.audit_item_accept(**sam, item=item)
    sent.refresh_from_db()
    assert sent.state == "closed" and sent.closed_at is not None
    assert notified(personas.alice)[-1] == f"{sent.reference} closed: every item accepted"
    assert first.answers.count() == 2 and AuditDocument.objects.count() == 3
    actions = list(sent.events.values_list("action", "from_state", "to_state"))
    assert actions == [
        ("send", "", "open"),
        ("answer", "open", "open"),
        ("answer", "open", "open"),
        ("answer", "open", "answered"),
        ("ask_again", "answered", "open"),
        ("answer", "open", "answered"),
        ("accept", "answered", "answered"),
        ("accept", "answered", "answered"),
        ("accept", "answered", "closed"),
        ("close", "answered", "closed"),
    ]
    with pytest.raises(AuditStepError):
        services.audit_item_answer(**alice, item=first, text="More.")


def test_a_refused_file_writes_nothing(personas: Personas, sent: AuditRequest, settings: Any) -> None:
    item = sent.items.first()
    assert item is not None
    program = SimpleUploadedFile("log.pdf", b"MZ\x90\x00" + bytes(100))
    with pytest.raises(Exception, match="not an allowed type"):
        services.audit_item_answer(**as_user(personas.alice, sent), item=item, text="x", uploads=[program])
    item.refresh_from_db()
    assert item.state == "open" and AuditAnswer.objects.count() == 0 and sent.events.count() == 1
    assert not (Path(settings.MEDIA_ROOT) / "audits").exists()


def test_steps_by_the_wrong_side_are_refused(personas: Personas, sent: AuditRequest) -> None:
    item = sent.items.first()
    assert item is not None
    with pytest.raises(AuditStepError, match="not done by the agency"):
        services.audit_item_answer(**as_user(personas.sam, sent), item=item, text="x")
    with pytest.raises(PermissionDenied):
        services.audit_item_answer(**as_user(personas.dave, sent), item=item, text="x")
    with pytest.raises(AuditStepError, match="Accept is not possible"):
        services.audit_item_accept(**as_user(personas.sam, sent), item=item)
    with pytest.raises(ValidationError, match="Write an answer or attach a document"):
        services.audit_item_answer(**as_user(personas.alice, sent), item=item, text=" ")


def test_ask_again_with_a_new_deadline_moves_the_clock(personas: Personas, sent: AuditRequest) -> None:
    alice, sam = as_user(personas.alice, sent), as_user(personas.sam, sent)
    items = list(sent.items.all())
    for item in items:
        services.audit_item_answer(**alice, item=item, text="Done.")
    assert selectors.audit_request_clock(sent) is None
    with pytest.raises(ValidationError, match="after today"):
        services.audit_item_ask_again(**sam, item=items[0], note="x", deadline=timezone.localdate())
    later = timezone.localdate() + timedelta(days=40)
    services.audit_item_ask_again(**sam, item=items[0], note="Page 2 is missing.", deadline=later)
    clock = selectors.audit_request_clock(sent)
    assert clock is not None and clock.deadline == later
    sent.refresh_from_db()
    assert sent.deadline == later


def test_the_deadline_equals_a_recomputation_from_the_event_rows(
    personas: Personas, sent: AuditRequest
) -> None:
    assert "audit_request" in registered_sources()
    deadlines = [d for d in open_deadlines(partner_ids=[personas.acme.pk]) if d.source == "audit_request"]
    assert len(deadlines) == 1
    rows = AuditEvent.objects.filter(request=sent)
    recomputed = audit_clock(
        AuditStepRecord(
            e.action,
            e.at,
            e.item_id,
            tuple(e.details.get("items", ())),
            date.fromisoformat(e.details["deadline"]) if "deadline" in e.details else None,
        )
        for e in rows
    )
    assert recomputed is not None
    assert deadlines[0].due == end_of_day(recomputed.deadline, timezone.get_current_timezone())
    assert deadlines[0].started == recomputed.started and recomputed.deadline == sent.deadline
    assert deadlines[0].key == f"audit:{sent.pk}"
    assert [u.email for u in deadlines[0].recipients] == ["alice@example.com"]
    assert not [d for d in open_deadlines(partner_ids=[personas.beta.pk]) if d.source == "audit_request"]


def test_an_overdue_request_is_flagged(personas: Personas, sent: AuditRequest) -> None:
    event = sent.events.get(action="send")
    event.details = {**event.details, "deadline": (timezone.localdate() - timedelta(days=2)).isoformat()}
    event.save()
    rows = selectors.audit_rows([sent])
    assert rows[0].overdue
    answered_on_time = send(personas)
    for item in answered_on_time.items.all():
        services.audit_item_answer(**as_user(personas.alice, answered_on_time), item=item, text="Done.")
    assert not selectors.audit_rows([answered_on_time])[0].overdue
