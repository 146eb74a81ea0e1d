"""The application's workflow on the partner side: the partner agreement, submission, and the
account's history and deadline clocks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from ctpat.accounts.access import require_role
from ctpat.accounts.roles import Role
from ctpat.api.routers.acting import acting_membership, acting_user, partner_for
from ctpat.api.schemas import ERRORS, AgreementOut, ClockOut, ConflictOut, EventOut
from ctpat.applications.models import PartnerEvent
from ctpat.applications.selectors import partner_clocks, partner_events
from ctpat.applications.services import agreement_sign, application_submit

router = Router(tags=["application"])

OFFICER_ONLY = (Role.COMPANY_OFFICER,)


@router.post("/partners/{partner_id}/agreement", response={200: AgreementOut, **ERRORS})
def agreement(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    """Sign the partner agreement (a Company Officer of the company only)."""
    partner = partner_for(request, partner_id, write=True)
    membership = require_role(acting_membership(request), OFFICER_ONLY)
    user = acting_user(request)
    signed = agreement_sign(actor=user, membership=membership, partner=partner)
    return {"signed_by": str(user), "signed_at": signed.agreement_signed_at}


@router.post("/partners/{partner_id}/submit", response={200: EventOut, 409: ConflictOut, **ERRORS})
def submit(request: HttpRequest, partner_id: int) -> PartnerEvent:
    """Submit the application (a Company Officer only). Refused with 409 and every reason while the
    company is not eligible, the application has gaps or the agreement is unsigned."""
    partner = partner_for(request, partner_id, write=True)
    membership = require_role(acting_membership(request), OFFICER_ONLY)
    return application_submit(actor=acting_user(request), membership=membership, partner=partner)


@router.get("/partners/{partner_id}/events", response={200: list[EventOut], **ERRORS})
def events(request: HttpRequest, partner_id: int) -> list[PartnerEvent]:
    """The account's lifecycle history, oldest first."""
    return list(partner_events(partner_for(request, partner_id)))


@router.get("/partners/{partner_id}/clocks", response={200: list[ClockOut], **ERRORS})
def clocks(request: HttpRequest, partner_id: int) -> list[dict[str, Any]]:
    """Open deadline clocks (90-day certification decision, yearly validation), soonest due first."""
    now = timezone.now()
    return [
        {
            "kind": clock.kind.value,
            "label": clock.kind.label,
            "started": clock.started,
            "due": clock.due,
            "paused_since": clock.paused_since,
            "days_left": clock.days_left(now),
            "overdue": clock.is_overdue(now),
        }
        for clock in partner_clocks(partner_for(request, partner_id))
    ]
