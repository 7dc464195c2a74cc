"""Property tests of counting windows and voiding, through violation_log / violation_void
on the database (each example runs in its own rolled-back transaction).

- The n-th occurrence's amount never depends on violations outside its window: whatever
  else is logged, in whatever order (back-dated or not), each violation is priced by the
  violations of its window before it, and only by those.
- Voiding one restores the amounts after it for violations not yet approved.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conduct.models import Category, Rule, Rulebook, RulebookVersion, Violation
from conduct.services.violations import violation_log, violation_void
from conduct.tests.test_violation_support import person
from penalties.engine import Window, window_bounds
from penalties.models import Penalty, PenaltyStatus

pytestmark = pytest.mark.django_db

LADDER = (Decimal("10.00"), Decimal("20.00"), Decimal("30.00"))
WINDOWS = [
    ("calendar_month", None),
    ("rolling_days", 30),
    ("half_year", None),
    ("calendar_year", None),
    ("all_time", None),
]
FIRST_DAY = date(2024, 1, 1)
DAYS = 730  # 2024 and 2025


@pytest.fixture
def ladder_rules(db) -> dict[str, Rule]:
    """One ladder ¥10 / ¥20 / ¥30 per kind of window."""
    rulebook = Rulebook.objects.create(code="prop", name="性质测试")
    version = RulebookVersion.objects.create(
        rulebook=rulebook, label="v1", effective_from=date(2020, 1, 1)
    )
    category = Category.objects.create(version=version, position=1, name="阶梯")
    rules = {}
    for i, (window, days) in enumerate(WINDOWS, start=1):
        schedule = {
            "window": window,
            "steps": [
                {"occurrence_from": n, "charges": [{"basis": "fixed", "amount": str(a)}]}
                for n, a in enumerate(LADDER, start=1)
            ],
        }
        if days:
            schedule["window_days"] = days
        rules[window] = Rule.objects.create(
            version=version,
            category=category,
            number=str(i),
            position=i,
            text=window,
            schedule=schedule,
        )
    return rules


def moment(day: int, minute: int) -> datetime:
    base = datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time())
    return timezone.make_aware(base + timedelta(hours=8, minutes=minute))


moments = st.lists(
    st.tuples(st.integers(0, DAYS - 1), st.integers(0, 600)), min_size=1, max_size=9, unique=True
)


def expected_amounts(rule: Rule, violations: list[Violation]) -> dict[int, Decimal]:
    """The model: each violation's occurrence counts the active ones of its window before
    it (by time, then id) — nothing else."""
    schedule = rule.parsed_schedule
    ordered = sorted(violations, key=lambda v: (v.occurred_at, v.pk))
    out = {}
    for i, v in enumerate(ordered):
        start, end = window_bounds(Window(schedule.window), schedule.window_days, v.occurred_on)
        n = 1 + sum(
            1
            for w in ordered[:i]
            if (start is None or w.occurred_on >= start) and w.occurred_on <= end
        )
        out[v.pk] = LADDER[min(n, len(LADDER)) - 1]
    return out


def actual_amounts(violations) -> dict[int, Decimal]:
    penalties = Penalty.objects.filter(
        violation__in=[v.pk for v in violations], is_primary=True
    ).exclude(status=PenaltyStatus.VOIDED)
    return {p.violation_id: p.amount for p in penalties}


def log_all(rule, employee, officer, times) -> list[Violation]:
    return [
        violation_log(employee=employee, rule=rule, occurred_at=when, logged_by=officer)
        for when in times
    ]


PROPERTY = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(
    window=st.sampled_from([w for w, _ in WINDOWS]),
    inside=moments,
    outside=moments,
    order=st.randoms(use_true_random=False),
)
def test_amount_of_the_nth_depends_only_on_its_window(
    ladder_rules, hr_user, window, inside, outside, order
):
    rule = ladder_rules[window]
    with transaction.atomic():
        employee = person()
        first = [moment(d, m) for d, m in inside]
        order.shuffle(first)  # logged in any order: back-dating renumbers the later ones
        logged = log_all(rule, employee, hr_user, first)
        assert actual_amounts(logged) == expected_amounts(rule, logged)
        before = actual_amounts(logged)
        # Add violations of other employees and of another rule: nothing changes.
        other_rule = ladder_rules["all_time" if window != "all_time" else "calendar_month"]
        log_all(other_rule, employee, hr_user, [moment(d, m) for d, m in outside])
        log_all(rule, person(department=employee.department), hr_user, first[:3])
        assert actual_amounts(logged) == before
        # Add more of the same rule: each is priced by its own window only.
        more = log_all(rule, employee, hr_user, [moment(d, m + 601) for d, m in outside])
        every = logged + more
        for v in every:
            v.refresh_from_db()
        assert actual_amounts(every) == expected_amounts(rule, every)
        transaction.set_rollback(True)


@PROPERTY
@given(
    window=st.sampled_from([w for w, _ in WINDOWS]),
    times=moments,
    extra=st.tuples(st.integers(0, DAYS - 1), st.integers(0, 600)),
    pick=st.integers(0, 8),
)
def test_voiding_restores_the_amounts_after_it(ladder_rules, hr_user, window, times, extra, pick):
    rule = ladder_rules[window]
    with transaction.atomic():
        employee = person()
        logged = log_all(rule, employee, hr_user, [moment(d, m) for d, m in times])
        before = actual_amounts(logged)
        # A violation logged by mistake and voided: everything returns to what it was.
        mistake = violation_log(
            employee=employee,
            rule=rule,
            occurred_at=moment(extra[0], extra[1] + 601),
            logged_by=hr_user,
        )
        violation_void(violation=mistake, by=hr_user, reason="录入错误")
        assert actual_amounts(logged) == before
        assert not Penalty.objects.filter(violation=mistake).exclude(status="voided").exists()
        # Voiding one of them: the rest are priced as if it had never been logged.
        gone = logged[pick % len(logged)]
        violation_void(violation=gone, by=hr_user, reason="重复录入")
        rest = [v for v in logged if v.pk != gone.pk]
        for v in rest:
            v.refresh_from_db()
        assert actual_amounts(rest) == expected_amounts(rule, rest)
        transaction.set_rollback(True)


@PROPERTY
@given(times=st.lists(st.integers(1, 200), min_size=2, max_size=6, unique=True))
def test_voiding_never_reprices_an_approved_penalty(ladder_rules, hr_user, gm_user, times):
    rule = ladder_rules["all_time"]
    with transaction.atomic():
        employee = person()
        logged = log_all(rule, employee, hr_user, [moment(d, 0) for d in sorted(times)])
        last = logged[-1]
        Penalty.objects.filter(violation=last).update(
            status=PenaltyStatus.APPROVED, decided_by=gm_user
        )
        approved = Penalty.objects.get(violation=last).amount
        violation_void(violation=logged[0], by=hr_user, reason="录入错误")
        penalty = Penalty.objects.get(violation=last)
        assert penalty.amount == approved and penalty.status == PenaltyStatus.APPROVED
        changed = LADDER[min(len(logged) - 1, 3) - 1] != approved
        assert penalty.needs_review == changed
        transaction.set_rollback(True)
