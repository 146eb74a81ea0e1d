"""A small "keeping membership" panel for the partner's dashboard and the agency's application
page: this year's annual review window and review, the full revalidation, and links."""

from __future__ import annotations

from typing import Any

from django import template

from ctpat.applications.models import Partner
from ctpat.core.lifecycle import MEMBER_STATUSES
from ctpat.membership import selectors

register = template.Library()


@register.inclusion_tag("membership/_panel.html")
def membership_panel(partner: Partner) -> dict[str, Any]:
    """Shown for members only; every date in it is recomputed from the event rows."""
    if partner.status_enum not in MEMBER_STATUSES:
        return {"show": False}
    window = selectors.window_opened(partner)
    review = selectors.partner_reviews(partner).first()
    full = selectors.full_revalidation_clocks(partner_ids=[partner.pk])
    return {
        "show": True,
        "partner": partner,
        "window": window,
        "coming": selectors.window_coming(partner),
        "review": review if review and window and review.cycle == window.cycle else None,
        "full_revalidation": full[0][1] if full else None,
    }
