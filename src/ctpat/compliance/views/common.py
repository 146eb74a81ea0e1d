"""What every compliance page does: who acts, and a service's refusal shown as messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import Membership, User
from ctpat.compliance.forms import form_errors
from ctpat.core.lifecycle import TransitionError


def user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def member(request: HttpRequest) -> Membership:
    membership = request_membership(request)
    assert membership is not None  # the access functions refused a request without one
    return membership


def attempt(request: HttpRequest, step: Callable[[], Any], success: str) -> bool:
    """Run a service; its refusal becomes error messages, its success one message."""
    try:
        step()
    except TransitionError as exc:
        for reason in exc.reasons:
            messages.error(request, reason)
        return False
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def invalid(request: HttpRequest, form: Any) -> None:
    for message in form_errors(form):
        messages.error(request, message)
