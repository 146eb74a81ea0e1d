"""Compliance panels that other apps' pages include (the partner's dashboard and the agency's
application page), and the labels of compliance steps."""

from __future__ import annotations

from typing import Any

from django import template

from ctpat.applications.models import Partner
from ctpat.compliance import selectors
from ctpat.compliance.models import ComplianceEvent
from ctpat.core.sanctions import STEPS, Benefit, Subject

register = template.Library()


@register.inclusion_tag("compliance/_partner_summary.html")
def partner_compliance_summary(partner: Partner) -> dict[str, Any]:
    """Open warning letters, the window to appeal and open appeals (shown when there are any)."""
    letters = [view for view in selectors.letters_of(partner) if view.is_open()]
    return {
        "partner": partner,
        "letters": letters,
        "window": selectors.appeal_window(partner),
        "appeals": selectors.appeals_of(partner).filter(state="filed"),
    }


@register.inclusion_tag("compliance/_agency_summary.html")
def agency_compliance_summary(partner: Partner) -> dict[str, Any]:
    """Open cases, overdue letters and filed appeals, with a link to the compliance file."""
    letters = selectors.letters_of(partner)
    return {
        "partner": partner,
        "open_cases": selectors.cases_of(partner).filter(state="open").count(),
        "overdue": sum(1 for view in letters if view.is_overdue()),
        "appeals": selectors.appeals_of(partner).filter(state="filed").count(),
    }


@register.filter
def step_label(event: ComplianceEvent) -> str:
    step = STEPS.get((Subject(event.subject), event.step))
    return step.label if step else event.step


@register.filter
def benefit_labels(values: list[str]) -> str:
    return ", ".join(b.label for b in Benefit if b.value in set(values or []))


@register.filter
def get_notes(notes: dict[int, list[ComplianceEvent]], objective_id: int) -> list[ComplianceEvent]:
    """The progress reported on one objective (``notes`` from ``selectors.objective_notes``)."""
    return notes.get(objective_id, [])
