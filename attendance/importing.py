"""Reading a time clock's export: .xlsx (openpyxl) or .csv in UTF-8, UTF-8 with BOM or GBK
(detected), the columns named by a mapping, every row checked.

``read_table`` turns bytes into headers and rows; ``parse_rows`` checks each row against
the employees and their shifts (a shift crossing midnight may clock out after midnight,
on the next calendar day) and returns rows ready to store plus row-level errors.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The four columns an import needs, with the header names time clocks commonly use.
FIELDS = ("employee_no", "date", "clock_in", "clock_out")
FIELD_LABELS = {
    "employee_no": _("Employee number (工号)"),
    "date": _("Date"),
    "clock_in": _("Clock-in"),
    "clock_out": _("Clock-out"),
}
ALIASES = {
    "employee_no": ("工号", "员工编号", "员工号", "编号", "人员编号", "empno", "employee_no", "id"),
    "date": ("日期", "考勤日期", "工作日期", "date", "workdate"),
    "clock_in": ("上班", "上班时间", "上班打卡", "签到", "签到时间", "clockin", "clock_in", "in"),
    "clock_out": (
        "下班",
        "下班时间",
        "下班打卡",
        "签退",
        "签退时间",
        "clockout",
        "clock_out",
        "out",
    ),
}
# Names accepted on the command line (--mapping 工号=EmpNo,date=Date,…).
KEY_ALIASES = {
    "employee_no": "employee_no",
    "工号": "employee_no",
    "date": "date",
    "日期": "date",
    "clock_in": "clock_in",
    "clock-in": "clock_in",
    "上班": "clock_in",
    "clock_out": "clock_out",
    "clock-out": "clock_out",
    "下班": "clock_out",
}

FILE_EMPTY = _("The file is empty.")
FILE_UNREADABLE = _("The file is neither an .xlsx workbook nor a CSV text file.")
FILE_ENCODING = _("The CSV file is neither UTF-8 nor GBK text.")
FILE_NO_HEADER = _("The file has no header row.")
MAPPING_MISSING = _("Choose the column for “%(field)s”.")
MAPPING_UNKNOWN = _("The file has no column “%(column)s”.")
MAPPING_TWICE = _("The column “%(column)s” is chosen for two fields.")
MAPPING_KEY_UNKNOWN = _("Unknown field “%(key)s” in the mapping.")
ROW_NO_EMPLOYEE = _("The employee number is empty.")
ROW_UNKNOWN_EMPLOYEE = _("Unknown employee number “%(value)s”.")
ROW_NO_DATE = _("The date is empty.")
ROW_BAD_DATE = _("Cannot read the date “%(value)s”.")
ROW_BAD_TIME = _("Cannot read the time “%(value)s” in %(column)s.")
ROW_BAD_DAY = _("%(column)s “%(value)s” is not on the work date or the day after.")
ROW_OUT_BEFORE_IN = _("Clock-out %(out)s is not after clock-in %(in)s.")
ROW_DUPLICATE = _("The same employee and date already appear on line %(line)s.")

TIME_RE = re.compile(r"^(\d{1,2})[:：时点](\d{1,2})(?:[:：分](\d{1,2})(?:秒)?)?分?$")
DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2}:\d{1,2}(?::\d{1,2})?))?$"
)
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
EXCEL_EPOCH = date(1899, 12, 30)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Table:
    file_format: str  # "xlsx" or "csv"
    encoding: str  # "" for xlsx; "UTF-8", "UTF-8-BOM" or "GBK"
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (line number in the file, cells)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8"), "UTF-8-BOM"
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030"), "GBK"
    except UnicodeDecodeError as exc:
        raise ImportFileError(FILE_ENCODING) from exc


def _read_csv(content: bytes) -> Table:
    text, encoding = _decode(content)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return _table("csv", encoding, ((reader.line_num, row) for row in reader))


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(FILE_UNREADABLE) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = (
            (index, list(row))
            for index, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _table("xlsx", "", rows)
    finally:
        workbook.close()


def _table(file_format: str, encoding: str, rows: Iterable[tuple[int, list]]) -> Table:
    headers: list[str] | None = None
    body: list[tuple[int, list[object]]] = []
    for line, cells in rows:
        if not any(_cell_text(cell) for cell in cells):
            continue
        if headers is None:
            headers = [_cell_text(cell) for cell in cells]
            while headers and not headers[-1]:
                headers.pop()
            continue
        body.append((line, list(cells)))
    if not headers:
        raise ImportFileError(FILE_NO_HEADER)
    return Table(file_format=file_format, encoding=encoding, headers=headers, rows=body)


def read_table(content: bytes) -> Table:
    if not content:
        raise ImportFileError(FILE_EMPTY)
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if b"\x00" in content[:4096]:
        raise ImportFileError(FILE_UNREADABLE)
    return _read_csv(content)


# --- mapping -----------------------------------------------------------------------------------


def _normal(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).lower()


def guess_mapping(headers: list[str], remembered: Mapping[str, str] | None = None) -> dict:
    """The remembered mapping if the file has those columns, else a guess by common names."""
    if remembered and all(remembered.get(f) in headers for f in FIELDS):
        return {f: remembered[f] for f in FIELDS}
    mapping: dict[str, str] = {}
    normal = {_normal(h): h for h in headers if h}
    for name in FIELDS:
        for alias in ALIASES[name]:
            if _normal(alias) in normal and normal[_normal(alias)] not in mapping.values():
                mapping[name] = normal[_normal(alias)]
                break
    return mapping


def parse_mapping_option(text: str) -> dict[str, str]:
    """``工号=EmpNo,date=Date,clock-in=In,clock-out=Out`` → {field: column}."""
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _sep, column = part.partition("=")
        name = KEY_ALIASES.get(key.strip()) or KEY_ALIASES.get(key.strip().lower())
        if name is None:
            raise ImportFileError(MAPPING_KEY_UNKNOWN % {"key": key.strip()})
        mapping[name] = column.strip()
    return mapping


def check_mapping(headers: list[str], mapping: Mapping[str, str]) -> list[str]:
    errors: list[str] = []
    for name in FIELDS:
        column = mapping.get(name)
        if not column:
            errors.append(str(MAPPING_MISSING % {"field": FIELD_LABELS[name]}))
        elif column not in headers:
            errors.append(str(MAPPING_UNKNOWN % {"column": column}))
    chosen = [mapping.get(n) for n in FIELDS if mapping.get(n)]
    for column in sorted({c for c in chosen if chosen.count(c) > 1}):
        errors.append(str(MAPPING_TWICE % {"column": column}))
    return errors


# --- cells -------------------------------------------------------------------------------------


def parse_date(value: object) -> date | None:
    """A date from a cell; ``None`` when unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = int(value)
        if 20000 <= number <= 80000:  # an Excel serial day number
            return EXCEL_EPOCH + timedelta(days=number)
        value = str(number)
    text = _cell_text(value)
    match = DATE_RE.match(text) or COMPACT_DATE_RE.match(text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_time(value: object) -> tuple[time | None, date | None, bool]:
    """(time, explicit date or None, ok). An empty cell is ``(None, None, True)``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None, True
    if isinstance(value, datetime):
        if value.date() <= date(1900, 1, 1):  # Excel's time-only cells
            return value.time().replace(microsecond=0), None, True
        return value.time().replace(microsecond=0), value.date(), True
    if isinstance(value, time):
        return value.replace(microsecond=0), None, True
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        if 0 <= seconds < 86400:
            return time(seconds // 3600, seconds % 3600 // 60, seconds % 60), None, True
        return None, None, False
    if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
        try:
            fraction = Decimal(str(value))
        except InvalidOperation:
            return None, None, False
        if 0 <= fraction < 1:
            seconds = int((fraction * 86400).to_integral_value())
            seconds = min(seconds, 86399)
            return time(seconds // 3600, seconds % 3600 // 60, seconds % 60), None, True
        return None, None, False
    text = _cell_text(value)
    match = TIME_RE.match(text)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second), None, True
        return None, None, False
    date_match = DATE_RE.match(text)
    if date_match and date_match[4]:
        inner, _none, ok = parse_time(date_match[4])
        day = parse_date(text.split()[0] if " " in text else text.split("T")[0])
        if ok and inner is not None and day is not None:
            return inner, day, True
    return None, None, False


# --- rows --------------------------------------------------------------------------------------


@dataclass
class RowError:
    line: int
    messages: list[str]
    cells: list[str]


@dataclass
class ParsedRow:
    line: int
    employee_id: int
    employee_no: str
    work_date: date
    clock_in: datetime | None
    clock_out: datetime | None


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def is_clean(self) -> bool:
        return not self.errors


def _fmt(value: datetime | time | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return value.strftime("%H:%M")


def parse_rows(
    table: Table,
    mapping: Mapping[str, str],
    *,
    employees: Mapping[str, tuple[int, int]],
    crosses_midnight,
    column_names: Mapping[str, str] | None = None,
) -> ParseResult:
    """Check every row. ``employees`` maps 工号 → (employee id, department id);
    ``crosses_midnight(employee_id, department_id, day)`` tells whether that day's shift
    ends after midnight."""
    zone = timezone.get_current_timezone()
    index = {name: table.headers.index(mapping[name]) for name in FIELDS}
    names = column_names or {name: mapping[name] for name in FIELDS}
    result = ParseResult(total=len(table.rows))
    seen: dict[tuple[int, date], int] = {}

    def cell(cells: list[object], name: str) -> object:
        position = index[name]
        return cells[position] if position < len(cells) else None

    for line, cells in table.rows:
        messages: list[str] = []
        number = _cell_text(cell(cells, "employee_no"))
        if isinstance(cell(cells, "employee_no"), float) and number.endswith(".0"):
            number = number[:-2]
        employee = None
        if not number:
            messages.append(str(ROW_NO_EMPLOYEE))
        else:
            employee = employees.get(number)
            if employee is None:
                messages.append(str(ROW_UNKNOWN_EMPLOYEE % {"value": number}))
        raw_date = cell(cells, "date")
        work_date = parse_date(raw_date)
        if work_date is None:
            if _cell_text(raw_date):
                messages.append(str(ROW_BAD_DATE % {"value": _cell_text(raw_date)}))
            else:
                messages.append(str(ROW_NO_DATE))
        moments: dict[str, tuple[time | None, date | None]] = {}
        for name in ("clock_in", "clock_out"):
            raw = cell(cells, name)
            parsed, explicit_day, ok = parse_time(raw)
            if not ok:
                messages.append(
                    str(ROW_BAD_TIME % {"value": _cell_text(raw), "column": names[name]})
                )
            moments[name] = (parsed, explicit_day)
        clock_in = clock_out = None
        if work_date is not None and employee is not None and not messages:
            moment = {}
            for name in ("clock_in", "clock_out"):
                at, explicit_day = moments[name]
                if at is None:
                    moment[name] = None
                    continue
                if explicit_day is not None and explicit_day not in (
                    work_date,
                    work_date + timedelta(days=1),
                ):
                    messages.append(
                        str(
                            ROW_BAD_DAY
                            % {"column": names[name], "value": _cell_text(cell(cells, name))}
                        )
                    )
                    continue
                moment[name] = (explicit_day or work_date, at)
            if not messages:
                if moment["clock_in"] is not None:
                    clock_in = datetime.combine(*moment["clock_in"], tzinfo=zone)
                if moment["clock_out"] is not None:
                    out_day, out_at = moment["clock_out"]
                    clock_out = datetime.combine(out_day, out_at, tzinfo=zone)
                    if (
                        clock_in is not None
                        and clock_out <= clock_in
                        and moments["clock_out"][1] is None
                        and crosses_midnight(employee[0], employee[1], work_date)
                    ):
                        clock_out += timedelta(days=1)
                if clock_in is not None and clock_out is not None and clock_out <= clock_in:
                    messages.append(
                        str(ROW_OUT_BEFORE_IN % {"out": _fmt(clock_out), "in": _fmt(clock_in)})
                    )
        if employee is not None and work_date is not None:
            key = (employee[0], work_date)
            if key in seen:
                messages.append(str(ROW_DUPLICATE % {"line": seen[key]}))
            else:
                seen[key] = line
        if messages or employee is None or work_date is None:
            result.errors.append(
                RowError(
                    line=line,
                    messages=messages,
                    cells=[_cell_text(cell(cells, name)) for name in FIELDS],
                )
            )
            continue
        result.rows.append(
            ParsedRow(
                line=line,
                employee_id=employee[0],
                employee_no=number,
                work_date=work_date,
                clock_in=clock_in,
                clock_out=clock_out,
            )
        )
    return result
