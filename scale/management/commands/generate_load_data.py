"""Load data at company scale (deterministic: the same seed gives the same rows)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from scale.loaddata import LoadDataExists, generate


class Command(BaseCommand):
    help = (
        "Generate a department tree, employees and violations over three years with their "
        "penalties in every state, approval history, notices and appeals. COPY on "
        "PostgreSQL, bulk inserts elsewhere. Run on a database that has no load data yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=10_000)
        parser.add_argument("--violations", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, employees, violations, seed, today, **options):
        try:
            stats = generate(
                employees=employees,
                violations=violations,
                seed=seed,
                today=today,
                out=self.stdout.write,
            )
        except (LoadDataExists, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for table, count in sorted(stats.rows.items()):
            self.stdout.write(f"  {table:<32} {count:>10,}")
        if stats.heavy_employee_no:
            self.stdout.write(f"  {HEAVY_LABEL}: {stats.heavy_employee_no}")
        for line in stats.skipped_rules:
            self.stdout.write(f"  left out: {line}")
        self.stdout.write(self.style.SUCCESS(f"done in {stats.seconds['total']:.1f}s"))


HEAVY_LABEL = "employee with 500 violations"
