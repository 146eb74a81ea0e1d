"""The agency's review of an application: teams, assignments, vetting, the risk assessment,
recommendations, supervisors' decisions and certificates.

Every row here is a record of something a person did, with who and when; rows are added, not
edited (the written risk assessment is the one exception: it is a draft the specialist types
into, and it records who saved it last). Status changes are not stored here: the decisions take
them through ``applications.services.partner_transition`` and point at its event row.

Teams: a ``Team`` has one supervisor and specialist members; a specialist belongs to at most one
team. We chose a team row over a supervisor field on each specialist because the program
director reasons about teams (their queues and workload side by side) and a team can change
supervisor without touching its members.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctpat.applications.models import Partner, PartnerEvent
from ctpat.business_partners.models import ApplicantScreening
from ctpat.core.decisions import DecisionAction, RecommendationKind, VettingCheckKind
from ctpat.core.entity_types import entity_type_choices
from ctpat.core.risk import RiskLevel

USER = settings.AUTH_USER_MODEL


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    supervisor = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="teams_led", verbose_name=_("supervisor")
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    specialist = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="team_membership")

    def __str__(self) -> str:
        return f"{self.specialist} in {self.team}"


class Assignment(models.Model):
    """One assignment of a partner's file to a specialist: who assigned whom, when, and the
    suggestion the assigner saw. The partner's ``assigned_specialist`` holds the current one."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="assignments")
    specialist = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    previous_specialist = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)
    suggestion = models.JSONField(default=list, blank=True, help_text=_("The ranked suggestion shown."))
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner} → {self.specialist} at {self.at:%Y-%m-%d}"


VETTING_CHOICES = [(kind.value, kind.label) for kind in VettingCheckKind]


def vetting_evidence_path(instance: VettingCheck, filename: str) -> str:
    # Stored under the content hash, never the uploader's name (as applications' evidence).
    return f"vetting/{instance.partner_id}/{instance.evidence_sha256}"


class VettingCheck(models.Model):
    """One recorded result of a vetting check. A check recorded again keeps the earlier rows;
    the latest one counts."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="vetting_checks")
    kind = models.CharField(_("check"), max_length=40, choices=VETTING_CHOICES)
    result = models.TextField(_("result"))
    derogatory = models.BooleanField(_("derogatory information found"))
    notes = models.TextField(_("notes"), blank=True)
    screening = models.ForeignKey(
        ApplicantScreening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_file = models.FileField(upload_to=vetting_evidence_path, max_length=300, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_content_type = models.CharField(max_length=120, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_kind_display()} at {self.at:%Y-%m-%d}"

    @property
    def kind_enum(self) -> VettingCheckKind:
        return VettingCheckKind(self.kind)


class RiskScoreRecord(models.Model):
    """The automatic score as the specialist recorded it, with every contribution."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="risk_scores")
    total = models.DecimalField(max_digits=8, decimal_places=1)
    level = models.CharField(max_length=8, choices=[(level.value, level.value) for level in RiskLevel])
    contributions = models.JSONField(default=list, help_text=_("[{source, detail, points}]"))
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.total} ({self.level})"


class RiskAssessment(models.Model):
    """The specialist's written assessment in the five steps of the domain file, section 5."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="risk_assessment")
    cargo_flow = models.TextField(blank=True)
    threat_assessment = models.TextField(blank=True)
    vulnerability_assessment = models.TextField(blank=True)
    action_plan = models.TextField(blank=True)
    documentation = models.TextField(blank=True)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Risk assessment of {self.partner}"


class Recommendation(models.Model):
    """The assigned specialist's recommendation. Certify and reject wait for a supervisor's
    ``SupervisorDecision``; a return to the partner is taken at once (its event is linked)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(
        _("recommendation"), max_length=24, choices=[(k.value, k.label) for k in RecommendationKind]
    )
    reason = models.TextField(_("reasons"), blank=True)
    recommended_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    partner_event = models.ForeignKey(
        PartnerEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.kind} by {self.recommended_by} at {self.at:%Y-%m-%d}"

    @property
    def kind_enum(self) -> RecommendationKind:
        return RecommendationKind(self.kind)


class SupervisorDecision(models.Model):
    """A supervisor's (or the program director's) decision on one recommendation."""

    recommendation = models.OneToOneField(Recommendation, on_delete=models.CASCADE, related_name="decision")
    action = models.CharField(
        _("decision"), max_length=24, choices=[(a.value, a.label) for a in DecisionAction]
    )
    reason = models.TextField(_("reasons"), blank=True)
    transition = models.CharField(max_length=40, blank=True, help_text=_("certify, reject or empty"))
    partner_event = models.ForeignKey(
        PartnerEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.action} on {self.recommendation}"


class Certificate(models.Model):
    """A certificate issued at certification. What it says is kept on the row, so the PDF
    made from it later says exactly what was issued."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    partner_event = models.OneToOneField(
        PartnerEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="certificate"
    )
    company_name = models.CharField(max_length=200)
    entity_type = models.CharField(max_length=40, choices=entity_type_choices())
    tier = models.PositiveSmallIntegerField(default=1)
    issued_at = models.DateTimeField(default=timezone.now)
    validation_due = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering: ClassVar[list[str]] = ["-issued_at", "-id"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["year", "sequence"], name="one_certificate_number_per_year"),
        ]

    def __str__(self) -> str:
        return self.number
