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
    organization_id: int | None
    try:
        organization_id = int(header) if header else None
    except ValueError:
        organization_id = None
    if organization_id is None and hasattr(request, "session"):
        organization_id = request.session.get(ACTIVE_ORGANIZATION_SESSION_KEY)
    return membership_for(user, organization_id)
