"""Plotly figures of a what-if table: the scenario's Pareto chart and the tornado of knobs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reports.charts import FRONTIER_COLOUR, POINT_COLOUR, add_staircase

SYMBOLS = {"USD": "$", "EUR": "€", "CNY": "¥"}


def pareto_whatif_figure(table: pd.DataFrame, currency: str = "USD") -> go.Figure:
    """P(solved) under the scenario against cost per solved task (log axis), frontier as a staircase.

    Scenario results are point values (no intervals): the retries, haircut and prices are assumptions.
    """
    ok = np.isfinite(table["cost_per_success"].to_numpy(dtype=float)) & (table["cost_per_success"] > 0)
    data = table[ok].sort_values("cost_per_success")
    fig = go.Figure()
    if data.empty:
        fig.update_layout(title="No model has a finite cost per solved task under this scenario")
        return fig
    sign = SYMBOLS.get(currency, currency + " ")
    on = data["on_frontier"].to_numpy(dtype=bool)
    for mask, name, colour, size in (
        (~on, "other models", POINT_COLOUR, 8),
        (on, "Pareto frontier", FRONTIER_COLOUR, 11),
    ):
        if not mask.any():
            continue
        part = data[mask]
        fig.add_trace(
            go.Scatter(
                x=part["cost_per_success"],
                y=part["p_solved"],
                mode="markers+text" if name == "Pareto frontier" else "markers",
                text=part["model"] if name == "Pareto frontier" else None,
                textposition="top center",
                name=name,
                marker={"color": colour, "size": size},
                hovertext="<b>"
                + part["model"].astype(str)
                + "</b><br>P(solved) "
                + (part["p_solved"] * 100).round(1).astype(str)
                + "%<br>cost per solved task "
                + sign
                + part["cost_per_success"].map("{:.4g}".format),
                hoverinfo="text",
            )
        )
    add_staircase(fig, data[on], "p_solved")
    fig.update_layout(
        xaxis={"type": "log", "title": f"cost per solved task ({currency}, log scale)"},
        yaxis={"title": "P(solved) under the scenario", "tickformat": ".0%", "range": [0, 1.05]},
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 30},
        height=480,
    )
    return fig


def tornado_figure(bars: pd.DataFrame, model: str, metric_name: str, currency: str = "USD") -> go.Figure:
    """One horizontal bar per knob from its low to its high value, biggest swing on top."""
    fig = go.Figure()
    if bars.empty:
        fig.update_layout(title=f"No knob moves {model}")
        return fig
    data = bars.iloc[::-1]
    base = float(data["base"].iloc[0])
    for column, name, colour in (("low", "knob down", "#2ca02c"), ("high", "knob up", "#d62728")):
        fig.add_trace(
            go.Bar(
                y=data["knob"],
                x=data[column] - base,
                base=base,
                orientation="h",
                name=name,
                marker_color=colour,
                hovertext=data["knob"] + ": " + data[column].map("{:.4g}".format),
                hoverinfo="text",
            )
        )
    fig.add_vline(x=base, line_dash="dot", line_color="#555")
    fig.update_layout(
        barmode="overlay",
        title=f"What moves {model}'s {metric_name} most",
        xaxis={"title": f"{metric_name} ({currency})"},
        height=max(280, 34 * len(data) + 140),
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 50},
    )
    return fig
