"""Import a time clock's export: ``manage.py attendance_import FILE [--mapping …]``.

All rows or none; the same file twice imports nothing new. Row errors are printed with
their line number and the command exits non-zero."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.importing import FIELDS, ImportFileError, parse_mapping_option, sha256
from attendance.selectors import clock_import_done, clock_import_preview
from attendance.services import clock_import_confirm, clock_import_discard, clock_import_start

from ._by import acting_user


class Command(BaseCommand):
    help = "Import clock records from an .xlsx or .csv file (UTF-8 or GBK)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the time clock's export (.xlsx or .csv)")
        parser.add_argument(
            "--mapping",
            default="",
            help="columns, e.g. 工号=EmpNo,date=Date,clock-in=In,clock-out=Out "
            "(default: the last mapping used, else a guess from the headers)",
        )
        parser.add_argument("--by", default="", help="username acting (default: system)")
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")

    def handle(self, *args, file: str, mapping: str, by: str, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": path})
        content = path.read_bytes()
        earlier = clock_import_done(digest=sha256(content))
        if earlier is not None:
            when = timezone.localtime(earlier.confirmed_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                _("%(name)s was already imported on %(when)s: nothing new to import.")
                % {"name": path.name, "when": when}
            )
            return
        user = acting_user(by)
        try:
            chosen = parse_mapping_option(mapping) if mapping else {}
            draft = clock_import_start(file_name=path.name, content=content, by=user)
        except (ValidationError, ImportFileError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from exc
        mapping_used = {name: chosen.get(name) or draft.mapping.get(name, "") for name in FIELDS}
        preview = clock_import_preview(clock_import=draft, mapping=mapping_used)
        for message in preview.mapping_errors:
            self.stderr.write(message)
        if preview.result is not None:
            for error in preview.result.errors:
                self.stderr.write(
                    _("line %(line)s: %(messages)s")
                    % {"line": error.line, "messages": " ".join(error.messages)}
                )
        if preview.file_error or preview.mapping_errors or not preview.can_confirm or dry_run:
            clock_import_discard(clock_import=draft, by=user)
        if preview.file_error or preview.mapping_errors or not preview.can_confirm:
            raise CommandError(_("Nothing was imported."))
        if dry_run:
            self.stdout.write(
                _("Checked %(rows)s rows: %(new)s new, %(changed)s corrected, %(same)s present.")
                % {
                    "rows": preview.result.total,
                    "new": len(preview.new),
                    "changed": len(preview.changed),
                    "same": preview.unchanged,
                }
            )
            return
        try:
            done = clock_import_confirm(clock_import=draft, mapping=mapping_used, by=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported %(rows)s rows: %(new)s new records, %(changed)s corrected, "
                    "%(same)s already present."
                )
                % {
                    "rows": done.rows_total,
                    "new": done.rows_created,
                    "changed": done.rows_updated,
                    "same": done.rows_unchanged,
                }
            )
        )
