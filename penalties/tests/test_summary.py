"""Plain-language Chinese summaries of schedules and yuan display."""

from __future__ import annotations

from decimal import Decimal

import pytest

from penalties.engine import format_yuan, parse_schedule, summarize


@pytest.mark.parametrize(
    ("schedule", "summary"),
    [
        ({"steps": [{"charges": [{"basis": "fixed", "amount": "50"}]}]}, "每次罚款¥50"),
        (
            {
                "window": "calendar_year",
                "steps": [
                    {"occurrence_from": 1, "charges": [{"basis": "fixed", "amount": "30"}]},
                    {"occurrence_from": 2, "charges": [{"basis": "fixed", "amount": "60"}]},
                ],
            },
            "第1次罚款¥30;第2次起每次罚款¥60(按年度计次)",
        ),
        (
            {
                "window": "calendar_month",
                "steps": [
                    {"occurrence_from": 1, "charges": [{"basis": "fixed", "amount": "10"}]},
                    {"occurrence_from": 2, "charges": [{"basis": "fixed", "amount": "20"}]},
                ],
            },
            "第1次罚款¥10;第2次起每次罚款¥20(按月计次,跨月不累计)",
        ),
        (
            {
                "steps": [
                    {"charges": [{"basis": "range", "min_amount": "100", "max_amount": "200"}]}
                ]
            },
            "罚款¥100–200,视情节轻重",
        ),
        (
            {
                "steps": [
                    {
                        "charges": [{"basis": "range", "min_amount": "100", "max_amount": "200"}],
                        "levels": [
                            {"code": "minor", "name": "情节较轻", "amount": "100"},
                            {
                                "code": "serious",
                                "name": "情节严重",
                                "amount": "200",
                                "sanctions": ["suspension"],
                            },
                        ],
                    }
                ]
            },
            "罚款¥100–200,视情节轻重(情节较轻¥100;情节严重¥200并停职反省)",
        ),
        (
            {
                "steps": [
                    {
                        "charges": [{"basis": "involved_multiple", "multiplier": "10"}],
                        "sanction_choices": [
                            "public_criticism",
                            "removal_pending_rehire",
                            "dismissal",
                        ],
                    }
                ]
            },
            "涉及金额的10倍罚款,并视情节给予通报批评/解职待聘/解聘",
        ),
        (
            {
                "steps": [
                    {
                        "charges": [
                            {
                                "basis": "daily_wage_multiple",
                                "multiplier": "1.5",
                                "money_kind": "absence_cut",
                            }
                        ]
                    }
                ]
            },
            "扣当日工资的1.5倍",
        ),
        (
            {
                "steps": [
                    {
                        "charges": [
                            {
                                "basis": "bonus_percent",
                                "multiplier": "50",
                                "money_kind": "bonus_reduction",
                            }
                        ]
                    }
                ]
            },
            "扣当月奖金的50%",
        ),
        (
            {
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
                    }
                ],
            },
            "每次罚款¥20,部门连带罚款¥200;当月内累计2次:调离大厅,待岗",
        ),
        (
            {"steps": [{"charges": [{"basis": "fixed", "amount": "200", "party": "department"}]}]},
            "每次部门罚款¥200",
        ),
        (
            {"steps": [{"charges": [{"basis": "fixed", "amount": "1000"}], "points": 2}]},
            "每次罚款¥1,000,扣2分",
        ),
        (
            {
                "steps": [{"points": 2}],
                "triggers": [
                    {
                        "kind": "points_exhausted",
                        "consequence": "诫勉谈话并离岗培训",
                        "sanctions": ["off_post_training"],
                    },
                    {
                        "threshold": 3,
                        "window": "rolling_days",
                        "window_days": 30,
                        "scope": "rulebook",
                        "consequence": "诫勉谈话并离岗培训",
                    },
                ],
            },
            "扣2分;积分扣完:诫勉谈话并离岗培训;30天内累计3次(本制度各条合计):诫勉谈话并离岗培训",
        ),
        (
            {
                "window": "calendar_year",
                "steps": [
                    {"occurrence_from": 1, "charges": [{"basis": "fixed", "amount": "50"}]},
                    {"occurrence_from": 2, "charges": [{"basis": "fixed", "amount": "100"}]},
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
            {
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
                ]
            },
            "罚款¥20起(不设上限),视情节轻重,当班负责人连带罚款(当事人罚款的2倍)",
        ),
        (
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
            },
            '奖励本人月工资的1倍,授予"优质服务之星"称号',
        ),
        (
            {
                "note": "按《医疗机构管理条例实施细则》处理",
                "steps": [{"charges": [{"basis": "range"}], "sanctions": ["award_ineligible"]}],
            },
            "罚款,金额视情况确定,视情节轻重,并给予取消当年评优资格;按《医疗机构管理条例实施细则》处理",
        ),
        (
            {"steps": [{"charges": [{"basis": "fixed", "amount": "50", "per_unit": True}]}]},
            "每次罚款¥50×数量",
        ),
    ],
)
def test_summary(schedule, summary):
    assert summarize(parse_schedule(schedule)) == summary


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
