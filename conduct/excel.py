"""A rulebook version as an Excel workbook, and back.

Three sheets (the headers are the file format, in Chinese whatever the UI language):

- 版本: one row per field (项目 / 字段 / 值): rulebook code, name …, version label, dates,
  adoption evidence.
- 分类: one row per category (分类序号, 分类名称, 英文名称).
- 规则: one row per rule in order: its category (序号, name, English name), 条款号, 简称,
  条文, 处罚摘要 (generated, read-only: ignored on import), 处罚标准(JSON) in the format of
  docs/schedule-format.md, 有效 (是/否).

``version_workbook`` renders bytes; ``parse_version_workbook`` reads a file back into the
fixture dict (what ``conduct.services.rulebooks.rulebook_version_import`` takes) with a
message per bad row. Export then import reproduces the same version.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from conduct.models import Category, Rule, RulebookVersion
from penalties.engine import ScheduleError, parse_schedule

SHEET_VERSION = "版本"
SHEET_CATEGORIES = "分类"
SHEET_RULES = "规则"

# (key, header) of the 版本 sheet, in order.
VERSION_ROWS: tuple[tuple[str, str], ...] = (
    ("code", "制度代码"),
    ("name", "制度名称"),
    ("name_en", "英文名称"),
    ("issuing_body", "发布单位"),
    ("scope", "适用范围"),
    ("source", "来源"),
    ("points_budget", "积分额度"),
    ("points_window", "积分周期"),
    ("label", "版本"),
    ("effective_from", "生效日期"),
    ("effective_to", "失效日期"),
    ("consultation_body", "民主程序:讨论机构"),
    ("consultation_date", "民主程序:讨论日期"),
    ("publication_date", "公示日期"),
    ("notes", "备注"),
)
VERSION_HEADERS = ("项目", "字段", "值")
CATEGORY_HEADERS = ("分类序号", "分类名称", "英文名称")
RULE_HEADERS = (
    "分类序号",
    "分类名称",
    "分类英文名称",
    "条款号",
    "简称",
    "条文",
    "处罚摘要(只读)",
    "处罚标准(JSON)",
    "有效",
)
RULE_KEYS = (
    "category_position",
    "category_name",
    "category_name_en",
    "number",
    "title",
    "text",
    "summary",
    "schedule",
    "is_active",
)
DATE_KEYS = {"effective_from", "effective_to", "consultation_date", "publication_date"}
YES, NO = "是", "否"
TRUE_WORDS = {YES, "true", "1", "y", "yes", "有效", "√"}
FALSE_WORDS = {NO, "false", "0", "n", "no", "无效", "停用", "×"}

NOT_A_WORKBOOK = _("The file is not an Excel workbook (.xlsx).")
SHEET_MISSING = _("The workbook has no sheet “%(sheet)s”.")
HEADER_MISSING = _("Column “%(column)s” is missing from the header row.")
VALUE_MISSING = _("“%(column)s” is empty.")
NOT_A_DATE = _("“%(column)s”: “%(value)s” is not a date (write YYYY-MM-DD).")
NOT_A_NUMBER = _("“%(column)s”: “%(value)s” is not a whole number.")
POSITION_TWICE = _("Category order %(position)s appears twice.")
UNKNOWN_CATEGORY = _("Category order %(position)s is not on the sheet 分类.")
CATEGORY_NAME_DIFFERS = _(
    "The category name “%(name)s” differs from the sheet 分类 (“%(expected)s”)."
)
NUMBER_TWICE = _("Rule number %(number)s appears twice (first on row %(row)s).")
BAD_JSON = _("The schedule is not valid JSON: %(error)s")
BAD_ACTIVE = _("“有效” must be 是 or 否, not “%(value)s”.")
BAD_SCHEDULE = _("Schedule %(error)s")
NO_RULES = _("The sheet 规则 has no rule.")


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None  # the spreadsheet row number (1 = header); None for the whole file
    message: str | Promise

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.sheet}: {self.message}" if self.sheet else str(self.message)
        return str(_("Sheet %(sheet)s, row %(row)s: %(message)s")) % {
            "sheet": self.sheet,
            "row": self.row,
            "message": self.message,
        }


@dataclass
class ParsedWorkbook:
    data: dict[str, Any] = field(default_factory=dict)  # the fixture format, one version
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def version_data(self) -> dict[str, Any]:
        return (self.data.get("versions") or [{}])[0]

    @property
    def rules(self) -> list[dict[str, Any]]:
        return [r for c in self.version_data.get("categories", []) for r in c.get("rules", [])]


# --- writing ----------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
READ_ONLY_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")


def _put(sheet, row: int, column: int, value: Any):
    """Write a value; text is always text (never a formula, even when it starts with =)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, date | datetime):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    return cell


def _header(sheet, headers: tuple[str, ...], widths: tuple[int, ...]) -> None:
    for column, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(sheet, 1, column, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def version_values(version: RulebookVersion) -> dict[str, Any]:
    rulebook = version.rulebook
    return {
        "code": rulebook.code,
        "name": rulebook.name,
        "name_en": rulebook.name_en,
        "issuing_body": rulebook.issuing_body,
        "scope": rulebook.scope,
        "source": rulebook.source,
        "points_budget": rulebook.points_budget,
        "points_window": rulebook.points_window,
        "label": version.label,
        "effective_from": version.effective_from,
        "effective_to": version.effective_to,
        "consultation_body": version.consultation_body,
        "consultation_date": version.consultation_date,
        "publication_date": version.publication_date,
        "notes": version.notes,
    }


def schedule_json(schedule: dict[str, Any]) -> str:
    return json.dumps(schedule, ensure_ascii=False)


def version_workbook(
    *,
    version: RulebookVersion,
    categories: list[Category] | None = None,
    summaries: dict[int, str] | None = None,
) -> bytes:
    """The workbook of one version. ``categories`` (with ``rule_list``) and ``summaries``
    (rule id → summary) may be given when the caller already has them."""
    from conduct.selectors.rulebooks import rule_card, version_categories

    if categories is None:
        categories = version_categories(version=version)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_VERSION
    _header(sheet, VERSION_HEADERS, (22, 20, 50))
    values = version_values(version)
    for row, (key, title) in enumerate(VERSION_ROWS, start=2):
        _put(sheet, row, 1, title)
        _put(sheet, row, 2, key)
        value = values[key]
        _put(sheet, row, 3, "" if value is None else value)

    sheet = book.create_sheet(SHEET_CATEGORIES)
    _header(sheet, CATEGORY_HEADERS, (10, 40, 50))
    for row, category in enumerate(categories, start=2):
        _put(sheet, row, 1, category.position)
        _put(sheet, row, 2, category.name)
        _put(sheet, row, 3, category.name_en)

    sheet = book.create_sheet(SHEET_RULES)
    _header(sheet, RULE_HEADERS, (10, 24, 24, 10, 24, 60, 50, 60, 6))
    rules: list[Rule] = sorted(
        (rule for category in categories for rule in category.rule_list),
        key=lambda rule: rule.position,
    )
    by_id = {category.pk: category for category in categories}
    for row, rule in enumerate(rules, start=2):
        category = by_id[rule.category_id]
        summary = (summaries or {}).get(rule.pk)
        if summary is None:
            card = rule_card(rule)
            summary = "; ".join(part for part in (card.summary, card.note) if part)
        cells = (
            category.position,
            category.name,
            category.name_en,
            rule.number,
            rule.title,
            rule.text,
            summary,
            schedule_json(rule.schedule),
            YES if rule.is_active else NO,
        )
        for column, value in enumerate(cells, start=1):
            cell = _put(sheet, row, column, value)
            cell.alignment = WRAP
            if column == 7:
                cell.fill = READ_ONLY_FILL
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _number_text(value: Any) -> str:
    """A rule number typed as a number (11, 1.8) reads as its text ("11", "1.8")."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return _text(value)


def _date(value: Any) -> date | str | None:
    """A date, None when empty, or the text back when it is not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        return text


def _int(value: Any) -> int | str | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    return int(text) if text.isdigit() else text


def _rows(sheet, headers: tuple[str, ...], errors: list[RowError]):
    """(row number, {header: value}) for each non-empty row, the header row checked."""
    rows = sheet.iter_rows(values_only=True)
    try:
        head = [(_text(v)) for v in next(rows)]
    except StopIteration:
        head = []
    index = {}
    for title in headers:
        if title in head:
            index[title] = head.index(title)
        else:
            errors.append(RowError(sheet.title, 1, HEADER_MISSING % {"column": title}))
    if len(index) != len(headers):
        return
    for number, values in enumerate(rows, start=2):
        values = list(values) + [None] * len(head)
        record = {title: values[i] for title, i in index.items()}
        if all(_text(v) == "" for v in record.values()):
            continue
        yield number, record


def parse_version_workbook(file: BinaryIO | bytes) -> ParsedWorkbook:
    """Read a workbook written by ``version_workbook`` (or edited from one)."""
    result = ParsedWorkbook()
    errors = result.errors
    try:
        content = file if isinstance(file, bytes) else file.read()
        book = load_workbook(io.BytesIO(content), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        errors.append(RowError("", None, NOT_A_WORKBOOK))
        return result
    sheets = {}
    for name in (SHEET_VERSION, SHEET_CATEGORIES, SHEET_RULES):
        if name not in book.sheetnames:
            errors.append(RowError(name, None, SHEET_MISSING % {"sheet": name}))
        else:
            sheets[name] = book[name]
    if errors:
        return result

    # 版本
    meta: dict[str, Any] = {}
    meta_rows: dict[str, int] = {}
    titles = dict(VERSION_ROWS)
    for number, record in _rows(sheets[SHEET_VERSION], VERSION_HEADERS, errors):
        key = _text(record["字段"])
        if key in titles:
            meta[key] = record["值"]
            meta_rows[key] = number
    for key in ("code", "name", "label", "effective_from"):
        if _text(meta.get(key)) == "":
            row = meta_rows.get(key)
            errors.append(RowError(SHEET_VERSION, row, VALUE_MISSING % {"column": titles[key]}))
    dates: dict[str, date | None] = {}
    for key in DATE_KEYS:
        value = _date(meta.get(key))
        if isinstance(value, str):
            errors.append(
                RowError(
                    SHEET_VERSION,
                    meta_rows.get(key),
                    NOT_A_DATE % {"column": titles[key], "value": value},
                )
            )
            value = None
        dates[key] = value
    budget = _int(meta.get("points_budget"))
    if isinstance(budget, str):
        errors.append(
            RowError(
                SHEET_VERSION,
                meta_rows.get("points_budget"),
                NOT_A_NUMBER % {"column": titles["points_budget"], "value": budget},
            )
        )
        budget = None

    # 分类
    categories: dict[int, dict[str, Any]] = {}
    for number, record in _rows(sheets[SHEET_CATEGORIES], CATEGORY_HEADERS, errors):
        position = _int(record["分类序号"])
        name = _text(record["分类名称"])
        if position is None or isinstance(position, str):
            message = (
                VALUE_MISSING % {"column": "分类序号"}
                if position is None
                else NOT_A_NUMBER % {"column": "分类序号", "value": position}
            )
            errors.append(RowError(SHEET_CATEGORIES, number, message))
            continue
        if position in categories:
            errors.append(
                RowError(SHEET_CATEGORIES, number, POSITION_TWICE % {"position": position})
            )
            continue
        if not name:
            errors.append(
                RowError(SHEET_CATEGORIES, number, VALUE_MISSING % {"column": "分类名称"})
            )
        categories[position] = {
            "position": position,
            "name": name,
            "name_en": _text(record["英文名称"]),
            "rules": [],
        }

    # 规则
    numbers: dict[str, int] = {}
    position = 0
    for row, record in _rows(sheets[SHEET_RULES], RULE_HEADERS, errors):
        values = dict(zip(RULE_KEYS, (record[h] for h in RULE_HEADERS), strict=True))
        row_errors: list[str | Promise] = []
        category_position = _int(values["category_position"])
        category = None
        if category_position is None:
            row_errors.append(VALUE_MISSING % {"column": "分类序号"})
        elif isinstance(category_position, str):
            row_errors.append(NOT_A_NUMBER % {"column": "分类序号", "value": category_position})
        else:
            category = categories.get(category_position)
            if category is None:
                row_errors.append(UNKNOWN_CATEGORY % {"position": category_position})
            else:
                name = _text(values["category_name"])
                if name and name != category["name"]:
                    row_errors.append(
                        CATEGORY_NAME_DIFFERS % {"name": name, "expected": category["name"]}
                    )
        number = _number_text(values["number"])
        if not number:
            row_errors.append(VALUE_MISSING % {"column": "条款号"})
        elif number in numbers:
            row_errors.append(NUMBER_TWICE % {"number": number, "row": numbers[number]})
        else:
            numbers[number] = row
        text = _text(values["text"])
        if not text:
            row_errors.append(VALUE_MISSING % {"column": "条文"})
        schedule = None
        raw = _text(values["schedule"])
        if not raw:
            row_errors.append(VALUE_MISSING % {"column": "处罚标准(JSON)"})
        else:
            try:
                schedule = json.loads(raw)
            except json.JSONDecodeError as exc:
                row_errors.append(BAD_JSON % {"error": exc})
            else:
                try:
                    parse_schedule(schedule)
                except ScheduleError as exc:
                    row_errors.extend(
                        BAD_SCHEDULE % {"error": f"{path}: {message}" if path else message}
                        for path, message in exc.errors
                    )
        active_text = _text(values["is_active"]).lower()
        is_active = True
        if isinstance(values["is_active"], bool):
            is_active = values["is_active"]
        elif active_text in FALSE_WORDS:
            is_active = False
        elif active_text and active_text not in TRUE_WORDS:
            row_errors.append(BAD_ACTIVE % {"value": _text(values["is_active"])})
        errors.extend(RowError(SHEET_RULES, row, message) for message in row_errors)
        if row_errors or category is None:
            continue
        position += 1
        category["rules"].append(
            {
                "number": number,
                "position": position,
                "title": _raw_text(values["title"]),
                "text": _raw_text(values["text"]),
                "schedule": schedule,
                "is_active": is_active,
            }
        )
    if not numbers and not errors:
        errors.append(RowError(SHEET_RULES, None, NO_RULES))

    result.data = {
        "code": _text(meta.get("code")),
        "name": _text(meta.get("name")),
        "name_en": _text(meta.get("name_en")),
        "issuing_body": _text(meta.get("issuing_body")),
        "scope": _text(meta.get("scope")),
        "source": _text(meta.get("source")),
        "points_budget": budget,
        "points_window": _text(meta.get("points_window")) or "calendar_year",
        "versions": [
            {
                "label": _text(meta.get("label")),
                "effective_from": _iso(dates["effective_from"]),
                "effective_to": _iso(dates["effective_to"]),
                "adoption": {
                    "consultation_body": _text(meta.get("consultation_body")),
                    "consultation_date": _iso(dates["consultation_date"]),
                    "publication_date": _iso(dates["publication_date"]),
                },
                "notes": _raw_text(meta.get("notes")),
                "categories": [categories[p] for p in sorted(categories)],
            }
        ],
    }
    return result


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _raw_text(value: Any) -> str:
    """Long text as written (line breaks kept; only None becomes empty)."""
    return "" if value is None else str(value)
