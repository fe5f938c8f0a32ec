"""Findings: each Chinese open-weight model against a Western reference model, per token and per solved task.

A *finding* is one model against its *reference model* on one dataset, with a verdict on
whether its per-token discount survives per solved task:

    per-token discount        D_t = bill_reference / bill_model
                              (one token mix, billed at each model's bill-weighted unit prices)
    per-solved-task discount  D_s = CPS_reference / CPS_model
    output-token ratio        output tokens per attempt, model / reference ("token hunger")

Above 1 means the model is cheaper than the reference. The verdict (``verdict``):
*survives* (D_s at least 90% of D_t), *shrinks* (still cheaper per solved task, by less),
*reverses* (dearer per solved task although cheaper per token), *gains* (dearer per token,
cheaper per solved task), *no discount* (dearer both ways), *per task only* (no price of the
run's date for one of the two: only the per-solved-task figure is known), *unknown*.

The 95% interval of D_s resamples *tasks*, paired (both models on the same resampled tasks),
where the data has per-task attempts; otherwise (aggregated runs) it comes from the two
success-rate intervals alone, with the cost per attempt taken as known (``katz_interval``).

Worked example (primer): a model 5.2x cheaper per token that needs 4x the output tokens and
succeeds less often keeps only 1.1x per solved task: ``verdict(5.2, 1.1)`` is "shrinks".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tokenomics.compare import eligible, pareto_frontier, token_bills, unit_price_frame
from tokenomics.stats import Z95, model_seed
from tokenomics.units import TOKEN_COLUMNS

SURVIVES = "survives"
SHRINKS = "shrinks"
REVERSES = "reverses"
GAINS = "gains"
NO_DISCOUNT = "no discount"
TASK_ONLY = "per task only"
UNKNOWN = "unknown"
KEEP = 0.9
"""A per-solved-task discount of at least this share of the per-token one counts as surviving."""

CLOSEST = "closest Western success rate"
CHEAPEST = "cheapest Western model on the Pareto frontier"
CHOSEN = "chosen"

FINDING_COLUMNS = [
    "dataset",
    "model",
    "origin",
    "open_weights",
    "reference",
    "reference_basis",
    "success_rate",
    "success_low",
    "success_high",
    "reference_success_rate",
    "reference_success_low",
    "reference_success_high",
    "output_tokens_ratio",
    "per_token_discount",
    "per_success_discount",
    "per_success_low",
    "per_success_high",
    "verdict",
    "interval_method",
    "token_mix",
    "cost_per_success",
    "reference_cost_per_success",
    "cost_basis",
    "reference_cost_basis",
    "haircut",
    "reference_haircut",
    "model_note",
    "sentence",
]


def verdict(per_token: np.ndarray, per_success: np.ndarray, keep: float = KEEP) -> np.ndarray:
    """What happens to a per-token discount per solved task, vectorised.

    >>> verdict(np.array([4.0, 4.0, 4.0, 0.8, 0.8, np.nan, 4.0]),
    ...         np.array([3.8, 2.0, 0.5, 1.2, 0.5, 1.0, np.nan])).tolist()
    ['survives', 'shrinks', 'reverses', 'gains', 'no discount', 'per task only', 'unknown']
    """
    t = np.asarray(per_token, dtype=float)
    s = np.asarray(per_success, dtype=float)
    out: np.ndarray = np.select(
        [
            np.isnan(s),
            np.isnan(t),
            (t >= 1) & (s >= keep * t),
            (t >= 1) & (s >= 1),
            t >= 1,
            s >= 1,
        ],
        [UNKNOWN, TASK_ONLY, SURVIVES, SHRINKS, REVERSES, GAINS],
        default=NO_DISCOUNT,
    ).astype(object)
    return out


def katz_interval(
    discount: np.ndarray,
    successes: np.ndarray,
    attempts: np.ndarray,
    ref_successes: np.ndarray,
    ref_attempts: np.ndarray,
    z: float = Z95,
) -> tuple[np.ndarray, np.ndarray]:
    """95% interval of D_s from the two success rates alone (aggregated data), cost per attempt known.

    ``D_s = (c_ref / c) x (p / p_ref)``: with the costs per attempt fixed, its uncertainty is that
    of a ratio of two independent proportions, for which Katz's log interval gives
    ``D_s x exp(+-z sqrt(1/S - 1/N + 1/S_ref - 1/N_ref))`` (a zero count takes 0.5 instead).

    Worked example (Aider): DeepSeek V3 (0324), 124/225 solved, against gpt-4.1, 118/225, with
    D_s = 9.2: ``sqrt(1/124 - 1/225 + 1/118 - 1/225) = 0.0875``, ``exp(1.96 x 0.0875) = 1.187``,
    so 7.75-10.92.

    >>> low, high = katz_interval(np.array([9.2]), np.array([124]), np.array([225]), np.array([118]),
    ...     np.array([225]))
    >>> [round(float(low[0]), 2), round(float(high[0]), 2)]
    [7.75, 10.92]
    """
    s = np.where(np.asarray(successes, dtype=float) > 0, successes, 0.5)
    r = np.where(np.asarray(ref_successes, dtype=float) > 0, ref_successes, 0.5)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.clip(1 / s - 1 / np.asarray(attempts) + 1 / r - 1 / np.asarray(ref_attempts), 0, None))
    d = np.asarray(discount, dtype=float)
    return d * np.exp(-z * se), d * np.exp(z * se)


def paired_bootstrap(
    tasks: pd.DataFrame, model: str, reference: str, *, resamples: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float, float, int]:
    """Percentile interval of D_s when the tasks both models attempted are resampled together.

    ``tasks`` holds ``label, task_id, cost, successes`` (``compare.task_totals``). Each resample
    draws the shared tasks with replacement and recomputes both models' cost per success on the
    same draw, so a hard task weighs on both at once. Returns (low, high, number of shared tasks).
    """
    mine = tasks[tasks["label"] == model].set_index("task_id")
    theirs = tasks[tasks["label"] == reference].set_index("task_id")
    shared = mine.index.intersection(theirs.index)
    if len(shared) < 2:
        return float("nan"), float("nan"), len(shared)
    a, b = mine.loc[shared], theirs.loc[shared]
    rng = np.random.default_rng(model_seed(seed, f"{model}|{reference}"))
    idx = rng.integers(0, len(shared), size=(resamples, len(shared)))
    with np.errstate(divide="ignore", invalid="ignore"):
        cps = a["cost"].to_numpy(dtype=float)[idx].sum(axis=1) / a["successes"].to_numpy(dtype=float)[idx].sum(axis=1)
        ref = b["cost"].to_numpy(dtype=float)[idx].sum(axis=1) / b["successes"].to_numpy(dtype=float)[idx].sum(axis=1)
        ratio = np.where(np.isfinite(cps), ref / cps, 0.0)
    tail = (1 - level) / 2
    low, high = np.quantile(np.nan_to_num(ratio, nan=np.inf), [tail, 1 - tail], method="inverted_cdf")
    return float(low), float(high), len(shared)


def candidates(origins: pd.DataFrame) -> list[str]:
    """Labels of the Chinese open-weight models (``origin == "CN"`` and open weights), in table order."""
    open_weights = origins["open_weights"].map(lambda v: v is True or v == 1 or str(v).lower() == "true")
    return [str(label) for label in origins.index[(origins["origin"] == "CN") & open_weights]]


def default_references(summary: pd.DataFrame, origins: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """Per Chinese open-weight model, its default references with the reason for each.

    The Western model closest in success rate (ties: the cheaper per solved task), and the
    cheapest Western model on the Pareto frontier of the dataset (of the Western models alone if
    none of them is on it). Only models that may drive a headline (``compare.eligible``: a finite
    cost per solved task, the plausibility check passed) are references. ``summary`` is indexed
    by model label.
    """
    ok = eligible(summary) & (summary["successes"] > 0)
    western = summary[ok & (origins["origin"].reindex(summary.index) == "Western")]
    out: dict[str, list[tuple[str, str]]] = {label: [] for label in candidates(origins) if label in summary.index}
    if western.empty:
        return out
    pool = summary[ok]
    on = pd.Series(pareto_frontier(pool["success_rate"].to_numpy(), pool["cost_per_success"].to_numpy()), pool.index)
    frontier = western[on.reindex(western.index).fillna(False).astype(bool)]
    if frontier.empty:
        own = pareto_frontier(western["success_rate"].to_numpy(), western["cost_per_success"].to_numpy())
        frontier = western[own]
    cheapest = str(frontier["cost_per_success"].astype(float).idxmin())
    for label in out:
        gap = (western["success_rate"] - _cell(summary, label, "success_rate")).abs()
        order = pd.DataFrame({"gap": gap.round(12), "cps": western["cost_per_success"]}).sort_values(["gap", "cps"])
        closest = str(order.index[0])
        out[label].append((closest, CLOSEST))
        if cheapest != closest:
            out[label].append((cheapest, CHEAPEST))
    return out


def _mix(summary: pd.DataFrame, label: str) -> pd.Series:
    return pd.Series(
        {
            c: summary.at[label, f"{c}_per_attempt"] if f"{c}_per_attempt" in summary.columns else np.nan
            for c in TOKEN_COLUMNS
        },
        dtype=float,
    )


def _dataset_mix(summary: pd.DataFrame) -> pd.Series:
    """The mean tokens per attempt of the runs whose tokens can be trusted."""
    trusted = summary[~summary.get("tokens_unpriceable", pd.Series(False, index=summary.index)).astype(bool)]
    columns = [f"{c}_per_attempt" for c in TOKEN_COLUMNS if f"{c}_per_attempt" in summary.columns]
    mix = trusted[columns].mean()
    mix.index = [c.removesuffix("_per_attempt") for c in columns]
    return mix.reindex(list(TOKEN_COLUMNS))


def findings(
    summary: pd.DataFrame,
    origins: pd.DataFrame,
    *,
    references: list[str] | None = None,
    tasks: pd.DataFrame | None = None,
    haircuts: pd.Series | None = None,
    resamples: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per (Chinese open-weight model, reference) of one dataset's ``summary``.

    ``summary`` is ``compare.summarise`` output (one dataset); ``origins`` is indexed by label with
    ``origin`` and ``open_weights``; ``references`` replaces the defaults (``default_references``)
    with the given models for every candidate; ``tasks`` (``compare.task_totals``) enables the
    paired task bootstrap; ``haircuts`` (label -> h) applies the fresh-data haircut
    ``p (1 - h)`` to both success rates, with the haircut taken as known.
    """
    table = summary.set_index("model", drop=False)
    origins = origins.reindex(table.index)
    if references:
        chosen = [r for r in references if r in table.index]
        pairs = {c: [(r, CHOSEN) for r in chosen if r != c] for c in candidates(origins) if c in table.index}
    else:
        pairs = default_references(table, origins)
    h = (haircuts if haircuts is not None else pd.Series(dtype=float)).reindex(table.index).fillna(0.0)
    prices = unit_price_frame(table)
    dataset_mix = _dataset_mix(table)
    unpriceable = table.get("tokens_unpriceable", pd.Series(False, index=table.index)).astype(bool)
    records = []
    for model, refs in pairs.items():
        for reference, basis in refs or [("", "no Western reference with a known cost")]:
            records.append(_finding(table, origins, prices, dataset_mix, unpriceable, h, model, reference, basis))
    out = pd.DataFrame.from_records(records, columns=[c for c in FINDING_COLUMNS if c != "sentence"])
    if out.empty:
        return out.reindex(columns=FINDING_COLUMNS)
    _add_intervals(out, table, tasks, resamples, seed)
    out["verdict"] = verdict(out["per_token_discount"].to_numpy(), out["per_success_discount"].to_numpy())
    out["sentence"] = [_sentence({str(k): v for k, v in r.items()}) for r in out.to_dict(orient="records")]
    return out[FINDING_COLUMNS]


def _finding(
    table: pd.DataFrame,
    origins: pd.DataFrame,
    prices: pd.DataFrame,
    dataset_mix: pd.Series,
    unpriceable: pd.Series,
    h: pd.Series,
    model: str,
    reference: str,
    basis: str,
) -> dict[str, object]:
    row = table.loc[model]
    keep = 1 - float(h[model])
    record: dict[str, object] = {
        "dataset": row.get("dataset", ""),
        "model": model,
        "origin": origins.at[model, "origin"],
        "open_weights": bool(origins.at[model, "open_weights"]),
        "reference": reference,
        "reference_basis": basis,
        "success_rate": row["success_rate"] * keep,
        "success_low": row["success_low"] * keep,
        "success_high": row["success_high"] * keep,
        "cost_per_success": row["cost_per_success"] / keep,
        "cost_basis": row.get("cost_basis", ""),
        "haircut": float(h[model]),
        "model_note": "; ".join(str(n) for n in (row.get("repricing_flag", ""), row.get("price_note", "")) if n),
    }
    nan = float("nan")
    if not reference:
        return {**record, "per_token_discount": nan, "per_success_discount": nan, "token_mix": ""}
    ref = table.loc[reference]
    ref_keep = 1 - float(h[reference])
    mix, mix_name = _mix(table, reference), "reference's"
    if mix.isna().all() or unpriceable[reference]:
        mix, mix_name = _mix(table, model), "model's"
    if mix.isna().all() or unpriceable[model]:
        mix, mix_name = dataset_mix, "dataset mean"
    bills = token_bills(mix, prices.loc[[model, reference]])
    with np.errstate(divide="ignore", invalid="ignore"):
        per_token = float(bills.iloc[1] / bills.iloc[0])
        per_success = (_cell(table, reference, "cost_per_success") / ref_keep) / (
            _cell(table, model, "cost_per_success") / keep
        )
        hungry = _cell(table, model, "output_tokens_per_attempt") / _cell(table, reference, "output_tokens_per_attempt")
    if unpriceable[model] or unpriceable[reference]:
        hungry = nan
    return {
        **record,
        "reference_success_rate": ref["success_rate"] * ref_keep,
        "reference_success_low": ref["success_low"] * ref_keep,
        "reference_success_high": ref["success_high"] * ref_keep,
        "reference_cost_per_success": ref["cost_per_success"] / ref_keep,
        "reference_cost_basis": ref.get("cost_basis", ""),
        "reference_haircut": float(h[reference]),
        "output_tokens_ratio": hungry,
        "per_token_discount": per_token if np.isfinite(per_token) else nan,
        "per_success_discount": per_success if not np.isnan(per_success) else nan,
        "token_mix": mix_name if np.isfinite(per_token) else "",
    }


def _add_intervals(
    out: pd.DataFrame, table: pd.DataFrame, tasks: pd.DataFrame | None, resamples: int, seed: int
) -> None:
    """The 95% interval of every finding's D_s, and how it was made (``interval_method``)."""
    models, refs = out["model"].astype(str), out["reference"].astype(str)
    known = refs.ne("") & np.isfinite(out["per_success_discount"].astype(float))
    low, high = np.full(len(out), np.nan), np.full(len(out), np.nan)
    method = np.full(len(out), "", dtype=object)
    if known.any():
        m, r = table.loc[list(models[known])], table.loc[list(refs[known])]
        k_low, k_high = katz_interval(
            out.loc[known, "per_success_discount"].to_numpy(dtype=float),
            m["successes"].to_numpy(),
            m["attempts"].to_numpy(),
            r["successes"].to_numpy(),
            r["attempts"].to_numpy(),
        )
        low[known.to_numpy()], high[known.to_numpy()] = k_low, k_high
        method[known.to_numpy()] = "from the two success-rate intervals only (aggregated data; cost per attempt known)"
    if tasks is not None and not tasks.empty:
        for i in np.flatnonzero(known.to_numpy()):
            b_low, b_high, shared = paired_bootstrap(
                tasks, models.iloc[i], refs.iloc[i], resamples=resamples, seed=seed
            )
            if shared >= 2:
                # The haircut scales D_s by a known factor: the resampled ratios scale with it.
                factor = float(out["per_success_discount"].iloc[i]) / _raw_discount(table, models.iloc[i], refs.iloc[i])
                low[i], high[i] = b_low * factor, b_high * factor
                method[i] = f"paired bootstrap over {shared} shared tasks"
    out["per_success_low"], out["per_success_high"], out["interval_method"] = low, high, method


def _raw_discount(table: pd.DataFrame, model: str, reference: str) -> float:
    return _cell(table, reference, "cost_per_success") / _cell(table, model, "cost_per_success")


def _cell(frame: pd.DataFrame, row: str, column: str) -> float:
    """One cell as a float; NaN where the column is absent."""
    if column not in frame.columns:
        return float("nan")
    value: Any = frame.at[row, column]
    return float(value)


def _times(value: float) -> str:
    if value >= 1:
        return f"{value:.1f}x cheaper"
    return f"{1 / value:.1f}x more expensive" if value > 0 else "infinitely more expensive"


def interval_words(low: float, high: float) -> str:
    """An interval of discounts in the words of its direction.

    >>> [interval_words(2.0, 3.0), interval_words(0.25, 0.5), interval_words(0.5, 1.25)]
    ['2.0x-3.0x cheaper', '2.0x-4.0x more expensive', 'from 2.0x more expensive to 1.2x cheaper']
    """
    if low >= 1:
        return f"{low:.1f}x-{high:.1f}x cheaper"
    if high <= 1:
        return (
            f"{1 / high:.1f}x-{1 / low:.1f}x more expensive" if low > 0 else f"at least {1 / high:.1f}x more expensive"
        )
    more = f"{1 / low:.1f}x more expensive" if low > 0 else "unboundedly more expensive"
    return f"from {more} to {high:.1f}x cheaper"


def _sentence(r: dict[str, object]) -> str:
    """One plain sentence per finding."""
    model, reference, v = r["model"], r["reference"], r["verdict"]
    if not reference:
        return f"{model}: no Western model with a known cost per solved task to compare it with."
    d_s, d_t = float(str(r["per_success_discount"])), float(str(r["per_token_discount"]))
    if v == UNKNOWN:
        cps = float(str(r["cost_per_success"]))
        why = "it never succeeded" if np.isinf(cps) else "it has neither a price nor a published cost"
        return f"{model} cannot be compared with {reference} per solved task: {why}."
    lo, hi = float(str(r["per_success_low"])), float(str(r["per_success_high"]))
    interval = f" (95% interval: {interval_words(lo, hi)})" if np.isfinite(lo) and np.isfinite(hi) else ""
    hungry = float(str(r["output_tokens_ratio"]))
    tokens = f", with {hungry:.1f}x its output tokens" if np.isfinite(hungry) else ""
    per_task = f"{_times(d_s)} per solved task{interval}"
    if v == TASK_ONLY:
        return f"{model} is {per_task} than {reference}{tokens}; no price of the run's date gives a per-token figure."
    parity = " (the interval includes parity)" if np.isfinite(lo) and lo < 1 < hi else ""
    ending = {
        SURVIVES: "the discount survives",
        SHRINKS: "the discount shrinks",
        REVERSES: "the discount reverses",
        GAINS: "no per-token discount, but cheaper per solved task",
        NO_DISCOUNT: "no discount either way",
    }[str(v)]
    return f"{model} is {_times(d_t)} per token than {reference} and {per_task}{tokens}: {ending}{parity}."
