"""The certificate as a PDF: an HTML template rendered by WeasyPrint.

The PDF is made on each download from what the ``Certificate`` row recorded at issue, so it
always states what was issued, and no file has to be stored or kept in step.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from ctpat.core.entity_types import EntityType
from ctpat.review.models import Certificate


def certificate_html(certificate: Certificate) -> str:
    """The HTML WeasyPrint turns into the PDF (also what the tests read)."""
    return render_to_string(
        "review/certificate_pdf.html",
        {"certificate": certificate, "entity_type": EntityType(certificate.entity_type).label},
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML  # imported here: it loads its fonts and libraries on first use

    pdf: bytes = HTML(string=certificate_html(certificate)).write_pdf()
    return pdf


def certificate_filename(certificate: Certificate) -> str:
    return f"{certificate.number}.pdf"
