"""What every page's frame needs: the acting membership and the user's other memberships."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import Membership


def portal_context(request: HttpRequest) -> dict[str, Any]:
    membership = request_membership(request)
    others: list[Membership] = []
    if membership is not None:
        others = list(
            Membership.objects.select_related("organization")
            .filter(user_id=membership.user_id)
            .exclude(pk=membership.pk)
        )
    return {
        "membership": membership,
        "other_memberships": others,
        "demo_relax_2fa": settings.DEMO_RELAX_2FA,
    }
