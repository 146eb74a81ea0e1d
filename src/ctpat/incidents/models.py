"""Security incidents a partner reports (or the agency records), what the agency does about them
(triage, referrals to other government agencies, post-incident analyses, non-compliance, closing)
and one event row per step.

The state is written only by ``services``, through ``core.incident_rules``; the Django admin does
not edit it. Deadlines are never stored: the post-incident analysis clock is recomputed from the
event rows.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.accounts.models import Organization
from ctpat.applications.models import Partner
from ctpat.core.incident_rules import IncidentKind, IncidentState, step_label

KIND_CHOICES = [(k.value, k.label) for k in IncidentKind]
STATE_CHOICES = [(s.value, s.label) for s in IncidentState]


class Incident(models.Model):
    """One security incident in a partner's supply chain."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("type of incident"), max_length=32, choices=KIND_CHOICES)
    state = models.CharField(max_length=32, choices=STATE_CHOICES, default=IncidentState.REPORTED)
    # Reported by the partner before the agency recorded it: such a breach gets a review, not
    # an automatic suspension (domain file, section 3.4).
    self_reported = models.BooleanField(default=True)
    happened_at = models.DateTimeField(_("when it happened"))
    found_at = models.DateTimeField(_("when it was found"))
    reported_at = models.DateTimeField(_("when it was reported"), db_index=True)
    place = models.CharField(_("where (place)"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    bill_of_lading = models.CharField(_("bill of lading"), max_length=60, blank=True)
    entry_number = models.CharField(_("entry number"), max_length=30, blank=True)
    conveyance = models.CharField(
        _("conveyance"),
        max_length=120,
        blank=True,
        help_text=_("Truck, trailer, container, vessel or flight"),
    )
    seal_numbers = models.CharField(_("seal numbers"), max_length=200, blank=True)
    description = models.TextField(_("what happened"))
    investigation = models.TextField(_("internal investigation"), blank=True)
    corrective_actions = models.TextField(_("corrective actions"), blank=True)
    # Set when the agency decides the incident calls for a non-compliance case; the case opened
    # in ``ctpat.compliance`` is kept by ID so either app can change alone.
    noncompliance_recommended = models.BooleanField(default=False)
    compliance_case_id = models.PositiveIntegerField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"INC-{self.pk}: {self.get_kind_display()} ({self.partner})"

    @property
    def reference(self) -> str:
        return f"INC-{self.pk}"

    @property
    def state_enum(self) -> IncidentState:
        return IncidentState(self.state)

    @property
    def is_open(self) -> bool:
        return self.state != IncidentState.CLOSED


class Referral(models.Model):
    """The incident referred to another government agency; its liaisons read this referral."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="incident_referrals")
    note = models.TextField(_("what the referral is for"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["-referred_at", "-id"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["incident", "agency"], name="one_referral_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference} → {self.agency}"


class AnalysisRequest(models.Model):
    """The agency asks the partner for a post-incident analysis by a date; the partner answers."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="analysis_requests")
    question = models.TextField(_("what the analysis must cover"))
    due = models.DateField(_("answer by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    answer = models.TextField(_("post-incident analysis"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident.reference}: analysis due {self.due:%Y-%m-%d}"


class EvidencePurpose(models.TextChoices):
    REPORT = "report", _("Incident report")
    INVESTIGATION = "investigation", _("Internal investigation")
    ANALYSIS = "analysis", _("Post-incident analysis")


def incident_evidence_path(instance: IncidentEvidence, filename: str) -> str:
    # Stored under the hash, never the uploader's name (see applications.models.evidence_path).
    return f"incidents/{instance.incident.partner_id}/{instance.sha256}"


class IncidentEvidence(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="evidence")
    purpose = models.CharField(max_length=20, choices=EvidencePurpose.choices, default=EvidencePurpose.REPORT)
    analysis = models.ForeignKey(
        AnalysisRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=incident_evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "incident evidence"
        ordering: ClassVar[list[str]] = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class IncidentEvent(models.Model):
    """One recorded step of an incident: who, why, when, from which state to which. Never edited."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=32, choices=STATE_CHOICES, blank=True)
    to_state = models.CharField(max_length=32, choices=STATE_CHOICES)
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
        return step_label(self.action)
