"""``penalty_quote`` gives every seed example of domain.md §2 its digest amount.

The table SEED_EXAMPLES is shared with the form's preview test
(conduct/tests/test_violation_preview.py): the same amounts through both doors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conduct.tests.test_violation_support import load_rulebook, person

pytestmark = pytest.mark.django_db

ON = "2025-06-16"
CODES = (
    "hospital-service",
    "moh-eight",
    "service-management",
    "service-bonus",
    "water-utility",
    "bank-points",
    "customer-service",
    "hospitality",
)


@dataclass(frozen=True)
class Example:
    """One seed example: the rule, the officer's inputs, what the digest says follows."""

    rulebook: str
    rule: str
    amount: str  # the person's amount
    severity: str | None = None
    chosen: str | None = None
    involved: str | None = None
    quantity: int = 1
    occurrence: int | None = None
    second: tuple[tuple[str, str], ...] = ()  # (party, amount)
    sanctions: frozenset[str] = frozenset()  # at least these
    choices: frozenset[str] = frozenset()  # still to choose
    points: int = 0
    flags: tuple[str, ...] = ()  # triggered flags
    tier: str | None = None
    says: str = ""  # in the explanation
    id: str = field(default="")

    @property
    def name(self) -> str:
        return self.id or f"{self.rulebook}-{self.rule}" + (
            f"-n{self.occurrence}" if self.occurrence else ""
        )


E = Example
HOSPITAL_SEVERE = frozenset({"public_criticism", "removal_pending_rehire", "dismissal"})

# The person earns 4350 a month (¥200 a day at 21.75) with a 1000 monthly bonus.
SEED_EXAMPLES: list[Example] = [
    # A. hospital-service
    E("hospital-service", "1", "50.00"),
    E("hospital-service", "29", "50.00"),
    E("hospital-service", "30", "50.00"),
    E("hospital-service", "2", "150.00", chosen="150"),
    E("hospital-service", "11", "100.00", says="按最低额¥100计", id="hospital-11-lowest"),
    E("hospital-service", "13", "200.00", chosen="200"),
    E("hospital-service", "8", "500.00", chosen="500"),
    E("hospital-service", "14", "200.00"),
    E("hospital-service", "18", "200.00"),
    E("hospital-service", "19", "360.00", involved="120", says="¥240"),
    E(
        "hospital-service",
        "20",
        "0.00",
        sanctions=frozenset({"award_ineligible"}),
        choices=HOSPITAL_SEVERE,
    ),
    E("hospital-service", "21", "300.00", chosen="200", involved="100"),
    E(
        "hospital-service",
        "22",
        "5000.00",
        involved="500",
        choices=HOSPITAL_SEVERE,
        tier="deputy_gm",
    ),
    E("hospital-service", "24", "1000.00", chosen="1000"),
    E("hospital-service", "25", "1000.00", involved="100"),
    E(
        "hospital-service",
        "26",
        "1000.00",
        sanctions=frozenset({"public_criticism", "award_ineligible"}),
        tier="department_head",
    ),
    E(
        "hospital-service",
        "27",
        "1000.00",
        severity="serious",
        sanctions=frozenset({"public_criticism", "prescription_suspended"}),
        tier="deputy_gm",
    ),
    E(
        "hospital-service",
        "28",
        "200.00",
        sanctions=frozenset({"public_criticism", "suspension_standby"}),
    ),
    E("moh-eight", "3", "0.00", choices=frozenset({"public_criticism", "dismissal"})),
    # B. service-management
    E("service-management", "1", "50.00", says="未指定情节", id="mgmt-1-lowest"),
    E(
        "service-management",
        "1",
        "100.00",
        severity="quarrel",
        sanctions=frozenset({"standby_reflection"}),
        id="mgmt-1-quarrel",
    ),
    E(
        "service-management",
        "1",
        "0.00",
        severity="serious",
        sanctions=frozenset({"discharge"}),
        id="mgmt-1-serious",
    ),
    E("service-management", "2", "30.00", occurrence=1),
    E("service-management", "2", "60.00", occurrence=2),
    E("service-management", "2", "60.00", occurrence=3),
    E("service-management", "3", "50.00"),
    E("service-management", "4", "80.00"),
    E("service-management", "4", "150.00", severity="serious", id="mgmt-4-serious"),
    E("service-management", "5", "200.00", second=(("leader", "400.00"),)),
    E("service-management", "6", "100.00", sanctions=frozenset({"post_suspension"})),
    E("service-management", "7", "50.00"),
    # C. service-bonus (monthly bonus 1000)
    E("service-bonus", "1", "0.00", occurrence=1, sanctions=frozenset({"written_warning"})),
    E("service-bonus", "1", "500.00", occurrence=2),
    E("service-bonus", "2", "250.00", chosen="150"),
    E("service-bonus", "3", "300.00", occurrence=2),
    E("service-bonus", "4.1", "200.00"),
    E("service-bonus", "4.2", "0.00", occurrence=3),
    E("service-bonus", "4.2", "200.00", occurrence=4),
    E("service-bonus", "4.2", "0.00", occurrence=5),
    E("service-bonus", "5", "1000.00"),
    # D. water-utility
    E("water-utility", "1", "20.00", second=(("department", "200.00"),)),
    E("water-utility", "2", "100.00", second=(("department", "200.00"),)),
    E("water-utility", "3", "0.00", chosen="300", second=(("department", "300.00"),)),
    E("water-utility", "4", "0.00", chosen="1000", second=(("department", "1000.00"),)),
    E(
        "water-utility",
        "5",
        "100.00",
        chosen="100",
        involved="3000",
        second=(("department", "1500.00"),),
        tier="deputy_gm",
    ),
    E("water-utility", "6", "0.00", chosen="500", second=(("department", "500.00"),)),
    E(
        "water-utility",
        "7",
        "0.00",
        chosen="600",
        quantity=2,
        second=(("department", "1200.00"),),
        tier="deputy_gm",
    ),
    E(
        "water-utility",
        "8",
        "150.00",
        quantity=3,
        second=(("department", "300.00"),),
    ),
    E(
        "water-utility",
        "9",
        "0.00",
        quantity=2,
        second=(("department", "2000.00"),),
        tier="deputy_gm",
    ),
    # E. bank-points (the supervisor is on file)
    E(
        "bank-points",
        "8",
        "1000.00",
        second=(("supervisor", "1000.00"),),
        points=2,
    ),
    E("bank-points", "3", "0.00", points=1),
    # F. customer-service (¥200 a day)
    E("customer-service", "10.1", "10.00"),
    E("customer-service", "10.2", "50.00", occurrence=1),
    E("customer-service", "10.2", "100.00", occurrence=2),
    E("customer-service", "10.2", "0.00", occurrence=3, sanctions=frozenset({"expulsion"})),
    E("customer-service", "10.3", "10.00"),
    E("customer-service", "10.4", "230.00"),
    E("customer-service", "10.5", "10.00"),
    E("customer-service", "10.6", "400.00"),
    E("customer-service", "10.8", "10.00", occurrence=1),
    E("customer-service", "10.8", "20.00", occurrence=2),
    E("customer-service", "10.8", "20.00", occurrence=3),
    E("customer-service", "6.6", "10.00"),
    E("customer-service", "6.2", "20.00"),
    E("customer-service", "6.5", "10.00"),
    # G. hospitality
    E("hospitality", "1.1", "10.00"),
    E("hospitality", "1.2", "50.00"),
    E("hospitality", "1.3(1)", "10.00", says="未指定情节", id="hotel-late-lowest"),
    E("hospitality", "1.3(1)", "20.00", severity="within_30", id="hotel-late-30"),
    E("hospitality", "1.3(1)", "50.00", severity="within_60", id="hotel-late-60"),
    E("hospitality", "1.3(2)a", "300.00"),
    E("hospitality", "1.3(2)b", "200.00"),
    E("hospitality", "1.3(3)", "600.00"),
    E("hospitality", "1.3(4)", "20.00"),
    E("hospitality", "1.3(6)", "5.00"),
    E("hospitality", "1.3(8)", "50.00"),
    E("hospitality", "1.3(9)", "30.00"),
    E("hospitality", "1.3(11)b", "355.00", involved="35.5"),
    E("hospitality", "4.2", "50.00", chosen="50", second=(("leader", "100.00"),)),
    E(
        "hospitality",
        "4.2",
        "20.00",
        occurrence=4,
        second=(("leader", "40.00"),),
        flags=("dismissal_review",),
        sanctions=frozenset(),
    ),
    E("hospitality", "12.17", "10.00"),
]


@pytest.fixture
def quoted_person(db):
    load_rulebook("hospital-service")
    chief = person(employee_no="Q0001", name="科长")
    return person(employee_no="Q0002", name="钱多多", supervisor=chief)


def quote(*args: str) -> dict:
    out = StringIO()
    call_command("penalty_quote", *args, stdout=out)
    return json.loads(out.getvalue())


def example_args(example: Example, employee_no: str = "Q0002") -> list[str]:
    args = ["--rulebook", example.rulebook, "--rule", example.rule]
    args += ["--employee", employee_no, "--on", ON]
    if example.severity:
        args += ["--severity", example.severity]
    if example.chosen:
        args += ["--amount", example.chosen]
    if example.involved:
        args += ["--involved", example.involved]
    if example.occurrence:
        args += ["--occurrence", str(example.occurrence)]
    if example.quantity != 1:
        args += ["--quantity", str(example.quantity)]
    return args


def check_preview(result: dict, example: Example) -> None:
    """The assertions both doors share (command JSON and form preview JSON)."""
    assert result["amount"] == example.amount
    if example.occurrence:
        assert result["occurrence"] == example.occurrence
    assert sorted((p["party"], p["amount"]) for p in result["second_parties"]) == sorted(
        example.second
    )
    assert example.sanctions <= set(result["sanctions"])
    assert example.choices <= set(result["sanction_choices"])
    assert result["points"] == example.points
    assert [t["flag"] for t in result["triggers"]] == list(example.flags)
    if example.tier:
        assert result["approval_tier"] == example.tier
    assert example.says in result["explanation"]


KEYS = {
    "occurrence",
    "amount",
    "money_kind",
    "sanctions",
    "points",
    "second_parties",
    "triggers",
    "approval_tier",
    "explanation",
}


@pytest.mark.parametrize("example", SEED_EXAMPLES, ids=[e.name for e in SEED_EXAMPLES])
def test_seed_example_through_penalty_quote(quoted_person, example):
    load_rulebook(example.rulebook)
    result = quote(*example_args(example))
    assert KEYS <= set(result)
    assert isinstance(result["amount"], str) and result["amount"].count(".") == 1
    assert len(result["amount"].split(".")[1]) == 2
    check_preview(result, example)


def test_quote_without_occurrence_counts_the_records(quoted_person, hr_user):
    from conduct.services.violations import violation_log
    from conduct.tests.test_violation_support import at, rule_of

    rule = rule_of("customer-service", "10.8")  # late: ¥10, from the 2nd in a month ¥20
    violation_log(employee=quoted_person, rule=rule, occurred_at=at(2025, 6, 3), logged_by=hr_user)
    args = ["--rulebook", "customer-service", "--rule", "10.8", "--employee", "Q0002"]
    assert quote(*args, "--on", "2025-06-16")["occurrence"] == 2
    assert quote(*args, "--on", "2025-06-16")["amount"] == "20.00"
    # 跨月不累计: next month starts again; the month before knows nothing of June.
    assert quote(*args, "--on", "2025-07-01")["amount"] == "10.00"
    assert quote(*args, "--on", "2025-06-02")["occurrence"] == 1


def test_json_shape(quoted_person):
    load_rulebook("service-management")
    result = quote(*example_args(SEED_EXAMPLES[0]))
    assert result["money_kind"] == "fine"
    assert result["approval_tier"] == "department_head"
    assert result["second_parties"] == [] and result["triggers"] == []
    leader = quote(
        "--rulebook", "service-management", "--rule", "5", "--employee", "Q0002", "--on", ON
    )
    assert leader["second_parties"][0]["party"] == "leader"
    assert leader["second_parties"][0]["amount"] == "400.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rule", "8", "--amount", "600"], "¥500"),
        (["--rule", "8", "--amount", "50"], "¥100"),
        (["--rule", "22"], "涉及金额"),
        (["--rule", "26", "--severity", "nonsense"], "nonsense"),
        (["--rule", "99"], "第99条"),
        (["--rule", "1", "--amount", "abc"], "abc"),
    ],
    ids=["above-range", "below-range", "missing-involved", "bad-level", "no-rule", "bad-amount"],
)
def test_bad_input_is_refused_with_a_chinese_error(quoted_person, args, message):
    base = ["--rulebook", "hospital-service", "--employee", "Q0002", "--on", ON]
    with pytest.raises(CommandError) as exc:
        quote(*base, *args)
    assert message in str(exc.value)


def test_unknown_employee_rulebook_or_date_is_an_error(quoted_person):
    base = ["--rule", "1", "--on", ON]
    with pytest.raises(CommandError, match="工号"):
        quote("--rulebook", "hospital-service", "--employee", "NOPE", *base)
    with pytest.raises(CommandError, match="规章制度"):
        quote("--rulebook", "nope", "--employee", "Q0002", *base)
    with pytest.raises(CommandError, match="生效"):
        quote(
            "--rulebook",
            "hospital-service",
            "--employee",
            "Q0002",
            "--rule",
            "1",
            "--on",
            "2023-12-31",
        )
