"""Log-in, registration, the second factor, switching company, and API tokens."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from ctpat.accounts.access import ACTIVE_ORGANIZATION_SESSION_KEY
from ctpat.accounts.forms import AccessTokenForm, EmailLoginForm, RegistrationForm, TokenForm
from ctpat.accounts.models import AccessToken, Membership, User
from ctpat.accounts.services import (
    access_token_create,
    access_token_revoke,
    totp_device_confirm,
    totp_device_matching,
    totp_device_pending,
)
from ctpat.applications.services import partner_register
from ctpat.core.entity_types import EntityType


class PortalLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True


class PortalLogoutView(LogoutView):
    pass


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, _partner = partner_register(
                email=data["email"],
                full_name=data["full_name"],
                password=data["password"],
                company_name=data["company_name"],
                entity_type=EntityType(data["entity_type"]),
                country=data["country"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready. Start with the eligibility check."))
            return redirect("applications:eligibility")
    return render(request, "accounts/register.html", {"form": form})


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    device = totp_device_pending(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = totp_device_confirm(user=user, token=form.cleaned_data["otp_token"])
        if confirmed is not None:
            otp_login(request, confirmed)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("home")
        form.add_error(
            "otp_token", _("That code does not match. Check the time on your phone and try again.")
        )
    qr_svg = segno.make(device.config_url).svg_inline(scale=5)
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "qr_svg": mark_safe(qr_svg), "secret": device.bin_key.hex()},  # noqa: S308 - segno's own SVG
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = totp_device_matching(user=_user(request), token=form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(request.GET.get("next") or "home")
        form.add_error("otp_token", _("That code does not match."))
    return render(request, "accounts/verify.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = AccessTokenForm()
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": Membership.objects.filter(user=user).select_related("organization"),
            "tokens": AccessToken.objects.filter(user=user).order_by("-created_at"),
            "token_form": form,
            "new_token": request.session.pop("new_token", None),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = AccessTokenForm(request.POST)
    if form.is_valid():
        _token, raw = access_token_create(user=_user(request), name=form.cleaned_data["name"])
        request.session["new_token"] = raw
        messages.success(request, _("Token created. Copy it now: it is shown only once."))
    else:
        messages.error(request, _("Give the token a name."))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if access_token_revoke(user=_user(request), token_id=token_id):
        messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


@login_required
@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    try:
        organization_id = int(request.POST.get("organization", ""))
    except ValueError:
        organization_id = 0
    if Membership.objects.filter(user=_user(request), organization_id=organization_id).exists():
        request.session[ACTIVE_ORGANIZATION_SESSION_KEY] = organization_id
    else:
        messages.error(request, _("You hold no role in that organisation."))
    return redirect("home")
