"""Amounts in Chinese financial capitals (人民币大写)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from penalties.engine import amount_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("0.00", "零元整"),
        ("0.50", "伍角"),
        ("0.05", "伍分"),
        ("0.55", "伍角伍分"),
        ("1", "壹元整"),
        ("1.50", "壹元伍角"),
        ("10", "壹拾元整"),
        ("10.50", "壹拾元伍角"),
        ("12.34", "壹拾贰元叁角肆分"),
        ("101", "壹佰零壹元整"),
        ("200", "贰佰元整"),
        ("1000.05", "壹仟元零伍分"),
        ("1010", "壹仟零壹拾元整"),
        ("1001", "壹仟零壹元整"),
        ("3000", "叁仟元整"),
        ("20000", "贰万元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("110000", "壹拾壹万元整"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
        ("100000001", "壹亿零壹元整"),
        ("1000001000", "壹拾亿零壹仟元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_integers_are_accepted():
    assert amount_in_words(50) == "伍拾元整"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("-1"), "金额不能为负数"),
        (Decimal("0.001"), "金额最多保留两位小数(到分)"),
        (Decimal("1000000000000"), "金额过大(应小于壹万亿元)"),
        (Decimal("NaN"), "金额必须是十进制数(Decimal)"),
        (1.5, "金额必须是十进制数(Decimal)"),
    ],
)
def test_refused_amounts(amount, message):
    with pytest.raises(ValueError) as info:
        amount_in_words(amount)
    assert str(info.value) == message
