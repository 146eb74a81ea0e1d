"""The person's own message inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ctpat.accounts.models import User
from ctpat.notifications.models import Notification
from ctpat.notifications.services import notification_mark_read


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    messages = Notification.objects.filter(user=_user(request))[:200]
    return render(request, "notifications/inbox.html", {"notifications": messages})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("notification")
    notification_mark_read(user=_user(request), notification_id=int(raw) if raw and raw.isdigit() else None)
    return redirect("notifications:inbox")
