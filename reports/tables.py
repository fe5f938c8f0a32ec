"""The comparison as a table for machines (CSV/JSON) and for people (text)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from inputs.safe_cells import csv_text
from tokenomics import format as fmt
from tokenomics.compare import OUTPUT_COLUMNS
from tokenomics.units import COST_COMPONENTS, TOKEN_COLUMNS

EXTRA_COLUMNS = [
    "dataset",
    "model_id",
    "editor_model",
    "cost_basis",
    "observed_cost",
    *(f"{c}_per_attempt" for c in TOKEN_COLUMNS),
    *COST_COMPONENTS,
    "cps_interval",
    "cost_of_pass",
    "baseline",
    "discount_per_token",
    "discount_per_success",
    "on_frontier",
    "price_layer",
    "price_from",
    "price_to",
    "price_as_of",
    "checked_on",
    "price_note",
    "repriced_cost",
    "repriced_vs_published",
    "repricing_flag",
    "failed_check",
    "tier_basis",
    "seconds_per_attempt",
    "seconds_per_success",
]


SORTS = {
    "cost": ("cost_per_success", True),
    "success": ("success_rate", False),
    "discount": ("discount_per_success", False),
    "model": ("model", True),
}
"""``--sort`` choices: the column and its direction; ``input`` keeps the order of the data."""


def ranked(frame: pd.DataFrame, by: str = "cost", within: str | None = None) -> pd.DataFrame:
    """Rows in the order a reader wants: cheapest per solved task first by default.

    Unbounded (inf) figures come after every finite one and unknown (NaN) last; ``within`` keeps
    groups (datasets) together in their first-seen order. Stable: ties keep the data's order.

    >>> frame = pd.DataFrame({"model": list("abcd"), "cost_per_success": [0.5, float("nan"), float("inf"), 0.1]})
    >>> ranked(frame)["model"].tolist()
    ['d', 'a', 'c', 'b']
    """
    if by == "input":
        return frame
    column, ascending = SORTS[by]
    keys = [column] if within is None else [within, column]
    order = frame.assign(**({within: pd.Categorical(frame[within], pd.unique(frame[within]))} if within else {}))
    return frame.loc[
        order.sort_values(keys, ascending=[True, ascending][-len(keys) :], na_position="last", kind="stable").index
    ]


def output_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """The documented columns first, then the extras present; rates as fractions, money in USD."""
    extras = [c for c in EXTRA_COLUMNS if c in summary.columns]
    return summary[[*OUTPUT_COLUMNS, *extras]]


def to_csv(summary: pd.DataFrame) -> str:
    # pandas writes inf as "inf" and NaN as empty, which is what the README promises; text cells
    # that a spreadsheet would run as a formula are quoted.
    return csv_text(output_frame(summary))


def _json_value(value: object) -> object:
    if value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def to_json(summary: pd.DataFrame) -> str:
    return frame_to_json(output_frame(summary))


def frame_to_json(frame: pd.DataFrame) -> str:
    """Records with inf as ``"inf"`` and unknown as ``null`` (the README's JSON convention)."""
    records = [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return json.dumps(records, indent=2)


def _cps_text(cps: float, low: float, high: float) -> str:
    if np.isinf(cps):
        return f"unbounded (no success; >= {fmt.money(low)})" if np.isfinite(low) else "unbounded"
    if np.isnan(cps):
        return "unpriced"
    if np.isfinite(low) or np.isfinite(high):
        return f"{fmt.money(cps)} ({fmt.interval(low, high)})"
    return fmt.money(cps)


def price_basis(summary: pd.DataFrame) -> pd.Series:
    """What each model's cost rests on, in a word or two: a price layer, its published cost, or nothing."""
    layer = summary["price_layer"] if "price_layer" in summary.columns else pd.Series("", index=summary.index)
    basis = summary["cost_basis"].astype(str) if "cost_basis" in summary.columns else pd.Series("", index=summary.index)
    return pd.Series(
        np.select(
            [basis == "unpriced", basis == "observed", basis == "mixed"],
            ["unpriced", "published cost", "mixed: " + layer.fillna("").astype(str)],
            default=layer.fillna("").astype(str),
        ),
        index=summary.index,
    )


def short_flag(flag: object) -> str:
    """The repricing flag's cause in a few words (the full sentence is in CSV/JSON)."""
    text = str(flag or "")
    return text.split(":")[0] if text else ""


def to_table(summary: pd.DataFrame) -> str:
    """A fixed-width table for a terminal: the figures a buyer reads first."""
    view = pd.DataFrame(
        {
            "model": summary["model"],
            "provider": summary["provider"],
            "solved": [f"{s}/{n}" for s, n in zip(summary["successes"], summary["attempts"], strict=True)],
            "success (95% CI)": [
                f"{fmt.pct(r)} ({fmt.interval(lo, hi, fmt.pct)})"
                for r, lo, hi in zip(
                    summary["success_rate"], summary["success_low"], summary["success_high"], strict=True
                )
            ],
            "cost/attempt": summary["cost_per_attempt"].map(lambda v: fmt.money(v, missing="unpriced")),
            "cost/success (95% CI)": [
                _cps_text(c, lo, hi)
                for c, lo, hi in zip(summary["cost_per_success"], summary["cps_low"], summary["cps_high"], strict=True)
            ],
            "x cheaper/token": summary["discount_per_token"].map(lambda v: fmt.ratio(v, missing="")),
            "x cheaper/success": summary["discount_per_success"].map(lambda v: fmt.ratio(v, missing="")),
            "price": price_basis(summary),
            "check": summary["repricing_flag"].map(short_flag) if "repricing_flag" in summary.columns else "",
        }
    )
    return view.to_string(index=False)
