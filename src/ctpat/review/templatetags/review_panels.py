"""Review panels that other apps' pages include: the partner's tier and certificate on its
dashboard, and the review's progress on the agency's application page."""

from __future__ import annotations

from typing import Any

from django import template

from ctpat.applications.models import Partner
from ctpat.core.decisions import VettingCheckKind
from ctpat.review import selectors

register = template.Library()


@register.inclusion_tag("review/_standing_summary.html")
def partner_standing_summary(partner: Partner) -> dict[str, Any]:
    """The partner's tier and latest certificate (shown once it has either)."""
    return {"standing": selectors.partner_standing(partner)}


@register.inclusion_tag("review/_agency_summary.html")
def review_summary(partner: Partner) -> dict[str, Any]:
    """Assignment, vetting, risk and the pending recommendation, with links to the review."""
    return {
        "partner": partner,
        "vetting_done": sum(1 for item in selectors.vetting_checklist(partner) if item.latest),
        "vetting_total": len(VettingCheckKind),
        "risk_assessed": selectors.risk_assessed(partner),
        "pending": selectors.pending_recommendation(partner),
        "standing": selectors.partner_standing(partner),
    }
