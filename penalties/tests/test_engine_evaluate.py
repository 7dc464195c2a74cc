"""A table of evaluations built from the seed regulations (domain.md §2), then the errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from penalties.engine import (
    Facts,
    Party,
    QuoteError,
    Window,
    evaluate,
    parse_schedule,
    window_bounds,
    window_label,
)
from penalties.engine.evaluate import (
    AMOUNT_ABOVE_MAX,
    AMOUNT_BELOW_MIN,
    AMOUNT_NOT_APPLICABLE,
    BAD_SANCTION_CHOICE,
    BONUS_REQUIRED,
    DIVISOR_INVALID,
    EXTRA_AMOUNT_NOT_APPLICABLE,
    FLOAT_INPUT,
    INVOLVED_REQUIRED,
    NEGATIVE_INPUT,
    OCCURRENCE_INVALID,
    QUANTITY_INVALID,
    SANCTION_CHOICE_CONFLICT,
    TRIGGER_COUNTS_MISMATCH,
    UNKNOWN_LEVEL,
    WAGE_REQUIRED,
)

D = Decimal

# --- schedules transcribed from the seeds -----------------------------------------------

HOSPITAL_RULE_1 = {"steps": [{"charges": [{"basis": "fixed", "amount": "50"}]}]}

HOSPITAL_RULE_11 = {
    "steps": [
        {
            "charges": [{"basis": "range", "min_amount": "100", "max_amount": "200"}],
            "levels": [
                {"code": "minor", "name": "情节较轻", "amount": "100"},
                {"code": "normal", "name": "情节一般", "amount": "150"},
                {"code": "serious", "name": "情节严重", "amount": "200"},
            ],
        }
    ]
}

HOSPITAL_RULE_19 = {
    "steps": [
        {
            "charges": [
                {
                    "basis": "involved_multiple",
                    "multiplier": "1",
                    "money_kind": "compensation",
                    "label": "退还多收费用",
                },
                {"basis": "involved_multiple", "multiplier": "2"},
            ]
        }
    ]
}

HOSPITAL_RULE_20 = {
    "steps": [
        {
            "sanctions": ["award_ineligible"],
            "sanction_choices": ["public_criticism", "removal_pending_rehire", "dismissal"],
            "levels": [
                {"code": "minor", "name": "情节较轻", "sanctions": ["public_criticism"]},
                {"code": "serious", "name": "情节严重", "sanctions": ["removal_pending_rehire"]},
                {"code": "grave", "name": "情节特别严重", "sanctions": ["dismissal"]},
            ],
        }
    ]
}

HOSPITAL_RULE_22 = {
    "steps": [
        {
            "charges": [{"basis": "involved_multiple", "multiplier": "10"}],
            "sanctions": ["award_ineligible"],
            "sanction_choices": ["public_criticism", "removal_pending_rehire", "dismissal"],
        }
    ]
}

SERVICE_ART_2 = {
    "window": "calendar_year",
    "steps": [
        {"occurrence_from": 1, "charges": [{"basis": "fixed", "amount": "30"}]},
        {"occurrence_from": 2, "charges": [{"basis": "fixed", "amount": "60"}]},
    ],
}

SERVICE_ART_5 = {
    "steps": [
        {
            "charges": [
                {"basis": "fixed", "amount": "200"},
                {"basis": "fixed", "amount": "400", "party": "leader", "label": "责任领导罚款"},
            ],
            "levels": [
                {"code": "normal", "name": "一般"},
                {"code": "serious", "name": "造成严重后果", "sanctions": ["discharge"]},
            ],
        }
    ]
}

PRIVATE_CALL = {
    "window": "calendar_year",
    "steps": [
        {"occurrence_from": 1, "charges": [{"basis": "fixed", "amount": "50"}]},
        {"occurrence_from": 2, "charges": [{"basis": "fixed", "amount": "100"}]},
        {"occurrence_from": 3, "sanctions": ["dismissal"], "consequences": ["当月工资全部扣除"]},
    ],
}

PERSONAL_LEAVE = {
    "steps": [
        {
            "charges": [
                {
                    "basis": "daily_wage_multiple",
                    "multiplier": "1",
                    "money_kind": "absence_cut",
                    "per_unit": True,
                },
                {"basis": "fixed", "amount": "30"},
            ]
        }
    ]
}

HOSPITALITY_ABSENCE = {
    "steps": [
        {
            "charges": [
                {
                    "basis": "daily_wage_multiple",
                    "multiplier": "3",
                    "money_kind": "absence_cut",
                    "per_unit": True,
                }
            ]
        }
    ],
    "triggers": [
        {
            "threshold": 3,
            "window": "rolling_days",
            "window_days": 3,
            "consequence": "连续旷工3天视为自动离职",
            "flag": "resignation",
        }
    ],
}

HOSPITALITY_PERSONAL_LEAVE = {
    "steps": [
        {
            "charges": [
                {"basis": "daily_wage_multiple", "multiplier": "1.5", "money_kind": "absence_cut"}
            ]
        }
    ]
}

SERVICE_BONUS_ATTITUDE = {
    "window": "calendar_year",
    "steps": [
        {"occurrence_from": 1, "sanctions": ["written_warning"]},
        {
            "occurrence_from": 2,
            "charges": [
                {"basis": "bonus_percent", "multiplier": "50", "money_kind": "bonus_reduction"}
            ],
        },
    ],
}

WATER_ART_1 = {
    "steps": [
        {
            "charges": [
                {"basis": "fixed", "amount": "20"},
                {
                    "basis": "fixed",
                    "amount": "200",
                    "party": "department",
                    "label": "部门连带罚款",
                },
            ]
        }
    ],
    "triggers": [
        {
            "threshold": 2,
            "window": "calendar_month",
            "consequence": "调离大厅,待岗",
            "sanctions": ["transfer_standby"],
            "flag": "transfer",
        }
    ],
}

WATER_ART_5 = {
    "steps": [
        {
            "charges": [
                {
                    "basis": "involved_percent",
                    "multiplier": "50",
                    "party": "department",
                    "label": "超出部分的二分之一",
                }
            ]
        }
    ]
}

WATER_ART_8 = {
    "steps": [
        {
            "charges": [
                {"basis": "fixed", "amount": "50", "per_unit": True},
                {
                    "basis": "range",
                    "min_amount": "100",
                    "max_amount": "500",
                    "party": "department",
                    "per_unit": True,
                },
            ]
        }
    ]
}

WATER_ART_10 = {
    "steps": [{"consequences": ["记录投诉"]}],
    "triggers": [
        {
            "threshold": 3,
            "window": "half_year",
            "consequence": "调离原岗位",
            "sanctions": ["transfer"],
            "flag": "transfer",
        },
        {
            "threshold": 3,
            "window": "half_year",
            "subject": "department",
            "scope": "rulebook",
            "consequence": "部门罚款",
            "charges": [{"basis": "fixed", "amount": "1000", "party": "department"}],
        },
    ],
}

BANK_LEVEL_ONE = {
    "steps": [{"charges": [{"basis": "fixed", "amount": "1000"}], "points": 2}],
    "triggers": [
        {
            "kind": "points_exhausted",
            "consequence": "诫勉谈话并离岗培训,培训期间工资450元,当月无绩效工资",
            "sanctions": ["admonition", "off_post_training"],
            "flag": "training",
        },
        {
            "threshold": 3,
            "window": "rolling_days",
            "window_days": 30,
            "scope": "rulebook",
            "consequence": "诫勉谈话并离岗培训,培训期间工资450元,当月无绩效工资",
            "sanctions": ["admonition", "off_post_training"],
            "flag": "training",
        },
    ],
}

CAFE_SHIFT = {
    "steps": [
        {
            "charges": [
                {"basis": "range", "min_amount": "20"},
                {
                    "basis": "person_multiple",
                    "multiplier": "2",
                    "party": "leader",
                    "label": "当班负责人连带罚款",
                },
            ]
        }
    ],
}

SERVICE_STAR = {
    "steps": [
        {
            "charges": [
                {
                    "basis": "monthly_wage_multiple",
                    "multiplier": "1",
                    "min_amount": "3000",
                    "money_kind": "reward",
                }
            ],
            "consequences": ['授予"优质服务之星"称号'],
        }
    ]
}

COMPLAINT_WITH_COMPENSATION = {
    "steps": [
        {
            "charges": [
                {"basis": "range", "min_amount": "80", "max_amount": "150"},
                {
                    "basis": "range",
                    "money_kind": "compensation",
                    "label": "赔偿损失",
                },
            ]
        }
    ]
}


@dataclass(frozen=True)
class Case:
    id: str
    schedule: dict[str, Any]
    facts: Facts
    lines: list[tuple[str, str, str]]  # party, money kind, amount
    sanctions: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    points: int = 0
    consequences: tuple[str, ...] = ()
    triggered: tuple[str, ...] = ()
    explanation: str | None = None
    level: str | None = None
    level_defaulted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


CASES = [
    Case(
        "hospital rule 1: ¥50 per occurrence",
        HOSPITAL_RULE_1,
        Facts(),
        [("employee", "fine", "50.00")],
        explanation="罚款¥50",
    ),
    Case(
        "hospital rule 11: no level given takes the lowest and says so",
        HOSPITAL_RULE_11,
        Facts(),
        [("employee", "fine", "100.00")],
        level="minor",
        level_defaulted=True,
        explanation='未指定情节,按最低档"情节较轻"计:罚款¥100(情节较轻)',
    ),
    Case(
        "hospital rule 11: serious level amount",
        HOSPITAL_RULE_11,
        Facts(level="serious"),
        [("employee", "fine", "200.00")],
        level="serious",
        explanation='按"情节严重"计:罚款¥200(情节严重)',
    ),
    Case(
        "hospital rule 11: the officer's amount wins over the level's",
        HOSPITAL_RULE_11,
        Facts(level="normal", amount=D("180")),
        [("employee", "fine", "180.00")],
        level="normal",
        explanation='按"情节一般"计:罚款¥180(区间¥100–200内确定)',
    ),
    Case(
        "hospital rule 19: refund the overcharge and fine twice it",
        HOSPITAL_RULE_19,
        Facts(involved=D("150")),
        [("employee", "compensation", "150.00"), ("employee", "fine", "300.00")],
        explanation="退还多收费用¥150;罚款,涉及金额¥150的2倍:¥300",
    ),
    Case(
        "hospital rule 20: sanction chosen by the level",
        HOSPITAL_RULE_20,
        Facts(level="serious"),
        [],
        sanctions=("removal_pending_rehire", "award_ineligible"),
        level="serious",
        explanation='按"情节严重"计:给予解职待聘、取消当年评优资格',
    ),
    Case(
        "hospital rule 22: 10x the amount received, choice still open",
        HOSPITAL_RULE_22,
        Facts(involved=D("300")),
        [("employee", "fine", "3000.00")],
        sanctions=("award_ineligible",),
        choices=("public_criticism", "removal_pending_rehire", "dismissal"),
        explanation=(
            "罚款,涉及金额¥300的10倍:¥3,000;给予取消当年评优资格;"
            "视情节从通报批评/解职待聘/解聘中选定处分"
        ),
    ),
    Case(
        "hospital rule 22: officer chooses the sanction",
        HOSPITAL_RULE_22,
        Facts(involved=D("300"), sanction_choice="dismissal"),
        [("employee", "fine", "3000.00")],
        sanctions=("dismissal", "award_ineligible"),
    ),
    Case(
        "service-management art.2: first ¥30",
        SERVICE_ART_2,
        Facts(occurrence=1),
        [("employee", "fine", "30.00")],
        explanation="第1次违反(本年度):罚款¥30",
    ),
    Case(
        "service-management art.2: second doubles to ¥60",
        SERVICE_ART_2,
        Facts(occurrence=2),
        [("employee", "fine", "60.00")],
        explanation="第2次违反(本年度),按第2次及以上标准:罚款¥60",
    ),
    Case(
        "service-management art.2: third stays ¥60",
        SERVICE_ART_2,
        Facts(occurrence=3),
        [("employee", "fine", "60.00")],
        explanation="第3次违反(本年度),按第2次及以上标准:罚款¥60",
    ),
    Case(
        "service-management art.5: employee ¥200 and leader ¥400",
        SERVICE_ART_5,
        Facts(level="normal"),
        [("employee", "fine", "200.00"), ("leader", "fine", "400.00")],
        level="normal",
        explanation='按"一般"计:罚款¥200;责任领导罚款¥400',
    ),
    Case(
        "service-management art.5: serious consequences discharge the employee",
        SERVICE_ART_5,
        Facts(level="serious"),
        [("employee", "fine", "200.00"), ("leader", "fine", "400.00")],
        sanctions=("discharge",),
        level="serious",
    ),
    Case(
        "customer-service private call: first ¥50",
        PRIVATE_CALL,
        Facts(occurrence=1),
        [("employee", "fine", "50.00")],
    ),
    Case(
        "customer-service private call: second ¥100",
        PRIVATE_CALL,
        Facts(occurrence=2),
        [("employee", "fine", "100.00")],
        explanation="第2次违反(本年度):罚款¥100",
    ),
    Case(
        "customer-service private call: third is dismissal with no pay that month",
        PRIVATE_CALL,
        Facts(occurrence=3),
        [],
        sanctions=("dismissal",),
        consequences=("当月工资全部扣除",),
        explanation="第3次违反(本年度),按第3次及以上标准:给予解聘;当月工资全部扣除",
    ),
    Case(
        "customer-service personal leave: a day's base pay and ¥30",
        PERSONAL_LEAVE,
        Facts(monthly_wage=D("2200")),
        [("employee", "absence_cut", "101.15"), ("employee", "fine", "30.00")],
        explanation="缺勤扣薪,日工资¥101.15(月薪¥2,200÷21.75)×1:¥101.15;罚款¥30",
    ),
    Case(
        "customer-service personal leave over two days",
        PERSONAL_LEAVE,
        Facts(monthly_wage=D("2200"), quantity=2),
        [("employee", "absence_cut", "202.30"), ("employee", "fine", "30.00")],
    ),
    Case(
        "hospitality personal leave: 1.5x the day's wage, rounded once at the end",
        HOSPITALITY_PERSONAL_LEAVE,
        Facts(monthly_wage=D("3000")),
        [("employee", "absence_cut", "206.90")],
        explanation="缺勤扣薪,日工资¥137.93(月薪¥3,000÷21.75)×1.5:¥206.90",
    ),
    Case(
        "hospitality absence: 3x the day's wage, not 3x a rounded day",
        HOSPITALITY_ABSENCE,
        Facts(monthly_wage=D("2500"), trigger_counts=(1,)),
        [("employee", "absence_cut", "344.83")],  # 114.94 x 3 would be 344.82
    ),
    Case(
        "hospitality absence: third day in a row flags resignation for HR",
        HOSPITALITY_ABSENCE,
        Facts(monthly_wage=D("2500"), trigger_counts=(3,)),
        [("employee", "absence_cut", "344.83")],
        triggered=("连续旷工3天视为自动离职",),
    ),
    Case(
        "service-bonus attitude: first is a warning",
        SERVICE_BONUS_ATTITUDE,
        Facts(occurrence=1, monthly_bonus=D("1000")),
        [],
        sanctions=("written_warning",),
    ),
    Case(
        "service-bonus attitude: second takes 50% of the bonus",
        SERVICE_BONUS_ATTITUDE,
        Facts(occurrence=2, monthly_bonus=D("1234.57")),
        [("employee", "bonus_reduction", "617.29")],  # 617.285 half-up
        explanation=(
            "第2次违反(本年度),按第2次及以上标准:扣减绩效/奖金,当月奖金¥1,234.57的50%:¥617.29"
        ),
    ),
    Case(
        "water-utility art.1: person ¥20 and department ¥200",
        WATER_ART_1,
        Facts(trigger_counts=(1,)),
        [("employee", "fine", "20.00"), ("department", "fine", "200.00")],
        explanation="罚款¥20;部门连带罚款¥200",
    ),
    Case(
        "water-utility art.1: second complaint in a month moves them off the hall",
        WATER_ART_1,
        Facts(trigger_counts=(2,)),
        [("employee", "fine", "20.00"), ("department", "fine", "200.00")],
        triggered=("调离大厅,待岗",),
        explanation="罚款¥20;部门连带罚款¥200;当月内累计2次,触发:调离大厅,待岗,给予调离待岗",
    ),
    Case(
        "water-utility art.5: half of the excess, half-up",
        WATER_ART_5,
        Facts(involved=D("1001.01")),
        [("department", "fine", "500.51")],
        explanation="部门超出部分的二分之一,涉及金额¥1,001.01的50%:¥500.51",
    ),
    Case(
        "water-utility art.8: per household, department at the minimum",
        WATER_ART_8,
        Facts(quantity=3),
        [("employee", "fine", "150.00"), ("department", "fine", "300.00")],
        explanation="罚款¥50×3:¥150;部门罚款¥100×3:¥300(未填写金额,按最低额¥100计)",
    ),
    Case(
        "water-utility art.8: per household, department amount chosen",
        WATER_ART_8,
        Facts(quantity=3, amount=D("200")),
        [("employee", "fine", "150.00"), ("department", "fine", "600.00")],
    ),
    Case(
        "water-utility art.10: third complaint in half a year, person and department",
        WATER_ART_10,
        Facts(trigger_counts=(3, 3)),
        [],
        consequences=("记录投诉",),
        triggered=("调离原岗位", "部门罚款"),
        extra={"triggered_lines": [("department", "fine", "1000.00")]},
    ),
    Case(
        "bank-points level one: ¥1000 and 2 points",
        BANK_LEVEL_ONE,
        Facts(points_balance=12, trigger_counts=(0, 1)),
        [("employee", "fine", "1000.00")],
        points=2,
        explanation="罚款¥1,000;扣2分",
    ),
    Case(
        "bank-points: the violation that uses the points up",
        BANK_LEVEL_ONE,
        Facts(points_balance=2, trigger_counts=(0, 1)),
        [("employee", "fine", "1000.00")],
        points=2,
        triggered=("诫勉谈话并离岗培训,培训期间工资450元,当月无绩效工资",),
    ),
    Case(
        "bank-points: third violation within 30 days",
        BANK_LEVEL_ONE,
        Facts(points_balance=10, trigger_counts=(0, 3)),
        [("employee", "fine", "1000.00")],
        points=2,
        triggered=("诫勉谈话并离岗培训,培训期间工资450元,当月无绩效工资",),
    ),
    Case(
        "bank-points: no budget, no exhaustion",
        BANK_LEVEL_ONE,
        Facts(points_balance=None, trigger_counts=(0, 2)),
        [("employee", "fine", "1000.00")],
        points=2,
    ),
    Case(
        "internet café: shift manager pays double the officer's fine",
        CAFE_SHIFT,
        Facts(amount=D("35")),
        [("employee", "fine", "35.00"), ("leader", "fine", "70.00")],
        explanation=("罚款¥35(经办人确定,不低于¥20);当班负责人连带罚款,当事人罚款¥35的2倍:¥70"),
    ),
    Case(
        "internet café: no amount given falls to the ¥20 floor",
        CAFE_SHIFT,
        Facts(),
        [("employee", "fine", "20.00"), ("leader", "fine", "40.00")],
    ),
    Case(
        "service star: at least the floor",
        SERVICE_STAR,
        Facts(monthly_wage=D("2500")),
        [("employee", "reward", "3000.00")],
        consequences=('授予"优质服务之星"称号',),
        explanation='奖励,月薪¥2,500×1:¥2,500,低于下限,按¥3,000计;授予"优质服务之星"称号',
    ),
    Case(
        "complaint with compensation: second range takes its extra amount",
        COMPLAINT_WITH_COMPENSATION,
        Facts(amount=D("100"), extra_amounts={1: D("456.70")}),
        [("employee", "fine", "100.00"), ("employee", "compensation", "456.70")],
    ),
    Case(
        "complaint with compensation: second range without amount is its minimum",
        COMPLAINT_WITH_COMPENSATION,
        Facts(),
        [("employee", "fine", "80.00"), ("employee", "compensation", "0.00")],
    ),
    Case(
        "half-up to the fen with a company divisor of 20 days",
        HOSPITALITY_PERSONAL_LEAVE,
        Facts(monthly_wage=D("1333.40"), daily_wage_divisor=D("20")),
        [("employee", "absence_cut", "100.01")],  # 66.67 x 1.5 = 100.005
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_seed_case(case: Case):
    quote = evaluate(parse_schedule(case.schedule), case.facts)

    assert [(ln.party.value, ln.money_kind.value, str(ln.amount)) for ln in quote.lines] == (
        case.lines
    )
    assert quote.sanctions == case.sanctions
    assert quote.sanction_choices == case.choices
    assert quote.points == case.points
    assert quote.consequences == case.consequences
    assert tuple(t.consequence for t in quote.triggered) == case.triggered
    assert quote.level == case.level
    assert quote.level_defaulted is case.level_defaulted
    if case.explanation is not None:
        assert quote.explanation == case.explanation
    if "triggered_lines" in case.extra:
        lines = [ln for t in quote.triggered for ln in t.charges]
        assert [
            (ln.party.value, ln.money_kind.value, str(ln.amount)) for ln in lines
        ] == case.extra["triggered_lines"]


def test_quote_helpers_sum_the_employee_and_rank_the_sanctions():
    quote = evaluate(parse_schedule(WATER_ART_1), Facts(trigger_counts=(2,)))
    assert quote.person_amount == D("20.00")
    assert quote.max_sanction_rank == 8  # 调离待岗 from the trigger
    (triggered,) = quote.triggered
    assert triggered.flag is not None and triggered.flag.value == "transfer"
    assert triggered.condition == "当月内累计2次"

    quote = evaluate(parse_schedule(PERSONAL_LEAVE), Facts(monthly_wage=D("2200")))
    assert quote.person_amount == D("131.15")
    assert quote.max_sanction_rank == 0


def test_money_lines_carry_their_label_and_basis():
    quote = evaluate(parse_schedule(SERVICE_ART_5), Facts(level="normal"))
    employee, leader = quote.lines
    assert employee.label == "罚款"
    assert leader.label == "责任领导罚款"
    assert leader.party is Party.LEADER
    assert leader.charge_index == 1


def _explained(charges: list[dict[str, Any]], **facts: Any) -> str:
    return evaluate(parse_schedule({"steps": [{"charges": charges}]}), Facts(**facts)).explanation


@pytest.mark.parametrize(
    ("charges", "facts", "explanation"),
    [
        (
            [
                {"basis": "fixed", "amount": "20", "label": "扣罚当事人20元/次"},
                {
                    "basis": "fixed",
                    "amount": "200",
                    "party": "department",
                    "label": "部门处罚200元/人次",
                },
            ],
            {},
            "罚款¥20;部门罚款¥200",
        ),
        (
            [{"basis": "range", "min_amount": "20", "label": "罚款20元起步,无封顶"}],
            {"amount": D("35")},
            "罚款¥35(经办人确定,不低于¥20)",
        ),
        (
            [
                {"basis": "fixed", "amount": "50", "per_unit": True, "label": "每户罚款"},
                {
                    "basis": "range",
                    "min_amount": "100",
                    "max_amount": "500",
                    "party": "department",
                    "per_unit": True,
                    "label": "每户罚款",
                },
            ],
            {"quantity": 3},
            "每户罚款¥50×3:¥150;部门每户罚款¥100×3:¥300(未填写金额,按最低额¥100计)",
        ),
        (
            [{"basis": "involved_multiple", "multiplier": "10", "label": "所收金额的10倍罚款"}],
            {"involved": D("300")},
            "罚款,所收金额¥300的10倍:¥3,000",
        ),
        (
            [
                {
                    "basis": "involved_multiple",
                    "multiplier": "10",
                    "money_kind": "compensation",
                    "label": "按成本10倍赔偿",
                }
            ],
            {"involved": D("35.5")},
            "赔偿,成本¥35.50的10倍:¥355",
        ),
        (
            [
                {
                    "basis": "involved_multiple",
                    "multiplier": "1",
                    "money_kind": "compensation",
                    "per_unit": True,
                    "label": "照价赔偿",
                }
            ],
            {"involved": D("40"), "quantity": 2},
            "照价赔偿,涉及金额¥40×2:¥80",
        ),
        (
            [
                {
                    "basis": "involved_percent",
                    "multiplier": "10",
                    "money_kind": "reward",
                    "label": "超额部分的10%",
                }
            ],
            {"involved": D("20000")},
            "奖励,超额部分¥20,000的10%:¥2,000",
        ),
        (
            [
                {
                    "basis": "bonus_percent",
                    "multiplier": "50",
                    "money_kind": "bonus_reduction",
                    "label": "扣除当月奖金的50%",
                }
            ],
            {"monthly_bonus": D("1000")},
            "扣减绩效/奖金,当月奖金¥1,000的50%:¥500",
        ),
        (
            [
                {
                    "basis": "daily_wage_multiple",
                    "multiplier": "1.5",
                    "money_kind": "absence_cut",
                    "label": "事假按1.5倍日工资扣除",
                }
            ],
            {"monthly_wage": D("4350")},
            "缺勤扣薪,日工资¥200(月薪¥4,350÷21.75)×1.5:¥300",
        ),
        (
            [
                {
                    "basis": "daily_wage_multiple",
                    "multiplier": "1",
                    "money_kind": "absence_cut",
                    "label": "无当天底薪",
                }
            ],
            {"monthly_wage": D("4350")},
            "无当天底薪,日工资¥200(月薪¥4,350÷21.75)×1:¥200",
        ),
        (
            [{"basis": "range", "label": "按医保规定罚款"}],
            {"amount": D("500")},
            "按医保规定罚款¥500(经办人确定)",
        ),
        (
            [
                {"basis": "range", "min_amount": "20"},
                {
                    "basis": "person_multiple",
                    "multiplier": "2",
                    "party": "leader",
                    "label": "当班经理连带责任,罚款翻倍",
                },
            ],
            {"amount": D("35")},
            "罚款¥35(经办人确定,不低于¥20);责任领导罚款,当事人罚款¥35的2倍:¥70",
        ),
    ],
)
def test_explanations_never_repeat_a_labels_amount(charges, facts, explanation):
    assert _explained(charges, **facts) == explanation


def test_money_lines_keep_the_label_for_the_notice():
    quote = evaluate(
        parse_schedule(
            {"steps": [{"charges": [{"basis": "fixed", "amount": "20", "label": "当事人罚款"}]}]}
        ),
        Facts(),
    )
    (line,) = quote.lines
    assert line.label == "当事人罚款"
    assert line.explanation == "罚款¥20"


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rulebooks"


def _fixture_schedules():
    for path in sorted(FIXTURES.glob("*.yaml")):
        book = yaml.safe_load(path.read_text(encoding="utf-8"))
        for version in book["versions"]:
            for category in version["categories"]:
                for rule in category["rules"]:
                    yield f"{book['code']} {rule['number']}", rule["schedule"]
            for reward in version.get("reward_types") or []:
                yield f"{book['code']} reward:{reward['code']}", reward["schedule"]


FIXTURE_SCHEDULES = dict(_fixture_schedules())
REPEATED_AMOUNT = re.compile(r"\d元[/每]|元/|元¥|次¥|户¥|座¥|元起步|无封顶|\(涉及金额的")


@pytest.mark.parametrize("name", sorted(FIXTURE_SCHEDULES))
def test_no_fixture_explanation_repeats_a_labels_amount(name):
    schedule = parse_schedule(FIXTURE_SCHEDULES[name])
    for step in schedule.steps:
        quote = evaluate(
            schedule,
            Facts(
                occurrence=step.occurrence_from,
                involved=D("100"),
                quantity=2,
                monthly_wage=D("4350"),
                monthly_bonus=D("1000"),
                trigger_counts=tuple(t.threshold or 0 for t in schedule.triggers),
                points_balance=0,
            ),
        )
        assert not REPEATED_AMOUNT.search(quote.explanation), quote.explanation


def test_amounts_are_decimal_with_two_places():
    quote = evaluate(parse_schedule(HOSPITAL_RULE_1), Facts())
    (line,) = quote.lines
    assert isinstance(line.amount, Decimal)
    assert line.amount.as_tuple().exponent == -2


# --- errors -----------------------------------------------------------------------------


def quote_error(schedule: dict[str, Any], facts: Facts) -> str:
    with pytest.raises(QuoteError) as info:
        evaluate(parse_schedule(schedule), facts)
    return str(info.value)


@pytest.mark.parametrize(
    ("schedule", "facts", "message"),
    [
        (
            HOSPITAL_RULE_11,
            Facts(amount=D("250")),
            AMOUNT_ABOVE_MAX.format(amount="¥250", high="¥200"),
        ),
        (
            HOSPITAL_RULE_11,
            Facts(amount=D("99")),
            AMOUNT_BELOW_MIN.format(amount="¥99", low="¥100"),
        ),
        (CAFE_SHIFT, Facts(amount=D("10")), AMOUNT_BELOW_MIN.format(amount="¥10", low="¥20")),
        (HOSPITAL_RULE_1, Facts(amount=D("50")), AMOUNT_NOT_APPLICABLE),
        (
            COMPLAINT_WITH_COMPENSATION,
            Facts(extra_amounts={0: D("100")}),
            EXTRA_AMOUNT_NOT_APPLICABLE.format(index=0),
        ),
        (HOSPITAL_RULE_19, Facts(), INVOLVED_REQUIRED),
        (WATER_ART_5, Facts(), INVOLVED_REQUIRED),
        (PERSONAL_LEAVE, Facts(), WAGE_REQUIRED),
        (SERVICE_STAR, Facts(), WAGE_REQUIRED),
        (SERVICE_BONUS_ATTITUDE, Facts(occurrence=2), BONUS_REQUIRED),
        (HOSPITAL_RULE_11, Facts(level="huge"), UNKNOWN_LEVEL.format(level="huge")),
        (HOSPITAL_RULE_1, Facts(level="minor"), UNKNOWN_LEVEL.format(level="minor")),
        (
            HOSPITAL_RULE_22,
            Facts(involved=D("1"), sanction_choice="expulsion"),
            BAD_SANCTION_CHOICE.format(code="expulsion"),
        ),
        (
            HOSPITAL_RULE_1,
            Facts(sanction_choice="dismissal"),
            BAD_SANCTION_CHOICE.format(code="dismissal"),
        ),
        (
            HOSPITAL_RULE_20,
            Facts(level="minor", sanction_choice="dismissal"),
            SANCTION_CHOICE_CONFLICT.format(chosen="通报批评", code="解聘"),
        ),
        (HOSPITAL_RULE_1, Facts(occurrence=0), OCCURRENCE_INVALID),
        (WATER_ART_8, Facts(quantity=0), QUANTITY_INVALID),
        (WATER_ART_1, Facts(), TRIGGER_COUNTS_MISMATCH.format(expected=1, actual=0)),
        (
            HOSPITAL_RULE_19,
            Facts(involved=150.0),  # type: ignore[arg-type]
            FLOAT_INPUT.format(name="涉及金额"),
        ),
        (HOSPITAL_RULE_19, Facts(involved=D("-1")), NEGATIVE_INPUT.format(name="涉及金额")),
        (PERSONAL_LEAVE, Facts(monthly_wage=D("3000"), daily_wage_divisor=D("0")), DIVISOR_INVALID),
    ],
)
def test_unusable_facts_raise_a_chinese_quote_error(schedule, facts, message):
    assert quote_error(schedule, facts) == message


@pytest.mark.parametrize(
    ("schedule", "facts", "field"),
    [
        (HOSPITAL_RULE_11, Facts(amount=D("250")), "amount"),
        (HOSPITAL_RULE_1, Facts(amount=D("50")), "amount"),
        (COMPLAINT_WITH_COMPENSATION, Facts(extra_amounts={0: D("100")}), "extra_amounts"),
        (HOSPITAL_RULE_19, Facts(), "involved"),
        (HOSPITAL_RULE_19, Facts(involved=D("-1")), "involved"),
        (PERSONAL_LEAVE, Facts(), "monthly_wage"),
        (SERVICE_BONUS_ATTITUDE, Facts(occurrence=2), "monthly_bonus"),
        (HOSPITAL_RULE_11, Facts(level="huge"), "level"),
        (HOSPITAL_RULE_1, Facts(sanction_choice="dismissal"), "sanction_choice"),
        (HOSPITAL_RULE_20, Facts(level="minor", sanction_choice="dismissal"), "sanction_choice"),
        (HOSPITAL_RULE_1, Facts(occurrence=0), "occurrence"),
        (WATER_ART_8, Facts(quantity=0), "quantity"),
        (
            PERSONAL_LEAVE,
            Facts(monthly_wage=D("3000"), daily_wage_divisor=D("0")),
            "daily_wage_divisor",
        ),
        (WATER_ART_1, Facts(), None),  # the facts do not fit the schedule: no one input
    ],
)
def test_quote_error_names_the_input_that_was_wrong(schedule, facts, field):
    with pytest.raises(QuoteError) as info:
        evaluate(parse_schedule(schedule), facts)
    assert info.value.field == field


def test_quote_error_field_defaults_to_none():
    assert QuoteError("请填写涉及金额").field is None


def test_quote_error_is_a_value_error():
    with pytest.raises(ValueError, match="请填写涉及金额"):
        evaluate(parse_schedule(HOSPITAL_RULE_19), Facts())


# --- counting windows -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "days", "on", "start"),
    [
        (Window.CALENDAR_MONTH, None, date(2026, 3, 15), date(2026, 3, 1)),
        (Window.CALENDAR_MONTH, None, date(2026, 3, 1), date(2026, 3, 1)),
        (Window.HALF_YEAR, None, date(2026, 6, 30), date(2026, 1, 1)),
        (Window.HALF_YEAR, None, date(2026, 8, 2), date(2026, 7, 1)),
        (Window.CALENDAR_YEAR, None, date(2026, 12, 31), date(2026, 1, 1)),
        (Window.ROLLING_DAYS, 30, date(2026, 3, 31), date(2026, 3, 2)),
        (Window.ROLLING_DAYS, 1, date(2026, 3, 31), date(2026, 3, 31)),
        (Window.ALL_TIME, None, date(2026, 3, 31), None),
    ],
)
def test_window_bounds_end_on_the_day_of_the_violation(window, days, on, start):
    assert window_bounds(window, days, on) == (start, on)


def test_rolling_window_needs_days():
    with pytest.raises(ValueError, match="滚动天数窗口必须给出不小于1的天数"):
        window_bounds(Window.ROLLING_DAYS, None, date(2026, 3, 31))


def test_window_labels():
    assert window_label(Window.CALENDAR_YEAR) == "本年度"
    assert window_label(Window.ROLLING_DAYS, 30) == "近30天"
    assert window_label(Window.ALL_TIME) == "累计"
