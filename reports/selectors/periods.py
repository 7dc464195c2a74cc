"""Months and the windows the charts and reports cover (a month is its first day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from payroll.months import first_of, month_end, next_month, previous_month

__all__ = ["Window", "first_of", "month_end", "months_back", "next_month", "previous_month"]


def months_back(*, today: date, count: int) -> list[date]:
    """The ``count`` months ending with ``today``'s, oldest first."""
    months = [first_of(today)]
    while len(months) < count:
        months.insert(0, previous_month(months[0]))
    return months


@dataclass(frozen=True)
class Window:
    """A run of whole months, the last one possibly not over yet."""

    months: tuple[date, ...]

    @classmethod
    def last(cls, *, today: date, count: int) -> Window:
        return cls(tuple(months_back(today=today, count=count)))

    @property
    def start(self) -> date:
        return self.months[0]

    @property
    def end(self) -> date:
        return month_end(self.months[-1])

    def labels(self) -> list[str]:
        return [f"{month:%Y-%m}" for month in self.months]

    def ticks(self) -> list[str]:
        """Short texts under a chart's columns (``25-12``, ``26-01``, ``02`` …): the year
        only where the chart starts and where it changes."""
        return [
            f"{m:%y-%m}" if i == 0 or m.month == 1 else f"{m:%m}" for i, m in enumerate(self.months)
        ]
