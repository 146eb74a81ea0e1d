"""Demo audit and document requests, through the same services as the portal: one overdue (its
deadline has passed with items unanswered), one answered and awaiting the agency's review, one
sent back with "ask again", one closed with every item accepted, and one open with a site-access
request.

The lead's demo command calls ``demo_audits(rng=...)`` after the partners are built. It adds
nothing when requests already exist, so running it twice is harmless.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner
from ctpat.audits import services
from ctpat.audits.models import AuditEvent, AuditRequest
from ctpat.core.audit_rules import RequestKind
from ctpat.demo.sample_files import sample_pdf
from ctpat.incidents.demo import DemoSide, demo_member_of_role, demo_officer, demo_partners_with_officers

REQUESTS = {
    "overdue": (
        RequestKind.DOCUMENTS,
        "Seal controls, first quarter",
        ["Seal log for January to March", "Names of the staff allowed to issue seals", "Your seal procedure"],
    ),
    "answered": (
        RequestKind.DOCUMENTS,
        "Conveyance inspections",
        ["Seven-point inspection records for the last 30 departures", "The inspection checklist in use"],
    ),
    "asked_again": (
        RequestKind.AUDIT,
        "Business partner screening",
        ["Your list of business partners with the date each was last screened", "The screening procedure"],
    ),
    "closed": (
        RequestKind.DOCUMENTS,
        "Security training records",
        ["Attendance records of the last security awareness training"],
    ),
    "site_access": (
        RequestKind.AUDIT,
        "Unannounced verification of the loading dock",
        ["Camera retention settings of the dock cameras"],
    ),
}
ANSWER = "Attached, as kept in our security management system."


def demo_audits(*, rng: random.Random) -> int:
    """Add audit and document requests in every state to the demo's partners; returns how many."""
    if AuditRequest.objects.exists():
        return 0
    specialist = demo_member_of_role(Role.SPECIALIST)
    partners = demo_partners_with_officers()
    if specialist is None or not partners:
        return 0
    for index, stage in enumerate(REQUESTS):
        partner = partners[(index + 1) % len(partners)]
        with transaction.atomic():
            _build(stage, partner, demo_officer(partner), specialist, rng)
    return len(REQUESTS)


def _build(stage: str, partner: Partner, officer: DemoSide, specialist: DemoSide, rng: random.Random) -> None:
    kind, subject, items = REQUESTS[stage]
    today = timezone.localdate()
    audit_request = services.audit_request_send(
        actor=specialist.user,
        membership=specialist.membership,
        partner=partner,
        data=services.AuditRequestInput(
            kind=kind,
            subject=subject,
            deadline=today + timedelta(days=rng.randint(14, 30)),
            items=items,
            site_access=stage == "site_access",
            site_date=today + timedelta(days=rng.randint(7, 12)) if stage == "site_access" else None,
            site="Main warehouse, loading dock" if stage == "site_access" else "",
        ),
    )
    if stage == "overdue":
        _move_back(audit_request, days=rng.randint(35, 45), deadline_days_ago=rng.randint(3, 9))
        return
    if stage == "site_access":
        return
    for item in audit_request.items.all():
        document = SimpleUploadedFile(f"item-{item.number}.pdf", sample_pdf(f"{subject}: item {item.number}"))
        services.audit_item_answer(
            actor=officer.user,
            membership=officer.membership,
            audit_request=audit_request,
            item=item,
            text=ANSWER,
            uploads=[document],
        )
    if stage == "asked_again":
        first = audit_request.items.order_by("number").first()
        assert first is not None
        services.audit_item_ask_again(
            actor=specialist.user,
            membership=specialist.membership,
            audit_request=audit_request,
            item=first,
            note="The list has no screening dates for the carriers; please add them.",
        )
    if stage == "closed":
        for item in audit_request.items.all():
            services.audit_item_accept(
                actor=specialist.user,
                membership=specialist.membership,
                audit_request=audit_request,
                item=item,
            )


def _move_back(audit_request: AuditRequest, *, days: int, deadline_days_ago: int) -> None:
    """Demo only (ADR 0001): move a request's sending back in time so its deadline has passed."""
    sent_at = timezone.now() - timedelta(days=days)
    deadline = timezone.localdate() - timedelta(days=deadline_days_ago)
    AuditRequest.objects.filter(pk=audit_request.pk).update(sent_at=sent_at, deadline=deadline)
    event = AuditEvent.objects.get(request=audit_request, action="send")
    event.at = sent_at
    event.details = {**event.details, "deadline": deadline.isoformat()}
    event.save(update_fields=["at", "details"])
