"""Forms of the audit request pages. They check the shape of what was typed; the rules (a
deadline after today, at least one item, a site and date for site access, allowed file types)
are checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ctpat.core.audit_rules import RequestKind
from ctpat.incidents.forms import DATE_INPUT, MultipleFileField

TEXTAREA = {"class": "usa-textarea", "rows": 4}


class AuditRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of request"),
        choices=[(k.value, k.label) for k in RequestKind],
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=200, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    items = forms.CharField(
        label=_("Items"),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 6}),
        help_text=_(
            "One item per line: each document, piece of information or question the partner must answer."
        ),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_INPUT)
    site_access = forms.BooleanField(label=_("Also request access to a site"), required=False)
    site = forms.CharField(
        label=_("Site"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "usa-input", "list": "partner-sites"}),
    )
    site_date = forms.DateField(label=_("Date of the site visit"), required=False, widget=DATE_INPUT)

    def item_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), required=False, widget=forms.Textarea(attrs=TEXTAREA), strip=False
    )
    documents = MultipleFileField(label=_("Documents (optional)"), required=False)


class AskAgainForm(forms.Form):
    note = forms.CharField(
        label=_("What is still missing"), widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3})
    )
    deadline = forms.DateField(label=_("New deadline (optional)"), required=False, widget=DATE_INPUT)
