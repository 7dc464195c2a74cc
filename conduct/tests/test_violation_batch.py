"""violations_log_many: logging a batch is logging each violation with violation_log in the
order they happened — same violations, occurrences, penalties, re-numbered and flagged
later violations, audit trail — in a number of queries that grows with neither the batch
nor the history; and violation_log itself runs a fixed number of queries."""

from __future__ import annotations

import re
import threading
from dataclasses import fields
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEntry
from conduct.models import Category, Rule, Rulebook, RulebookVersion, Violation
from conduct.services.violations import (
    ViolationInput,
    violation_log,
    violation_void,
    violations_log_many,
)
from conduct.tests.test_violation_support import (  # noqa: F401
    PNG,
    at,
    media_files,
    person,
    restored_roles,
    rule_of,
    upload,
)
from penalties.models import Penalty, PenaltyStatus
from staff.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2024, 1, 1)
DAYS = 730  # 2024 and 2025


def ladder(amounts, *, points=0, **extra) -> dict:
    return {
        "steps": [
            {
                "occurrence_from": n,
                "charges": [{"basis": "fixed", "amount": str(a)}],
                **({"points": points} if points else {}),
            }
            for n, a in enumerate(amounts, start=1)
        ],
        **extra,
    }


def _rules(version, category, schedules: dict[str, dict]) -> None:
    for position, (number, schedule) in enumerate(schedules.items(), start=1):
        Rule.objects.create(
            version=version,
            category=category,
            number=number,
            position=position,
            title=f"规则{number}",
            text=number,
            schedule=schedule,
        )


@pytest.fixture
def rulebook(db) -> Rulebook:
    """Every kind of count at once: ladders by month and for ever, a rolling count over the
    whole rulebook, a department count (so re-numbering covers the department), a points
    budget with its exhaustion, and a second version from mid-2024 with other amounts."""
    book = Rulebook.objects.create(
        code="batch", name="批量测试", points_budget=5, points_window="calendar_year"
    )

    def schedules(month_ladder) -> dict[str, dict]:
        return {
            "1": ladder(month_ladder, points=1, window="calendar_month"),
            "2": ladder(
                ("10", "20"),
                triggers=[
                    {
                        "threshold": 3,
                        "window": "rolling_days",
                        "window_days": 30,
                        "scope": "rulebook",
                        "consequence": "30天内累计3次",
                        "flag": "training",
                    }
                ],
            ),
            "3": {
                "steps": [
                    {
                        "points": 2,
                        "charges": [
                            {"basis": "fixed", "amount": "50"},
                            {"basis": "fixed", "amount": "100", "party": "department"},
                        ],
                    }
                ],
                "triggers": [
                    {
                        "threshold": 3,
                        "window": "half_year",
                        "subject": "department",
                        "consequence": "部门半年内3次",
                        "charges": [{"basis": "fixed", "amount": "1000", "party": "department"}],
                    }
                ],
            },
            "4": ladder(
                ("20", "40"),
                points=1,
                window="half_year",
                triggers=[
                    {"kind": "points_exhausted", "consequence": "积分扣完", "flag": "training"}
                ],
            ),
        }

    old = RulebookVersion.objects.create(
        rulebook=book, label="v1", effective_from=date(2020, 1, 1), effective_to=date(2024, 6, 30)
    )
    new = RulebookVersion.objects.create(rulebook=book, label="v2", effective_from=date(2024, 7, 1))
    for version, amounts in ((old, ("10", "20", "30")), (new, ("15", "25", "35"))):
        category = Category.objects.create(version=version, position=1, name="测试")
        _rules(version, category, schedules(amounts))
    return book


def rule(rulebook, number: str) -> Rule:
    return Rule.objects.get(version__rulebook=rulebook, version__label="v1", number=number)


def moment(day: int, minute: int) -> datetime:
    base = datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time())
    return timezone.make_aware(base + timedelta(hours=8, minutes=minute))


def item(employee, rule, when, **extra) -> ViolationInput:
    return ViolationInput(employee=employee, rule=rule, occurred_at=when, **extra)


# --- what the records look like --------------------------------------------------------------


def _pks(text: str) -> str:
    return re.sub(r"#\d+", "#", text)


def records(employees) -> list[tuple]:
    """Every violation of ``employees`` in order, with its penalties not voided: what must
    not depend on how the violations were logged (ids aside)."""
    out = []
    violations = Violation.objects.filter(employee__in=employees).order_by("occurred_at", "pk")
    for v in violations.prefetch_related("penalties"):
        penalties = sorted(
            (
                p.party,
                p.money_kind,
                p.employee_id,
                p.department_id,
                p.amount,
                p.status,
                p.is_primary,
                tuple(p.sanctions),
                p.points,
                p.label,
                p.explanation,
                repr(p.lines),
                p.required_tier,
                p.needs_review,
                p.review_note,
            )
            for p in v.penalties.all()
            if p.status != PenaltyStatus.VOIDED
        )
        out.append(
            (
                v.employee_id,
                v.rule_id,
                v.rulebook_version_id,
                v.occurred_at,
                v.status,
                v.occurrence,
                v.explanation,
                v.quote,
                v.needs_review,
                v.review_note,
                tuple(penalties),
            )
        )
    return out


def audit_trail(since: int) -> list[tuple]:
    return [
        (e.action, e.object_type, e.changes, _pks(e.comment))
        for e in AuditEntry.objects.filter(pk__gt=since).order_by("pk")
    ]


def last_audit() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- the property: a batch is violation_log one by one ------------------------------------

spots = st.tuples(
    st.integers(0, 2),  # which employee (0 and 1 share a department)
    st.sampled_from(["1", "2", "3", "4"]),  # which rule
    st.integers(0, DAYS - 1),
    st.integers(0, 600),
)

PROPERTY = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def log_each(items, *, by) -> None:
    """Log ``items`` (``ViolationInput``) one by one through ``violation_log``, in order:
    what a batch must equal."""
    for one in items:
        violation_log(**{f.name: getattr(one, f.name) for f in fields(one)}, logged_by=by)


def _world(rulebook, gm_user, officer, history, approve):
    """Three people (two in one department) with ``history`` logged one by one and the
    penalties of the ``approve`` indices of it approved."""
    department = DepartmentFactory()
    people = [person(department=department), person(department=department), person()]
    logged = [
        violation_log(
            employee=people[who],
            rule=rule(rulebook, number),
            occurred_at=moment(d, m),
            logged_by=officer,
        )
        for who, number, d, m in history
    ]
    chosen = [v.pk for i, v in enumerate(logged) if i in approve]
    Penalty.objects.filter(violation__in=chosen, status=PenaltyStatus.PENDING).update(
        status=PenaltyStatus.APPROVED, decided_by=gm_user
    )
    return people


@PROPERTY
@given(
    history=st.lists(spots, max_size=8),
    batch=st.lists(spots, min_size=1, max_size=10),
    order=st.randoms(use_true_random=False),
)
def test_a_batch_is_violation_log_one_by_one_in_any_order(
    rulebook, hr_user, gm_user, history, batch, order
):
    """Whatever order the items come in (and however back-dated), the batch leaves the
    same records as violation_log called for each in that order.

    (With pending penalties only: one by one, a decided violation keeps the judgement of
    whichever re-count first changed its price, so what it stores depends on the order of
    logging; the batch takes the order things happened — the next test.)"""
    with transaction.atomic():
        people = _world(rulebook, gm_user, hr_user, history, approve=set())
        items = [item(people[w], rule(rulebook, n), moment(d, m)) for w, n, d, m in batch]
        order.shuffle(items)
        before = transaction.savepoint()
        violations_log_many(items=items, logged_by=hr_user)
        batched = records(people)
        transaction.savepoint_rollback(before)
        log_each(items, by=hr_user)
        assert batched == records(people)
        transaction.set_rollback(True)


@PROPERTY
@given(
    history=st.lists(spots, max_size=8),
    approve=st.sets(st.integers(0, 7), max_size=3),
    batch=st.lists(spots, min_size=1, max_size=10),
    order=st.randoms(use_true_random=False),
)
def test_a_batch_writes_the_audit_trail_of_violation_log_in_the_order_things_happened(
    rulebook, hr_user, gm_user, history, approve, batch, order
):
    """Given in any order, the batch logs in the order things happened: the records and
    every audit entry are those of violation_log called for each in that order."""
    with transaction.atomic():
        people = _world(rulebook, gm_user, hr_user, history, approve)
        items = [item(people[w], rule(rulebook, n), moment(d, m)) for w, n, d, m in batch]
        happened = sorted(items, key=lambda one: one.occurred_at)  # stable: ties as given
        order.shuffle(items)
        items.sort(key=lambda one: one.occurred_at)  # ties in the order of ``happened``
        before, since = transaction.savepoint(), last_audit()
        violations_log_many(items=items, logged_by=hr_user)
        batched, batched_trail = records(people), audit_trail(since)
        transaction.savepoint_rollback(before)
        log_each(happened, by=hr_user)
        assert batched == records(people)
        assert batched_trail == audit_trail(since)
        transaction.set_rollback(True)


# --- batches --------------------------------------------------------------------------------


def test_the_batch_returns_the_violations_in_the_order_given_numbered_by_time(rulebook, hr_user):
    employee = person()
    since = last_audit()
    late, early = violations_log_many(
        items=[
            item(employee, rule(rulebook, "2"), moment(40, 0)),
            item(employee, rule(rulebook, "2"), moment(10, 0)),
        ],
        logged_by=hr_user,
    )
    assert (late.occurred_at, early.occurred_at) == (moment(40, 0), moment(10, 0))
    assert (early.occurrence, late.occurrence) == (1, 2)
    assert [p.amount for p in late.penalties.all()] == [Decimal("20.00")]
    # Logged in the order things happened: nothing was created only to be re-priced.
    actions = [(action, kind) for action, kind, _c, _m in audit_trail(since)]
    assert actions == [
        ("create", "conduct.violation"),
        ("create", "penalties.penalty"),
        ("create", "conduct.violation"),
        ("create", "penalties.penalty"),
    ]


def test_an_invalid_item_is_left_out_and_counts_for_no_other(rulebook, hr_user):
    employee = person()
    refused: dict[int, ValidationError] = {}
    first, third = violations_log_many(
        items=[
            item(employee, rule(rulebook, "2"), moment(10, 0)),
            item(employee, rule(rulebook, "2"), timezone.now() + timedelta(days=1)),
            item(employee, rule(rulebook, "2"), moment(20, 0)),
        ],
        logged_by=hr_user,
        on_error=refused.__setitem__,
    )
    assert list(refused) == [1] and "occurred_at" in refused[1].error_dict
    assert (first.occurrence, third.occurrence) == (1, 2)
    assert Violation.objects.filter(employee=employee).count() == 2


def test_without_on_error_an_invalid_item_saves_nothing(rulebook, hr_user):
    employee = person()
    with pytest.raises(ValidationError) as exc:
        violations_log_many(
            items=[
                item(employee, rule(rulebook, "2"), moment(10, 0)),
                item(employee, rule(rulebook, "2"), moment(20, 0), quantity=0),
            ],
            logged_by=hr_user,
        )
    assert "quantity" in exc.value.error_dict
    assert not Violation.objects.exists() and not Penalty.objects.exists()


def test_a_failure_after_the_evidence_was_written_leaves_no_file(hr_user, monkeypatch):
    import conduct.services.violations as services

    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit_record_many", boom)  # the last write
    with pytest.raises(RuntimeError):
        violation_log(
            employee=person(),
            rule=rule_of("service-management", 3),
            occurred_at=at(2025, 3, 1),
            logged_by=hr_user,
            evidence_files=[upload("ok.png", PNG, "image/png")],
        )
    assert Violation.objects.count() == 0
    assert media_files() == []


# --- queries ---------------------------------------------------------------------------------


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


@pytest.mark.parametrize("history", [2, 20])
def test_logging_one_violation_runs_fourteen_queries_whatever_the_history(
    hr_user, django_assert_num_queries, history
):
    """Approval settings, rulebook versions and rules, the locked person, the counted
    violations (one by one from the window's start, older ones as totals), company
    settings, two inserts, the audit chain (three), and the savepoint (two)."""
    rule = rule_of("service-management", 2)  # by calendar year
    employee = person()
    for n in range(history):
        violation_log(
            employee=employee, rule=rule, occurred_at=moment(n * 30 % 700, n), logged_by=hr_user
        )
    with django_assert_num_queries(14):
        violation_log(employee=employee, rule=rule, occurred_at=at(2025, 12, 31), logged_by=hr_user)


@pytest.mark.parametrize("later", [2, 20])
def test_back_dating_one_violation_runs_the_same_queries_however_many_come_after(
    hr_user, django_assert_num_queries, later
):
    """Re-numbering adds a fixed few: the later violations and their penalties (locked),
    the primary flags cleared before re-pricing, the new penalties, the updates of
    penalties and of violations."""
    rule = rule_of("customer-service", "10.2")  # 50, 100, then expulsion; by year
    employee = person()
    for n in range(later):
        violation_log(
            employee=employee, rule=rule, occurred_at=at(2025, 6, 1 + n), logged_by=hr_user
        )
    with django_assert_num_queries(19):
        violation_log(employee=employee, rule=rule, occurred_at=at(2025, 5, 1), logged_by=hr_user)
    amounts = Penalty.objects.filter(
        violation__employee=employee, is_primary=True, status=PenaltyStatus.PENDING
    ).order_by("violation__occurred_at")
    assert [p.amount for p in amounts][:3] == [Decimal("50.00"), Decimal("100.00"), Decimal("0")]


def test_an_empty_batch_runs_no_query(hr_user, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert violations_log_many(items=[], logged_by=hr_user) == []


def test_a_batch_runs_the_same_queries_for_few_items_as_for_many(rulebook, hr_user):
    def batch(size: int) -> int:
        department = DepartmentFactory()
        people = [person(department=department) for _ in range(3)]
        for who in people:  # a history after most of the batch: re-numbering
            violation_log(
                employee=who,
                rule=rule(rulebook, "1"),
                occurred_at=moment(700, 0),
                logged_by=hr_user,
            )
        items = [
            item(people[n % 3], rule(rulebook, str(1 + n % 4)), moment(n * 7 % 690, n))
            for n in range(size)
        ]
        return _queries(lambda: violations_log_many(items=items, logged_by=hr_user))

    assert batch(4) == batch(40)


# --- locking -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restored_roles")
def test_batches_naming_the_same_people_in_opposite_orders_do_not_deadlock(hr_user):
    """People are locked in id order, so two batches never wait for each other crosswise."""
    rule = rule_of("service-management", 2)
    first, second = person(), person()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(people, hour):
        try:
            barrier.wait(timeout=10)
            for round_ in range(5):
                violations_log_many(
                    items=[item(p, rule, at(2025, 3, 1 + round_, hour)) for p in people],
                    logged_by=hr_user,
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=work, args=([first, second], 9)),
        threading.Thread(target=work, args=([second, first], 10)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    for who in (first, second):
        occurrences = Violation.objects.filter(employee=who).order_by("occurred_at")
        assert [v.occurrence for v in occurrences] == list(range(1, 11))


def test_voiding_renumbers_the_later_ones_as_before(rulebook, hr_user):
    employee = person()
    logged = [
        violation_log(
            employee=employee,
            rule=rule(rulebook, "2"),
            occurred_at=moment(d, 0),
            logged_by=hr_user,
        )
        for d in (1, 2, 3)
    ]
    violation_void(violation=logged[0], by=hr_user, reason="录入错误")
    rest = Violation.objects.filter(employee=employee, status="active").order_by("occurred_at")
    assert [v.occurrence for v in rest] == [1, 2]
    assert [v.quote["person_amount"] for v in rest] == ["10.00", "20.00"]
