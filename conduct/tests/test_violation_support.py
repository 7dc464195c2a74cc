"""Helpers shared by the violation and penalty tests (rulebooks from the fixtures, times,
uploads); the one test here checks the helpers themselves."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conduct.models import Rule, Rulebook
from conduct.services.rulebooks import rulebook_version_load
from staff.tests.factories import EmployeeFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "rulebooks"

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def load_rulebook(code: str) -> Rulebook:
    with (FIXTURES / f"{code}.yaml").open(encoding="utf-8") as handle:
        rulebook_version_load(data=yaml.safe_load(handle), replace=True)
    return Rulebook.objects.get(code=code)


def rule_of(code: str, number: str | int) -> Rule:
    if not Rulebook.objects.filter(code=code).exists():
        load_rulebook(code)
    return Rule.objects.select_related("version__rulebook", "category").get(
        version__rulebook__code=code, number=str(number)
    )


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware local (Asia/Shanghai) time."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class BigUpload(SimpleUploadedFile):
    """A large upload that claims its size without holding 50 MB in memory twice."""

    def __init__(self, name: str, size: int):
        super().__init__(name, b"", content_type="application/pdf")
        self.file = io.BytesIO(b"%PDF-1.4\n" + b"0" * (size - 9))
        self.size = size


def person(**fields):
    """An employee with round pay: 4350 a month (200 a day at 21.75), bonus 1000."""
    fields.setdefault("monthly_wage", Decimal("4350.00"))
    fields.setdefault("monthly_bonus", Decimal("1000.00"))
    fields.setdefault("hire_date", date(2020, 3, 1))
    return EmployeeFactory(**fields)


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_helpers_load_a_rulebook_and_find_its_rules():
    rule = rule_of("service-management", 2)
    assert rule.version.label == "2024版"
    assert rule.parsed_schedule.window.value == "calendar_year"
    assert at(2025, 3, 1).tzinfo is not None


ROLE_MIGRATIONS = [
    ("staff.migrations.0002_roles", "create_roles"),
    ("conduct.migrations.0002_violations", "grant_violation_permissions"),
    ("penalties.migrations.0001_penalties", "grant_penalty_permissions"),
]


@pytest.fixture
def restored_roles(transactional_db):
    """The role groups and their grants, made by data migrations, are removed by an
    earlier transactional test's flush: make them again (request before the users)."""
    import importlib

    from django.apps import apps

    for module, function in ROLE_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
