"""Forms of the review pages: shapes and choices only; the rules are in the core and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctpat.accounts.models import User
from ctpat.core.decisions import DecisionAction, RecommendationKind

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class AssignmentForm(forms.Form):
    specialist = forms.TypedChoiceField(label=_("Assign to"), coerce=int)
    note = forms.CharField(label=_("Note to the specialist"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [(p.pk, str(p)) for p in people]  # type: ignore[attr-defined]


class VettingCheckForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea)
    derogatory = forms.ChoiceField(label=_("Derogatory information found?"), choices=YES_NO)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)
    evidence = forms.FileField(label=_("Evidence file"), required=False)


class AssessmentStepForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea)


class RecommendationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Recommendation"), choices=[(k.value, k.label) for k in RecommendationKind]
    )
    reason = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("Decision"), choices=[(a.value, a.label) for a in DecisionAction])
    reason = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea)


def form_error_text(form: forms.Form) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(str(e) for e in errors)}".strip(
            ": "
        )
        for name, errors in form.errors.items()
    )
