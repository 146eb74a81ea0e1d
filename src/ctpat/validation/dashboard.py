"""The agency dashboard (issue 3, item 8): where the program stands and what needs attention.

Every number is derived from the records: statuses from the partner rows, clocks and tiers from
the event rows (never a stored date), workload from assignments and open validations. Charts
are drawn where a person would rather look than read, each with its numbers beside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import User
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import clock_policy
from ctpat.charts import Chart, Series, bar_chart
from ctpat.core.clocks import Clock, ClockKind, LifecycleEvent, open_clocks
from ctpat.core.entity_types import EntityType
from ctpat.core.lifecycle import MEMBER_STATUSES, PartnerStatus
from ctpat.core.tiers import TierEvent, tier_standing
from ctpat.core.validation_rules import OPEN_STAGES
from ctpat.validation.access import access_agency
from ctpat.validation.models import Validation
from ctpat.validation.selectors import agency_specialists

# A certification clock with this many days left or fewer is at risk; a validation clock within
# this many days (policy).
CERTIFICATION_AT_RISK_DAYS = 14
VALIDATION_AT_RISK_DAYS = 60
REVIEW_STATUSES = (PartnerStatus.APPLICANT, PartnerStatus.UNDER_REVIEW)

SHORT_STATUS = {
    PartnerStatus.PRE_APPLICANT: "Pre-applicant",
    PartnerStatus.APPLICANT: "Submitted",
    PartnerStatus.UNDER_REVIEW: "In review",
    PartnerStatus.CERTIFIED: "Certified",
    PartnerStatus.VALIDATED: "Validated",
    PartnerStatus.CORRECTIVE_ACTION: "Corrective",
    PartnerStatus.SUSPENDED: "Suspended",
    PartnerStatus.REMOVED: "Removed",
    PartnerStatus.WITHDRAWN: "Withdrawn",
    PartnerStatus.REJECTED: "Rejected",
}
SHORT_ENTITY_TYPE = {
    EntityType.IMPORTER: "Importer",
    EntityType.EXPORTER: "Exporter",
    EntityType.AIR_CARRIER: "Air",
    EntityType.SEA_CARRIER: "Sea",
    EntityType.RAIL_CARRIER: "Rail",
    EntityType.HIGHWAY_CARRIER: "Highway",
    EntityType.MEXICAN_LONG_HAUL_CARRIER: "MX long-haul",
    EntityType.CUSTOMS_BROKER: "Broker",
    EntityType.CONSOLIDATOR: "Consolidator",
    EntityType.THIRD_PARTY_LOGISTICS: "3PL",
    EntityType.FOREIGN_MANUFACTURER: "Foreign mfr",
    EntityType.MARINE_PORT_AUTHORITY: "Port auth.",
    EntityType.TERMINAL_OPERATOR: "Terminal",
    EntityType.WAREHOUSE_OPERATOR: "Warehouse",
}


def quarter_bounds(day: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter ``day`` falls in.

    >>> quarter_bounds(date(2026, 5, 17))
    (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    """
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def clock_at_risk(clock: Clock, days_left: int) -> bool:
    """Certification: 14 days or fewer, or overdue. Validation: due within 60 days, or overdue.
    A paused certification clock (the partner has the application) is not at risk."""
    if clock.kind == ClockKind.CERTIFICATION:
        return clock.paused_since is None and days_left <= CERTIFICATION_AT_RISK_DAYS
    return days_left <= VALIDATION_AT_RISK_DAYS


@dataclass(frozen=True)
class ClockRow:
    partner: Partner
    clock: Clock
    days_left: int
    validation: Validation | None = None


@dataclass(frozen=True)
class WorkloadRow:
    specialist: User
    applications: int
    validations: int


@dataclass
class AgencyDashboard:
    today: date
    quarter: tuple[date, date]
    by_status: list[tuple[PartnerStatus, int]]
    clocks_at_risk: list[ClockRow]
    due_this_quarter: list[ClockRow]
    workload: list[WorkloadRow]
    by_entity_type: list[tuple[EntityType, int, int]]  # (type, all accounts, members)
    by_tier: list[tuple[str, int]]

    @property
    def open_applications(self) -> int:
        return sum(n for status, n in self.by_status if status in REVIEW_STATUSES)

    @property
    def charts(self) -> dict[str, Chart]:
        return {
            "status": bar_chart(
                "Partner accounts by status",
                [SHORT_STATUS[s] for s, _ in self.by_status],
                [Series("Accounts", [n for _, n in self.by_status])],
            ),
            "workload": bar_chart(
                "Workload per specialist",
                [row.specialist.full_name or row.specialist.email for row in self.workload],
                [
                    Series("Open applications assigned", [r.applications for r in self.workload]),
                    Series("Open validations led", [r.validations for r in self.workload]),
                ],
            ),
            "entity_type": bar_chart(
                "Partners by entity type",
                [SHORT_ENTITY_TYPE[t] for t, _, _ in self.by_entity_type],
                [
                    Series("All accounts", [n for _, n, _ in self.by_entity_type]),
                    Series("Members", [m for _, _, m in self.by_entity_type]),
                ],
            ),
            "tier": bar_chart(
                "Members by tier",
                [label for label, _ in self.by_tier],
                [Series("Partners", [n for _, n in self.by_tier])],
            ),
        }


def agency_dashboard(*, now: datetime | None = None) -> AgencyDashboard:
    """Everything the dashboard shows, read in a handful of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    partners = list(Partner.objects.select_related("assigned_specialist"))
    events: dict[int, list[PartnerEvent]] = {}
    for event in PartnerEvent.objects.only("partner_id", "transition", "at", "details", "reason"):
        events.setdefault(event.partner_id, []).append(event)
    open_validations = {
        v.partner_id: v for v in Validation.objects.filter(stage__in=OPEN_STAGES).select_related("lead")
    }
    rows = _clock_rows(partners, events, open_validations, now)
    quarter = quarter_bounds(today)
    return AgencyDashboard(
        today=today,
        quarter=quarter,
        by_status=_by_status(partners),
        clocks_at_risk=[r for r in rows if clock_at_risk(r.clock, r.days_left)],
        due_this_quarter=[
            r
            for r in rows
            if r.clock.kind == ClockKind.VALIDATION
            and quarter[0] <= timezone.localdate(r.clock.due) <= quarter[1]
        ],
        workload=_workload(partners, open_validations.values()),
        by_entity_type=_by_entity_type(partners),
        by_tier=_by_tier(partners, events),
    )


def _clock_rows(
    partners: list[Partner],
    events: dict[int, list[PartnerEvent]],
    open_validations: dict[int, Validation],
    now: datetime,
) -> list[ClockRow]:
    policy = clock_policy()
    rows = []
    for partner in partners:
        history = [LifecycleEvent(e.transition, e.at) for e in events.get(partner.pk, [])]
        for clock in open_clocks(history, policy):
            rows.append(ClockRow(partner, clock, clock.days_left(now), open_validations.get(partner.pk)))
    return sorted(rows, key=lambda r: (r.days_left, r.partner.legal_name))


def _by_status(partners: list[Partner]) -> list[tuple[PartnerStatus, int]]:
    counts = Counter(p.status for p in partners)
    return [(status, counts.get(status, 0)) for status in PartnerStatus]


def _workload(partners: list[Partner], validations: Iterable[Validation]) -> list[WorkloadRow]:
    assigned = Counter(
        p.assigned_specialist_id for p in partners if p.status in REVIEW_STATUSES and p.assigned_specialist_id
    )
    led = Counter(v.lead_id for v in validations if v.lead_id)
    return [WorkloadRow(user, assigned.get(user.pk, 0), led.get(user.pk, 0)) for user in agency_specialists()]


def _by_entity_type(partners: list[Partner]) -> list[tuple[EntityType, int, int]]:
    everyone = Counter(p.entity_type for p in partners)
    members = Counter(p.entity_type for p in partners if p.status in MEMBER_STATUSES)
    return [(t, everyone[t], members.get(t, 0)) for t in EntityType if everyone.get(t)]


def _by_tier(partners: list[Partner], events: dict[int, list[PartnerEvent]]) -> list[tuple[str, int]]:
    tiers = Counter(
        tier_standing(
            TierEvent(e.transition, e.at, e.details or {}, e.reason) for e in events.get(p.pk, [])
        ).tier
        for p in partners
        if p.status in MEMBER_STATUSES
    )
    return [(f"Tier {tier}", tiers.get(tier, 0)) for tier in (1, 2, 3)]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    access_agency(request_membership(request))
    board = agency_dashboard()
    return render(request, "validation/dashboard.html", {"board": board, "charts": board.charts})
