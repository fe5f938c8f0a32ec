"""Plotly figures of a what-if table: the scenario's Pareto chart and the tornado of knobs.

Money is in the scenario's currency; where that is not USD, every tooltip states the rate, its
source and its day (``rate_note``). ``None``: nothing to draw (the page says why in a sentence).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reports.charts import FONT, FRONTIER_COLOUR, PICK_COLOUR, POINT_COLOUR, Y_RANGE, add_staircase
from reports.labels import HEIGHT_PX, add_point_labels, log_range, money_log_axis
from tokenomics.format import money, pct, sign_of


def _note(rate_note: str) -> str:
    return f"<br><i>{rate_note}</i>" if rate_note else ""


def pareto_whatif_figure(
    table: pd.DataFrame, currency: str = "USD", highlight: Iterable[str] = (), rate_note: str = ""
) -> go.Figure | None:
    """P(solved) under the scenario against cost per solved task (log axis), frontier as a staircase.

    Scenario results are point values (no intervals): the retries, haircut and prices are
    assumptions. The frontier and the ``highlight`` rows (the leader, the cascade) are labelled.
    """
    ok = np.isfinite(table["cost_per_success"].to_numpy(dtype=float)) & (table["cost_per_success"] > 0)
    data = table[ok].sort_values("cost_per_success")
    if data.empty:
        return None
    cps = data["cost_per_success"].to_numpy(dtype=float)
    solved = data["p_solved"].to_numpy(dtype=float)
    x_range = log_range(cps)
    on = data["on_frontier"].to_numpy(dtype=bool)
    picked = data["model"].isin(set(highlight)).to_numpy()
    hover = np.array(
        [
            f"<b>{m}</b><br>P(solved) {pct(p)}<br>cost per solved task {money(c, currency)}{_note(rate_note)}"
            for m, p, c in zip(data["model"].astype(str), solved, cps, strict=True)
        ],
        dtype=object,
    )
    fig = go.Figure()
    for mask, name, colour, size in (
        (~on & ~picked, "other models", POINT_COLOUR, 8),
        (on & ~picked, "Pareto frontier", FRONTIER_COLOUR, 11),
        (picked, "cheapest and your cascade", PICK_COLOUR, 12),
    ):
        if not mask.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=cps[mask],
                y=solved[mask],
                mode="markers",
                name=name,
                marker={"color": colour, "size": size, "line": {"width": 1, "color": "white"}},
                hovertext=hover[mask],
                hoverinfo="text",
            )
        )
    add_staircase(fig, data[on], "p_solved")
    add_point_labels(fig, cps, solved, data["model"].astype(str).tolist(), on | picked, x_range, Y_RANGE)
    fig.update_layout(
        xaxis=money_log_axis(*x_range, currency, f"cost per solved task ({currency}, log scale)"),
        yaxis={"title": "P(solved) under the scenario", "tickformat": ".0%", "range": list(Y_RANGE)},
        legend={"orientation": "h", "y": -0.18},
        margin={"t": 20, "l": 60, "r": 20},
        height=HEIGHT_PX + 100,
        font=FONT,
    )
    return fig


def tornado_figure(
    bars: pd.DataFrame, model: str, metric_name: str, currency: str = "USD", rate_note: str = ""
) -> go.Figure | None:
    """One horizontal bar per knob from its low to its high value, biggest swing on top."""
    if bars.empty:
        return None
    data = bars.iloc[::-1]
    base = float(data["base"].iloc[0])
    fig = go.Figure()
    for column, name, colour in (("low", "knob down", "#2ca02c"), ("high", "knob up", "#d62728")):
        fig.add_trace(
            go.Bar(
                y=data["knob"],
                x=data[column] - base,
                base=base,
                orientation="h",
                name=name,
                marker_color=colour,
                hovertext=[
                    f"{k}: {money(v, currency)} ({money(base, currency)} now){_note(rate_note)}"
                    for k, v in zip(data["knob"], data[column], strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.add_vline(x=base, line_dash="dot", line_color="#555")
    fig.update_layout(
        barmode="overlay",
        title={"text": f"What moves {model}'s {metric_name} most", "font": {"size": 14}},
        xaxis={"title": f"{metric_name} ({currency})", "tickprefix": sign_of(currency), "tickformat": ",.3~g"},
        yaxis={"automargin": True},
        height=max(280, 34 * len(data) + 140),
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 50, "r": 20},
        font=FONT,
    )
    return fig
