"""Amounts in Chinese financial capitals (人民币大写), as printed on a penalty notice.

Convention (《支付结算办法》 附件 正确填写票据和结算凭证的基本规定): whole yuan end in
``整`` (``壹拾元整``); amounts under one yuan start at 角/分 (``伍角``); a zero 角 before a
non-zero 分 is written ``零`` (``壹仟元零伍分``); inner zeros collapse into one ``零``
(``壹拾万零壹拾元整``); ``壹拾`` keeps its ``壹``.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SECTION_UNITS = ("", "万", "亿")
LIMIT = Decimal("1000000000000")  # 壹万亿: beyond any amount the product stores

MSG_NEGATIVE = "金额不能为负数"
MSG_NOT_DECIMAL = "金额必须是十进制数(Decimal)"
MSG_PLACES = "金额最多保留两位小数(到分)"
MSG_TOO_LARGE = "金额过大(应小于壹万亿元)"


def _section(number: int) -> str:
    """0 < number < 10000 in capitals, inner zeros as one 零."""
    out = ""
    zero = False
    for unit, digit in (
        ("仟", number // 1000),
        ("佰", number // 100 % 10),
        ("拾", number // 10 % 10),
        ("", number % 10),
    ):
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[digit] + unit
    return out


def _integer(number: int) -> str:
    sections = []
    while number:
        sections.append(number % 10000)
        number //= 10000
    out = ""
    gap = False
    for position in range(len(sections) - 1, -1, -1):
        section = sections[position]
        if section == 0:
            gap = bool(out)
            continue
        if out and (gap or section < 1000):
            out += "零"
        gap = False
        out += _section(section) + SECTION_UNITS[position]
    return out


def amount_in_words(amount: Decimal) -> str:
    """``Decimal("1000.05")`` → ``壹仟元零伍分``; ``0`` → ``零元整``; negatives refused."""
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise ValueError(MSG_NOT_DECIMAL)
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(MSG_NOT_DECIMAL)
    if amount < 0:
        raise ValueError(MSG_NEGATIVE)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(MSG_PLACES)
    if amount >= LIMIT:
        raise ValueError(MSG_TOO_LARGE)
    fen_total = int(amount * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    out = _integer(yuan) + "元" if yuan else ""
    if cents == 0:
        return out + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    return out
