"""Keeping membership (domain file, section 3.4): the annual review of each partner-year, and the
partner's best practices (internal assessments, training records, improvement actions).

``AnnualReview.state`` and ``ImprovementAction.status`` are written only by the services, each
change checked against ``core.revalidation`` and recorded as an event row in the same
transaction. No due date is stored: the window follows from the certification event, the
full revalidation from the last validation event, an action's due date from its events.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.applications.models import Partner, SecurityProfile
from ctpat.core.revalidation import REVIEW_TRANSITIONS, ActionStatus, ReviewState
from ctpat.criteria.models import Criterion

USER = settings.AUTH_USER_MODEL
REVIEW_STATE_CHOICES = [(s.value, s.label) for s in ReviewState]


class AnnualReview(models.Model):
    """One partner-year of annual revalidation: the year's security profile (started as a copy
    of last year's, whose rows stay untouched), the partner's risk assessment, and the state."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="annual_reviews")
    cycle = models.PositiveSmallIntegerField(
        _("membership year"),
        help_text=_("1 for the first anniversary of the certification, 2 for the second…"),
    )
    # RESTRICT: a profile of a review is never deleted on its own, only with its partner.
    profile = models.OneToOneField(SecurityProfile, on_delete=models.RESTRICT, related_name="annual_review")
    previous_profile = models.ForeignKey(
        SecurityProfile, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    risk_assessment = models.TextField(
        _("risk assessment"),
        blank=True,
        help_text=_(
            "This year's five-step risk assessment: cargo flow and business partners, threats, "
            "vulnerabilities against the criteria, action plan."
        ),
    )
    state = models.CharField(max_length=20, choices=REVIEW_STATE_CHOICES, default=ReviewState.OPEN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["partner", "-cycle"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["partner", "cycle"], name="one_review_per_partner_year"),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: annual review {self.cycle}"

    @property
    def state_enum(self) -> ReviewState:
        return ReviewState(self.state)


class ReviewEvent(models.Model):
    """One recorded step of an annual review: who, why, when, from what state to what. Never edited."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, choices=REVIEW_STATE_CHOICES)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_role = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.review}: {self.action} at {self.at:%Y-%m-%d}"

    @property
    def action_label(self) -> str:
        transition = REVIEW_TRANSITIONS.get(self.action)
        return transition.label if transition else self.action


class FindingResult(models.TextChoices):
    MEETS = "meets", _("Meets the criterion")
    PARTLY = "partly", _("Partly meets it")
    GAP = "gap", _("Gap found")


class InternalAssessment(models.Model):
    """A self-audit against chosen criteria (its scope: one finding row per criterion)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="internal_assessments")
    performed_on = models.DateField(_("date of the assessment"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-performed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.performed_on:%Y-%m-%d})"


class AssessmentFinding(models.Model):
    assessment = models.ForeignKey(InternalAssessment, on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=10, choices=FindingResult.choices, blank=True)
    note = models.TextField(_("what was found"), blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["criterion__sort_key"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_finding_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.result or 'not assessed'}"


def training_evidence_path(instance: TrainingRecord, filename: str) -> str:
    # Stored under the content hash, never the uploader's name (as the security profile's evidence).
    return f"training/{instance.partner_id}/{instance.evidence_sha256}"


class TrainingRecord(models.Model):
    """A training session, mapped to the criteria of category 12 (education, training, awareness)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="training_records")
    course = models.CharField(_("course"), max_length=200)
    criteria = models.ManyToManyField(Criterion, related_name="+", verbose_name=_("criteria covered"))
    held_on = models.DateField(_("date"))
    attendee_names = models.TextField(_("attendees (one name a line)"), blank=True)
    attendee_count = models.PositiveIntegerField(_("number of attendees"))
    evidence = models.FileField(upload_to=training_evidence_path, max_length=300, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_content_type = models.CharField(max_length=120, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.course} ({self.held_on:%Y-%m-%d})"


ACTION_STATUS_CHOICES = [(ActionStatus.OPEN.value, _("Open")), (ActionStatus.DONE.value, _("Done"))]


class ImprovementAction(models.Model):
    """A continuous-improvement action with its owner and due date (from an internal assessment,
    a finding, or on its own)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="improvement_actions")
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due date"))
    status = models.CharField(max_length=10, choices=ACTION_STATUS_CHOICES, default=ActionStatus.OPEN)
    assessment = models.ForeignKey(
        InternalAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["status", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class BestPracticeEvent(models.Model):
    """One recorded step of a best-practice record: what, by whom, when. Never edited."""

    class Subject(models.TextChoices):
        ASSESSMENT = "internal_assessment", _("Internal assessment")
        TRAINING = "training_record", _("Training record")
        ACTION = "improvement_action", _("Improvement action")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="best_practice_events")
    subject = models.CharField(max_length=24, choices=Subject.choices)
    subject_id = models.PositiveIntegerField()
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["subject", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.subject_id}: {self.action}"
