"""Audit and document requests the agency sends a partner, the items the partner answers one by
one (with documents), and one event row per step.

States are written only by ``services``, through ``core.audit_rules``. The deadline shown and
the overdue flag are recomputed from the event rows; ``deadline`` here is the one last given, kept
for reading the request as sent.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.applications.models import Partner
from ctpat.core.audit_rules import STEP_LABELS, ItemState, RequestKind, RequestState

KIND_CHOICES = [(k.value, k.label) for k in RequestKind]
STATE_CHOICES = [(s.value, s.label) for s in RequestState]
ITEM_STATE_CHOICES = [(s.value, s.label) for s in ItemState]


class AuditRequest(models.Model):
    """A request for documents, information or access, with a deadline."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="audit_requests")
    kind = models.CharField(_("kind of request"), max_length=20, choices=KIND_CHOICES)
    subject = models.CharField(_("subject"), max_length=200)
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=RequestState.OPEN)
    deadline = models.DateField(_("deadline"))
    site_access = models.BooleanField(_("site access requested"), default=False)
    site_date = models.DateField(_("site visit date"), null=True, blank=True)
    site = models.CharField(_("site"), max_length=200, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"AR-{self.pk}: {self.subject} ({self.partner})"

    @property
    def reference(self) -> str:
        return f"AR-{self.pk}"

    @property
    def state_enum(self) -> RequestState:
        return RequestState(self.state)


class AuditItem(models.Model):
    """One thing the partner must answer: a document, a piece of information, or site access."""

    request = models.ForeignKey(AuditRequest, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    description = models.TextField(_("what is asked"))
    is_site_access = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=ITEM_STATE_CHOICES, default=ItemState.OPEN)
    # Why the agency asked again, shown to the partner until it answers again.
    asked_again_note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["number"]

    def __str__(self) -> str:
        return f"{self.request.reference} item {self.number}"

    @property
    def state_enum(self) -> ItemState:
        return ItemState(self.state)


class AuditAnswer(models.Model):
    """One answer to an item; the latest is the current one, earlier ones stay as history."""

    item = models.ForeignKey(AuditItem, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["answered_at", "id"]

    def __str__(self) -> str:
        return f"{self.item}: answer of {self.answered_at:%Y-%m-%d}"


def audit_document_path(instance: AuditDocument, filename: str) -> str:
    # Stored under the hash, never the uploader's name (see applications.models.evidence_path).
    return f"audits/{instance.answer.item.request.partner_id}/{instance.sha256}"


class AuditDocument(models.Model):
    answer = models.ForeignKey(AuditAnswer, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=audit_document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class AuditEvent(models.Model):
    """One recorded step of a request (``item`` names the item it was about). Never edited."""

    request = models.ForeignKey(AuditRequest, on_delete=models.CASCADE, related_name="events")
    item = models.ForeignKey(
        AuditItem, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=20, choices=STATE_CHOICES, blank=True)
    to_state = models.CharField(max_length=20, choices=STATE_CHOICES)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=32)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d}"

    @property
    def action_label(self) -> str:
        return STEP_LABELS.get(self.action, self.action)
