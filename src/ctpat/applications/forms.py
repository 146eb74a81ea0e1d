"""Forms of the partner's application pages. They check shapes and choices only; the rules
(eligibility, identifier formats, shares, editability) live in the core and the services."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from ctpat.applications.models import AnswerStatus, Contact, Facility, OriginCountry, Partner, TransportMode
from ctpat.core.eligibility import Question
from ctpat.core.entity_types import entity_type_choices
from ctpat.core.identifiers import IdentifierKind

WIDGET_CLASSES = {
    forms.Select: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.ClearableFileInput: "usa-file-input",
    forms.FileInput: "usa-file-input",
}


class USWDSMixin:
    """Give every widget its U.S. Web Design System class."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = next((c for w, c in WIDGET_CLASSES.items() if isinstance(field.widget, w)), "usa-input")
            field.widget.attrs.setdefault("class", css)


def _country_code(value: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise forms.ValidationError(_("Give the two-letter ISO country code, e.g. US."))
    return code


class EligibilityForm(USWDSMixin, forms.Form):
    """One yes/no box per question of the partner's entity type."""

    def __init__(self, *args: Any, questions: tuple[Question, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question.key] = forms.BooleanField(label=_(question.text), required=False)


class EntityTypeForm(USWDSMixin, forms.Form):
    entity_type = forms.ChoiceField(label=_("Entity type"), choices=entity_type_choices())


class CompanyProfileForm(USWDSMixin, forms.ModelForm):  # type: ignore[type-arg]
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields: ClassVar[list[str]] = [
            "legal_name",
            "doing_business_as",
            "website",
            "phone",
            "street",
            "city",
            "region",
            "postal_code",
            "country",
            "year_established",
            "employees",
            "business_description",
        ]

    def clean_country(self) -> str:
        return _country_code(self.cleaned_data["country"])


class ContactForm(USWDSMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Contact
        fields: ClassVar[list[str]] = ["contact_type", "full_name", "title", "email", "phone", "is_primary"]


class IdentifiersForm(USWDSMixin, forms.Form):
    """One box per identifier kind; a cleared box removes that identifier."""

    def __init__(self, *args: Any, required: frozenset[IdentifierKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in IdentifierKind:
            hint = _("Required for your entity type.") if kind in required else ""
            self.fields[kind.value] = forms.CharField(
                label=_(kind.label), required=False, max_length=40, help_text=hint
            )


class TransportModesForm(forms.Form):
    transport_modes = forms.MultipleChoiceField(
        label=_("Modes of transport"),
        choices=TransportMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class OriginCountryForm(USWDSMixin, forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Two of these forms share the business page: distinct element IDs keep labels tied to
        # their own inputs.
        kwargs.setdefault("auto_id", "origin_%s")
        super().__init__(*args, **kwargs)

    class Meta:
        model = OriginCountry
        fields: ClassVar[list[str]] = ["country", "share_percent"]

    def clean_country(self) -> str:
        return _country_code(self.cleaned_data["country"])


class FacilityForm(USWDSMixin, forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Two of these forms share the business page: distinct element IDs keep labels tied to
        # their own inputs.
        kwargs.setdefault("auto_id", "facility_%s")
        super().__init__(*args, **kwargs)

    class Meta:
        model = Facility
        fields: ClassVar[list[str]] = [
            "name",
            "kind",
            "street",
            "city",
            "region",
            "postal_code",
            "country",
            "latitude",
            "longitude",
        ]

    def clean_country(self) -> str:
        return _country_code(self.cleaned_data["country"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, limit in (("latitude", 90), ("longitude", 180)):
            value = data.get(name)
            if value is not None and abs(value) > limit:
                self.add_error(name, _("Must lie between -%(limit)s and %(limit)s.") % {"limit": limit})
        return data


class AnswerForm(USWDSMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"), choices=[("", _("Not answered yet")), *AnswerStatus.choices], required=False
    )
    narrative = forms.CharField(
        label=_("How the company meets this criterion"), required=False, widget=forms.Textarea
    )
    not_applicable_reason = forms.CharField(
        label=_("Why it does not apply"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(USWDSMixin, forms.Form):
    file = forms.FileField(label=_("Evidence file"), allow_empty_file=True)
