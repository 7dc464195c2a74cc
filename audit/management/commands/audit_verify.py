from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.selectors import audit_chain_verify

REASONS = {
    "link": "the link to the previous entry does not match (an entry was removed or inserted)",
    "content": "the entry's content does not match its hash (it was changed)",
    "head": "the chain head does not point at the last entry (entries were removed at the end)",
}


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exits non-zero on any break."

    def handle(self, *args, **options):
        breaks = audit_chain_verify()
        total = AuditEntry.objects.count()
        if not breaks:
            self.stdout.write(self.style.SUCCESS(_("Audit trail intact: %d entries.") % total))
            return
        for item in breaks:
            where = f"#{item.entry_id}" if item.entry_id else "head"
            self.stderr.write(f"{where}: {REASONS[item.reason]}")
        raise CommandError(_("Audit trail broken in %d place(s).") % len(breaks))
