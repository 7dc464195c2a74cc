"""The rulebook fixtures (fixtures/rulebooks/*.yaml) against the seeds' digest.

Pure pytest: no database, no Django. Every fixture is loaded, every rule and reward
schedule is parsed by ``penalties.engine.spec.parse_schedule``, and each rule's schedule is
compared, rule by rule, with the penalty that docs and shared/domain.md §2 digest from the
seed regulations. Key rules are then quoted with ``penalties.engine.evaluate`` so the
amounts the digest names (¥50, ¥30 then ¥60, 10× the amount received …) come out.
"""

from __future__ import annotations

import datetime
import importlib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from penalties.engine.spec import Schedule, parse_schedule, schedule_to_dict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rulebooks"

CODES = {
    "hospital-service",
    "moh-eight",
    "service-management",
    "service-bonus",
    "water-utility",
    "bank-points",
    "customer-service",
    "hospitality",
}


def _load(code: str) -> dict[str, Any]:
    with (FIXTURES / f"{code}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


BOOKS: dict[str, dict[str, Any]] = {code: _load(code) for code in sorted(CODES)}


def _version(code: str) -> dict[str, Any]:
    (version,) = BOOKS[code]["versions"]
    return version


def _rules(code: str) -> list[dict[str, Any]]:
    return [rule for category in _version(code)["categories"] for rule in category["rules"]]


def _rule(code: str, number: int | str) -> dict[str, Any]:
    matches = [rule for rule in _rules(code) if rule["number"] == number]
    assert len(matches) == 1, f"{code} 第{number}条: found {len(matches)}"
    return matches[0]


def _rewards(code: str) -> list[dict[str, Any]]:
    return _version(code).get("reward_types") or []


def _schedule(code: str, number: int | str) -> Schedule:
    return parse_schedule(_rule(code, number)["schedule"])


def _reward_schedule(code: str, reward_code: str) -> Schedule:
    (reward,) = [r for r in _rewards(code) if r["code"] == reward_code]
    return parse_schedule(reward["schedule"])


ALL_RULES = [(code, rule["number"]) for code in sorted(CODES) for rule in _rules(code)]
ALL_REWARDS = [(code, reward["code"]) for code in sorted(CODES) for reward in _rewards(code)]


# --- files and structure ----------------------------------------------------------------


def test_one_fixture_per_rulebook_code():
    assert {path.stem for path in FIXTURES.glob("*.yaml")} == CODES
    for code, book in BOOKS.items():
        assert book["code"] == code


@pytest.mark.parametrize("code", sorted(CODES))
def test_rulebook_header_and_single_2024_version(code):
    book = BOOKS[code]
    for key in ("name", "name_en", "issuing_body", "scope", "source"):
        assert isinstance(book[key], str) and book[key].strip(), key
    assert book["points_window"] == "calendar_year"
    assert book["points_budget"] == (12 if code == "bank-points" else None)
    (version,) = book["versions"]
    assert version["label"] == "2024版"
    assert version["effective_from"] == datetime.date(2024, 1, 1)
    assert version["effective_to"] is None
    assert version["adoption"] == {}
    assert version["categories"], "a version needs categories"
    for category in version["categories"]:
        assert category["name"].strip() and category["name_en"].strip()
        assert category["rules"], category["name"]


@pytest.mark.parametrize("code", sorted(CODES))
def test_rule_numbers_unique_and_of_one_type_per_version(code):
    numbers = [rule["number"] for rule in _rules(code)]
    assert len(numbers) == len(set(numbers)), numbers
    assert len({type(n) for n in numbers}) == 1, "mixed int/str numbers cannot be sorted"
    for rule in _rules(code):
        assert rule["title"].strip() and rule["text"].strip(), rule["number"]


# Field sizes of conduct.models (Rule.number CharField(16), names 200, source/scope 500):
# PostgreSQL rejects longer values when the loader saves the fixture.
@pytest.mark.parametrize("code", sorted(CODES))
def test_values_fit_the_model_fields(code):
    book = BOOKS[code]
    assert len(book["name"]) <= 200 and len(book["name_en"]) <= 200
    assert len(book["source"]) <= 500 and len(book["scope"]) <= 500
    for category in _version(code)["categories"]:
        assert len(category["name"]) <= 200 and len(category["name_en"]) <= 200
    for rule in _rules(code):
        assert len(str(rule["number"])) <= 16 and len(rule["title"]) <= 200


@pytest.mark.parametrize("code", sorted(CODES))
def test_reward_codes_unique(code):
    codes = [reward["code"] for reward in _rewards(code)]
    assert len(codes) == len(set(codes))
    for reward in _rewards(code):
        assert reward["name"].strip() and reward["text"].strip()


# Traditional-only characters that seeds 003/004 use; none may survive the conversion.
TRADITIONAL = set("罰曠遲請資於與會這們為職責獎勵處違誤發聽電話衛門開關時間條號動")
PINYIN_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def _texts(book: dict[str, Any]):
    for version in book["versions"]:
        for category in version["categories"]:
            yield category["name"]
            for rule in category["rules"]:
                yield rule["title"]
                yield rule["text"]
                yield rule["schedule"].get("note", "")
        for reward in version.get("reward_types") or []:
            yield reward["name"]
            yield reward["text"]


@pytest.mark.parametrize("code", sorted(CODES))
def test_texts_are_simplified_without_scrape_debris(code):
    for text in _texts(BOOKS[code]):
        assert not (TRADITIONAL & set(text)), text
        assert not PINYIN_GLOSS.search(text), text
        assert ",," not in text and ",、" not in text and ",。" not in text, text


# --- every schedule parses --------------------------------------------------------------


@pytest.mark.parametrize(("code", "number"), ALL_RULES)
def test_rule_schedule_parses_and_round_trips(code, number):
    schedule = _schedule(code, number)
    assert parse_schedule(schedule_to_dict(schedule)) == schedule


@pytest.mark.parametrize(("code", "reward_code"), ALL_REWARDS)
def test_reward_schedule_parses_and_pays_rewards_only(code, reward_code):
    schedule = _reward_schedule(code, reward_code)
    assert parse_schedule(schedule_to_dict(schedule)) == schedule
    charges = [c for step in schedule.steps for c in step.charges]
    assert charges
    assert {c.money_kind.value for c in charges} == {"reward"}


# --- counts -----------------------------------------------------------------------------

COUNTS = {
    # code: (rules, categories, reward types)
    "hospital-service": (30, 4, 0),
    "moh-eight": (8, 1, 0),
    "service-management": (7, 1, 1),
    "service-bonus": (6, 1, 5),
    "water-utility": (10, 1, 3),
    "bank-points": (2, 2, 0),
    "customer-service": (12, 3, 1),
    "hospitality": (25, 3, 6),
}


@pytest.mark.parametrize("code", sorted(CODES))
def test_counts(code):
    version = _version(code)
    assert (len(_rules(code)), len(version["categories"]), len(_rewards(code))) == COUNTS[code]


def test_hospital_service_categories_hold_the_seed_numbers():
    categories = {
        c["name"]: [r["number"] for r in c["rules"]]
        for c in _version("hospital-service")["categories"]
    }
    assert categories == {
        "全员上岗“十做到”": list(range(1, 11)),
        "劳动纪律“八不准”": list(range(11, 19)),
        "廉洁行医“十不准”": list(range(19, 29)),
        "外观形象“八不准”": [29, 30],
    }
    assert _rule("hospital-service", 29)["text"].startswith("男士")
    assert _rule("hospital-service", 30)["text"].startswith("女士")


def test_numbered_rulebooks_run_from_one():
    assert [r["number"] for r in _rules("moh-eight")] == list(range(1, 9))
    assert [r["number"] for r in _rules("service-management")] == list(range(1, 8))
    assert [r["number"] for r in _rules("water-utility")] == list(range(1, 11))
    assert [r["code"] for r in _rewards("service-management")] == ["service-star"]


# --- rule by rule against the digest ----------------------------------------------------
#
# A charge is written as a tuple: (basis, value, party, money_kind, per_unit) where value is
# the amount (fixed), (min, max) (range; None = no cap) or the multiplier (the rest).


def fx(amount, party="employee", kind="fine", per_unit=False):
    return ("fixed", amount, party, kind, per_unit)


def rg(low, high=None, party="employee", kind="fine", per_unit=False):
    return ("range", (low, high), party, kind, per_unit)


def mx(basis, multiplier, party="employee", kind="fine"):
    return (basis, multiplier, party, kind, False)


def _sig(charge) -> tuple:
    basis = charge.basis.value

    def s(value):
        return None if value is None else str(value)

    if basis == "fixed":
        value = s(charge.amount)
    elif basis == "range":
        value = (s(charge.min_amount), s(charge.max_amount))
    else:
        value = s(charge.multiplier)
    return (basis, value, charge.party.value, charge.money_kind.value, charge.per_unit)


def S(*charges, sanctions=(), choices=(), points=0):
    return {
        "charges": list(charges),
        "sanctions": set(sanctions),
        "choices": set(choices),
        "points": points,
    }


def _actual_steps(schedule: Schedule) -> list[dict]:
    return [
        {
            "charges": [_sig(c) for c in step.charges],
            "sanctions": set(step.sanctions),
            "choices": set(step.sanction_choices),
            "points": step.points,
        }
        for step in schedule.steps
    ]


MOH = (
    "public_criticism",
    "award_ineligible",
    "title_ineligible",
    "deferred_appointment",
    "removal_pending_rehire",
    "dismissal",
)
HOSPITAL_SEVERE = ("public_criticism", "removal_pending_rehire", "dismissal")

# (code, number, window, [steps])
EXPECTED: list[tuple[str, int | str, str, list[dict]]] = [
    # A. hospital-service: the closing clause "本章共四大项三十条…"
    *[
        ("hospital-service", n, "all_time", [S(fx("50"))])
        for n in (1, 3, 4, 5, 6, 7, 9, 10, 29, 30)
    ],
    *[("hospital-service", n, "all_time", [S(rg("100", "200"))]) for n in (2, 11, 12, 13)],
    ("hospital-service", 8, "all_time", [S(rg("100", "500"))]),
    *[("hospital-service", n, "all_time", [S(fx("200"))]) for n in (14, 15, 16, 17, 18)],
    (
        "hospital-service",
        19,
        "all_time",
        [S(mx("involved_multiple", "1", kind="compensation"), mx("involved_multiple", "2"))],
    ),
    (
        "hospital-service",
        20,
        "all_time",
        [S(sanctions={"award_ineligible"}, choices=HOSPITAL_SEVERE)],
    ),
    (
        "hospital-service",
        21,
        "all_time",
        [
            S(
                rg("0"),
                mx("involved_multiple", "1", kind="compensation"),
                sanctions={"disciplinary_action", "award_ineligible"},
            )
        ],
    ),
    (
        "hospital-service",
        22,
        "all_time",
        [S(mx("involved_multiple", "10"), sanctions={"award_ineligible"}, choices=HOSPITAL_SEVERE)],
    ),
    (
        "hospital-service",
        23,
        "all_time",
        [
            S(
                rg("0"),
                sanctions={"award_ineligible"},
                choices={
                    "verbal_warning",
                    "written_warning",
                    "public_criticism",
                    "demerit",
                    "major_demerit",
                    "suspension",
                    "standby",
                    "demotion",
                    "dismissal",
                },
            )
        ],
    ),
    ("hospital-service", 24, "all_time", [S(rg("200", "1000"))]),
    (
        "hospital-service",
        25,
        "all_time",
        [
            S(
                mx("involved_multiple", "10"),
                sanctions={"award_ineligible"},
                choices={"public_criticism", "suspension", "standby"},
            )
        ],
    ),
    *[
        (
            "hospital-service",
            n,
            "all_time",
            [S(fx("1000"), sanctions={"public_criticism", "award_ineligible"})],
        )
        for n in (26, 27)
    ],
    (
        "hospital-service",
        28,
        "all_time",
        [S(rg("200", "1000"), sanctions={"public_criticism", "suspension_standby"})],
    ),
    # moh-eight: sanctions only
    *[("moh-eight", n, "all_time", [S(choices=MOH)]) for n in range(1, 9)],
    # B. service-management
    ("service-management", 1, "all_time", [S(rg("50", "100"))]),
    ("service-management", 2, "calendar_year", [S(fx("30")), S(fx("60"))]),
    ("service-management", 3, "all_time", [S(fx("50"))]),
    ("service-management", 4, "all_time", [S(rg("80", "150"), rg("0", kind="compensation"))]),
    ("service-management", 5, "all_time", [S(fx("200"), fx("400", party="leader"))]),
    ("service-management", 6, "all_time", [S(rg("100"), sanctions={"post_suspension"})]),
    ("service-management", 7, "all_time", [S(rg("50", "100"))]),
    # C. service-bonus
    (
        "service-bonus",
        "1",
        "calendar_year",
        [S(sanctions={"written_warning"}), S(mx("bonus_percent", "50", kind="bonus_reduction"))],
    ),
    (
        "service-bonus",
        "2",
        "all_time",
        [S(mx("bonus_percent", "10", kind="bonus_reduction"), rg("0", kind="bonus_reduction"))],
    ),
    (
        "service-bonus",
        "3",
        "calendar_year",
        [S(sanctions={"written_warning"}), S(mx("bonus_percent", "30", kind="bonus_reduction"))],
    ),
    ("service-bonus", "4.1", "all_time", [S(mx("bonus_percent", "20", kind="bonus_reduction"))]),
    (
        "service-bonus",
        "4.2",
        "calendar_month",
        [S(), S(), S(), S(mx("bonus_percent", "20", kind="bonus_reduction")), S()],
    ),
    ("service-bonus", "5", "all_time", [S(mx("bonus_percent", "100", kind="bonus_reduction"))]),
    # D. water-utility: individual AND department
    ("water-utility", 1, "all_time", [S(fx("20"), fx("200", party="department"))]),
    ("water-utility", 2, "all_time", [S(fx("100"), fx("200", party="department"))]),
    ("water-utility", 3, "all_time", [S(rg("100", "500", party="department"))]),
    ("water-utility", 4, "all_time", [S(rg("100", "1000", party="department"))]),
    (
        "water-utility",
        5,
        "all_time",
        [S(rg("0"), mx("involved_percent", "50", party="department"))],
    ),
    ("water-utility", 6, "all_time", [S(rg("100", "500", party="department"))]),
    ("water-utility", 7, "all_time", [S(rg("500", "1000", party="department", per_unit=True))]),
    (
        "water-utility",
        8,
        "all_time",
        [S(fx("50", per_unit=True), rg("100", "500", party="department", per_unit=True))],
    ),
    ("water-utility", 9, "all_time", [S(fx("1000", party="department", per_unit=True))]),
    ("water-utility", 10, "all_time", [S()]),
    # E. bank-points
    ("bank-points", 3, "all_time", [S(points=1)]),
    ("bank-points", 8, "all_time", [S(fx("1000"), fx("1000", party="supervisor"), points=2)]),
    # F. customer-service
    ("customer-service", "1.8", "all_time", [S()]),
    ("customer-service", "6.6", "all_time", [S(fx("10"))]),
    ("customer-service", "6.2", "all_time", [S(fx("20"))]),
    ("customer-service", "6.5", "all_time", [S(fx("10"))]),
    ("customer-service", "10.1", "all_time", [S(fx("10"))]),
    (
        "customer-service",
        "10.2",
        "calendar_year",
        [S(fx("50")), S(fx("100")), S(sanctions={"expulsion"})],
    ),
    ("customer-service", "10.3", "all_time", [S(fx("10"))]),
    (
        "customer-service",
        "10.4",
        "all_time",
        [S(mx("daily_wage_multiple", "1", kind="absence_cut"), fx("30"))],
    ),
    ("customer-service", "10.5", "all_time", [S(fx("10"))]),
    (
        "customer-service",
        "10.6",
        "all_time",
        [S(mx("daily_wage_multiple", "2", kind="absence_cut"))],
    ),
    ("customer-service", "10.7", "all_time", [S()]),
    ("customer-service", "10.8", "calendar_month", [S(fx("10")), S(fx("20"))]),
    # G. hospitality
    ("hospitality", "1.1", "all_time", [S(fx("10"))]),
    ("hospitality", "1.2", "all_time", [S(fx("50"))]),
    ("hospitality", "1.3(1)", "all_time", [S(rg("10", "50"))]),
    (
        "hospitality",
        "1.3(2)a",
        "all_time",
        [S(mx("daily_wage_multiple", "1.5", kind="absence_cut"))],
    ),
    ("hospitality", "1.3(2)b", "all_time", [S(mx("daily_wage_multiple", "1", kind="absence_cut"))]),
    ("hospitality", "1.3(3)", "all_time", [S(mx("daily_wage_multiple", "3", kind="absence_cut"))]),
    ("hospitality", "1.3(4)", "all_time", [S(fx("20"))]),
    ("hospitality", "1.3(6)", "all_time", [S(fx("5"))]),
    ("hospitality", "1.3(7)", "all_time", [S(fx("20"))]),
    ("hospitality", "1.3(8)", "all_time", [S(fx("50"))]),
    ("hospitality", "1.3(9)", "all_time", [S(fx("30"))]),
    ("hospitality", "1.3(10)", "all_time", [S(fx("20"))]),
    ("hospitality", "1.3(11)a", "all_time", [S(mx("involved_multiple", "1", kind="compensation"))]),
    (
        "hospitality",
        "1.3(11)b",
        "all_time",
        [S(mx("involved_multiple", "10", kind="compensation"))],
    ),
    ("hospitality", "1.3(12)", "all_time", [S(fx("20"))]),
    ("hospitality", "1.3(13)", "all_time", [S(fx("10"))]),
    ("hospitality", "1.3(14)", "all_time", [S(fx("50"))]),
    ("hospitality", "1.3(15)", "all_time", [S(fx("50"))]),
    ("hospitality", "1.3(16)", "all_time", [S(fx("20"))]),
    ("hospitality", "1.3(17)", "all_time", [S(fx("20"))]),
    *[
        (
            "hospitality",
            n,
            "calendar_year",
            [S(rg("20"), mx("person_multiple", "2", party="leader"))],
        )
        for n in ("4.1", "4.2", "4.3", "4.4")
    ],
    ("hospitality", "12.17", "all_time", [S(fx("10"))]),
]


def test_the_table_covers_every_rule_exactly_once():
    keys = [(code, number) for code, number, _, _ in EXPECTED]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(ALL_RULES)


@pytest.mark.parametrize(
    ("code", "number", "window", "steps"),
    EXPECTED,
    ids=[f"{code}-{number}" for code, number, _, _ in EXPECTED],
)
def test_rule_schedule_matches_the_digest(code, number, window, steps):
    schedule = _schedule(code, number)
    assert schedule.window.value == window
    assert [s.occurrence_from for s in schedule.steps] == list(range(1, len(steps) + 1))
    assert _actual_steps(schedule) == steps


# Severity levels: (code, number) -> {level code: (amount, sanctions)}
LEVELS: dict[tuple[str, int | str], dict[str, tuple[str | None, set[str]]]] = {
    ("hospital-service", 26): {
        "normal": (None, set()),
        "serious": (None, {"prescription_suspended"}),
        "grave": (None, {"standby"}),
    },
    ("hospital-service", 27): {
        "normal": (None, set()),
        "serious": (None, {"prescription_suspended"}),
        "grave": (None, {"standby"}),
    },
    ("service-management", 1): {
        "attitude": ("50", set()),
        "quarrel": ("100", {"standby_reflection"}),
        "serious": (None, {"discharge"}),
    },
    ("service-management", 4): {
        "normal": ("80", set()),
        "serious": ("150", {"standby_reflection"}),
        "grave": (None, {"discharge"}),
    },
    ("service-management", 5): {"normal": (None, set()), "serious": (None, {"discharge"})},
    ("service-management", 6): {"normal": ("100", set()), "serious": ("100", {"expulsion"})},
    ("service-management", 7): {
        "attitude": ("50", set()),
        "quarrel": ("100", {"standby_reflection"}),
        "serious": (None, {"discharge"}),
    },
    ("service-bonus", "5"): {"normal": (None, set()), "serious": (None, {"dismissal"})},
    ("water-utility", 3): {"no_answer": ("100", set()), "no_feedback": ("100", set())},
    ("hospitality", "1.3(1)"): {
        "within_20": ("10", set()),
        "within_30": ("20", set()),
        "within_60": ("50", set()),
        "over_60": (None, set()),
    },
}


@pytest.mark.parametrize(("code", "number"), ALL_RULES)
def test_rule_levels(code, number):
    schedule = _schedule(code, number)
    actual = {
        level.code: (None if level.amount is None else str(level.amount), set(level.sanctions))
        for step in schedule.steps
        for level in step.levels
    }
    assert actual == LEVELS.get((code, number), {})


def T(
    threshold=None,
    window="all_time",
    *,
    kind="count",
    days=None,
    scope="rule",
    subject="employee",
    sanctions=(),
    charges=(),
    flag=None,
):
    return {
        "kind": kind,
        "threshold": threshold,
        "window": window,
        "days": days,
        "scope": scope,
        "subject": subject,
        "sanctions": set(sanctions),
        "charges": list(charges),
        "flag": flag,
    }


HALF_YEAR_COMPLAINTS = [
    T(3, "half_year", sanctions={"transfer_standby"}, flag="transfer"),
    T(3, "half_year", subject="department", charges=[fx("1000", party="department")]),
]
BANK_TRAINING = [
    T(
        kind="points_exhausted",
        window="calendar_year",
        sanctions={"admonition", "off_post_training"},
        charges=[mx("bonus_percent", "100", kind="bonus_reduction")],
        flag="training",
    ),
    T(
        3,
        "rolling_days",
        days=30,
        scope="rulebook",
        sanctions={"admonition", "off_post_training"},
        charges=[mx("bonus_percent", "100", kind="bonus_reduction")],
        flag="training",
    ),
]
CAFE_DISMISSAL = [T(4, "calendar_year", sanctions={"expulsion"}, flag="dismissal_review")]

TRIGGERS: dict[tuple[str, int | str], list[dict]] = {
    ("water-utility", 1): [
        T(2, "calendar_month", sanctions={"transfer_standby"}, flag="transfer"),
        *HALF_YEAR_COMPLAINTS,
    ],
    ("water-utility", 2): HALF_YEAR_COMPLAINTS,
    ("water-utility", 10): HALF_YEAR_COMPLAINTS,
    ("bank-points", 3): BANK_TRAINING,
    ("bank-points", 8): BANK_TRAINING,
    ("customer-service", "10.6"): [T(3, "calendar_month", flag="resignation")],
    ("hospitality", "1.3(3)"): [T(3, "rolling_days", days=3, flag="resignation")],
    **{("hospitality", n): CAFE_DISMISSAL for n in ("4.1", "4.2", "4.3", "4.4")},
}


@pytest.mark.parametrize(("code", "number"), ALL_RULES)
def test_rule_triggers(code, number):
    schedule = _schedule(code, number)
    actual = [
        {
            "kind": t.kind.value,
            "threshold": t.threshold,
            "window": t.window.value,
            "days": t.window_days,
            "scope": t.scope.value,
            "subject": t.subject.value,
            "sanctions": set(t.sanctions),
            "charges": [_sig(c) for c in t.charges],
            "flag": None if t.flag is None else t.flag.value,
        }
        for t in schedule.triggers
    ]
    assert actual == TRIGGERS.get((code, number), [])
    for trigger in schedule.triggers:
        assert trigger.consequence


# Text consequences the digest names.
CONSEQUENCES = [
    ("service-management", 1, "向客户赔礼道歉"),
    ("service-bonus", "5", "解除劳动合同"),
    ("customer-service", "10.2", "当月工资全部扣除"),
    ("customer-service", "10.7", "当月工资全部扣除"),
    ("customer-service", "1.8", "按违纪处理"),
    ("hospitality", "1.3(3)", "扣全勤奖"),
]


@pytest.mark.parametrize(("code", "number", "text"), CONSEQUENCES)
def test_rule_consequence_text(code, number, text):
    schedule = _schedule(code, number)
    texts = [c for s in schedule.steps for c in s.consequences]
    texts += [c for s in schedule.steps for lv in s.levels for c in lv.consequences]
    assert text in texts


# Reward types: (code, reward code) -> charge signatures
REWARDS: dict[tuple[str, str], list[tuple]] = {
    ("service-management", "service-star"): [mx("monthly_wage_multiple", "1", kind="reward")],
    ("service-bonus", "service-star"): [fx("500", kind="reward")],
    ("service-bonus", "innovation-proposal"): [rg("300", "1000", kind="reward")],
    ("service-bonus", "over-target"): [mx("involved_percent", "10", kind="reward")],
    ("service-bonus", "teamwork"): [fx("500", party="department", kind="reward")],
    ("service-bonus", "long-service"): [fx("3000", kind="reward")],
    ("water-utility", "praise-comment-book"): [
        fx("20", kind="reward"),
        fx("200", party="department", kind="reward"),
    ],
    ("water-utility", "survey-thanks"): [fx("20", kind="reward")],
    ("water-utility", "media-report"): [
        fx("50", kind="reward"),
        fx("500", party="department", kind="reward"),
    ],
    ("customer-service", "report-misconduct"): [fx("50", kind="reward")],
    ("hospitality", "helpful"): [fx("20", kind="reward")],
    ("hospitality", "major-contribution"): [fx("30", kind="reward")],
    ("hospitality", "returning-lost-property"): [fx("30", kind="reward")],
    ("hospitality", "often-praised"): [fx("20", kind="reward")],
    ("hospitality", "wronged-by-guest"): [fx("20", kind="reward")],
    ("hospitality", "effective-suggestion"): [fx("50", kind="reward")],
}


def test_the_reward_table_covers_every_reward_type():
    assert set(REWARDS) == set(ALL_REWARDS)


@pytest.mark.parametrize(("code", "reward_code"), sorted(REWARDS))
def test_reward_matches_the_digest(code, reward_code):
    schedule = _reward_schedule(code, reward_code)
    assert [[_sig(c) for c in step.charges] for step in schedule.steps] == [
        REWARDS[(code, reward_code)]
    ]


def test_long_service_and_service_star_carry_their_certificate_and_title():
    assert "颁发荣誉证书" in _reward_schedule("service-bonus", "long-service").steps[0].consequences
    star = _reward_schedule("service-management", "service-star").steps[0]
    assert star.charges[0].min_amount == 0


# --- quoting key rules with the engine --------------------------------------------------

try:
    evaluate_module = importlib.import_module("penalties.engine.evaluate")
except ImportError:  # pragma: no cover - the engine lands separately from the fixtures
    evaluate_module = None

needs_engine = pytest.mark.skipif(
    evaluate_module is None, reason="penalties.engine.evaluate 尚未就绪"
)

Y = Decimal


def Facts(**facts):
    return evaluate_module.Facts(**facts)


def evaluate(schedule, facts):
    return evaluate_module.evaluate(schedule, facts)


def quote(code, number, **facts):
    schedule = _schedule(code, number)
    facts.setdefault("trigger_counts", tuple(1 for _ in schedule.triggers))
    return evaluate(schedule, Facts(**facts))


def amounts(q, *, party="employee"):
    return [line.amount for line in q.lines if line.party.value == party]


@needs_engine
def test_hospital_fixed_50_and_severity_ranges():
    assert amounts(quote("hospital-service", 1)) == [Y("50.00")]
    assert amounts(quote("hospital-service", 30)) == [Y("50.00")]
    assert amounts(quote("hospital-service", 12, amount=Y("150"))) == [Y("150.00")]
    assert amounts(quote("hospital-service", 14)) == [Y("200.00")]
    with pytest.raises(evaluate_module.QuoteError):
        quote("hospital-service", 8, amount=Y("600"))


@needs_engine
def test_hospital_overcharge_refund_plus_double_fine():
    q = quote("hospital-service", 19, involved=Y("120"))
    assert {(line.money_kind.value, line.amount) for line in q.lines} == {
        ("compensation", Y("120.00")),
        ("fine", Y("240.00")),
    }


@needs_engine
def test_hospital_red_envelope_ten_times_with_sanction_to_choose():
    q = quote("hospital-service", 22, involved=Y("500"))
    assert amounts(q) == [Y("5000.00")]
    assert "award_ineligible" in q.sanctions
    assert set(q.sanction_choices) == set(HOSPITAL_SEVERE)
    chosen = quote("hospital-service", 22, involved=Y("500"), sanction_choice="dismissal")
    assert "dismissal" in chosen.sanctions


@needs_engine
def test_hospital_outside_practice_1000_and_prescription_at_serious_level():
    q = quote("hospital-service", 26, level="serious")
    assert amounts(q) == [Y("1000.00")]
    assert {"public_criticism", "award_ineligible", "prescription_suspended"} <= set(q.sanctions)


@needs_engine
def test_moh_eight_is_sanctions_only():
    q = quote("moh-eight", 3)
    assert q.lines == ()
    assert set(q.sanction_choices) == set(MOH)


@needs_engine
def test_service_management_hairstyle_30_then_60():
    assert amounts(quote("service-management", 2, occurrence=1)) == [Y("30.00")]
    assert amounts(quote("service-management", 2, occurrence=2)) == [Y("60.00")]
    assert amounts(quote("service-management", 2, occurrence=5)) == [Y("60.00")]


@needs_engine
def test_service_management_attitude_levels():
    default = quote("service-management", 1)
    assert amounts(default) == [Y("50.00")]
    assert "向客户赔礼道歉" in default.consequences
    quarrel = quote("service-management", 1, level="quarrel")
    assert amounts(quarrel) == [Y("100.00")]
    assert "standby_reflection" in quarrel.sanctions
    serious = quote("service-management", 1, level="serious")
    assert amounts(serious) == []
    assert "discharge" in serious.sanctions


@needs_engine
def test_service_management_rescue_error_charges_the_leader():
    q = quote("service-management", 5)
    assert amounts(q) == [Y("200.00")]
    assert amounts(q, party="leader") == [Y("400.00")]


@needs_engine
def test_service_bonus_percentages():
    bonus = Y("1000")
    assert amounts(quote("service-bonus", "1", occurrence=1, monthly_bonus=bonus)) == []
    assert amounts(quote("service-bonus", "1", occurrence=2, monthly_bonus=bonus)) == [Y("500.00")]
    assert amounts(quote("service-bonus", "3", occurrence=3, monthly_bonus=bonus)) == [Y("300.00")]
    assert amounts(quote("service-bonus", "4.1", monthly_bonus=bonus)) == [Y("200.00")]
    assert amounts(quote("service-bonus", "5", monthly_bonus=bonus)) == [Y("1000.00")]
    work_error = quote("service-bonus", "2", monthly_bonus=bonus, amount=Y("150"))
    assert sum(amounts(work_error)) == Y("250.00")  # 10 % + 15 % entered by the reviewer


@needs_engine
def test_service_bonus_fourth_late_in_a_month_costs_20_percent_once():
    bonus = Y("1000")
    lates = [
        amounts(quote("service-bonus", "4.2", occurrence=n, monthly_bonus=bonus))
        for n in range(1, 7)
    ]
    assert lates == [[], [], [], [Y("200.00")], [], []]


@needs_engine
def test_service_bonus_rewards():
    over = evaluate(_reward_schedule("service-bonus", "over-target"), Facts(involved=Y("20000")))
    assert [line.amount for line in over.lines] == [Y("2000.00")]
    team = evaluate(_reward_schedule("service-bonus", "teamwork"), Facts())
    assert [(line.party.value, line.amount) for line in team.lines] == [("department", Y("500.00"))]


@needs_engine
def test_water_hall_staff_person_and_department_and_monthly_transfer():
    q = quote("water-utility", 1, trigger_counts=(2, 2, 2))
    assert amounts(q) == [Y("20.00")]
    assert amounts(q, party="department") == [Y("200.00")]
    assert [t.flag.value for t in q.triggered] == ["transfer"]


@needs_engine
def test_water_department_fined_1000_on_third_complaint_in_half_year():
    q = quote("water-utility", 2, trigger_counts=(1, 3))
    assert amounts(q) == [Y("100.00")]
    fired = q.triggered
    assert len(fired) == 1
    assert [(line.party.value, line.amount) for line in fired[0].charges] == [
        ("department", Y("1000.00"))
    ]


@needs_engine
def test_water_estimate_half_of_excess_and_per_household_fines():
    q = quote("water-utility", 5, involved=Y("3000"), amount=Y("100"))
    assert amounts(q, party="department") == [Y("1500.00")]
    assert amounts(q) == [Y("100.00")]
    meters = quote("water-utility", 8, quantity=3)
    assert amounts(meters) == [Y("150.00")]
    assert amounts(meters, party="department") == [Y("300.00")]
    covers = quote("water-utility", 9, quantity=2)
    assert amounts(covers, party="department") == [Y("2000.00")]


@needs_engine
def test_bank_level_one_violation_fines_person_and_section_chief_and_takes_two_points():
    q = quote("bank-points", 8, points_balance=12, trigger_counts=(1, 1))
    assert amounts(q) == [Y("1000.00")]
    assert amounts(q, party="supervisor") == [Y("1000.00")]
    assert q.points == 2
    assert q.triggered == ()


@needs_engine
def test_bank_points_exhausted_or_three_in_30_days_sends_to_training():
    exhausted = quote(
        "bank-points", 8, points_balance=2, trigger_counts=(1, 1), monthly_bonus=Y("800")
    )
    assert [t.flag.value for t in exhausted.triggered] == ["training"]
    assert {"admonition", "off_post_training"} <= set(exhausted.triggered[0].sanctions)
    third = quote(
        "bank-points", 3, points_balance=10, trigger_counts=(1, 3), monthly_bonus=Y("800")
    )
    assert [t.flag.value for t in third.triggered] == ["training"]
    assert [line.amount for line in third.triggered[0].charges] == [Y("800.00")]


@needs_engine
def test_customer_service_private_calls_50_100_then_expulsion():
    assert amounts(quote("customer-service", "10.2", occurrence=1)) == [Y("50.00")]
    assert amounts(quote("customer-service", "10.2", occurrence=2)) == [Y("100.00")]
    third = quote("customer-service", "10.2", occurrence=3)
    assert amounts(third) == []
    assert "expulsion" in third.sanctions
    assert "当月工资全部扣除" in third.consequences


@needs_engine
def test_customer_service_leave_absence_and_lateness():
    wage = Y("4350")  # 4350 ÷ 21.75 = 200 a day
    leave = quote("customer-service", "10.4", monthly_wage=wage)
    assert {(line.money_kind.value, line.amount) for line in leave.lines} == {
        ("absence_cut", Y("200.00")),
        ("fine", Y("30.00")),
    }
    absent = quote("customer-service", "10.6", monthly_wage=wage, trigger_counts=(3,))
    assert amounts(absent) == [Y("400.00")]
    assert [t.flag.value for t in absent.triggered] == ["resignation"]
    assert amounts(quote("customer-service", "10.8", occurrence=1)) == [Y("10.00")]
    assert amounts(quote("customer-service", "10.8", occurrence=2)) == [Y("20.00")]
    assert amounts(quote("customer-service", "6.2")) == [Y("20.00")]


@needs_engine
def test_hospitality_late_tiers_absence_and_damage():
    assert amounts(quote("hospitality", "1.3(1)")) == [Y("10.00")]
    assert amounts(quote("hospitality", "1.3(1)", level="within_30")) == [Y("20.00")]
    assert amounts(quote("hospitality", "1.3(1)", level="within_60")) == [Y("50.00")]
    assert amounts(quote("hospitality", "1.3(1)", level="over_60")) == []
    wage = Y("4350")
    assert amounts(quote("hospitality", "1.3(2)a", monthly_wage=wage)) == [Y("300.00")]
    absent = quote("hospitality", "1.3(3)", monthly_wage=wage, trigger_counts=(3,))
    assert amounts(absent) == [Y("600.00")]
    assert [t.flag.value for t in absent.triggered] == ["resignation"]
    assert amounts(quote("hospitality", "1.3(11)b", involved=Y("35.5"))) == [Y("355.00")]


@needs_engine
def test_hospitality_cafe_shift_manager_pays_double_and_fourth_time_is_dismissal():
    q = quote("hospitality", "4.2", amount=Y("50"), trigger_counts=(1,))
    assert amounts(q) == [Y("50.00")]
    assert amounts(q, party="leader") == [Y("100.00")]
    assert q.triggered == ()
    fourth = quote("hospitality", "4.2", trigger_counts=(4,))
    assert amounts(fourth) == [Y("20.00")]
    assert [t.flag.value for t in fourth.triggered] == ["dismissal_review"]
    assert "expulsion" in fourth.triggered[0].sanctions
    assert amounts(quote("hospitality", "12.17")) == [Y("10.00")]
