"""Does a repriced cost agree with the cost the data itself reports? If not, why not?

A leaderboard's published cost (or a gateway's provider-reported cost) is the best check of a
price: reprice the row's tokens and compare. Where the two differ by more than
``TOLERANCE`` the model gets a *repricing flag* naming the likely cause, and a user switch
(``prefer_published``) decides which figure ranks.

Worked example: DeepSeek-V3.2-Exp (Chat) on Aider, 2,266,868 input and 573,477 output tokens,
published $0.8756. At January-2025 prices ($0.27/$1.10) it reprices to $1.2429: 1.42x the
published cost, flagged; at the price of its day ($0.28/$0.42) $0.8756, not flagged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TOLERANCE = 0.10
"""Relative difference between repriced and published cost above which a model is flagged."""

OUTSIDE_HISTORY = "price date outside the recorded price history"
NO_CACHE_SPLIT = "no cache split: cached input repriced at the full input price"
NO_REASONING_SPLIT = "no reasoning split: thinking output, priced apart, repriced at the answer price"
INCOMPLETE_TOKENS = "repriced below the published cost: token counts look incomplete"
PRICE_DIFFERS = "repriced above the published cost: the price differs from what the publisher paid"


def repricing_ratio(repriced: np.ndarray, published: np.ndarray) -> np.ndarray:
    """Repriced over published cost; NaN where either is unknown or the published cost is 0.

    >>> repricing_ratio(np.array([1.2429, 0.8756]), np.array([0.8756, 0.8756])).round(3).tolist()
    [1.419, 1.0]
    """
    r = np.asarray(repriced, dtype=float)
    p = np.asarray(published, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio: np.ndarray = np.where(p > 0, r / p, np.nan)
    return ratio


def flag_causes(
    ratio: np.ndarray,
    outside_history: np.ndarray,
    cache_explains: np.ndarray,
    cache_reported: np.ndarray,
    tolerance: float = TOLERANCE,
    reasoning_explains: np.ndarray | None = None,
) -> np.ndarray:
    """The repricing flag per model: empty when repriced and published agree (or either is unknown).

    Causes, most specific first: a row priced outside its price's recorded history; cached input
    the data does not split out, where billing every input token at the model's cache price
    could explain the gap (``cache_explains``); output the data does not split into thinking and
    answer although thinking has its own, higher price, where billing every output token at it
    could explain the gap (``reasoning_explains``); repriced below the published cost (tokens
    missing); repriced above it (a different price than the publisher's).

    >>> flags = flag_causes(np.array([1.42, 1.0, 0.1, 2.0, np.nan]), np.array([False] * 4 + [True]),
    ...     np.array([False, False, False, True, False]), np.array([False] * 5))
    >>> [f.split(":")[0] for f in flags]
    ['repriced above the published cost', '', 'repriced below the published cost', 'no cache split', \
'price date outside the recorded price history']
    """
    ratio = np.asarray(ratio, dtype=float)
    off = np.abs(ratio - 1) > tolerance  # NaN compares False: nothing to compare, nothing to flag
    above = off & (ratio > 1)
    below = off & (ratio < 1)
    reasoning = np.zeros(len(ratio), dtype=bool) if reasoning_explains is None else reasoning_explains
    flags = np.select(
        [
            np.asarray(outside_history, dtype=bool),
            above & np.asarray(cache_explains, dtype=bool) & ~np.asarray(cache_reported, dtype=bool),
            below & np.asarray(reasoning, dtype=bool),
            below,
            above,
        ],
        [OUTSIDE_HISTORY, NO_CACHE_SPLIT, NO_REASONING_SPLIT, INCOMPLETE_TOKENS, PRICE_DIFFERS],
        default="",
    )
    out: np.ndarray = flags.astype(object)
    return out


def per_model_flags(
    costed: pd.DataFrame,
    input_price: np.ndarray,
    cache_price: np.ndarray,
    output_price: np.ndarray | None = None,
    reasoning_price: np.ndarray | None = None,
    tolerance: float = TOLERANCE,
) -> pd.DataFrame:
    """Per label: ``repriced_cost`` (tokens x prices, where every row could be repriced),
    ``repriced_vs_published`` and ``repricing_flag``.

    ``costed`` holds priced rows (``label``, ``cost_basis``, ``cost``, ``cost_input``,
    ``cost_usd``, ``cache_read_tokens``, ``reasoning_tokens``, ``outside_history``); the
    prices are each row's input, cache-read, output and reasoning prices (NaN where none).
    """
    groups = costed.groupby("label", sort=False, observed=True)
    priced = costed["cost_basis"].astype(str).to_numpy() == "priced"
    repriced_rows = pd.Series(np.where(priced, costed["cost"].to_numpy(dtype=float), np.nan), index=costed.index)
    all_priced = pd.Series(priced, index=costed.index).groupby(costed["label"], sort=False, observed=True).all()
    repriced = repriced_rows.groupby(costed["label"], sort=False, observed=True).sum().where(all_priced)
    has_published = costed["cost_usd"].notna().groupby(costed["label"], sort=False, observed=True).all()
    published = groups["cost_usd"].sum().where(has_published)
    ratio = repricing_ratio(repriced.to_numpy(), published.reindex(repriced.index).to_numpy())
    outside = (
        costed["outside_history"].groupby(costed["label"], sort=False, observed=True).any()
        if "outside_history" in costed.columns
        else pd.Series(False, index=repriced.index)
    )
    # The most caching could save: every uncached input token billed at the cache price instead.
    with np.errstate(divide="ignore", invalid="ignore"):
        share_saved = np.where(priced & (input_price > 0) & ~np.isnan(cache_price), 1 - cache_price / input_price, 0.0)
    saving = pd.Series(np.nan_to_num(costed["cost_input"].to_numpy(dtype=float)) * share_saved, index=costed.index)
    floor = repriced - saving.groupby(costed["label"], sort=False, observed=True).sum()
    floor_ratio = repricing_ratio(floor.to_numpy(), published.reindex(repriced.index).to_numpy())
    cache_explains = pd.Series(floor_ratio <= 1 + tolerance, index=repriced.index) & (floor < repriced)
    reasoning_explains = np.zeros(len(repriced), dtype=bool)
    if output_price is not None and reasoning_price is not None and "output_tokens" in costed.columns:
        # The most a thinking price could add: every output token billed at it instead.
        extra = np.where(
            priced & (reasoning_price > output_price),
            np.nan_to_num(costed["output_tokens"].to_numpy(dtype=float)) * (reasoning_price - output_price) / 1e6,
            0.0,
        )
        unsplit = costed["reasoning_tokens"].isna() if "reasoning_tokens" in costed.columns else True
        extra = np.where(unsplit, extra, 0.0)
        ceiling = (
            repriced + pd.Series(extra, index=costed.index).groupby(costed["label"], sort=False, observed=True).sum()
        )
        ceiling_ratio = repricing_ratio(ceiling.to_numpy(), published.reindex(repriced.index).to_numpy())
        reasoning_explains = (ceiling_ratio >= 1 - tolerance) & (ceiling.to_numpy() > repriced.to_numpy())
    if "cache_read_tokens" in costed.columns:
        cache_reported = (costed["cache_read_tokens"].fillna(0) > 0).groupby(costed["label"], observed=True).any()
    else:
        cache_reported = pd.Series(False, index=repriced.index)
    flags = flag_causes(
        ratio,
        outside.reindex(repriced.index).fillna(False).to_numpy(),
        cache_explains.to_numpy(),
        cache_reported.reindex(repriced.index).fillna(False).to_numpy(),
        tolerance,
        reasoning_explains,
    )
    return pd.DataFrame(
        {"repriced_cost": repriced.to_numpy(), "repriced_vs_published": ratio, "repricing_flag": flags},
        index=repriced.index,
    )
