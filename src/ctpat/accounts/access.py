"""The one place that says which organisation and role a request acts under.

Every page and API endpoint gets its ``Membership`` through ``membership_for`` and checks roles
with ``require_role``; the apps' own ``access_<thing>_by_id`` functions build on these.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import AGENCY_ROLES, PARTNER_ROLES, Role

ACTIVE_ORGANIZATION_SESSION_KEY = "active_organization_id"


class NoMembership(PermissionDenied):
    """The user holds no role in any organisation (or not in the one asked for)."""


def membership_for(user: User, organization_id: int | None, *, strict: bool = False) -> Membership | None:
    """The user's membership in ``organization_id``, or their only/first one when none is asked.

    With ``strict`` an organisation the user does not belong to gives None (the API refuses an
    ``X-Organization`` it cannot honour) instead of falling back to the first membership.
    """
    memberships = Membership.objects.select_related("organization").filter(user=user)
    if organization_id is not None:
        chosen = memberships.filter(organization_id=organization_id).first()
        if chosen is not None or strict:
            return chosen
    return memberships.order_by("id").first()


def request_membership(request: HttpRequest) -> Membership | None:
    """The membership a page request acts under (chosen in the session for consultants)."""
    user = request.user
    if not user.is_authenticated or not isinstance(user, User):
        return None
    cached: Membership | None = getattr(request, "_ctpat_membership", None)
    if cached is None:
        cached = membership_for(user, request.session.get(ACTIVE_ORGANIZATION_SESSION_KEY))
        request._ctpat_membership = cached  # type: ignore[attr-defined]
    return cached


def require_role(membership: Membership | None, roles: Iterable[str]) -> Membership:
    """The membership, when its role is one of ``roles``; PermissionDenied otherwise."""
    if membership is None:
        raise NoMembership(_("Your account holds no role in any organisation."))
    if membership.role not in set(roles):
        raise PermissionDenied(
            _("Your role (%(role)s) may not do this.") % {"role": membership.get_role_display()}
        )
    return membership


def require_partner(membership: Membership | None) -> Membership:
    return require_role(membership, PARTNER_ROLES)


def require_agency(membership: Membership | None) -> Membership:
    return require_role(membership, AGENCY_ROLES)


def requires_second_factor(membership: Membership | None) -> bool:
    """Agency staff always use TOTP; partners choose to (then it is required at every log-in)."""
    return membership is not None and membership.role in AGENCY_ROLES | {Role.ADMINISTRATOR}
