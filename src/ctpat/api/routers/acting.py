"""Who an API request acts as, and the permission-checked fetch of the partner it names.

Every partner endpoint gets its partner through ``partner_for``, which goes through
``access_partner_by_id``: another company's ID is "not found", a read-only role may not write.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ctpat.accounts.models import Membership, User
from ctpat.api.membership import api_membership
from ctpat.applications.access import access_partner_by_id
from ctpat.applications.models import Partner


def acting_user(request: HttpRequest) -> User:
    """The user the token or session authenticated (the API's auth runs before every endpoint)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionDenied("Not authenticated.")
    return user


def acting_membership(request: HttpRequest) -> Membership | None:
    return api_membership(request)


def partner_for(request: HttpRequest, partner_id: int, *, write: bool = False) -> Partner:
    return access_partner_by_id(acting_membership(request), partner_id, write=write)
