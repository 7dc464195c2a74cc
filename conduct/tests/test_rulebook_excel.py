"""Excel export and import of a rulebook version: the workbook's sheets, the round trip
(export → import as a new label reproduces the same version), row-level errors with
nothing imported, the two commands and the upload → preview → confirm screens."""

import io
import json
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from conduct import excel
from conduct.models import Rule, RulebookVersion
from conduct.services.rulebooks import rulebook_version_import
from conduct.tests.test_rulebook_support import load_book, seed_rulebooks

pytestmark = pytest.mark.django_db

CODES = [
    "bank-points",
    "customer-service",
    "hospital-service",
    "hospitality",
    "moh-eight",
    "service-bonus",
    "service-management",
    "water-utility",
]


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def seeded(db):
    seed_rulebooks()


def _tomorrow():
    return timezone.localdate() + timedelta(days=1)


def content(version: RulebookVersion):
    """Everything a version holds, in order, without ids."""
    categories = [(c.position, c.name, c.name_en) for c in version.categories.order_by("position")]
    rules = [
        (r.category.position, r.number, r.position, r.title, r.text, r.schedule, r.is_active)
        for r in version.rules.select_related("category").order_by("position")
    ]
    return categories, rules


def _book(content_bytes: bytes):
    return openpyxl.load_workbook(io.BytesIO(content_bytes))


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(sheet):
    return list(sheet.iter_rows(values_only=True))


# --- the workbook -------------------------------------------------------------------------


def test_workbook_has_version_category_and_rule_sheets(seeded):
    version = RulebookVersion.objects.get(rulebook__code="hospital-service")
    book = _book(excel.version_workbook(version=version))
    assert book.sheetnames == ["版本", "分类", "规则"]
    meta = {row[1]: row[2] for row in _rows(book["版本"])[1:]}
    assert meta["code"] == "hospital-service"
    assert meta["name"] == "全员优质服务规范与处罚细则"
    assert meta["label"] == version.label
    assert meta["effective_from"].date() == version.effective_from
    categories = _rows(book["分类"])
    assert categories[0] == excel.CATEGORY_HEADERS
    assert len(categories) == 1 + 4
    rules = _rows(book["规则"])
    assert rules[0] == excel.RULE_HEADERS
    assert len(rules) == 1 + 30
    rule22 = next(row for row in rules if row[3] == "22")
    assert rule22[6].startswith("所收金额的10倍罚款")  # the read-only summary
    assert json.loads(rule22[7]) == Rule.objects.get(version=version, number="22").schedule
    assert rule22[8] == "是"


def test_text_starting_with_equals_stays_text():
    version = load_book(
        rules=[{"number": "1", "text": "=SUM(A1:A2)", "schedule": {"steps": [{"points": 1}]}}]
    )
    book = _book(excel.version_workbook(version=version))
    assert book["规则"]["F2"].value == "=SUM(A1:A2)"
    assert book["规则"]["F2"].data_type == "s"


@pytest.mark.parametrize("code", CODES)
def test_export_then_import_as_a_new_label_reproduces_the_version(seeded, code):
    version = RulebookVersion.objects.get(rulebook__code=code, label="2024版")
    parsed = excel.parse_version_workbook(excel.version_workbook(version=version))
    assert parsed.ok, [str(e) for e in parsed.errors]
    result = rulebook_version_import(
        data=parsed.data, label="round-trip", effective_from=_tomorrow()
    )
    assert content(result.version) == content(version)
    assert result.rules == version.rules.count()
    version.refresh_from_db()
    assert version.effective_to == timezone.localdate()


def test_round_trip_keeps_the_version_fields(seeded):
    version = RulebookVersion.objects.get(rulebook__code="moh-eight")
    parsed = excel.parse_version_workbook(excel.version_workbook(version=version))
    meta = parsed.version_data
    assert meta["label"] == version.label
    assert meta["effective_from"] == version.effective_from.isoformat()
    assert parsed.data["code"] == "moh-eight"
    assert parsed.data["points_window"] == version.rulebook.points_window


# --- broken files: row-level errors, nothing imported -------------------------------------


@pytest.fixture
def workbook():
    """A small version's workbook (rules on rows 2–4 of 规则)."""
    version = load_book(code="small")
    return _book(excel.version_workbook(version=version))


def _set_schedule(book, row: int, schedule) -> None:
    book["规则"].cell(row=row, column=8).value = json.dumps(schedule, ensure_ascii=False)


NEGATIVE = {"steps": [{"charges": [{"basis": "fixed", "amount": "-5"}]}]}
MIN_ABOVE_MAX = {
    "steps": [{"charges": [{"basis": "range", "min_amount": "200", "max_amount": "100"}]}]
}
BROKEN = {
    "min above max": (
        lambda b: _set_schedule(
            b,
            3,
            {
                "steps": [
                    {"charges": [{"basis": "range", "min_amount": "200", "max_amount": "100"}]}
                ]
            },
        ),
        3,
        "最高金额不能低于最低金额",
    ),
    "negative amount": (
        lambda b: _set_schedule(
            b, 2, {"steps": [{"charges": [{"basis": "fixed", "amount": "-5"}]}]}
        ),
        2,
        "金额不能为负数",
    ),
    "ladder gap": (
        lambda b: _set_schedule(
            b,
            4,
            {
                "steps": [
                    {"occurrence_from": 1, "points": 1},
                    {"occurrence_from": 3, "points": 2},
                ]
            },
        ),
        4,
        "不能跳号或重复",
    ),
    "unknown sanction": (
        lambda b: _set_schedule(b, 2, {"steps": [{"sanctions": ["caning"]}]}),
        2,
        "未知处分代码:caning",
    ),
    "duplicate number": (
        lambda b: setattr(b["规则"].cell(row=4, column=4), "value", "1"),
        4,
        "条款号1重复(第一次出现在第2行)",
    ),
    "bad json": (
        lambda b: setattr(b["规则"].cell(row=3, column=8), "value", "{steps: oops"),
        3,
        "处罚标准不是有效的 JSON",
    ),
    "unknown category": (
        lambda b: setattr(b["规则"].cell(row=3, column=1), "value", 9),
        3,
        "分类序号9不在“分类”工作表中",
    ),
    "empty text": (
        lambda b: setattr(b["规则"].cell(row=2, column=6), "value", None),
        2,
        "“条文”为空",
    ),
    "bad active flag": (
        lambda b: setattr(b["规则"].cell(row=2, column=9), "value", "也许"),
        2,
        "“有效”只能填“是”或“否”",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_row_is_reported_with_its_row(workbook, case):
    breaks, row, expected = BROKEN[case]
    breaks(workbook)
    parsed = excel.parse_version_workbook(_bytes(workbook))
    assert not parsed.ok
    matching = [e for e in parsed.errors if expected in str(e.message)]
    assert matching, [str(e) for e in parsed.errors]
    assert matching[0].sheet == "规则" and matching[0].row == row
    assert f"工作表“规则”第{row}行" in str(matching[0])


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_file_imports_nothing_through_the_command(workbook, tmp_path, case):
    BROKEN[case][0](workbook)
    path = tmp_path / "broken.xlsx"
    path.write_bytes(_bytes(workbook))
    before = (RulebookVersion.objects.count(), Rule.objects.count())
    with pytest.raises(CommandError, match="未导入任何内容"):
        call_command(
            "rulebook_import",
            str(path),
            "--label",
            "v2",
            "--effective-from",
            _tomorrow().isoformat(),
            stderr=io.StringIO(),
        )
    assert (RulebookVersion.objects.count(), Rule.objects.count()) == before


def test_missing_sheet_and_header_are_reported(workbook):
    del workbook["分类"]
    parsed = excel.parse_version_workbook(_bytes(workbook))
    assert [str(e) for e in parsed.errors] == ["分类: 工作簿中没有工作表“分类”。"]


def test_missing_column_is_reported(workbook):
    workbook["规则"].cell(row=1, column=8).value = "处罚"
    parsed = excel.parse_version_workbook(_bytes(workbook))
    assert any("缺少“处罚标准(JSON)”列" in str(e) for e in parsed.errors)


def test_not_a_workbook_is_reported():
    parsed = excel.parse_version_workbook(b"PK not really a zip")
    assert [str(e.message) for e in parsed.errors] == ["该文件不是 Excel 工作簿(.xlsx)。"]


def test_bad_version_date_is_reported_on_its_row(workbook):
    sheet = workbook["版本"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == "effective_from")
    sheet.cell(row, 3).value = "明年"
    parsed = excel.parse_version_workbook(_bytes(workbook))
    (error,) = parsed.errors
    assert (error.sheet, error.row) == ("版本", row)
    assert "“生效日期”:“明年”不是日期" in str(error.message)


def test_same_file_again_is_refused_as_an_overlap(workbook, tmp_path):
    path = tmp_path / "same.xlsx"
    path.write_bytes(_bytes(workbook))
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("rulebook_import", str(path), stderr=stderr)
    assert "本制度已有版本v1" in stderr.getvalue()
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("rulebook_import", str(path), "--label", "v2", stderr=stderr)
    assert stderr.getvalue() == "版本v2与同一制度的版本v1时间重叠。\n"
    assert RulebookVersion.objects.filter(rulebook__code="small").count() == 1


# --- commands ------------------------------------------------------------------------------


def test_export_and_import_commands(tmp_path):
    version = load_book(code="cmd-book")
    out = tmp_path / "book.xlsx"
    stdout = io.StringIO()
    call_command("rulebook_export", "cmd-book", "--out", str(out), stdout=stdout)
    assert "3条已写入" in stdout.getvalue()
    call_command("rulebook_export", "cmd-book", "--version", "v1", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("rulebook_export", "cmd-book", "--version", "v9", "--out", str(out))

    stdout = io.StringIO()
    args = ["rulebook_import", str(out), "--label", "v2", "--effective-from"]
    call_command(*args, _tomorrow().isoformat(), "--dry-run", stdout=stdout)
    assert "试运行" in stdout.getvalue()
    assert RulebookVersion.objects.filter(rulebook__code="cmd-book").count() == 1

    stdout = io.StringIO()
    call_command(*args, _tomorrow().isoformat(), stdout=stdout)
    assert "已导入" in stdout.getvalue()
    new = RulebookVersion.objects.get(rulebook__code="cmd-book", label="v2")
    assert content(new) == content(version)
    version.refresh_from_db()
    assert version.effective_to == timezone.localdate()


def test_import_of_a_new_rulebook_creates_it(tmp_path):
    version = load_book(code="old-code")
    book = _book(excel.version_workbook(version=version))
    sheet = book["版本"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 2).value == "code":
            sheet.cell(row, 3).value = "new-code"
    path = tmp_path / "new.xlsx"
    path.write_bytes(_bytes(book))
    call_command("rulebook_import", str(path), stdout=io.StringIO())
    new = RulebookVersion.objects.get(rulebook__code="new-code")
    assert new.rulebook.name == "测试制度"
    assert content(new) == content(version)


# --- screens -----------------------------------------------------------------------------


def _upload(name: str, data: bytes):
    return SimpleUploadedFile(name, data, content_type=excel.__name__)


def test_hr_imports_through_upload_preview_and_confirm(client, hr_user):
    version = load_book(code="screen-book")
    data = excel.version_workbook(version=version)
    client.force_login(hr_user)
    url = reverse("conduct:rulebook_import")
    response = client.post(
        url,
        {
            "file": _upload("book.xlsx", data),
            "label": "v2",
            "effective_from": _tomorrow().isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["errors"] == []
    assert response.context["result"].rules == 3
    assert len(response.context["preview"]) == 3
    assert 'data-testid="confirm-import"' in response.content.decode()
    assert RulebookVersion.objects.filter(rulebook__code="screen-book").count() == 1  # not yet

    response = client.post(url, {"token": response.context["token"]})
    new = RulebookVersion.objects.get(rulebook__code="screen-book", label="v2")
    assert response.status_code == 302
    assert response.url == reverse("conduct:version_detail", args=["screen-book", new.pk])
    assert content(new) == content(version)
    # the token is used up
    response = client.post(url, {"token": "anything"})
    assert response.status_code == 302


def test_broken_upload_shows_row_errors_and_imports_nothing(client, hr_user, workbook):
    BROKEN["negative amount"][0](workbook)
    BROKEN["duplicate number"][0](workbook)
    client.force_login(hr_user)
    before = Rule.objects.count()
    response = client.post(
        reverse("conduct:rulebook_import"),
        {"file": _upload("bad.xlsx", _bytes(workbook)), "label": "v2"},
    )
    errors = response.context["errors"]
    assert {(e.sheet, e.row) for e in errors} == {("规则", 2), ("规则", 4)}
    page = response.content.decode()
    assert "金额不能为负数" in page
    assert "未导入任何内容" in page
    assert 'data-testid="confirm-import"' not in page
    assert Rule.objects.count() == before


def test_upload_overlapping_version_shows_the_error(client, hr_user, workbook):
    client.force_login(hr_user)
    response = client.post(
        reverse("conduct:rulebook_import"), {"file": _upload("same.xlsx", _bytes(workbook))}
    )
    assert any("本制度已有版本v1" in str(e.message) for e in response.context["errors"])


def test_upload_must_be_xlsx(client, hr_user):
    client.force_login(hr_user)
    response = client.post(
        reverse("conduct:rulebook_import"), {"file": _upload("book.csv", b"a,b")}
    )
    assert "请上传 Excel 工作簿" in response.content.decode()


def test_export_screen_returns_the_workbook(client, auditor_user, employee_user):
    version = load_book(code="export-book")
    url = reverse("conduct:version_export", args=["export-book", version.pk])
    client.force_login(employee_user)
    assert client.get(url).status_code == 403
    client.force_login(auditor_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "export-book-v1.xlsx" in response["Content-Disposition"]
    assert _book(response.content).sheetnames == ["版本", "分类", "规则"]


def test_numbers_typed_as_numbers_read_as_their_text(workbook):
    sheet = workbook["规则"]
    sheet.cell(row=2, column=4).value = 11  # 条款号 typed as a number
    sheet.cell(row=3, column=4).value = 1.8
    sheet.cell(row=2, column=1).value = 1.0  # 分类序号 as a float
    parsed = excel.parse_version_workbook(_bytes(workbook))
    assert parsed.ok, [str(e) for e in parsed.errors]
    assert [rule["number"] for rule in parsed.rules] == ["11", "1.8", "3"]
