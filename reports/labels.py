"""Point labels that do not overlap, and axes that read like money: helpers for every chart.

A scatter of 20-70 models cannot carry every name: the frontier and the models the user picked
are labelled, the rest are named on hover. The labelled ones are placed greedily on a nominal
canvas: each label tries positions around its point (above, below, right, left, then further
out) and takes the first whose box overlaps no label already placed, no other point and stays
inside the plot; the label keeps a thin leader line to its point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from reports.format import log_ticks

CHAR_PX = 6.6
"""Width of one character of the 11 px label font, on average."""
LINE_PX = 15.0
POINT_PX = 6.0
WIDTH_PX, HEIGHT_PX = 640.0, 420.0
"""The nominal plot area labels are placed on (a half-width chart at 1440 px)."""


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.right <= other.left or other.right <= self.left or self.bottom <= other.top or other.bottom <= self.top
        )

    def inside(self, width: float, height: float) -> bool:
        return self.left >= 0 and self.top >= 0 and self.right <= width and self.bottom <= height


def _box(cx: float, cy: float, text: str) -> Box:
    half_w, half_h = len(text) * CHAR_PX / 2 + 2, LINE_PX / 2
    return Box(cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def place_labels(
    x_px: np.ndarray, y_px: np.ndarray, labelled: np.ndarray, texts: list[str], width: float, height: float
) -> list[tuple[float, float] | None]:
    """Per point, the (dx, dy) pixel offset of its label's centre, or None for an unlabelled point.

    ``labelled`` marks the points to label, in priority order of their index. A label that
    finds no free place goes where it overlaps least.

    >>> x, y = np.array([100.0, 104.0]), np.array([200.0, 200.0])
    >>> place_labels(x, y, np.array([True, True]), ["model-a", "model-b"], 640, 420)
    [(0.0, -18.0), (0.0, 18.0)]
    """
    placed: list[Box] = []
    points = [
        Box(px - POINT_PX, py - POINT_PX, px + POINT_PX, py + POINT_PX) for px, py in zip(x_px, y_px, strict=True)
    ]
    out: list[tuple[float, float] | None] = [None] * len(texts)
    for i in np.flatnonzero(labelled):
        text = texts[i]
        half_w = len(text) * CHAR_PX / 2 + 2
        side = half_w + POINT_PX + 4
        # Nearest first: above and below, beside, then further out in rows of one line height.
        candidates = sorted(
            (
                (dx, dy)
                for dy in (-18.0, 18.0, 0.0, -36.0, 36.0, -54.0, 54.0, -72.0, 72.0, -90.0, 90.0)
                for dx in (0.0, side, -side)
                if (dx, dy) != (0.0, 0.0)
            ),
            key=lambda d: (abs(d[1]) + (abs(d[0]) > 0) * 20, d[0] < 0, d[1] > 0),
        )
        best, best_cost = candidates[0], math.inf
        for dx, dy in candidates:
            box = _box(x_px[i] + dx, y_px[i] + dy, text)
            cost = sum(box.overlaps(b) for b in placed) * 10 + sum(
                box.overlaps(p) for j, p in enumerate(points) if j != i
            )
            cost += 0 if box.inside(width, height) else 100
            if cost == 0:
                best, best_cost = (dx, dy), 0
                break
            if cost < best_cost:
                best, best_cost = (dx, dy), cost
        placed.append(_box(x_px[i] + best[0], y_px[i] + best[1], text))
        out[i] = best
    return out


def log_range(values: np.ndarray, pad: float = 1.6) -> tuple[float, float]:
    """A log axis range (in log10 units, as Plotly wants it) around the finite positive values."""
    finite = values[np.isfinite(values) & (values > 0)]
    return math.log10(float(finite.min()) / pad), math.log10(float(finite.max()) * pad)


def add_point_labels(
    fig: go.Figure,
    x: np.ndarray,
    y: np.ndarray,
    texts: list[str],
    labelled: np.ndarray,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
) -> None:
    """Label the marked points of a scatter with a log x axis (``x_range`` in log10) and a linear y axis."""
    lx = np.log10(np.where(x > 0, x, np.nan))
    x_px = (lx - x_range[0]) / (x_range[1] - x_range[0]) * WIDTH_PX
    y_px = (1 - (y - y_range[0]) / (y_range[1] - y_range[0])) * HEIGHT_PX
    offsets = place_labels(x_px, y_px, labelled & np.isfinite(x_px), texts, WIDTH_PX, HEIGHT_PX)
    for i, offset in enumerate(offsets):
        if offset is None:
            continue
        fig.add_annotation(
            x=float(lx[i]),
            y=float(y[i]),
            text=texts[i],
            ax=offset[0],
            ay=offset[1],
            showarrow=True,
            arrowhead=0,
            arrowwidth=0.7,
            arrowcolor="#888",
            standoff=3,
            font={"size": 11},
            bgcolor="rgba(255,255,255,0.75)",
        )


def money_log_axis(low: float, high: float, currency: str, title: str) -> dict[str, object]:
    """A log axis of money whose ticks read in the app's format (``$0.001``, never ``1m`` or ``600µ``)."""
    values, labels = log_ticks(10**low, 10**high, currency)
    return {
        "type": "log",
        "title": title,
        "range": [low, high],
        "tickvals": values,
        "ticktext": labels,
    }


def count_log_axis(low: float, high: float, title: str) -> dict[str, object]:
    """A log axis of counts with plain ticks (``1,000``, ``10,000``), not ``1k`` or ``10k``."""
    values, labels = log_ticks(10**low, 10**high, None)
    return {"type": "log", "title": title, "range": [low, high], "tickvals": values, "ticktext": labels}
