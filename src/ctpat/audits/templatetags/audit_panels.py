"""Panels other apps' pages show about a partner's audit requests (the page fetched the partner
through its own access function; these only list that partner's requests)."""

from __future__ import annotations

from typing import Any

from django import template

from ctpat.accounts.roles import AGENCY_DECIDERS
from ctpat.applications.models import Partner
from ctpat.audits.models import AuditRequest
from ctpat.audits.selectors import audit_rows

register = template.Library()
SHOWN = 5


def _panel(context: dict[str, Any], partner: Partner) -> dict[str, Any]:
    role = getattr(context.get("membership"), "role", "")
    requests = AuditRequest.objects.filter(partner=partner).select_related("partner")
    return {
        "partner": partner,
        "rows": audit_rows(requests[:SHOWN]),
        "total": requests.count(),
        "can_send": role in AGENCY_DECIDERS,
    }


@register.inclusion_tag("audits/_partner_panel.html", takes_context=True)
def partner_audits_panel(context: dict[str, Any], partner: Partner) -> dict[str, Any]:
    """The partner's own latest requests, on its dashboard."""
    return _panel(context, partner)


@register.inclusion_tag("audits/_agency_panel.html", takes_context=True)
def agency_audits_panel(context: dict[str, Any], partner: Partner) -> dict[str, Any]:
    """A partner's latest requests, on the agency's page of its application."""
    return _panel(context, partner)
