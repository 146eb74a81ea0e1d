"""API authentication: the browser session (with CSRF) or a personal access token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from ctpat.accounts.models import User
from ctpat.accounts.services import access_token_user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ctpat_...``"""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = access_token_user(token)
        if user is not None:
            request.user = user
        return user


class PortalSessionAuth(SessionAuth):
    """The portal's own session; agency users must have passed the second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from django.conf import settings

        from ctpat.accounts.access import request_membership, requires_second_factor

        user = super().authenticate(request, key)
        if user is None:
            return None
        verified = getattr(request.user, "is_verified", lambda: False)()
        if (
            not verified
            and requires_second_factor(request_membership(request))
            and not settings.DEMO_RELAX_2FA
        ):
            return None
        return user


class OrganizationHeader(APIKeyHeader):
    """Unused for authentication; documents the ``X-Organization`` header for consultants."""

    param_name = "X-Organization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return None


API_AUTH = [TokenAuth(), PortalSessionAuth()]
