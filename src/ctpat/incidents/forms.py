"""Forms of the incident pages. They check the shape of what was typed; the rules (no time in
the future, found after it happened, allowed file types) are checked by the services."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from ctpat.accounts.models import Organization
from ctpat.core.incident_rules import KIND_LABELS
from ctpat.incidents.models import Incident
from ctpat.incidents.selectors import government_agencies

DATETIME_INPUT = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "usa-input"}, format="%Y-%m-%dT%H:%M"
)
DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "usa-input"}, format="%Y-%m-%d")
TEXTAREA = {"class": "usa-textarea", "rows": 4}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleaned to a list (empty when none was chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "usa-file-input"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class IncidentForm(forms.ModelForm):  # type: ignore[type-arg]
    evidence = MultipleFileField(label=_("Evidence files (optional)"), required=False)

    class Meta:
        model = Incident
        fields: ClassVar[list[str]] = [
            "kind",
            "happened_at",
            "found_at",
            "place",
            "country",
            "bill_of_lading",
            "entry_number",
            "conveyance",
            "seal_numbers",
            "description",
            "investigation",
            "corrective_actions",
        ]
        widgets: ClassVar[dict[str, Any]] = {
            "kind": forms.Select(attrs={"class": "usa-select"}),
            "happened_at": DATETIME_INPUT,
            "found_at": DATETIME_INPUT,
            "place": forms.TextInput(attrs={"class": "usa-input"}),
            "country": forms.TextInput(attrs={"class": "usa-input usa-input--small", "maxlength": 2}),
            "bill_of_lading": forms.TextInput(attrs={"class": "usa-input"}),
            "entry_number": forms.TextInput(attrs={"class": "usa-input"}),
            "conveyance": forms.TextInput(attrs={"class": "usa-input"}),
            "seal_numbers": forms.TextInput(attrs={"class": "usa-input"}),
            "description": forms.Textarea(attrs=TEXTAREA),
            "investigation": forms.Textarea(attrs=TEXTAREA),
            "corrective_actions": forms.Textarea(attrs=TEXTAREA),
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "happened_at": _("Your best estimate, in the portal's time zone."),
            "country": _("Two-letter ISO code, e.g. US or MX."),
            "seal_numbers": _("Every seal involved, separated by commas."),
            "investigation": _("What your company found out so far; you can add to it later."),
            "corrective_actions": _("What your company has done or will do; you can add to it later."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *((k.value, label) for k, label in KIND_LABELS.items())]  # type: ignore[attr-defined]
        self.fields["happened_at"].widget = DATETIME_INPUT
        self.fields["found_at"].widget = DATETIME_INPUT

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country", "")).strip().upper()

    def _post_clean(self) -> None:
        # The service validates the whole incident (times against "now", files) and writes it.
        pass


class InvestigationForm(forms.Form):
    investigation = forms.CharField(
        label=_("Internal investigation"), required=False, widget=forms.Textarea(attrs=TEXTAREA), strip=False
    )
    corrective_actions = forms.CharField(
        label=_("Corrective actions"), required=False, widget=forms.Textarea(attrs=TEXTAREA), strip=False
    )
    evidence = MultipleFileField(label=_("Add evidence files (optional)"), required=False)


class AnalysisAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your post-incident analysis"),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 8}),
        help_text=_("Root cause, what failed, what you changed and how you will check it works."),
    )
    evidence = MultipleFileField(label=_("Evidence files (optional)"), required=False)


class TriageForm(forms.Form):
    assessment = forms.CharField(
        label=_("Triage assessment"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Seriousness, what the partner did, and what the agency does next."),
    )


class ReferralForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Government agency"),
        queryset=Organization.objects.none(),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    note = forms.CharField(label=_("What the referral is for"), widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = government_agencies()  # type: ignore[attr-defined]


class AnalysisRequestForm(forms.Form):
    question = forms.CharField(
        label=_("What the post-incident analysis must cover"), widget=forms.Textarea(attrs=TEXTAREA)
    )
    due = forms.DateField(label=_("Answer by"), widget=DATE_INPUT)


class ReasonForm(forms.Form):
    """Non-compliance and closing: a reason is all they need."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3})
    )
