"""Writing to the audit trail. Call ``audit_record`` from inside the service's
transaction, after the change is saved."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditAction, AuditChainHead, AuditEntry


def _plain(value: Any) -> Any:
    """A JSON-safe, stable form of a field value (Decimal as its exact string)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of ``obj`` (foreign keys as ids) for a later ``diff``."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _plain(getattr(obj, attname))
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def entry_hash(*, prev_hash: str, payload: Mapping[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": _plain(entry.changes),
        "comment": entry.comment,
    }


def _label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _actor_name(actor) -> str:
    if actor is None:
        return "system"
    return actor.get_full_name() or actor.get_username()


@dataclass(frozen=True)
class Change:
    """One thing to record: ``audit_record_many`` takes a list of these."""

    obj: models.Model
    action: str
    changes: Mapping[str, Any] | None = None
    comment: str = ""


def audit_record_many(*, actor, items: list[Change]) -> list[AuditEntry]:
    """Append entries for ``items`` in order, chained, in the caller's transaction."""
    if not items:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    now = timezone.now()
    prev = head.last_hash
    entries = []
    for item in items:
        entry = AuditEntry(
            at=now,
            actor=actor,
            actor_name=_actor_name(actor),
            action=item.action,
            object_type=_label(item.obj),
            object_id=str(item.obj.pk),
            object_repr=str(item.obj)[:200],
            changes=_plain(dict(item.changes or {})),
            comment=item.comment,
            prev_hash=prev,
        )
        entry.hash = entry_hash(prev_hash=prev, payload=entry_payload(entry))
        prev = entry.hash
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries)
    head.last_hash = prev
    head.save(update_fields=["last_hash"])
    return entries


def audit_record(
    *,
    actor,
    obj: models.Model,
    action: str,
    changes: Mapping[str, Any] | None = None,
    comment: str = "",
) -> AuditEntry:
    """Record one create/change/transition of ``obj`` by ``actor`` (None: the system)."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    return audit_record_many(
        actor=actor, items=[Change(obj=obj, action=action, changes=changes, comment=comment)]
    )[0]
