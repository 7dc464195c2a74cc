"""``python manage.py payroll_export 2026-01 --out payroll.xlsx [--csv summary.csv]``: the
workbook (and the summary CSV) of a closed month, as the download buttons give them."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from payroll.models import PayrollPeriod
from payroll.months import parse_month
from payroll.services import payroll_export


class Command(BaseCommand):
    help = "Write the payroll workbook (.xlsx) of a closed month (YYYY-MM)."

    def add_arguments(self, parser):
        parser.add_argument("month", help="the month, YYYY-MM")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")
        parser.add_argument("--csv", default="", help="also write the summary as CSV here")

    def handle(self, *args, month: str, out: str, csv: str, **options):
        try:
            first = parse_month(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        period = PayrollPeriod.objects.filter(month=first).first()
        if period is None:
            raise CommandError(f"{month} has never been closed")
        try:
            Path(out).write_bytes(payroll_export(period=period, by=None, fmt="xlsx"))
            if csv:
                Path(csv).write_bytes(payroll_export(period=period, by=None, fmt="csv"))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"wrote {out}" + (f" and {csv}" if csv else "")))
