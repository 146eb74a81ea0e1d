"""Reads of audit requests: their items with answers and documents, the deadline and the overdue
flag (recomputed from the event rows), for the pages, the API and the clock source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from ctpat.audits.models import AuditEvent, AuditItem, AuditRequest
from ctpat.core.audit_rules import AuditClock, AuditStepRecord, audit_clock


def audit_events(audit_request: AuditRequest) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(request=audit_request).select_related("actor", "item").order_by("at", "id")
    )


def step_records(events: Iterable[AuditEvent]) -> list[AuditStepRecord]:
    records = []
    for event in events:
        deadline = event.details.get("deadline")
        records.append(
            AuditStepRecord(
                action=event.action,
                at=event.at,
                item=event.item_id,
                items=tuple(event.details.get("items", ())),
                deadline=date.fromisoformat(deadline) if deadline else None,
            )
        )
    return records


def audit_request_clock(audit_request: AuditRequest) -> AuditClock | None:
    """The request's deadline while the partner owes an answer, recomputed from the event rows."""
    return audit_clock(step_records(AuditEvent.objects.filter(request=audit_request)))


def request_items(audit_request: AuditRequest) -> QuerySet[AuditItem]:
    return AuditItem.objects.filter(request=audit_request).prefetch_related(
        "answers__documents", "answers__answered_by"
    )


@dataclass(frozen=True)
class AuditRow:
    request: AuditRequest
    clock: AuditClock | None
    overdue: bool


def audit_rows(requests: Iterable[AuditRequest]) -> list[AuditRow]:
    """The requests with their open deadline and overdue flag, for the lists."""
    rows = list(requests)
    by_request: dict[int, list[AuditEvent]] = {}
    for event in AuditEvent.objects.filter(request__in=rows):
        by_request.setdefault(event.request_id, []).append(event)
    today = timezone.localdate()
    result = []
    for audit_request in rows:
        clock = audit_clock(step_records(by_request.get(audit_request.pk, [])))
        result.append(AuditRow(audit_request, clock, clock is not None and clock.is_overdue(today)))
    return result
