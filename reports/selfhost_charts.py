"""Monthly cost against monthly solved tasks: self-hosting as a step function, each API as a line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reports.charts import FONT
from reports.labels import count_log_axis, money_log_axis
from tokenomics.format import count, money
from tokenomics.selfhost import SelfHostPlan

SELF_HOST_COLOUR = "#d62728"
MAX_STEPS = 2000
"""More replica steps than this are drawn at a coarser grid: the chart stays light in the browser."""


def chart_range(capacity: float, break_evens: np.ndarray, volume: float) -> float:
    """Right edge of the chart: half again past the user's volume, one replica's capacity and the
    farthest finite break-even, so every crossing is in view.

    >>> chart_range(1000.0, np.array([3000.0, np.inf, np.nan]), 500.0)
    4500.0
    """
    finite = break_evens[np.isfinite(break_evens)]
    return 1.5 * max([volume, capacity, *finite.tolist()])


def step_points(plan: SelfHostPlan, max_volume: float) -> tuple[np.ndarray, np.ndarray]:
    """Corners of the self-host cost staircase up to ``max_volume``, drawn with Plotly's ``hv`` shape.

    The k-th point sits where the k-th replica starts to be needed, at the cost of k replicas:
    capacity 1,000, replicas at $300 and $600 fixed, up to 2,500 tasks:
    (0, 600), (0, 900), (1000, 1200), (2000, 1500), (2500, 1500).
    """
    steps = int(np.ceil(max_volume / plan.capacity))
    starts = np.linspace(0.0, (steps - 1) * plan.capacity, min(steps, MAX_STEPS))
    x = np.concatenate([[0.0], starts, [max_volume]])
    y = np.asarray(plan.monthly_cost(np.concatenate([[0.0], starts + plan.capacity / 2, [max_volume]])))
    return x, y


def monthly_cost_figure(
    plan: SelfHostPlan, label: str, apis: pd.DataFrame, volume: float, log: bool = False
) -> go.Figure:
    """Monthly cost (USD) against solved tasks a month for self-hosting ``label`` and each API option.

    ``apis`` has ``model``, ``cost_per_success`` and ``break_even`` (first break-even volume).
    The user's volume is a dotted vertical line; each finite break-even is a marker on its API line.
    ``log=True`` draws both axes on log scales, from a thousandth of the right edge (or half the
    user's volume if lower), so break-evens orders of magnitude apart are all readable.
    """
    breaks = apis["break_even"].to_numpy(dtype=float)
    max_volume = chart_range(plan.capacity, breaks, volume)
    start = min(max_volume / 1000, volume / 2 if volume > 0 else np.inf) if log else 0.0
    fig = go.Figure()
    x, y = step_points(plan, max_volume)
    if log:
        # The fixed-cost-only point at 0 tasks has no place on a log axis.
        x, y = np.maximum(x[1:], start), y[1:]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines",
            line={"shape": "hv", "color": SELF_HOST_COLOUR, "width": 3},
            name=f"self-host {label}",
            customdata=[f"{count(v)} tasks/month: {money(c)}" for v, c in zip(x, y, strict=True)],
            hovertemplate="%{customdata}<extra>self-host</extra>",
        )
    )
    ends = np.array([start, max_volume])
    for model, cps, at in zip(apis["model"], apis["cost_per_success"], breaks, strict=True):
        if not np.isfinite(cps):
            continue
        fig.add_trace(
            go.Scatter(
                x=ends,
                y=ends * cps,
                mode="lines",
                name=f"{model} (API)",
                customdata=[f"{count(v)} tasks/month: {money(v * cps)}" for v in ends],
                hovertemplate="%{customdata}<extra>" + str(model) + "</extra>",
            )
        )
        if np.isfinite(at):
            fig.add_trace(
                go.Scatter(
                    x=[at],
                    y=[at * cps],
                    mode="markers",
                    marker={"symbol": "x", "size": 11, "color": "black"},
                    name=f"break-even vs {model}",
                    showlegend=False,
                    hovertemplate=f"break-even vs {model}: {count(at)} tasks/month, {money(at * cps)}<extra></extra>",
                )
            )
    if volume > 0:
        fig.add_vline(x=volume, line_dash="dot", annotation_text="your volume")
    if log:
        costs = np.concatenate([y, *(ends * c for c in apis["cost_per_success"] if np.isfinite(c) and c > 0)])
        costs = costs[costs > 0]
        xaxis = count_log_axis(np.log10(start), np.log10(max_volume), "solved tasks per month (log scale)")
        yaxis = money_log_axis(
            float(np.log10(costs.min() / 1.3)), float(np.log10(costs.max() * 1.3)), "USD", "USD per month (log scale)"
        )
    else:
        xaxis = {"title": "solved tasks per month", "tickformat": ",.0f"}
        yaxis = {"title": "USD per month", "tickprefix": "$", "tickformat": ",.0f"}
    fig.update_layout(
        xaxis=xaxis,
        yaxis=yaxis,
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 30, "r": 20},
        height=520,
        font=FONT,
    )
    return fig
