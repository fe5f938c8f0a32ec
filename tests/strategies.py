"""Hypothesis strategies and small frame builders shared by the test modules.

Token counts respect the nesting of ``tokenomics.units``: cached and cache-write tokens are
parts of ``input_tokens``, one-hour cache writes part of ``cache_write_tokens``, reasoning
part of ``output_tokens``. Prices are USD per million tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from tokenomics.units import PRICE_KEYS, REQUEST_PRICE_KEY, TOKEN_COLUMNS

PROVENANCE = {"price_source": "test sheet", "price_as_of": "2025-10-01", "provider_id": "test"}
"""Provenance columns a price table from ``pricing.book.attach_prices`` always carries."""


def measurement_rows(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A canonical measurement frame (as ``measurements.load`` builds it) from partial records.

    Missing token counts are NaN (not reported), ``calls`` and ``cost_usd`` NaN (unknown),
    ``attempts`` 1, ``successes`` 0, ``price_id`` 0 and ``label`` the model.
    """
    base: dict[str, Any] = {
        "label": None,
        "model": "m",
        "provider": "",
        "attempts": 1,
        "successes": 0,
        **dict.fromkeys(TOKEN_COLUMNS, np.nan),
        "calls": np.nan,
        "cost_usd": np.nan,
        "price_id": 0,
    }
    out = []
    for record in records:
        row = {**base, **record}
        row["label"] = row["label"] or row["model"]
        out.append(row)
    frame = pd.DataFrame(out)
    for col in (*TOKEN_COLUMNS, "calls", "cost_usd"):
        frame[col] = frame[col].astype(float)
    frame["price_id"] = frame["price_id"].astype(np.int64)
    return frame


def price_table(records: Iterable[Mapping[str, Any]], *, provenance: bool = True) -> pd.DataFrame:
    """A price table (one row per price) with every price key as a float column (NaN = no price)."""
    frame = pd.DataFrame(list(records))
    for key in (*PRICE_KEYS, REQUEST_PRICE_KEY):
        frame[key] = frame[key].astype(float) if key in frame.columns else np.nan
    if provenance:
        for col, value in PROVENANCE.items():
            if col not in frame.columns:
                frame[col] = value
    return frame


# --- token counts ----------------------------------------------------------------------------

token_count = st.integers(min_value=0, max_value=5_000_000)


@st.composite
def token_rows(draw: st.DrawFn, *, max_input: int = 5_000_000, max_output: int = 500_000) -> dict[str, int]:
    """One row of token counts whose parts never exceed their wholes."""
    input_tokens = draw(st.integers(0, max_input))
    cache_read = draw(st.integers(0, input_tokens))
    cache_write = draw(st.integers(0, input_tokens - cache_read))
    cache_write_1h = draw(st.integers(0, cache_write))
    output_tokens = draw(st.integers(0, max_output))
    reasoning = draw(st.integers(0, output_tokens))
    return {
        "input_tokens": input_tokens,
        "cache_read_tokens": cache_read,
        "cache_write_tokens": cache_write,
        "cache_write_1h_tokens": cache_write_1h,
        "output_tokens": output_tokens,
        "reasoning_tokens": reasoning,
    }


# --- prices ----------------------------------------------------------------------------------

# Whole cents keep the arithmetic exact enough that "x c / c" comparisons are about the code,
# not about float noise.
price = st.integers(min_value=1, max_value=100_00).map(lambda cents: cents / 100)
optional_price = st.one_of(st.none(), price)


@st.composite
def price_records(draw: st.DrawFn, *, requests: bool = True) -> dict[str, float]:
    """One model's prices: input and output always; cache, reasoning and request prices maybe."""
    record: dict[str, float] = {"input_mtok": draw(price), "output_mtok": draw(price)}
    for key in ("cache_read_mtok", "cache_write_mtok", "cache_write_1h_mtok", "output_reasoning_mtok"):
        value = draw(optional_price)
        if value is not None:
            record[key] = value
    if requests:
        value = draw(optional_price)
        if value is not None:
            record[REQUEST_PRICE_KEY] = value
    return record


@st.composite
def price_tables(draw: st.DrawFn, *, min_models: int = 1, max_models: int = 4) -> pd.DataFrame:
    """A price table of untiered prices (tier columns absent)."""
    records = draw(st.lists(price_records(), min_size=min_models, max_size=max_models))
    return price_table(records)


# --- measurements ----------------------------------------------------------------------------


@st.composite
def priced_measurements(draw: st.DrawFn, *, max_rows: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of token counts (aggregated or per-attempt) with a price table they point into."""
    table = draw(price_tables())
    n = draw(st.integers(1, max_rows))
    records = []
    for _ in range(n):
        tokens = draw(token_rows())
        attempts = draw(st.integers(1, 50))
        records.append(
            {
                **tokens,
                "model": f"m{draw(st.integers(0, 2))}",
                "attempts": attempts,
                "successes": draw(st.integers(0, attempts)),
                "calls": draw(st.one_of(st.just(np.nan), st.integers(1, 200).map(float))),
                "price_id": draw(st.integers(0, len(table) - 1)),
            }
        )
    return measurement_rows(records), table


@st.composite
def task_results(draw: st.DrawFn, *, min_tasks: int = 2, max_tasks: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Per-task (cost, successes) of one model over a task set, at least one success overall."""
    n = draw(st.integers(min_tasks, max_tasks))
    cost = draw(st.lists(st.integers(1, 10_000).map(lambda c: c / 1000), min_size=n, max_size=n))
    succ = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n).filter(lambda s: sum(s) > 0))
    return np.array(cost, dtype=float), np.array(succ, dtype=float)


@st.composite
def success_counts(draw: st.DrawFn, *, max_attempts: int = 10_000) -> tuple[int, int]:
    """(successes, attempts) with at least one attempt."""
    attempts = draw(st.integers(1, max_attempts))
    return draw(st.integers(0, attempts)), attempts
