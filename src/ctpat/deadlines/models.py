"""A reminder sent for one stage of one deadline: the scheduler's memory of what it did."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Reminder(models.Model):
    # deadline key | due moment | stage: one row per reminder ever sent, so a second run (or a
    # run after a crash) never sends the same reminder again.
    key = models.CharField(max_length=300, unique=True)
    source = models.CharField(max_length=40)
    deadline_key = models.CharField(max_length=200, db_index=True)
    partner_id = models.BigIntegerField(null=True, blank=True)
    label = models.CharField(max_length=200)
    due = models.DateTimeField()
    stage = models.CharField(max_length=16)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.stage})"
