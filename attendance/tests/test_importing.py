"""Reading time-clock files: encodings, formats, mappings, row-level errors."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from attendance.importing import (
    ImportFileError,
    check_mapping,
    guess_mapping,
    parse_date,
    parse_mapping_option,
    parse_rows,
    parse_time,
    read_table,
)
from attendance.tests.factories import MAPPING, csv_bytes, xlsx_bytes

SH = ZoneInfo("Asia/Shanghai")
EMPLOYEES = {"E001": (1, 10), "E002": (2, 10), "N001": (3, 20)}


def never(*_args):
    return False


def night_for_n001(employee_id, _department_id, _day):
    return employee_id == 3


def parse(content, mapping=MAPPING, crosses=never):
    return parse_rows(read_table(content), mapping, employees=EMPLOYEES, crosses_midnight=crosses)


def test_utf8_csv():
    table = read_table(csv_bytes([["E001", "2026-03-02", "08:58", "18:01"]]))
    assert (table.file_format, table.encoding) == ("csv", "UTF-8")
    assert table.headers == ["工号", "日期", "上班", "下班"]


def test_utf8_bom_csv():
    content = b"\xef\xbb\xbf" + csv_bytes([["E001", "2026-03-02", "08:58", "18:01"]])
    table = read_table(content)
    assert table.encoding == "UTF-8-BOM"
    assert table.headers[0] == "工号"  # no BOM glued to the first header


def test_gbk_csv_is_detected():
    content = csv_bytes([["E001", "2026年3月2日", "8:58", "18:01"]], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    table = read_table(content)
    assert table.encoding == "GBK"
    result = parse(content)
    assert result.is_clean
    assert result.rows[0].work_date == date(2026, 3, 2)


def test_semicolon_and_tab_separated_files():
    text = "工号;日期;上班;下班\nE001;2026-03-02;08:58;18:01\n"
    assert read_table(text.encode()).rows[0][1] == ["E001", "2026-03-02", "08:58", "18:01"]
    text = "工号\t日期\t上班\t下班\nE001\t2026-03-02\t08:58\t18:01\n"
    assert read_table(text.encode()).rows[0][1][0] == "E001"


def test_xlsx_with_real_dates_and_times():
    content = xlsx_bytes([["E001", date(2026, 3, 2), time(8, 58), time(18, 1)]])
    result = parse(content)
    assert result.is_clean
    row = result.rows[0]
    assert row.clock_in == datetime(2026, 3, 2, 8, 58, tzinfo=SH)
    assert row.clock_out == datetime(2026, 3, 2, 18, 1, tzinfo=SH)


def test_xlsx_with_text_cells_and_numeric_employee_numbers():
    content = xlsx_bytes([[1001, "2026/3/2", "8:58", "18:01"]])
    table = read_table(content)
    result = parse_rows(table, MAPPING, employees={"1001": (9, 1)}, crosses_midnight=never)
    assert result.is_clean, result.errors


def test_empty_and_binary_files_are_refused():
    with pytest.raises(ImportFileError):
        read_table(b"")
    with pytest.raises(ImportFileError):
        read_table(b"\x00\x01\x02garbage")
    with pytest.raises(ImportFileError):
        read_table(b"PK\x03\x04 not really a workbook")


def test_undecodable_text_is_refused():
    with pytest.raises(ImportFileError):
        read_table(b"\xff\xfe\xfa\xfb\x81\x30")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02", date(2026, 3, 2)),
        ("2026/3/2", date(2026, 3, 2)),
        ("2026.03.02", date(2026, 3, 2)),
        ("2026年3月2日", date(2026, 3, 2)),
        ("20260302", date(2026, 3, 2)),
        ("2026-03-02 00:00:00", date(2026, 3, 2)),
        ("2026-02-30", None),
        ("3/2", None),
        ("", None),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "ok"),
    [
        ("8:05", time(8, 5), True),
        ("08:05:30", time(8, 5, 30), True),
        ("8点05分", time(8, 5), True),
        ("", None, True),
        ("25:00", None, False),
        ("8:61", None, False),
        ("abc", None, False),
    ],
)
def test_times(text, expected, ok):
    parsed, _day, good = parse_time(text)
    assert (parsed, good) == (expected, ok)


def test_excel_fraction_of_a_day():
    assert parse_time(0.375) == (time(9, 0), None, True)
    assert parse_time(timedelta(hours=17, minutes=30))[0] == time(17, 30)


def test_malformed_rows_are_listed_with_their_line_and_reason():
    content = csv_bytes(
        [
            ["E001", "2026-03-02", "08:58", "18:01"],
            ["X999", "2026-03-02", "08:58", "18:01"],
            ["E002", "2026-13-40", "08:58", "18:01"],
            ["E002", "2026-03-03", "8:7x", "18:01"],
            ["E002", "2026-03-04", "18:00", "09:00"],
            ["", "2026-03-05", "09:00", "18:00"],
            ["E001", "2026-03-02", "09:00", "18:00"],
        ]
    )
    with translation.override("en"):
        result = parse(content)
    assert len(result.rows) == 1
    errors = {error.line: error.messages for error in result.errors}
    assert errors[3] == ["Unknown employee number “X999”."]
    assert errors[4] == ["Cannot read the date “2026-13-40”."]
    assert errors[5] == ["Cannot read the time “8:7x” in 上班."]
    assert errors[6] == ["Clock-out 09:00 is not after clock-in 18:00."]
    assert errors[7] == ["The employee number is empty."]
    assert errors[8] == ["The same employee and date already appear on line 2."]


def test_errors_read_in_chinese():
    with translation.override("zh-hans"):
        result = parse(csv_bytes([["X999", "2026-03-02", "08:58", "18:01"]]))
    assert result.errors[0].messages == ["未知的工号“X999”。"]


def test_a_night_shift_may_clock_out_after_midnight():
    content = csv_bytes(
        [
            ["N001", "2026-03-02", "22:01", "06:03"],
            ["E001", "2026-03-02", "22:01", "06:03"],
        ]
    )
    result = parse(content, crosses=night_for_n001)
    assert [row.employee_no for row in result.rows] == ["N001"]
    assert result.rows[0].clock_out == datetime(2026, 3, 3, 6, 3, tzinfo=SH)
    assert result.errors[0].line == 3  # the day shift cannot


def test_explicit_next_day_clock_out():
    content = csv_bytes([["N001", "2026-03-02", "2026-03-02 22:01", "2026-03-03 06:03"]])
    result = parse(content, crosses=night_for_n001)
    assert result.is_clean
    assert result.rows[0].clock_out == datetime(2026, 3, 3, 6, 3, tzinfo=SH)


def test_missing_punches_are_allowed():
    result = parse(csv_bytes([["E001", "2026-03-02", "08:58", ""], ["E002", "2026-03-02", "", ""]]))
    assert result.is_clean
    assert result.rows[0].clock_out is None
    assert result.rows[1].clock_in is None


@translation.override("en")
def test_mapping_guess_remember_and_check():
    headers = ["EmpNo", "Date", "In", "Out", "备注"]
    assert guess_mapping(headers) == {
        "employee_no": "EmpNo",
        "date": "Date",
        "clock_in": "In",
        "clock_out": "Out",
    }
    remembered = {"employee_no": "EmpNo", "date": "Date", "clock_in": "Out", "clock_out": "In"}
    assert guess_mapping(headers, remembered) == remembered
    assert check_mapping(headers, {"employee_no": "EmpNo", "date": "Date", "clock_in": "In"}) == [
        "Choose the column for “Clock-out”."
    ]
    assert check_mapping(
        headers, {"employee_no": "EmpNo", "date": "Date", "clock_in": "In", "clock_out": "In"}
    ) == ["The column “In” is chosen for two fields."]


@translation.override("en")
def test_mapping_option():
    assert parse_mapping_option("工号=EmpNo,date=Date,clock-in=In,clock-out=Out") == {
        "employee_no": "EmpNo",
        "date": "Date",
        "clock_in": "In",
        "clock_out": "Out",
    }
    with pytest.raises(ImportFileError):
        parse_mapping_option("name=Name")
