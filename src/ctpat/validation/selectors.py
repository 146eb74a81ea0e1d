"""Reads of validations: the validation clock, the worksheet's rows, the findings, what the
report still needs and which decisions the findings allow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import clock_policy, partner_clocks
from ctpat.core.clocks import Clock, ClockKind, LifecycleEvent, validation_clock
from ctpat.core.lifecycle import MEMBER_STATUSES
from ctpat.core.validation_rules import (
    CHECKLISTS,
    VVTT_STEPS,
    Checklist,
    FindingFacts,
    FindingKind,
    Outcome,
    SealCheck,
    SiteMode,
    Stage,
    VisitFacts,
    allowed_outcomes,
    finding_tally,
    point_field,
    report_gaps,
    seal_concerns,
)
from ctpat.criteria.models import Criterion
from ctpat.criteria.selectors import criteria_list
from ctpat.validation.models import DecisionProposal, Finding, ProposalState, Validation, ValidationSite


def partner_validation_clock(partner: Partner, *, now: datetime | None = None) -> tuple[Clock, int] | None:
    """The partner's validation clock (one year from certification) and the days it has left,
    recomputed from the event rows as every other clock is."""
    clock = next((c for c in partner_clocks(partner) if c.kind == ClockKind.VALIDATION), None)
    if clock is None:
        return None
    return clock, clock.days_left(now or timezone.now())


def validation_clocks_by_partner(partners: list[Partner]) -> dict[int, Clock]:
    """Validation clocks of many partners at once (one query for all their events)."""
    events: dict[int, list[LifecycleEvent]] = {}
    for row in PartnerEvent.objects.filter(partner__in=partners).only("partner_id", "transition", "at"):
        events.setdefault(row.partner_id, []).append(LifecycleEvent(row.transition, row.at))
    policy = clock_policy()
    clocks = {pk: validation_clock(rows, policy) for pk, rows in events.items()}
    return {pk: clock for pk, clock in clocks.items() if clock is not None}


def validation_list(*, stage: str = "", lead: User | None = None) -> QuerySet[Validation]:
    rows = Validation.objects.select_related("partner", "lead").prefetch_related("team")
    if stage:
        rows = rows.filter(stage=stage)
    if lead is not None:
        rows = rows.filter(lead=lead)
    return rows.order_by("planned_start", "pk")


@dataclass(frozen=True)
class DueRow:
    partner: Partner
    clock: Clock
    days_left: int


def partners_to_plan() -> list[DueRow]:
    """Members whose validation clock runs and who have no open validation, soonest due first."""
    partners = list(
        Partner.objects.filter(status__in=MEMBER_STATUSES)
        .exclude(validations__stage__in=[s.value for s in Stage if s is not Stage.DECIDED])
        .select_related("assigned_specialist")
    )
    now = timezone.now()
    clocks = validation_clocks_by_partner(partners)
    rows = [DueRow(p, clocks[p.pk], clocks[p.pk].days_left(now)) for p in partners if p.pk in clocks]
    return sorted(rows, key=lambda r: r.clock.due)


def agency_specialists() -> QuerySet[User]:
    return (
        User.objects.filter(memberships__role=Role.SPECIALIST, is_active=True)
        .distinct()
        .order_by("full_name")
    )


def applicable_criteria(validation: Validation) -> list[Criterion]:
    """The current catalogue's criteria for the partner's entity type, in ID order."""
    return criteria_list(entity_type=validation.partner.entity_type)


@dataclass(frozen=True)
class FindingRow:
    criterion: Criterion
    finding: Finding | None


def finding_rows(validation: Validation, site: ValidationSite | None) -> list[FindingRow]:
    """One row per applicable criterion with its finding at ``site`` (None: the company as a whole)."""
    findings = {
        f.criterion_id: f
        for f in Finding.objects.filter(validation=validation, site=site).prefetch_related("evidence")
    }
    return [FindingRow(c, findings.get(c.pk)) for c in applicable_criteria(validation)]


def findings_of(validation: Validation) -> QuerySet[Finding]:
    """Every finding with a kind (drafts left out), by criterion, with site and evidence."""
    return (
        Finding.objects.filter(validation=validation)
        .exclude(kind="")
        .select_related("criterion", "site")
        .prefetch_related("evidence")
        .order_by("criterion__sort_key", "site__name", "pk")
    )


def finding_kinds(validation: Validation) -> list[FindingKind]:
    return [FindingKind(k) for k in findings_of(validation).values_list("kind", flat=True)]


def tally_of(validation: Validation) -> list[tuple[FindingKind, int]]:
    kinds = Finding.objects.filter(validation=validation).values_list("kind", flat=True)
    return list(finding_tally(kinds).items())


def report_readiness(validation: Validation) -> list[str]:
    """What must be done before the report can be sent (empty when it is ready)."""
    sites = list(validation.sites.all())
    visits = [VisitFacts(site=s.name, mode=s.mode, visited=s.visited_on is not None) for s in sites]
    findings = [
        FindingFacts(f.criterion.code, f.kind, f.narrative, f.site.name if f.site else "")
        for f in Finding.objects.filter(validation=validation).select_related("criterion", "site")
    ]
    return report_gaps(visits=visits, findings=findings)


def outcomes_allowed(validation: Validation) -> list[Outcome]:
    return allowed_outcomes(finding_kinds(validation))


def open_proposal(validation: Validation) -> DecisionProposal | None:
    return validation.proposals.filter(state=ProposalState.PROPOSED).select_related("proposed_by").first()


def approved_proposal(validation: Validation) -> DecisionProposal | None:
    return validation.proposals.filter(state=ProposalState.APPROVED).select_related("reviewed_by").first()


# --- The worksheet's rows ----------------------------------------------------------------------


@dataclass(frozen=True)
class PointRow:
    label: str
    result: str
    note: str
    result_field: str
    note_field: str
    result_error: str = ""
    note_error: str = ""


@dataclass(frozen=True)
class ChecklistRows:
    checklist: Checklist
    points: list[PointRow]

    @property
    def issues(self) -> list[PointRow]:
        return [p for p in self.points if p.result == "issue"]

    @property
    def observed(self) -> int:
        return sum(1 for p in self.points if p.result)


def checklist_rows(
    site: ValidationSite,
    typed: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
    errors: Mapping[str, list[str]] | None = None,
) -> list[ChecklistRows]:
    """Every checklist's points with what was saved (or, after a refused save, what was typed)
    and the problem of each field, if any."""
    stored = typed if typed is not None else (site.inspections or {})
    errors = errors or {}
    rows = []
    for checklist in CHECKLISTS.values():
        saved = stored.get(checklist.code, {})
        points = [
            PointRow(
                label=point.label,
                result=saved.get(point.code, {}).get("result", ""),
                note=saved.get(point.code, {}).get("note", ""),
                result_field=point_field(checklist.code, point.code, "result"),
                note_field=point_field(checklist.code, point.code, "note"),
                result_error=" ".join(errors.get(point_field(checklist.code, point.code, "result"), [])),
                note_error=" ".join(errors.get(point_field(checklist.code, point.code, "note"), [])),
            )
            for point in checklist.points
        ]
        rows.append(ChecklistRows(checklist, points))
    return rows


def site_seal_concerns(site: ValidationSite) -> list[str]:
    if site.mode is not SiteMode.VISIT or site.worksheet_updated_at is None:
        return []
    return seal_concerns(SealCheck(site.vvtt or {}, site.seal_class_seen, site.seal_log_kept))


@dataclass(frozen=True)
class SiteSummary:
    site: ValidationSite
    checklists: list[ChecklistRows]
    seal_concerns: list[str]
    vvtt_done: list[str]


def site_summaries(validation: Validation) -> list[SiteSummary]:
    """Each site with its inspections' issues and seal concerns, for the report."""
    return [
        SiteSummary(
            site=site,
            checklists=[c for c in checklist_rows(site) if c.observed],
            seal_concerns=site_seal_concerns(site),
            vvtt_done=[s.name for s in VVTT_STEPS if (site.vvtt or {}).get(s.code)],
        )
        for site in validation.sites.all()
    ]
