"""Reads for the review: work queues with their clocks, workload and assignment suggestions,
the vetting checklist, the risk score, recommendations, certificates and the partner's tier.

Every clock shown is recomputed from the event rows (``ctpat.core.clocks``); nothing here
reads a stored due date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import answer_facts, applicable_answers, clock_policy, partner_tier
from ctpat.core.clocks import Clock, LifecycleEvent, open_clocks
from ctpat.core.decisions import VettingCheckKind, is_vetting_complete
from ctpat.core.entity_types import EntityType
from ctpat.core.lifecycle import FINAL_STATUSES, PartnerStatus
from ctpat.core.risk import (
    AssessmentStep,
    FacilityLocation,
    OriginShare,
    RiskInputs,
    RiskPolicy,
    RiskScore,
    is_risk_assessed,
    risk_score,
)
from ctpat.core.tiers import BENEFITS, TierBenefits, TierStanding
from ctpat.review.country_threats import country_threats
from ctpat.review.models import (
    Assignment,
    Certificate,
    Recommendation,
    RiskAssessment,
    RiskScoreRecord,
    Team,
    VettingCheck,
)

# Files with the agency, waiting for a certification decision.
OPEN_APPLICATION = (PartnerStatus.APPLICANT, PartnerStatus.UNDER_REVIEW)
# Who can hold files: specialists, and supervisors who take a file themselves.
ASSIGNABLE_ROLES = (Role.SPECIALIST, Role.SUPERVISOR)


# --- People ----------------------------------------------------------------------------------


def agency_people(roles: Iterable[str]) -> QuerySet[User]:
    """Active users holding one of ``roles`` in an agency organisation, by name."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization__kind=OrganizationKind.AGENCY,
            memberships__role__in=list(roles),
        )
        .distinct()
        .order_by("full_name", "email")
    )


def assignable_people() -> QuerySet[User]:
    return agency_people(ASSIGNABLE_ROLES)


def supervisors_of(specialist: User | None) -> list[User]:
    """Who decides on a specialist's recommendations: their team's supervisor, or (for a
    specialist in no team, or a team without one) every supervisor."""
    if specialist is not None:
        team = Team.objects.filter(members__specialist=specialist, supervisor__isnull=False).first()
        if team is not None and team.supervisor is not None and team.supervisor != specialist:
            return [team.supervisor]
    supervisors = agency_people([Role.SUPERVISOR])
    if specialist is not None:
        supervisors = supervisors.exclude(pk=specialist.pk)
    return list(supervisors)


# --- Clocks and queues -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClockRow:
    partner: Partner
    clock: Clock
    days_left: int
    overdue: bool

    @property
    def paused(self) -> bool:
        return self.clock.paused_since is not None


@dataclass(frozen=True)
class FileRow:
    """One file in a queue: its open clocks and how far the review has come."""

    partner: Partner
    clocks: list[ClockRow]
    submitted_at: datetime | None
    vetting_recorded: int
    risk_assessed: bool
    pending: Recommendation | None = None

    @property
    def vetting_total(self) -> int:
        return len(VettingCheckKind)

    @property
    def sort_key(self) -> tuple[bool, int]:
        running = [c.days_left for c in self.clocks if not c.paused]
        return (not running, min(running) if running else 0)


def events_by_partner(partner_ids: Iterable[int]) -> dict[int, list[LifecycleEvent]]:
    """Each partner's events as the clocks read them, in one query."""
    events: dict[int, list[LifecycleEvent]] = {}
    rows = PartnerEvent.objects.filter(partner_id__in=list(partner_ids)).order_by("at", "id")
    for partner_id, transition, at in rows.values_list("partner_id", "transition", "at"):
        events.setdefault(partner_id, []).append(LifecycleEvent(transition, at))
    return events


def clock_rows(partner: Partner, events: Sequence[LifecycleEvent], now: datetime) -> list[ClockRow]:
    return [
        ClockRow(partner, clock, clock.days_left(now), clock.is_overdue(now))
        for clock in open_clocks(events, clock_policy())
    ]


def _file_rows(partners: Iterable[Partner], now: datetime) -> list[FileRow]:
    partners = list(partners)
    ids = [p.pk for p in partners]
    events = events_by_partner(ids)
    kinds: dict[int, set[str]] = {}
    for partner_id, kind in VettingCheck.objects.filter(partner_id__in=ids).values_list("partner_id", "kind"):
        kinds.setdefault(partner_id, set()).add(kind)
    pending = pending_recommendations(partners)
    rows = [
        FileRow(
            partner=partner,
            clocks=clock_rows(partner, events.get(partner.pk, []), now),
            submitted_at=next((e.at for e in events.get(partner.pk, []) if e.transition == "submit"), None),
            vetting_recorded=len(kinds.get(partner.pk, set())),
            risk_assessed=risk_assessed(partner),
            pending=pending.get(partner.pk),
        )
        for partner in partners
    ]
    return sorted(rows, key=lambda row: row.sort_key)


def _partners() -> QuerySet[Partner]:
    return Partner.objects.select_related("organization", "assigned_specialist")


def unassigned_queue(*, now: datetime | None = None) -> list[FileRow]:
    """Submitted applications no specialist holds, the least time left first."""
    partners = _partners().filter(status__in=OPEN_APPLICATION, assigned_specialist__isnull=True)
    return _file_rows(partners, now or timezone.now())


def portfolio_of(specialist: User, *, now: datetime | None = None) -> list[FileRow]:
    """Every file a specialist holds that is not closed (applications, returned ones waiting
    for the partner, members), the least time left first."""
    partners = _partners().filter(assigned_specialist=specialist).exclude(status__in=FINAL_STATUSES)
    return _file_rows(partners, now or timezone.now())


def clock_board(*, specialists: Iterable[User] | None = None, now: datetime | None = None) -> list[ClockRow]:
    """Every open clock (of the given specialists' files, or of all), overdue first, then the
    fewest days left; paused clocks (the partner has the file) come last."""
    now = now or timezone.now()
    query = _partners().exclude(status__in=FINAL_STATUSES)
    if specialists is not None:
        query = query.filter(assigned_specialist__in=list(specialists))
    partners = list(query)
    events = events_by_partner(p.pk for p in partners)
    rows = [row for p in partners for row in clock_rows(p, events.get(p.pk, []), now)]
    return sorted(rows, key=lambda r: (r.paused, r.days_left, r.partner.legal_name))


@dataclass(frozen=True)
class WorkloadRow:
    specialist: User
    open_applications: int
    portfolio: int
    overdue: int
    awaiting_decision: int


def workload(specialists: Iterable[User], *, now: datetime | None = None) -> list[WorkloadRow]:
    now = now or timezone.now()
    rows = []
    for specialist in specialists:
        files = portfolio_of(specialist, now=now)
        rows.append(
            WorkloadRow(
                specialist=specialist,
                open_applications=sum(1 for f in files if f.partner.status in OPEN_APPLICATION),
                portfolio=len(files),
                overdue=sum(1 for f in files for c in f.clocks if c.overdue),
                awaiting_decision=sum(1 for f in files if f.pending is not None),
            )
        )
    return rows


@dataclass(frozen=True)
class TeamView:
    name: str
    supervisor: User | None
    rows: list[WorkloadRow] = field(default_factory=list)


def team_views(membership: Membership, *, now: datetime | None = None) -> list[TeamView]:
    """The teams a person sees: a supervisor their own team(s), a specialist their team, the
    program director and other staff every team plus the specialists in none."""
    teams = Team.objects.select_related("supervisor").prefetch_related("members__specialist")
    if membership.role == Role.SUPERVISOR and teams.filter(supervisor=membership.user).exists():
        teams = teams.filter(supervisor=membership.user)
    elif membership.role == Role.SPECIALIST and teams.filter(members__specialist=membership.user).exists():
        teams = teams.filter(members__specialist=membership.user)
    views = [
        TeamView(team.name, team.supervisor, workload([m.specialist for m in team.members.all()], now=now))
        for team in teams
    ]
    if membership.role not in (Role.SUPERVISOR, Role.SPECIALIST) or not views:
        loose = agency_people([Role.SPECIALIST]).filter(team_membership__isnull=True)
        if loose.exists():
            views.append(TeamView("Specialists in no team", None, workload(loose, now=now)))
    return views


def team_specialists(supervisor: User) -> list[User]:
    return [
        m.specialist
        for team in Team.objects.filter(supervisor=supervisor).prefetch_related("members__specialist")
        for m in team.members.all()
    ]


# --- Assignment suggestions ------------------------------------------------------------------

# The suggestion's weights: experience with the entity type counts up to a cap, so that the
# most experienced person is not handed every file; each open application counts against.
EXPERIENCE_POINTS = 2
EXPERIENCE_CAP = 5
WORKLOAD_POINTS = 1


@dataclass(frozen=True)
class Suggestion:
    specialist: User
    experience: int  # other files of this entity type the person has held
    workload: int  # open applications in their portfolio now
    points: int

    @property
    def why(self) -> str:
        return (
            f"{self.experience} earlier file(s) of this entity type (+{EXPERIENCE_POINTS} each, "
            f"at most {EXPERIENCE_CAP} counted), {self.workload} open application(s) "
            f"(−{WORKLOAD_POINTS} each): {self.points} points"
        )

    def as_record(self) -> dict[str, object]:
        return {
            "specialist_id": self.specialist.pk,
            "specialist": str(self.specialist),
            "experience": self.experience,
            "workload": self.workload,
            "points": self.points,
        }


def suggestion_candidates(membership: Membership) -> list[User]:
    """A supervisor's suggestions come from their team; otherwise from every specialist."""
    if membership.role == Role.SUPERVISOR:
        team = team_specialists(membership.user)
        if team:
            return team
    return list(agency_people([Role.SPECIALIST]))


def assignment_suggestions(partner: Partner, *, candidates: Sequence[User]) -> list[Suggestion]:
    """Candidates ranked by experience with the partner's entity type and current workload
    (the most points first; ties: fewer open applications, then name)."""
    suggestions = []
    for person in candidates:
        held = (
            Partner.objects.filter(entity_type=partner.entity_type)
            .filter(Q(assignments__specialist=person) | Q(assigned_specialist=person))
            .exclude(pk=partner.pk)
            .distinct()
            .count()
        )
        load = Partner.objects.filter(assigned_specialist=person, status__in=OPEN_APPLICATION).count()
        points = EXPERIENCE_POINTS * min(held, EXPERIENCE_CAP) - WORKLOAD_POINTS * load
        suggestions.append(Suggestion(person, held, load, points))
    return sorted(suggestions, key=lambda s: (-s.points, s.workload, s.specialist.full_name, s.specialist.pk))


def assignments_of(partner: Partner) -> QuerySet[Assignment]:
    return partner.assignments.select_related("specialist", "assigned_by", "previous_specialist")


# --- Vetting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VettingItem:
    kind: VettingCheckKind
    latest: VettingCheck | None
    earlier: list[VettingCheck]


def vetting_checks_of(partner: Partner) -> QuerySet[VettingCheck]:
    return partner.vetting_checks.select_related("recorded_by", "screening").order_by("-at", "-id")


def vetting_checklist(partner: Partner) -> list[VettingItem]:
    """Each check with its latest recorded result and the earlier ones."""
    by_kind: dict[str, list[VettingCheck]] = {}
    for check in vetting_checks_of(partner):
        by_kind.setdefault(check.kind, []).append(check)
    items = []
    for kind in VettingCheckKind:
        rows = by_kind.get(kind.value, [])
        items.append(VettingItem(kind, rows[0] if rows else None, rows[1:]))
    return items


def vetting_complete(partner: Partner) -> bool:
    return is_vetting_complete(partner.vetting_checks.values_list("kind", flat=True))


def derogatory_checks(partner: Partner) -> list[str]:
    """The checks whose latest result found derogatory information."""
    return [item.kind.label for item in vetting_checklist(partner) if item.latest and item.latest.derogatory]


# --- Risk ------------------------------------------------------------------------------------


def risk_policy() -> RiskPolicy:
    return RiskPolicy()


def incident_count_of(partner: Partner) -> int:
    """Recorded incidents of the partner (self-reported or found by the agency)."""
    from ctpat.incidents.selectors import incident_count

    return incident_count(partner)


def risk_inputs(partner: Partner) -> RiskInputs:
    return RiskInputs(
        entity_type=EntityType(partner.entity_type),
        answers=answer_facts(applicable_answers(partner)),
        origins=[
            OriginShare(o.country, o.share_percent)
            for o in partner.origin_countries.order_by("-share_percent")
        ],
        facilities=[FacilityLocation(f.name, f.country) for f in partner.facilities.order_by("name")],
        derogatory_checks=derogatory_checks(partner),
        incident_count=incident_count_of(partner),
        threats=country_threats(),
    )


def risk_score_live(partner: Partner) -> RiskScore:
    """The score from the application and vetting as they are now."""
    return risk_score(risk_inputs(partner), risk_policy())


def risk_score_latest(partner: Partner) -> RiskScoreRecord | None:
    return partner.risk_scores.select_related("recorded_by").first()


def assessment_of(partner: Partner) -> RiskAssessment | None:
    return RiskAssessment.objects.filter(partner=partner).select_related("updated_by").first()


def assessment_texts(partner: Partner) -> dict[str, str]:
    assessment = assessment_of(partner)
    return {step.value: getattr(assessment, step.value, "") if assessment else "" for step in AssessmentStep}


def risk_assessed(partner: Partner) -> bool:
    return is_risk_assessed(score_recorded=partner.risk_scores.exists(), texts=assessment_texts(partner))


def certification_facts(partner: Partner) -> dict[str, object]:
    """The facts the lifecycle's ``certify`` guard reads, computed from the review's records."""
    return {"vetting_complete": vetting_complete(partner), "risk_assessed": risk_assessed(partner)}


# --- Recommendations, decisions, certificates, tier ------------------------------------------


# Events after which an undecided recommendation no longer waits: the application went back to
# the partner, or was decided or closed some other way.
SUPERSEDING = frozenset({"return_to_partner", "certify", "reject", "withdraw", "remove"})


def undecided_recommendations() -> QuerySet[Recommendation]:
    """Certify/reject recommendations no supervisor has decided on."""
    return Recommendation.objects.filter(
        kind__in=["certify", "reject"], decision__isnull=True
    ).select_related("recommended_by")


def _still_waiting(recommendation: Recommendation, events: Iterable[LifecycleEvent]) -> bool:
    return not any(e.transition in SUPERSEDING and e.at > recommendation.at for e in events)


def pending_recommendations(partners: Iterable[Partner]) -> dict[int, Recommendation]:
    """Per partner, the recommendation that waits for a supervisor (at most one)."""
    ids = [p.pk for p in partners]
    events = events_by_partner(ids)
    waiting: dict[int, Recommendation] = {}
    for recommendation in undecided_recommendations().filter(partner_id__in=ids).order_by("-at", "-id"):
        if recommendation.partner_id not in waiting and _still_waiting(
            recommendation, events.get(recommendation.partner_id, [])
        ):
            waiting[recommendation.partner_id] = recommendation
    return waiting


def pending_recommendation(partner: Partner) -> Recommendation | None:
    return pending_recommendations([partner]).get(partner.pk)


def recommendations_of(partner: Partner) -> QuerySet[Recommendation]:
    return partner.recommendations.select_related(
        "recommended_by", "decision", "decision__decided_by", "partner_event"
    )


def certificates_of(partner: Partner) -> QuerySet[Certificate]:
    return partner.certificates.select_related("issued_by")


@dataclass(frozen=True)
class Standing:
    """A partner's tier, since when and why, its benefits, and its latest certificate."""

    tier: TierStanding
    benefits: TierBenefits | None
    certificate: Certificate | None


def partner_standing(partner: Partner) -> Standing:
    tier = partner_tier(partner)
    return Standing(
        tier=tier,
        benefits=BENEFITS.get(tier.tier) if tier.tier is not None else None,
        certificate=certificates_of(partner).first(),
    )


@dataclass(frozen=True)
class BenefitRow:
    label: str
    values: list[str]  # one per tier, in the order of ``BENEFITS``


def benefit_rows() -> list[BenefitRow]:
    """``core.tiers.BENEFITS`` as a table: one row per benefit, one column per tier."""
    tiers = [BENEFITS[number] for number in sorted(BENEFITS)]

    def yes_no(value: bool) -> str:
        return "Yes" if value else "No"

    return [
        BenefitRow(
            "Risk-score reduction (share of the high-risk threshold)",
            [f"{b.risk_score_reduction:.0%}" for b in tiers],
        ),
        BenefitRow("Access to FAST lanes", [yes_no(b.fast_lanes) for b in tiers]),
        BenefitRow("Fewer examinations", [yes_no(b.fewer_examinations) for b in tiers]),
        BenefitRow("Front-of-line inspection", [yes_no(b.front_of_line) for b in tiers]),
        BenefitRow("Expedited release at all threat levels", [yes_no(b.expedited_release) for b in tiers]),
    ]
