"""What the targeting commands share: progress on stdout, refusals as the command's error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ctpat.declarations.services import TargetingRefused


class TargetingCommand(BaseCommand):
    def progress(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    def run_service(self, action: Callable[[], Any]) -> Any:
        """Run a service; a refused file prints every line and reason and exits with status 1."""
        try:
            return action()
        except TargetingRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(refused.message) from refused
