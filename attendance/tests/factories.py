"""Test data for attendance: shifts, assignments, the seed rulebooks' policies, clock files."""

from __future__ import annotations

import csv
import io
from datetime import date, time
from pathlib import Path

import factory
from django.conf import settings

from attendance.models import Shift
from attendance.services import (
    attendance_policies_for_seed_rulebooks,
    attendance_settings_update,
    department_rulebook_set,
    shift_assignment_create,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "rulebooks"


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift
        django_get_or_create = ("name",)

    name = "白班"
    start = time(9, 0)
    end = time(18, 0)
    crosses_midnight = False
    work_weekdays = "12345"


def night_shift() -> Shift:
    return ShiftFactory(name="夜班", start=time(22, 0), end=time(6, 0), crosses_midnight=True)


def assign(shift: Shift, *, department=None, employee=None, start=date(2020, 1, 1), end=None):
    return shift_assignment_create(
        shift=shift,
        department=department,
        employee=employee,
        effective_from=start,
        effective_to=end,
    )


def seed_rulebooks(*codes: str):
    """Load the named rulebook fixtures and the seed attendance policies; returns the
    rulebooks by code."""
    from conduct.demo import load_fixture
    from conduct.models import Rulebook

    for code in codes or ("hospitality", "customer-service"):
        load_fixture(FIXTURES / f"{code}.yaml")
    attendance_policies_for_seed_rulebooks()
    return {rb.code: rb for rb in Rulebook.objects.all()}


def judge_by(code: str, department=None):
    """Judge the company (or one department) by rulebook ``code``."""
    from conduct.models import Rulebook

    rulebook = Rulebook.objects.get(code=code)
    if department is None:
        return attendance_settings_update(default_rulebook=rulebook)
    return department_rulebook_set(department=department, rulebook=rulebook)


def csv_bytes(rows, *, header=("工号", "日期", "上班", "下班"), encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=("工号", "日期", "上班", "下班")) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MAPPING = {"employee_no": "工号", "date": "日期", "clock_in": "上班", "clock_out": "下班"}
