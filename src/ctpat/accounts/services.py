"""Accounts: second factor devices and API access tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctpat.accounts.models import AccessToken, User


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, made on first visit to the set-up page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_device_confirm(*, user: User, token: str) -> TOTPDevice | None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def totp_device_matching(*, user: User, token: str) -> TOTPDevice | None:
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def access_token_create(*, user: User, name: str) -> tuple[AccessToken, str]:
    """A new token; the raw value is returned once and never stored."""
    raw = AccessToken.generate()
    token = AccessToken.objects.create(
        user=user, name=name, prefix=raw[:12], token_hash=AccessToken.hash(raw)
    )
    return token, raw


def access_token_revoke(*, user: User, token_id: int) -> bool:
    return bool(
        AccessToken.objects.filter(user=user, pk=token_id, revoked_at=None).update(revoked_at=timezone.now())
    )


def access_token_user(raw: str) -> User | None:
    """The active user behind a raw token, recording its use."""
    token = (
        AccessToken.objects.select_related("user")
        .filter(token_hash=AccessToken.hash(raw), revoked_at=None)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
