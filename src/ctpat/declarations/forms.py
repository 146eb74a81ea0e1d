"""The analysts' upload forms: a declaration file to score and a file of examination outcomes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def _file_field(label: StrOrPromise, help_text: StrOrPromise, accept: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": accept}),
    )


class _UploadForm(forms.Form):
    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext_lazy("The file is larger than 200 MB; use the command line."))
        return upload


class DeclarationFileForm(_UploadForm):
    file = _file_field(
        gettext_lazy("Declaration file (CSV or Parquet)"),
        gettext_lazy(
            "The canonical layout (declaration_id, date, importer_id, …) or the KCS layout. Every row "
            "must fit; a file with an unfit row is refused as a whole."
        ),
        ".csv,.parquet,.pq,text/csv",
    )
    budget = forms.FloatField(
        label=gettext_lazy("Examination budget (share of declarations)"),
        initial=0.05,
        min_value=0.0001,
        max_value=1,
        widget=forms.NumberInput(attrs={"class": "usa-input", "step": "0.01"}),
    )
    random_share = forms.FloatField(
        label=gettext_lazy("Random share of the budget"),
        initial=0.10,
        min_value=0,
        max_value=1,
        help_text=gettext_lazy(
            "Drawn at random from all declarations; it estimates compliance without bias."
        ),
        widget=forms.NumberInput(attrs={"class": "usa-input", "step": "0.01"}),
    )


class OutcomeFileForm(_UploadForm):
    file = _file_field(
        gettext_lazy("Outcome file (CSV)"),
        gettext_lazy("UTF-8 CSV with the header declaration_id,inspected,fraud,critical (values 0 or 1)."),
        ".csv,text/csv",
    )
