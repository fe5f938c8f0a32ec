"""Cost per success for each model: the one place the headline formula lives.

    cost per success (CPS) = total cost of all attempts / number of successes
                           = mean cost per attempt / success rate

Worked example (primer): 100 attempts at $0.02 each, 40 successes: CPS = $2.00 / 40 = $0.05.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from tokenomics.costing import OBSERVED, PRICED, UNPRICED, price_rows
from tokenomics.repricing import TOLERANCE, flags_from_sums
from tokenomics.stats import (
    FIELLER_MIN_SUCCESSES,
    FIELLER_MIN_TASKS,
    bootstrap_ratio,
    fieller_ratio,
    model_seed,
    wilson_interval,
)
from tokenomics.sums import NULLABLE_SUMS, PAIR_KEYS, PAIR_SUMS, Sums, bill_terms, measure, prices_from_bill_sums
from tokenomics.timing import seconds_per_success
from tokenomics.units import COST_COMPONENTS, TOKEN_COLUMNS

PARALLEL_CELLS = 20_000_000
"""Bootstrap draws (tasks x resamples, all models) above which models are resampled on every core;
below it, starting threads costs more than it saves."""

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


def _use_published(sums: Sums, switch: pd.Series) -> Sums:
    """Cost the ``switch``ed models by their published ``cost_usd`` (unknown where a row has none).

    Their rows become ``observed`` where they have a published cost and ``unpriced`` where they
    do not; the components are unknown.
    """
    switched = set(switch[switch].index)
    if not switched:
        return sums
    pairs = sums.pairs.copy()
    rows = pairs["label"].isin(switched)
    pairs.loc[rows, "cost"] = pairs.loc[rows, "cost_usd"]
    pairs.loc[rows, "cost_missing"] = pairs.loc[rows, "cost_usd_missing"]
    pairs.loc[rows, list(COST_COMPONENTS)] = np.nan
    pairs.loc[rows, "cost_basis"] = np.where(pairs.loc[rows, "cost_usd_missing"] > 0, UNPRICED, OBSERVED)
    grouped = pairs.groupby(list(PAIR_KEYS), sort=False, dropna=False)
    merged = grouped.agg(
        {**{c: "sum" for c in PAIR_SUMS if c not in NULLABLE_SUMS}, "first_row": "min", "last_row": "max"}
    )
    merged[list(NULLABLE_SUMS)] = grouped[list(NULLABLE_SUMS)].sum(min_count=1)
    tasks = sums.tasks.copy()
    task_rows = tasks["label"].isin(switched)
    tasks.loc[task_rows, "cost"] = tasks.loc[task_rows, "cost_usd"]
    tasks.loc[task_rows, "cost_missing"] = tasks.loc[task_rows, "cost_usd_missing"]
    return replace(sums, pairs=merged.reset_index(), tasks=tasks).ordered()


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


def label_sums(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per label (first-seen order), the sums of its pairs; NaN-preserving sums stay NaN when all are."""
    grouped = pairs.groupby("label", sort=False)
    out = grouped[[c for c in PAIR_SUMS if c not in NULLABLE_SUMS]].sum()
    out[list(NULLABLE_SUMS)] = grouped[list(NULLABLE_SUMS)].sum(min_count=1)
    priced = pairs["cost_basis"] == PRICED
    out["priced_rows"] = pairs["rows"].where(priced, 0).groupby(pairs["label"], sort=False).sum()
    out["priced_cost"] = pairs["cost"].where(priced, 0.0).groupby(pairs["label"], sort=False).sum()
    out.index = out.index.astype(object)
    return out


@dataclass(frozen=True)
class _Costed:
    sums: Sums
    """After the switch to published costs."""
    flags: pd.DataFrame
    published: pd.Series
    untrusted: pd.Series


def _cost(sums: Sums, options: CompareOptions) -> _Costed:
    """The per-model repricing flags, which models rank by their published cost, and the sums costed so."""
    sums = sums.ordered()
    flags = flags_from_sums(label_sums(sums.pairs))
    if not options.check_repricing:
        flags["repricing_flag"] = ""
    # A run whose tokens the data itself calls unpriceable is costed from its published cost, at any date.
    data_note = sums.labels["data_note"].reindex(flags.index).fillna("").astype(object)
    untrusted = data_note != ""
    flags["repricing_flag"] = flags["repricing_flag"].where(~untrusted, data_note)
    has_published = label_sums(sums.pairs)["cost_usd_missing"].reindex(flags.index) == 0
    published = untrusted & has_published
    if options.prefer_published and options.check_repricing:
        published |= (flags["repricing_flag"] != "") & has_published
    costed = _use_published(sums, published | untrusted)
    # Failed the plausibility check: the data says its tokens are unpriceable, or repricing them
    # lands more than the tolerance away from the published cost. Such a run never drives a
    # default headline or the "cheapest" card.
    ratio = flags["repriced_vs_published"].to_numpy(dtype=float)
    off = (flags["repricing_flag"] != "").to_numpy() & (np.abs(ratio - 1) > TOLERANCE)
    flags["failed_check"] = untrusted.to_numpy() | off
    flags["tokens_unpriceable"] = untrusted.to_numpy()
    return _Costed(costed, flags, published, untrusted)


def plausibility(rows: pd.DataFrame, price_table: pd.DataFrame, options: CompareOptions | None = None) -> pd.Series:
    """Per label, whether the run failed the plausibility check (``failed_check`` of ``summarise``).

    Used to carry the check made at each run's own date over to a comparison at another date,
    where repriced and published costs differ by design and cannot be compared.
    """
    return plausibility_of(measure(rows, price_table), options)


def plausibility_of(sums: Sums, options: CompareOptions | None = None) -> pd.Series:
    """``plausibility`` from the sums of the rows (``tokenomics.sums``)."""
    opts = replace(options or CompareOptions(), check_repricing=True)
    failed: pd.Series = _cost(sums, opts).flags["failed_check"]
    return failed


def task_totals(rows: pd.DataFrame, price_table: pd.DataFrame, options: CompareOptions | None = None) -> pd.DataFrame:
    """Cost, attempts and successes per (label, task_id), costed exactly as ``summarise`` costs them.

    Rows without a task id are left out. The frame feeds paired bootstraps over tasks.
    """
    return task_totals_of(measure(rows, price_table), options)


def task_totals_of(sums: Sums, options: CompareOptions | None = None) -> pd.DataFrame:
    """``task_totals`` from the sums of the rows (``tokenomics.sums``)."""
    tasks = _cost(sums, options or CompareOptions()).sums.tasks
    out = tasks[["label", "task_id", "cost", "attempts", "successes"]].reset_index(drop=True)
    out["label"] = out["label"].astype(object)
    return out


def summarise(rows: pd.DataFrame, price_table: pd.DataFrame, options: CompareOptions | None = None) -> pd.DataFrame:
    """One row per model label with success, cost, cost per success and their intervals.

    ``rows`` is a priced measurement frame (see ``measurements.schema``) with ``price_id``
    pointing into ``price_table``. Models whose cost cannot be known (an unpriced row and no
    observed cost) get NaN costs and ``cost_basis == "unpriced"``, never $0.
    """
    return summarise_sums(measure(rows, price_table), price_table, options)


def summarise_sums(sums: Sums, price_table: pd.DataFrame, options: CompareOptions | None = None) -> pd.DataFrame:
    """``summarise`` from the sums of the rows (``tokenomics.sums``), wherever they were computed."""
    options = options or CompareOptions()
    bills = label_sums(sums.ordered().pairs)
    c = _cost(sums, options)
    sums, flags, published, untrusted = c.sums, c.flags, c.published, c.untrusted
    by_label = label_sums(sums.pairs)
    summary = pd.DataFrame(index=by_label.index)
    summary.index.name = "label"

    # Provenance is aggregated over the few distinct (label, model, price, basis) combinations.
    pairs = sums.pairs[list(PAIR_KEYS)].astype({"model": "string", "provider": "string"})
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
    for col in ("dataset", "editor_model"):
        if col in sums.labels.columns:
            summary[col] = sums.labels[col].reindex(summary.index).astype(object)
    summary["model_id"] = _joined(pairs, "model")
    given = _joined(pairs, "provider")
    summary["provider"] = _joined(pairs, "provider_id").reindex(summary.index).fillna(given).fillna("")
    summary["attempts"] = by_label["attempts"].astype(int)
    summary["successes"] = by_label["successes"].astype(int)
    summary["success_rate"] = summary["successes"] / summary["attempts"]
    low, high = wilson_interval(summary["successes"].to_numpy(), summary["attempts"].to_numpy())
    summary["success_low"], summary["success_high"] = low, high

    for col in sums.token_columns:
        summary[f"{col}_per_attempt"] = by_label[col] / summary["attempts"]

    # A model's total is unknown as soon as one of its rows is.
    summary["total_cost"] = by_label["cost"].where(by_label["cost_missing"] == 0)
    summary["cost_basis"] = _basis(pairs[["label", "cost_basis"]])
    # The cost the rows themselves report (e.g. a leaderboard's published cost), only where every row has one.
    summary["observed_cost"] = by_label["cost_usd"].where(by_label["cost_usd_missing"] == 0)
    for col in COST_COMPONENTS:
        summary[col] = by_label[col].where(summary["cost_basis"] == PRICED)
    summary["cost_per_attempt"] = summary["total_cost"] / summary["attempts"]
    summary["cost_per_success"] = cost_per_success(summary["total_cost"].to_numpy(), summary["successes"].to_numpy())
    summary["price_source"] = _joined(pairs, "price_source")
    switched = published.reindex(summary.index).fillna(False).astype(bool)
    summary.loc[switched, "price_source"] = "published cost_usd (the repriced cost disagrees)"
    untrusted_label = untrusted.reindex(summary.index).fillna(False).astype(bool)
    summary.loc[untrusted_label & summary["total_cost"].notna(), "price_source"] = (
        "published cost_usd (its token counts cannot be repriced)"
    )
    summary.loc[untrusted_label & summary["total_cost"].isna(), "price_source"] = (
        "unpriced: its token counts cannot be repriced and it has no published cost"
    )
    for col in PROVENANCE[1:]:
        summary[col] = _joined(pairs, col).reindex(summary.index).fillna("")
    # One period per column for machines: the earliest start and the latest end ("" = still in force).
    summary["price_from"] = _extreme(pairs, "price_from", "min").reindex(summary.index).fillna("")
    summary["price_to"] = _extreme(pairs, "price_to", "max").reindex(summary.index).fillna("")
    summary["checked_on"] = _extreme(pairs, "checked_on", "min").reindex(summary.index).fillna("")
    summary = summary.join(flags)
    summary["tier_basis"] = np.where(
        by_label["calls_missing"] == 0, "per-call mean prompt", "base tier (calls unknown)"
    )
    if sums.has_latency and (by_label["latency_missing"] < by_label["rows"]).any():
        # Like cost, a model's total wait is unknown as soon as one of its rows lacks latency_s.
        summary["seconds_per_attempt"] = by_label["latency_s"].where(by_label["latency_missing"] == 0)
        summary["seconds_per_attempt"] /= summary["attempts"]
        summary["seconds_per_success"] = seconds_per_success(summary["seconds_per_attempt"], summary["success_rate"])

    _add_cps_intervals(summary, sums.tasks, by_label, options)
    if options.cost_of_pass:
        summary["cost_of_pass"] = _cost_of_pass(sums.tasks).reindex(summary.index)
    _add_discounts(summary, bills, options)
    summary["on_frontier"] = pareto_frontier(summary["success_rate"].to_numpy(), summary["cost_per_success"].to_numpy())
    return summary.reset_index(drop=True)


def _add_cps_intervals(
    summary: pd.DataFrame, tasks: pd.DataFrame, by_label: pd.DataFrame, options: CompareOptions
) -> None:
    low, high = cps_interval_from_rate(
        summary["total_cost"].to_numpy(),
        summary["attempts"].to_numpy(),
        summary["success_low"].to_numpy(),
        summary["success_high"].to_numpy(),
    )
    summary["cps_low"], summary["cps_high"] = low, high
    summary["cps_interval"] = "success-rate uncertainty only (no per-task data)"
    if tasks.empty:
        return
    jobs = []
    for key, per_label in tasks.groupby("label", sort=False):
        label = str(key)
        # With no success every resample is unbounded too; the rate-based lower bound says more.
        unsolved = _number(summary, label, "successes") == 0
        all_tasks = by_label.at[label, "task_missing"] == 0
        if unsolved or not all_tasks or not np.isfinite(_number(summary, label, "total_cost")) or len(per_label) < 2:
            continue
        cost, successes = per_label["cost"].to_numpy(), per_label["successes"].to_numpy()
        if len(cost) >= FIELLER_MIN_TASKS and successes.sum() >= FIELLER_MIN_SUCCESSES:
            bounds = fieller_ratio(cost, successes)
            if bounds is not None:
                summary.at[label, "cps_low"], summary.at[label, "cps_high"] = bounds
                method = f"Fieller over {len(cost)} tasks (the task bootstrap in closed form)"
                summary.at[label, "cps_interval"] = method
                continue
        jobs.append((label, cost, successes))

    def interval(job: tuple[str, np.ndarray, np.ndarray]) -> tuple[float, float]:
        label, cost, successes = job
        return bootstrap_ratio(cost, successes, resamples=options.resamples, seed=model_seed(options.seed, label))

    # numpy draws and gathers without the GIL: one model per core. Each model has its own seed, so
    # the intervals do not depend on the order the threads finish in.
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and sum(len(job[1]) for job in jobs) * options.resamples > PARALLEL_CELLS:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            intervals = list(pool.map(interval, jobs))
    else:
        intervals = [interval(job) for job in jobs]
    for (label, cost, _), (lo, hi) in zip(jobs, intervals, strict=True):
        summary.at[label, "cps_low"], summary.at[label, "cps_high"] = lo, hi
        summary.at[label, "cps_interval"] = f"bootstrap over {len(cost)} tasks"


def _cost_of_pass(tasks: pd.DataFrame) -> pd.Series:
    """Mean over tasks of (mean cost of an attempt) / (success rate on that task).

    Infinite as soon as one task is never solved; weights hard tasks more than the aggregate.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (tasks["cost"] / tasks["attempts"]) / (tasks["successes"] / tasks["attempts"])
    return ratio.groupby(tasks["label"], sort=False).mean()


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
    terms = bill_terms(costed, units, request_price)
    return prices_from_bill_sums(terms.groupby(costed["label"].to_numpy(), sort=False).sum())


UNIT_PRICE_PREFIX = "unit_"
"""Summary columns ``unit_<price key>``: each model's bill-weighted unit prices (USD per million)."""


def token_bills(mix: pd.Series, unit_prices: pd.DataFrame) -> pd.Series:
    """What one token ``mix`` (counts by kind, NaN = none) costs at each row's unit prices.

    ``unit_prices`` has one row per model and the price keys as columns (``bill_weighted_prices``);
    a model without an input or an output price gets NaN. Parts nest as in ``price_rows``.

    Worked example: 1M input and 0.5M output tokens at $0.28/$0.42 cost 0.28 + 0.21 = $0.49;
    at $2/$8, 2 + 4 = $6: the first is 12.2x cheaper on that mix.

    >>> prices = pd.DataFrame({"input_mtok": [0.28, 2.0], "output_mtok": [0.42, 8.0]}, index=["ds", "o3"])
    >>> token_bills(pd.Series({"input_tokens": 1e6, "output_tokens": 5e5}), prices).round(2).tolist()
    [0.49, 6.0]
    """
    priced = unit_prices[unit_prices["input_mtok"].notna() & unit_prices["output_mtok"].notna()]
    if priced.empty or mix.reindex(list(TOKEN_COLUMNS)).isna().all():
        return pd.Series(np.nan, index=unit_prices.index)
    bundle = pd.DataFrame([mix.reindex(list(TOKEN_COLUMNS)).to_dict()] * len(priced), index=priced.index)
    bundle["calls"] = np.nan
    bundle["attempts"] = 1
    bundle["cost_usd"] = np.nan
    bundle["price_id"] = np.arange(len(priced))
    cost = price_rows(bundle, priced.reset_index(drop=True))
    bills = cost["cost"].where(cost["cost_basis"] == PRICED)
    bills.index = priced.index
    return bills.reindex(unit_prices.index)


def unit_price_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """The bill-weighted unit prices ``summarise`` stored, one row per model, price keys as columns."""
    columns = [c for c in summary.columns if c.startswith(UNIT_PRICE_PREFIX)]
    frame = summary[columns].astype(float)
    frame.columns = [c.removeprefix(UNIT_PRICE_PREFIX) for c in columns]
    return frame


def _add_discounts(summary: pd.DataFrame, bills: pd.DataFrame, options: CompareOptions) -> None:
    """Effective discount of every model against the baseline, per token and per success.

    Per token: the baseline's own token mix (its input, cached, output and reasoning tokens)
    priced at each model's bill-weighted average unit prices (``bill_weighted_prices``, from the
    sums ``bills``); the ratio of the two bills. Per success: ``CPS_baseline / CPS_model``.
    Above 1 means cheaper.
    """
    averages = prices_from_bill_sums(bills).reindex(summary.index)
    if "editor_model" in summary.columns:
        # A pair's tokens are two models': one model's unit prices do not describe them.
        averages.loc[summary["editor_model"].notna().to_numpy()] = np.nan
    for col in averages.columns:
        summary[UNIT_PRICE_PREFIX + col] = averages[col]
    baseline = options.baseline if options.baseline in summary.index else _default_baseline(summary)
    summary["baseline"] = baseline
    summary["discount_per_token"] = np.nan
    summary["discount_per_success"] = np.nan
    if baseline is None:
        return
    with np.errstate(divide="ignore", invalid="ignore"):
        summary["discount_per_success"] = _number(summary, baseline, "cost_per_success") / summary["cost_per_success"]

    tokens = bills[list(TOKEN_COLUMNS)]
    mix = pd.Series(tokens.loc[[str(baseline)]].iloc[0])
    if mix.isna().all():
        mix = tokens.sum(min_count=1)
    blended = token_bills(mix, averages)
    if np.isfinite(blended.get(baseline, np.nan)):
        with np.errstate(divide="ignore", invalid="ignore"):
            summary["discount_per_token"] = blended[baseline] / blended


def _number(frame: pd.DataFrame, row: str, column: str) -> float:
    """One cell as a float (pandas types ``.at`` as any scalar)."""
    value: Any = frame.at[row, column]
    return float(value)


def _default_baseline(summary: pd.DataFrame) -> str | None:
    """The most successful model with a known cost that passed the plausibility check."""
    known = summary[summary["total_cost"].notna() & ~summary["failed_check"].astype(bool)]
    if known.empty:
        known = summary[summary["total_cost"].notna()]
    if known.empty:
        return None
    # Ties go to the cheaper per solved task, as in ``default_pair``.
    order = known.sort_values(["success_rate", "cost_per_success"], ascending=[False, True], kind="stable")
    return str(order.index[0])


def _mix(summary: pd.DataFrame, label: str) -> pd.Series:
    """A model's tokens per attempt by kind (NaN where it reported none)."""
    values: dict[str, float] = {
        col: _number(summary, label, f"{col}_per_attempt") if f"{col}_per_attempt" in summary.columns else np.nan
        for col in TOKEN_COLUMNS
    }
    return pd.Series(values, dtype=float)


def pair_discounts(summary: pd.DataFrame, candidate: str, reference: str) -> tuple[float, float]:
    """Effective discount of ``candidate`` against ``reference``: (per token, per solved task).

    Per token: the reference's own token mix (the candidate's where the reference reported no
    tokens) billed at each model's bill-weighted unit prices; NaN where either has no price.
    Per solved task: ``CPS_reference / CPS_candidate``, from whatever cost each has (priced or
    observed). Above 1 means the candidate is cheaper. ``summary`` is indexed by model label.

    >>> summary = pd.DataFrame({"cost_per_success": [0.03, 0.12], "input_tokens_per_attempt": [1e4, 1e4],
    ...     "output_tokens_per_attempt": [8e3, 6e3], "unit_input_mtok": [0.55, 2.0],
    ...     "unit_output_mtok": [2.19, 8.0]}, index=["r1", "o3"])
    >>> [round(d, 2) for d in pair_discounts(summary, "r1", "o3")]
    [3.65, 4.0]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        per_success = _number(summary, reference, "cost_per_success") / _number(summary, candidate, "cost_per_success")
    prices = unit_price_frame(summary).loc[[candidate, reference]]
    mix = _mix(summary, reference)
    if mix.isna().all():
        mix = _mix(summary, candidate)
    bills = token_bills(mix, prices)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_token = float(bills.iloc[1] / bills.iloc[0]) if len(bills) == 2 else float("nan")
    return per_token, float(per_success)


def eligible(summary: pd.DataFrame) -> pd.Series:
    """Models that may drive a default headline or a "cheapest" card: a finite cost per solved task
    and the plausibility check passed (``failed_check``)."""
    finite = pd.Series(np.isfinite(summary["cost_per_success"].to_numpy(dtype=float)), index=summary.index)
    if "failed_check" in summary.columns:
        return finite & ~summary["failed_check"].astype(bool)
    return finite


def default_pair(summary: pd.DataFrame) -> tuple[str, str] | None:
    """The headline's default (candidate, reference): the cheapest model on the Pareto frontier
    against the most successful one, both among ``eligible`` models; None with fewer than two.

    >>> s = pd.DataFrame({"model": ["a", "b", "c", "d"], "success_rate": [0.5, 0.8, 0.4, 0.9],
    ...     "cost_per_success": [1.0, 2.0, 0.5, 3.0], "failed_check": [False, False, True, False]})
    >>> default_pair(s)
    ('a', 'd')
    """
    ok = summary[eligible(summary)]
    if len(ok) < 2:
        return None
    order = ok.sort_values(["success_rate", "cost_per_success"], ascending=[False, True], kind="stable")
    reference = str(order["model"].iloc[0])
    on = pareto_frontier(ok["success_rate"].to_numpy(), ok["cost_per_success"].to_numpy())
    frontier = ok[on & (ok["model"] != reference).to_numpy()]
    pool = frontier if not frontier.empty else ok[ok["model"] != reference]
    candidate = str(pool.sort_values("cost_per_success")["model"].iloc[0])
    return candidate, reference


def _rate_text(row: pd.Series) -> str:
    return f"{row['success_rate']:.1%} ({row['success_low']:.1%}-{row['success_high']:.1%})"


def headline(summary: pd.DataFrame, candidate: str, baseline: str) -> str:
    """The one-line answer: "X is 5.2x cheaper per token and 1.1x cheaper per solved task than Y",
    with both success rates and their 95% intervals.

    Per solved task whenever both costs are known (priced or observed); per token when both
    have prices.
    """
    table = summary.set_index("model")
    row = table.loc[candidate]
    if isinstance(row, pd.DataFrame):
        raise ValueError(f"model {candidate!r} appears more than once in the summary")
    if candidate == baseline:
        return f"{candidate} is the reference."
    ref = table.loc[baseline]
    if isinstance(ref, pd.DataFrame):
        raise ValueError(f"model {baseline!r} appears more than once in the summary")
    d_token, d_success = pair_discounts(table, candidate, baseline)
    rates = f" (success {_rate_text(row)} vs {_rate_text(ref)})"
    per_token = f"{_ratio_words(d_token)} per token" if np.isfinite(d_token) and d_token > 0 else None
    if row["successes"] == 0:
        lead = f"{candidate} is {per_token} than {baseline}, but it" if per_token else candidate
        return f"{lead} never succeeded in {int(row['attempts'])} attempts: its cost per solved task is unbounded."
    if np.isnan(row["total_cost"]):
        return f"{candidate} is unpriced: no cost per solved task can be given (add its price)."
    if np.isnan(ref["total_cost"]):
        return f"{baseline} is unpriced: no cost per solved task to compare {candidate} with (add its price)."
    if np.isfinite(d_success) and d_success > 0:
        per_success = f"{_ratio_words(d_success)} per solved task"
    else:
        per_success = f"not comparable per solved task ({baseline} has no finite cost per solved task)"
    return f"{candidate} is " + " and ".join(p for p in (per_token, per_success) if p) + f" than {baseline}{rates}."


def _ratio_words(ratio: float) -> str:
    if ratio >= 1:
        return f"{ratio:.1f}x cheaper"
    return f"{1 / ratio:.1f}x more expensive"


def pair_sentence(summary: pd.DataFrame) -> str:
    """The headline of the default pair (``default_pair``), or why there is none."""
    pair = default_pair(summary)
    if pair is None:
        return "Fewer than two models have a cost per solved task that passed the plausibility check."
    return headline(summary, *pair)


def cost_of_pass_note(rows: pd.DataFrame) -> str | None:
    """A warning when cost-of-pass is asked of data with one attempt per task: infinite by construction.

    With a single sample, a task's success rate is 0 or 1, so one failed task makes the mean over
    tasks infinite whatever the model costs. None where some task has several attempts.

    >>> cost_of_pass_note(pd.DataFrame({"label": ["a", "a"], "task_id": ["t1", "t2"], "attempts": [1, 1]}))[:40]
    'cost-of-pass is infinite by construction'
    """
    if "task_id" not in rows.columns or rows["task_id"].isna().all():
        return None
    per_task = rows[rows["task_id"].notna()].groupby(["label", "task_id"], observed=True)["attempts"].sum()
    if (per_task > 1).any():
        return None
    return (
        "cost-of-pass is infinite by construction on this data: every task has one attempt, so its success "
        "rate is 0 or 1 and one failed task makes the mean over tasks infinite"
    )
