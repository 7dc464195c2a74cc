"""One generic Excel writer for every list export and report: ``rows_to_workbook``.

- money cells are numbers with a ¥ format, written from the Decimal's exact text (never
  through a float);
- the header row is bold, filled and frozen; each column has its width;
- dates and times are real date cells (times in Asia/Shanghai, as Excel has no zones);
- text that a spreadsheet could take for a formula or a command (starting with = + - @,
  a tab or a carriage return) is written as a string cell with the quote prefix: it is
  shown, never evaluated.

Written with openpyxl's write-only mode, row by row, so that the rows can come straight
from ``QuerySet.iterator()``: a long list never sits in memory as model objects.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

MONEY_FORMAT = '"¥"#,##0.00;[Red]-"¥"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DECIMAL_FORMAT = "0.0#"
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KINDS = ("text", "money", "int", "decimal", "date", "datetime")


@dataclass(frozen=True)
class Column:
    """A column of an export: its header, the kind of its cells and its width (in
    characters; a CJK character counts about two)."""

    header: str
    kind: str = "text"
    width: int = 14

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def is_risky(text: str) -> bool:
    """Text a spreadsheet would read as a formula or a command."""
    return text.startswith(RISKY_START)


def sheet_title(title: str) -> str:
    """A valid sheet name: at most 31 characters, none of []:*?/\\."""
    return SHEET_TITLE_BAD.sub("_", str(title)).strip()[:31] or "Sheet1"


class _Writer:
    """One write-only sheet with typed cells sharing prepared styles."""

    def __init__(self, workbook: Workbook, title: str, columns: Sequence[Column]):
        self.ws = workbook.create_sheet(sheet_title(title))
        self.columns = columns
        self.ws.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        self._styles = {}
        for name, value, number_format in (
            ("money", Decimal(0), MONEY_FORMAT),
            ("date", date(2000, 1, 1), DATE_FORMAT),
            ("datetime", datetime(2000, 1, 1), DATETIME_FORMAT),  # noqa: DTZ001 - a style sample
            ("decimal", Decimal(0), DECIMAL_FORMAT),
        ):
            sample = WriteOnlyCell(self.ws, value=value)
            sample.number_format = number_format
            self._styles[name] = sample._style
        risky = WriteOnlyCell(self.ws, value="")
        risky.quotePrefix = True
        self._styles["risky"] = risky._style
        header = []
        for column in columns:
            cell = WriteOnlyCell(self.ws, value=None)
            cell.value = str(column.header)
            cell.data_type = "s"
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(vertical="center")
            header.append(cell)
        self.ws.append(header)

    def _styled(self, value, style: str, data_type: str | None = None):
        cell = WriteOnlyCell(self.ws, value=None)
        cell._value = value
        if data_type:
            cell.data_type = data_type
        cell._style = copy(self._styles[style])
        return cell

    def cell(self, value, kind: str):
        if value is None or value == "":
            return None
        if kind in ("money", "decimal"):
            # openpyxl would write a Decimal through a float (737.93 → 737.9299999999999);
            # the exact decimal text, typed as a number, is written as it is.
            number = Decimal(value)
            text = f"{number.quantize(Decimal('0.01')):f}" if kind == "money" else f"{number:f}"
            return self._styled(text, kind, "n")
        if kind == "int":
            return int(value)
        if kind == "datetime" and isinstance(value, datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = self._styled(None, "datetime")
            cell.value = value
            return cell
        if kind in ("date", "datetime") and isinstance(value, date):
            cell = self._styled(None, "date")
            cell.value = value
            return cell
        text = str(value)
        if is_risky(text):
            return self._styled(text, "risky", "s")  # a string, never a formula
        return text

    def row(self, values: Sequence) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"a row has {len(values)} values for {len(self.columns)} columns")
        self.ws.append(
            [self.cell(value, column.kind) for value, column in zip(values, self.columns)]  # noqa: B905 - checked above
        )


def _discard(ws) -> None:
    """Close a half-written sheet and remove its temporary file (a row failed)."""
    try:
        ws.close()
        ws._writer.cleanup()
    except Exception:  # noqa: S110 - best effort: the original error is what matters
        pass


def rows_to_workbook(*, title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    """An .xlsx file of one sheet: the header of ``columns`` then one line per row."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = str(title)
    workbook.properties.creator = "Jiangcheng"
    writer = _Writer(workbook, str(title), columns)
    try:
        for values in rows:
            writer.row(values)
    except BaseException:
        _discard(writer.ws)
        raise
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
