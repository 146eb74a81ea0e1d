"""A certified partner's validation (domain file, section 3.3): the plan and its sites, the
worksheet of each visit, the findings per criterion with their evidence, the report sent to the
partner, the partner's response, and the proposed and approved decision.

``stage`` is written only by the services, each step checked against
``core.validation_rules.stage_after`` and recorded as a ``ValidationEvent``. The partner's
status and tier change only through ``applications.services.partner_transition``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.applications.models import Facility, Partner, PartnerEvent
from ctpat.core.validation_rules import (
    MRA_PARTNERS,
    FindingKind,
    Outcome,
    SiteFacts,
    SiteMode,
    Stage,
    site_mode,
)
from ctpat.criteria.models import Criterion

STAGE_CHOICES = [(s.value, s.label) for s in Stage]
FINDING_CHOICES = [(k.value, k.label) for k in FindingKind]
OUTCOME_CHOICES = [(o.value, o.label) for o in Outcome]
MRA_CHOICES = [(m.code, m.label) for m in MRA_PARTNERS.values()]


class Validation(models.Model):
    """One validation of a partner, from its plan to the approved decision."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="validations")
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES, default=Stage.PLANNED)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="validations_led",
        verbose_name=_("lead specialist"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="validation_teams", verbose_name=_("team members")
    )
    planned_start = models.DateField(_("visits start"))
    planned_end = models.DateField(_("visits end"))
    scope = models.TextField(_("scope and notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=~models.Q(stage="decided"),
                name="one_open_validation_per_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"Validation of {self.partner} ({self.get_stage_display()})"

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)


class ValidationSite(models.Model):
    """A site chosen for the validation, with the worksheet of its visit."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="sites")
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("site name"), max_length=200)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state or province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    no_go = models.BooleanField(_("no-go zone"), default=False)
    no_go_reason = models.TextField(_("why it is a no-go zone"), blank=True)
    mra_partner = models.CharField(
        _("validated by MRA partner"), max_length=4, choices=MRA_CHOICES, blank=True
    )
    mra_reference = models.CharField(_("MRA partner's validation reference"), max_length=100, blank=True)
    planned_date = models.DateField(_("planned visit date"), null=True, blank=True)
    visited_on = models.DateField(_("date visited"), null=True, blank=True)
    # The worksheet of the visit: checklist -> point -> {"result": "ok"|"issue", "note": "..."}.
    inspections = models.JSONField(default=dict, blank=True)
    vvtt = models.JSONField(default=dict, blank=True)
    seal_class_seen = models.CharField(_("ISO 17712 seal class seen"), max_length=1, blank=True)
    seal_log_kept = models.BooleanField(_("seal inventory log kept"), null=True, blank=True)
    observations = models.TextField(_("observations"), blank=True)
    worksheet_updated_at = models.DateTimeField(null=True, blank=True)
    worksheet_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["country", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city} ({self.country})"

    @property
    def facts(self) -> SiteFacts:
        return SiteFacts(
            country=self.country,
            latitude=float(self.latitude) if self.latitude is not None else None,
            longitude=float(self.longitude) if self.longitude is not None else None,
            no_go=self.no_go,
            no_go_reason=self.no_go_reason,
            mra_partner=self.mra_partner,
            mra_reference=self.mra_reference,
        )

    @property
    def mode(self) -> SiteMode:
        return site_mode(self.facts)

    @property
    def is_foreign(self) -> bool:
        return self.country.upper() != "US"


class Finding(models.Model):
    """What the validation found against one criterion, at one site or for the company as a whole."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="findings")
    site = models.ForeignKey(
        ValidationSite, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("finding"), max_length=20, choices=FINDING_CHOICES, blank=True)
    narrative = models.TextField(_("what was found"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["criterion__sort_key", "site_id", "id"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["site", "criterion"],
                condition=models.Q(site__isnull=False),
                name="one_finding_per_site_criterion",
            ),
            models.UniqueConstraint(
                fields=["validation", "criterion"],
                condition=models.Q(site__isnull=True),
                name="one_company_finding_per_criterion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.get_kind_display() or 'draft'}"


class ValidationReport(models.Model):
    """The report as sent to the partner: the PDF is kept as sent, with its SHA-256."""

    validation = models.OneToOneField(Validation, on_delete=models.CASCADE, related_name="report")
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Report of {self.validation.partner} sent {self.sent_at:%Y-%m-%d}"


class PartnerResponse(models.Model):
    """The partner's written answer to the report."""

    validation = models.OneToOneField(Validation, on_delete=models.CASCADE, related_name="response")
    text = models.TextField(_("response"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Response of {self.validation.partner}"


def validation_evidence_path(instance: ValidationEvidence, filename: str) -> str:
    # Stored under the hash, never the uploader's name (see applications.models.evidence_path).
    return f"validation/{instance.validation.partner_id}/{instance.sha256}"


class ValidationEvidence(models.Model):
    """A file backing a finding (uploaded by the agency) or the partner's response."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="evidence")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    response = models.ForeignKey(
        PartnerResponse, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=validation_evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "validation evidence"
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(finding__isnull=True) | models.Q(response__isnull=True),
                name="validation_evidence_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned to the specialist")


class DecisionProposal(models.Model):
    """A decision the specialist proposes; a different supervisor approves or returns it."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="proposals")
    outcome = models.CharField(_("decision"), max_length=32, choices=OUTCOME_CHOICES)
    rationale = models.TextField(_("rationale"), blank=True)
    deadline = models.DateField(_("corrective action deadline"), null=True, blank=True)
    corrective_items = models.TextField(_("items to correct"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=ProposalState.choices, default=ProposalState.PROPOSED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    # The lifecycle event the approval took (validate or require_corrective_action), if any.
    partner_event = models.ForeignKey(
        PartnerEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-proposed_at", "-id"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["validation"],
                condition=models.Q(state="proposed"),
                name="one_open_proposal_per_validation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.get_state_display()})"

    @property
    def outcome_enum(self) -> Outcome:
        return Outcome(self.outcome)


class ValidationEvent(models.Model):
    """One recorded step of a validation: who, when, from which stage to which. Never edited."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_stage = models.CharField(max_length=20, choices=STAGE_CHOICES)
    to_stage = models.CharField(max_length=20, choices=STAGE_CHOICES)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=32)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d}"

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


ACTION_LABELS = {
    "plan": "Validation planned",
    "plan_update": "Plan changed",
    "site_save": "Site saved",
    "site_remove": "Site removed",
    "record_fieldwork": "Visit and findings under way",
    "send_report": "Report sent to the partner",
    "respond": "Partner responded",
    "propose": "Decision proposed",
    "approve": "Decision approved",
    "return_proposal": "Proposal returned to the specialist",
}
