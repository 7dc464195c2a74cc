"""rows_to_workbook reopened with openpyxl: header, widths, number formats, formula safety."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from reports.excel import MONEY_FORMAT, Column, rows_to_workbook, sheet_title


def _open(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_header_is_bold_frozen_and_columns_have_their_widths():
    sheet = _open(
        rows_to_workbook(
            title="违规记录",
            columns=[Column("工号", width=12), Column("金额", "money", 16)],
            rows=[("E1", Decimal("1.00"))],
        )
    )
    assert sheet.title == "违规记录"
    assert [c.value for c in sheet[1]] == ["工号", "金额"]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (12, 16)


def test_money_is_an_exact_number_with_the_yuan_format():
    sheet = _open(
        rows_to_workbook(
            title="t",
            columns=[Column("金额", "money")],
            rows=[(Decimal("737.93"),), (Decimal("-5"),), (None,), ("12.5",)],
        )
    )
    assert [sheet.cell(row=r, column=1).value for r in range(2, 6)] == [737.93, -5, None, 12.5]
    assert sheet["A2"].number_format == MONEY_FORMAT
    assert sheet["A2"].data_type == "n"


@pytest.mark.parametrize("text", ["=1+2", "+86 138", "-1", "@SUM(A1)", "\tx", '=HYPERLINK("x")'])
def test_text_that_could_be_a_formula_is_stored_as_text(text):
    sheet = _open(rows_to_workbook(title="t", columns=[Column("文本")], rows=[(text,)]))
    cell = sheet["A2"]
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_dates_and_local_times_are_date_cells():
    moment = datetime(2025, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Shanghai
    sheet = _open(
        rows_to_workbook(
            title="t",
            columns=[Column("日", "date"), Column("时", "datetime"), Column("次", "int")],
            rows=[(date(2025, 3, 1), moment, 3)],
        )
    )
    assert sheet["A2"].value == datetime(2025, 3, 1)
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].value == datetime(2025, 3, 1, 9, 30)
    assert sheet["C2"].value == 3


def test_a_row_must_fill_every_column_and_sheet_names_are_made_valid():
    with pytest.raises(ValueError, match="2 values for 1 columns"):
        rows_to_workbook(title="t", columns=[Column("a")], rows=[("x", "y")])
    assert sheet_title("违规/清单:2025?*") == "违规_清单_2025__"
    assert len(sheet_title("x" * 40)) == 31
    with pytest.raises(ValueError, match="unknown column kind"):
        Column("a", "float")
