"""``ctpat scheduler [--every N]``: the reminder scheduler (same as ``ctpat manage scheduler``)."""

from __future__ import annotations

import os
from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctpat.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ctpat", "scheduler", *argv])
    return 0
