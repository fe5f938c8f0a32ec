"""The small sums a comparison is made of: per (model, price, cost basis) and per (model, task).

Everything ``compare.summarise_sums`` reports (totals, provenance, repricing flags, bill-weighted
unit prices, intervals, cost of pass) and everything a scenario needs is a function of these
sums, never of the rows themselves. Computing them is the one pass over the rows: here in
pandas for a measurement frame, or in a SQL engine where the rows live (``engine/``), which
computes the same columns from the same per-row terms. The result is small (models x prices
and models x tasks), so the statistics stay in one place whatever the size of the log.

Row order matters in two places (the first-seen order of models, providers and sources in the
summary; the order of tasks fed to the bootstrap), so every group carries ``first_row`` and
``last_row``, the smallest and largest position of its rows in the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from tokenomics.costing import PRICED, price_rows, prompt_per_call, unit_prices
from tokenomics.repricing import repricing_terms
from tokenomics.units import COST_COMPONENTS, PRICE_KEYS, REQUEST_PRICE_KEY, TOKEN_COLUMNS, TOKEN_UNITS

PAIR_KEYS = ("label", "model", "provider", "price_id", "cost_basis")
"""The grouping of ``Sums.pairs``: a model label, the model and provider as written, the price and the basis."""

BILL_TERMS = (
    *(f"bill_{key}_{part}" for key in PRICE_KEYS for part in ("wp", "w", "ap", "a")),
    f"bill_{REQUEST_PRICE_KEY}_wp",
    f"bill_{REQUEST_PRICE_KEY}_w",
)
"""Sums behind the bill-weighted unit prices: price x weight and weight, by tokens (w) and by attempts (a)."""

NULLABLE_SUMS = (*COST_COMPONENTS, *TOKEN_COLUMNS)
"""Sums that stay NaN when every row of a group is NaN (SQL ``SUM``), instead of 0."""

COUNTS = (
    "rows",
    "attempts",
    "successes",
    "cost_missing",
    "cost_usd_missing",
    "calls_missing",
    "task_missing",
    "latency_missing",
    "cache_reported",
    "outside",
)
FLOAT_SUMS = ("cost", "cost_usd", "latency_s", "saving", "extra", *BILL_TERMS)
PAIR_SUMS = (*COUNTS, *FLOAT_SUMS, *NULLABLE_SUMS)
TASK_SUMS = (
    "attempts",
    "successes",
    "rows",
    "cost",
    "cost_usd",
    "cost_missing",
    "cost_usd_missing",
    *COST_COMPONENTS,
    "cost_unsplit",
)
"""Per (label, task): ``cost`` and ``cost_usd`` are SQL sums (NaN when every row is NaN); the components
are summed with NaN as 0 and ``cost_unsplit`` is the cost of rows not priced from tokens (a scenario's input)."""


@dataclass(frozen=True)
class Sums:
    pairs: pd.DataFrame
    """``PAIR_KEYS`` + ``PAIR_SUMS`` + ``first_row``/``last_row``, one row per distinct key."""
    tasks: pd.DataFrame
    """``label``, ``task_id``, ``TASK_SUMS``, ``first_row``: one row per (label, task) with a task id."""
    labels: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["data_note"]))
    """Per label: ``data_note`` (why its data says its tokens cannot be repriced, "" where it does
    not; ``data_note_terms``), and the first ``dataset`` and ``editor_model`` where the rows have them."""
    token_columns: tuple[str, ...] = TOKEN_COLUMNS
    """The token columns the rows have (a summary reports ``<column>_per_attempt`` for each)."""
    has_latency: bool = False
    """The rows have a ``latency_s`` column."""

    def ordered(self) -> Sums:
        """Pairs in first-seen order; tasks in first-seen order within each label (ties by name)."""
        pairs = self.pairs.sort_values(["first_row", *PAIR_KEYS], kind="stable", na_position="first")
        tasks = self.tasks.sort_values(["first_row", "label", "task_id"], kind="stable")
        return replace(self, pairs=pairs.reset_index(drop=True), tasks=tasks.reset_index(drop=True))


def data_note_terms(costed: pd.DataFrame) -> pd.Series:
    """Per row, why the data itself says its tokens cannot be repriced ("" where it does not).

    A ``token_note`` (token counts known to be incomplete or implausible) or an ``editor_model``
    with token counts (an architect/editor pair: two models' tokens, which one model's price
    cannot reprice). A model's note is the largest of its rows'.
    """
    texts = pd.Series("", index=costed.index, dtype=object)
    if "token_note" in costed.columns:
        note = costed["token_note"].astype(object)
        texts = texts.where(note.isna(), "implausible token counts: " + note.fillna("").astype(str))
    if "editor_model" in costed.columns:
        # A pair run costed from its published total is fine; only its tokens are unpriceable.
        has_tokens = costed.reindex(columns=list(TOKEN_COLUMNS)).notna().any(axis=1)
        editor = costed["editor_model"].astype(object).where(has_tokens)
        pair = (
            "architect/editor run: its cost includes the editor model "
            + editor.fillna("").astype(str)
            + ", which one model's price cannot reprice"
        )
        # A token note already says why; the pair sentence is for runs without one.
        texts = texts.where(editor.isna() | (texts != ""), pair)
    return texts


def bill_terms(costed: pd.DataFrame, units: dict[str, np.ndarray], request_price: np.ndarray) -> pd.DataFrame:
    """Per row, the weights and weighted prices behind ``compare.bill_weighted_prices``.

    Each kind's price (its tier and time-of-day period included) is weighted by the row's tokens
    of that kind (``wp``/``w``) and by its attempts (``ap``/``a``, for kinds a model never used);
    request fees by calls (attempts where calls are unknown).
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
        key = unit.price_key
        columns[f"bill_{key}_wp"] = np.where(has, tokens * np.nan_to_num(price), 0.0)
        columns[f"bill_{key}_w"] = np.where(has, tokens, 0.0)
        columns[f"bill_{key}_ap"] = np.where(has, attempts * np.nan_to_num(price), 0.0)
        columns[f"bill_{key}_a"] = np.where(has, attempts, 0.0)
    calls = costed["calls"].to_numpy(dtype=float)
    call_weight = np.where(np.isnan(calls), attempts, calls)
    req = np.where(valid, request_price, np.nan)
    columns[f"bill_{REQUEST_PRICE_KEY}_wp"] = np.where(np.isnan(req), 0.0, call_weight * np.nan_to_num(req))
    columns[f"bill_{REQUEST_PRICE_KEY}_w"] = np.where(np.isnan(req), 0.0, call_weight)
    return pd.DataFrame(columns, index=costed.index)


def prices_from_bill_sums(sums: pd.DataFrame) -> pd.DataFrame:
    """Bill-weighted unit prices (USD per million; per thousand calls) from summed ``bill_terms``."""
    out = pd.DataFrame(index=sums.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        for key in PRICE_KEYS:
            weighted = sums[f"bill_{key}_wp"] / sums[f"bill_{key}_w"]
            unweighted = sums[f"bill_{key}_ap"] / sums[f"bill_{key}_a"]
            out[key] = np.where(sums[f"bill_{key}_w"] > 0, weighted, unweighted)
        wp, w = sums[f"bill_{REQUEST_PRICE_KEY}_wp"], sums[f"bill_{REQUEST_PRICE_KEY}_w"]
        out[REQUEST_PRICE_KEY] = np.where(w > 0, wp / w, np.nan)
    return out


def request_prices(price_table: pd.DataFrame, price_id: np.ndarray) -> np.ndarray:
    """Each row's request fee (USD per thousand calls); NaN where none or unpriced."""
    if REQUEST_PRICE_KEY not in price_table.columns:
        return np.full(len(price_id), np.nan)
    return np.append(price_table[REQUEST_PRICE_KEY].to_numpy(dtype=float), np.nan).take(price_id)


def _text_key(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), None)


def measure(rows: pd.DataFrame, price_table: pd.DataFrame) -> Sums:
    """The sums of a priced measurement frame (``price_id`` into ``price_table``), in pandas."""
    costed = pd.concat([rows, price_rows(rows, price_table)], axis=1)
    price_id = costed["price_id"].to_numpy(dtype=np.int64)
    units = unit_prices(price_table, price_id, prompt_per_call(costed))
    n = len(costed)
    position = np.arange(n, dtype=np.int64)
    terms = pd.concat(
        [
            repricing_terms(
                costed,
                units["input_tokens"],
                units["cache_read_tokens"],
                units["output_tokens"],
                units["reasoning_tokens"],
            ),
            bill_terms(costed, units, request_prices(price_table, price_id)),
        ],
        axis=1,
    )
    cost = costed["cost"].to_numpy(dtype=float)
    cost_usd = costed["cost_usd"].to_numpy(dtype=float)
    latency = costed["latency_s"].to_numpy(dtype=float) if "latency_s" in costed.columns else np.full(n, np.nan)
    task = costed["task_id"] if "task_id" in costed.columns else pd.Series(pd.NA, index=costed.index, dtype="string")
    terms["rows"] = 1
    terms["attempts"] = costed["attempts"].to_numpy(dtype=np.int64)
    terms["successes"] = costed["successes"].to_numpy(dtype=np.int64)
    terms["cost"] = np.nan_to_num(cost)
    terms["cost_missing"] = np.isnan(cost).astype(np.int64)
    terms["cost_usd"] = np.nan_to_num(cost_usd)
    terms["cost_usd_missing"] = np.isnan(cost_usd).astype(np.int64)
    terms["calls_missing"] = costed["calls"].isna().to_numpy().astype(np.int64)
    terms["task_missing"] = task.isna().to_numpy().astype(np.int64)
    terms["latency_s"] = np.nan_to_num(latency)
    terms["latency_missing"] = np.isnan(latency).astype(np.int64)
    for col in NULLABLE_SUMS:
        terms[col] = costed[col].to_numpy(dtype=float) if col in costed.columns else np.nan
    terms["first_row"] = position
    terms["last_row"] = position
    keys = pd.DataFrame(
        {
            "label": costed["label"].astype(object).to_numpy(),
            "model": _text_key(costed["model"]).to_numpy(),
            "provider": _text_key(costed["provider"]).to_numpy()
            if "provider" in costed.columns
            else np.full(n, None, dtype=object),
            "price_id": price_id,
            "cost_basis": costed["cost_basis"].astype(str).to_numpy(),
        },
        index=costed.index,
    )
    grouped = pd.concat([keys, terms], axis=1).groupby(list(PAIR_KEYS), sort=False, dropna=False)
    aggs = {c: "sum" for c in PAIR_SUMS if c not in NULLABLE_SUMS}
    pairs = grouped.agg({**aggs, "first_row": "min", "last_row": "max"})
    pairs[list(NULLABLE_SUMS)] = grouped[list(NULLABLE_SUMS)].sum(min_count=1)
    pairs = pairs.reset_index()

    has_task = task.notna().to_numpy()
    per_row = pd.DataFrame(
        {
            "label": keys["label"].to_numpy()[has_task],
            "task_id": task.astype(object).to_numpy()[has_task],
            "attempts": terms["attempts"].to_numpy()[has_task],
            "successes": terms["successes"].to_numpy()[has_task],
            "rows": 1,
            "cost": cost[has_task],
            "cost_usd": cost_usd[has_task],
            "cost_missing": terms["cost_missing"].to_numpy()[has_task],
            "cost_usd_missing": terms["cost_usd_missing"].to_numpy()[has_task],
            **{c: np.nan_to_num(costed[c].to_numpy(dtype=float))[has_task] for c in COST_COMPONENTS},
            "cost_unsplit": np.where(costed["cost_basis"].astype(str).to_numpy() == PRICED, 0.0, cost)[has_task],
            "first_row": position[has_task],
        }
    )
    by_task = per_row.groupby(["label", "task_id"], sort=False)
    tasks = by_task.agg(
        {
            **{c: "sum" for c in TASK_SUMS if c not in ("cost", "cost_usd")},
            "first_row": "min",
        }
    )
    tasks[["cost", "cost_usd"]] = by_task[["cost", "cost_usd"]].sum(min_count=1)
    # A task with an unknown cost has an unknown unsplit cost (NaN sums stay NaN).
    tasks.loc[tasks["cost_missing"] > 0, "cost_unsplit"] = np.nan
    tasks = tasks.reset_index()[["label", "task_id", *TASK_SUMS, "first_row"]]
    tokens = tuple(c for c in TOKEN_COLUMNS if c in costed.columns)
    by_label = pd.DataFrame({"data_note": data_note_terms(costed).to_numpy()}, index=keys["label"].to_numpy())
    for column in ("dataset", "editor_model"):
        if column in costed.columns:
            by_label[column] = costed[column].astype(object).to_numpy()
    labels = by_label.groupby(level=0, sort=False).agg(
        {"data_note": "max", **{c: "first" for c in by_label.columns if c != "data_note"}}
    )
    labels.index = labels.index.astype(object)
    return Sums(pairs, tasks, labels, tokens, "latency_s" in costed.columns).ordered()
