"""The validation report as a PDF (WeasyPrint, from an HTML template): what the partner receives
and what auditors keep. The copy sent is stored with the report row; a draft can be previewed
by the agency before it is sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from ctpat.core.validation_rules import RESPONSE_DAYS
from ctpat.validation.models import Validation
from ctpat.validation.selectors import findings_of, partner_validation_clock, site_summaries, tally_of


def report_context(validation: Validation, *, sent_at: datetime | None) -> dict[str, Any]:
    partner = validation.partner
    return {
        "validation": validation,
        "partner": partner,
        "team": list(validation.team.all()),
        "sites": site_summaries(validation),
        "findings": list(findings_of(validation)),
        "tally": tally_of(validation),
        "clock": partner_validation_clock(partner),
        "sent_at": sent_at,
        "draft": sent_at is None,
        "generated_at": timezone.now(),
        "response_days": RESPONSE_DAYS,
    }


def validation_report_pdf(validation: Validation, *, sent_at: datetime | None = None) -> bytes:
    """The report as PDF bytes; without ``sent_at`` it is marked as a draft."""
    from weasyprint import HTML  # imported here: loading it takes a moment and it needs Pango

    html = render_to_string("validation/report_pdf.html", report_context(validation, sent_at=sent_at))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
