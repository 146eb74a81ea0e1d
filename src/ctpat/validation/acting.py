"""What every validation page needs from its request: the acting user and membership, whether
htmx sent it, and how a service's refusal is shown (on the form, or as messages)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import Membership, User
from ctpat.core.lifecycle import TransitionError

Errors = dict[str, list[str]]


def acting_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def acting_membership(request: HttpRequest) -> Membership:
    membership = request_membership(request)
    assert membership is not None  # the access function ran first and refused None
    return membership


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def errors_on_form(form: BaseForm, exc: ValidationError) -> None:
    """A service's refusal, shown on the form's fields (or above it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def flash_refusal(request: HttpRequest, exc: ValidationError | TransitionError) -> None:
    reasons = exc.reasons if isinstance(exc, TransitionError) else exc.messages
    for reason in reasons:
        messages.error(request, reason)
