"""violation_log / violation_void: counting, penalties, re-numbering, evidence, bad input."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conduct.models import Category, Evidence, Rule, RulebookVersion, Violation
from conduct.services.violations import violation_log, violation_void
from conduct.tests.test_violation_support import (
    JPG,
    PDF,
    PNG,
    BigUpload,
    at,
    media_files,
    person,
    rule_of,
    upload,
)
from penalties.models import Penalty, PenaltyStatus
from staff.models import EmployeeStatus
from staff.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
Y = Decimal


@pytest.fixture
def officer(hr_user):
    return hr_user


def log(employee, rule, when, officer, **kwargs):
    return violation_log(
        employee=employee, rule=rule, occurred_at=when, logged_by=officer, **kwargs
    )


def person_amounts(employee, rule_number=None):
    qs = Penalty.objects.filter(violation__employee=employee, is_primary=True).exclude(
        status=PenaltyStatus.VOIDED
    )
    if rule_number:
        qs = qs.filter(violation__rule_number=rule_number)
    return [p.amount for p in qs.order_by("violation__occurred_at", "violation_id")]


# --- logging ---------------------------------------------------------------------------


def test_log_saves_the_violation_with_its_version_quote_and_pending_penalty(officer):
    rule = rule_of("service-management", 2)
    employee = person()
    violation = log(employee, rule, at(2025, 3, 5), officer, place="营业厅", source="inspection")
    violation.refresh_from_db()
    assert violation.rulebook.code == "service-management"
    assert violation.rulebook_version.label == "2024版"
    assert violation.rule_number == "2"
    assert violation.occurred_on == date(2025, 3, 5)
    assert violation.occurrence == 1
    assert violation.quote["person_amount"] == "30.00"
    assert violation.quote["facts"]["monthly_wage"] == "4350.00"
    assert violation.explanation == violation.quote["explanation"]
    (penalty,) = violation.penalties.all()
    assert (penalty.party, penalty.amount, penalty.status) == ("employee", Y("30.00"), "pending")
    assert penalty.is_primary and penalty.employee == employee
    assert penalty.department == employee.department
    assert penalty.required_tier == "department_head"


def test_second_hairstyle_in_a_year_is_doubled_and_a_new_year_starts_again(officer):
    rule = rule_of("service-management", 2)
    employee = person()
    for when in (at(2025, 3, 5), at(2025, 11, 2), at(2026, 1, 3)):
        log(employee, rule, when, officer)
    assert [v.occurrence for v in Violation.objects.order_by("occurred_at")] == [1, 2, 1]
    assert person_amounts(employee) == [Y("30.00"), Y("60.00"), Y("30.00")]


def test_counting_follows_rule_number_across_versions(officer):
    """A rule change never rewrites history; counting follows rulebook + number."""
    old = rule_of("service-management", 2)
    RulebookVersion.objects.filter(pk=old.version_id).update(effective_to=date(2025, 6, 30))
    new_version = RulebookVersion.objects.create(
        rulebook=old.version.rulebook, label="2025下半年版", effective_from=date(2025, 7, 1)
    )
    category = Category.objects.create(version=new_version, position=1, name="优质服务奖罚")
    Rule.objects.create(
        version=new_version,
        category=category,
        number="2",
        position=1,
        title="怪异发型、穿拖鞋",
        text="第一次罚款40元,第二次起80元。",
        schedule={
            "window": "calendar_year",
            "steps": [
                {"occurrence_from": 1, "charges": [{"basis": "fixed", "amount": "40"}]},
                {"occurrence_from": 2, "charges": [{"basis": "fixed", "amount": "80"}]},
            ],
        },
    )
    employee = person()
    first = log(employee, old, at(2025, 3, 5), officer)
    # The officer picks today's rule; the version in force on the day judges.
    second = log(employee, old, at(2025, 8, 5), officer)
    assert first.rulebook_version.label == "2024版"
    assert second.rulebook_version == new_version
    assert second.rule.version == new_version
    assert second.occurrence == 2
    assert person_amounts(employee) == [Y("30.00"), Y("80.00")]


def test_department_and_leader_and_supervisor_are_separate_penalties(officer):
    employee = person()
    water = log(employee, rule_of("water-utility", 1), at(2025, 3, 5), officer)
    assert sorted((p.party, p.employee_id, p.amount) for p in water.penalties.all()) == [
        ("department", None, Y("200.00")),
        ("employee", employee.pk, Y("20.00")),
    ]
    leader = person(department=employee.department)
    rescue = log(
        employee,
        rule_of("service-management", 5),
        at(2025, 3, 6),
        officer,
        second_party_employee=leader,
    )
    assert sorted((p.party, p.employee_id, p.amount) for p in rescue.penalties.all()) == [
        ("employee", employee.pk, Y("200.00")),
        ("leader", leader.pk, Y("400.00")),
    ]
    chief = person(department=employee.department)
    employee.supervisor = chief
    employee.save(update_fields=["supervisor"])
    bank = log(employee, rule_of("bank-points", 8), at(2025, 3, 7), officer)
    assert sorted((p.party, p.employee_id, p.amount, p.points) for p in bank.penalties.all()) == [
        ("employee", employee.pk, Y("1000.00"), 2),
        ("supervisor", chief.pk, Y("1000.00"), 0),
    ]


def test_refund_and_double_fine_are_two_penalties_of_different_money_kinds(officer):
    employee = person()
    violation = log(
        employee, rule_of("hospital-service", 19), at(2025, 3, 5), officer, involved_amount=Y("120")
    )
    assert sorted((p.money_kind, p.amount, p.is_primary) for p in violation.penalties.all()) == [
        ("compensation", Y("120.00"), True),
        ("fine", Y("240.00"), False),
    ]


def test_sanction_only_rule_gives_the_person_a_penalty_without_money(officer):
    employee = person()
    violation = log(
        employee,
        rule_of("moh-eight", 3),
        at(2025, 3, 5),
        officer,
        sanction_choice="public_criticism",
    )
    (penalty,) = violation.penalties.all()
    assert penalty.amount == 0 and penalty.money_kind == ""
    assert penalty.sanctions == ["public_criticism"]


def test_sanction_left_to_severity_must_be_chosen(officer):
    with pytest.raises(ValidationError) as exc:
        log(person(), rule_of("moh-eight", 3), at(2025, 3, 5), officer)
    assert "sanction_choice" in exc.value.error_dict
    assert Violation.objects.count() == 0


def test_heavy_sanction_needs_a_deputy_gm_and_big_amount_the_gm(officer):
    employee = person()
    dismissed = log(
        employee,
        rule_of("hospital-service", 22),
        at(2025, 3, 5),
        officer,
        involved_amount=Y("50"),
        sanction_choice="dismissal",
    )
    assert dismissed.penalties.get().required_tier == "deputy_gm"  # ¥500 but 解聘
    big = log(
        employee,
        rule_of("hospital-service", 25),
        at(2025, 3, 6),
        officer,
        involved_amount=Y("600"),
        sanction_choice="public_criticism",
    )
    assert big.penalties.get().required_tier == "gm"  # ¥6000


def test_points_come_off_the_yearly_budget_and_exhaustion_triggers_training(officer):
    rule = rule_of("bank-points", 8)  # 2 points a time, 12 a year
    chief = person()
    employee = person(supervisor=chief)
    logged = [log(employee, rule, at(2025, m, 2), officer) for m in range(1, 7)]
    balances = [v.quote["facts"]["points_balance"] for v in logged]
    assert balances == [12, 10, 8, 6, 4, 2]
    assert [bool(v.quote["triggered"]) for v in logged] == [False] * 5 + [True]
    assert logged[-1].quote["triggered"][0]["flag"] == "training"
    # A new year, a new budget.
    fresh = log(employee, rule, at(2026, 1, 5), officer)
    assert fresh.quote["facts"]["points_balance"] == 12


def test_department_complaints_in_half_year_fine_the_department_once_at_the_third(officer):
    rule = rule_of("water-utility", 2)
    department = DepartmentFactory()
    people = [person(department=department) for _ in range(3)]
    logged = [log(p, rule, at(2025, 2 + i, 10), officer) for i, p in enumerate(people)]
    fines = [v.penalties.get(party="department") for v in logged]
    assert [f.amount for f in fines] == [Y("200.00"), Y("200.00"), Y("1200.00")]
    # One department penalty per violation; the trigger's ¥1000 is its own line in it.
    assert [line["amount"] for line in fines[2].lines] == ["200.00", "1000.00"]
    assert fines[2].department == department


# --- back-dating and voiding -----------------------------------------------------------


def test_back_dated_violation_takes_its_number_and_renumbers_later_pending_ones(officer):
    rule = rule_of("customer-service", "10.2")  # 50, 100, then expulsion; by year
    employee = person()
    log(employee, rule, at(2025, 5, 1), officer)
    log(employee, rule, at(2025, 6, 1), officer)
    early = log(employee, rule, at(2025, 4, 1), officer)
    assert early.occurrence == 1
    assert [v.occurrence for v in Violation.objects.order_by("occurred_at")] == [1, 2, 3]
    amounts = person_amounts(employee)
    assert amounts == [Y("50.00"), Y("100.00"), Y("0.00")]
    third = Violation.objects.order_by("occurred_at").last()
    assert third.penalties.get(status="pending").sanctions == ["expulsion"]
    assert not Violation.objects.filter(needs_review=True).exists()


def test_back_dating_flags_an_already_approved_penalty_instead_of_repricing_it(officer, gm_user):
    rule = rule_of("service-management", 2)
    employee = person()
    later = log(employee, rule, at(2025, 6, 1), officer)
    Penalty.objects.filter(violation=later).update(
        status=PenaltyStatus.APPROVED, decided_by=gm_user, decided_at=timezone.now()
    )
    log(employee, rule, at(2025, 4, 1), officer)
    later.refresh_from_db()
    penalty = later.penalties.get()
    assert penalty.amount == Y("30.00")  # not silently re-priced
    assert penalty.status == PenaltyStatus.APPROVED
    assert later.needs_review and penalty.needs_review
    assert "2" in later.review_note and "¥60" in later.review_note
    assert later.occurrence == 1  # the approved judgement stands until reviewed


def test_voiding_stops_counting_and_restores_later_pending_amounts(officer):
    rule = rule_of("service-management", 2)
    employee = person()
    first = log(employee, rule, at(2025, 3, 1), officer)
    log(employee, rule, at(2025, 4, 1), officer)
    assert person_amounts(employee) == [Y("30.00"), Y("60.00")]
    voided = violation_void(violation=first, by=officer, reason="录入错误,员工当日休假")
    assert voided.status == "voided" and voided.voided_by == officer
    assert first.penalties.get().status == PenaltyStatus.VOIDED
    assert person_amounts(employee) == [Y("30.00")]
    assert Violation.objects.get(occurred_at=at(2025, 4, 1)).occurrence == 1
    with pytest.raises(ValidationError):
        violation_void(violation=voided, by=officer, reason="again")


def test_voiding_needs_a_reason_and_flags_approved_penalties(officer, gm_user):
    rule = rule_of("service-management", 3)
    violation = log(person(), rule, at(2025, 3, 1), officer)
    with pytest.raises(ValidationError) as exc:
        violation_void(violation=violation, by=officer, reason="  ")
    assert "reason" in exc.value.error_dict
    Penalty.objects.filter(violation=violation).update(
        status=PenaltyStatus.APPROVED, decided_by=gm_user
    )
    violation_void(violation=violation, by=officer, reason="重复录入")
    penalty = violation.penalties.get()
    assert penalty.status == PenaltyStatus.APPROVED and penalty.needs_review


# --- evidence --------------------------------------------------------------------------


def test_evidence_is_stored_by_content_with_a_hash_and_a_clean_name(officer):
    files = [
        upload("../../etc/现场照片.png", PNG, "image/png"),
        upload("scan.JPG", JPG, "image/jpeg"),
        upload("记录.pdf", PDF, "application/pdf"),
    ]
    violation = log(
        person(), rule_of("service-management", 3), at(2025, 3, 1), officer, evidence_files=files
    )
    rows = list(Evidence.objects.filter(violation=violation).order_by("pk"))
    assert [r.content_type for r in rows] == ["image/png", "image/jpeg", "application/pdf"]
    assert [r.original_name for r in rows] == ["现场照片.png", "scan.JPG", "记录.pdf"]
    assert rows[0].sha256 == hashlib.sha256(PNG).hexdigest()
    assert rows[0].size == len(PNG) and rows[0].uploaded_by == officer
    assert rows[0].file.name.startswith("evidence/") and rows[0].file.name.endswith(".png")
    assert "现场照片" not in rows[0].file.name
    assert len(media_files()) == 3


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload("fake.pdf", b"MZ\x90\x00 this is an exe")], "不是有效的 JPG、PNG 或 PDF"),
        ([BigUpload("huge.pdf", 50 * 1024 * 1024)], "超过 10 MB"),
        ([upload("empty.png", b"")], "空文件"),
    ],
    ids=["fake-pdf", "50mb", "empty"],
)
def test_bad_evidence_is_refused_before_anything_is_written(officer, files, message):
    good = upload("ok.png", PNG, "image/png")
    with pytest.raises(ValidationError) as exc:
        log(
            person(),
            rule_of("service-management", 3),
            at(2025, 3, 1),
            officer,
            evidence_files=[good, *files],
        )
    assert message in " ".join(exc.value.message_dict["evidence_files"])
    assert Violation.objects.count() == 0 and Penalty.objects.count() == 0
    assert media_files() == []


def test_a_failure_after_files_were_written_leaves_no_file(officer, monkeypatch):
    import conduct.services.violations as services

    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "violations_renumber_after", boom)
    with pytest.raises(RuntimeError):
        log(
            person(),
            rule_of("service-management", 3),
            at(2025, 3, 1),
            officer,
            evidence_files=[upload("ok.png", PNG, "image/png")],
        )
    assert Violation.objects.count() == 0
    assert media_files() == []


# --- bad input -------------------------------------------------------------------------


def test_future_time_is_refused(officer):
    with pytest.raises(ValidationError) as exc:
        log(
            person(),
            rule_of("service-management", 3),
            timezone.now() + timedelta(hours=2),
            officer,
        )
    assert "occurred_at" in exc.value.error_dict
    assert Violation.objects.count() == 0


def test_time_before_hire_date_is_refused(officer):
    employee = person(hire_date=date(2025, 6, 1))
    with pytest.raises(ValidationError) as exc:
        log(employee, rule_of("service-management", 3), at(2025, 5, 31), officer)
    assert "occurred_at" in exc.value.error_dict


def test_employee_who_has_left_is_refused(officer):
    employee = person(status=EmployeeStatus.LEFT, left_on=date(2025, 1, 31))
    with pytest.raises(ValidationError) as exc:
        log(employee, rule_of("service-management", 3), at(2025, 1, 10), officer)
    assert "employee" in exc.value.error_dict
    assert Violation.objects.count() == 0


def test_amount_outside_the_range_is_refused(officer):
    with pytest.raises(ValidationError) as exc:
        log(
            person(),
            rule_of("hospital-service", 8),
            at(2025, 3, 1),
            officer,
            chosen_amount=Y("600"),
        )
    assert "chosen_amount" in exc.value.error_dict
    assert "¥500" in exc.value.message_dict["chosen_amount"][0]
    assert Violation.objects.count() == 0


def test_missing_amount_involved_is_refused(officer):
    with pytest.raises(ValidationError) as exc:
        log(person(), rule_of("hospital-service", 22), at(2025, 3, 1), officer)
    assert "involved_amount" in exc.value.error_dict
    assert Violation.objects.count() == 0


def test_leader_must_be_named_when_the_rule_holds_one_liable(officer):
    with pytest.raises(ValidationError) as exc:
        log(person(), rule_of("service-management", 5), at(2025, 3, 1), officer)
    assert "second_party_employee" in exc.value.error_dict
    assert Violation.objects.count() == 0


# --- audit -------------------------------------------------------------------------------


def test_logging_voiding_and_renumbering_write_the_audit_trail(officer):
    from audit.models import AuditEntry

    rule = rule_of("service-management", 2)
    employee = person()
    later = log(employee, rule, at(2025, 6, 1), officer)
    entries = AuditEntry.objects.filter(object_type="conduct.violation", object_id=str(later.pk))
    assert [(e.action, e.actor) for e in entries] == [("create", officer)]
    penalty = later.penalties.get()
    created = AuditEntry.objects.get(object_type="penalties.penalty", object_id=str(penalty.pk))
    assert created.changes["amount"] == [None, "30.00"]
    early = log(employee, rule, at(2025, 4, 1), officer)  # later becomes the 2nd: ¥60
    repriced = AuditEntry.objects.filter(
        object_type="penalties.penalty", object_id=str(penalty.pk), action="update"
    ).get()
    assert repriced.changes["amount"] == ["30.00", "60.00"]
    violation_void(violation=early, by=officer, reason="录错")
    voided = AuditEntry.objects.get(
        object_type="conduct.violation", object_id=str(early.pk), action="transition"
    )
    assert voided.changes == {"status": ["active", "voided"]} and voided.comment == "录错"
