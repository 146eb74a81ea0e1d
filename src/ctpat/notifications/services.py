"""Telling people about a step that concerns them: an in-app message and an e-mail.

Both are sent only once the surrounding transaction commits, so a step that fails tells
nobody anything.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.notifications.models import Notification


def notify(*, users: Iterable[User], subject: str, body: str = "", url: str = "") -> None:
    """Queue a message to each user, created and e-mailed after the transaction commits."""
    recipients = list({u.pk: u for u in users if u.is_active}.values())

    def deliver() -> None:
        for user in recipients:
            note = Notification.objects.create(user=user, subject=subject, body=body, url=url)
            sent = send_mail(
                subject=subject,
                message=f"{body}\n\n{url}".strip(),
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )
            if sent:
                Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())

    transaction.on_commit(deliver)


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's messages read, or all of them when no ID is given."""
    rows = Notification.objects.filter(user=user, read_at=None)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())
