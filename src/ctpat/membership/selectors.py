"""Reads of keeping membership: each partner's annual window and reviews, the diff a reviewer
sees, the agency's queue (reviews to decide, windows open, full revalidations due), and the
best-practice records. Every date is recomputed from event rows here."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Evidence, Partner, PartnerEvent, ProfileAnswer, SecurityProfile
from ctpat.applications.selectors import answer_facts
from ctpat.core.clocks import LifecycleEvent
from ctpat.core.completeness import Gap, answer_gaps
from ctpat.core.lifecycle import MEMBER_STATUSES
from ctpat.core.revalidation import (
    ActionEvent,
    AnnualReviewClock,
    AnnualWindow,
    AnswerSnapshot,
    CriterionDiff,
    DiffKind,
    FullRevalidation,
    MissedConsequence,
    ReviewEventFacts,
    ReviewState,
    WordChange,
    annual_review_clocks,
    annual_window,
    certification_date,
    diff_counts,
    full_revalidation_due,
    improvement_action_due,
    latest_opened_window,
    next_window,
    profile_diff,
    word_diff,
)
from ctpat.criteria.models import Criterion
from ctpat.criteria.selectors import catalogue_current
from ctpat.membership.models import (
    AnnualReview,
    BestPracticeEvent,
    ImprovementAction,
    InternalAssessment,
    ReviewEvent,
    TrainingRecord,
)

TRAINING_CATEGORY = 12  # Education, training and awareness


def window_days() -> int:
    return int(settings.ANNUAL_REVIEW_WINDOW_DAYS)


def missed_consequence() -> MissedConsequence:
    return MissedConsequence(settings.ANNUAL_REVIEW_MISSED_CONSEQUENCE)


def program_tz() -> tzinfo:
    return timezone.get_default_timezone()


# --- People -----------------------------------------------------------------------------------


def partner_officers(partner: Partner) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organization_id=partner.organization_id, memberships__role=Role.COMPANY_OFFICER
        ).distinct()
    )


def partner_specialist(partner: Partner) -> list[User]:
    return [partner.assigned_specialist] if partner.assigned_specialist else []


# --- The annual window --------------------------------------------------------------------------


def certified_at(partner: Partner) -> datetime | None:
    """The membership's start: the first certification (its anniversaries are the windows')."""
    return (
        PartnerEvent.objects.filter(partner=partner, transition="certify")
        .order_by("at", "id")
        .values_list("at", flat=True)
        .first()
    )


def window_opened(partner: Partner, *, today: date | None = None) -> AnnualWindow | None:
    """The latest annual window that has opened for a member (None before the first, or for a
    partner that is not a member now)."""
    start = certified_at(partner)
    if start is None or partner.status_enum not in MEMBER_STATUSES:
        return None
    day = today or timezone.localdate()
    return latest_opened_window(certification_date(start, program_tz()), day, window_days=window_days())


def window_coming(partner: Partner, *, today: date | None = None) -> AnnualWindow | None:
    start = certified_at(partner)
    if start is None:
        return None
    day = today or timezone.localdate()
    return next_window(certification_date(start, program_tz()), day, window_days=window_days())


def window_of(review: AnnualReview) -> AnnualWindow | None:
    start = certified_at(review.partner)
    if start is None:
        return None
    return annual_window(certification_date(start, program_tz()), review.cycle, window_days=window_days())


def review_event_facts(review: AnnualReview) -> list[ReviewEventFacts]:
    return [ReviewEventFacts(e.action, e.at) for e in review.events.all()]


def review_events(review: AnnualReview) -> QuerySet[ReviewEvent]:
    return review.events.select_related("actor").order_by("at", "id")


def review_clocks(
    partners: Iterable[Partner], *, now: datetime | None = None
) -> dict[int, list[AnnualReviewClock]]:
    """Each member's open annual-review deadlines, recomputed from the certification events and
    the reviews' event rows."""
    members = [p for p in partners if p.status_enum in MEMBER_STATUSES]
    ids = [p.pk for p in members]
    certified: dict[int, datetime] = {}
    for partner_id, at in (
        PartnerEvent.objects.filter(partner_id__in=ids, transition="certify")
        .order_by("-at", "-id")
        .values_list("partner_id", "at")
    ):
        certified[partner_id] = at  # ordered newest first, so the first certification wins
    events: dict[int, dict[int, list[ReviewEventFacts]]] = {}
    for partner_id, cycle, action, at in ReviewEvent.objects.filter(review__partner_id__in=ids).values_list(
        "review__partner_id", "review__cycle", "action", "at"
    ):
        events.setdefault(partner_id, {}).setdefault(cycle, []).append(ReviewEventFacts(action, at))
    moment = now or timezone.now()
    return {
        p.pk: annual_review_clocks(
            certified.get(p.pk), events.get(p.pk, {}), now=moment, tz=program_tz(), window_days=window_days()
        )
        for p in members
    }


def partner_reviews(partner: Partner) -> QuerySet[AnnualReview]:
    return AnnualReview.objects.filter(partner=partner).order_by("-cycle")


# --- The review and its diff -----------------------------------------------------------------


def review_answers(profile: SecurityProfile | None) -> list[ProfileAnswer]:
    if profile is None:
        return []
    return list(
        ProfileAnswer.objects.filter(profile=profile)
        .select_related("criterion")
        .prefetch_related("evidence")
        .order_by("criterion__sort_key")
    )


def answer_snapshot(answer: ProfileAnswer) -> AnswerSnapshot:
    return AnswerSnapshot(
        criterion=answer.criterion.code,
        status=answer.status,
        narrative=answer.narrative,
        not_applicable_reason=answer.not_applicable_reason,
        evidence=frozenset(e.sha256 for e in answer.evidence.all()),
    )


def applicable(answers: Iterable[ProfileAnswer], entity_type: str) -> list[ProfileAnswer]:
    return [a for a in answers if entity_type in a.criterion.entity_types]


@dataclass(frozen=True)
class DiffRow:
    """One criterion of the diff, with the answer rows behind it (for statements and files)."""

    diff: CriterionDiff
    old: ProfileAnswer | None
    new: ProfileAnswer | None

    @property
    def criterion(self) -> Criterion:
        row = self.new or self.old
        assert row is not None
        return row.criterion

    @property
    def evidence_added(self) -> list[Evidence]:
        """This year's files whose content was not in last year's answer."""
        return (
            [e for e in self.new.evidence.all() if e.sha256 in self.diff.evidence_added] if self.new else []
        )

    @property
    def evidence_removed(self) -> list[Evidence]:
        """Last year's files whose content is no longer in this year's answer."""
        return (
            [e for e in self.old.evidence.all() if e.sha256 in self.diff.evidence_removed] if self.old else []
        )


def review_diff(review: AnnualReview) -> list[DiffRow]:
    """Last year's answers against this year's, criterion by criterion."""
    entity_type = review.partner.entity_type
    old = {a.criterion.code: a for a in applicable(review_answers(review.previous_profile), entity_type)}
    new = {a.criterion.code: a for a in applicable(review_answers(review.profile), entity_type)}
    diffs = profile_diff(
        [answer_snapshot(a) for a in old.values()], [answer_snapshot(a) for a in new.values()]
    )
    return [DiffRow(d, old.get(d.criterion), new.get(d.criterion)) for d in diffs]


def diff_summary(rows: Iterable[DiffRow]) -> dict[str, int]:
    return {kind.value: count for kind, count in diff_counts(r.diff for r in rows).items()}


def changed_rows(rows: Iterable[DiffRow]) -> list[DiffRow]:
    return [r for r in rows if r.diff.kind is not DiffKind.UNCHANGED]


def risk_assessment_diff(review: AnnualReview) -> tuple[WordChange, ...]:
    """This year's risk assessment against last year's review's, word by word (empty: unchanged)."""
    last = (
        AnnualReview.objects.filter(partner_id=review.partner_id, cycle__lt=review.cycle)
        .order_by("-cycle")
        .values_list("risk_assessment", flat=True)
        .first()
    ) or ""
    if last.strip() == review.risk_assessment.strip():
        return ()
    return word_diff(last, review.risk_assessment)


def review_gaps(review: AnnualReview) -> list[Gap]:
    """What the year's profile still lacks before the officer can re-submit it."""
    answers = applicable(review_answers(review.profile), review.partner.entity_type)
    return [gap for facts in answer_facts(answers) for gap in answer_gaps(facts)]


# --- The agency's queue -------------------------------------------------------------------------


@dataclass(frozen=True)
class FullRevalidationRow:
    partner: Partner
    clock: FullRevalidation
    days_left: int
    plan_url: str


def validation_plan_url(partner: Partner) -> str:
    """The validation app's planning page, when that app is installed."""
    try:
        return reverse("validation:plan", args=[partner.pk])
    except NoReverseMatch:
        return ""


def full_revalidation_clocks(
    *, partner_ids: Collection[int] | None = None
) -> list[tuple[Partner, FullRevalidation]]:
    """Every member's full-revalidation deadline, recomputed from its lifecycle events."""
    partners = Partner.objects.filter(status__in=list(MEMBER_STATUSES)).select_related("assigned_specialist")
    if partner_ids is not None:
        partners = partners.filter(pk__in=list(partner_ids))
    by_partner: dict[int, list[LifecycleEvent]] = {}
    for partner_id, transition, at in PartnerEvent.objects.filter(partner__in=partners).values_list(
        "partner_id", "transition", "at"
    ):
        by_partner.setdefault(partner_id, []).append(LifecycleEvent(transition, at))
    years = int(settings.FULL_REVALIDATION_YEARS)
    found = []
    for partner in partners:
        clock = full_revalidation_due(by_partner.get(partner.pk, []), years=years)
        if clock is not None:
            found.append((partner, clock))
    return sorted(found, key=lambda pair: pair[1].due)


def full_revalidations_due(*, now: datetime | None = None) -> list[FullRevalidationRow]:
    moment = now or timezone.now()
    return [
        FullRevalidationRow(partner, clock, clock.days_left(moment), validation_plan_url(partner))
        for partner, clock in full_revalidation_clocks()
    ]


@dataclass(frozen=True)
class ReviewRow:
    review: AnnualReview
    window: AnnualWindow | None
    missed: bool


def agency_review_rows(*, states: Collection[str]) -> list[ReviewRow]:
    reviews = (
        AnnualReview.objects.filter(state__in=list(states))
        .select_related("partner", "partner__assigned_specialist")
        .prefetch_related(Prefetch("events", queryset=ReviewEvent.objects.order_by("at")))
    )
    rows = []
    for review in reviews:
        missed = any(e.action == "miss" for e in review.events.all())
        rows.append(ReviewRow(review, window_of(review), missed))
    return sorted(rows, key=lambda r: r.window.anniversary if r.window else date.max)


def reviews_to_decide() -> list[ReviewRow]:
    return agency_review_rows(states=[ReviewState.SUBMITTED])


def reviews_with_partner() -> list[ReviewRow]:
    return agency_review_rows(states=[ReviewState.OPEN, ReviewState.RETURNED])


# --- Best practices ---------------------------------------------------------------------------


def training_criteria() -> list[Criterion]:
    """Category 12 of the current catalogue: the criteria a training record maps to."""
    return list(
        Criterion.objects.filter(catalogue=catalogue_current(), category_number=TRAINING_CATEGORY).order_by(
            "sort_key"
        )
    )


def assessment_criteria(partner: Partner) -> list[Criterion]:
    """The current catalogue's criteria that apply to the partner: an internal assessment's scope."""
    rows = Criterion.objects.filter(catalogue=catalogue_current()).order_by("sort_key")
    return [c for c in rows if partner.entity_type in c.entity_types]


def assessments(partner: Partner) -> QuerySet[InternalAssessment]:
    return InternalAssessment.objects.filter(partner=partner).prefetch_related("findings__criterion")


def trainings(partner: Partner) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(partner=partner).prefetch_related("criteria")


def actions(partner: Partner) -> QuerySet[ImprovementAction]:
    return ImprovementAction.objects.filter(partner=partner).select_related("criterion", "assessment")


def action_events(partner_ids: Collection[int] | None = None) -> dict[int, list[ActionEvent]]:
    """Each improvement action's events, as the core reads them."""
    rows = BestPracticeEvent.objects.filter(subject=BestPracticeEvent.Subject.ACTION)
    if partner_ids is not None:
        rows = rows.filter(partner_id__in=list(partner_ids))
    found: dict[int, list[ActionEvent]] = {}
    for subject_id, action, at, details in rows.values_list("subject_id", "action", "at", "details"):
        due = date.fromisoformat(details["due_on"]) if details.get("due_on") else None
        found.setdefault(subject_id, []).append(ActionEvent(action, at, due))
    return found


def open_action_dues(partner_ids: Collection[int] | None = None) -> dict[int, date]:
    """Open actions' due dates, recomputed from their events."""
    dues = {}
    for action_id, events in action_events(partner_ids).items():
        due = improvement_action_due(events)
        if due is not None:
            dues[action_id] = due
    return dues
