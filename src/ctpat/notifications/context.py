from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ctpat.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.filter(user_id=request.user.pk, read_at=None).count()
    }
