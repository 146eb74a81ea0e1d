"""The warning letter as a PDF: WeasyPrint renders the template, which states the deficiencies,
the required actions and the deadline recomputed from the letter's issue event."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ctpat.compliance.letters import warning_letter_filename, warning_letter_html, warning_letter_pdf
from ctpat.compliance.models import WarningLetter
from ctpat.compliance.selectors import letter_view
from ctpat.core.sanctions import Subject
from tests.compliance.conftest import backdate


def test_the_letters_html_has_the_deficiencies_actions_and_deadline(letter: WarningLetter) -> None:
    html = warning_letter_html(letter)
    for line in [*letter.deficiency_lines(), *letter.action_lines()]:
        assert line in html
    due = timezone.localtime(letter_view(letter).due)
    assert f"by {due:%Y-%m-%d}" in html
    assert letter.number in html
    assert "Acme Imports LLC" in html


def test_the_deadline_in_the_letter_follows_the_issue_event(letter: WarningLetter) -> None:
    backdate(Subject.LETTER, letter.pk, 40)
    expected = timezone.localtime(timezone.now() - timedelta(days=40) + timedelta(days=30)).date()
    assert f"by {expected:%Y-%m-%d}" in warning_letter_html(letter)


def test_the_letter_is_a_pdf(letter: WarningLetter) -> None:
    pdf = warning_letter_pdf(letter)
    assert pdf.startswith(b"%PDF")
    assert warning_letter_filename(letter) == f"{letter.number}.pdf"
