"""Loading the reward types of a rulebook version (``reward_types:`` in the fixtures).

A load checks everything first and saves nothing on any error. It is idempotent: a type
whose text and schedule are unchanged is left alone. Awards keep their own priced lines,
so they never depend on a type staying the same; still, a type that already has awards is
history and is not rewritten (a change of reward is a new rulebook version, as for rules).
A type left out of the data is deactivated, never deleted.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import Change, audit_record, audit_record_many, diff, snapshot
from conduct.models import RulebookVersion
from penalties.engine import ScheduleError, parse_schedule, schedule_to_dict
from rewards.models import RewardType, reward_schedule_errors

NOT_A_LIST = _("reward_types must be a list.")
TYPE_NOT_A_MAPPING = _("Reward type %(index)s must be a mapping of code, name, text, schedule.")
UNKNOWN_KEYS = _("Reward type %(code)s: unknown keys %(keys)s.")
FIELD_MISSING = _("Reward type %(index)s: %(field)s is missing.")
CODE_TWICE = _("Reward type code %(code)s is used twice in this version.")
BAD_SCHEDULE = _("Reward type %(code)s: %(error)s")
HAS_AWARDS = _(
    "Reward type %(code)s already has awards: its text and schedule are history and cannot "
    "change. Give the new reward in a new version of the rulebook."
)
KEYS = {"code", "name", "text", "schedule"}
TYPE_FIELDS = ("version", "code", "name", "text", "schedule", "position", "is_active")


def _clean(data: Any) -> list[dict[str, Any]]:
    """Every problem of ``data`` at once, or the entries with canonical schedules."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise ValidationError(NOT_A_LIST, code="not_a_list")
    errors: list[ValidationError] = []
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(ValidationError(TYPE_NOT_A_MAPPING, params={"index": index}))
            continue
        code = str(item.get("code") or "").strip()
        unknown = sorted(set(item) - KEYS)
        if unknown:
            errors.append(
                ValidationError(UNKNOWN_KEYS, params={"code": code or index, "keys": unknown})
            )
        missing = [name for name in ("code", "name", "text", "schedule") if not item.get(name)]
        for name in missing:
            errors.append(ValidationError(FIELD_MISSING, params={"index": index, "field": name}))
        if missing:
            continue
        if code in seen:
            errors.append(ValidationError(CODE_TWICE, params={"code": code}))
        seen.add(code)
        try:
            schedule = parse_schedule(item["schedule"])
        except ScheduleError as exc:
            errors.extend(
                ValidationError(BAD_SCHEDULE, params={"code": code, "error": f"{path}: {msg}"})
                for path, msg in exc.errors
            )
            continue
        for problem in reward_schedule_errors(schedule):
            errors.append(ValidationError(BAD_SCHEDULE, params={"code": code, "error": problem}))
        entries.append(
            {
                "code": code,
                "name": str(item["name"]).strip(),
                "text": str(item["text"]).strip(),
                "schedule": schedule_to_dict(schedule),
                "position": index,
            }
        )
    if errors:
        raise ValidationError(errors)
    return entries


@transaction.atomic
def reward_types_load(*, version: RulebookVersion, data: Any, by=None) -> dict[str, int]:
    """Create or update the reward types of ``version`` from the fixture list ``data``;
    returns counts of ``created``, ``updated``, ``unchanged`` and ``deactivated``.
    ``by``: the user loading (None: the system, e.g. the demo)."""
    entries = _clean(data)
    existing = {t.code: t for t in RewardType.objects.select_for_update().filter(version=version)}
    with_awards = set(
        RewardType.objects.filter(version=version, awards__isnull=False).values_list(
            "code", flat=True
        )
    )
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0}
    for entry in entries:
        current = existing.get(entry["code"])
        if current is None:
            reward_type = RewardType(version=version, **entry)
            reward_type.full_clean()
            reward_type.save()
            audit_record(
                actor=by,
                obj=reward_type,
                action=AuditAction.CREATE,
                changes=diff({}, snapshot(reward_type, TYPE_FIELDS)),
            )
            counts["created"] += 1
            continue
        changed = [
            name
            for name in ("name", "text", "schedule", "position")
            if getattr(current, name) != entry[name]
        ]
        if not current.is_active:
            changed.append("is_active")
        if not changed:
            counts["unchanged"] += 1
            continue
        if entry["code"] in with_awards and {"text", "schedule"} & set(changed):
            raise ValidationError(HAS_AWARDS, code="has_awards", params={"code": entry["code"]})
        before = snapshot(current, changed)
        for name in changed:
            setattr(current, name, True if name == "is_active" else entry[name])
        current.__dict__.pop("_parsed_schedule", None)
        current.full_clean()
        current.save(update_fields=changed)
        audit_record(
            actor=by,
            obj=current,
            action=AuditAction.UPDATE,
            changes=diff(before, snapshot(current, changed)),
        )
        counts["updated"] += 1
    codes = {entry["code"] for entry in entries}
    stale = [t for code, t in existing.items() if code not in codes and t.is_active]
    for reward_type in stale:
        reward_type.is_active = False
        reward_type.save(update_fields=["is_active"])
        audit_record(
            actor=by,
            obj=reward_type,
            action=AuditAction.UPDATE,
            changes={"is_active": [True, False]},
        )
        counts["deactivated"] += 1
    return counts


@transaction.atomic
def reward_types_copy(*, source: RulebookVersion, target: RulebookVersion, by=None) -> None:
    """Give the new version ``target`` a copy of the reward types of ``source`` (the
    version it was made from), active or not, in their order. Registered with conduct
    (``conduct.services.rulebooks.version_copier_register``, from ``RewardsConfig.ready``)
    so that a new rulebook version keeps its rewards as it keeps its rules. A type the
    new version already has (by code) is left as it is."""
    taken = set(RewardType.objects.filter(version=target).values_list("code", flat=True))
    copies = RewardType.objects.bulk_create(
        [
            RewardType(
                version=target,
                code=reward_type.code,
                name=reward_type.name,
                text=reward_type.text,
                schedule=reward_type.schedule,
                position=reward_type.position,
                is_active=reward_type.is_active,
            )
            for reward_type in RewardType.objects.filter(version=source).order_by(
                "position", "code"
            )
            if reward_type.code not in taken
        ]
    )
    audit_record_many(
        actor=by,
        items=[
            Change(
                obj=copy,
                action=AuditAction.CREATE,
                changes=diff({}, snapshot(copy, TYPE_FIELDS)),
                comment=f"copy of {source.label}",
            )
            for copy in copies
        ],
    )
