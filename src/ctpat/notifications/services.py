"""Telling people about a step that concerns them: an in-app message and an e-mail.

The message rows are written inside the step's own transaction, so a step that fails leaves
none; the e-mails go out once it has committed. A message whose e-mail was not handed to the
mail backend (a crash between commit and sending) stays pending and is sent by the next
``ctpat scheduler`` run, so nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.notifications.models import Notification


def notify(*, users: Iterable[User], subject: str, body: str = "", url: str = "") -> list[Notification]:
    """Write a message to each (active, distinct) user; e-mail them once the transaction commits."""
    recipients = list({u.pk: u for u in users if u.is_active}.values())
    notes = [
        Notification.objects.create(user=user, subject=subject, body=body, url=url) for user in recipients
    ]
    ids = [note.pk for note in notes]
    if ids:
        transaction.on_commit(lambda: notifications_deliver(ids=ids))
    return notes


def notifications_deliver(*, ids: Collection[int] | None = None) -> int:
    """Send the pending e-mails (of the given messages, or all); returns how many went out.

    Each message is claimed by clearing its pending flag in a conditional update, so two runs
    at once never send the same e-mail twice.
    """
    pending = Notification.objects.filter(email_pending=True).select_related("user")
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    sent = 0
    for note in pending:
        claimed = Notification.objects.filter(pk=note.pk, email_pending=True).update(email_pending=False)
        if not claimed:
            continue
        message = f"{note.body}\n\n{note.url}".strip()
        try:
            delivered = send_mail(
                subject=note.subject, message=message, from_email=None, recipient_list=[note.user.email]
            )
        except OSError:  # SMTP down or refusing: retried by the next run
            delivered = 0
        if delivered:
            Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
            sent += 1
        else:  # the backend refused it: leave it pending for the next run
            Notification.objects.filter(pk=note.pk).update(email_pending=True)
    return sent


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's messages read, or all of them when no ID is given."""
    rows = Notification.objects.filter(user=user, read_at=None)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())
