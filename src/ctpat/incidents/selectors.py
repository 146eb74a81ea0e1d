"""Reads of incidents: the late flag, the post-incident analysis clock (recomputed from the event
rows), the history of the partner's investigation, who is told about what, and
``incident_count`` for other apps (the risk score)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ctpat.accounts.models import Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Partner
from ctpat.core.incident_rules import (
    AnalysisClock,
    IncidentStepRecord,
    LateReportPolicy,
    analysis_clock,
    is_late,
    report_delay_hours,
)
from ctpat.incidents.models import AnalysisRequest, Incident, IncidentEvent, Referral


def late_report_policy() -> LateReportPolicy:
    return LateReportPolicy(hours=settings.INCIDENT_LATE_REPORT_HOURS)


def incident_is_late(incident: Incident, policy: LateReportPolicy | None = None) -> bool:
    """Only a partner's own report can be late; an incident the agency found is not "reported"."""
    if not incident.self_reported:
        return False
    return is_late(
        found_at=incident.found_at, reported_at=incident.reported_at, policy=policy or late_report_policy()
    )


def incident_delay_hours(incident: Incident) -> int:
    return report_delay_hours(found_at=incident.found_at, reported_at=incident.reported_at)


def incident_count(partner: Partner, since: datetime | date | None = None) -> int:
    """How many incidents the partner has (reported by it or recorded by the agency), counted
    by when the agency learned of them; ``since`` (a moment or a day) limits them to the recent ones."""
    incidents = Incident.objects.filter(partner=partner)
    if isinstance(since, datetime):
        incidents = incidents.filter(reported_at__gte=since)
    elif since is not None:
        incidents = incidents.filter(reported_at__date__gte=since)
    return incidents.count()


def incident_events(incident: Incident) -> QuerySet[IncidentEvent]:
    return IncidentEvent.objects.filter(incident=incident).select_related("actor").order_by("at", "id")


def step_records(events: Iterable[IncidentEvent]) -> list[IncidentStepRecord]:
    records = []
    for event in events:
        due = event.details.get("due") if event.action == "request_analysis" else None
        records.append(IncidentStepRecord(event.action, event.at, date.fromisoformat(due) if due else None))
    return records


def incident_analysis_clock(incident: Incident) -> AnalysisClock | None:
    """The open post-incident analysis request's clock, recomputed from the event rows."""
    return analysis_clock(step_records(IncidentEvent.objects.filter(incident=incident)))


def open_analysis_request(incident: Incident) -> AnalysisRequest | None:
    return (
        AnalysisRequest.objects.filter(incident=incident, answered_at__isnull=True)
        .order_by("-requested_at", "-id")
        .first()
    )


def investigation_history(incident: Incident) -> list[IncidentEvent]:
    """Every version of the partner's investigation and corrective actions, the oldest first."""
    return [
        e
        for e in incident_events(incident).filter(action__in=["report", "record", "update_investigation"])
        if "investigation" in e.details
    ]


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    late: bool
    analysis: AnalysisClock | None
    analysis_overdue: bool


def incident_rows(incidents: Iterable[Incident]) -> list[IncidentRow]:
    """The incidents with their late flag and open analysis clock, for the lists."""
    rows = list(incidents)
    by_incident: dict[int, list[IncidentEvent]] = {}
    for event in IncidentEvent.objects.filter(
        incident__in=rows, action__in=["request_analysis", "submit_analysis", "close"]
    ):
        by_incident.setdefault(event.incident_id, []).append(event)
    policy, today = late_report_policy(), timezone.localdate()
    result = []
    for incident in rows:
        clock = analysis_clock(step_records(by_incident.get(incident.pk, [])))
        overdue = clock is not None and clock.is_overdue(today)
        result.append(IncidentRow(incident, incident_is_late(incident, policy), clock, overdue))
    return result


def filter_incidents(
    incidents: QuerySet[Incident], *, state: str = "", kind: str = "", partner_id: int | None = None
) -> QuerySet[Incident]:
    if state:
        incidents = incidents.filter(state=state)
    if kind:
        incidents = incidents.filter(kind=kind)
    if partner_id is not None:
        incidents = incidents.filter(partner_id=partner_id)
    return incidents


def government_agencies() -> QuerySet[Organization]:
    """The other government agencies an incident can be referred to."""
    return Organization.objects.filter(kind=OrganizationKind.GOVERNMENT_AGENCY).order_by("name")


def incident_referrals(incident: Incident) -> QuerySet[Referral]:
    return Referral.objects.filter(incident=incident).select_related("agency", "referred_by")


# --- Who is told -------------------------------------------------------------------------------


def partner_officers(partner: Partner) -> list[User]:
    """The Company Officers of the partner: they receive the agency's requests."""
    return list(
        User.objects.filter(
            memberships__organization_id=partner.organization_id, memberships__role=Role.COMPANY_OFFICER
        )
    )


def partner_specialists(partner: Partner) -> list[User]:
    """The partner's assigned specialist, or every specialist when none is assigned yet."""
    if partner.assigned_specialist_id is not None and partner.assigned_specialist is not None:
        return [partner.assigned_specialist]
    return list(User.objects.filter(memberships__role=Role.SPECIALIST).distinct())


def agency_liaisons(agency: Organization) -> list[User]:
    return list(User.objects.filter(memberships__organization=agency, memberships__role=Role.LIAISON))
