"""Showing shares on the targeting pages: a percentage, or a dash where nothing was measured."""

from __future__ import annotations

import math

from django import template

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """``0.0523|percent`` → ``5.2%``; nothing measured (None, NaN, missing) → ``—``."""
    if not isinstance(value, int | float) or math.isnan(value):
        return "—"
    return f"{value * 100:.{digits}f}%"


@register.filter
def ratio(value: float | None) -> str:
    """A relative rate such as 0.42 (× non-members); nothing measured → ``—``."""
    if not isinstance(value, int | float) or math.isnan(value):
        return "—"
    return f"{value:.2f}×"
