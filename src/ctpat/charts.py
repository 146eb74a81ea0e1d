"""Small server-rendered charts (SVG) for the dashboards: bars and lines, each with the same
numbers as a table beside it for screen readers and for people who prefer to read.

Pages build a chart here and render it with ``{% include "includes/chart.html" with chart=... %}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

PALETTE = ("#005ea2", "#e5a000", "#00a91c", "#d83933", "#8168b3", "#71767a")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 48, 40, 16


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str
    value: float


@dataclass(frozen=True)
class Chart:
    title: str
    kind: str  # "bar" or "line"
    labels: Sequence[str]
    series: Sequence[Series]
    unit: str = ""
    bars: list[Bar] = field(default_factory=list)
    lines: list[tuple[str, str, str]] = field(default_factory=list)  # (name, colour, SVG points)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, text)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(s.name, PALETTE[i % len(PALETTE)]) for i, s in enumerate(self.series)]

    @property
    def rows(self) -> list[tuple[str, list[float]]]:
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]


def _scale(series: Sequence[Series]) -> float:
    top = max((v for s in series for v in s.values), default=0.0)
    return top if top > 0 else 1.0


def _ticks(top: float, unit: str) -> list[tuple[float, str]]:
    plot = HEIGHT - BOTTOM - TOP
    return [(TOP + plot * (1 - k / 4), f"{top * k / 4:,.3g}{unit}") for k in range(5)]


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = "") -> Chart:
    """Grouped bars: one group per label, one bar per series."""
    top = _scale(series)
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    group = plot_w / max(len(labels), 1)
    bar_w = group * 0.8 / max(len(series), 1)
    bars, x_labels = [], []
    for i, label in enumerate(labels):
        x_labels.append((LEFT + group * (i + 0.5), label))
        for j, s in enumerate(series):
            h = plot_h * s.values[i] / top
            x = LEFT + group * i + group * 0.1 + bar_w * j
            bars.append(
                Bar(
                    x,
                    TOP + plot_h - h,
                    bar_w,
                    h,
                    PALETTE[j % len(PALETTE)],
                    f"{s.name}: {label}",
                    s.values[i],
                )
            )
    return Chart(title, "bar", labels, series, unit, bars=bars, ticks=_ticks(top, unit), x_labels=x_labels)


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = "") -> Chart:
    """One line per series over the labels (e.g. months)."""
    top = _scale(series)
    plot_w, plot_h = WIDTH - LEFT - 32, HEIGHT - BOTTOM - TOP
    step = plot_w / max(len(labels) - 1, 1)
    lines = []
    for j, s in enumerate(series):
        points = " ".join(
            f"{LEFT + step * i:.1f},{TOP + plot_h * (1 - v / top):.1f}" for i, v in enumerate(s.values)
        )
        lines.append((s.name, PALETTE[j % len(PALETTE)], points))
    x_labels = [(LEFT + step * i, label) for i, label in enumerate(labels)]
    return Chart(title, "line", labels, series, unit, lines=lines, ticks=_ticks(top, unit), x_labels=x_labels)
