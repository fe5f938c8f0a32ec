"""Cost per success for each model: the one place the headline formula lives.

    cost per success (CPS) = total cost of all attempts / number of successes
                           = mean cost per attempt / success rate

Worked example (primer): 100 attempts at $0.02 each, 40 successes: CPS = $2.00 / 40 = $0.05.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tokenomics.costing import OBSERVED, PRICED, UNPRICED, price_rows, prompt_per_call, unit_prices
from tokenomics.repricing import per_model_flags
from tokenomics.stats import bootstrap_ratio, model_seed, wilson_interval
from tokenomics.timing import seconds_per_success
from tokenomics.units import COST_COMPONENTS, REQUEST_PRICE_KEY, TOKEN_COLUMNS, TOKEN_UNITS

# Column names shared with the CLI's CSV/JSON output; the README documents each.
# Provenance of the price a model was costed at, from the price table (pricing.layers).
PROVENANCE = ["price_source", "price_layer", "price_from", "price_to", "price_as_of", "checked_on", "price_note"]

OUTPUT_COLUMNS = [
    "model",
    "provider",
    "attempts",
    "successes",
    "success_rate",
    "success_low",
    "success_high",
    "cost_per_attempt",
    "total_cost",
    "cost_per_success",
    "cps_low",
    "cps_high",
    "price_source",
]


@dataclass(frozen=True)
class CompareOptions:
    baseline: str | None = None
    """Label of the model the others are compared with; None: the model with the highest success rate."""
    resamples: int = 2000
    seed: int = 0
    cost_of_pass: bool = False
    """Also compute the per-task variant (mean over tasks of cost / success rate)."""
    prefer_published: bool = False
    """Where a model's repriced cost and its published cost disagree (a repricing flag), rank by
    the published one. The default for bundled leaderboard data."""
    check_repricing: bool = True
    """Compare repriced and published costs at all; off when every row is priced at another date
    than its own (a what-if date), where they are expected to differ."""


def cost_per_success(total_cost: np.ndarray, successes: np.ndarray) -> np.ndarray:
    """``total_cost / successes``: ``inf`` with no success, NaN when the cost is unknown.

    >>> cost_per_success(np.array([2.0, 1.0, np.nan]), np.array([40, 0, 3])).tolist()
    [0.05, inf, nan]
    """
    cost = np.asarray(total_cost, dtype=float)
    s = np.asarray(successes, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, cost / s, np.where(np.isnan(cost), np.nan, np.inf))


def cps_interval_from_rate(
    total_cost: np.ndarray, attempts: np.ndarray, rate_low: np.ndarray, rate_high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """CPS bounds from the success-rate interval, with the cost per attempt taken as known.

    With no success the lower bound stays finite (``mean cost / p_upper``, about
    ``mean cost x N / 3`` by the rule of three) and the upper bound is ``inf``.
    """
    cost = np.asarray(total_cost, dtype=float)
    n = np.asarray(attempts, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(rate_high > 0, cost / (n * rate_high), np.inf)
        high = np.where(rate_low > 0, cost / (n * rate_low), np.inf)
    return np.where(np.isnan(cost), np.nan, low), np.where(np.isnan(cost), np.nan, high)


def pareto_frontier(success_rate: np.ndarray, cps: np.ndarray) -> np.ndarray:
    """True where no other model has both a higher-or-equal success rate and a lower-or-equal
    cost per success, with one of the two strictly better (a staircase, not a convex hull).

    >>> pareto_frontier(np.array([0.5, 0.8, 0.4, 0.9]), np.array([1.0, 2.0, 3.0, np.inf])).tolist()
    [True, True, False, False]
    """
    p = np.asarray(success_rate, dtype=float)
    c = np.asarray(cps, dtype=float)
    valid = np.isfinite(p) & np.isfinite(c)
    pi, pj = p[:, None], p[None, :]
    ci, cj = c[:, None], c[None, :]
    dominated_by = (pj >= pi) & (cj <= ci) & ((pj > pi) | (cj < ci)) & valid[None, :]
    frontier: np.ndarray = valid & ~dominated_by.any(axis=1)
    return frontier


def _joined(pairs: pd.DataFrame, column: str) -> pd.Series:
    """Per label, the distinct non-empty values of ``column`` joined with '; ' (first-seen order)."""
    values = pairs[["label", column]].dropna()
    values = values[values[column].astype(str) != ""].drop_duplicates()
    return values.groupby("label", sort=False)[column].agg(lambda v: "; ".join(map(str, v)))


def _extreme(pairs: pd.DataFrame, column: str, how: str) -> pd.Series:
    """Per label, the smallest or largest ISO date in ``column``; for ``max`` an empty value (open) wins."""
    values = pairs[["label", column]].dropna()
    values = values[values["label"].notna()]
    grouped = values.groupby("label", sort=False)[column]
    if how == "min":
        return grouped.agg(lambda v: min((x for x in v if x), default=""))
    return grouped.agg(lambda v: "" if any(x == "" for x in v) else max(v, default=""))


def _use_published(costed: pd.DataFrame, flags: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Cost flagged models by their published ``cost_usd`` where every row has one."""
    has_published = costed["cost_usd"].notna().groupby(costed["label"], sort=False, observed=True).all()
    has_published.index = has_published.index.astype(object)
    switch = (flags["repricing_flag"] != "") & has_published.reindex(flags.index).fillna(False)
    rows = costed["label"].astype(object).isin(switch[switch].index).to_numpy()
    if not rows.any():
        return costed, switch
    costed = costed.copy()
    costed.loc[rows, list(COST_COMPONENTS)] = np.nan
    costed.loc[rows, "cost"] = costed.loc[rows, "cost_usd"]
    costed.loc[rows, "cost_basis"] = OBSERVED
    return costed, switch


def _basis(kinds: pd.DataFrame) -> pd.Series:
    """A label's cost basis from the bases of its rows: unpriced wins, then mixed."""
    flags = kinds.assign(value=True).pivot_table(
        index="label", columns="cost_basis", values="value", aggfunc="any", fill_value=False, observed=True
    )
    flags = flags.reindex(columns=[PRICED, OBSERVED, UNPRICED], fill_value=False)
    return pd.Series(
        np.select(
            [flags[UNPRICED], flags[PRICED] & ~flags[OBSERVED], flags[OBSERVED] & ~flags[PRICED]],
            [UNPRICED, PRICED, OBSERVED],
            default="mixed",
        ),
        index=flags.index,
    )


def summarise(rows: pd.DataFrame, price_table: pd.DataFrame, options: CompareOptions | None = None) -> pd.DataFrame:
    """One row per model label with success, cost, cost per success and their intervals.

    ``rows`` is a priced measurement frame (see ``measurements.schema``) with ``price_id``
    pointing into ``price_table``. Models whose cost cannot be known (an unpriced row and no
    observed cost) get NaN costs and ``cost_basis == "unpriced"``, never $0.
    """
    options = options or CompareOptions()
    costed = pd.concat([rows, price_rows(rows, price_table)], axis=1)
    # Integer label codes: every per-model aggregate below groups a million rows by them.
    codes, labels = pd.factorize(costed["label"])
    costed["label"] = pd.Categorical.from_codes(codes, categories=labels)
    units = unit_prices(price_table, costed["price_id"].to_numpy(dtype=np.int64), prompt_per_call(costed))
    flags = per_model_flags(
        costed, units["input_tokens"], units["cache_read_tokens"], units["output_tokens"], units["reasoning_tokens"]
    )
    flags.index = flags.index.astype(object)
    if not options.check_repricing:
        flags["repricing_flag"] = ""
    published = pd.Series(False, index=flags.index)
    if options.prefer_published and options.check_repricing:
        costed, published = _use_published(costed, flags)
    groups = costed.groupby("label", sort=False, observed=True)
    sums = groups[["attempts", "successes", *COST_COMPONENTS]].sum(min_count=1)
    summary = pd.DataFrame(index=sums.index.astype(object))
    summary.index.name = "label"

    # Provenance is aggregated over the few distinct (label, model, price, basis) combinations.
    pairs = (
        costed.groupby(
            ["label", "model", "provider", "price_id", "cost_basis"], sort=False, observed=True, dropna=False
        )
        .size()
        .reset_index()
    )
    pairs["label"] = pairs["label"].astype(object)
    provenance = price_table.reindex(columns=[*PROVENANCE, "provider_id"]).astype(object)
    priced_pair = (pairs["price_id"] >= 0) & (pairs["cost_basis"] == PRICED)
    picked = provenance.reindex(pairs["price_id"].where(pairs["price_id"] >= 0, -1).to_numpy())
    picked.index = pairs.index
    pairs["price_source"] = np.select(
        [pairs["cost_basis"] == OBSERVED, pairs["cost_basis"] == UNPRICED],
        ["observed cost_usd", UNPRICED],
        default=picked["price_source"].astype(object).to_numpy(),
    )
    for col in PROVENANCE[1:]:
        pairs[col] = picked[col].where(priced_pair)
    pairs["provider_id"] = picked["provider_id"].where(pairs["price_id"] >= 0)

    summary["model"] = summary.index
    summary["model_id"] = _joined(pairs, "model")
    given = _joined(pairs, "provider")
    summary["provider"] = _joined(pairs, "provider_id").reindex(summary.index).fillna(given).fillna("")
    summary["attempts"] = sums["attempts"].astype(int)
    summary["successes"] = sums["successes"].astype(int)
    summary["success_rate"] = summary["successes"] / summary["attempts"]
    low, high = wilson_interval(summary["successes"].to_numpy(), summary["attempts"].to_numpy())
    summary["success_low"], summary["success_high"] = low, high

    for col in TOKEN_COLUMNS:
        if col in costed.columns:
            reported = groups[col].sum(min_count=1)
            summary[f"{col}_per_attempt"] = reported / summary["attempts"]

    # A model's total is unknown as soon as one of its rows is.
    unknown = costed["cost"].isna().groupby(costed["label"], sort=False, observed=True).any()
    summary["total_cost"] = groups["cost"].sum().where(~unknown)
    summary["cost_basis"] = _basis(pairs[["label", "cost_basis"]])
    # The cost the rows themselves report (e.g. a leaderboard's published cost), only where every row has one.
    all_observed = costed["cost_usd"].notna().groupby(costed["label"], sort=False, observed=True).all()
    summary["observed_cost"] = groups["cost_usd"].sum().where(all_observed)
    for col in COST_COMPONENTS:
        summary[col] = sums[col].where(summary["cost_basis"] == PRICED)
    summary["cost_per_attempt"] = summary["total_cost"] / summary["attempts"]
    summary["cost_per_success"] = cost_per_success(summary["total_cost"].to_numpy(), summary["successes"].to_numpy())
    summary["price_source"] = _joined(pairs, "price_source")
    switched = published.reindex(summary.index).fillna(False).astype(bool)
    summary.loc[switched, "price_source"] = "published cost_usd (the repriced cost disagrees)"
    for col in PROVENANCE[1:]:
        summary[col] = _joined(pairs, col).reindex(summary.index).fillna("")
    # One period per column for machines: the earliest start and the latest end ("" = still in force).
    summary["price_from"] = _extreme(pairs, "price_from", "min").reindex(summary.index).fillna("")
    summary["price_to"] = _extreme(pairs, "price_to", "max").reindex(summary.index).fillna("")
    summary["checked_on"] = _extreme(pairs, "checked_on", "min").reindex(summary.index).fillna("")
    summary = summary.join(flags)
    calls_known = costed["calls"].notna().groupby(costed["label"], sort=False, observed=True).all()
    summary["tier_basis"] = np.where(calls_known, "per-call mean prompt", "base tier (calls unknown)")
    if "latency_s" in costed.columns and costed["latency_s"].notna().any():
        # Like cost, a model's total wait is unknown as soon as one of its rows lacks latency_s.
        latency_known = costed["latency_s"].notna().groupby(costed["label"], sort=False, observed=True).all()
        summary["seconds_per_attempt"] = groups["latency_s"].sum().where(latency_known)
        summary["seconds_per_attempt"] /= summary["attempts"]
        summary["seconds_per_success"] = seconds_per_success(summary["seconds_per_attempt"], summary["success_rate"])

    _add_cps_intervals(summary, costed, options)
    if options.cost_of_pass:
        summary["cost_of_pass"] = _cost_of_pass(costed).reindex(summary.index)
    _add_discounts(summary, costed, price_table, units, options)
    summary["on_frontier"] = pareto_frontier(summary["success_rate"].to_numpy(), summary["cost_per_success"].to_numpy())
    return summary.reset_index(drop=True)


def _add_cps_intervals(summary: pd.DataFrame, costed: pd.DataFrame, options: CompareOptions) -> None:
    low, high = cps_interval_from_rate(
        summary["total_cost"].to_numpy(),
        summary["attempts"].to_numpy(),
        summary["success_low"].to_numpy(),
        summary["success_high"].to_numpy(),
    )
    summary["cps_low"], summary["cps_high"] = low, high
    summary["cps_interval"] = "from success-rate interval"
    per_task = costed[costed["task_id"].notna()] if "task_id" in costed.columns else costed.iloc[0:0]
    if per_task.empty:
        return
    task_sums = per_task.groupby(["label", "task_id"], sort=False, observed=True)[["cost", "successes"]].sum(
        min_count=1
    )
    all_tasks = costed["task_id"].notna().groupby(costed["label"], sort=False, observed=True).all()
    for key, tasks in task_sums.groupby(level="label", sort=False, observed=True):
        label = str(key)
        # With no success every resample is unbounded too; the rate-based lower bound says more.
        unsolved = _number(summary, label, "successes") == 0
        if unsolved or not all_tasks[label] or not np.isfinite(_number(summary, label, "total_cost")) or len(tasks) < 2:
            continue
        lo, hi = bootstrap_ratio(
            tasks["cost"].to_numpy(),
            tasks["successes"].to_numpy(),
            resamples=options.resamples,
            seed=model_seed(options.seed, str(label)),
        )
        summary.at[label, "cps_low"], summary.at[label, "cps_high"] = lo, hi
        summary.at[label, "cps_interval"] = f"bootstrap over {len(tasks)} tasks"


def _cost_of_pass(costed: pd.DataFrame) -> pd.Series:
    """Mean over tasks of (mean cost of an attempt) / (success rate on that task).

    Infinite as soon as one task is never solved; weights hard tasks more than the aggregate.
    """
    per_task = costed[costed["task_id"].notna()]
    t = per_task.groupby(["label", "task_id"], sort=False, observed=True)[["cost", "attempts", "successes"]].sum(
        min_count=1
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (t["cost"] / t["attempts"]) / (t["successes"] / t["attempts"])
    return ratio.groupby(level="label", sort=False, observed=True).mean()


def bill_weighted_prices(costed: pd.DataFrame, units: dict[str, np.ndarray], request_price: np.ndarray) -> pd.DataFrame:
    """Each model's average unit price of every token kind over its own priced rows (USD per million).

    Each row's price of a kind (its tier and time-of-day period included) is weighted by the
    row's tokens of that kind, so the average is what the model's bill actually paid per token.
    A kind the model never used is averaged over its rows unweighted; a kind it has no price for
    stays NaN (billed at its parent's price). Request fees are weighted by calls.

    Worked example: 9M input tokens at the standard $0.27 and 1M at the off-peak $0.135 average
    (9 x 0.27 + 1 x 0.135) / 10 = $0.2565 per million.

    >>> rows = pd.DataFrame({"label": ["a", "a"], "price_id": [0, 1], "input_tokens": [9e6, 1e6],
    ...     "attempts": [1, 1], "calls": [np.nan, np.nan]})
    >>> units = {c: np.array([np.nan, np.nan]) for c in TOKEN_COLUMNS}
    >>> units["input_tokens"] = np.array([0.27, 0.135])
    >>> round(float(bill_weighted_prices(rows, units, np.array([np.nan, np.nan])).at["a", "input_mtok"]), 4)
    0.2565
    """
    valid = costed["price_id"].to_numpy(dtype=np.int64) >= 0
    attempts = costed["attempts"].to_numpy(dtype=float)
    columns: dict[str, np.ndarray] = {}
    for unit in TOKEN_UNITS:
        price = np.where(valid, units[unit.column], np.nan)
        has = ~np.isnan(price)
        tokens = (
            np.nan_to_num(costed[unit.column].to_numpy(dtype=float), nan=0.0)
            if unit.column in costed.columns
            else np.zeros(len(costed))
        )
        columns[f"{unit.price_key}|wp"] = np.where(has, tokens * np.nan_to_num(price), 0.0)
        columns[f"{unit.price_key}|w"] = np.where(has, tokens, 0.0)
        columns[f"{unit.price_key}|ap"] = np.where(has, attempts * np.nan_to_num(price), 0.0)
        columns[f"{unit.price_key}|a"] = np.where(has, attempts, 0.0)
    calls = costed["calls"].to_numpy(dtype=float)
    call_weight = np.where(np.isnan(calls), attempts, calls)
    req = np.where(valid, request_price, np.nan)
    columns["req|wp"] = np.where(np.isnan(req), 0.0, call_weight * np.nan_to_num(req))
    columns["req|w"] = np.where(np.isnan(req), 0.0, call_weight)
    sums = pd.DataFrame(columns, index=costed.index).groupby(costed["label"], sort=False, observed=True).sum()
    out = pd.DataFrame(index=sums.index.astype(object))
    with np.errstate(divide="ignore", invalid="ignore"):
        for unit in TOKEN_UNITS:
            key = unit.price_key
            weighted = sums[f"{key}|wp"] / sums[f"{key}|w"]
            unweighted = sums[f"{key}|ap"] / sums[f"{key}|a"]
            out[key] = np.where(sums[f"{key}|w"] > 0, weighted, unweighted)
        out[REQUEST_PRICE_KEY] = np.where(sums["req|w"] > 0, sums["req|wp"] / sums["req|w"], np.nan)
    return out


def _add_discounts(
    summary: pd.DataFrame,
    costed: pd.DataFrame,
    price_table: pd.DataFrame,
    units: dict[str, np.ndarray],
    options: CompareOptions,
) -> None:
    """Effective discount of every model against the baseline, per token and per success.

    Per token: the baseline's own token mix (its input, cached, output and reasoning tokens)
    priced at each model's bill-weighted average unit prices (``bill_weighted_prices``); the
    ratio of the two bills. Per success: ``CPS_baseline / CPS_model``. Above 1 means cheaper.
    """
    baseline = options.baseline if options.baseline in summary.index else _default_baseline(summary)
    summary["baseline"] = baseline
    summary["discount_per_token"] = np.nan
    summary["discount_per_success"] = np.nan
    if baseline is None:
        return
    with np.errstate(divide="ignore", invalid="ignore"):
        summary["discount_per_success"] = _number(summary, baseline, "cost_per_success") / summary["cost_per_success"]

    mix = costed.loc[costed["label"] == baseline, list(TOKEN_COLUMNS)].sum(min_count=1)
    if mix.isna().all():
        mix = costed[list(TOKEN_COLUMNS)].sum(min_count=1)
    if mix.isna().all():
        return
    request_price = (
        np.append(price_table[REQUEST_PRICE_KEY].to_numpy(dtype=float), np.nan).take(
            costed["price_id"].to_numpy(dtype=np.int64)
        )
        if REQUEST_PRICE_KEY in price_table.columns
        else np.full(len(costed), np.nan)
    )
    averages = bill_weighted_prices(costed, units, request_price)
    averages = averages[averages["input_mtok"].notna() & averages["output_mtok"].notna()]
    if averages.empty:
        return
    bundle = pd.DataFrame([mix.to_dict()] * len(averages), index=averages.index)
    bundle["calls"] = np.nan
    bundle["attempts"] = 1
    bundle["cost_usd"] = np.nan
    bundle["price_id"] = np.arange(len(averages))
    bundle_cost = price_rows(bundle, averages.reset_index(drop=True))
    blended = bundle_cost["cost"].where(bundle_cost["cost_basis"] == PRICED)
    blended = blended.reindex(summary.index)
    if baseline in blended.index and np.isfinite(blended.get(baseline, np.nan)):
        with np.errstate(divide="ignore", invalid="ignore"):
            summary["discount_per_token"] = blended[baseline] / blended


def _number(frame: pd.DataFrame, row: str, column: str) -> float:
    """One cell as a float (pandas types ``.at`` as any scalar)."""
    value: Any = frame.at[row, column]
    return float(value)


def _default_baseline(summary: pd.DataFrame) -> str | None:
    known = summary[summary["total_cost"].notna()]
    if known.empty:
        return None
    return str(known["success_rate"].idxmax())


def headline(summary: pd.DataFrame, candidate: str, baseline: str) -> str:
    """The one-line answer: "X is 5.2x cheaper per token and 1.1x cheaper per solved task than Y"."""
    row = summary.set_index("model").loc[candidate]
    if isinstance(row, pd.DataFrame):
        raise ValueError(f"model {candidate!r} appears more than once in the summary")
    if candidate == baseline:
        return f"{candidate} is the baseline."
    d_token, d_success = float(row["discount_per_token"]), float(row["discount_per_success"])
    per_token = f"{_ratio_words(d_token)} per token" if np.isfinite(d_token) and d_token > 0 else None
    if row["successes"] == 0:
        lead = f"{candidate} is {per_token} than {baseline}, but it" if per_token else candidate
        return f"{lead} never succeeded in {int(row['attempts'])} attempts: its cost per solved task is unbounded."
    if np.isnan(row["total_cost"]):
        return f"{candidate} is unpriced: no cost per solved task can be given (add its price)."
    if np.isfinite(d_success) and d_success > 0:
        per_success = f"{_ratio_words(d_success)} per solved task"
    else:
        per_success = f"not comparable per solved task ({baseline} has no finite cost per solved task)"
    return f"{candidate} is " + " and ".join(p for p in (per_token, per_success) if p) + f" than {baseline}."


def _ratio_words(ratio: float) -> str:
    if ratio >= 1:
        return f"{ratio:.1f}x cheaper"
    return f"{1 / ratio:.1f}x more expensive"
