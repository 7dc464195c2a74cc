"""Import one rulebook version from an Excel workbook written by rulebook_export (or
edited from one). Everything is checked first; on any error nothing is imported and every
problem is listed with its sheet and row."""

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from conduct.excel import parse_version_workbook
from conduct.services.rulebooks import rulebook_version_import


class Command(BaseCommand):
    help = (
        "Import a rulebook version: rulebook_import FILE.xlsx [--dry-run] [--label LABEL] "
        "[--effective-from YYYY-MM-DD]."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file to read")
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything, import nothing"
        )
        parser.add_argument("--label", default="", help="import under this version label")
        parser.add_argument(
            "--effective-from", default="", help="import from this date (YYYY-MM-DD)"
        )

    def handle(self, *args, file: str, dry_run: bool, label: str, effective_from: str, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %s") % file)
        start = None
        if effective_from:
            try:
                start = date.fromisoformat(effective_from)
            except ValueError:
                raise CommandError(_("Not a date: %s") % effective_from) from None
        with path.open("rb") as handle:
            parsed = parse_version_workbook(handle)
        messages = [str(error) for error in parsed.errors]
        result = None
        if not messages:
            try:
                result = rulebook_version_import(
                    data=parsed.data, label=label, effective_from=start, dry_run=dry_run
                )
            except ValidationError as exc:
                messages = list(exc.messages)
        if messages:
            for message in messages:
                self.stderr.write(message)
            raise CommandError(
                _("Nothing imported: %(count)s problem(s).") % {"count": len(messages)}
            )
        version = result.version
        what = f"{version.rulebook.code} {version.label}"
        counts = _("%(categories)s categories, %(rules)s rules") % {
            "categories": result.categories,
            "rules": result.rules,
        }
        if result.closed is not None:
            counts += _("; %(label)s now ends on %(day)s") % {
                "label": result.closed.label,
                "day": result.closed.effective_to.isoformat(),
            }
        if dry_run:
            self.stdout.write(
                _("Dry run, nothing imported: %(what)s would be imported (%(counts)s).")
                % {"what": what, "counts": counts}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported %(what)s (%(counts)s).") % {"what": what, "counts": counts}
                )
            )
