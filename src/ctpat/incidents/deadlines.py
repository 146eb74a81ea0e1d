"""The post-incident analysis clock source: an open analysis request is due on the date the
agency gave, recomputed from the incident's event rows; its Company Officers are reminded."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from django.urls import reverse
from django.utils import timezone

from ctpat.core.incident_rules import IncidentState, analysis_clock
from ctpat.deadlines.registry import OpenDeadline, clock_source
from ctpat.incidents.models import Incident, IncidentEvent
from ctpat.incidents.selectors import partner_officers, step_records

CLOCK_ACTIONS = ("request_analysis", "submit_analysis", "close")


@clock_source("post_incident_analysis")
def analysis_deadlines(*, partner_ids: Collection[int] | None = None) -> Iterator[OpenDeadline]:
    incidents = Incident.objects.exclude(state=IncidentState.CLOSED).filter(events__action="request_analysis")
    if partner_ids is not None:
        incidents = incidents.filter(partner_id__in=list(partner_ids))
    incidents = incidents.distinct().select_related("partner")
    by_incident: dict[int, list[IncidentEvent]] = {}
    for event in IncidentEvent.objects.filter(incident__in=incidents, action__in=CLOCK_ACTIONS):
        by_incident.setdefault(event.incident_id, []).append(event)
    tz = timezone.get_current_timezone()
    for incident in incidents:
        clock = analysis_clock(step_records(by_incident.get(incident.pk, [])))
        if clock is None:
            continue
        yield OpenDeadline(
            source="post_incident_analysis",
            key=f"incident:{incident.pk}:analysis",
            label=f"Post-incident analysis ({incident.reference})",
            partner_id=incident.partner_id,
            partner_name=incident.partner.legal_name,
            started=clock.started,
            due=clock.due(tz),
            url=reverse("incidents:detail", args=[incident.pk]),
            recipients=tuple(partner_officers(incident.partner)),
        )
