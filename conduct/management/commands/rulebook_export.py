"""Write one rulebook version as an Excel workbook (sheets 版本, 分类, 规则)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from conduct.excel import version_workbook
from conduct.selectors.rulebooks import rulebook_version_by_label


class Command(BaseCommand):
    help = (
        "Export a rulebook version to Excel: rulebook_export CODE [--version LABEL] "
        "--out FILE.xlsx (without --version: the version in force today)."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the rulebook version here, not the program's version.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("code", help="the rulebook's code, e.g. hospital-service")
        parser.add_argument("--version", dest="label", default="", help="version label")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args, code: str, label: str, out: str, **options):
        try:
            version = rulebook_version_by_label(code=code, label=label, on=timezone.localdate())
        except Http404:
            what = f"{code} {label}".strip()
            raise CommandError(_("No such rulebook or version: %s") % what) from None
        content = version_workbook(version=version)
        Path(out).write_bytes(content)
        rules = version.rules.count()
        self.stdout.write(
            self.style.SUCCESS(
                _("%(code)s %(label)s: %(rules)s rules written to %(out)s")
                % {"code": code, "label": version.label, "rules": rules, "out": out}
            )
        )
