"""Forms of the validation pages. They check the shape of what was typed; the rules (a no-go
zone needs a reason, which decisions the findings allow) are checked by the services."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from ctpat.accounts.models import User
from ctpat.core.validation_rules import (
    CHECKLISTS,
    VVTT_STEPS,
    DecisionInput,
    Outcome,
    SealClass,
    WorksheetInput,
    default_corrective_deadline,
    point_field,
)
from ctpat.validation.models import ValidationSite
from ctpat.validation.selectors import agency_specialists

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "usa-input"}, format="%Y-%m-%d")


class SpecialistChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})"


class SpecialistsChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})"


class PlanForm(forms.Form):
    lead = SpecialistChoice(
        label=_("Lead specialist"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    team = SpecialistsChoice(
        label=_("Team members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other specialists who visit the sites with the lead."),
    )
    planned_start = forms.DateField(label=_("Visits start"), widget=DATE_INPUT)
    planned_end = forms.DateField(label=_("Visits end"), widget=DATE_INPUT)
    scope = forms.CharField(
        label=_("Scope and notes"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
    prefill_sites = forms.BooleanField(
        label=_("Add the partner's facilities as sites to visit"), required=False, initial=True
    )

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        specialists = agency_specialists()
        self.fields["lead"].queryset = specialists  # type: ignore[attr-defined]
        self.fields["team"].queryset = specialists  # type: ignore[attr-defined]
        if not creating:
            del self.fields["prefill_sites"]


class SiteForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ValidationSite
        fields: ClassVar[list[str]] = [
            "name",
            "street",
            "city",
            "region",
            "postal_code",
            "country",
            "latitude",
            "longitude",
            "planned_date",
            "no_go",
            "no_go_reason",
            "mra_partner",
            "mra_reference",
        ]
        widgets: ClassVar[dict[str, Any]] = {
            "planned_date": DATE_INPUT,
            "no_go_reason": forms.Textarea(attrs={"class": "usa-textarea", "rows": 2}),
            "mra_partner": forms.Select(attrs={"class": "usa-select"}),
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "country": _("Two-letter code, e.g. US, MX, CN."),
            "no_go_reason": _("Only for a no-go zone: why the site cannot be visited."),
            "mra_partner": _("Only for a foreign site: the MRA partner whose validation replaces the visit."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in {"no_go", "mra_partner", "no_go_reason", "planned_date"}:
                field.widget.attrs.setdefault("class", "usa-input")


class FindingForm(forms.Form):
    # The kind is checked by the service, which keeps the narrative when the kind is unknown.
    kind = forms.CharField(required=False, max_length=40)
    narrative = forms.CharField(required=False, max_length=5000, strip=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "usa-file-input"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


class ResponseForm(forms.Form):
    text = forms.CharField(
        label=_("Your response to the findings"),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 8}),
        help_text=_("Say what you have corrected or will correct, and by when."),
    )
    evidence = MultipleFileField(label=_("Evidence files (optional)"), required=False)


class ProposalForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[(o.value, o.label) for o in Outcome],
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
    deadline = forms.DateField(
        label=_("Corrective action deadline"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Only for corrective action."),
    )
    corrective_items = forms.CharField(
        label=_("Items to correct"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
        help_text=_("Only for corrective action: one item per line."),
    )

    def __init__(
        self, *args: Any, allowed: list[Outcome] | None = None, today: date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["outcome"].choices = [(o.value, o.label) for o in allowed]  # type: ignore[attr-defined]
        if today is not None:
            self.fields["deadline"].initial = default_corrective_deadline(today)

    def decision(self) -> DecisionInput:
        data = self.cleaned_data
        return DecisionInput(
            outcome=Outcome(data["outcome"]),
            rationale=data.get("rationale") or "",
            deadline=data.get("deadline"),
            corrective_items=data.get("corrective_items") or "",
        )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 2})
    )


# --- The worksheet (posted field by field, as the specialist types) ----------------------------


def worksheet_from_post(post: Mapping[str, Any]) -> tuple[WorksheetInput, date | None, dict[str, list[str]]]:
    """The worksheet as typed, the visit date, and the fields that could not even be read."""
    inspections: dict[str, dict[str, dict[str, str]]] = {}
    for checklist in CHECKLISTS.values():
        for point in checklist.points:
            result = str(post.get(point_field(checklist.code, point.code, "result"), ""))
            note = str(post.get(point_field(checklist.code, point.code, "note"), ""))
            if result or note or point_field(checklist.code, point.code, "result") in post:
                inspections.setdefault(checklist.code, {})[point.code] = {"result": result, "note": note}
    log = str(post.get("seal_log_kept", ""))
    worksheet = WorksheetInput(
        inspections=inspections,
        vvtt={step.code: f"vvtt_{step.code}" in post for step in VVTT_STEPS},
        seal_class_seen=str(post.get("seal_class_seen", "")),
        seal_log_kept={"yes": True, "no": False}.get(log),
        observations=str(post.get("observations", "")),
    )
    errors: dict[str, list[str]] = {}
    visited_on: date | None = None
    raw_date = str(post.get("visited_on", "")).strip()
    if raw_date:
        try:
            visited_on = date.fromisoformat(raw_date)
        except ValueError:
            errors["visited_on"] = [str(_("Enter the date as YYYY-MM-DD."))]
    return worksheet, visited_on, errors


SEAL_CLASS_CHOICES = [("", _("Not seen"))] + [(c.value, c.label) for c in SealClass]
