"""Who the caller is: the account and the organisations it holds a role in (consultants use
these organisation numbers in the ``X-Organization`` header)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ctpat.accounts.models import Membership
from ctpat.api.routers.acting import acting_membership, acting_user
from ctpat.api.schemas import AUTH_ERRORS, AccountOut

router = Router(tags=["account"])


@router.get("/me", response={200: AccountOut, **AUTH_ERRORS})
def account(request: HttpRequest) -> dict[str, Any]:
    user = acting_user(request)
    acting = acting_membership(request)
    memberships = Membership.objects.filter(user=user).select_related("organization").order_by("id")
    return {
        "email": user.email,
        "full_name": user.full_name,
        "acting_for": acting.organization_id if acting else None,
        "memberships": [
            {
                "organization_id": m.organization_id,
                "organization": m.organization.name,
                "organization_kind": m.organization.kind,
                "role": m.role,
            }
            for m in memberships
        ],
    }
