"""Helpers for the rulebook tests (no tests here): small rulebooks in code, and the demo
seed of every fixture."""

import copy
import random
from datetime import date
from typing import Any

from conduct import demo
from conduct.services.rulebooks import rulebook_version_load

FIXED_50 = {"steps": [{"occurrence_from": 1, "charges": [{"basis": "fixed", "amount": "50"}]}]}
LADDER_30_60 = {
    "window": "calendar_year",
    "steps": [
        {"occurrence_from": 1, "charges": [{"basis": "fixed", "amount": "30"}]},
        {"occurrence_from": 2, "charges": [{"basis": "fixed", "amount": "60"}]},
    ],
}
BONUS_20 = {
    "steps": [
        {
            "charges": [
                {"basis": "bonus_percent", "multiplier": "20", "money_kind": "bonus_reduction"}
            ]
        }
    ]
}


def book_data(
    *,
    code: str = "test-book",
    label: str = "v1",
    effective_from: str = "2024-01-01",
    effective_to: str | None = None,
    rules: list[dict[str, Any]] | None = None,
    adoption: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A rulebook in the fixture format with two categories."""
    if rules is None:
        rules = [
            {"number": "1", "title": "迟到", "text": "上班迟到。", "schedule": LADDER_30_60},
            {"number": "2", "title": "着装", "text": "着装不整。", "schedule": FIXED_50},
            {"number": "3", "title": "旷工", "text": "无故旷工。", "schedule": BONUS_20},
        ]
    rules = copy.deepcopy(rules)
    return {
        "code": code,
        "name": "测试制度",
        "name_en": "Test rules",
        "issuing_body": "人力资源部",
        "scope": "全体员工",
        "versions": [
            {
                "label": label,
                "effective_from": effective_from,
                "effective_to": effective_to,
                "adoption": adoption or {},
                "categories": [
                    {"name": "劳动纪律", "name_en": "Discipline", "rules": rules[:2]},
                    {"name": "考勤", "name_en": "Attendance", "rules": rules[2:]},
                ],
            }
        ],
    }


def load_book(**kwargs: Any):
    return rulebook_version_load(data=book_data(**kwargs))


def seed_rulebooks():
    return demo.seed(rng=random.Random(1), today=date(2026, 11, 23))
