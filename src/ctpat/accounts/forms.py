from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from ctpat.core.entity_types import entity_type_choices


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True}))


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    email = forms.EmailField(label=_("Your work e-mail address"))
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, help_text=_("At least 10 characters.")
    )
    company_name = forms.CharField(label=_("Company legal name"), max_length=200)
    entity_type = forms.ChoiceField(label=_("Entity type"), choices=entity_type_choices())
    country = forms.CharField(
        label=_("Country (ISO code)"),
        max_length=2,
        min_length=2,
        initial="US",
        help_text=_("Two letters, e.g. US, MX, CA."),
    )

    def clean_country(self) -> str:
        value: str = self.cleaned_data["country"].upper()
        if not value.isalpha():
            raise forms.ValidationError(_("Give the two-letter ISO country code, e.g. US."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            try:
                validate_password(password)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class AccessTokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)
