"""The month sheet as an Excel workbook: renders what it is given, returns bytes."""

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .marks import legend
from .selectors import SheetDay, SheetRow

FILLS = {
    "att-late": PatternFill("solid", fgColor="FFF3CD"),
    "att-absent": PatternFill("solid", fgColor="F8D7DA"),
    "att-leave": PatternFill("solid", fgColor="CFE2FF"),
    "att-review": PatternFill("solid", fgColor="FFE5D0"),
    "att-rest": PatternFill("solid", fgColor="EEEEEE"),
}


RISKY_START = ("=", "+", "-", "@")


def _as_text(cell) -> None:
    """Text a spreadsheet could read as a formula stays text: a string cell with the quote
    prefix (openpyxl would otherwise store ``=…`` as a formula)."""
    if isinstance(cell.value, str) and cell.value.startswith(RISKY_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def month_sheet_workbook(
    *, month: date, days: list[SheetDay], rows: list[SheetRow], company: str = ""
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = month.strftime("%Y-%m")
    title = _("Attendance %(month)s") % {"month": month.strftime("%Y-%m")}
    sheet.append([f"{company} {title}".strip()])
    sheet["A1"].font = Font(bold=True, size=14)
    fixed = [_("Employee number"), _("Name"), _("Department")]
    totals = [
        _("Working days"),
        _("On time"),
        _("Late (times)"),
        _("Late (minutes)"),
        _("Early (times)"),
        _("Early (minutes)"),
        _("Absent (days)"),
        _("Leave (days)"),
        _("Missing punches"),
    ]
    sheet.append(fixed + [f"{d.day.day}\n{d.weekday}" for d in days] + totals)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in rows:
        t = row.totals
        sheet.append(
            [row.employee.employee_no, row.employee.name, str(row.employee.department)]
            + [cell.mark for cell in row.cells]
            + [
                t.working_days,
                t.on_time,
                t.late_times,
                t.late_minutes,
                t.early_times,
                t.early_minutes,
                t.absent_days,
                t.leave_days,
                t.incomplete,
            ]
        )
        for cell in sheet[sheet.max_row][: len(fixed)]:
            _as_text(cell)
        for index, cell in enumerate(row.cells, start=len(fixed) + 1):
            target = sheet.cell(row=sheet.max_row, column=index)
            target.alignment = Alignment(horizontal="center")
            fill = FILLS.get(cell.css)
            if fill is not None:
                target.fill = fill
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=len(fixed) + 1)
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 14
    for index in range(len(fixed) + 1, len(fixed) + len(days) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 6
    sheet.append([])
    sheet.append([_("Legend")])
    for mark, meaning in legend():
        sheet.append([mark, meaning])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
