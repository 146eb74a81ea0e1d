"""Reads of a partner's account: the application's gaps, progress, clocks and history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ctpat.applications.models import Partner, PartnerEvent, ProfileAnswer, SecurityProfile
from ctpat.core.clocks import Clock, ClockPolicy, LifecycleEvent, open_clocks
from ctpat.core.completeness import (
    AnswerFacts,
    ApplicationFacts,
    CategoryProgress,
    Gap,
    application_gaps,
    category_progress,
)
from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind
from ctpat.core.lifecycle import PartnerStatus
from ctpat.core.tiers import TierEvent, TierStanding, tier_standing


def clock_policy() -> ClockPolicy:
    return ClockPolicy(
        certification_days=settings.CERTIFICATION_DAYS, validation_days=settings.VALIDATION_DAYS
    )


def profile_current(partner: Partner) -> SecurityProfile | None:
    return (
        SecurityProfile.objects.filter(partner=partner, is_current=True).select_related("catalogue").first()
    )


def profile_answers(profile: SecurityProfile | None) -> QuerySet[ProfileAnswer]:
    if profile is None:
        return ProfileAnswer.objects.none()
    return (
        ProfileAnswer.objects.filter(profile=profile)
        .select_related("criterion")
        .prefetch_related("evidence")
        .order_by("criterion__sort_key")
    )


def answer_facts(answers: QuerySet[ProfileAnswer] | list[ProfileAnswer]) -> list[AnswerFacts]:
    return [
        AnswerFacts(
            criterion=a.criterion.code,
            category=a.criterion.category_number,
            is_must=a.criterion.is_must,
            status=a.status,
            narrative=a.narrative,
            not_applicable_reason=a.not_applicable_reason,
        )
        for a in answers
    ]


def application_facts(partner: Partner) -> ApplicationFacts:
    return ApplicationFacts(
        entity_type=EntityType(partner.entity_type),
        eligible=partner.eligible,
        has_address=bool(partner.street and partner.city and partner.country),
        identifiers=frozenset(IdentifierKind(k) for k in partner.identifiers.values_list("kind", flat=True)),
        contact_types=list(partner.contacts.values_list("contact_type", flat=True)),
        transport_modes=list(partner.transport_modes or []),
        origin_shares=list(partner.origin_countries.values_list("share_percent", flat=True)),
        facility_count=partner.facilities.count(),
        answers=answer_facts(applicable_answers(partner)),
    )


def applicable_answers(partner: Partner) -> list[ProfileAnswer]:
    """Answers to the criteria that apply to the partner's entity type now. Answers kept from
    before an entity-type change stay stored (with their evidence) but no longer count."""
    return [
        a
        for a in profile_answers(profile_current(partner))
        if partner.entity_type in a.criterion.entity_types
    ]


def application_gaps_for(partner: Partner) -> list[Gap]:
    return application_gaps(application_facts(partner))


def application_progress(partner: Partner) -> list[CategoryProgress]:
    return category_progress(answer_facts(applicable_answers(partner)))


def partner_events(partner: Partner) -> QuerySet[PartnerEvent]:
    return PartnerEvent.objects.filter(partner=partner).select_related("actor").order_by("at", "id")


def partner_tier(partner: Partner) -> TierStanding:
    """The partner's current tier, since when and why, derived from its event rows."""
    events = PartnerEvent.objects.filter(partner=partner).only("transition", "at", "details", "reason")
    return tier_standing(TierEvent(e.transition, e.at, e.details or {}, e.reason) for e in events)


def partner_clocks(partner: Partner) -> list[Clock]:
    """Open clocks, recomputed from the event rows every time."""
    events = [LifecycleEvent(e.transition, e.at) for e in PartnerEvent.objects.filter(partner=partner)]
    return open_clocks(events, clock_policy())


@dataclass(frozen=True)
class InboxRow:
    partner: Partner
    submitted_at: datetime | None
    clock: Clock | None
    days_left: int | None


def agency_inbox(
    *, statuses: tuple[str, ...] = (PartnerStatus.APPLICANT, PartnerStatus.UNDER_REVIEW)
) -> list[InboxRow]:
    """Submitted applications with their 90-day clock, the least time left first."""
    now = timezone.now()
    partners = list(
        Partner.objects.filter(status__in=statuses).select_related("organization", "assigned_specialist")
    )
    events_by_partner: dict[int, list[LifecycleEvent]] = {}
    for event in PartnerEvent.objects.filter(partner__in=partners).order_by("at"):
        events_by_partner.setdefault(event.partner_id, []).append(LifecycleEvent(event.transition, event.at))
    rows = []
    policy = clock_policy()
    for partner in partners:
        events = events_by_partner.get(partner.pk, [])
        clocks = [c for c in open_clocks(events, policy) if c.kind == "certification"]
        clock = clocks[0] if clocks else None
        submitted = next((e.at for e in events if e.transition == "submit"), None)
        rows.append(InboxRow(partner, submitted, clock, clock.days_left(now) if clock else None))
    return sorted(rows, key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0))
