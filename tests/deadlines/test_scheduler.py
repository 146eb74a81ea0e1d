"""The reminder scheduler: each stage once, nothing twice, nothing lost after a crash."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from ctpat.accounts.models import Membership
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.services import application_submit, partner_transition
from ctpat.deadlines import services as scheduler
from ctpat.deadlines.models import Reminder
from ctpat.deadlines.registry import open_deadlines
from ctpat.notifications.models import Notification
from tests.builders import complete_application
from tests.conftest import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def submitted(personas: Personas, partner: Partner, days_ago: int) -> Partner:
    """Submit ``partner``'s application, assign Sam, and pretend it happened ``days_ago``."""
    officer = personas.alice if partner == personas.acme else personas.erin
    complete_application(partner, officer)
    membership = Membership.objects.get(user=officer, organization=partner.organization)
    application_submit(actor=officer, membership=membership, partner=partner)
    Partner.objects.filter(pk=partner.pk).update(assigned_specialist=personas.sam)
    PartnerEvent.objects.filter(partner=partner).update(at=timezone.now() - timedelta(days=days_ago))
    return partner


def test_each_deadline_gets_its_most_urgent_stage_once(personas: Personas) -> None:
    submitted(personas, personas.acme, days_ago=85)  # 5 days left: the 7-day reminder
    submitted(personas, personas.beta, days_ago=95)  # overdue
    mail.outbox.clear()  # the submission receipts
    first = scheduler.scheduler_run()
    assert first.reminders_sent == 2
    assert first.stages == {"7": 1, "overdue": 1}
    assert Notification.objects.filter(user=personas.sam).count() == 2
    assert len(mail.outbox) == 2
    second = scheduler.scheduler_run()
    assert (second.reminders_sent, second.already_sent, second.emails) == (0, 2, 0)
    assert len(mail.outbox) == 2
    # Time passes: the 1-day stage is new, so it goes out once.
    later = scheduler.scheduler_run(now=timezone.now() + timedelta(days=4, hours=12))
    assert later.stages == {"1": 1}
    assert Reminder.objects.count() == 3


def test_a_crash_mid_run_loses_nothing_and_repeats_nothing(personas: Personas, monkeypatch: Any) -> None:
    submitted(personas, personas.acme, days_ago=85)
    submitted(personas, personas.beta, days_ago=95)
    real_send = scheduler.reminder_send
    calls = {"n": 0}

    def crash_on_second(**kwargs: Any) -> bool:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed")
        return real_send(**kwargs)

    monkeypatch.setattr(scheduler, "reminder_send", crash_on_second)
    with pytest.raises(RuntimeError):
        scheduler.scheduler_run()
    assert Reminder.objects.count() == 1
    monkeypatch.setattr(scheduler, "reminder_send", real_send)
    report = scheduler.scheduler_run()
    assert (report.reminders_sent, report.already_sent) == (1, 1)
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(user=personas.sam).count() == 2


def test_an_email_left_pending_by_a_crash_is_sent_by_the_next_run(personas: Personas) -> None:
    submitted(personas, personas.beta, days_ago=95)
    scheduler.scheduler_run()
    note = Notification.objects.get(user=personas.sam)
    Notification.objects.filter(pk=note.pk).update(email_pending=True, emailed_at=None)  # as if it crashed
    mail.outbox.clear()
    report = scheduler.scheduler_run()
    assert (report.reminders_sent, report.emails) == (0, 1)
    assert len(mail.outbox) == 1


def test_a_paused_clock_sends_no_reminder(personas: Personas) -> None:
    submitted(personas, personas.acme, days_ago=95)
    sam = Membership.objects.get(user=personas.sam)
    partner_transition(actor=personas.sam, membership=sam, partner=personas.acme, name="start_review")
    partner_transition(
        actor=personas.sam,
        membership=sam,
        partner=personas.acme,
        name="return_to_partner",
        reason="Need more.",
    )
    [deadline] = open_deadlines(partner_ids=[personas.acme.pk])
    assert deadline.paused
    assert scheduler.scheduler_run().reminders_sent == 0
