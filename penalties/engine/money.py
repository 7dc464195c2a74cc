"""Money helpers shared by the engine: parsing, rounding and display of yuan amounts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def quantize_fen(value: Decimal) -> Decimal:
    """Round half-up to the fen (two places)."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def canonical(value: Decimal) -> Decimal:
    """The same number without trailing zeros or exponent (``50.00`` → ``50``)."""
    if value == 0:
        return Decimal(0)
    return Decimal(format(value.normalize(), "f"))


def decimal_to_str(value: Decimal) -> str:
    """Canonical text form used in JSON/YAML: ``"50"``, ``"0.5"``, ``"21.75"``."""
    return format(canonical(value), "f")


def format_yuan(value: Decimal) -> str:
    """Display form: ``¥1,000`` when whole, else ``¥12.50``; grouping by thousands."""
    amount = quantize_fen(value)
    if amount == amount.to_integral_value():
        return f"¥{int(amount):,}"
    return f"¥{amount:,.2f}"


def format_number(value: Decimal) -> str:
    """A multiplier or divisor without trailing zeros (``1.5``, ``21.75``, ``10``)."""
    return decimal_to_str(value)
