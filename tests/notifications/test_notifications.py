"""Messages are created and e-mailed only after the step commits; each person sees only theirs."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from ctpat.accounts.models import User
from ctpat.notifications.models import Notification
from ctpat.notifications.services import notify
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_nothing_is_sent_when_the_step_fails(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with (  # noqa: PT012
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(users=[personas.alice], subject="Certified")
        raise RuntimeError("the step failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_message_and_email_after_commit(personas: Personas, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[personas.alice, personas.alice, personas.bob],
            subject="Certified",
            body="Tier 1",
            url="/application/",
        )
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]
    assert all(n.emailed_at for n in Notification.objects.all())


def test_each_person_reads_and_marks_only_their_own(
    personas: Personas, client_for: Callable[[User | None], Client], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[personas.alice], subject="For Alice only")
    mine = Notification.objects.get()
    erin = client_for(personas.erin)
    assert "For Alice only" not in erin.get(reverse("notifications:inbox")).content.decode()
    erin.post(reverse("notifications:mark_read"), {"notification": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is None
    alice = client_for(personas.alice)
    page = alice.get(reverse("notifications:inbox")).content.decode()
    assert "For Alice only" in page
    assert 'data-testid="unread-count">1<' in page
    alice.post(reverse("notifications:mark_read"), {"notification": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_anonymous_is_sent_to_login() -> None:
    assert Client().get(reverse("notifications:inbox")).status_code == 302
