"""Non-compliance: cases, warning letters, corrective action plans with their objectives,
sanction recommendations, appeals, and the event row of every step they take.

The ``state`` fields are written only by ``services.compliance_step``, which checks the step in
``core.sanctions`` and writes a ``ComplianceEvent`` in the same transaction. Deadlines are not
stored: they are recomputed from the event rows (a letter's from its issue event and the days
it gave, an objective's from the accepted plan's event, an appeal's from the decision event).
Partner status changes (suspension, removal, reinstatement, restoration, withdrawal) are
lifecycle transitions with their own ``PartnerEvent``; the rows here point at them.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.applications.models import Partner, PartnerEvent
from ctpat.core.sanctions import (
    STATE_LABELS,
    AppealOutcome,
    AppealState,
    CaseState,
    ConsentState,
    LetterState,
    ObjectiveState,
    PlanState,
    RecommendationState,
    SanctionGround,
    SanctionKind,
    Subject,
)

USER = settings.AUTH_USER_MODEL


def _choices(states: list[str]) -> list[tuple[str, str]]:
    return [(str(s), STATE_LABELS[str(s)]) for s in states]


class ComplianceCase(models.Model):
    """A non-compliance case the agency opened on a partner, with its grounds. An incident (from
    ``ctpat.incidents``) may be its origin; it is kept by ID so either app can change alone."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="compliance_cases")
    state = models.CharField(max_length=20, choices=_choices(list(CaseState)), default=CaseState.OPEN)
    grounds = models.TextField(_("grounds"))
    incident_id = models.PositiveIntegerField(_("incident"), null=True, blank=True)
    opened_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"NC-{self.pk}"

    @property
    def number(self) -> str:
        return f"NC-{self.pk:05d}"


class WarningLetter(models.Model):
    """A formal notice of deficiencies with the actions required and the days to take them.
    Its deadline is ``response_days`` after its issue event."""

    case = models.ForeignKey(ComplianceCase, on_delete=models.CASCADE, related_name="letters")
    state = models.CharField(max_length=20, choices=_choices(list(LetterState)), default=LetterState.ISSUED)
    deficiencies = models.TextField(_("deficiencies"), help_text=_("One per line."))
    required_actions = models.TextField(_("required actions"), help_text=_("One per line."))
    response_days = models.PositiveSmallIntegerField(_("days to correct"))
    issued_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering: ClassVar[list[str]] = ["-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"WL-{self.pk:05d}"

    def deficiency_lines(self) -> list[str]:
        return [line.strip() for line in self.deficiencies.splitlines() if line.strip()]

    def action_lines(self) -> list[str]:
        return [line.strip() for line in self.required_actions.splitlines() if line.strip()]


class CorrectiveActionPlan(models.Model):
    """The partner's answer to a warning letter: what it will do, by when (its objectives)."""

    letter = models.ForeignKey(WarningLetter, on_delete=models.CASCADE, related_name="plans")
    state = models.CharField(max_length=20, choices=_choices(list(PlanState)), default=PlanState.SUBMITTED)
    summary = models.TextField(_("summary"))
    submitted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering: ClassVar[list[str]] = ["-id"]

    def __str__(self) -> str:
        return f"CAP-{self.pk}"


class PlanObjective(models.Model):
    plan = models.ForeignKey(CorrectiveActionPlan, on_delete=models.CASCADE, related_name="objectives")
    description = models.TextField(_("objective"))
    due_on = models.DateField(_("to be done by"))
    state = models.CharField(
        max_length=20, choices=_choices(list(ObjectiveState)), default=ObjectiveState.OPEN
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class SanctionRecommendation(models.Model):
    """A specialist's recommendation to suspend (all or named benefits) or remove, and the
    program director's decision on it (the ``partner_event`` it took, if taken)."""

    case = models.ForeignKey(ComplianceCase, on_delete=models.CASCADE, related_name="recommendations")
    state = models.CharField(
        max_length=20, choices=_choices(list(RecommendationState)), default=RecommendationState.PENDING
    )
    kind = models.CharField(max_length=20, choices=[(k.value, k.label) for k in SanctionKind])
    ground = models.CharField(max_length=30, choices=[(g.value, g.label) for g in SanctionGround])
    benefits = models.JSONField(default=list, blank=True)
    reasons = models.TextField(_("reasons"))
    recommended_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    partner_event = models.OneToOneField(
        PartnerEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanction_recommendation"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.state})"


class Appeal(models.Model):
    """An appeal against the lifecycle decision ``decision_event`` and its outcome."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="appeals")
    decision_event = models.OneToOneField(PartnerEvent, on_delete=models.PROTECT, related_name="appeal")
    state = models.CharField(max_length=20, choices=_choices(list(AppealState)), default=AppealState.FILED)
    statement = models.TextField(_("grounds of the appeal"))
    filed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=20, choices=[(o.value, o.label) for o in AppealOutcome], blank=True)
    restored_benefits = models.JSONField(default=list, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    restore_event = models.OneToOneField(
        PartnerEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="restoring_appeal"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-id"]

    def __str__(self) -> str:
        return f"Appeal {self.pk} ({self.state})"

    @property
    def number(self) -> str:
        return f"AP-{self.pk:05d}"


class VisitConsent(models.Model):
    """The Company Officer's written consent to unannounced visits, which reinstatement needs."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="visit_consents")
    state = models.CharField(max_length=20, choices=_choices(list(ConsentState)), default=ConsentState.GIVEN)
    statement = models.TextField(_("statement"))
    given_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering: ClassVar[list[str]] = ["-id"]

    def __str__(self) -> str:
        return f"Consent {self.pk} of {self.partner_id}"


class ComplianceEvent(models.Model):
    """One step of a compliance record: what, by whom, why, when. Never edited."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="compliance_events")
    subject = models.CharField(max_length=30, choices=[(s.value, s.value) for s in Subject])
    subject_id = models.PositiveIntegerField()
    step = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_role = models.CharField(max_length=32)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["subject", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.subject_id}: {self.step} at {self.at:%Y-%m-%d}"
