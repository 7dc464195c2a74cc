"""Importing clock records: upload (kept as a draft with its preview), confirm (all rows or
none), discard. The same file twice imports nothing new: a confirmed file's hash is refused,
and rows equal to the current record of that employee-day are skipped; a row that differs
supersedes the record (kept, no longer current) so reprocessing sees the correction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record

from ..bulk import insert_rows
from ..importing import ImportFileError, guess_mapping, read_table, sha256
from ..models import AttendanceSettings, ClockImport, ClockRecord, ImportStatus
from ..selectors import clock_import_preview

MAX_FILE_BYTES = 20 * 1024 * 1024
BATCH = 5000

FILE_TOO_LARGE = _("The file is larger than 20 MB.")
FILE_ALREADY_IMPORTED = _(
    "This file was already imported on %(when)s (%(name)s); importing it again would change "
    "nothing."
)
IMPORT_NOT_DRAFT = _("This import is no longer waiting for confirmation.")
IMPORT_HAS_ERRORS = _(
    "%(count)s rows have errors; nothing was imported. Correct the file or the column "
    "mapping and try again."
)


def _already_imported(digest: str, exclude: int | None = None) -> None:
    done = ClockImport.objects.filter(sha256=digest, status=ImportStatus.CONFIRMED)
    if exclude is not None:
        done = done.exclude(pk=exclude)
    earlier = done.first()
    if earlier is not None:
        raise ValidationError(
            FILE_ALREADY_IMPORTED,
            params={
                "when": timezone.localtime(earlier.confirmed_at).strftime("%Y-%m-%d %H:%M"),
                "name": earlier.file_name,
            },
        )


@transaction.atomic
def clock_import_start(*, file_name: str, content: bytes, by) -> ClockImport:
    """Keep an uploaded file as a draft import, with a first guess at its column mapping."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(FILE_TOO_LARGE)
    digest = sha256(content)
    _already_imported(digest)
    try:
        table = read_table(content)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from exc
    remembered = AttendanceSettings.get().last_mapping
    draft = ClockImport.objects.create(
        file_name=file_name[:200],
        sha256=digest,
        content=content,
        file_format=table.file_format,
        encoding=table.encoding,
        headers=table.headers,
        mapping=guess_mapping(table.headers, remembered),
        rows_total=len(table.rows),
        created_by=by,
    )
    audit_record(
        actor=by,
        obj=draft,
        action=AuditAction.CREATE,
        changes={"file_name": [None, draft.file_name], "sha256": [None, digest]},
    )
    return draft


@transaction.atomic
def clock_import_confirm(*, clock_import: ClockImport, mapping: dict[str, str], by) -> ClockImport:
    """Import every row of the draft, or none when any row has an error."""
    # One import at a time: the settings row is the lock (it also keeps the mapping).
    settings = AttendanceSettings.objects.select_for_update().get(pk=AttendanceSettings.get().pk)
    clock_import = ClockImport.objects.select_for_update().get(pk=clock_import.pk)
    if clock_import.status != ImportStatus.DRAFT:
        raise ValidationError(IMPORT_NOT_DRAFT)
    _already_imported(clock_import.sha256, exclude=clock_import.pk)
    preview = clock_import_preview(clock_import=clock_import, mapping=mapping)
    if preview.mapping_errors:
        raise ValidationError(preview.mapping_errors)
    if preview.result.errors:
        raise ValidationError(IMPORT_HAS_ERRORS, params={"count": len(preview.result.errors)})
    now = timezone.now()
    superseded = [pk for _row, pk in preview.changed]
    for start in range(0, len(superseded), BATCH):
        ClockRecord.objects.filter(pk__in=superseded[start : start + BATCH]).update(
            is_current=False, superseded_at=now
        )
    _insert_records([*preview.new, *(row for row, _pk in preview.changed)], clock_import)
    clock_import.status = ImportStatus.CONFIRMED
    clock_import.mapping = dict(mapping)
    clock_import.rows_total = preview.result.total
    clock_import.rows_created = len(preview.new)
    clock_import.rows_updated = len(preview.changed)
    clock_import.rows_unchanged = preview.unchanged
    clock_import.date_from, clock_import.date_to = preview.date_range
    clock_import.confirmed_by = by
    clock_import.confirmed_at = now
    clock_import.save(
        update_fields=[
            "status",
            "mapping",
            "rows_total",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "date_from",
            "date_to",
            "confirmed_by",
            "confirmed_at",
        ]
    )
    audit_record(
        actor=by,
        obj=clock_import,
        action=AuditAction.TRANSITION,
        changes={
            "status": [ImportStatus.DRAFT, ImportStatus.CONFIRMED],
            "rows_created": [0, clock_import.rows_created],
            "rows_updated": [0, clock_import.rows_updated],
            "rows_unchanged": [0, clock_import.rows_unchanged],
        },
    )
    if settings.last_mapping != dict(mapping):
        settings.last_mapping = dict(mapping)
        settings.save(update_fields=["last_mapping"])
    return clock_import


def _insert_records(rows, clock_import: ClockImport) -> None:
    insert_rows(
        ClockRecord,
        ("employee", "work_date", "clock_in", "clock_out", "source", "is_current"),
        (
            (row.employee_id, row.work_date, row.clock_in, row.clock_out, clock_import.pk, True)
            for row in rows
        ),
    )


@transaction.atomic
def clock_import_discard(*, clock_import: ClockImport, by) -> ClockImport:
    clock_import = ClockImport.objects.select_for_update().get(pk=clock_import.pk)
    if clock_import.status != ImportStatus.DRAFT:
        raise ValidationError(IMPORT_NOT_DRAFT)
    clock_import.status = ImportStatus.DISCARDED
    clock_import.save(update_fields=["status"])
    audit_record(
        actor=by,
        obj=clock_import,
        action=AuditAction.TRANSITION,
        changes={"status": [ImportStatus.DRAFT, ImportStatus.DISCARDED]},
    )
    return clock_import
