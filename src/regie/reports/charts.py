"""Chart definitions, drawn once as reportlab Drawings: placed in the PDF, and as inline SVG
(``reportlab.graphics.renderSVG``) in the HTML report. No script, no external asset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

PALETTE = ("#1f3a5f", "#c77d12", "#2a7f62", "#8a8f98")
FONT = "Helvetica"
WIDTH = 480.0


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class ChartSpec:
    """A horizontal bar chart: one bar per category and series, largest category first."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    axis: str  # what the value axis measures, in words
    percent: bool = False  # values are percentages (axis from 0 to 100)
    description: str = ""  # what the chart shows, in one sentence


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count_label(value: float) -> str:
    return "" if value == 0 else f"{value:.0f}"


def _percent_label(value: float) -> str:
    return "" if value == 0 else f"{value:.0f}%"


def _bars(spec: ChartSpec, x: float, y: float, width: float, height: float) -> HorizontalBarChart:
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = x, y, width, height
    # reportlab draws the first category at the bottom: reverse so the largest is on top.
    chart.data = [tuple(reversed(s.values)) or (0.0,) for s in spec.series]
    axis = chart.categoryAxis
    axis.categoryNames = [_short(c) for c in reversed(spec.categories)] or [""]
    axis.labels.fontName, axis.labels.fontSize = FONT, 7.5
    axis.labels.boxAnchor, axis.labels.dx = "e", -4
    axis.strokeColor = colors.HexColor(PALETTE[3])
    values = chart.valueAxis
    values.valueMin = 0
    top = max((v for s in spec.series for v in s.values), default=0.0)
    if spec.percent:
        values.valueMax, values.valueStep = 100, 20
    else:
        values.valueMax = max(top * 1.1, 1.0)
    values.labels.fontName, values.labels.fontSize = FONT, 7.5
    values.strokeColor = colors.HexColor(PALETTE[3])
    values.visibleGrid, values.gridStrokeColor = True, colors.HexColor("#e3e6ea")
    chart.barSpacing, chart.groupSpacing = 1, 6
    chart.barLabelFormat = _percent_label if spec.percent else _count_label
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 6.5
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    for i in range(len(spec.series)):
        chart.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        chart.bars[i].strokeColor = None
    return chart


def _legend(spec: ChartSpec, x: float, y: float, width: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = width / max(len(spec.series), 1)
    legend.fontName, legend.fontSize = FONT, 7.5
    legend.dx = legend.dy = 7
    legend.colorNamePairs = [
        (colors.HexColor(PALETTE[i % len(PALETTE)]), s.name) for i, s in enumerate(spec.series)
    ]
    return legend


def drawing(spec: ChartSpec, width: float = WIDTH) -> Drawing:
    """The chart as a reportlab Drawing (the PDF places it; the HTML gets its SVG)."""
    per_category = 8 + 11 * len(spec.series)
    legend_h = 16 if len(spec.series) > 1 else 0
    plot_h = max(len(spec.categories), 1) * per_category
    height = plot_h + 58 + legend_h
    d = Drawing(width, height)
    d.add(String(0, height - 12, spec.title, fontName=FONT + "-Bold", fontSize=10, fillColor=colors.black))
    x = 170.0
    chart = _bars(spec, x, 30 + legend_h, width - x - 30, plot_h)
    d.add(chart)
    d.add(
        String(
            x + chart.width / 2,
            4 + legend_h,
            spec.axis,
            fontName=FONT,
            fontSize=7.5,
            textAnchor="middle",
            fillColor=colors.HexColor("#4a4f57"),
        )
    )
    if legend_h:
        d.add(_legend(spec, x - 60, 8, width - x + 60))
    return d


_PROLOGUE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg(spec: ChartSpec, ident: str = "chart") -> str:
    """The chart as an inline ``<svg>`` element: no XML prologue, titled, ids unique per chart
    (several charts share one page), fonts named the way browsers know them."""
    text = _PROLOGUE.sub("", renderSVG.drawToString(drawing(spec)))
    text = text.replace("<title>...</title>", f"<title>{_escape(spec.title)}</title>", 1)
    text = text.replace("<desc>...</desc>", f"<desc>{_escape(spec.description)}</desc>", 1)
    text = text.replace('id="clip"', f'id="{ident}-clip"').replace("url(#clip)", f"url(#{ident}-clip)")
    text = text.replace('id="group"', f'id="{ident}"')
    text = text.replace(
        "font-family: Helvetica-Bold;", "font-family: Helvetica, Arial, sans-serif; font-weight: bold;"
    )
    text = text.replace("font-family: Helvetica;", "font-family: Helvetica, Arial, sans-serif;")
    return re.sub(r"^<svg ", '<svg role="img" class="chart" ', text, count=1)
