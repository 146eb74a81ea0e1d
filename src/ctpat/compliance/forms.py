"""Forms of the compliance pages: shapes and choices only; the rules are in ``core.sanctions``
and the services (which say, for example, that reasons are required)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ctpat.applications.forms import USWDSMixin
from ctpat.core.sanctions import AppealOutcome, Benefit, SanctionGround, SanctionKind

BENEFIT_CHOICES = [(b.value, b.label) for b in Benefit]


def _text(label: Any, *, required: bool = False, help_text: Any = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class CaseOpenForm(USWDSMixin, forms.Form):
    grounds = _text(_("Grounds"), help_text=_("What the partner failed to do, and how it was found."))
    incident_id = forms.IntegerField(label=_("Incident number (optional)"), required=False, min_value=1)


class LetterForm(USWDSMixin, forms.Form):
    deficiencies = _text(_("Deficiencies"), help_text=_("One per line."), rows=4)
    required_actions = _text(_("Required actions"), help_text=_("One per line."), rows=4)
    response_days = forms.IntegerField(
        label=_("Days to correct"),
        min_value=1,
        max_value=180,
        initial=30,
        help_text=_("From the day it is sent."),
    )


class PlanForm(USWDSMixin, forms.Form):
    summary = _text(_("Summary of the plan"), required=True, rows=4)


class ObjectiveForm(USWDSMixin, forms.Form):
    description = forms.CharField(label=_("Objective"), required=False, max_length=2000)
    due_on = forms.DateField(
        label=_("To be done by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("description")) != bool(data.get("due_on")):
            raise forms.ValidationError(_("Give both the objective and its date, or leave both empty."))
        return data


ObjectiveFormSet = formset_factory(ObjectiveForm, extra=4, max_num=20)


class ProgressForm(USWDSMixin, forms.Form):
    note = _text(_("Progress"), rows=2)
    completed = forms.BooleanField(label=_("This objective is done"), required=False)


class PlanDecisionForm(USWDSMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return"))]
    )
    reason = _text(_("Reasons (required to return)"))


class RecommendationForm(USWDSMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Sanction"), choices=[(k.value, k.label) for k in SanctionKind])
    ground = forms.ChoiceField(label=_("Ground"), choices=[(g.value, g.label) for g in SanctionGround])
    benefits = forms.MultipleChoiceField(
        label=_("Benefits to suspend"),
        choices=BENEFIT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = _text(_("Reasons"))


class SanctionDecisionForm(USWDSMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"), choices=[("take", _("Take it")), ("decline", _("Decline"))]
    )
    reason = _text(_("Reasons"))


class ReasonForm(USWDSMixin, forms.Form):
    reason = _text(_("Reasons"))


class StatementForm(USWDSMixin, forms.Form):
    statement = _text(_("Your statement"), rows=5)


class AppealDecisionForm(USWDSMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[(o.value, o.label) for o in AppealOutcome])
    restored_benefits = forms.MultipleChoiceField(
        label=_("Benefits to restore (partly granted)"),
        choices=BENEFIT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = _text(_("Written reasons"), rows=4)


def form_errors(form: forms.Form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]
