"""``python manage.py notice_pdfs_prune [--days 30] [--dry-run]``: empty the cache of
rendered notice PDFs (``MEDIA_ROOT/notice-pdfs/``) of files older than ``--days``.

The cache only grows (a file per notice state downloaded); removing a file costs at most
one render (~0.1 s) on the next download of that notice. Run it from cron, e.g. weekly.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from penalties.pdf_support import kept_pdfs_prune


class Command(BaseCommand):
    help = "Remove kept notice PDFs older than --days (they are rendered again when asked for)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="keep files younger than this")
        parser.add_argument("--dry-run", action="store_true", help="only count what would go")

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 0:
            raise CommandError("--days 不能为负数")
        files, size = kept_pdfs_prune(older_than=timedelta(days=days), dry_run=dry_run)
        verb = "将删除" if dry_run else "已删除"
        self.stdout.write(f"{verb} {files} 个通知书PDF缓存文件,共 {size / 1024:.0f} KB。")
