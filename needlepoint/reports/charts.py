"""Small SVG charts drawn on the server: horizontal bars and lines.

The pages run under a strict Content Security Policy (no inline styles or scripts), so
the charts use SVG presentation attributes and classes from needlepoint.css. Each chart
has a <title> and <desc> for screen readers, and every figure is also written as text
next to its bar or point; the page's table holds the same figures.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 360
BAR_WIDTH, BAR_HEIGHT, ROW_HEIGHT = 296, 16, 46  # a label line above each bar
LONGEST_LABEL = 60
SERIES_COLOURS = ("#7a2e52", "#2f6fde", "#1e6b3a", "#8a5a00", "#5b6475")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str


@dataclass(frozen=True)
class Line:
    name: str
    values: Sequence[float | None]


def bar_chart(
    title: str,
    description: str,
    bars: Sequence[Bar],
    top: float | None = None,
    bar_width: int = BAR_WIDTH,
) -> SafeString:
    """Horizontal bars scaled to ``top`` (or the largest value), each under its label and
    followed by its figure: narrow enough to stay legible on a phone. Longer figures
    (amounts of money) need shorter bars: ``bar_width``."""
    chart_id = f"chart-{next(_ids)}"
    height = max(len(bars), 1) * ROW_HEIGHT + 4
    scale = top or max((bar.value for bar in bars), default=0) or 1
    parts = [_open(chart_id, title, description, WIDTH, height)]
    for n, bar in enumerate(bars):
        y = n * ROW_HEIGHT
        width = max(0.0, min(bar.value / scale, 1.0)) * bar_width
        parts.append(
            f"<g><title>{escape(bar.label)}: {escape(bar.text)}</title>"
            f'<text x="0" y="{y + 14}" class="chart-label" font-size="14" fill="#1d2433">'
            f"{escape(_short(bar.label))}</text>"
            f'<rect x="0" y="{y + 20}" width="{bar_width}" height="{BAR_HEIGHT}" '
            f'class="chart-track" fill="#f5f6f8" rx="3"></rect>'
            f'<rect x="0" y="{y + 20}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'class="chart-bar" fill="#7a2e52" rx="3"></rect>'
            f'<text x="{bar_width + 8}" y="{y + 33}" class="chart-value" font-size="14" '
            f'font-weight="600" fill="#1d2433">{escape(bar.text)}</text></g>'
        )
    if not bars:
        parts.append(_nothing(height))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text in it is escaped above


def line_chart(
    title: str, description: str, x_labels: Sequence[str], lines: Sequence[Line], unit: str = ""
) -> SafeString:
    """Lines over shared x categories; gaps where a value is missing; a legend below."""
    chart_id = f"chart-{next(_ids)}"
    left, right, top, bottom = 36, 24, 16, 36
    plot_height = 180
    legend_height = 22 * len(lines)
    height = top + plot_height + bottom + legend_height
    values = [v for line in lines for v in line.values if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values]) or 1.0
    step = (WIDTH - left - right) / max(len(x_labels) - 1, 1)

    def x(n: int) -> float:
        return left + n * step

    def y(value: float) -> float:
        return top + plot_height * (high - value) / ((high - low) or 1)

    parts = [_open(chart_id, title, description, WIDTH, height)]
    for tick in _ticks(low, high):
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'class="chart-grid" stroke="#d9dde5"></line>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#5b6475">{_number(tick)}</text>'
        )
    for n, label in enumerate(x_labels):
        parts.append(
            f'<text x="{x(n):.1f}" y="{top + plot_height + 20}" text-anchor="middle" '
            f'font-size="12" fill="#5b6475">{escape(label)}</text>'
        )
    for index, line in enumerate(lines):
        parts.append(_series(line, index, x, y, x_labels, unit))
        legend_y = top + plot_height + bottom + 22 * index + 12
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        parts.append(
            f'<rect x="{left}" y="{legend_y - 10}" width="14" height="4" fill="{colour}"></rect>'
            f'<text x="{left + 20}" y="{legend_y - 4}" font-size="12" fill="#1d2433">'
            f"{escape(line.name)}</text>"
        )
    if not values:
        parts.append(_nothing(top + plot_height))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text in it is escaped above


def _series(
    line: Line,
    index: int,
    x: Callable[[int], float],
    y: Callable[[float], float],
    x_labels: Sequence[str],
    unit: str,
) -> str:
    colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    points = [(n, v) for n, v in enumerate(line.values) if v is not None]
    path = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in points)
    marks = "".join(
        f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}">'
        f"<title>{escape(line.name)}, {escape(x_labels[n])}: {_number(v)}{escape(unit)}</title>"
        f"</circle>"
        f'<text x="{x(n) + 6:.1f}" y="{y(v) - 6:.1f}" font-size="11" fill="{colour}">'
        f"{_number(v)}</text>"
        for n, v in points
    )
    return (
        f'<g class="chart-series"><polyline points="{path}" fill="none" stroke="{colour}" '
        f'stroke-width="2"></polyline>{marks}</g>'
    )


def _open(chart_id: str, title: str, description: str, width: int, height: int) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def _nothing(height: float) -> str:
    return (
        f'<text x="0" y="{min(height / 2 + 5, 30):.0f}" '
        f'font-size="13" fill="#5b6475">{escape(_("Nothing to show for these filters."))}</text>'
    )


def _short(label: str) -> str:
    return label if len(label) <= LONGEST_LABEL else label[: LONGEST_LABEL - 1] + "…"


def _ticks(low: float, high: float) -> list[float]:
    span = high - low or 1
    step = next(s for s in (0.5, 1, 2, 5, 10, 20, 50, 100, 1000) if span / s <= 6)
    first = step * (low // step)
    return [first + step * n for n in range(int(span / step) + 2) if first + step * n <= high]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
