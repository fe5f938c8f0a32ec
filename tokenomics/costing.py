"""Cost of each measurement row from its token counts and its price (the primer's ``c(a)``).

    c(a) = sum over token kinds k of  t_k(a) * P_k / 1e6

Token counts nest (cached tokens are part of input, reasoning tokens part of output). A part
with its own price is billed at that price and taken out of its parent; a part without one
stays in its parent and is billed at the parent's price. This is genai-prices' rule, so a
model without a cache-read price bills cached tokens as ordinary input, and no token is ever
billed twice.

Long-context tiers use the "cliff" rule: once the prompt of an API call exceeds a tier's
start, every token of that kind in the call is billed at the tier price. A row may sum many
calls, so the prompt compared with the tier start is ``input_tokens / calls``; with ``calls``
unknown the base tier is used (pricing an agent's whole run as one giant prompt would
wrongly cross every tier).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokenomics.units import REQUEST_PRICE_KEY, TOKEN_COLUMNS, TOKEN_UNITS, tier_columns

PRICED = "priced"
OBSERVED = "observed"
UNPRICED = "unpriced"


def tier_count(price_table: pd.DataFrame) -> int:
    """How many tiers the price table's columns describe."""
    n = 0
    while tier_columns(TOKEN_UNITS[0].price_key, n + 1)[0] in price_table.columns:
        n += 1
    return n


def _gather(price_table: pd.DataFrame, column: str, index: np.ndarray) -> np.ndarray:
    """Per-row values of a price-table column; index -1 (unpriced) gives NaN."""
    if column not in price_table.columns:
        return np.full(len(index), np.nan)
    # Index -1 picks the NaN appended at the end: unpriced rows get NaN without a mask.
    return np.append(price_table[column].to_numpy(dtype=float), np.nan).take(index)


def unit_prices(price_table: pd.DataFrame, price_id: np.ndarray, prompt_per_call: np.ndarray) -> dict[str, np.ndarray]:
    """USD per million tokens of each kind, per row, with the tier chosen by the prompt per call.

    A NaN price means the kind has no price of its own for that row's model.
    """
    tiers = tier_count(price_table)
    prices: dict[str, np.ndarray] = {}
    for unit in TOKEN_UNITS:
        price = _gather(price_table, unit.price_key, price_id)
        for tier in range(1, tiers + 1):
            start_col, price_col = tier_columns(unit.price_key, tier)
            start = _gather(price_table, start_col, price_id)
            with np.errstate(invalid="ignore"):
                crossed = prompt_per_call > start
            price = np.where(crossed, _gather(price_table, price_col, price_id), price)
        prices[unit.column] = price
    return prices


def prompt_per_call(frame: pd.DataFrame) -> np.ndarray:
    """Mean prompt of one API call: ``input_tokens / calls``, or 0 (base tier) when calls are unknown."""
    inputs = frame["input_tokens"].to_numpy(dtype=float)
    calls = frame["calls"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_call = np.where(calls > 0, inputs / calls, 0.0)
    return np.nan_to_num(per_call, nan=0.0)


def price_rows(frame: pd.DataFrame, price_table: pd.DataFrame) -> pd.DataFrame:
    """Cost of every row, split by where the money goes.

    ``frame`` needs the token columns (NaN = not reported), ``calls``, ``attempts``,
    ``cost_usd`` (observed cost, NaN if none) and ``price_id`` (row of ``price_table``,
    -1 when the model has no price). Returns the cost components, ``cost`` and
    ``cost_basis``: ``priced`` (tokens x prices), ``observed`` (the row's own ``cost_usd``,
    used when tokens or prices are missing) or ``unpriced`` (no way to know: NaN, never 0).

    Worked example (primer): 2,372,636 input and 1,235,902 output tokens at $20/$80 per
    million cost 2.372636 x 20 + 1.235902 x 80 = $146.32.

    >>> table = pd.DataFrame({"input_mtok": [20.0], "output_mtok": [80.0]})
    >>> row = pd.DataFrame({"input_tokens": [2_372_636.0], "output_tokens": [1_235_902.0],
    ...     "calls": [np.nan], "attempts": [225], "cost_usd": [np.nan], "price_id": [0]})
    >>> round(float(price_rows(row, table)["cost"].iloc[0]), 2)
    146.32
    """
    price_id = frame["price_id"].to_numpy(dtype=np.int64)
    n = len(frame)
    counts = {
        col: np.nan_to_num(frame[col].to_numpy(dtype=float), nan=0.0) if col in frame.columns else np.zeros(n)
        for col in TOKEN_COLUMNS
    }
    prices = unit_prices(price_table, price_id, prompt_per_call(frame))
    priced = {col: ~np.isnan(p) for col, p in prices.items()}

    # Most specific kinds first, so each parent can take out its priced parts.
    leaves: dict[str, np.ndarray] = {}
    for unit in sorted(TOKEN_UNITS, key=lambda u: -len(u.ancestors)):
        leaf = counts[unit.column].copy()
        for other in TOKEN_UNITS:
            if unit.column in other.ancestors:
                leaf -= np.where(priced[other.column], leaves[other.column], 0.0)
        leaves[unit.column] = leaf

    def billed(col: str) -> np.ndarray:
        return np.where(priced[col], leaves[col] * np.nan_to_num(prices[col]), 0.0) / 1e6

    reasoning_own_price = priced["reasoning_tokens"]
    output_price = np.nan_to_num(prices["output_tokens"])
    # Reasoning billed at the output rate is shown as its own slice of the output bill.
    reasoning_at_output = np.where(reasoning_own_price, 0.0, counts["reasoning_tokens"])
    calls = frame["calls"].to_numpy(dtype=float)
    n_calls = np.where(np.isnan(calls), frame["attempts"].to_numpy(dtype=float), calls)
    components = {
        "cost_input": billed("input_tokens"),
        "cost_cache_read": billed("cache_read_tokens"),
        "cost_cache_write": billed("cache_write_tokens") + billed("cache_write_1h_tokens"),
        "cost_output": billed("output_tokens") - reasoning_at_output * output_price / 1e6,
        "cost_reasoning": billed("reasoning_tokens") + reasoning_at_output * output_price / 1e6,
        "cost_requests": n_calls * np.nan_to_num(_gather(price_table, REQUEST_PRICE_KEY, price_id)) / 1e3,
    }

    token_frame = frame.reindex(columns=list(TOKEN_COLUMNS))
    has_tokens = token_frame.notna().any(axis=1).to_numpy()
    has_price = (price_id >= 0) & priced["input_tokens"] & priced["output_tokens"]
    observed = frame["cost_usd"].to_numpy(dtype=float)
    use_tokens = has_tokens & has_price
    use_observed = ~use_tokens & ~np.isnan(observed)

    out = pd.DataFrame(index=frame.index)
    for name, values in components.items():
        out[name] = np.where(use_tokens, values, np.nan)
    out["cost_observed"] = np.where(use_observed, observed, np.nan)
    out["cost"] = np.where(
        use_tokens, out[list(components)].sum(axis=1).to_numpy(), np.where(use_observed, observed, np.nan)
    )
    basis = np.select([use_tokens, use_observed], [0, 1], default=2).astype(np.int8)
    out["cost_basis"] = pd.Categorical.from_codes(basis, categories=pd.Index([PRICED, OBSERVED, UNPRICED]))
    return out
