"""The warning letter as a PDF: an HTML template rendered by WeasyPrint.

The PDF is made on each download from the letter's row and its issue event, so it always says
what was sent and when it is due; no file is stored.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from ctpat.compliance.models import WarningLetter
from ctpat.compliance.selectors import letter_view


def warning_letter_html(letter: WarningLetter) -> str:
    """The HTML WeasyPrint turns into the PDF (also what the tests read)."""
    view = letter_view(letter)
    return render_to_string(
        "compliance/warning_letter_pdf.html",
        {"letter": letter, "view": view, "partner": letter.case.partner, "case": letter.case},
    )


def warning_letter_pdf(letter: WarningLetter) -> bytes:
    from weasyprint import HTML  # imported here: it loads its fonts and libraries on first use

    pdf: bytes = HTML(string=warning_letter_html(letter)).write_pdf()
    return pdf


def warning_letter_filename(letter: WarningLetter) -> str:
    return f"{letter.number}.pdf"
