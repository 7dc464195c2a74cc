"""The pure fine engine: schedule format, evaluation, summaries. No Django here.

See docs/schedule-format.md for the format this package implements.
"""

from .evaluate import (
    DEFAULT_DAILY_WAGE_DIVISOR,
    Facts,
    MoneyLine,
    Quote,
    QuoteError,
    Triggered,
    evaluate,
)
from .money import format_yuan, quantize_fen
from .numerals import amount_in_words
from .sanctions import (
    SANCTIONS,
    Sanction,
    get_sanction,
    is_sanction,
    ladder_order,
    max_rank,
    sanction_name,
)
from .spec import (
    Basis,
    Charge,
    Flag,
    Level,
    MoneyKind,
    Party,
    Schedule,
    ScheduleError,
    Scope,
    Step,
    Subject,
    Trigger,
    TriggerKind,
    Window,
    parse_schedule,
    schedule_to_dict,
)
from .summary import summarize
from .windows import window_bounds, window_label

__all__ = [
    "DEFAULT_DAILY_WAGE_DIVISOR",
    "SANCTIONS",
    "Basis",
    "Charge",
    "Facts",
    "Flag",
    "Level",
    "MoneyKind",
    "MoneyLine",
    "Party",
    "Quote",
    "QuoteError",
    "Sanction",
    "Schedule",
    "ScheduleError",
    "Scope",
    "Step",
    "Subject",
    "Trigger",
    "TriggerKind",
    "Triggered",
    "Window",
    "amount_in_words",
    "evaluate",
    "format_yuan",
    "get_sanction",
    "is_sanction",
    "ladder_order",
    "max_rank",
    "parse_schedule",
    "quantize_fen",
    "sanction_name",
    "schedule_to_dict",
    "summarize",
    "window_bounds",
    "window_label",
]
