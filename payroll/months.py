"""Month arithmetic for payroll periods (a month is its first day)."""

import re
from datetime import date, timedelta

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def first_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (first_of(month) + timedelta(days=32)).replace(day=1)


def previous_month(month: date) -> date:
    return (first_of(month) - timedelta(days=1)).replace(day=1)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def parse_month(text: str) -> date:
    """'2026-03' → date(2026, 3, 1); ValueError for anything else."""
    match = MONTH_RE.match((text or "").strip())
    if not match:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return date(year, month, 1)
