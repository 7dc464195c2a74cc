"""Reading the audit trail."""

from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet

from .models import AuditChainHead, AuditEntry
from .services import entry_hash, entry_payload


def audit_history(*, obj: models.Model) -> QuerySet[AuditEntry]:
    """Every entry about ``obj``, oldest first."""
    label = f"{obj._meta.app_label}.{obj._meta.model_name}"
    return AuditEntry.objects.filter(object_type=label, object_id=str(obj.pk)).order_by("id")


def user_may_read_audit(user) -> bool:
    return user.has_perm("audit.view_auditentry")


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    reason: str


def audit_chain_verify(*, batch_size: int = 5000) -> list[ChainBreak]:
    """Walk the whole chain in id order; report every entry whose stored hash or link
    does not match, and a head that does not point at the last entry."""
    breaks: list[ChainBreak] = []
    prev = ""
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        if entry.prev_hash != prev:
            breaks.append(ChainBreak(entry.pk, "link"))
        expected = entry_hash(prev_hash=entry.prev_hash, payload=entry_payload(entry))
        if entry.hash != expected:
            breaks.append(ChainBreak(entry.pk, "content"))
        prev = entry.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        breaks.append(ChainBreak(None, "head"))
    return breaks
