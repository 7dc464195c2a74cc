"""Writes to the code of conduct: loading, versioning and editing rulebooks.

History never changes (domain.md §4): once a version has taken effect its categories and
rules are frozen (only a rule's short title may be corrected); a change of penalty is a
new version from a later date, made with ``rulebook_version_create_next``. Every load
(fixtures, Excel import) validates everything first and saves nothing on any error.
Every write records who did it (``by``; None: the system) in the audit trail.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record, diff, snapshot
from conduct.models import Category, Rule, Rulebook, RulebookVersion
from conduct.models.rulebooks import VERSION_OVERLAP
from penalties.engine import ScheduleError, parse_schedule, schedule_to_dict

__all__ = [
    "BAD_SCHEDULE",
    "RULE_NUMBER_TWICE",
    "VERSION_OVERLAP",
    "VERSION_STARTED",
    "ImportResult",
    "category_create",
    "category_update",
    "rule_create",
    "rule_update",
    "rulebook_create",
    "rulebook_update",
    "rulebook_version_create",
    "rulebook_version_create_next",
    "rulebook_version_import",
    "rulebook_version_load",
    "rulebook_version_update",
]

RULE_NUMBER_TWICE = _("Rule number %(number)s is used twice in this version.")
BAD_SCHEDULE = _("Rule %(number)s: %(error)s")
VERSION_STARTED = _(
    "Version %(label)s has been in force since %(date)s: its rules are history and cannot "
    "change. To change a penalty, create a new version from a later date."
)
NEXT_VERSION_NOT_FUTURE = _(
    "A new version can take effect from tomorrow at the earliest: what has already happened "
    "stays judged by the version that was in force."
)
NEXT_VERSION_NOT_AFTER = _(
    "A new version must start after the latest version %(label)s (in force from %(date)s)."
)
LABEL_TAKEN = _("This rulebook already has a version %(label)s.")
DATES_FIXED = _(
    "The dates of version %(label)s cannot move into the past: it took effect on %(date)s."
)
MISSING_FIELD = _("%(field)s is missing.")
BAD_DATE = _("“%(value)s” is not a date; write it as YYYY-MM-DD.")
ONE_VERSION = _("The file must hold exactly one version.")
CATEGORY_POSITION_TWICE = _("Category order %(position)s is used twice.")
RULE_TEXT_MISSING = _("Rule %(number)s has no text.")
CODE_FIXED = _("A rulebook's code cannot change: violations and files refer to it.")

RULEBOOK_FIELDS = (
    "code",
    "name",
    "name_en",
    "issuing_body",
    "scope",
    "source",
    "points_budget",
    "points_window",
)
VERSION_FIELDS = (
    "label",
    "effective_from",
    "effective_to",
    "consultation_body",
    "consultation_date",
    "publication_date",
    "adoption_attachment",
    "notes",
)
CATEGORY_FIELDS = ("name", "name_en", "position")
RULE_FIELDS = ("category", "number", "position", "title", "text", "schedule", "is_active")
# What may still be corrected in a version that has taken effect.
RULE_FIELDS_EDITABLE_IN_FORCE = ("title",)
CATEGORY_FIELDS_EDITABLE_IN_FORCE = ("name", "name_en")


# --- what other apps keep per version --------------------------------------------------
#
# Apps that build on conduct keep records per rulebook version (rewards: its reward types).
# conduct does not import them; each registers, from its ``AppConfig.ready``, a function
# ``copier(*, source, target, by) -> None`` that copies its records of version ``source``
# into the new version ``target``. A new version made from an earlier one (the next
# version, an import that follows the latest one) calls every copier in its transaction,
# after its own categories and rules, so a failing copy rolls the whole version back.

VersionCopier = Callable[..., None]
_version_copiers: list[VersionCopier] = []


def version_copier_register(copier: VersionCopier) -> None:
    """Have ``copier`` called whenever a version is made from an earlier one (idempotent)."""
    if copier not in _version_copiers:
        _version_copiers.append(copier)


def _copy_dependents(*, source: RulebookVersion, target: RulebookVersion, by) -> None:
    for copier in _version_copiers:
        copier(source=source, target=target, by=by)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _parse_date(value: Any, field: str = "") -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        error = ValidationError(BAD_DATE, code="date", params={"value": value})
        raise ValidationError({field: error} if field else error) from None


FIELD_NAMES = {
    "code": _("rulebook code"),
    "name": _("rulebook name"),
    "versions": _("version"),
    "label": _("version label"),
    "effective_from": _("effective from"),
    "number": _("rule number"),
}


def _missing(key: str) -> ValidationError:
    return ValidationError(
        MISSING_FIELD, code="required", params={"field": FIELD_NAMES.get(key, key)}
    )


def _required(data: dict[str, Any], key: str) -> Any:
    value = data.get(key)
    if value in (None, ""):
        raise _missing(key)
    return value


def _canonical_schedule(schedule: Any) -> dict[str, Any]:
    """The schedule validated by the engine and written in its canonical form."""
    try:
        return schedule_to_dict(parse_schedule(schedule))
    except ScheduleError as exc:
        raise ValidationError(
            {
                "schedule": [
                    ValidationError(_path_message(path, message), code="schedule")
                    for path, message in exc.errors
                ]
            }
        ) from None


def ensure_version_editable(version: RulebookVersion, *, today: date | None = None) -> None:
    """Refuse any change to the rules of a version that has taken effect."""
    if version.has_started(_today(today)):
        raise ValidationError(
            VERSION_STARTED,
            code="version_started",
            params={"label": version.label, "date": version.effective_from.isoformat()},
        )


def _audit_create(obj, fields, by, comment: str = "") -> None:
    audit_record(
        actor=by,
        obj=obj,
        action=AuditAction.CREATE,
        changes=diff({}, snapshot(obj, fields)),
        comment=comment,
    )


def _apply_changes(obj, changed: list[str], fields: dict[str, Any], by) -> None:
    """Set, validate, save with ``update_fields`` and audit the changed fields."""
    before = snapshot(obj, changed)
    for name in changed:
        setattr(obj, name, fields[name])
    obj.full_clean()
    obj.save(update_fields=changed)
    audit_record(
        actor=by, obj=obj, action=AuditAction.UPDATE, changes=diff(before, snapshot(obj, changed))
    )


# --- rulebooks --------------------------------------------------------------------------


@transaction.atomic
def rulebook_create(*, by=None, **fields: Any) -> Rulebook:
    _check_fields(fields, RULEBOOK_FIELDS)
    rulebook = Rulebook(**fields)
    rulebook.full_clean()
    rulebook.save()
    _audit_create(rulebook, fields, by)
    return rulebook


@transaction.atomic
def rulebook_update(*, rulebook: Rulebook, by=None, **fields: Any) -> Rulebook:
    _check_fields(fields, RULEBOOK_FIELDS)
    changed = [name for name, value in fields.items() if getattr(rulebook, name) != value]
    if not changed:
        return rulebook
    if "code" in changed:
        raise ValidationError({"code": ValidationError(CODE_FIXED, code="code_fixed")})
    _apply_changes(rulebook, changed, fields, by)
    return rulebook


# --- versions ---------------------------------------------------------------------------


def _latest_version(rulebook: Rulebook, exclude: RulebookVersion | None = None):
    qs = RulebookVersion.objects.select_for_update().filter(rulebook=rulebook)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("-effective_from").first()


def _close_previous(
    version: RulebookVersion, *, today: date, require_future: bool, by=None
) -> None:
    """Make room for ``version`` after the latest version of its rulebook: the latest ends
    the day before ``version`` starts. Only the future is cut short, never the past."""
    latest = _latest_version(version.rulebook, exclude=version)
    if latest is None:
        return
    if version.effective_from <= latest.effective_from:
        raise ValidationError(
            {
                "effective_from": ValidationError(
                    NEXT_VERSION_NOT_AFTER,
                    code="not_after",
                    params={"label": latest.label, "date": latest.effective_from.isoformat()},
                )
            }
        )
    needs_closing = latest.effective_to is None or latest.effective_to >= version.effective_from
    if (require_future or needs_closing) and version.effective_from <= today:
        raise ValidationError(
            {"effective_from": ValidationError(NEXT_VERSION_NOT_FUTURE, code="not_future")}
        )
    if needs_closing:
        end = version.effective_from - timedelta(days=1)
        _apply_changes(latest, ["effective_to"], {"effective_to": end}, by)


def _validate_version(version: RulebookVersion) -> None:
    """The overlap alone when there is one (it says more than the unique start date it
    implies), else every field and constraint."""
    version.clean()
    version.full_clean()


def _check_label_free(rulebook: Rulebook, label: str, exclude: RulebookVersion | None = None):
    qs = RulebookVersion.objects.filter(rulebook=rulebook, label=label)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    if qs.exists():
        raise ValidationError(
            {"label": ValidationError(LABEL_TAKEN, code="label_taken", params={"label": label})}
        )


@transaction.atomic
def rulebook_version_create(
    *,
    rulebook: Rulebook,
    label: str,
    effective_from: date,
    effective_to: date | None = None,
    consultation_body: str = "",
    consultation_date: date | None = None,
    publication_date: date | None = None,
    adoption_attachment: Any = None,
    notes: str = "",
    today: date | None = None,
    by=None,
) -> RulebookVersion:
    """An empty version (categories and rules come after, while it has not taken effect).
    After the latest version it closes that one the day before, from tomorrow at the
    earliest."""
    rulebook = Rulebook.objects.select_for_update().get(pk=rulebook.pk)
    version = RulebookVersion(
        rulebook=rulebook,
        label=label,
        effective_from=effective_from,
        effective_to=effective_to,
        consultation_body=consultation_body,
        consultation_date=consultation_date,
        publication_date=publication_date,
        notes=notes,
    )
    if adoption_attachment:
        version.adoption_attachment = adoption_attachment
    _check_label_free(rulebook, label)
    latest = _latest_version(rulebook)
    if latest is not None and effective_from > latest.effective_from:
        _close_previous(version, today=_today(today), require_future=False, by=by)
    _validate_version(version)
    version.save()
    _audit_create(version, VERSION_FIELDS, by)
    return version


@transaction.atomic
def rulebook_version_create_next(
    *,
    version: RulebookVersion,
    label: str,
    effective_from: date,
    consultation_body: str = "",
    consultation_date: date | None = None,
    publication_date: date | None = None,
    notes: str = "",
    today: date | None = None,
    by=None,
) -> RulebookVersion:
    """A new version of ``version``'s rulebook from ``effective_from`` (tomorrow at the
    earliest) holding a copy of ``version``'s categories and rules (and of what other apps
    keep per version, through the registered copiers: the reward types); the latest
    version ends the day before. The copy can be edited until it takes effect; its adoption
    evidence starts empty (it is a new rulebook to consult on and publish)."""
    today = _today(today)
    rulebook = Rulebook.objects.select_for_update().get(pk=version.rulebook_id)
    new = RulebookVersion(
        rulebook=rulebook,
        label=label,
        effective_from=effective_from,
        consultation_body=consultation_body,
        consultation_date=consultation_date,
        publication_date=publication_date,
        notes=notes,
    )
    _check_label_free(rulebook, label)
    if effective_from <= today:
        raise ValidationError(
            {"effective_from": ValidationError(NEXT_VERSION_NOT_FUTURE, code="not_future")}
        )
    _close_previous(new, today=today, require_future=True, by=by)
    _validate_version(new)
    new.save()

    categories = {}
    for category in version.categories.order_by("position"):
        categories[category.pk] = Category.objects.create(
            version=new, position=category.position, name=category.name, name_en=category.name_en
        )
    Rule.objects.bulk_create(
        [
            Rule(
                version=new,
                category=categories[rule.category_id],
                number=rule.number,
                position=rule.position,
                title=rule.title,
                text=rule.text,
                schedule=rule.schedule,
                is_active=rule.is_active,
            )
            for rule in version.rules.order_by("position")
        ]
    )
    _audit_create(
        new,
        VERSION_FIELDS,
        by,
        comment=f"copy of {version.label}: {len(categories)} categories, {new.rules.count()} rules",
    )
    _copy_dependents(source=version, target=new, by=by)
    return new


@transaction.atomic
def rulebook_version_update(
    *, version: RulebookVersion, today: date | None = None, by=None, **fields: Any
) -> RulebookVersion:
    """Label, adoption evidence and notes may change at any time; the dates only while the
    version has not taken effect (afterwards its end may still be set, never in the past)."""
    _check_fields(fields, VERSION_FIELDS)
    if fields.get("adoption_attachment") is False:  # a form's "clear" checkbox
        fields["adoption_attachment"] = ""
    today = _today(today)
    version = RulebookVersion.objects.select_for_update().get(pk=version.pk)
    changed = [name for name, value in fields.items() if getattr(version, name) != value]
    if not changed:
        return version
    if version.has_started(today):
        fixed = ValidationError(
            DATES_FIXED,
            code="dates_fixed",
            params={"label": version.label, "date": version.effective_from.isoformat()},
        )
        if "effective_from" in changed:
            raise ValidationError({"effective_from": fixed})
        if "effective_to" in changed:
            old, new = version.effective_to, fields["effective_to"]
            if (old is not None and old < today) or (new is not None and new < today):
                raise ValidationError({"effective_to": fixed})
    if "label" in changed:
        _check_label_free(version.rulebook, fields["label"], exclude=version)
    _apply_changes(version, changed, fields, by)
    return version


# --- categories and rules ---------------------------------------------------------------


@transaction.atomic
def category_create(
    *,
    version: RulebookVersion,
    name: str,
    name_en: str = "",
    position: int | None = None,
    today: date | None = None,
    by=None,
) -> Category:
    ensure_version_editable(version, today=today)
    if position is None:
        position = (version.categories.aggregate(top=Max("position"))["top"] or 0) + 1
    category = Category(version=version, name=name, name_en=name_en, position=position)
    category.full_clean()
    category.save()
    _audit_create(category, ("version", *CATEGORY_FIELDS), by)
    return category


@transaction.atomic
def category_update(
    *, category: Category, today: date | None = None, by=None, **fields: Any
) -> Category:
    _check_fields(fields, CATEGORY_FIELDS)
    changed = [name for name, value in fields.items() if getattr(category, name) != value]
    if not changed:
        return category
    if set(changed) - set(CATEGORY_FIELDS_EDITABLE_IN_FORCE):
        ensure_version_editable(category.version, today=today)
    _apply_changes(category, changed, fields, by)
    return category


def _check_number_free(version: RulebookVersion, number: str, exclude: Rule | None = None):
    qs = Rule.objects.filter(version=version, number=number)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    if qs.exists():
        raise ValidationError(
            {
                "number": ValidationError(
                    RULE_NUMBER_TWICE, code="number_twice", params={"number": number}
                )
            }
        )


@transaction.atomic
def rule_create(
    *,
    version: RulebookVersion,
    category: Category,
    number: str,
    text: str,
    schedule: dict[str, Any],
    title: str = "",
    is_active: bool = True,
    position: int | None = None,
    today: date | None = None,
    by=None,
) -> Rule:
    ensure_version_editable(version, today=today)
    number = str(number).strip()
    _check_number_free(version, number)
    if position is None:
        position = (version.rules.aggregate(top=Max("position"))["top"] or 0) + 1
    rule = Rule(
        version=version,
        category=category,
        number=number,
        position=position,
        title=title,
        text=text,
        schedule=_canonical_schedule(schedule),
        is_active=is_active,
    )
    rule.full_clean()
    rule.save()
    _audit_create(rule, ("version", *RULE_FIELDS), by)
    return rule


@transaction.atomic
def rule_update(*, rule: Rule, today: date | None = None, by=None, **fields: Any) -> Rule:
    """Change a rule of a version that has not taken effect. In a version in force only
    the short title can be corrected; anything else (above all the schedule) is refused
    with the message pointing to a new version."""
    _check_fields(fields, RULE_FIELDS)
    if "schedule" in fields:
        fields["schedule"] = _canonical_schedule(fields["schedule"])
    if "number" in fields:
        fields["number"] = str(fields["number"]).strip()
    changed = [name for name, value in fields.items() if getattr(rule, name) != value]
    if not changed:
        return rule
    frozen = [name for name in changed if name not in RULE_FIELDS_EDITABLE_IN_FORCE]
    if frozen:
        try:
            ensure_version_editable(rule.version, today=today)
        except ValidationError as exc:
            raise ValidationError({frozen[0]: exc}) from None
    if "number" in changed:
        _check_number_free(rule.version, fields["number"], exclude=rule)
    _apply_changes(rule, changed, fields, by)
    return rule


# --- loading (fixtures and Excel) ---------------------------------------------------------


@transaction.atomic
def rulebook_version_load(
    *, data: dict[str, Any], replace: bool = False, by=None
) -> RulebookVersion:
    """Create a rulebook (if new) and the versions in ``data`` with their categories and
    rules, in the fixture format (docs/schedule-format.md). Every schedule is validated;
    any error rolls the whole load back.

    With ``replace`` an existing version of the same label is left as it is and returned
    (idempotent loading for ``seed_demo``)."""
    rulebook = _rulebook_for(data, by)
    versions = []
    for version_data in data.get("versions") or []:
        existing = RulebookVersion.objects.filter(
            rulebook=rulebook, label=version_data.get("label")
        ).first()
        if existing is not None and replace:
            versions.append(existing)
            continue
        versions.append(_version_create(rulebook, version_data, by=by))
    if not versions:
        raise _missing("versions")
    return versions[-1]


@dataclass(frozen=True)
class ImportResult:
    """What an import made (or, on a dry run, would make)."""

    version: RulebookVersion
    rulebook_created: bool
    categories: int
    rules: int
    closed: RulebookVersion | None  # the previous version, now ending the day before
    dry_run: bool


def rulebook_version_import(
    *,
    data: dict[str, Any],
    label: str = "",
    effective_from: date | None = None,
    dry_run: bool = False,
    today: date | None = None,
    by=None,
) -> ImportResult:
    """Import one version in the fixture format (what ``conduct.excel`` reads from a
    workbook), optionally under another label and start date. A version after the latest
    one of an existing rulebook closes that one the day before (from tomorrow at the
    earliest) and receives that one's reward types (the registered copiers: a workbook
    holds no reward types). Everything or nothing: any error raises and leaves the
    database as it was; ``dry_run`` checks everything, the database included, and then
    rolls back."""
    versions = data.get("versions") or []
    if len(versions) != 1:
        raise ValidationError(ONE_VERSION, code="one_version")
    version_data = dict(versions[0])
    if label:
        version_data["label"] = label
    if effective_from is not None:
        version_data["effective_from"] = effective_from
    today = _today(today)
    with transaction.atomic():
        created = not Rulebook.objects.filter(code=data.get("code")).exists()
        rulebook = _rulebook_for(data, by)
        closed = None
        start = _parse_date(_required(version_data, "effective_from"), "effective_from")
        latest = _latest_version(rulebook)
        if latest is not None and start is not None and start > latest.effective_from:
            closed = latest
        version = _version_create(
            rulebook, version_data, close_after=closed, today=today, by=by, comment="import"
        )
        if closed is not None:
            closed.refresh_from_db(fields=["effective_to"])
            # The workbook holds categories and rules only: what else the rulebook had
            # (its reward types) carries over from the version it follows.
            _copy_dependents(source=closed, target=version, by=by)
        result = ImportResult(
            version=version,
            rulebook_created=created,
            categories=version.categories.count(),
            rules=version.rules.count(),
            closed=closed,
            dry_run=dry_run,
        )
        if dry_run:
            transaction.set_rollback(True)
    return result


def _rulebook_for(data: dict[str, Any], by=None) -> Rulebook:
    code = _required(data, "code")
    rulebook = Rulebook.objects.select_for_update().filter(code=code).first()
    if rulebook is not None:
        return rulebook
    return rulebook_create(
        by=by,
        code=code,
        name=_required(data, "name"),
        name_en=data.get("name_en") or "",
        issuing_body=data.get("issuing_body") or "",
        scope=data.get("scope") or "",
        source=data.get("source") or "",
        points_budget=data.get("points_budget"),
        points_window=data.get("points_window") or "calendar_year",
    )


def _version_create(
    rulebook: Rulebook,
    data: dict[str, Any],
    *,
    close_after: RulebookVersion | None = None,
    today: date | None = None,
    by=None,
    comment: str = "load",
) -> RulebookVersion:
    adoption = data.get("adoption") or {}
    version = RulebookVersion(
        rulebook=rulebook,
        label=str(_required(data, "label")),
        effective_from=_parse_date(_required(data, "effective_from"), "effective_from"),
        effective_to=_parse_date(data.get("effective_to"), "effective_to"),
        consultation_body=adoption.get("consultation_body") or "",
        consultation_date=_parse_date(adoption.get("consultation_date"), "consultation_date"),
        publication_date=_parse_date(adoption.get("publication_date"), "publication_date"),
        notes=data.get("notes") or "",
    )
    _check_label_free(rulebook, version.label)
    if close_after is not None:
        _close_previous(version, today=_today(today), require_future=False, by=by)
    _validate_version(version)
    version.save()
    categories, rules = _fill_version(version, data.get("categories") or [])
    _audit_create(
        version, VERSION_FIELDS, by, comment=f"{comment}: {categories} categories, {rules} rules"
    )
    return version


def _fill_version(
    version: RulebookVersion, categories_data: list[dict[str, Any]]
) -> tuple[int, int]:
    """Categories and rules of a new version; every problem is collected, then raised.
    Returns the numbers of categories and rules made."""
    seen_numbers: set[str] = set()
    seen_positions: set[int] = set()
    rules: list[Rule] = []
    errors: list[ValidationError] = []
    position = 0
    for index, category_data in enumerate(categories_data):
        category_position = category_data.get("position") or index + 1
        if category_position in seen_positions:
            errors.append(
                ValidationError(
                    CATEGORY_POSITION_TWICE, code="position", params={"position": category_position}
                )
            )
            continue
        seen_positions.add(category_position)
        category = Category(
            version=version,
            position=category_position,
            name=category_data.get("name") or "",
            name_en=category_data.get("name_en") or "",
        )
        try:
            category.full_clean(exclude=["version"])
        except ValidationError as exc:
            errors.extend(_flatten(exc))
            continue
        category.save()
        for rule_data in category_data.get("rules") or []:
            number = str(rule_data.get("number") or "").strip()
            if not number:
                errors.append(_missing("number"))
                continue
            if number in seen_numbers:
                errors.append(
                    ValidationError(
                        RULE_NUMBER_TWICE, code="number_twice", params={"number": number}
                    )
                )
                continue
            seen_numbers.add(number)
            if not str(rule_data.get("text") or "").strip():
                errors.append(
                    ValidationError(RULE_TEXT_MISSING, code="text", params={"number": number})
                )
                continue
            try:
                schedule = schedule_to_dict(parse_schedule(rule_data.get("schedule") or {}))
            except ScheduleError as exc:
                errors.extend(
                    ValidationError(
                        BAD_SCHEDULE,
                        code="schedule",
                        params={"number": number, "error": _path_message(path, message)},
                    )
                    for path, message in exc.errors
                )
                continue
            position = rule_data.get("position") or position + 1
            rules.append(
                Rule(
                    version=version,
                    category=category,
                    number=number,
                    position=position,
                    title=rule_data.get("title") or "",
                    text=rule_data["text"],
                    schedule=schedule,
                    is_active=rule_data.get("is_active", True),
                )
            )
    if errors:
        raise ValidationError(errors)
    Rule.objects.bulk_create(rules)
    return len(seen_positions), len(rules)


def _path_message(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message


def _flatten(exc: ValidationError) -> list[ValidationError]:
    return [
        ValidationError(f"{field}: {message}") if field != "__all__" else ValidationError(message)
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
