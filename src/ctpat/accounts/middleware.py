"""Agency staff (and partners who turned TOTP on) must pass the second factor before any page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import user_has_device

from ctpat.accounts.access import request_membership, requires_second_factor

# Pages reachable before the second factor: logging in and out, setting TOTP up, the API (it
# authenticates with tokens) and static files.
OPEN_PREFIXES = ("/accounts/", "/static/", "/api/", "/media/", "/i18n/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            verified = getattr(user, "is_verified", lambda: False)()
            if not verified:
                has_device = user_has_device(user)
                if has_device:
                    return redirect("accounts:verify")
                if requires_second_factor(request_membership(request)) and not settings.DEMO_RELAX_2FA:
                    return redirect("accounts:totp_setup")
        return self.get_response(request)
