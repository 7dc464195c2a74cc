"""The SVG renderer on its own (no database): axes, bars, stacks, lines, links, escaping."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

from reports import charts
from reports.charts import Bar, Point, Series, axis, bar_chart, hbar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg) -> ElementTree.Element:
    return ElementTree.fromstring(str(svg))  # noqa: S314 - our own markup


def test_the_axis_ends_on_a_round_number_above_the_maximum():
    assert axis(3, integer=True) == (Decimal(3), [Decimal(i) for i in range(4)])
    top, ticks = axis(17, integer=True)
    assert (top, ticks) == (Decimal(20), [Decimal(v) for v in (0, 5, 10, 15, 20)])
    top, _ticks = axis(Decimal("1234.50"), integer=False)
    assert top == Decimal(1500)
    assert axis(Decimal("0.4"), integer=False)[0] == Decimal("0.4")


def test_a_stacked_bar_chart_draws_one_linked_segment_per_non_zero_value():
    svg = bar_chart(
        labels=["2025-01", "2025-02"],
        series=[
            Series("甲", (Point(2, "/list?a=1"), Point(0, "/list?a=2"))),
            Series("乙", (Point(1, "/list?b=1"), Point(3, "/list?b=2"))),
        ],
        stacked=True,
        title="测试",
        testid="t",
    )
    root = _parse(svg)
    links = root.findall(f"{NS}a")
    assert [(a.get("href"), a.get("data-value")) for a in links] == [
        ("/list?a=1", "2"),
        ("/list?b=1", "1"),
        ("/list?b=2", "3"),
    ]
    heights = [Decimal(a.find(f"{NS}rect").get("height")) for a in links]
    # the axis tops at 4 (the highest column): 3 of 4 is three times 1 of 4
    assert heights[2] == heights[1] * 3
    assert root.get("data-testid") == "t" and root.get("role") == "img"


def test_grouped_bars_sit_side_by_side():
    svg = bar_chart(
        labels=["x"],
        series=[Series("a", (Point(1),)), Series("b", (Point(1),))],
        title="t",
    )
    xs = [float(r.get("x")) for r in _parse(svg).iter(f"{NS}rect") if r.get("height") != "10"]
    assert len(set(xs)) == 2


def test_text_is_escaped_and_links_keep_their_query():
    svg = str(
        hbar_chart(
            bars=[Bar('<script>"x"</script>', 3, "/v/?q=a&b=c", indent=1)],
            title="<b>",
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'href="/v/?q=a&amp;b=c"' in svg
    _parse(svg)  # well-formed


def test_money_charts_label_values_in_yuan():
    svg = str(
        line_chart(
            labels=["1月", "2月"],
            series=[Series("罚款", (Point(Decimal("1234.5"), "/a"), Point(Decimal("0"), "/b")))],
            title="t",
            money=True,
        )
    )
    assert "¥1,234.50" in svg
    assert "¥1,500" in svg  # the top of the axis
    assert len(re.findall(r"<circle", svg)) == 2


def test_nothing_to_draw_shows_the_empty_message():
    svg = str(bar_chart(labels=["a"], series=[Series("s", (Point(0),))], title="t", empty="无"))
    assert "无" in svg and "<rect" not in svg
    assert "无数据" in str(hbar_chart(bars=[], title="t", empty="无数据"))


def test_no_float_ever_reaches_the_markup():
    svg = str(
        bar_chart(
            labels=["a", "b", "c"],
            series=[Series("s", tuple(Point(v) for v in (1, 2, 7)))],
            title="t",
        )
    )
    rects = " ".join(re.findall(r"<rect [^>]*>", svg))
    numbers = re.findall(r'\s(?:x|y|width|height)="([^"]+)"', rects)
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers), numbers
    assert charts.format_value(Decimal("1000"), money=False) == "1,000"


def test_short_ticks_are_printed_and_the_labels_kept_for_tooltips():
    series = [Series("s", (Point(1, "/a"), Point(2, "/b")))]
    for draw in (bar_chart, line_chart):
        svg = str(
            draw(labels=["2025-12", "2026-01"], ticks=["12", "2026-01"], series=series, title="t")
        )
        assert ">12</text>" in svg and 'data-label="2025-12"' in svg
