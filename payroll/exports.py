"""The payroll workbook and the summary CSV of a closed month: they render what the close
stored (names as they were then), so the same month exports the same values every time.

Sheets: 汇总 (one row per employee), 明细 (one row per item of a person), 部门 (department
liabilities and fund rewards), 结转 (what carries into the next month). Money cells are
Decimal numbers with a ¥ format, each sheet has a bold frozen header and a totals row.
Text that a spreadsheet could take for a formula (= + - @ at the start) is written as a
string cell with the quote prefix: never as a formula.

Written with openpyxl's write-only mode, row by row: 100,000 items fit in memory easily.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import ZERO, ItemSource, MoneyKind, PayrollItem, PayrollLine, PayrollPeriod

MONEY_FORMAT = '"¥"#,##0.00;[Red]-"¥"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
RISKY_START = ("=", "+", "-", "@", "\t", "\r")


JOINT = pgettext_lazy("payroll workbook", "joint liability")
TOTAL = pgettext_lazy("payroll workbook", "Total")

# (header, width, kind) — kind: "text", "money" or "date".
SUMMARY_COLUMNS = [
    (pgettext_lazy("payroll workbook", "Employee number"), 12, "text"),
    (pgettext_lazy("payroll workbook", "Name"), 12, "text"),
    (pgettext_lazy("payroll workbook", "Department"), 16, "text"),
    (pgettext_lazy("payroll workbook", "Fines"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Compensation"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Bonus reductions"), 14, "money"),
    (pgettext_lazy("payroll workbook", "Absence pay cuts"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Rewards"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Deduction applied"), 13, "money"),
    (pgettext_lazy("payroll workbook", "Carried to next month"), 13, "money"),
    (pgettext_lazy("payroll workbook", "Net change"), 13, "money"),
    (pgettext_lazy("payroll workbook", "Note"), 60, "text"),
    (pgettext_lazy("payroll workbook", "Brought forward"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Carry-over cancelled"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Refunds"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Rewards clawed back"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Monthly wage"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Deduction cap"), 12, "money"),
]
SUMMARY_FIELDS = [
    "fines",
    "compensation",
    "bonus_reductions",
    "absence_cuts",
    "rewards",
    "withheld",
    "carried_out",
    "net_change",
]
SUMMARY_EXTRA_FIELDS = [
    "carried_in",
    "carry_cancelled",
    "refunds",
    "clawbacks",
    "monthly_wage",
    "cap",
]

DETAIL_COLUMNS = [
    (pgettext_lazy("payroll workbook", "Employee number"), 12, "text"),
    (pgettext_lazy("payroll workbook", "Name"), 12, "text"),
    (pgettext_lazy("payroll workbook", "Source"), 8, "text"),
    (pgettext_lazy("payroll workbook", "Kind"), 14, "text"),
    (pgettext_lazy("payroll workbook", "Notice number"), 16, "text"),
    (pgettext_lazy("payroll workbook", "Date"), 11, "date"),
    (pgettext_lazy("payroll workbook", "Rule"), 40, "text"),
    (pgettext_lazy("payroll workbook", "Amount"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Applied this month"), 13, "money"),
    (pgettext_lazy("payroll workbook", "Carried to next month"), 13, "money"),
    (pgettext_lazy("payroll workbook", "Carry-over cancelled"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Refunded"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Status"), 10, "text"),
    (pgettext_lazy("payroll workbook", "Remarks"), 40, "text"),
]
DEPARTMENT_COLUMNS = [
    (pgettext_lazy("payroll workbook", "Department code"), 12, "text"),
    (pgettext_lazy("payroll workbook", "Department"), 16, "text"),
    (pgettext_lazy("payroll workbook", "Source"), 8, "text"),
    (pgettext_lazy("payroll workbook", "Kind"), 14, "text"),
    (pgettext_lazy("payroll workbook", "Notice number"), 16, "text"),
    (pgettext_lazy("payroll workbook", "Date"), 11, "date"),
    (pgettext_lazy("payroll workbook", "Rule"), 40, "text"),
    (pgettext_lazy("payroll workbook", "Liability"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Fund reward"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Status"), 10, "text"),
    (pgettext_lazy("payroll workbook", "Remarks"), 40, "text"),
]
CARRY_COLUMNS = [
    (pgettext_lazy("payroll workbook", "Employee number"), 12, "text"),
    (pgettext_lazy("payroll workbook", "Name"), 12, "text"),
    (pgettext_lazy("payroll workbook", "Department"), 16, "text"),
    (pgettext_lazy("payroll workbook", "Kind"), 14, "text"),
    (pgettext_lazy("payroll workbook", "Notice number"), 16, "text"),
    (pgettext_lazy("payroll workbook", "Date"), 11, "date"),
    (pgettext_lazy("payroll workbook", "Rule"), 40, "text"),
    (pgettext_lazy("payroll workbook", "Amount"), 12, "money"),
    (pgettext_lazy("payroll workbook", "Applied this month"), 13, "money"),
    (pgettext_lazy("payroll workbook", "Carried to next month"), 13, "money"),
]

ITEM_FIELDS = (
    "employee_id",
    "source",
    "kind",
    "party",
    "notice_number",
    "dated",
    "rule",
    "label",
    "status",
    "amount",
    "applied",
    "carried",
    "cancelled",
    "refunded",
)
CHUNK = 5000


def is_risky(text: str) -> bool:
    """Text a spreadsheet would read as a formula or a command."""
    return text.startswith(RISKY_START)


def safe_csv_text(text: str) -> str:
    """CSV has no cell types: a leading apostrophe keeps Excel from evaluating text."""
    return f"'{text}" if is_risky(text) else text


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_EPOCH = date(1899, 12, 30)


def _xml_text(text: str) -> str:
    return escape(_ILLEGAL_XML.sub("", text))


class _Sheet:
    """One sheet: openpyxl writes it (header row, widths, frozen pane, styles); the
    body rows are streamed as sheet XML into a spooled file and spliced in when the
    workbook is packaged (``_package``). openpyxl's own cell writer costs about 10 µs a
    cell, 14 s for the 1.4 million cells of 100,000 items; this costs about 1 µs.

    Cells are typed: text is an inline string (never a formula; text a spreadsheet could
    read as one also gets the quote prefix), money the exact Decimal as a number with the
    ¥ format, dates Excel serial numbers with the date format."""

    def __init__(self, workbook: Workbook, title: str, columns):
        self.ws = workbook.create_sheet(title)
        self.columns = columns
        self.ws.freeze_panes = "A2"
        letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        for letter, (_label, width, _kind) in zip(letters, columns, strict=True):
            self.ws.column_dimensions[letter].width = width
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="DDEBF7")
        header = []
        for label, _width, _kind in columns:
            cell = WriteOnlyCell(self.ws, value=str(label))
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(vertical="center")
            header.append(cell)
        self.ws.append(header)
        self._letters = letters
        self._kinds = [kind for _l, _w, kind in columns]
        self._style = {
            (False, "money"): self._style_id(number_format=MONEY_FORMAT),
            (True, "money"): self._style_id(number_format=MONEY_FORMAT, font=bold),
            (False, "date"): self._style_id(number_format=DATE_FORMAT),
            (True, "date"): self._style_id(number_format=DATE_FORMAT, font=bold),
            (False, "risky"): self._style_id(quotePrefix=True),
            (True, "risky"): self._style_id(quotePrefix=True, font=bold),
            (False, "text"): 0,
            (True, "text"): self._style_id(font=bold),
        }
        self.body = tempfile.SpooledTemporaryFile(max_size=16 * 2**20)
        self.next_row = 2
        self._texts: dict[tuple[str, bool], str] = {}
        self._serials: dict[date, str] = {}

    def _style_id(self, **style) -> int:
        """Register a cell style with the workbook (styles.xml) and return its index."""
        cell = WriteOnlyCell(self.ws, value=None)
        for name, value in style.items():
            setattr(cell, name, value)
        return cell.style_id

    def _text(self, text: str, bold: bool) -> str:
        """What follows ``<c r="A2"`` for a text cell (cached: names, rules and kinds
        repeat on many rows)."""
        key = (text, bold)
        fragment = self._texts.get(key)
        if fragment is None:
            style = self._style[bold, "risky" if is_risky(text) else "text"]
            attrs = f' s="{style}"' if style else ""
            space = ' xml:space="preserve"' if text != text.strip() else ""
            fragment = f'{attrs} t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>'
            if len(self._texts) < 200_000:
                self._texts[key] = fragment
        return fragment

    def _write(self, values, *, bold: bool) -> None:
        row = str(self.next_row)
        money = f'" s="{self._style[bold, "money"]}"><v>'
        day = f'" s="{self._style[bold, "date"]}"><v>'
        parts = ['<row r="', row, '">']
        for letter, kind, value in zip(self._letters, self._kinds, values, strict=True):
            if value is None or value == "":
                continue
            if kind == "money":
                # str() of a Decimal read from a two-place column (or summed from
                # them) is its exact two-place text.
                parts += ('<c r="', letter, row, money, str(value), "</v></c>")
            elif kind == "date":
                serial = self._serials.get(value)
                if serial is None:
                    serial = self._serials[value] = str((value - EXCEL_EPOCH).days)
                parts += ('<c r="', letter, row, day, serial, "</v></c>")
            else:
                parts += ('<c r="', letter, row, '"', self._text(str(value), bold))
        parts.append("</row>")
        self.body.write("".join(parts).encode("utf-8"))
        self.next_row += 1

    def row(self, values) -> None:
        self._write(values, bold=False)

    def totals(self, values) -> None:
        self._write(values, bold=True)


def _package(workbook: Workbook, sheets: list[_Sheet], stamp: datetime) -> bytes:
    """Save the openpyxl workbook, then splice each sheet's streamed rows into its
    ``sheetData``. Every zip entry gets the same timestamp, so the same month exports to
    the same bytes."""
    shell = io.BytesIO()
    workbook.save(shell)
    bodies = {sheet.ws.path.lstrip("/"): sheet.body for sheet in sheets}
    stamp_tuple = (
        max(stamp.year, 1980),
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second,
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(shell) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp_tuple)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry._compresslevel = 1  # fast: the XML still shrinks about tenfold
            body = bodies.get(info.filename)
            if body is None:
                target.writestr(entry, data)
                continue
            head, marker, tail = data.partition(b"</sheetData>")
            if not marker:  # pragma: no cover - openpyxl always writes sheetData
                raise RuntimeError(f"no sheetData in {info.filename}")
            with target.open(entry, "w", force_zip64=True) as handle:
                handle.write(head)
                body.seek(0)
                shutil.copyfileobj(body, handle, 2**20)
                handle.write(marker + tail)
            body.close()
    return out.getvalue()


def _labels() -> dict[str, str]:
    kinds = {value: _t(str(label)) for value, label in MoneyKind.choices}
    sources = {value: _t(str(label)) for value, label in ItemSource.choices}
    return {**{f"k:{k}": v for k, v in kinds.items()}, **{f"s:{k}": v for k, v in sources.items()}}


def _remarks(party: str, label: str, joint: str) -> str:
    if party in ("supervisor", "leader"):
        return f"{joint};{label}" if label else joint
    return label


def _person_items(period: PayrollPeriod):
    """A month's items of people, in the summary's order (employee number as closed),
    then by date: streamed, so a month of 100,000 items is never all in memory."""
    number = PayrollLine.objects.filter(period=period, employee_id=OuterRef("employee_id"))
    return (
        PayrollItem.objects.filter(period=period, employee__isnull=False)
        .annotate(line_no=Subquery(number.values("employee_no")[:1]))
        .order_by("line_no", "employee_id", "dated", "pk")
        .values_list(*ITEM_FIELDS)
        .iterator(chunk_size=CHUNK)
    )


def _department_items(period: PayrollPeriod):
    return (
        PayrollItem.objects.filter(period=period, employee__isnull=True)
        .order_by("department__code", "dated", "pk")
        .values_list("department__code", "department__name", *ITEM_FIELDS[1:])
        .iterator(chunk_size=CHUNK)
    )


def payroll_workbook(*, period: PayrollPeriod) -> bytes:
    """The month's workbook as .xlsx bytes (Chinese headers: it is the payroll document)."""
    with translation.override("zh-hans"):
        return _workbook(period)


def _workbook(period: PayrollPeriod) -> bytes:
    labels = _labels()
    joint = _t(str(JOINT))
    total_label = _t(str(TOTAL))
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"{period.label} 薪资奖惩"
    workbook.properties.creator = "Jiangcheng"
    # The close's time, not now: the same month gives the same file.
    stamp = timezone.localtime(period.closed_at or timezone.now()).replace(
        tzinfo=None, microsecond=0
    )
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    summary = _Sheet(workbook, "汇总", SUMMARY_COLUMNS)
    detail = _Sheet(workbook, "明细", DETAIL_COLUMNS)
    department = _Sheet(workbook, "部门", DEPARTMENT_COLUMNS)
    carry = _Sheet(workbook, "结转", CARRY_COLUMNS)

    # 汇总: one row per employee.
    sums = [ZERO] * (len(SUMMARY_FIELDS) + len(SUMMARY_EXTRA_FIELDS))
    people: dict[int, tuple[str, str, str]] = {}
    lines = (
        PayrollLine.objects.filter(period=period)
        .order_by("employee_no", "pk")
        .values_list(
            "employee_id",
            "employee_no",
            "name",
            "department_name",
            *SUMMARY_FIELDS,
            "note",
            *SUMMARY_EXTRA_FIELDS,
        )
        .iterator(chunk_size=CHUNK)
    )
    for row in lines:
        employee_id, number, name, dept = row[:4]
        people[employee_id] = (number, name, dept)
        money, note, extra = row[4:12], row[12], row[13:]
        summary.row([number, name, dept, *money, note, *extra])
        for index, value in enumerate((*money, *extra)):
            sums[index] += value
    summary.totals([total_label, None, None, *sums[:8], None, *sums[8:]])

    # 明细 and 结转 in one pass over the people's items (same order).
    detail_sums = [ZERO] * 5
    carry_sums = [ZERO] * 3
    for item in _person_items(period):
        (employee_id, source, kind, party, notice, dated, rule, label, status, amount, applied,
         carried, cancelled, refunded) = item  # fmt: skip
        number, name, dept = people[employee_id]
        detail.row([
            number, name, labels[f"s:{source}"], labels[f"k:{kind}"], notice, dated, rule,
            amount, applied, carried, cancelled, refunded, status, _remarks(party, label, joint),
        ])  # fmt: skip
        for index, value in enumerate((amount, applied, carried, cancelled, refunded)):
            detail_sums[index] += value
        if carried > 0:
            carry.row([number, name, dept, labels[f"k:{kind}"], notice, dated, rule, amount,
                       applied, carried])  # fmt: skip
            for index, value in enumerate((amount, applied, carried)):
                carry_sums[index] += value
    detail.totals([total_label, None, None, None, None, None, None, *detail_sums, None, None])
    carry.totals([total_label, None, None, None, None, None, None, *carry_sums])

    # 部门: department liabilities and fund rewards.
    liability = fund = ZERO
    for item in _department_items(period):
        (code, dname, source, kind, _party, notice, dated, rule, label, status, amount,
         *_rest) = item  # fmt: skip
        owed = amount if kind != MoneyKind.REWARD else None
        paid = amount if kind == MoneyKind.REWARD else None
        liability += owed or ZERO
        fund += paid or ZERO
        department.row([code, dname, labels[f"s:{source}"], labels[f"k:{kind}"], notice, dated,
                        rule, owed, paid, status, label])  # fmt: skip
    department.totals([total_label, None, None, None, None, None, None, liability, fund, None,
                       None])  # fmt: skip

    return _package(workbook, [summary, detail, department, carry], stamp)


def payroll_summary_csv(*, period: PayrollPeriod) -> bytes:
    """The 汇总 sheet as CSV: UTF-8 with a BOM (so Excel reads the Chinese), money as
    plain decimals, risky text prefixed with an apostrophe."""
    with translation.override("zh-hans"):
        header = [_t(str(label)) for label, _w, _k in SUMMARY_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    rows = (
        PayrollLine.objects.filter(period=period)
        .order_by("employee_no", "pk")
        .values_list(
            "employee_no", "name", "department_name", *SUMMARY_FIELDS, "note", *SUMMARY_EXTRA_FIELDS
        )
        .iterator(chunk_size=5000)
    )
    for row in rows:
        writer.writerow(
            [safe_csv_text(value) if isinstance(value, str) else _plain(value) for value in row]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
