"""``ctpat manage demo_data``: a demo program to click through, and the log-ins to try it."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from ctpat.applications.models import Partner
from ctpat.core.entity_types import EntityType
from ctpat.core.lifecycle import PartnerStatus
from ctpat.criteria.models import CatalogueVersion
from ctpat.demo.people import DEMO_PASSWORD, demo_logins, demo_users_exist
from ctpat.demo.services import DemoSummary, demo_build, demo_wipe


class Command(BaseCommand):
    help = (
        "Create a repeatable demo: CBP staff, outside partners and companies of every entity type in "
        "every status, then print log-ins to try. Local use only; refused in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing when partner accounts exist")
        parser.add_argument(
            "--reset", action="store_true", help="delete every partner account and demo user first"
        )
        parser.add_argument(
            "--seed", type=int, default=2024, help="the same seed builds the same demo (default 2024)"
        )
        parser.add_argument(
            "--partners",
            type=int,
            default=40,
            help="number of companies (default 40; 14 or more show every type)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is for local installations; CTPAT_ENV=production refuses it.")
        if options["partners"] < 1:
            raise CommandError("--partners must be at least 1.")
        if not CatalogueVersion.objects.filter(is_current=True).exists():
            raise CommandError("No criteria catalogue is loaded: run `ctpat manage catalogue_load` first.")
        if options["if_empty"] and not options["reset"] and Partner.objects.exists():
            self.stdout.write(
                f"Demo data: {Partner.objects.count()} partner accounts exist already; nothing added."
            )
        else:
            self.build(reset=options["reset"], seed=options["seed"], partners=options["partners"])
        self.print_logins()

    def build(self, *, reset: bool, seed: int, partners: int) -> None:
        if reset:
            demo_wipe()
        elif demo_users_exist():
            raise CommandError("Demo users exist already: use --reset to rebuild the demo, or --if-empty.")
        started = time.monotonic()
        # The demo's addresses cannot receive mail; its submissions send none.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            summary = demo_build(seed=seed, partners=partners)
        self.print_summary(summary, time.monotonic() - started)

    def print_summary(self, summary: DemoSummary, seconds: float) -> None:
        self.stdout.write(
            f"Demo data: {summary.partners} companies, {summary.users} users, {summary.events} status changes, "
            f"{summary.evidence} evidence files in {seconds:.1f} s."
        )
        statuses = ", ".join(
            f"{s.label} {summary.by_status[s]}" for s in PartnerStatus if summary.by_status[s]
        )
        self.stdout.write(f"  by status: {statuses}")
        types = ", ".join(
            f"{t.label} {summary.by_entity_type[t]}" for t in EntityType if summary.by_entity_type[t]
        )
        self.stdout.write(f"  by entity type: {types}")

    def print_logins(self) -> None:
        logins = demo_logins()
        if not logins:
            return
        self.stdout.write("")
        self.stdout.write(f"Demo log-ins (every demo user's password is {DEMO_PASSWORD}):")
        width = max(len(login.email) for login in logins)
        role_width = max(len(login.role) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.email:<{width}}  {login.password}  {login.role:<{role_width}}  {login.organization}"
            )
        self.stdout.write("Open http://127.0.0.1:8000/ and log in with any of them.")
