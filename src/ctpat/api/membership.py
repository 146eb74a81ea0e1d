"""Which membership an API request acts under."""

from __future__ import annotations

from django.http import HttpRequest

from ctpat.accounts.access import ACTIVE_ORGANIZATION_SESSION_KEY, membership_for
from ctpat.accounts.models import Membership, User


def api_membership(request: HttpRequest) -> Membership | None:
    """The ``X-Organization`` header chooses among a consultant's companies; else the session's or the first."""
    auth = getattr(request, "auth", None)
    user = auth if isinstance(auth, User) else request.user
    if not isinstance(user, User):
        return None
    header = request.headers.get("X-Organization")
    if header:
        # An organisation named explicitly must be one the user belongs to: no silent fallback.
        try:
            return membership_for(user, int(header), strict=True)
        except ValueError:
            return None
    organization_id = (
        request.session.get(ACTIVE_ORGANIZATION_SESSION_KEY) if hasattr(request, "session") else None
    )
    return membership_for(user, organization_id)
