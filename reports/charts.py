"""Plotly figures built from a comparison summary: pure functions, testable without a browser.

A figure with nothing to draw is ``None``: the page writes a sentence instead of empty axes.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reports.labels import HEIGHT_PX, add_point_labels, log_range, money_log_axis
from tokenomics.format import interval, money, pct
from tokenomics.units import COMPONENT_LABELS, COST_COMPONENTS

FRONTIER_COLOUR = "#d62728"
POINT_COLOUR = "#1f77b4"
PICK_COLOUR = "#ff7f0e"
Y_RANGE = (0.0, 1.05)
FONT = {"family": "Source Sans, sans-serif", "size": 12}


def plottable(summary: pd.DataFrame) -> pd.DataFrame:
    """Models with a finite cost per success (the others are listed beside the chart)."""
    ok = np.isfinite(summary["cost_per_success"]) & (summary["cost_per_success"] > 0)
    return summary[ok]


def add_staircase(fig: go.Figure, frontier: pd.DataFrame, rate_column: str) -> None:
    """Draw the Pareto frontier as a staircase through its models, cheapest first."""
    frontier = frontier.sort_values("cost_per_success")
    if len(frontier) > 1:
        fig.add_trace(
            go.Scatter(
                x=frontier["cost_per_success"],
                y=frontier[rate_column],
                mode="lines",
                line={"shape": "hv", "color": FRONTIER_COLOUR, "dash": "dot"},
                name="frontier (staircase)",
                hoverinfo="skip",
            )
        )


def _who(data: pd.DataFrame) -> pd.Series:
    """Vendor and origin for the hover text, where the summary has them."""
    if "vendor" not in data.columns:
        return pd.Series("", index=data.index)
    vendor = data["vendor"].fillna("").astype(str)
    origin = data["origin"].fillna("").astype(str) if "origin" in data.columns else ""
    return ("<br>" + vendor + " (" + origin + ")").where(vendor != "", "")


def pareto_figure(summary: pd.DataFrame, highlight: Iterable[str] = ()) -> go.Figure | None:
    """Success rate against cost per success (log axis), 95% intervals both ways, frontier marked.

    The frontier is the staircase of models that no other model beats on both axes (not a
    convex hull). The frontier and the ``highlight`` models are labelled, the rest named on
    hover. An unbounded upper interval is drawn to the chart's edge. ``None``: nothing to draw.
    """
    data = plottable(summary).sort_values("cost_per_success")
    if data.empty:
        return None
    picks = set(highlight)
    cps = data["cost_per_success"].to_numpy(dtype=float)
    high_known = np.isfinite(data["cps_high"].to_numpy(dtype=float))
    x_range = log_range(np.concatenate([cps, data["cps_low"].to_numpy(dtype=float)]))
    edge = 10 ** x_range[1]
    high = np.where(high_known, np.minimum(data["cps_high"].to_numpy(dtype=float), edge), edge)
    hover = [
        f"<b>{m}</b>{who}<br>success {pct(p)} ({interval(plo, phi, pct)})"
        f"<br>cost per solved task {money(c)} ({interval(clo, chi)})"
        for m, who, p, plo, phi, c, clo, chi in zip(
            data["model"].astype(str),
            _who(data),
            data["success_rate"],
            data["success_low"],
            data["success_high"],
            cps,
            data["cps_low"],
            data["cps_high"],
            strict=True,
        )
    ]
    on = data["on_frontier"].to_numpy(dtype=bool)
    picked = data["model"].isin(picks).to_numpy()
    fig = go.Figure()
    for mask, name, colour, size in (
        (~on & ~picked, "other models", POINT_COLOUR, 8),
        (on & ~picked, "Pareto frontier", FRONTIER_COLOUR, 11),
        (picked, "your picks", PICK_COLOUR, 12),
    ):
        if not mask.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=cps[mask],
                y=data["success_rate"].to_numpy()[mask],
                mode="markers",
                name=name,
                marker={"color": colour, "size": size, "line": {"width": 1, "color": "white"}},
                hovertext=np.array(hover, dtype=object)[mask],
                hoverinfo="text",
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (high - cps)[mask],
                    "arrayminus": (cps - data["cps_low"].to_numpy())[mask],
                    "thickness": 1,
                    "color": "rgba(0,0,0,0.25)",
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (data["success_high"] - data["success_rate"]).to_numpy()[mask],
                    "arrayminus": (data["success_rate"] - data["success_low"]).to_numpy()[mask],
                    "thickness": 1,
                    "color": "rgba(0,0,0,0.25)",
                },
            )
        )
    add_staircase(fig, data[on], "success_rate")
    add_point_labels(
        fig,
        cps,
        data["success_rate"].to_numpy(dtype=float),
        data["model"].astype(str).tolist(),
        on | picked,
        x_range,
        Y_RANGE,
    )
    fig.update_layout(
        xaxis=money_log_axis(*x_range, "USD", "cost per solved task (USD, log scale)"),
        yaxis={"title": "success rate", "tickformat": ".0%", "range": list(Y_RANGE)},
        legend={"orientation": "h", "y": -0.18},
        margin={"t": 20, "l": 60, "r": 20},
        height=HEIGHT_PX + 100,
        font=FONT,
    )
    return fig


def cost_breakdown_figure(summary: pd.DataFrame, share: bool = True) -> go.Figure | None:
    """Where the money for one solved task goes: input, cached input, output, reasoning...

    ``share=True`` shows each model's split as percentages (models costed from an observed
    total have no split and are left out); ``share=False`` shows USD per solved task, with
    observed-only models as one grey bar. ``None`` when no model has anything to show.
    """
    data = plottable(summary).sort_values("cost_per_success", ascending=False)
    if share:
        data = data[data["cost_basis"] == "priced"]
    successes = data["successes"].to_numpy(dtype=float)
    traces = []
    for col in COST_COMPONENTS:
        per_success = data[col].to_numpy(dtype=float) / successes
        if not len(data) or np.nansum(per_success) <= 0:
            continue
        traces.append(
            go.Bar(
                y=data["model"],
                x=per_success,
                name=COMPONENT_LABELS[col],
                orientation="h",
                customdata=[money(v) for v in per_success],
                hovertemplate="%{y}: %{customdata} " + COMPONENT_LABELS[col] + "<extra></extra>",
            )
        )
    observed = np.where(data["cost_basis"] == "priced", np.nan, data["cost_per_success"])
    if not share and np.isfinite(observed).any():
        traces.append(
            go.Bar(
                y=data["model"],
                x=observed,
                name="published total (not split)",
                orientation="h",
                marker_color="#aaa",
                customdata=[money(v) for v in observed],
                hovertemplate="%{y}: %{customdata} published, no split by token kind<extra></extra>",
            )
        )
    if not traces:
        return None
    fig = go.Figure(traces)
    fig.update_layout(
        barmode="stack",
        barnorm="percent" if share else None,
        xaxis=(
            {"title": "share of the cost of a solved task (%)", "ticksuffix": "%"}
            if share
            else {"title": "USD per solved task", "tickprefix": "$", "tickformat": ",.3~g"}
        ),
        yaxis={"automargin": True},
        height=max(300, 22 * len(data) + 120),
        legend={"orientation": "h", "y": -0.15},
        margin={"t": 20, "r": 20},
        font=FONT,
    )
    return fig
