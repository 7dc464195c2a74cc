"""Process a month: ``manage.py attendance_process YYYY-MM [--by USERNAME]``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from attendance.selectors import parse_month
from attendance.services import attendance_month_process

from ._by import acting_user


class Command(BaseCommand):
    help = "Judge every employee-day of a month and log the attendance violations."

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--by", default="", help="username acting (default: system)")

    def handle(self, *args, month: str, by: str, **options):
        first = parse_month(month)
        if first is None:
            raise CommandError(_("Give the month as YYYY-MM."))
        try:
            result = attendance_month_process(month=first, by=acting_user(by))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(month)s processed: %(days)s employee-days, %(created)s violations created, "
                    "%(voided)s voided, %(kept)s unchanged, %(flagged)s flagged for review."
                )
                % {
                    "month": first.strftime("%Y-%m"),
                    "days": result.days,
                    "created": result.violations_created,
                    "voided": result.violations_voided,
                    "kept": result.violations_kept,
                    "flagged": result.flagged,
                }
            )
        )
        for warning in result.warnings:
            self.stderr.write(warning)
