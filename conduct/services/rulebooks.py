"""Writes to the code of conduct: loading and versioning rulebooks."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from conduct.models import Category, Rule, Rulebook, RulebookVersion
from penalties.engine import ScheduleError, parse_schedule, schedule_to_dict

VERSION_OVERLAP = _("Version %(label)s overlaps version %(other)s of the same rulebook.")
RULE_NUMBER_TWICE = _("Rule number %(number)s is used twice in this version.")
BAD_SCHEDULE = _("Rule %(number)s: %(error)s")


def _parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _check_no_overlap(version: RulebookVersion) -> None:
    others = RulebookVersion.objects.filter(rulebook=version.rulebook).exclude(pk=version.pk)
    start, end = version.effective_from, version.effective_to
    for other in others:
        other_end = other.effective_to
        if (end is None or other.effective_from <= end) and (
            other_end is None or start <= other_end
        ):
            raise ValidationError(
                VERSION_OVERLAP, params={"label": version.label, "other": other.label}
            )


@transaction.atomic
def rulebook_version_load(*, data: dict[str, Any], replace: bool = False) -> RulebookVersion:
    """Create a rulebook (if new) and the first version in ``data`` with its categories and
    rules, in the fixture format (docs/schedule-format.md). Every schedule is validated;
    any error rolls the whole load back.

    With ``replace`` an existing version of the same label is left as it is and returned
    (idempotent loading for ``seed_demo``)."""
    rulebook, _created = Rulebook.objects.select_for_update().get_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "name_en": data.get("name_en", ""),
            "issuing_body": data.get("issuing_body", ""),
            "scope": data.get("scope", ""),
            "source": data.get("source", ""),
            "points_budget": data.get("points_budget"),
            "points_window": data.get("points_window") or "calendar_year",
        },
    )
    versions = []
    for version_data in data["versions"]:
        existing = RulebookVersion.objects.filter(
            rulebook=rulebook, label=version_data["label"]
        ).first()
        if existing is not None and replace:
            versions.append(existing)
            continue
        versions.append(_version_create(rulebook, version_data))
    return versions[-1]


def _version_create(rulebook: Rulebook, data: dict[str, Any]) -> RulebookVersion:
    adoption = data.get("adoption") or {}
    version = RulebookVersion(
        rulebook=rulebook,
        label=data["label"],
        effective_from=_parse_date(data["effective_from"]),
        effective_to=_parse_date(data.get("effective_to")),
        consultation_body=adoption.get("consultation_body", ""),
        consultation_date=_parse_date(adoption.get("consultation_date")),
        publication_date=_parse_date(adoption.get("publication_date")),
        notes=data.get("notes", ""),
    )
    version.full_clean()
    _check_no_overlap(version)
    version.save()
    seen: set[str] = set()
    rules: list[Rule] = []
    errors: list[str] = []
    position = 0
    for index, category_data in enumerate(data.get("categories", [])):
        category = Category.objects.create(
            version=version,
            position=index + 1,
            name=category_data["name"],
            name_en=category_data.get("name_en", ""),
        )
        for rule_data in category_data.get("rules", []):
            number = str(rule_data["number"])
            if number in seen:
                errors.append(str(RULE_NUMBER_TWICE % {"number": number}))
                continue
            seen.add(number)
            try:
                schedule = schedule_to_dict(parse_schedule(rule_data.get("schedule") or {}))
            except ScheduleError as exc:
                errors.append(str(BAD_SCHEDULE % {"number": number, "error": exc}))
                continue
            position += 1
            rules.append(
                Rule(
                    version=version,
                    category=category,
                    number=number,
                    position=position,
                    title=rule_data.get("title", ""),
                    text=rule_data["text"],
                    schedule=schedule,
                    is_active=rule_data.get("is_active", True),
                )
            )
    if errors:
        raise ValidationError(errors)
    Rule.objects.bulk_create(rules)
    return version
