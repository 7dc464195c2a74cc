"""Load data: the same seed gives the same rows; occurrence numbers agree with the
selector that counts them; every state is there; small sizes work on SQLite too."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from conduct.models import Violation, ViolationStatus
from conduct.selectors.violations import violation_judge
from penalties.models import Appeal, Notice, Penalty, PenaltyStatus, PenaltyTransition
from scale.loaddata import HEAVY_RECORDS, LoadDataExists, generate, rows_digest
from staff.models import Department, Employee

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)
ROOT = Path(__file__).resolve().parents[2]


class Rollback(Exception):
    pass


def _digest_of(seed: int) -> str:
    """Generate, digest, and roll back (the same database for every run)."""
    try:
        with transaction.atomic():
            generate(employees=300, violations=1500, seed=seed, today=TODAY)
            digest = rows_digest()
            raise Rollback
    except Rollback:
        return digest


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    first = _digest_of(1)
    assert not Department.objects.filter(code="LOAD").exists()
    assert _digest_of(1) == first
    assert _digest_of(2) != first


@pytest.fixture
def loaded():
    return generate(employees=300, violations=2000, seed=7, today=TODAY)


def test_the_rows_are_spread_over_every_state(loaded):
    assert Employee.objects.filter(employee_no__startswith="L").count() == 300
    assert Department.objects.filter(code__startswith="LOAD").count() == 1 + 8 * (1 + 6 * 5)
    assert Violation.objects.count() == 2000 + 0  # the demo logs none
    statuses = set(Penalty.objects.values_list("status", flat=True))
    assert {
        PenaltyStatus.PENDING,
        PenaltyStatus.APPROVED,
        PenaltyStatus.REJECTED,
        PenaltyStatus.VOIDED,
        PenaltyStatus.UNDER_APPEAL,
        PenaltyStatus.REVOKED,
    } <= statuses
    assert Violation.objects.filter(status=ViolationStatus.VOIDED).exists()
    # Each penalty that took effect has its notice; each appeal its notice and penalty.
    effective = Penalty.objects.filter(
        status__in=[PenaltyStatus.APPROVED, PenaltyStatus.UNDER_APPEAL, PenaltyStatus.REVOKED]
    )
    assert Notice.objects.filter(penalty__in=effective).count() == effective.count()
    assert (
        Appeal.objects.filter(status="filed").count()
        == Penalty.objects.filter(status=PenaltyStatus.UNDER_APPEAL, party="employee").count()
    )
    assert PenaltyTransition.objects.filter(action="approve").count() >= effective.count()
    # Dates over (nearly) three years: the rulebooks' versions start on 2024-01-01.
    first, last = (
        Violation.objects.order_by("occurred_on").values_list("occurred_on", flat=True).first(),
        Violation.objects.order_by("-occurred_on").values_list("occurred_on", flat=True).first(),
    )
    assert first < date(2024, 3, 1) and last >= date(2026, 10, 1) and last < TODAY
    rulebooks = set(Violation.objects.values_list("rulebook__code", flat=True))
    assert len(rulebooks) >= 7
    heavy = Employee.objects.get(employee_no=loaded.heavy_employee_no)
    assert heavy.violations.count() == HEAVY_RECORDS


def test_occurrence_numbers_agree_with_the_selector(loaded):
    sample = (
        Violation.objects.filter(status=ViolationStatus.ACTIVE)
        .select_related("employee", "rulebook", "rule")
        .order_by("-occurrence", "pk")[:150]
    )
    checked = 0
    for violation in sample:
        judged = violation_judge(  # counted from the rows, as logging counts
            employee=violation.employee,
            rule=violation.rule,
            occurred_on=violation.occurred_on,
            occurred_at=violation.occurred_at,
            level=violation.level or None,
            chosen_amount=violation.chosen_amount,
            involved_amount=violation.involved_amount,
            sanction_choice=violation.sanction_choice or None,
            pk=violation.pk,
        )
        assert judged.quote.occurrence == violation.occurrence, violation.pk
        checked += 1
    assert checked == 150
    assert sample[0].occurrence > 3  # repeat offenders exist


def test_it_refuses_to_run_twice(loaded):
    with pytest.raises(LoadDataExists):
        generate(employees=10, violations=10, seed=7, today=TODAY)


def test_the_command_prints_what_it_wrote(capsys):
    call_command(
        "generate_load_data", "--employees", "260", "--violations", "300", "--today", "2026-11-15"
    )
    out = capsys.readouterr().out
    assert "conduct_violation" in out and "300" in out and "done in" in out


def test_small_sizes_work_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'load.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for args in (
        ["migrate", "-v", "0"],
        ["generate_load_data", "--employees", "260", "--violations", "400", "--seed", "3"],
    ):
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-2000:]
    assert "conduct_violation" in result.stdout
    assert "done in" in result.stdout
