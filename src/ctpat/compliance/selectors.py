"""Reads of compliance: a partner's letters with their deadlines, plans, sanctions, appeals and
the window to appeal, the benefits a suspended partner keeps, and the agency's work list.

Every deadline here is recomputed from the event rows through ``core.sanctions``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import partner_tier
from ctpat.compliance.models import (
    Appeal,
    ComplianceCase,
    ComplianceEvent,
    CorrectiveActionPlan,
    SanctionRecommendation,
    VisitConsent,
    WarningLetter,
)
from ctpat.core.lifecycle import PartnerStatus
from ctpat.core.sanctions import (
    AppealPolicy,
    AppealState,
    Benefit,
    CaseState,
    ComplianceClock,
    DecisionEvent,
    LetterState,
    RecommendationState,
    SanctionEvent,
    SanctionGround,
    Subject,
    appeal_decision_due,
    appeal_filing_clock,
    benefits_in_force,
    ground_of,
    letter_response_due,
    tier_benefits,
)
from ctpat.core.tiers import TierEvent, tier_standing


def appeal_policy() -> AppealPolicy:
    """The appeal periods, from settings where an operator set them (the law's by default)."""
    return AppealPolicy(
        benefit_denial_days=getattr(settings, "APPEAL_BENEFIT_DENIAL_DAYS", 90),
        false_information_days=getattr(settings, "APPEAL_FALSE_INFORMATION_DAYS", 30),
        decision_days=getattr(settings, "APPEAL_DECISION_DAYS", 180),
        default_response_days=getattr(settings, "WARNING_LETTER_RESPONSE_DAYS", 30),
    )


def people_with_role(role: Role) -> QuerySet[User]:
    return User.objects.filter(memberships__role=role, is_active=True).distinct()


def directors_other_than(user_id: int | None) -> QuerySet[User]:
    """The program directors who may decide an appeal against ``user_id``'s decision."""
    directors = people_with_role(Role.PROGRAM_DIRECTOR)
    return directors.exclude(pk=user_id) if user_id is not None else directors


def partner_officers(partner: Partner) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organization_id=partner.organization_id, memberships__role=Role.COMPANY_OFFICER
        )
    )


# --- Event rows -------------------------------------------------------------------------------


def sanction_event(row: ComplianceEvent) -> SanctionEvent:
    return SanctionEvent(row.subject, row.subject_id, row.step, row.at, row.details or {})


def sanction_events(*, partner_ids: Collection[int] | None = None) -> dict[int, list[SanctionEvent]]:
    """The compliance event rows, as the core reads them, per partner."""
    rows = ComplianceEvent.objects.order_by("at", "id")
    if partner_ids is not None:
        rows = rows.filter(partner_id__in=list(partner_ids))
    by_partner: dict[int, list[SanctionEvent]] = {}
    for row in rows:
        by_partner.setdefault(row.partner_id, []).append(sanction_event(row))
    return by_partner


def record_events(subject: Subject, record_id: int) -> QuerySet[ComplianceEvent]:
    return ComplianceEvent.objects.filter(subject=subject, subject_id=record_id).select_related("actor")


def decision_events(partner: Partner) -> list[DecisionEvent]:
    rows = PartnerEvent.objects.filter(partner=partner).order_by("at", "id")
    return [DecisionEvent(e.pk, e.transition, e.at, e.details or {}) for e in rows]


# --- Letters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterView:
    letter: WarningLetter
    issued_at: datetime
    due: datetime

    def is_open(self) -> bool:
        return self.letter.state == LetterState.ISSUED

    def is_overdue(self) -> bool:
        return self.is_open() and timezone.now() > self.due

    def days_left(self) -> int:
        return (self.due - timezone.now()).days


def letter_view(letter: WarningLetter) -> LetterView:
    """The letter with the date it was sent and its deadline, from its issue event."""
    issued = record_events(Subject.LETTER, letter.pk).filter(step="issue").first()
    issued_at = issued.at if issued else timezone.now()
    return LetterView(letter, issued_at, letter_response_due(issued_at, letter.response_days))


def letters_of(partner: Partner) -> list[LetterView]:
    letters = WarningLetter.objects.filter(case__partner=partner).select_related("case", "issued_by")
    return [letter_view(letter) for letter in letters]


def letters_of_case(case: ComplianceCase) -> list[LetterView]:
    return [letter_view(letter) for letter in case.letters.select_related("issued_by")]


# --- Plans ------------------------------------------------------------------------------------


def plans_of_letter(letter: WarningLetter) -> QuerySet[CorrectiveActionPlan]:
    return letter.plans.prefetch_related("objectives").select_related("submitted_by")


def plans_of(partner: Partner) -> QuerySet[CorrectiveActionPlan]:
    return (
        CorrectiveActionPlan.objects.filter(letter__case__partner=partner)
        .select_related("letter", "submitted_by")
        .prefetch_related("objectives")
    )


def plan_history(plan: CorrectiveActionPlan) -> list[ComplianceEvent]:
    """The plan's steps and the progress reported on its objectives, oldest first."""
    objective_ids = list(plan.objectives.values_list("pk", flat=True))
    plan_rows = record_events(Subject.PLAN, plan.pk)
    objective_rows = ComplianceEvent.objects.filter(
        subject=Subject.OBJECTIVE, subject_id__in=objective_ids
    ).select_related("actor")
    return sorted([*plan_rows, *objective_rows], key=lambda e: (e.at, e.pk))


def objective_notes(plan: CorrectiveActionPlan) -> dict[int, list[ComplianceEvent]]:
    notes: dict[int, list[ComplianceEvent]] = {}
    objective_ids = list(plan.objectives.values_list("pk", flat=True))
    rows = ComplianceEvent.objects.filter(subject=Subject.OBJECTIVE, subject_id__in=objective_ids)
    for row in rows.select_related("actor").order_by("at", "id"):
        notes.setdefault(row.subject_id, []).append(row)
    return notes


def latest_plan(letter: WarningLetter) -> CorrectiveActionPlan | None:
    return letter.plans.order_by("-id").first()


# --- Sanctions, consent, reinstatement ---------------------------------------------------------


def case_history(case: ComplianceCase) -> list[ComplianceEvent]:
    """The steps of the case, its letters, their plans and its recommendations, oldest first."""
    letter_ids = list(case.letters.values_list("pk", flat=True))
    records = {
        Subject.CASE: [case.pk],
        Subject.LETTER: letter_ids,
        Subject.PLAN: list(
            CorrectiveActionPlan.objects.filter(letter_id__in=letter_ids).values_list("pk", flat=True)
        ),
        Subject.RECOMMENDATION: list(case.recommendations.values_list("pk", flat=True)),
    }
    rows = ComplianceEvent.objects.none()
    for subject, ids in records.items():
        rows = rows | ComplianceEvent.objects.filter(subject=subject, subject_id__in=ids)
    return list(rows.select_related("actor").order_by("at", "id"))


def cases_of(partner: Partner) -> QuerySet[ComplianceCase]:
    return ComplianceCase.objects.filter(partner=partner).select_related("opened_by")


def recommendations_of(case: ComplianceCase) -> QuerySet[SanctionRecommendation]:
    return case.recommendations.select_related("recommended_by", "partner_event__actor")


def pending_recommendation(case: ComplianceCase) -> SanctionRecommendation | None:
    return case.recommendations.filter(state=RecommendationState.PENDING).first()


def latest_event(partner: Partner, transition: str | None = None) -> PartnerEvent | None:
    rows = PartnerEvent.objects.filter(partner=partner)
    if transition is not None:
        rows = rows.filter(transition=transition)
    return rows.order_by("-at", "-id").first()


@dataclass(frozen=True)
class ReinstatementFacts:
    suspended_at: datetime | None
    plan_accepted: bool
    visits_consented: bool


def reinstatement_facts(partner: Partner) -> ReinstatementFacts:
    """Whether a plan was accepted, and consent to visits given, since the latest suspension."""
    suspension = latest_event(partner, "suspend")
    since = suspension.at if suspension else None
    accepted = ComplianceEvent.objects.filter(partner=partner, subject=Subject.PLAN, step="accept")
    consents = ComplianceEvent.objects.filter(partner=partner, subject=Subject.CONSENT, step="give")
    if since is not None:
        accepted, consents = accepted.filter(at__gte=since), consents.filter(at__gte=since)
    return ReinstatementFacts(since, accepted.exists(), consents.exists())


def consents_of(partner: Partner) -> QuerySet[VisitConsent]:
    return VisitConsent.objects.filter(partner=partner).select_related("given_by")


@dataclass(frozen=True)
class BenefitsView:
    """What a partner's benefits are now: its tier's, or for a suspended partner the benefits
    of the tier it held less the suspended ones (plus any an appeal restored)."""

    tier: int | None
    suspended: frozenset[Benefit]
    restored: frozenset[Benefit]
    in_force: frozenset[Benefit]

    def labels(self, benefits: Iterable[Benefit]) -> list[str]:
        return [b.label for b in Benefit if b in set(benefits)]


def suspended_benefits(event: PartnerEvent) -> frozenset[Benefit]:
    names = (event.details or {}).get("benefits") or [b.value for b in Benefit]
    return frozenset(Benefit(name) for name in names if name in Benefit._value2member_map_)


def partner_benefits(partner: Partner) -> BenefitsView:
    if partner.status != PartnerStatus.SUSPENDED:
        tier = partner_tier(partner).tier
        held = tier_benefits(tier)
        return BenefitsView(tier, frozenset(), frozenset(), held)
    suspension = latest_event(partner, "suspend")
    assert suspension is not None  # a suspended partner has its suspension event
    earlier = PartnerEvent.objects.filter(partner=partner, at__lt=suspension.at)
    tier_before = tier_standing(
        TierEvent(e.transition, e.at, e.details or {}, e.reason) for e in earlier
    ).tier
    appeal = Appeal.objects.filter(decision_event=suspension, state=AppealState.PARTLY_GRANTED).first()
    restored = frozenset(Benefit(b) for b in appeal.restored_benefits) if appeal else frozenset()
    suspended = suspended_benefits(suspension)
    kept = benefits_in_force(tier_before=tier_before, suspended=suspended, restored=restored)
    return BenefitsView(tier_before, suspended, restored, kept)


# --- Appeals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppealWindow:
    """The decision the partner may still appeal, and until when."""

    event: PartnerEvent
    ground: SanctionGround
    clock: ComplianceClock


def appeal_window(partner: Partner, *, now: datetime | None = None) -> AppealWindow | None:
    appealed = set(Appeal.objects.filter(partner=partner).values_list("decision_event_id", flat=True))
    clock = appeal_filing_clock(
        decision_events(partner), appealed, appeal_policy(), now=now or timezone.now()
    )
    if clock is None:
        return None
    event = PartnerEvent.objects.select_related("actor").get(pk=clock.subject_id)
    return AppealWindow(event, ground_of(event.details or {}), clock)


def appeals_of(partner: Partner) -> QuerySet[Appeal]:
    return Appeal.objects.filter(partner=partner).select_related("decision_event", "decided_by", "filed_by")


def appeal_decision_deadline(appeal: Appeal) -> datetime | None:
    filed = record_events(Subject.APPEAL, appeal.pk).filter(step="file").first()
    return appeal_decision_due(filed.at, appeal_policy()) if filed else None


# --- The agency's work list -------------------------------------------------------------------


@dataclass(frozen=True)
class Worklist:
    cases: list[ComplianceCase]
    overdue_letters: list[LetterView]
    recommendations: list[SanctionRecommendation]
    appeals: list[tuple[Appeal, datetime | None]]


def agency_worklist() -> Worklist:
    cases = list(ComplianceCase.objects.filter(state=CaseState.OPEN).select_related("partner", "opened_by"))
    letters = WarningLetter.objects.filter(state=LetterState.ISSUED).select_related("case__partner")
    overdue = [view for view in map(letter_view, letters) if view.is_overdue()]
    recommendations = list(
        SanctionRecommendation.objects.filter(state=RecommendationState.PENDING).select_related(
            "case__partner", "recommended_by"
        )
    )
    appeals = Appeal.objects.filter(state=AppealState.FILED).select_related("partner", "decision_event")
    return Worklist(cases, overdue, recommendations, [(a, appeal_decision_deadline(a)) for a in appeals])
