"""The engine parity fixture: rows on every pricing edge, with their costs worked out by hand.

Prices (USD per million tokens):

- ``acme/tiered-1`` (a custom sheet): input 1.00, cache read 0.10, cache write 1.25, output 4.00,
  reasoning 8.00, $0.50 per thousand calls; above 100,000 prompt tokens per call input 2.00 and
  output 6.00 (cliff tier).
- ``o3``: $10/$0.50/$40 (genai-prices) before OpenAI's cut of 2025-06-10, $2/$0.50/$8 from it
  (dated correction); no reasoning price, so reasoning is billed at the output price.
- ``deepseek/deepseek-chat`` from 2025-02-26 16:30 to 2025-09-05 16:00 UTC (dated correction):
  $0.27/$0.07/$1.10, off-peak 16:30-00:30 UTC $0.135/$0.035/$0.55. A row known only by its day
  takes the price in force most of that day (standard, 16 hours of 24).
- ``openai/gpt-4o``: $2.50/$1.25/$10 (genai-prices, recorded from 2025-07-04); a row dated before
  keeps its observed cost, or without one takes that earliest price, marked outside the history.
- ``internal/observed-only``, ``internal/unpriced``: no price anywhere.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pricing.custom import CustomPrice, CustomTier

TODAY = date(2026, 11, 1)
COLUMNS = [
    "label",
    "model",
    "provider",
    "task_id",
    "attempt",
    "success",
    "input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "output_tokens",
    "reasoning_tokens",
    "calls",
    "cost_usd",
    "latency_s",
    "timestamp",
]
# label, model, provider, task, attempt, success, input, cache read, cache write, output, reasoning,
# calls, cost_usd, latency, timestamp ("" = not reported)
# fmt: off
ROWS: list[tuple[object, ...]] = [
    # 20,000 uncached x 1.00 + 20,000 x 0.10 + 10,000 x 1.25 + 4,000 x 4.00 + 1,000 x 8.00 + 1 call x 0.50/1000 = $0.059
    (
        "tiered",
        "tiered-1",
        "acme",
        "t1",
        1,
        "true",
        50_000,
        20_000,
        10_000,
        5_000,
        1_000,
        1,
        "",
        3.0,
        "2025-08-01T10:00:00Z",
    ),
    # 150,000 prompt tokens per call: 300,000 x 2.00 + 10,000 x 6.00 + 2 x 0.50/1000 = $0.661
    ("tiered", "tiered-1", "acme", "t1", 2, "false", 300_000, "", "", 10_000, "", 2, "", 5.0, "2025-08-01T11:00:00Z"),
    # calls unknown: base tier, 400,000 x 1.00 + 2,000 x 4.00 + 1 x 0.50/1000 = $0.4085
    ("tiered", "tiered-1", "acme", "t2", 1, "yes", 400_000, "", "", 2_000, "", "", "", 4.0, "2025-08-02T10:00:00Z"),
    # before the cut: 50,000 x 10 + 50,000 x 0.50 + 10,000 x 40 (8,000 reasoning at the output price) = $0.925
    ("o3", "o3", "", "t1", 1, "1", 100_000, 50_000, "", 10_000, 8_000, "", "", 20.0, "2025-06-09T23:59:59Z"),
    # from the cut (midnight UTC): 50,000 x 2 + 50,000 x 0.50 + 10,000 x 8 = $0.205
    ("o3", "o3", "", "t2", 1, "0", 100_000, 50_000, "", 10_000, 8_000, "", "", 10.0, "2025-06-10T00:00:00Z"),
    # standard: 1,000,000 x 0.27 + 100,000 x 1.10 = $0.38
    (
        "deepseek",
        "deepseek-chat",
        "deepseek",
        "t1",
        1,
        "true",
        1_000_000,
        0,
        "",
        100_000,
        "",
        1,
        "",
        8.0,
        "2025-07-01T16:29:59Z",
    ),
    # off-peak: 1,000,000 x 0.135 + 100,000 x 0.55 = $0.19
    (
        "deepseek",
        "deepseek-chat",
        "deepseek",
        "t1",
        2,
        "false",
        1_000_000,
        0,
        "",
        100_000,
        "",
        1,
        "",
        8.0,
        "2025-07-01T16:30:00Z",
    ),
    # 16:29:59.7 is still 16:29:59 (the second is truncated, not rounded into the off-peak window): $0.38
    (
        "deepseek",
        "deepseek-chat",
        "deepseek",
        "t2",
        1,
        "true",
        1_000_000,
        0,
        "",
        100_000,
        "",
        1,
        "",
        8.0,
        "2025-07-01T16:29:59.700Z",
    ),
    # a bare date: the price in force most of that day, standard: $0.38
    ("deepseek", "deepseek-chat", "deepseek", "t2", 2, "true", 1_000_000, 0, "", 100_000, "", 1, "", 8.0, "2025-07-01"),
    # 01:00 at +02:00 is 23:00 UTC, off-peak: $0.19
    (
        "deepseek",
        "deepseek-chat",
        "deepseek",
        "t3",
        1,
        "false",
        1_000_000,
        0,
        "",
        100_000,
        "",
        1,
        "",
        8.0,
        "2025-07-02T01:00:00+02:00",
    ),
    (
        "observed",
        "internal/observed-only",
        "",
        "t1",
        1,
        "true",
        1_000,
        "",
        "",
        100,
        "",
        "",
        0.25,
        "",
        "2025-07-01T10:00:00Z",
    ),
    (
        "observed",
        "internal/observed-only",
        "",
        "t2",
        1,
        "false",
        1_000,
        "",
        "",
        100,
        "",
        "",
        0.5,
        "",
        "2025-07-01T10:00:00Z",
    ),
    ("unpriced", "internal/unpriced", "", "t1", 1, "true", 1_000, "", "", 100, "", "", "", "", "2025-07-01T10:00:00Z"),
    ("unpriced", "internal/unpriced", "", "t2", 1, "false", 1_000, "", "", 100, "", "", "", "", "2025-07-01T10:00:00Z"),
    # before genai-prices recorded gpt-4o: its own observed cost, $0.123
    ("gpt-4o", "gpt-4o", "openai", "t1", 1, "true", 100_000, "", "", 10_000, "", "", 0.123, "", "2025-05-01T00:00:00Z"),
    # before, without a cost: the earliest recorded price, 100,000 x 2.50 + 10,000 x 10 = $0.35
    ("gpt-4o", "gpt-4o", "openai", "t2", 1, "false", 100_000, "", "", 10_000, "", "", "", "", "2025-05-01T00:00:00Z"),
    # recorded: $0.35
    ("gpt-4o", "gpt-4o", "openai", "t2", 2, "true", 100_000, "", "", 10_000, "", "", "", "", "2025-08-01T00:00:00Z"),
]
# fmt: on
TOTALS = {
    "tiered": 0.059 + 0.661 + 0.4085,
    "o3": 0.925 + 0.205,
    "deepseek": 0.38 + 0.19 + 0.38 + 0.38 + 0.19,
    "observed": 0.75,
    "gpt-4o": 0.123 + 0.35 + 0.35,
}
"""Total cost per model in USD; ``unpriced`` has none (NaN, never 0)."""
TIERED_COMPONENTS = {
    "cost_input": 0.02 + 0.6 + 0.4,
    "cost_cache_read": 0.002,
    "cost_cache_write": 0.0125,
    "cost_output": 0.016 + 0.06 + 0.008,
    "cost_reasoning": 0.008,
    "cost_requests": 0.0005 + 0.001 + 0.0005,
}
O3_COMPONENTS = {
    "cost_input": 0.6,
    "cost_cache_read": 0.05,
    "cost_output": 0.4 - 0.32 + 0.08 - 0.064,
    "cost_reasoning": 0.384,
}
BASES = {
    "tiered": "priced",
    "o3": "priced",
    "deepseek": "priced",
    "observed": "observed",
    "unpriced": "unpriced",
    "gpt-4o": "mixed",
}

CUSTOM = [
    CustomPrice(
        provider="acme",
        model="tiered-1",
        input_mtok=1.0,
        cache_read_mtok=0.1,
        cache_write_mtok=1.25,
        output_mtok=4.0,
        output_reasoning_mtok=8.0,
        requests_kcount=0.5,
        tiers=[CustomTier(start=100_000, input_mtok=2.0, output_mtok=6.0)],
        source="test sheet",
        checked_on=date(2025, 8, 1),
    )
]


def csv_text(rows: list[tuple[object, ...]] = ROWS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def write_csv(path: Path, rows: list[tuple[object, ...]] = ROWS) -> Path:
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


def _value(column: str, value: object) -> object:
    if value == "":
        return None
    if column == "success":
        return {"true": True, "yes": True, "1": True, "false": False, "0": False}[str(value)]
    return value


def write_jsonl(path: Path, rows: list[tuple[object, ...]] = ROWS) -> Path:
    lines = [json.dumps({c: _value(c, v) for c, v in zip(COLUMNS, row, strict=True) if v != ""}) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def arrow_table(rows: list[tuple[object, ...]] = ROWS) -> pa.Table:
    """Typed columns; the timestamp stays text so that a bare date keeps meaning a day."""
    columns: dict[str, list[object]] = {c: [] for c in COLUMNS}
    for row in rows:
        for c, v in zip(COLUMNS, row, strict=True):
            columns[c].append(_value(c, v))
    types = {
        "label": pa.string(),
        "model": pa.string(),
        "provider": pa.string(),
        "task_id": pa.string(),
        "attempt": pa.int64(),
        "success": pa.bool_(),
        "timestamp": pa.string(),
    }
    return pa.table({c: pa.array(v, type=types.get(c, pa.float64())) for c, v in columns.items()})


def write_parquet(path: Path, rows: list[tuple[object, ...]] = ROWS) -> Path:
    pq.write_table(arrow_table(rows), path)
    return path


def assert_same(reference: pd.DataFrame, other: pd.DataFrame) -> None:
    """Same columns, rows and values: text equal, numbers within 1e-9 relative (sums in another order)."""
    assert list(other.columns) == list(reference.columns)
    assert other["model"].tolist() == reference["model"].tolist()
    for column in reference.columns:
        a, b = reference[column], other[column]
        if pd.api.types.is_float_dtype(a) or pd.api.types.is_float_dtype(b):
            x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
            assert np.array_equal(np.isnan(x), np.isnan(y)), column
            finite = np.isfinite(x)
            assert np.array_equal(x[~finite & ~np.isnan(x)], y[~finite & ~np.isnan(y)]), column
            np.testing.assert_allclose(y[finite], x[finite], rtol=1e-9, atol=0, err_msg=column)
        else:
            assert b.astype(str).tolist() == a.astype(str).tolist(), column
