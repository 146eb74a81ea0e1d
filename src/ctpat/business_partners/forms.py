"""Forms for the register, the dispositions, the list upload and the CSV import. The register
form is also what the CSV import and the API validate each business partner with."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctpat.business_partners.models import BusinessPartner, CtpatStatus, HitStatus, PartyType
from ctpat.screening import LIST_FORMATS

LIST_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")


class BusinessPartnerForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = BusinessPartner
        fields: ClassVar[list[str]] = [
            "name", "relationship", "party_type", "country", "address", "identifiers", "ctpat_status", "mra_program",
        ]  # fmt: skip
        widgets: ClassVar[dict[str, Any]] = {"address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            widget = bound.widget
            css = (
                "usa-select"
                if isinstance(widget, forms.Select)
                else "usa-textarea"
                if isinstance(widget, forms.Textarea)
                else "usa-input"
            )
            widget.attrs.setdefault("class", css)

        # Left empty (a CSV cell, an API field not sent): an organization of unknown status.
        self.fields["party_type"].required = False
        self.fields["ctpat_status"].required = False

    def clean_party_type(self) -> str:
        return str(self.cleaned_data.get("party_type") or PartyType.ORGANIZATION)

    def clean_ctpat_status(self) -> str:
        return str(self.cleaned_data.get("ctpat_status") or CtpatStatus.UNKNOWN)

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError(_("Enter the business partner's name."))
        return name

    def clean_country(self) -> str:
        country = str(self.cleaned_data.get("country") or "").strip().upper()
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError(_("Use the two-letter country code (ISO 3166-1), e.g. MX."))
        return country

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("ctpat_status") == CtpatStatus.MRA_MEMBER and not cleaned.get("mra_program"):
            self.add_error(
                "mra_program", _("Name the MRA program (e.g. AEO, PIP) the partner is a member of.")
            )
        if cleaned.get("ctpat_status") != CtpatStatus.MRA_MEMBER:
            cleaned["mra_program"] = ""
        return cleaned


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Register file (CSV)"),
        help_text=gettext_lazy(
            "UTF-8 CSV with the header name,relationship,party_type,country,address,identifiers,ctpat_status. "
            "Only name and relationship are required; write an MRA membership as mra_member:AEO."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": ".csv,text/csv"}),
    )


class DispositionForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (HitStatus.FALSE_POSITIVE.value, HitStatus.FALSE_POSITIVE.label),
            (HitStatus.TRUE_MATCH.value, HitStatus.TRUE_MATCH.label),
        ],
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 2}),
        help_text=gettext_lazy(
            "Why: e.g. different country and date of birth, different registration number."
        ),
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the decision."))
        return reason


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else [data]
        return [
            super(MultipleFileField, self).clean(item, initial) for item in files if item
        ] or super().clean(None)


class ListLoadForm(forms.Form):
    list_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[(name, name) for name in LIST_FORMATS],
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    code = forms.CharField(
        label=gettext_lazy("List code"),
        max_length=40,
        help_text=gettext_lazy(
            "e.g. OFAC-SDN, CSL, UN-SC, BIS-DPL. A new version replaces the latest of the same code."
        ),
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    list_date = forms.DateField(
        label=gettext_lazy("List date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"class": "usa-input", "type": "date"}),
    )
    list_files = MultipleFileField(
        label=gettext_lazy("List file(s)"),
        help_text=gettext_lazy(
            "For ofac-csv choose the CSV files together (sdn.csv, alt.csv, add.csv, sdn_comments.csv)."
        ),
        widget=MultipleFileInput(attrs={"class": "usa-file-input"}),
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().upper()
        if not LIST_CODE.match(code):
            raise forms.ValidationError(_("Use capital letters, digits and hyphens, e.g. OFAC-SDN."))
        return code
