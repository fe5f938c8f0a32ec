"""Findings as a chart, a terminal table, CSV and JSON: pure functions, no Streamlit, no files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from inputs.safe_cells import csv_text
from reports.tables import frame_to_json
from tokenomics.findings import (
    CLOSEST,
    FINDING_COLUMNS,
    GAINS,
    NO_DISCOUNT,
    REVERSES,
    SHRINKS,
    SURVIVES,
    TASK_ONLY,
    UNKNOWN,
)

TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
VERDICT_ORDER = (SURVIVES, SHRINKS, REVERSES, GAINS, NO_DISCOUNT, TASK_ONLY, UNKNOWN)
VERDICT_COLOURS = {
    SURVIVES: "#2ca02c",
    SHRINKS: "#ff7f0e",
    REVERSES: "#d62728",
    GAINS: "#1f77b4",
    NO_DISCOUNT: "#7f7f7f",
}


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Findings grouped by verdict (kept, shrunk, reversed, ..., unknown last), in their order within each."""
    rank = frame["verdict"].map({v: i for i, v in enumerate(VERDICT_ORDER)}).fillna(len(VERDICT_ORDER))
    return frame.iloc[np.argsort(rank.to_numpy(), kind="stable")]


def findings_csv(frame: pd.DataFrame) -> str:
    return csv_text(frame.reindex(columns=FINDING_COLUMNS))


def findings_json(frame: pd.DataFrame) -> str:
    return frame_to_json(frame.reindex(columns=FINDING_COLUMNS))


def _x(value: float) -> str:
    return "" if not np.isfinite(value) else f"{value:.2f}x"


def _rate(rate: float, low: float, high: float) -> str:
    return "" if not np.isfinite(rate) else f"{rate:.1%} ({low:.1%}-{high:.1%})"


def findings_table(frame: pd.DataFrame) -> str:
    """A fixed-width table of the findings, then one sentence per finding."""
    if frame.empty:
        return "No Chinese open-weight model in this data."
    view = pd.DataFrame(
        {
            "dataset": frame["dataset"],
            "model": frame["model"],
            "reference": frame["reference"],
            "success (95% CI)": [
                _rate(*v) for v in frame[["success_rate", "success_low", "success_high"]].to_numpy(dtype=float)
            ],
            "reference success": [
                _rate(*v)
                for v in frame[["reference_success_rate", "reference_success_low", "reference_success_high"]].to_numpy(
                    dtype=float
                )
            ],
            "output tokens x": frame["output_tokens_ratio"].astype(float).map(_x),
            "x cheaper/token": frame["per_token_discount"].astype(float).map(_x),
            "x cheaper/solved task (95% CI)": [
                "" if not np.isfinite(d) else f"{d:.2f}x ({lo:.2f}-{hi:.2f})" if np.isfinite(lo) else f"{d:.2f}x"
                for d, lo, hi in frame[["per_success_discount", "per_success_low", "per_success_high"]].to_numpy(
                    dtype=float
                )
            ],
            "verdict": frame["verdict"],
        }
    )
    sentences = "\n".join(f"- {s}" for s in frame["sentence"])
    return view.to_string(index=False) + "\n\n" + sentences


def findings_figure(frame: pd.DataFrame) -> go.Figure:
    """Per-token discount (x) against per-solved-task discount (y), log axes, the diagonal drawn.

    A point on the diagonal kept its whole per-token discount per solved task; below it, it lost
    part of it; below the horizontal line at 1, it is dearer per solved task than its reference.
    The vertical bars are the 95% intervals of the per-solved-task discount.
    """
    data = frame[
        np.isfinite(frame["per_token_discount"].astype(float))
        & np.isfinite(frame["per_success_discount"].astype(float))
        & (frame["per_token_discount"].astype(float) > 0)
        & (frame["per_success_discount"].astype(float) > 0)
    ]
    fig = go.Figure()
    if data.empty:
        fig.update_layout(title="No finding has both a per-token and a per-solved-task discount")
        return fig
    x = data["per_token_discount"].to_numpy(dtype=float)
    y = data["per_success_discount"].to_numpy(dtype=float)
    low = np.where(np.isfinite(data["per_success_low"].astype(float)), data["per_success_low"], y)
    high = np.where(np.isfinite(data["per_success_high"].astype(float)), data["per_success_high"], y)
    values = np.concatenate([x, y, low[low > 0], high[np.isfinite(high)]])
    lo, hi = float(values.min()) / 1.5, float(values.max()) * 1.5
    lo, hi = min(lo, 0.5), max(hi, 2.0)
    fig.add_trace(
        go.Scatter(
            x=[lo, hi],
            y=[lo, hi],
            mode="lines",
            line={"color": "#888", "dash": "dash"},
            name="discount kept in full (diagonal)",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[lo, hi],
            y=[1, 1],
            mode="lines",
            line={"color": "#bbb", "dash": "dot"},
            name="parity per solved task",
            hoverinfo="skip",
        )
    )
    for name, colour in VERDICT_COLOURS.items():
        mask = (data["verdict"] == name).to_numpy()
        if not mask.any():
            continue
        part = data[mask]
        hover = [
            f"<b>{m}</b> vs {r}<br>{t:.2f}x cheaper per token<br>{s:.2f}x per solved task ({a:.2f}-{b:.2f})"
            for m, r, t, s, a, b in zip(
                part["model"], part["reference"], x[mask], y[mask], low[mask], high[mask], strict=True
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=x[mask],
                y=y[mask],
                mode="markers+text",
                text=[f"{m} vs {r}" for m, r in zip(part["model"], part["reference"], strict=True)],
                textposition="top center",
                textfont={"size": 10},
                name=name,
                marker={"color": colour, "size": 10},
                hovertext=hover,
                hoverinfo="text",
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": high[mask] - y[mask],
                    "arrayminus": y[mask] - low[mask],
                    "thickness": 1,
                },
            )
        )
    ticks = [t for t in TICKS if lo <= t <= hi]
    axis = {
        "type": "log",
        "range": [np.log10(lo), np.log10(hi)],
        "tickvals": ticks,
        "ticktext": [f"{t:g}x" for t in ticks],
    }
    fig.update_layout(
        xaxis={**axis, "title": "x cheaper per token (log scale)"},
        yaxis={**axis, "title": "x cheaper per solved task (log scale)"},
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 30},
        height=560,
    )
    return fig


def _names(frame: pd.DataFrame) -> str:
    names = list(frame["model"])
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]


def overview(frame: pd.DataFrame) -> str:
    """One sentence for a dataset: against one reference, which models keep their discount and which lose it.

    The reference is the one chosen, else the cheapest Western model on the Pareto frontier.
    """
    known = frame[frame["reference"].astype(str) != ""]
    if known.empty:
        return "No Chinese open-weight model here can be set against a Western model with a known cost."
    cheapest = known[known["reference_basis"] != CLOSEST]
    reference = str((cheapest if not cheapest.empty else known)["reference"].mode().iloc[0])
    rows = known[known["reference"] == reference].drop_duplicates("model")
    cheaper = rows["per_success_discount"].astype(float) >= 1
    task_only = rows["verdict"] == TASK_ONLY
    groups = (
        ("keep their discount per solved task", rows["verdict"] == SURVIVES),
        ("keep part of their discount per solved task", rows["verdict"] == SHRINKS),
        ("lose it: dearer per solved task", rows["verdict"] == REVERSES),
        ("are dearer per token but cheaper per solved task", rows["verdict"] == GAINS),
        ("are dearer both ways", rows["verdict"] == NO_DISCOUNT),
        ("are cheaper per solved task (no price of their run's date for a per-token figure)", task_only & cheaper),
        ("are dearer per solved task (no price of their run's date for a per-token figure)", task_only & ~cheaper),
        ("cannot be costed", rows["verdict"] == UNKNOWN),
    )
    parts = [f"{_names(rows[mask])} {words}" for words, mask in groups if mask.any()]
    return f"Against {reference}: " + "; ".join(parts) + "."
