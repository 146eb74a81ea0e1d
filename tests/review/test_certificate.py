"""The certificate: its number, what it states, and the PDF WeasyPrint makes from the HTML."""

from __future__ import annotations

from django.utils import timezone

from ctpat.applications.models import Partner
from ctpat.review.certificates import certificate_html, certificate_pdf
from ctpat.review.models import Certificate


def test_the_pdf_is_generated_from_the_certificate_html(certified: Partner, certificate: Certificate) -> None:
    pdf = certificate_pdf(certificate)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
    # pypdf is not installed, so the text is checked in the HTML that WeasyPrint renders.
    html = certificate_html(certificate)
    year = timezone.localtime(certificate.issued_at).year
    assert certificate.number == f"CTPAT-{year}-000001"
    assert f'data-field="number">{certificate.number}<' in html
    assert 'data-field="company">Acme Imports LLC<' in html
    assert 'data-field="entity_type">Importer<' in html
    assert 'data-field="tier">Tier 1<' in html
    assert f'data-field="issued">{certificate.issued_at:%B} ' in html
    assert certificate.validation_due is not None
    assert (
        f'data-field="validation_due">{certificate.validation_due:%B} {certificate.validation_due.day}, {certificate.validation_due.year}<'
        in html
    )


def test_the_certificate_keeps_what_was_issued(certified: Partner, certificate: Certificate) -> None:
    Partner.objects.filter(pk=certified.pk).update(legal_name="Acme Renamed Inc")
    certificate.refresh_from_db()
    assert 'data-field="company">Acme Imports LLC<' in certificate_html(certificate)
