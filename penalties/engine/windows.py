"""Counting windows: which earlier violations count toward this one's occurrence number.

A violation on day ``on`` is the N-th when N violations (this one included) occurred on a
date in ``[start, on]``; occurrences after ``on`` never count toward it. ``start`` is
``None`` for ``all_time`` (no lower bound).
"""

from __future__ import annotations

from datetime import date, timedelta

from .spec import Window

MSG_WINDOW_DAYS = "滚动天数窗口必须给出不小于1的天数"


def window_bounds(window: Window, window_days: int | None, on: date) -> tuple[date | None, date]:
    """Inclusive ``(start, end)`` dates of the window ending on ``on`` (``end`` is ``on``).

    calendar_month of 2026-03-15 → (2026-03-01, 2026-03-15); half_year of 2026-08-02 →
    (2026-07-01, 2026-08-02); rolling_days 30 of 2026-03-31 → (2026-03-02, 2026-03-31).
    """
    window = Window(window)
    if window is Window.CALENDAR_MONTH:
        return on.replace(day=1), on
    if window is Window.HALF_YEAR:
        return date(on.year, 1 if on.month <= 6 else 7, 1), on
    if window is Window.CALENDAR_YEAR:
        return date(on.year, 1, 1), on
    if window is Window.ROLLING_DAYS:
        if window_days is None or window_days < 1:
            raise ValueError(MSG_WINDOW_DAYS)
        return on - timedelta(days=window_days - 1), on
    return None, on


def window_label(window: Window, window_days: int | None = None) -> str:
    """Where the count runs, for an explanation: 本月, 近30天, 本半年, 本年度, 累计."""
    window = Window(window)
    if window is Window.ROLLING_DAYS:
        return f"近{window_days}天"
    return {
        Window.CALENDAR_MONTH: "本月",
        Window.HALF_YEAR: "本半年",
        Window.CALENDAR_YEAR: "本年度",
        Window.ALL_TIME: "累计",
    }[window]


def window_span(window: Window, window_days: int | None = None) -> str:
    """The window as a condition: 当月内, 30天内, 半年内, 本年度内, 累计."""
    window = Window(window)
    if window is Window.ROLLING_DAYS:
        return f"{window_days}天内"
    return {
        Window.CALENDAR_MONTH: "当月内",
        Window.HALF_YEAR: "半年内",
        Window.CALENDAR_YEAR: "本年度内",
        Window.ALL_TIME: "累计",
    }[window]


def window_counting(window: Window, window_days: int | None = None) -> str:
    """How a ladder counts, for a summary: 按月计次,跨月不累计 … ('' for all_time)."""
    window = Window(window)
    if window is Window.ROLLING_DAYS:
        return f"按近{window_days}天计次"
    return {
        Window.CALENDAR_MONTH: "按月计次,跨月不累计",
        Window.HALF_YEAR: "按半年计次(1–6月、7–12月)",
        Window.CALENDAR_YEAR: "按年度计次",
        Window.ALL_TIME: "",
    }[window]
