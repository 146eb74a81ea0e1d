"""Agency work: the inbox of submitted applications and the first review steps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ctpat.accounts.access import require_agency, require_role
from ctpat.accounts.models import Membership
from ctpat.accounts.roles import AGENCY_DECIDERS
from ctpat.api.routers.acting import acting_membership, acting_user, partner_for
from ctpat.api.schemas import ERRORS, ROLE_ERRORS, ConflictOut, EventOut, InboxRowOut, ReturnIn
from ctpat.applications.models import PartnerEvent
from ctpat.applications.selectors import agency_inbox
from ctpat.applications.services import application_return, partner_transition

router = Router(tags=["agency"])


def _decider(request: HttpRequest) -> Membership:
    """Specialists, supervisors and the program director take review steps; read-only staff do not."""
    return require_role(acting_membership(request), AGENCY_DECIDERS)


@router.get("/agency/inbox", response={200: list[InboxRowOut], **ROLE_ERRORS})
def inbox(request: HttpRequest) -> list[dict[str, Any]]:
    """Submitted applications with their 90-day certification clock, the least time left first."""
    require_agency(acting_membership(request))
    return [
        {
            "partner_id": row.partner.pk,
            "legal_name": row.partner.legal_name,
            "entity_type": row.partner.entity_type,
            "status": row.partner.status,
            "assigned_specialist": str(row.partner.assigned_specialist)
            if row.partner.assigned_specialist
            else None,
            "submitted_at": row.submitted_at,
            "due": row.clock.due if row.clock else None,
            "days_left": row.days_left,
        }
        for row in agency_inbox()
    ]


@router.post(
    "/agency/partners/{partner_id}/start-review", response={200: EventOut, 409: ConflictOut, **ERRORS}
)
def start_review(request: HttpRequest, partner_id: int) -> PartnerEvent:
    membership = _decider(request)
    partner = partner_for(request, partner_id)
    return partner_transition(
        actor=acting_user(request), membership=membership, partner=partner, name="start_review"
    )


@router.post("/agency/partners/{partner_id}/return", response={200: EventOut, 409: ConflictOut, **ERRORS})
def return_to_partner(request: HttpRequest, partner_id: int, payload: ReturnIn) -> PartnerEvent:
    """Send the application back for more information; the partner must sign the agreement again."""
    membership = _decider(request)
    partner = partner_for(request, partner_id)
    return application_return(
        actor=acting_user(request), membership=membership, partner=partner, reason=payload.reason
    )
