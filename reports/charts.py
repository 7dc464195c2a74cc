"""A tiny SVG chart renderer: vertical bars (grouped or stacked), horizontal bars and
lines, drawn on the server (no JavaScript, no CDN: the product runs on intranets).

Pure functions: they take labels and values (ints or Decimals, never floats: geometry is
worked out in Decimal too), and return the ``<svg>`` markup. Every bar, segment and
point can link to the list behind it (``href``); each carries a ``<title>`` (the tooltip
and what a screen reader reads) and ``data-*`` attributes for the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = (
    "#2f6fb0",  # blue
    "#e07b39",  # orange
    "#3a9d5d",  # green
    "#c0392b",  # red
    "#8e5ea2",  # purple
    "#8c6d46",  # brown
    "#d45d9e",  # pink
    "#5d7d8a",  # slate
    "#b5a33a",  # olive
    "#2aa3b8",  # teal
)
OTHER_COLOUR = "#a9b0b7"

WIDTH = 600
FONT = 12
ZERO = Decimal(0)
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Point:
    """One value of a series; ``href`` is the filtered list behind it."""

    value: int | Decimal
    href: str = ""
    title: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]
    colour: str = ""


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: ``indent`` shifts the label (a department under its parent)."""

    label: str
    value: int | Decimal
    href: str = ""
    title: str = ""
    indent: int = 0


@dataclass
class _Svg:
    width: int
    height: int
    label: str
    testid: str
    parts: list[str] = field(default_factory=list)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def render(self) -> SafeString:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="jc-chart" role="img" '
            f'viewBox="0 0 {self.width} {self.height}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" font-size="{FONT}" '
            f'aria-label="{escape(self.label)}" data-testid="{escape(self.testid)}">'
            f"<title>{escape(self.label)}</title>"
        )
        return mark_safe(head + "".join(self.parts) + "</svg>")  # noqa: S308 - every text escaped


# ---- numbers -----------------------------------------------------------------------------


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def _n(value: Decimal) -> str:
    """A coordinate with one decimal place at most."""
    text = f"{value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP):f}"
    return text[:-2] if text.endswith(".0") else text


def nice_step(raw: Decimal, *, integer: bool) -> Decimal:
    """1, 2 or 5 times a power of ten, at least ``raw`` (at least 1 for counts)."""
    if raw <= 0:
        return Decimal(1)
    magnitude = Decimal(1).scaleb(raw.adjusted())
    for factor in (1, 2, 5, 10):
        step = magnitude * factor
        if step >= raw:
            break
    if integer and step < 1:
        step = Decimal(1)
    return step


def axis(maximum, *, integer: bool, ticks: int = 4) -> tuple[Decimal, list[Decimal]]:
    """The top of the axis and its tick values, from 0 up to a round number ≥ maximum."""
    maximum = _d(maximum)
    step = nice_step(maximum / ticks, integer=integer)
    count = max(1, int((maximum / step).to_integral_value(rounding=ROUND_CEILING)))
    top = step * count
    return top, [step * i for i in range(count + 1)]


def format_value(value, *, money: bool) -> str:
    value = _d(value)
    if money:
        amount = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        sign = "-" if amount < 0 else ""
        return f"{sign}¥{abs(amount):,.2f}"
    return f"{value:,f}" if value != value.to_integral_value() else f"{int(value):,}"


def _tick_text(value: Decimal, *, money: bool) -> str:
    if money:
        return f"¥{value.normalize():,f}" if value != int(value) else f"¥{int(value):,}"
    return f"{int(value):,}" if value == int(value) else f"{value.normalize():f}"


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _link(href: str, inner: str, *, attrs: str) -> str:
    if not href:
        return f"<g {attrs}>{inner}</g>"
    return f'<a href="{escape(href)}" class="jc-chart-link" {attrs}>{inner}</a>'


def _colour(series: Series, index: int) -> str:
    return series.colour or PALETTE[index % len(PALETTE)]


def _legend(svg: _Svg, series: Sequence[Series], *, y: int, left: int) -> None:
    x = left
    for index, one in enumerate(series):
        name = _truncate(one.name, 18)
        svg.add(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{_colour(one, index)}"/>'
            f'<text x="{x + 14}" y="{y}">{escape(name)}</text>'
        )
        x += 24 + len(name) * FONT  # CJK characters are about a font size wide
        if x > svg.width - 120:
            x = left
            y += 16


def _legend_rows(series: Sequence[Series], *, left: int) -> int:
    rows, x = 1, left
    for one in series:
        x += 24 + len(_truncate(one.name, 18)) * FONT
        if x > WIDTH - 120:
            rows, x = rows + 1, left
    return rows


def _x_labels(svg: _Svg, texts: Sequence[str], *, left: int, slot: Decimal, y: Decimal) -> None:
    for i, text in enumerate(texts):
        svg.add(
            f'<text x="{_n(left + slot * i + slot / 2)}" y="{_n(y)}" '
            f'text-anchor="middle">{escape(_truncate(text, 10))}</text>'
        )


def _empty(svg: _Svg, message: str) -> SafeString:
    svg.add(
        f'<text x="{svg.width // 2}" y="{svg.height // 2}" text-anchor="middle" '
        f'fill="#6c757d">{escape(message)}</text>'
    )
    return svg.render()


def _grid(svg: _Svg, ticks, top: Decimal, *, left, right, top_y, span, money) -> None:
    for tick in ticks:
        y = top_y + span - _d(span) * tick / top
        svg.add(
            f'<line x1="{left}" y1="{_n(y)}" x2="{right}" y2="{_n(y)}" stroke="#dee2e6"/>'
            f'<text x="{left - 6}" y="{_n(y + 4)}" text-anchor="end" fill="#6c757d">'
            f"{escape(_tick_text(tick, money=money))}</text>"
        )


# ---- vertical bars -----------------------------------------------------------------------


def bar_chart(
    *,
    labels: Sequence[str],
    series: Sequence[Series],
    title: str,
    stacked: bool = False,
    money: bool = False,
    testid: str = "chart",
    empty: str = "—",
    height: int = 300,
    ticks: Sequence[str] | None = None,
) -> SafeString:
    """Bars per label: one per series side by side, or stacked into one column.
    ``ticks``: shorter texts to print under the columns (the labels stay in tooltips)."""
    left = 72 if money else 44
    legend_rows = _legend_rows(series, left=left) if len(series) > 1 else 0
    bottom = 28 + legend_rows * 16
    svg = _Svg(WIDTH, height, title, testid)
    values = [[_d(p.value) for p in one.points] for one in series]
    if stacked:
        maximum = max((sum(column) for column in zip(*values, strict=True)), default=ZERO)
    else:
        maximum = max((v for row in values for v in row), default=ZERO)
    if not labels or maximum <= 0:
        return _empty(svg, empty)
    top, steps = axis(maximum, integer=not money)
    plot_top, right = 10, WIDTH - 10
    plot_height = height - plot_top - bottom
    _grid(svg, steps, top, left=left, right=right, top_y=plot_top, span=plot_height, money=money)
    slot = _d(right - left) / len(labels)
    bar_width = slot * Decimal("0.7") / (1 if stacked else len(series))
    baseline = _d(plot_top + plot_height)
    for i, label in enumerate(labels):
        x0 = left + slot * i + slot * Decimal("0.15")
        running = ZERO
        for s, one in enumerate(series):
            point = one.points[i]
            value = values[s][i]
            if value <= 0:
                continue
            h = _d(plot_height) * value / top
            if stacked:
                x, y = x0, baseline - _d(plot_height) * (running + value) / top
                running += value
            else:
                x, y = x0 + bar_width * s, baseline - h
            tip = point.title or f"{label} · {one.name}: {format_value(value, money=money)}"
            rect = (
                f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar_width)}" height="{_n(h)}" '
                f'fill="{_colour(one, s)}"><title>{escape(tip)}</title></rect>'
            )
            attrs = (
                f'data-testid="{escape(testid)}-bar" data-label="{escape(label)}" '
                f'data-series="{escape(one.name)}" data-value="{value}"'
            )
            svg.add(_link(point.href, rect, attrs=attrs))
    svg.add(
        f'<line x1="{left}" y1="{_n(baseline)}" x2="{right}" y2="{_n(baseline)}" stroke="#495057"/>'
    )
    _x_labels(svg, ticks or labels, left=left, slot=slot, y=baseline + 16)
    if legend_rows:
        _legend(svg, series, y=height - legend_rows * 16 + 6, left=left)
    return svg.render()


# ---- horizontal bars ---------------------------------------------------------------------


def hbar_chart(
    *,
    bars: Sequence[Bar],
    title: str,
    money: bool = False,
    testid: str = "chart",
    empty: str = "—",
    colour: str = PALETTE[0],
    label_width: int = 180,
) -> SafeString:
    """One bar per row with its label on the left and its value at the end: for long
    labels (rules, names, departments in a tree)."""
    row = 26
    height = max(60, 16 + row * len(bars))
    svg = _Svg(WIDTH, height, title, testid)
    maximum = max((_d(b.value) for b in bars), default=ZERO)
    if not bars or maximum <= 0:
        return _empty(svg, empty)
    left, right = label_width, WIDTH - 80
    for i, bar in enumerate(bars):
        value = _d(bar.value)
        y = 8 + row * i
        length = _d(right - left) * value / maximum
        indent = 12 * bar.indent
        limit = max(6, (label_width - 12 - indent) // FONT)
        svg.add(
            f'<text x="{4 + indent}" y="{y + 15}">{escape(_truncate(bar.label, limit))}'
            f"<title>{escape(bar.label)}</title></text>"
        )
        tip = bar.title or f"{bar.label}: {format_value(value, money=money)}"
        rect = (
            f'<rect x="{left}" y="{y + 3}" width="{_n(max(length, Decimal(1)))}" '
            f'height="{row - 8}" '
            f'fill="{colour}"><title>{escape(tip)}</title></rect>'
        )
        attrs = (
            f'data-testid="{escape(testid)}-bar" data-label="{escape(bar.label)}" '
            f'data-value="{value}"'
        )
        svg.add(_link(bar.href, rect, attrs=attrs))
        svg.add(
            f'<text x="{_n(left + length + 6)}" y="{y + 15}" fill="#343a40">'
            f"{escape(format_value(value, money=money))}</text>"
        )
    return svg.render()


# ---- lines -------------------------------------------------------------------------------


def line_chart(
    *,
    labels: Sequence[str],
    series: Sequence[Series],
    title: str,
    money: bool = False,
    testid: str = "chart",
    empty: str = "—",
    height: int = 300,
    ticks: Sequence[str] | None = None,
) -> SafeString:
    """One line per series, a dot per label; each dot links to the list behind it.
    ``ticks``: shorter texts to print under the points (the labels stay in tooltips)."""
    left = 72 if money else 44
    legend_rows = _legend_rows(series, left=left) if series else 0
    bottom = 28 + legend_rows * 16
    svg = _Svg(WIDTH, height, title, testid)
    values = [[_d(p.value) for p in one.points] for one in series]
    maximum = max((v for row in values for v in row), default=ZERO)
    if not labels or maximum <= 0:
        return _empty(svg, empty)
    top, steps = axis(maximum, integer=not money)
    plot_top, right = 10, WIDTH - 10
    plot_height = height - plot_top - bottom
    _grid(svg, steps, top, left=left, right=right, top_y=plot_top, span=plot_height, money=money)
    slot = _d(right - left) / len(labels)
    baseline = _d(plot_top + plot_height)

    def xy(i: int, value: Decimal) -> tuple[Decimal, Decimal]:
        return left + slot * i + slot / 2, baseline - _d(plot_height) * value / top

    for s, one in enumerate(series):
        colour = _colour(one, s)
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in (xy(i, v) for i, v in enumerate(values[s])))
        svg.add(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, point in enumerate(one.points):
            x, y = xy(i, values[s][i])
            value = values[s][i]
            tip = point.title or f"{labels[i]} · {one.name}: {format_value(value, money=money)}"
            dot = (
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5" fill="{colour}" stroke="#fff">'
                f"<title>{escape(tip)}</title></circle>"
            )
            attrs = (
                f'data-testid="{escape(testid)}-point" data-label="{escape(labels[i])}" '
                f'data-series="{escape(one.name)}" data-value="{value}"'
            )
            svg.add(_link(point.href, dot, attrs=attrs))
    _x_labels(svg, ticks or labels, left=left, slot=slot, y=baseline + 16)
    svg.add(
        f'<line x1="{left}" y1="{_n(baseline)}" x2="{right}" y2="{_n(baseline)}" stroke="#495057"/>'
    )
    _legend(svg, series, y=height - legend_rows * 16 + 6, left=left)
    return svg.render()
