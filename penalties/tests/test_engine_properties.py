"""Properties of the engine that must hold for every valid schedule (hypothesis)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from penalties.engine import (
    Facts,
    Window,
    evaluate,
    parse_schedule,
    schedule_to_dict,
    summarize,
    window_bounds,
)
from penalties.engine.sanctions import SANCTIONS

CODES = [s.code for s in SANCTIONS]
MULTIPLE_BASES = [
    "involved_multiple",
    "involved_percent",
    "daily_wage_multiple",
    "monthly_wage_multiple",
    "bonus_percent",
]
KINDS = ["fine", "compensation", "bonus_reduction", "absence_cut", "reward"]
PARTIES = ["employee", "department", "supervisor", "leader"]
WINDOWS = ["calendar_month", "rolling_days", "half_year", "calendar_year", "all_time"]

money = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False).map(str)
positive = st.decimals(min_value=Decimal("0.01"), max_value=100, places=2).map(str)
inputs = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False)


@st.composite
def charges(draw: st.DrawFn) -> dict[str, Any]:
    basis = draw(st.sampled_from(["fixed", "range", *MULTIPLE_BASES]))
    charge: dict[str, Any] = {
        "basis": basis,
        "money_kind": draw(st.sampled_from(KINDS)),
        "party": draw(st.sampled_from(PARTIES)),
        "per_unit": draw(st.booleans()),
    }
    if basis == "fixed":
        charge["amount"] = draw(money)
    elif basis == "range":
        low = Decimal(draw(money))
        charge["min_amount"] = str(low)
        if draw(st.booleans()):
            charge["max_amount"] = str(low + Decimal(draw(money)))
    else:
        charge["multiplier"] = draw(positive)
        if draw(st.booleans()):
            charge["min_amount"] = draw(money)
    if draw(st.booleans()):
        charge["label"] = draw(st.sampled_from(["部门连带罚款", "退还多收费用", "赔偿损失"]))
    return charge


@st.composite
def steps(draw: st.DrawFn, occurrence_from: int) -> dict[str, Any]:
    step: dict[str, Any] = {"occurrence_from": occurrence_from}
    items = draw(st.lists(charges(), max_size=3))
    employee = [c for c in items if c["party"] == "employee"]
    joint = draw(st.booleans())
    if employee and joint:
        items.append(
            {
                "basis": "person_multiple",
                "multiplier": draw(positive),
                "party": draw(st.sampled_from(PARTIES[1:])),
                "money_kind": employee[0]["money_kind"],
            }
        )
    if items:
        step["charges"] = items
    first_range = next((c for c in items if c["basis"] == "range"), None)
    if first_range is not None and draw(st.booleans()):
        low = Decimal(first_range["min_amount"])
        high = Decimal(first_range.get("max_amount", low + 1000))
        amounts = draw(st.lists(st.decimals(min_value=low, max_value=high, places=2), max_size=3))
        step["levels"] = [
            {"code": f"l{i}", "name": f"档次{i}", "amount": str(a)} for i, a in enumerate(amounts)
        ]
    step["sanctions"] = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=2))
    choices = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=4))
    if len(choices) >= 2:
        step["sanction_choices"] = choices
    step["points"] = draw(st.integers(min_value=0, max_value=12))
    step["consequences"] = draw(st.lists(st.sampled_from(["赔礼道歉", "待岗培训"]), max_size=1))
    if not (items or step["sanctions"] or step["points"] or step.get("levels")):
        step["consequences"] = ["记录在案"]
    return step


@st.composite
def windows(draw: st.DrawFn) -> dict[str, Any]:
    window = draw(st.sampled_from(WINDOWS))
    out: dict[str, Any] = {"window": window}
    if window == "rolling_days":
        out["window_days"] = draw(st.integers(min_value=1, max_value=400))
    return out


@st.composite
def triggers(draw: st.DrawFn) -> dict[str, Any]:
    trigger: dict[str, Any] = {"consequence": "调离待岗", **draw(windows())}
    if draw(st.booleans()):
        trigger["kind"] = "points_exhausted"
    else:
        trigger["threshold"] = draw(st.integers(min_value=1, max_value=5))
    trigger["sanctions"] = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=2))
    if draw(st.booleans()):
        trigger["charges"] = [{"basis": "fixed", "amount": draw(money), "party": "department"}]
    trigger["scope"] = draw(st.sampled_from(["rule", "rulebook"]))
    trigger["subject"] = draw(st.sampled_from(["employee", "department"]))
    return trigger


@st.composite
def schedules(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=4))
    data: dict[str, Any] = {
        **draw(windows()),
        "steps": [draw(steps(i + 1)) for i in range(count)],
        "triggers": draw(st.lists(triggers(), max_size=2)),
    }
    if draw(st.booleans()):
        data["note"] = "按有关规定处理"
    return data


@st.composite
def facts_for(draw: st.DrawFn, trigger_count: int) -> Facts:
    return Facts(
        occurrence=draw(st.integers(min_value=1, max_value=10)),
        involved=draw(inputs),
        quantity=draw(st.integers(min_value=1, max_value=5)),
        monthly_wage=draw(inputs),
        monthly_bonus=draw(inputs),
        daily_wage_divisor=draw(
            st.sampled_from([Decimal("21.75"), Decimal("20.83"), Decimal("22"), Decimal("30")])
        ),
        trigger_counts=tuple(
            draw(st.integers(min_value=0, max_value=6)) for _ in range(trigger_count)
        ),
        points_balance=draw(st.none() | st.integers(min_value=-5, max_value=12)),
    )


@given(data=schedules(), seed=st.data())
@settings(max_examples=150, deadline=None)
def test_amounts_are_whole_fen_and_never_negative(data, seed):
    schedule = parse_schedule(data)
    facts = seed.draw(facts_for(len(schedule.triggers)))
    quote = evaluate(schedule, facts)
    for line in quote.all_lines:
        assert isinstance(line.amount, Decimal)
        assert line.amount.as_tuple().exponent == -2
        assert line.amount >= 0
    assert quote.person_amount >= 0


@given(
    amounts=st.lists(money, min_size=1, max_size=5),
    occurrence=st.integers(min_value=1, max_value=20),
    window=windows(),
    other=st.tuples(inputs, inputs, inputs, st.integers(min_value=1, max_value=9)),
)
def test_ladder_amount_depends_only_on_the_occurrence_number(amounts, occurrence, window, other):
    data = {
        **window,
        "steps": [
            {"occurrence_from": i + 1, "charges": [{"basis": "fixed", "amount": a}]}
            for i, a in enumerate(amounts)
        ],
    }
    schedule = parse_schedule(data)
    involved, wage, bonus, quantity = other
    plain = evaluate(schedule, Facts(occurrence=occurrence))
    noisy = evaluate(
        schedule,
        Facts(
            occurrence=occurrence,
            involved=involved,
            monthly_wage=wage,
            monthly_bonus=bonus,
            quantity=quantity,
        ),
    )
    expected = Decimal(amounts[min(occurrence, len(amounts)) - 1])
    assert [line.amount for line in plain.lines] == [expected]
    assert [line.amount for line in noisy.lines] == [expected]
    assert noisy.explanation == plain.explanation


@given(
    window=st.sampled_from(list(Window)),
    days=st.integers(min_value=1, max_value=1000),
    on=st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31)),
)
def test_window_always_contains_the_day(window, days, on):
    start, end = window_bounds(window, days, on)
    assert end == on
    if window is Window.ALL_TIME:
        assert start is None
    else:
        assert start is not None
        assert start <= on
        assert start.year == on.year or window is Window.ROLLING_DAYS


@given(data=schedules())
@settings(max_examples=150, deadline=None)
def test_summary_never_raises_and_is_chinese_text(data):
    text = summarize(parse_schedule(data))
    assert isinstance(text, str)
    assert text


@given(data=schedules())
@settings(max_examples=150, deadline=None)
def test_round_trip_for_any_valid_schedule(data):
    schedule = parse_schedule(data)
    canonical = schedule_to_dict(schedule)
    assert parse_schedule(canonical) == schedule
    assert schedule_to_dict(parse_schedule(canonical)) == canonical
