"""Plotly figures built from a comparison summary: pure functions, testable without a browser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from tokenomics.units import COMPONENT_LABELS, COST_COMPONENTS

FRONTIER_COLOUR = "#d62728"
POINT_COLOUR = "#1f77b4"


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


def pareto_figure(summary: pd.DataFrame) -> go.Figure:
    """Success rate against cost per success (log axis), 95% intervals both ways, frontier marked.

    The frontier is the staircase of models that no other model beats on both axes (not a
    convex hull). An unbounded upper interval is drawn to the chart's edge.
    """
    data = plottable(summary).sort_values("cost_per_success")
    fig = go.Figure()
    if data.empty:
        fig.update_layout(title="No model has a finite cost per success")
        return fig
    cps = data["cost_per_success"].to_numpy()
    edge = float(np.nanmax(np.where(np.isfinite(data["cps_high"]), data["cps_high"], cps))) * 3
    high = np.where(np.isfinite(data["cps_high"]), data["cps_high"], edge)
    hover = [
        f"<b>{m}</b><br>success {p:.1%} ({lo:.1%}-{hi:.1%})<br>cost per success ${c:.4g} "
        f"(${cl:.4g}-{'unbounded' if not np.isfinite(ch) else f'${ch:.4g}'})"
        for m, p, lo, hi, c, cl, ch in zip(
            data["model"],
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
    for mask, name, colour, size in (
        (~on, "other models", POINT_COLOUR, 8),
        (on, "Pareto frontier", FRONTIER_COLOUR, 11),
    ):
        if not mask.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=cps[mask],
                y=data["success_rate"].to_numpy()[mask],
                mode="markers+text" if name == "Pareto frontier" else "markers",
                text=data["model"].to_numpy()[mask] if name == "Pareto frontier" else None,
                textposition="top center",
                name=name,
                marker={"color": colour, "size": size},
                hovertext=np.array(hover)[mask],
                hoverinfo="text",
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (high - cps)[mask],
                    "arrayminus": (cps - data["cps_low"].to_numpy())[mask],
                    "thickness": 1,
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (data["success_high"] - data["success_rate"]).to_numpy()[mask],
                    "arrayminus": (data["success_rate"] - data["success_low"]).to_numpy()[mask],
                    "thickness": 1,
                },
            )
        )
    add_staircase(fig, data[on], "success_rate")
    fig.update_layout(
        xaxis={"type": "log", "title": "cost per solved task (USD, log scale)"},
        yaxis={"title": "success rate", "tickformat": ".0%", "range": [0, 1.05]},
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 30},
        height=520,
    )
    return fig


def cost_breakdown_figure(summary: pd.DataFrame, share: bool = True) -> go.Figure:
    """Where the money for one solved task goes: input, cached input, output, reasoning...

    ``share=True`` shows each model's split as percentages (models costed from an observed
    total have no split and are left out); ``share=False`` shows USD per solved task, with
    observed-only models as one grey bar.
    """
    data = plottable(summary).sort_values("cost_per_success", ascending=False)
    if share:
        data = data[data["cost_basis"] == "priced"]
    fig = go.Figure()
    successes = data["successes"].to_numpy(dtype=float)
    for col in COST_COMPONENTS:
        per_success = data[col].to_numpy(dtype=float) / successes
        if np.nansum(per_success) <= 0:
            continue
        fig.add_trace(go.Bar(y=data["model"], x=per_success, name=COMPONENT_LABELS[col], orientation="h"))
    observed = np.where(data["cost_basis"] == "priced", np.nan, data["cost_per_success"])
    if not share and np.isfinite(observed).any():
        fig.add_trace(
            go.Bar(y=data["model"], x=observed, name="observed total (not split)", orientation="h", marker_color="#aaa")
        )
    fig.update_layout(
        barmode="stack",
        barnorm="percent" if share else None,
        xaxis={"title": "share of the cost of a solved task (%)" if share else "USD per solved task"},
        height=max(300, 22 * len(data) + 120),
        legend={"orientation": "h", "y": -0.15},
        margin={"t": 30},
    )
    return fig
