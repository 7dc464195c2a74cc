"""Validation and round trip of the schedule format (docs/schedule-format.md)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import yaml

from penalties.engine import (
    Basis,
    Flag,
    MoneyKind,
    Party,
    ScheduleError,
    TriggerKind,
    Window,
    parse_schedule,
    schedule_to_dict,
)
from penalties.engine.sanctions import SANCTIONS, get_sanction, ladder_order, max_rank


def fixed(amount: str, **extra: object) -> dict[str, object]:
    return {"basis": "fixed", "amount": amount, **extra}


def errors_of(data: object) -> list[tuple[str, str]]:
    with pytest.raises(ScheduleError) as info:
        parse_schedule(data)
    return info.value.errors


def test_minimal_schedule_takes_the_documented_defaults():
    schedule = parse_schedule({"steps": [{"charges": [fixed("50")]}]})

    assert schedule.window is Window.ALL_TIME
    assert schedule.triggers == ()
    assert schedule.note == ""
    (step,) = schedule.steps
    assert step.occurrence_from == 1
    (charge,) = step.charges
    assert charge.basis is Basis.FIXED
    assert charge.money_kind is MoneyKind.FINE
    assert charge.party is Party.EMPLOYEE
    assert charge.amount == Decimal("50")
    assert charge.per_unit is False


def test_range_min_defaults_to_zero_and_max_to_no_cap():
    schedule = parse_schedule({"steps": [{"charges": [{"basis": "range"}]}]})
    charge = schedule.steps[0].charges[0]
    assert charge.min_amount == 0
    assert charge.max_amount is None


def test_min_above_max_names_the_path():
    data = {
        "steps": [
            {"charges": [fixed("30")]},
            {
                "occurrence_from": 2,
                "charges": [{"basis": "range", "min_amount": "200", "max_amount": "100"}],
            },
        ]
    }
    with pytest.raises(ScheduleError) as info:
        parse_schedule(data)
    assert info.value.errors == [("steps[1].charges[0].max_amount", "最高金额不能低于最低金额")]
    assert str(info.value) == "steps[1].charges[0].max_amount: 最高金额不能低于最低金额"


def test_schedule_error_is_a_value_error():
    with pytest.raises(ValueError, match="必填"):
        parse_schedule({})


@pytest.mark.parametrize(
    ("charge", "path", "message"),
    [
        (fixed("-1"), "amount", "金额不能为负数"),
        ({"basis": "range", "min_amount": "-5"}, "min_amount", "金额不能为负数"),
        (fixed("1.005"), "amount", "金额最多保留两位小数(到分)"),
        (fixed("abc"), "amount", '金额格式不正确,请写成字符串,如 "50" 或 "0.5"'),
        (fixed("NaN"), "amount", '金额格式不正确,请写成字符串,如 "50" 或 "0.5"'),
        (
            {"basis": "fixed", "amount": 0.5},
            "amount",
            '金额请写成字符串(如 "0.5"),不能用小数浮点数',
        ),
        ({"basis": "fixed"}, "amount", "必填"),
        ({"basis": "involved_multiple"}, "multiplier", "必填"),
        ({"basis": "involved_multiple", "multiplier": "0"}, "multiplier", "倍数必须大于零"),
        ({"basis": "involved_multiple", "multiplier": "-2"}, "multiplier", "倍数必须大于零"),
        (fixed("50", multiplier="2"), "multiplier", "计算方式 fixed 不使用此字段"),
        (
            {"basis": "daily_wage_multiple", "multiplier": "1", "max_amount": "9"},
            "max_amount",
            "计算方式 daily_wage_multiple 不使用此字段",
        ),
        (fixed("50", per_unit="yes"), "per_unit", "应为 true 或 false"),
        (fixed("50", money_kind="tip"), "money_kind", "取值无效,可选:" + ", ".join(MoneyKind)),
        (fixed("50", party="boss"), "party", "取值无效,可选:" + ", ".join(Party)),
        (fixed("50", amout="5"), "amout", "未知字段"),
    ],
)
def test_bad_charge_fields_are_reported_at_their_path(charge, path, message):
    errors = errors_of({"steps": [{"charges": [charge]}]})
    assert (f"steps[0].charges[0].{path}", message) in errors


def test_unknown_basis_is_refused():
    errors = errors_of({"steps": [{"charges": [{"basis": "percent_of_salary"}]}]})
    assert errors == [("steps[0].charges[0].basis", "取值无效,可选:" + ", ".join(Basis))]


def test_integer_money_is_accepted_as_exact():
    schedule = parse_schedule({"steps": [{"charges": [{"basis": "fixed", "amount": 50}]}]})
    assert schedule.steps[0].charges[0].amount == Decimal("50")


def test_ladder_with_a_gap_is_refused():
    data = {
        "steps": [
            {"occurrence_from": 1, "charges": [fixed("50")]},
            {"occurrence_from": 3, "sanctions": ["dismissal"]},
        ]
    }
    assert errors_of(data) == [
        ("steps[1].occurrence_from", "应为 2:各步骤的次数须从1起依次排列,不能跳号或重复")
    ]


def test_ladder_not_starting_at_one_is_refused():
    data = {"steps": [{"occurrence_from": 2, "charges": [fixed("50")]}]}
    assert errors_of(data) == [("steps[0].occurrence_from", "第一个步骤必须从第1次开始")]


def test_second_step_without_occurrence_from_repeats_one_and_is_refused():
    data = {"steps": [{"charges": [fixed("30")]}, {"charges": [fixed("60")]}]}
    assert [path for path, _ in errors_of(data)] == ["steps[1].occurrence_from"]


def test_empty_steps_are_refused():
    assert errors_of({"steps": []}) == [("steps", "至少需要一项")]
    assert errors_of({"steps": [{}]}) == [
        ("steps[0]", "该步骤没有任何处理(金额、处分、情节、扣分或其他后果至少一项)")
    ]


def test_unknown_sanction_is_refused_wherever_it_appears():
    data = {
        "steps": [
            {
                "sanctions": ["warning"],
                "sanction_choices": ["public_criticism", "firing"],
                "levels": [{"code": "x", "name": "情节严重", "sanctions": ["jail"]}],
            }
        ],
        "triggers": [{"threshold": 2, "consequence": "调岗", "sanctions": ["exile"]}],
    }
    assert errors_of(data) == [
        ("steps[0].sanction_choices[1]", "未知处分代码:firing"),
        ("steps[0].levels[0].sanctions[0]", "未知处分代码:jail"),
        ("steps[0].sanctions[0]", "未知处分代码:warning"),
        ("triggers[0].sanctions[0]", "未知处分代码:exile"),
    ]


def test_a_single_sanction_choice_belongs_in_sanctions():
    errors = errors_of({"steps": [{"sanction_choices": ["dismissal"]}]})
    assert errors == [
        ("steps[0].sanction_choices", "可选处分至少两个;只有一个时请写在 sanctions 中")
    ]


def test_rolling_days_needs_window_days():
    errors = errors_of({"window": "rolling_days", "steps": [{"points": 1}]})
    assert errors == [("window_days", "滚动天数窗口(rolling_days)必须填写天数 window_days")]


def test_window_days_only_with_rolling_days():
    errors = errors_of({"window": "calendar_month", "window_days": 30, "steps": [{"points": 1}]})
    assert errors == [("window_days", "只有滚动天数窗口(rolling_days)才填写天数")]


def test_trigger_rolling_days_needs_window_days():
    data = {
        "steps": [{"points": 2}],
        "triggers": [{"threshold": 3, "window": "rolling_days", "consequence": "离岗培训"}],
    }
    assert [p for p, _ in errors_of(data)] == ["triggers[0].window_days"]


def test_trigger_rules():
    data = {
        "steps": [{"points": 2}],
        "triggers": [
            {"consequence": "调岗"},
            {"kind": "points_exhausted", "threshold": 1, "consequence": "培训"},
            {"threshold": 0, "consequence": " ", "flag": "fire"},
        ],
    }
    assert errors_of(data) == [
        ("triggers[0].threshold", "次数累计(count)必须填写 threshold"),
        ("triggers[1].threshold", "积分扣完(points_exhausted)不使用 threshold"),
        ("triggers[2].threshold", "必须不小于 1"),
        ("triggers[2].flag", "取值无效,可选:" + ", ".join(Flag)),
        ("triggers[2].consequence", "不能为空"),
    ]


def test_person_multiple_needs_a_second_party_and_an_employee_base():
    data = {
        "steps": [
            {
                "charges": [
                    {"basis": "person_multiple", "multiplier": "2"},
                    {"basis": "person_multiple", "multiplier": "2", "party": "leader"},
                ]
            }
        ]
    }
    assert errors_of(data) == [
        (
            "steps[0].charges[0].party",
            "当事人金额的倍数只能用于第二责任方(部门、主管或领导)",
        ),
        ("steps[0].charges[0]", "同一处还需有当事人的同类金额(money_kind 相同)作为加倍的基数"),
        ("steps[0].charges[1]", "同一处还需有当事人的同类金额(money_kind 相同)作为加倍的基数"),
    ]


def test_level_amounts_must_fit_the_first_range():
    data = {
        "steps": [
            {
                "charges": [{"basis": "range", "min_amount": "100", "max_amount": "200"}],
                "levels": [
                    {"code": "minor", "name": "情节较轻", "amount": "100"},
                    {"code": "serious", "name": "情节严重", "amount": "300"},
                    {"code": "minor", "name": "重复"},
                ],
            },
            {"occurrence_from": 2, "levels": [{"code": "a", "name": "一般", "amount": "5"}]},
        ]
    }
    assert errors_of(data) == [
        ("steps[0].levels[1].amount", "情节金额不在区间 100–200 内"),
        ("steps[0].levels[2].code", "重复:minor"),
        ("steps[1].levels[0].amount", "该步骤没有区间金额(range),情节档次不能设定金额"),
    ]


def test_level_needs_code_and_name():
    errors = errors_of({"steps": [{"levels": [{}]}]})
    assert errors == [("steps[0].levels[0].code", "必填"), ("steps[0].levels[0].name", "必填")]


def test_non_mapping_input_and_wrong_types():
    assert errors_of(None) == [("", "应为键值对(字典)")]
    assert errors_of({"steps": "fifty"}) == [("steps", "应为列表")]
    errors = errors_of({"steps": [{"points": -1, "consequences": [3], "occurrence_from": "1"}]})
    assert errors == [
        ("steps[0].occurrence_from", "应为整数"),
        ("steps[0].points", "不能为负数"),
        ("steps[0].consequences[0]", "应为文字"),
    ]


def test_all_errors_are_reported_at_once():
    data = {
        "window": "fortnight",
        "steps": [{"charges": [fixed("-1"), {"basis": "range", "max_amount": "x"}]}],
        "note": 5,
    }
    assert [path for path, _ in errors_of(data)] == [
        "window",
        "steps[0].charges[0].amount",
        "steps[0].charges[1].max_amount",
        "note",
    ]


# --- round trip -------------------------------------------------------------------------

FULL = {
    "window": "rolling_days",
    "window_days": 30,
    "note": "按《医疗机构管理条例实施细则》处理",
    "steps": [
        {
            "occurrence_from": 1,
            "charges": [
                {"basis": "range", "min_amount": "100.00", "max_amount": "300", "per_unit": True},
                {
                    "basis": "range",
                    "min_amount": "0",
                    "label": "赔偿损失",
                    "money_kind": "compensation",
                },
                {"basis": "person_multiple", "multiplier": "2.0", "party": "leader"},
            ],
            "levels": [
                {"code": "minor", "name": "情节较轻", "amount": "100"},
                {
                    "code": "serious",
                    "name": "情节严重",
                    "amount": "200.50",
                    "sanctions": ["dismissal"],
                    "consequences": ["赔礼道歉"],
                },
            ],
            "sanctions": ["award_ineligible"],
            "sanction_choices": ["public_criticism", "removal_pending_rehire"],
            "points": 2,
            "consequences": ["赔礼道歉"],
        },
        {
            "occurrence_from": 2,
            "charges": [
                {"basis": "daily_wage_multiple", "multiplier": "1.50", "money_kind": "absence_cut"},
                {"basis": "bonus_percent", "multiplier": "50", "money_kind": "bonus_reduction"},
                {"basis": "monthly_wage_multiple", "multiplier": "1", "min_amount": "0"},
                {"basis": "involved_percent", "multiplier": "10", "money_kind": "reward"},
                {"basis": "involved_multiple", "multiplier": "0.5", "party": "department"},
            ],
        },
    ],
    "triggers": [
        {
            "threshold": 2,
            "window": "calendar_month",
            "scope": "rulebook",
            "subject": "department",
            "consequence": "部门罚款",
            "charges": [{"basis": "fixed", "amount": "1000", "party": "department"}],
            "flag": "dismissal_review",
        },
        {"kind": "points_exhausted", "consequence": "离岗培训", "sanctions": ["off_post_training"]},
    ],
}


def test_round_trip_keeps_the_schedule():
    schedule = parse_schedule(FULL)
    assert parse_schedule(schedule_to_dict(schedule)) == schedule
    assert schedule_to_dict(parse_schedule(schedule_to_dict(schedule))) == schedule_to_dict(
        schedule
    )


def test_canonical_dict_writes_money_without_trailing_zeros_and_leaves_defaults_out():
    out = schedule_to_dict(parse_schedule(FULL))
    first, second = out["steps"]
    assert first["charges"][0] == {
        "basis": "range",
        "min_amount": "100",
        "max_amount": "300",
        "per_unit": True,
    }
    assert first["charges"][1] == {
        "basis": "range",
        "money_kind": "compensation",
        "label": "赔偿损失",
    }
    assert first["charges"][2] == {"basis": "person_multiple", "party": "leader", "multiplier": "2"}
    assert first["levels"][1]["amount"] == "200.5"
    assert second["charges"][0]["multiplier"] == "1.5"
    assert second["charges"][2]["min_amount"] == "0"
    assert out["triggers"][1] == {
        "kind": "points_exhausted",
        "consequence": "离岗培训",
        "sanctions": ["off_post_training"],
    }


def test_canonical_dict_is_json_and_yaml_safe():
    out = schedule_to_dict(parse_schedule(FULL))
    assert parse_schedule(json.loads(json.dumps(out, ensure_ascii=False))) == parse_schedule(FULL)
    assert parse_schedule(
        yaml.safe_load(yaml.safe_dump(out, allow_unicode=True))
    ) == parse_schedule(FULL)


def test_documented_fixture_example_parses():
    text = """
    window: calendar_year
    steps:
      - occurrence_from: 1
        charges: [{basis: fixed, amount: "30"}]
      - occurrence_from: 2
        charges: [{basis: fixed, amount: "60"}]
    """
    schedule = parse_schedule(yaml.safe_load(text))
    assert [s.charges[0].amount for s in schedule.steps] == [Decimal(30), Decimal(60)]
    reward = parse_schedule(
        {
            "steps": [
                {
                    "charges": [
                        {
                            "basis": "monthly_wage_multiple",
                            "multiplier": "1",
                            "min_amount": "0",
                            "money_kind": "reward",
                        }
                    ],
                    "consequences": ['授予"优质服务之星"称号'],
                }
            ]
        }
    )
    assert reward.steps[0].charges[0].money_kind is MoneyKind.REWARD


def test_enum_labels_are_chinese():
    assert Window.CALENDAR_YEAR.label == "自然年"
    assert MoneyKind.ABSENCE_CUT.label == "缺勤扣薪"
    assert Party.LEADER.label == "责任领导"
    assert Basis.DAILY_WAGE_MULTIPLE.label == "日工资的倍数"
    assert TriggerKind.POINTS_EXHAUSTED.label == "积分扣完"
    assert Flag.RESIGNATION.label == "视为自动离职"


# --- sanctions registry -----------------------------------------------------------------


def test_registry_matches_the_documented_ladder():
    assert len(SANCTIONS) == 24
    assert len({s.code for s in SANCTIONS}) == 24
    assert get_sanction("public_criticism").name == "通报批评"
    assert get_sanction("dismissal").rank == 9
    assert get_sanction("award_ineligible").rank == 0
    with pytest.raises(KeyError):
        get_sanction("firing")


def test_ladder_order_puts_side_sanctions_last_and_drops_duplicates():
    codes = ["dismissal", "award_ineligible", "verbal_warning", "public_criticism", "dismissal"]
    assert ladder_order(codes) == (
        "verbal_warning",
        "public_criticism",
        "dismissal",
        "award_ineligible",
    )
    assert max_rank(codes) == 9
    assert max_rank(["title_ineligible"]) == 0
    assert max_rank([]) == 0
