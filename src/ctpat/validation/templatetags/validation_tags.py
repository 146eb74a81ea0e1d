"""Template tags other apps' pages use to show validations without knowing their models."""

from __future__ import annotations

from typing import Any

from django import template

from ctpat.applications.models import Partner
from ctpat.core.validation_rules import PARTNER_VISIBLE_STAGES, Stage
from ctpat.validation.models import Validation

register = template.Library()


@register.inclusion_tag("validation/_partner_reports.html")
def partner_validation_reports(partner: Partner) -> dict[str, Any]:
    """The partner's own validation reports (only those sent), for its dashboard."""
    validations = Validation.objects.filter(partner=partner, stage__in=PARTNER_VISIBLE_STAGES).select_related(
        "report"
    )
    return {"validations": list(validations), "awaiting": Stage.REPORT_SENT.value}
