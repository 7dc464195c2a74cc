"""``python manage.py payroll_close 2026-01 [--by USERNAME]``: close a payroll month, as the
close button does (the same service, the same checks)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from payroll.months import parse_month
from payroll.services import payroll_period_close, payroll_period_get_or_create, period_totals


class Command(BaseCommand):
    help = "Close a payroll month (YYYY-MM): apply the deduction cap and lock the month."

    def add_arguments(self, parser):
        parser.add_argument("month", help="the month, YYYY-MM")
        parser.add_argument(
            "--by",
            dest="username",
            default="",
            help="the login closing it (needs the payroll clerk's permission); "
            "without it the close is recorded as run from the command line",
        )

    def handle(self, *args, month: str, username: str, **options):
        try:
            first = parse_month(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"no such user: {username}")
        period = payroll_period_get_or_create(month=first)
        try:
            payroll_period_close(period=period, closed_by=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        totals = period_totals(period=period)
        self.stdout.write(
            self.style.SUCCESS(
                f"{period.label} closed: {totals['employees']} employees, {totals['items']} "
                f"items, withheld ¥{totals['withheld']}, carried to next month "
                f"¥{totals['carried_out']} ({totals['capped']} capped)"
            )
        )
