"""What each kind of background job does: the permission it needs, the arguments it takes
and the work, which calls the owning app's own services and renderers and reports its
progress. A kind returns the result file (name, content type, bytes) and a summary.

Progress is real where the work comes in pieces (notices are rendered 100 at a time)
and by stage where one service call does it all (attendance processing, payroll export).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import JobKind

Progress = Callable[[int, str], None]

MONTH_INVALID = gettext_lazy("Give the month as YYYY-MM.")
NO_NOTICES = gettext_lazy("No notice was issued in %(month)s.")
NEVER_CLOSED = gettext_lazy("The payroll of %(month)s has never been closed.")
FORMAT_INVALID = gettext_lazy("Choose the workbook (xlsx) or the summary (csv).")
NOTICES_PER_CHUNK = 100


@dataclass(frozen=True)
class Result:
    name: str
    content_type: str
    content: bytes
    summary: str


@dataclass(frozen=True)
class Kind:
    permission: str
    clean: Callable[[dict], dict]
    run: Callable[..., Result]


def parse_month(value) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", str(value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError({"month": MONTH_INVALID})
    return date(int(match.group(1)), int(match.group(2)), 1)


def _clean_month(args: dict) -> dict:
    return {"month": f"{parse_month(args.get('month')):%Y-%m}"}


def _clean_payroll(args: dict) -> dict:
    fmt = args.get("fmt") or "xlsx"
    if fmt not in ("xlsx", "csv"):
        raise ValidationError({"fmt": FORMAT_INVALID})
    return {**_clean_month(args), "fmt": fmt}


# --- penalty notices ---------------------------------------------------------------------


def merge_pdfs(parts: list[bytes]) -> bytes:
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def run_notices_pdf(*, owner, args: dict, progress: Progress) -> Result:
    """Every current notice of the month as one PDF (``penalty_notices_pdf``), rendered
    100 at a time so that the bar moves, then joined."""
    from penalties.notices_pdf import penalty_notices_pdf
    from penalties.selectors.approvals import notices_for_print

    month = parse_month(args["month"])
    notices = list(
        notices_for_print(user=owner, year=month.year, month=month.month).select_related(
            "penalty", "acknowledged_by__employee"
        )
    )
    if not notices:
        raise ValidationError(NO_NOTICES, params={"month": f"{month:%Y-%m}"})
    parts = []
    chunks = range(0, len(notices), NOTICES_PER_CHUNK)
    for index, start in enumerate(chunks, start=1):
        parts.append(penalty_notices_pdf(notices=notices[start : start + NOTICES_PER_CHUNK]))
        progress(
            2 + 93 * index // len(chunks),
            _("%(done)s of %(total)s notices rendered")
            % {"done": min(start + NOTICES_PER_CHUNK, len(notices)), "total": len(notices)},
        )
    content = merge_pdfs(parts)
    return Result(
        name=f"notices-{month:%Y-%m}.pdf",
        content_type="application/pdf",
        content=content,
        summary=_("%(count)s notices of %(month)s in one PDF.")
        % {"count": len(notices), "month": f"{month:%Y-%m}"},
    )


# --- attendance ---------------------------------------------------------------------------


def run_attendance_process(*, owner, args: dict, progress: Progress) -> Result:
    """Process the month (``attendance_month_process``), then the month's sheet as the
    result to download."""
    from attendance import selectors
    from attendance.exports import month_sheet_workbook
    from attendance.services import attendance_month_process
    from staff.models import CompanySettings

    month = parse_month(args["month"])
    progress(5, _("Processing the month…"))
    result = attendance_month_process(month=month, by=owner)
    progress(80, _("Writing the month's sheet…"))
    employees = list(selectors.sheet_employees(user=owner, month=month))
    content = month_sheet_workbook(
        month=month,
        days=selectors.sheet_days(month),
        rows=selectors.sheet_rows(employees=employees, month=month),
        company=CompanySettings.get().name,
    )
    summary = _(
        "%(month)s processed: %(days)s employee-days, %(created)s violations created, "
        "%(voided)s voided, %(kept)s unchanged, %(flagged)s flagged for review."
    ) % {
        "month": f"{month:%Y-%m}",
        "days": result.days,
        "created": result.violations_created,
        "voided": result.violations_voided,
        "kept": result.violations_kept,
        "flagged": result.flagged,
    }
    return Result(
        name=f"attendance-{month:%Y-%m}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        content=content,
        summary=summary,
    )


# --- payroll ----------------------------------------------------------------------------------


def run_payroll_export(*, owner, args: dict, progress: Progress) -> Result:
    """The closed month's workbook or summary CSV (``payroll_export``, audited)."""
    from payroll import selectors, services

    month = parse_month(args["month"])
    fmt = args.get("fmt") or "xlsx"
    period = selectors.period_get_for_user(user=owner, month=month)
    if period is None:
        raise ValidationError(NEVER_CLOSED, params={"month": f"{month:%Y-%m}"})
    progress(10, _("Writing the payroll export…"))
    content = services.payroll_export(period=period, by=owner, fmt=fmt)
    types = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
    }
    return Result(
        name=f"payroll-{period.label}.{fmt}",
        content_type=types[fmt],
        content=content,
        summary=_("Payroll of %(month)s exported.") % {"month": period.label},
    )


KINDS: dict[str, Kind] = {
    JobKind.NOTICES_PDF: Kind("penalties.print_notice", _clean_month, run_notices_pdf),
    JobKind.ATTENDANCE_PROCESS: Kind(
        "attendance.process_attendance", _clean_month, run_attendance_process
    ),
    JobKind.PAYROLL_EXPORT: Kind(
        "payroll.export_payrollperiod", _clean_payroll, run_payroll_export
    ),
}
