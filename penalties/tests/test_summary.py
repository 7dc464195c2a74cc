"""Plain-language Chinese summaries of schedules, and yuan display.

The table pins the wording for every basis, party, money kind, ladders, levels, triggers,
points and sanctions; the seed examples are read from ``fixtures/rulebooks`` so the
catalogue's own rules are pinned word for word; the last tests hold every fixture schedule
to what a notice board would never print (an amount twice, a bracket restating a label,
the note).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from penalties.engine import format_yuan, parse_schedule, summarize
from penalties.engine.summary import (
    label_is_informative,
    step_text,
    trigger_condition,
    trigger_text,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rulebooks"


def fixed(amount, **extra):
    return {"basis": "fixed", "amount": amount, **extra}


def one(*charges, **step):
    return {"steps": [{"charges": list(charges), **step} if charges else step]}


# --- every basis, money kind and party ---------------------------------------------------

CHARGES = [
    ("fixed fine", one(fixed("50")), "每次罚款¥50"),
    ("fixed compensation", one(fixed("80", money_kind="compensation")), "每次赔偿¥80"),
    (
        "fixed bonus reduction",
        one(fixed("100", money_kind="bonus_reduction")),
        "每次扣减奖金¥100",
    ),
    ("fixed absence cut", one(fixed("120", money_kind="absence_cut")), "每次扣薪¥120"),
    ("fixed reward has no 每次", one(fixed("500", money_kind="reward")), "奖励¥500"),
    ("cents", one(fixed("12.5")), "每次罚款¥12.50"),
    ("thousands", one(fixed("1000")), "每次罚款¥1,000"),
    (
        "range",
        one({"basis": "range", "min_amount": "100", "max_amount": "200"}),
        "罚款¥100–200,视情节轻重",
    ),
    (
        "range without a cap",
        one({"basis": "range", "min_amount": "20"}),
        "罚款¥20起(不设上限),视情节轻重",
    ),
    (
        "open range is the officer's amount, said once",
        one({"basis": "range"}),
        "罚款(金额由经办人确定)",
    ),
    (
        "open range named by its label",
        one({"basis": "range", "label": "按医保规定罚款"}),
        "按医保规定罚款",
    ),
    (
        "reward range is not by severity",
        one({"basis": "range", "min_amount": "300", "max_amount": "1000", "money_kind": "reward"}),
        "奖励¥300–1,000",
    ),
    (
        "involved multiple",
        one({"basis": "involved_multiple", "multiplier": "10"}),
        "涉及金额的10倍罚款",
    ),
    (
        "involved once, compensation",
        one({"basis": "involved_multiple", "multiplier": "1", "money_kind": "compensation"}),
        "按涉及金额赔偿",
    ),
    (
        "involved percent, reward",
        one({"basis": "involved_percent", "multiplier": "10", "money_kind": "reward"}),
        "奖励涉及金额的10%",
    ),
    (
        "involved percent, department",
        one({"basis": "involved_percent", "multiplier": "50", "party": "department"}),
        "所在部门按涉及金额的50%罚款",
    ),
    (
        "daily wage 1.5x, absence cut",
        one({"basis": "daily_wage_multiple", "multiplier": "1.5", "money_kind": "absence_cut"}),
        "扣1.5倍日工资",
    ),
    (
        "daily wage once",
        one({"basis": "daily_wage_multiple", "multiplier": "1", "money_kind": "absence_cut"}),
        "扣当日工资",
    ),
    (
        "monthly wage, fine",
        one({"basis": "monthly_wage_multiple", "multiplier": "3"}),
        "按本人3个月工资罚款",
    ),
    (
        "monthly wage reward with a floor",
        one(
            {
                "basis": "monthly_wage_multiple",
                "multiplier": "1",
                "min_amount": "3000",
                "money_kind": "reward",
            }
        ),
        "奖励本人月工资(不低于¥3,000)",
    ),
    (
        "bonus percent",
        one({"basis": "bonus_percent", "multiplier": "50", "money_kind": "bonus_reduction"}),
        "扣除当月奖金的50%",
    ),
    (
        "the whole bonus",
        one({"basis": "bonus_percent", "multiplier": "100", "money_kind": "bonus_reduction"}),
        "扣除当月全部奖金",
    ),
    (
        "person multiple for the leader",
        one(
            {"basis": "range", "min_amount": "20"},
            {"basis": "person_multiple", "multiplier": "2", "party": "leader"},
        ),
        "当事人罚款¥20起(不设上限),视情节轻重,责任领导连带罚款为当事人罚款的2倍",
    ),
    (
        "person multiple named by its label",
        one(
            fixed("50"),
            {
                "basis": "person_multiple",
                "multiplier": "2",
                "party": "leader",
                "label": "当班负责人连带罚款",
            },
        ),
        "当事人每次罚款¥50,当班负责人连带罚款为当事人罚款的2倍",
    ),
    ("department alone", one(fixed("200", party="department")), "所在部门每次罚款¥200"),
    ("supervisor alone", one(fixed("100", party="supervisor")), "直接主管每次罚款¥100"),
    ("leader alone", one(fixed("400", party="leader")), "责任领导每次罚款¥400"),
    (
        "person and department: each party named, the department per person",
        one(fixed("20"), fixed("200", party="department")),
        "当事人每次罚款¥20,所在部门每人次罚款¥200",
    ),
    (
        "the same money shared: 各",
        one(fixed("1000"), fixed("1000", party="supervisor")),
        "当事人及直接主管每次各罚款¥1,000",
    ),
    (
        "rewards share the verb",
        one(
            fixed("20", money_kind="reward"), fixed("200", money_kind="reward", party="department")
        ),
        "奖励本人¥20、所在部门¥200",
    ),
    (
        "per unit without a unit in the label",
        one(fixed("50", per_unit=True)),
        "罚款¥50(按数量计)",
    ),
    (
        "per unit named by the label",
        one(
            fixed("50", per_unit=True, label="每户罚款"),
            {
                "basis": "range",
                "min_amount": "100",
                "max_amount": "500",
                "party": "department",
                "per_unit": True,
                "label": "每户罚款",
            },
        ),
        "当事人每户罚款¥50,所在部门每户罚款¥100–500,视情节轻重",
    ),
]

LABELS = [
    (
        "a label repeating the amount is not read out",
        one(
            fixed("20", label="扣罚当事人20元/次"),
            fixed("200", party="department", label="部门处罚200元/人次"),
        ),
        "当事人每次罚款¥20,所在部门每人次罚款¥200",
    ),
    (
        "a label naming an occurrence is not read out",
        one(fixed("60", label="第二次及二次以上加倍处罚")),
        "每次罚款¥60",
    ),
    (
        "a label that says what the money is for is kept",
        one(
            fixed("200"),
            fixed("400", party="leader", label="属于领导安排错误的,对相应责任领导罚款"),
        ),
        "当事人每次罚款¥200,属于领导安排错误的,对相应责任领导罚款¥400",
    ),
    (
        "a reward fund named by its label",
        one(fixed("500", money_kind="reward", party="department", label="团队活动基金")),
        "奖励所在部门团队活动基金¥500",
    ),
    (
        "a labelled multiple: the label's base, no bracket",
        one({"basis": "involved_multiple", "multiplier": "10", "label": "所收金额的10倍罚款"}),
        "所收金额的10倍罚款",
    ),
    (
        "a label stating another multiple is not trusted",
        one({"basis": "involved_multiple", "multiplier": "3", "label": "所收金额的10倍罚款"}),
        "涉及金额的3倍罚款",
    ),
    (
        "a labelled refund (once) is the label alone",
        one(
            {
                "basis": "involved_multiple",
                "multiplier": "1",
                "money_kind": "compensation",
                "label": "退回多收金额",
            },
            {"basis": "involved_multiple", "multiplier": "2", "label": "多收金额的2倍罚款"},
        ),
        "退回多收金额,多收金额的2倍罚款",
    ),
    (
        "a labelled percent for a department",
        one(
            {
                "basis": "involved_percent",
                "multiplier": "50",
                "party": "department",
                "label": "超出部分余额的50%罚款",
            }
        ),
        "所在部门按超出部分余额的50%罚款",
    ),
    (
        "a labelled reward percent",
        one(
            {
                "basis": "involved_percent",
                "multiplier": "10",
                "money_kind": "reward",
                "label": "超额部分的10%",
            }
        ),
        "奖励超额部分的10%",
    ),
    (
        "wage and bonus bases say it all: their labels are not read out",
        one(
            {
                "basis": "daily_wage_multiple",
                "multiplier": "1.5",
                "money_kind": "absence_cut",
                "label": "事假按1.5倍日工资扣除",
            }
        ),
        "扣1.5倍日工资",
    ),
]

LEVELS_AND_SANCTIONS = [
    (
        "priced levels in a bracket",
        one(
            {"basis": "range", "min_amount": "100", "max_amount": "200"},
            levels=[
                {"code": "minor", "name": "情节较轻", "amount": "100"},
                {
                    "code": "serious",
                    "name": "情节严重",
                    "amount": "200",
                    "sanctions": ["suspension"],
                },
                {"code": "grave", "name": "情节恶劣", "sanctions": ["discharge"]},
                {"code": "none", "name": "情节轻微"},
            ],
        ),
        "罚款¥100–200,视情节轻重(情节较轻¥100;情节严重¥200并停职反省;情节恶劣:辞退;"
        "情节轻微:免予罚款)",
    ),
    (
        "levels without amounts: a clause for each that adds something",
        one(
            fixed("1000"),
            sanctions=["public_criticism", "award_ineligible"],
            levels=[
                {"code": "normal", "name": "一般"},
                {"code": "serious", "name": "情节较重", "sanctions": ["prescription_suspended"]},
                {
                    "code": "grave",
                    "name": "情节严重者",
                    "sanctions": ["standby"],
                    "consequences": ["调离原科室"],
                },
            ],
        ),
        "每次罚款¥1,000,并给予通报批评,取消当年评优资格,情节较重的给予停止处方权,"
        "情节严重者给予待岗、调离原科室",
    ),
    (
        "sanction choices; a side sanction is not 给予",
        one(
            {"basis": "involved_multiple", "multiplier": "10"},
            sanctions=["award_ineligible"],
            sanction_choices=["public_criticism", "removal_pending_rehire", "dismissal"],
        ),
        "涉及金额的10倍罚款,并取消当年评优资格,视情节给予通报批评/解职待聘/解聘",
    ),
    (
        "sanctions only",
        one(
            sanctions=["award_ineligible"],
            sanction_choices=["public_criticism", "removal_pending_rehire", "dismissal"],
        ),
        "取消当年评优资格,并视情节给予通报批评/解职待聘/解聘",
    ),
    (
        "choices settled by the levels are not listed twice",
        one(
            sanctions=["award_ineligible"],
            sanction_choices=["public_criticism", "dismissal"],
            levels=[
                {"code": "minor", "name": "情节较轻", "sanctions": ["public_criticism"]},
                {"code": "grave", "name": "情节严重", "sanctions": ["dismissal"]},
            ],
        ),
        "取消当年评优资格,情节较轻的给予通报批评,情节严重的给予解聘",
    ),
    (
        "a range with sanctions for everyone",
        one(
            {"basis": "range", "min_amount": "200", "max_amount": "1000"},
            sanctions=["public_criticism", "suspension_standby"],
        ),
        "罚款¥200–1,000,视情节轻重,并给予通报批评、停职待岗",
    ),
    ("points alone are each time", one(points=1), "每次扣1分"),
    ("money and points", one(fixed("1000"), points=2), "每次罚款¥1,000,扣2分"),
    ("text consequences", one(consequences=["当月工资全部扣除"]), "当月工资全部扣除"),
]

LADDERS = [
    (
        "two steps counted by year",
        {
            "window": "calendar_year",
            "steps": [
                {"occurrence_from": 1, "charges": [fixed("30")]},
                {"occurrence_from": 2, "charges": [fixed("60")]},
            ],
        },
        "第1次罚款¥30;第2次起每次罚款¥60(按年度计次)",
    ),
    (
        "by month",
        {
            "window": "calendar_month",
            "steps": [
                {"occurrence_from": 1, "charges": [fixed("10")]},
                {"occurrence_from": 2, "charges": [fixed("20")]},
            ],
        },
        "第1次罚款¥10;第2次起每次罚款¥20(按月计次,跨月不累计)",
    ),
    (
        "by half year",
        {
            "window": "half_year",
            "steps": [
                {"occurrence_from": 1, "sanctions": ["written_warning"]},
                {"occurrence_from": 2, "sanctions": ["demerit"]},
            ],
        },
        "第1次给予书面警告;第2次起给予记过(按半年计次,1–6月、7–12月)",
    ),
    (
        "rolling days",
        {
            "window": "rolling_days",
            "window_days": 30,
            "steps": [
                {"occurrence_from": 1, "points": 1},
                {"occurrence_from": 2, "points": 2},
            ],
        },
        "第1次扣1分;第2次起每次扣2分(按近30天计次)",
    ),
    (
        "three steps, the last a dismissal",
        {
            "window": "calendar_year",
            "steps": [
                {"occurrence_from": 1, "charges": [fixed("50")]},
                {"occurrence_from": 2, "charges": [fixed("100")]},
                {
                    "occurrence_from": 3,
                    "sanctions": ["dismissal"],
                    "consequences": ["当月工资全部扣除"],
                },
            ],
        },
        "第1次罚款¥50;第2次罚款¥100;第3次起给予解聘,当月工资全部扣除(按年度计次)",
    ),
    (
        "equal steps grouped",
        {
            "steps": [
                {"occurrence_from": 1, "sanctions": ["written_warning"]},
                {"occurrence_from": 2, "sanctions": ["written_warning"]},
                {"occurrence_from": 3, "sanctions": ["dismissal"]},
            ]
        },
        "第1–2次给予书面警告;第3次起给予解聘",
    ),
    (
        "grouped fines are each time",
        {
            "steps": [
                {"occurrence_from": 1, "charges": [fixed("50")]},
                {"occurrence_from": 2, "charges": [fixed("50")]},
                {"occurrence_from": 3, "charges": [fixed("100")]},
            ]
        },
        "第1–2次每次罚款¥50;第3次起每次罚款¥100",
    ),
    (
        "steps that restate their own number are grouped without it",
        {
            "window": "calendar_month",
            "steps": [
                {"occurrence_from": 1, "consequences": ["本月第1次迟到,记录在案"]},
                {"occurrence_from": 2, "consequences": ["本月第二次迟到,记录在案"]},
                {
                    "occurrence_from": 3,
                    "charges": [
                        {
                            "basis": "bonus_percent",
                            "multiplier": "20",
                            "money_kind": "bonus_reduction",
                        }
                    ],
                },
            ],
        },
        "第1–2次记录在案;第3次起扣除当月奖金的20%(按月计次,跨月不累计)",
    ),
]

COUNT_TRIGGERS = [
    (
        "count in a month; the sanction the text already names is not repeated",
        {
            "steps": [{"charges": [fixed("20")]}],
            "triggers": [
                {
                    "threshold": 2,
                    "window": "calendar_month",
                    "consequence": "调离大厅工作岗位待岗",
                    "sanctions": ["transfer_standby"],
                }
            ],
        },
        "每次罚款¥20;当月内累计2次:调离大厅工作岗位待岗",
    ),
    (
        "a clause restating the count is dropped; a sanction not named is added",
        {
            "steps": [{"points": 1}],
            "triggers": [
                {
                    "threshold": 4,
                    "window": "calendar_year",
                    "consequence": "屡教不改,超过三次,直接开除",
                    "sanctions": ["expulsion", "award_ineligible"],
                },
                {
                    "threshold": 2,
                    "window": "half_year",
                    "consequence": "半年内累计两次被投诉,调离工作岗位",
                    "sanctions": ["demerit"],
                },
            ],
        },
        "每次扣1分;本年度内累计4次:屡教不改,直接开除,取消当年评优资格;"
        "半年内累计2次:调离工作岗位,给予记过",
    ),
    (
        "department counted across the rulebook, with its own money",
        {
            "steps": [{"consequences": ["记入投诉档案"]}],
            "triggers": [
                {
                    "threshold": 3,
                    "window": "rolling_days",
                    "window_days": 30,
                    "subject": "department",
                    "scope": "rulebook",
                    "consequence": "通报全公司",
                    "charges": [fixed("1000", party="department")],
                },
            ],
        },
        "记入投诉档案;部门30天内累计3次(本制度各条合计):通报全公司,所在部门罚款¥1,000",
    ),
    (
        "money the text already states is not repeated",
        {
            "steps": [{"consequences": ["记入投诉档案"]}],
            "triggers": [
                {
                    "threshold": 3,
                    "window": "half_year",
                    "subject": "department",
                    "consequence": "部门半年内累计三次出现被投诉现象,对部门处罚1000元",
                    "charges": [fixed("1000", party="department", label="部门罚款")],
                },
            ],
        },
        "记入投诉档案;部门半年内累计3次:对部门处罚1000元",
    ),
    (
        "points exhausted or a count with the same outcome: one clause",
        {
            "steps": [{"charges": [fixed("1000")], "points": 2}],
            "triggers": [
                {
                    "kind": "points_exhausted",
                    "consequence": "积分扣完:诫勉谈话并离岗培训,当月无绩效工资",
                    "sanctions": ["admonition", "off_post_training"],
                    "charges": [
                        {
                            "basis": "bonus_percent",
                            "multiplier": "100",
                            "money_kind": "bonus_reduction",
                            "label": "当月无绩效工资",
                        }
                    ],
                },
                {
                    "threshold": 3,
                    "window": "rolling_days",
                    "window_days": 30,
                    "scope": "rulebook",
                    "consequence": "30天内持续违规三次:诫勉谈话并离岗培训,当月无绩效工资",
                    "sanctions": ["admonition", "off_post_training"],
                    "charges": [
                        {
                            "basis": "bonus_percent",
                            "multiplier": "100",
                            "money_kind": "bonus_reduction",
                            "label": "当月无绩效工资",
                        }
                    ],
                },
            ],
        },
        "每次罚款¥1,000,扣2分;积分扣完或30天内累计3次(本制度各条合计):"
        "诫勉谈话并离岗培训,当月无绩效工资",
    ),
    (
        "money of a trigger the text does not state",
        {
            "steps": [{"points": 2}],
            "triggers": [
                {
                    "kind": "points_exhausted",
                    "consequence": "离岗培训",
                    "sanctions": ["off_post_training"],
                    "charges": [
                        {
                            "basis": "bonus_percent",
                            "multiplier": "100",
                            "money_kind": "bonus_reduction",
                        }
                    ],
                }
            ],
        },
        "每次扣2分;积分扣完:离岗培训,扣除当月全部奖金",
    ),
]

TABLE = CHARGES + LABELS + LEVELS_AND_SANCTIONS + LADDERS + COUNT_TRIGGERS


@pytest.mark.parametrize(("case", "schedule", "summary"), TABLE, ids=[row[0] for row in TABLE])
def test_summary(case, schedule, summary):
    assert summarize(parse_schedule(schedule)) == summary


def test_the_note_is_not_part_of_the_summary():
    schedule = parse_schedule(
        {
            "note": "按《医疗机构管理条例实施细则》处理",
            "steps": [{"charges": [{"basis": "range"}], "sanctions": ["award_ineligible"]}],
        }
    )
    assert summarize(schedule) == "罚款(金额由经办人确定),并取消当年评优资格"
    assert schedule.note == "按《医疗机构管理条例实施细则》处理"


def test_a_step_and_a_trigger_on_their_own_for_the_rule_page():
    schedule = parse_schedule(
        {
            "steps": [{"charges": [fixed("20"), fixed("200", party="department")]}],
            "triggers": [
                {
                    "threshold": 2,
                    "window": "calendar_month",
                    "consequence": "一个月内累计被投诉两次(含两次),调离大厅工作岗位待岗",
                    "sanctions": ["transfer_standby"],
                }
            ],
        }
    )
    assert step_text(schedule.steps[0]) == "当事人罚款¥20,所在部门罚款¥200"
    assert step_text(schedule.steps[0], each=True) == "当事人每次罚款¥20,所在部门每人次罚款¥200"
    assert trigger_condition(schedule.triggers[0]) == "当月内累计2次"
    assert trigger_text(schedule.triggers[0]) == "当月内累计2次:调离大厅工作岗位待岗"


@pytest.mark.parametrize(
    ("label", "informative"),
    [
        ("扣罚当事人20元/次", False),
        ("部门处罚200元/人次", False),
        ("500-1000元/户", False),
        ("部门经济处罚", False),
        ("第二次及二次以上加倍处罚", False),
        ("罚款20元起步,无封顶", False),
        ("扣除当月奖金的50%", False),
        ("责任人罚款", False),
        ("相应科长罚款", False),
        ("", False),
        ("每户罚款", True),
        ("按医保规定罚款", True),
        ("退回多收金额", True),
        ("所收金额的10倍罚款", True),
        ("团队活动基金", True),
        ("当班经理连带罚款", True),
        ("属于领导安排错误的,对相应责任领导罚款", True),
    ],
)
def test_which_labels_say_more_than_the_data(label, informative):
    assert label_is_informative(label) is informative


# --- the seed examples, from the fixtures ------------------------------------------------


def _schedules():
    for path in sorted(FIXTURES.glob("*.yaml")):
        book = yaml.safe_load(path.read_text(encoding="utf-8"))
        for version in book["versions"]:
            for category in version["categories"]:
                for rule in category["rules"]:
                    yield book["code"], str(rule["number"]), rule["schedule"]
            for reward in version.get("reward_types") or []:
                yield book["code"], "reward:" + reward["code"], reward["schedule"]


ALL = {(code, number): data for code, number, data in _schedules()}


def fixture_summary(code: str, number: str) -> str:
    return summarize(parse_schedule(ALL[(code, number)]))


SEEDS = [
    (
        "hospital-service",
        "22",
        "所收金额的10倍罚款,并取消当年评优资格,视情节给予通报批评/解职待聘/解聘",
    ),
    ("hospital-service", "19", "退回多收金额,多收金额的2倍罚款"),
    ("hospital-service", "20", "取消当年评优资格,并视情节给予通报批评/解职待聘/解聘"),
    ("hospital-service", "21", "按医保规定罚款,追回所得款物,并给予处分,取消当年评优资格"),
    (
        "hospital-service",
        "23",
        "按《医疗机构管理条例实施细则》罚款,并取消当年评优资格,"
        "视情节给予口头警告/书面警告/通报批评/记过/记大过/停职反省/待岗/降职/解聘",
    ),
    (
        "hospital-service",
        "26",
        "每次罚款¥1,000,并给予通报批评,取消当年评优资格,"
        "情节较重的给予停止处方权,情节严重的给予待岗",
    ),
    ("hospital-service", "1", "每次罚款¥50"),
    ("hospital-service", "11", "罚款¥100–200,视情节轻重"),
    (
        "water-utility",
        "1",
        "当事人每次罚款¥20,所在部门每人次罚款¥200;当月内累计2次:调离大厅工作岗位待岗;"
        "半年内累计3次:调离工作岗位待岗(第10条);部门半年内累计3次:对部门处罚1000元(第10条)",
    ),
    ("water-utility", "5", "相关预决算人员罚款,所在部门按超出部分余额的50%罚款"),
    ("water-utility", "7", "所在部门每户罚款¥500–1,000,视情节轻重"),
    ("water-utility", "8", "当事人每户罚款¥50,所在部门每户罚款¥100–500,视情节轻重"),
    ("water-utility", "9", "所在部门每座罚款¥1,000"),
    ("water-utility", "reward:praise-comment-book", "奖励本人¥20、所在部门¥200"),
    (
        "hospitality",
        "4.1",
        "当事人罚款¥20起(不设上限),视情节轻重,当班经理连带罚款为当事人罚款的2倍;"
        "本年度内累计4次:屡教不改,情节严重者,直接开除,无当日工资",
    ),
    ("hospitality", "1.3(11)b", "按成本的10倍赔偿"),
    (
        "hospitality",
        "1.3(3)",
        "扣3倍日工资,扣全勤奖;3天内累计3次:作自动离职处理,不发放任何工资",
    ),
    ("service-management", "2", "第1次罚款¥30;第2次起每次罚款¥60(按年度计次)"),
    (
        "service-management",
        "4",
        "罚款¥80–150,视情节轻重(一般情节¥80并向客户赔礼道歉;情节严重¥150并待岗反省;"
        "特别恶劣:辞退),造成损失的赔偿相应损失",
    ),
    (
        "service-management",
        "5",
        "当事人每次罚款¥200,属于领导安排错误的,对相应责任领导罚款¥400,"
        "造成严重后果的给予辞退、责任领导引咎辞职",
    ),
    ("service-management", "reward:service-star", "奖励本人月工资,授予“优质服务之星”称号"),
    (
        "service-bonus",
        "4.2",
        "第1–3次记录在案,不扣奖金;第4次扣除当月奖金的20%;"
        "第5次起本月已按累计迟到超过3次扣除当月奖金的20%,不重复扣除(按月计次,跨月不累计)",
    ),
    ("service-bonus", "5", "扣除当月全部奖金,情节严重的给予解聘、解除劳动合同"),
    ("service-bonus", "reward:teamwork", "奖励所在部门团队活动基金¥500"),
    ("service-bonus", "reward:over-target", "奖励超额部分的10%"),
    (
        "bank-points",
        "8",
        "当事人及直接主管每次各罚款¥1,000,扣2分;积分扣完或30天内累计3次(本制度各条合计):"
        "主任对其戒勉谈话,并下岗培训,培训期间工资450元,不参加当月绩效工资分派,"
        "直到通过考核后重新上岗,给予诫勉谈话、离岗培训",
    ),
    (
        "customer-service",
        "10.2",
        "第1次罚款¥50;第2次罚款¥100;第3次起给予开除,当月工资全部扣除(按年度计次)",
    ),
    ("customer-service", "10.6", "扣2倍日工资;当月内累计3次:属于自动辞职,无当月工资"),
    (
        "moh-eight",
        "1",
        "视情节给予通报批评/取消当年评优资格/取消当年评职称资格/缓聘/解职待聘/解聘",
    ),
]


@pytest.mark.parametrize(
    ("code", "number", "summary"), SEEDS, ids=[f"{c} {n}" for c, n, _ in SEEDS]
)
def test_seed_summary(code, number, summary):
    assert fixture_summary(code, number) == summary


# What a well-edited notice never prints.
NEVER = [
    (re.compile(r"\d元[/每]|元/|元起步|无封顶"), "a label's amount beside the amount"),
    (re.compile(r"元¥|次¥|户¥|座¥"), "an amount right after a label's amount"),
    (re.compile(r"\(涉及金额的"), "a bracket restating a labelled multiple"),
    (re.compile(r"视情况确定,视情节|录入\)"), "an officer's amount said twice"),
    (re.compile(r"给予取消"), "给予 before a side sanction"),
    (re.compile(r"第\d+次(?:起)?(?:每次)?[^;]*第\d+次"), "a step restating its number"),
    (re.compile(r"每次每|每次各每"), "每次 twice"),
    (re.compile(r"[,;:]{2}|^[,;:]|[,;:]$"), "stray punctuation"),
]


@pytest.mark.parametrize(("code", "number"), sorted(ALL), ids=[f"{c} {n}" for c, n in sorted(ALL)])
def test_fixture_summary_reads_like_a_notice(code, number):
    schedule = parse_schedule(ALL[(code, number)])
    text = summarize(schedule)
    assert text
    for pattern, what in NEVER:
        if pattern.pattern.startswith(r"第\d+次") and code == "service-bonus" and number == "4.2":
            continue  # its last step's own text names the 3rd occurrence
        assert not pattern.search(text), f"{what}: {text}"
    if schedule.note:
        assert schedule.note not in text
    conditions = [part.split(":", 1)[0] for part in text.split(";") if ":" in part]
    assert len(conditions) == len(set(conditions)), text


def test_every_fixture_schedule_is_covered():
    assert len(ALL) == 116


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1000", "¥1,000"),
        ("1000.00", "¥1,000"),
        ("12.5", "¥12.50"),
        ("0", "¥0"),
        ("1234567.891", "¥1,234,567.89"),
        ("0.005", "¥0.01"),
    ],
)
def test_format_yuan(amount, text):
    assert format_yuan(Decimal(amount)) == text
