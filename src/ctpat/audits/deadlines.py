"""The audit request clock source: a request is due on its (latest) deadline while the partner
still owes an answer to any item, recomputed from the event rows; its Company Officers are reminded."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from django.urls import reverse
from django.utils import timezone

from ctpat.audits.models import AuditEvent, AuditRequest
from ctpat.audits.selectors import step_records
from ctpat.core.audit_rules import RequestState, audit_clock
from ctpat.core.incident_rules import end_of_day
from ctpat.deadlines.registry import OpenDeadline, clock_source
from ctpat.incidents.selectors import partner_officers


@clock_source("audit_request")
def audit_deadlines(*, partner_ids: Collection[int] | None = None) -> Iterator[OpenDeadline]:
    requests = AuditRequest.objects.filter(state=RequestState.OPEN).select_related("partner")
    if partner_ids is not None:
        requests = requests.filter(partner_id__in=list(partner_ids))
    by_request: dict[int, list[AuditEvent]] = {}
    for event in AuditEvent.objects.filter(request__in=requests):
        by_request.setdefault(event.request_id, []).append(event)
    tz = timezone.get_current_timezone()
    for audit_request in requests:
        clock = audit_clock(step_records(by_request.get(audit_request.pk, [])))
        if clock is None:
            continue
        yield OpenDeadline(
            source="audit_request",
            key=f"audit:{audit_request.pk}",
            label=f"{audit_request.get_kind_display()} {audit_request.reference}: {audit_request.subject}",
            partner_id=audit_request.partner_id,
            partner_name=audit_request.partner.legal_name,
            started=clock.started,
            due=end_of_day(clock.deadline, tz),
            url=reverse("audits:detail", args=[audit_request.pk]),
            recipients=tuple(partner_officers(audit_request.partner)),
        )
