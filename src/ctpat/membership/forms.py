"""Forms of the keeping-membership pages. They check shapes and choices only; the rules (which
criteria, attendees, editability, the review's steps) live in the core and the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ctpat.applications.forms import AnswerForm, EvidenceForm, USWDSMixin
from ctpat.criteria.models import Criterion
from ctpat.membership.models import FindingResult, InternalAssessment

__all__ = ["AnswerForm", "EvidenceForm"]
DATE = forms.DateInput(attrs={"type": "date"})


def _limit(field: forms.Field, queryset: QuerySet[Any]) -> None:
    """Offer only ``queryset`` in a model choice field."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class CriteriaChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Criterion) -> str:
        statement = obj.statement if len(obj.statement) <= 90 else obj.statement[:87] + "…"
        return f"{obj.code} — {statement}"


class RiskAssessmentForm(USWDSMixin, forms.Form):
    risk_assessment = forms.CharField(
        label=_("This year's risk assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The five steps: map cargo flow and business partners; threats per country or region "
            "(high, medium, low); vulnerabilities against the criteria; the action plan; how it is documented."
        ),
    )


class ReturnForm(USWDSMixin, forms.Form):
    reason = forms.CharField(
        label=_("What the partner must change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AssessmentForm(USWDSMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    performed_on = forms.DateField(label=_("Date of the assessment"), widget=DATE)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    criteria = CriteriaChoiceField(
        label=_("Scope: the criteria assessed"),
        queryset=Criterion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(
            self.fields["criteria"],
            Criterion.objects.filter(pk__in=[c.pk for c in criteria]).order_by("sort_key"),
        )


class FindingForm(USWDSMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", _("Not assessed yet")), *FindingResult.choices], required=False
    )
    note = forms.CharField(
        label=_("What was found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TrainingForm(USWDSMixin, forms.Form):
    course = forms.CharField(label=_("Course"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    criteria = CriteriaChoiceField(
        label=_("Criteria of category 12 it covers"),
        queryset=Criterion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    attendee_names = forms.CharField(
        label=_("Attendees (one name a line)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attendee_count = forms.IntegerField(
        label=_("Number of attendees"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to count the names."),
    )
    file = forms.FileField(label=_("Evidence (attendance sheet, certificate)"), required=False)

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(
            self.fields["criteria"],
            Criterion.objects.filter(pk__in=[c.pk for c in criteria]).order_by("sort_key"),
        )


class ActionForm(USWDSMixin, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criterion = forms.ModelChoiceField(
        label=_("Criterion (optional)"), queryset=Criterion.objects.none(), required=False
    )
    assessment = forms.ModelChoiceField(
        label=_("From the internal assessment (optional)"),
        queryset=InternalAssessment.objects.none(),
        required=False,
    )

    def __init__(
        self, *args: Any, criteria: list[Criterion], assessments: list[InternalAssessment], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _limit(
            self.fields["criterion"],
            Criterion.objects.filter(pk__in=[c.pk for c in criteria]).order_by("sort_key"),
        )
        _limit(
            self.fields["assessment"], InternalAssessment.objects.filter(pk__in=[a.pk for a in assessments])
        )
