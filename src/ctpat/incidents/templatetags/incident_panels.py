"""Panels other apps' pages show about a partner's incidents (the page fetched the partner
through its own access function; these only list that partner's incidents)."""

from __future__ import annotations

from typing import Any

from django import template

from ctpat.accounts.roles import AGENCY_DECIDERS, PARTNER_EDITORS
from ctpat.applications.models import Partner
from ctpat.incidents import selectors
from ctpat.incidents.models import Incident

register = template.Library()
SHOWN = 5


def _panel(context: dict[str, Any], partner: Partner) -> dict[str, Any]:
    membership = context.get("membership")
    role = getattr(membership, "role", "")
    incidents = Incident.objects.filter(partner=partner).select_related("partner")
    return {
        "partner": partner,
        "rows": selectors.incident_rows(incidents[:SHOWN]),
        "total": incidents.count(),
        "can_report": role in PARTNER_EDITORS,
        "can_record": role in AGENCY_DECIDERS,
    }


@register.inclusion_tag("incidents/_partner_panel.html", takes_context=True)
def partner_incidents_panel(context: dict[str, Any], partner: Partner) -> dict[str, Any]:
    """The partner's own latest incidents, on its dashboard."""
    return _panel(context, partner)


@register.inclusion_tag("incidents/_agency_panel.html", takes_context=True)
def agency_incidents_panel(context: dict[str, Any], partner: Partner) -> dict[str, Any]:
    """A partner's latest incidents, on the agency's page of its application."""
    return _panel(context, partner)
