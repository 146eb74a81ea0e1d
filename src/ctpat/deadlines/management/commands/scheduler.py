import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ctpat.deadlines.services import scheduler_run


class Command(BaseCommand):
    help = "Send due deadline reminders (idempotent); --every N repeats every N seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: run once)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            report = scheduler_run()
            self.stdout.write(
                f"{report.reviews_opened} annual reviews opened; {report.windows_missed} missed windows recorded; "
                f"{report.deadlines} open deadlines; {report.reminders_sent} reminders sent "
                f"{report.stages or ''}; {report.already_sent} already sent; {report.emails} e-mails delivered"
            )
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
