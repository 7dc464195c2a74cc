"""Changing the reward settings row (the number of service stars a month, which rewards
are the service star and the long-service award)."""

from __future__ import annotations

from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record, diff, snapshot
from rewards.models import RewardSettings

SETTINGS_FIELDS = (
    "service_star_winners",
    "service_star_rulebook",
    "service_star_code",
    "long_service_rulebook",
    "long_service_code",
    "long_service_years",
)


@transaction.atomic
def reward_settings_update(*, by, **fields) -> RewardSettings:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    row = RewardSettings.objects.select_for_update().get(pk=RewardSettings.get().pk)
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    before = snapshot(row, changed)
    for name in changed:
        setattr(row, name, fields[name])
    row.full_clean()
    row.updated_by = by
    row.save(update_fields=[*changed, "updated_by", "updated_at"])
    if changed:
        audit_record(
            actor=by,
            obj=row,
            action=AuditAction.UPDATE,
            changes=diff(before, snapshot(row, changed)),
        )
    return row
