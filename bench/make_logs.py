"""Synthetic gateway-scale logs: per-attempt rows written a model at a time (Parquet and CSV).

Models cover the pricing paths that matter at scale: long-context tiers (gemini-2.5-pro,
claude-sonnet-4-5), a dated price change (o3), DeepSeek's time-of-day prices, cheap and
expensive flat prices, a model priced from observed costs only, and an unpriced one. Attempts
are spread over 2025-05 to 2026-10 (some before genai-prices recorded a model: outside the
history; DeepSeek's two legacy names only until DeepSeek retired them, so their totals stay
known and their time-of-day prices are checked at scale), 5% of rows do not know their call
count. Timestamps are typed (microseconds, UTC) in Parquet and ISO 8601 text in CSV, as gateways
log them.

Rows are written in chunks with pyarrow, so memory stays flat whatever the size:

    python bench/make_logs.py /tmp/logs/m10.parquet --tasks 20000 --attempts 25   # 10M rows
    python bench/make_logs.py /tmp/logs/m10.csv --tasks 20000 --attempts 25
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

MODELS = [
    ("openai", "gpt-4o"),
    ("openai", "gpt-4o-mini"),
    ("openai", "gpt-4.1"),
    ("openai", "gpt-4.1-mini"),
    ("openai", "o3"),
    ("openai", "o4-mini"),
    ("anthropic", "claude-sonnet-4-5"),
    ("anthropic", "claude-haiku-4-5"),
    ("anthropic", "claude-opus-4-1"),
    ("google", "gemini-2.5-pro"),
    ("google", "gemini-2.5-flash"),
    ("deepseek", "deepseek-chat"),
    ("deepseek", "deepseek-reasoner"),
    ("", "grok-4"),
    ("", "mistral-large-latest"),
    ("", "glm-4.6"),
    ("", "kimi-k2"),
    ("", "qwen-plus"),
    ("", "internal/observed-only"),
    ("", "internal/unpriced"),
]
START = np.datetime64("2025-05-01T00:00:00", "s").astype(np.int64)
END = np.datetime64("2026-10-31T00:00:00", "s").astype(np.int64)
RETIRED = np.datetime64("2026-07-24T15:59:00", "s").astype(np.int64)
LAST = {"deepseek-chat": RETIRED, "deepseek-reasoner": RETIRED}
"""Names a provider stopped serving before ``END`` (data/price_corrections.csv): no later rows."""


def model_chunk(
    index: int, provider: str, model: str, tasks: int, attempts: int, seed: int, text_times: bool = False
) -> pa.Table:
    """All attempts of one model: ``tasks`` x ``attempts`` rows."""
    rng = np.random.default_rng(seed * 1000 + index)
    n = tasks * attempts
    task = np.repeat(np.arange(tasks), attempts)
    difficulty = rng.uniform(0, 1, tasks)[task]
    skill = rng.uniform(0.2, 0.8)
    inputs = np.round(np.exp(rng.normal(np.log(30_000), 1.3, n))).astype(np.int64)
    cache_read = np.floor(inputs * rng.uniform(0, 0.8, n) * (rng.random(n) < 0.6)).astype(np.int64)
    cache_write = np.floor((inputs - cache_read) * rng.uniform(0, 0.2, n) * (rng.random(n) < 0.3)).astype(np.int64)
    outputs = np.round(np.exp(rng.normal(np.log(3_000), 1.0, n))).astype(np.int64) + 1
    reasoning = np.floor(outputs * rng.uniform(0, 0.7, n) * (rng.random(n) < 0.5)).astype(np.int64)
    calls = rng.integers(1, 30, n).astype(float)
    calls[rng.random(n) < 0.05] = np.nan
    micros = rng.integers(START, LAST.get(model, END), n) * 1_000_000 + rng.integers(0, 1_000_000, n)
    if text_times:
        stamps = np.char.add(micros.astype("datetime64[us]").astype(str), "Z").astype(object)
        timestamp = pa.array(stamps, pa.string())
    else:
        timestamp = pa.array(micros, pa.timestamp("us", tz="UTC"))
    observed = model == "internal/observed-only"
    return pa.table(
        {
            "provider": pa.array(np.full(n, provider or None, dtype=object), pa.string()),
            "model": pa.array(np.full(n, model, dtype=object), pa.string()),
            "task_id": pa.array(np.char.add("task-", task.astype(str)).astype(object), pa.string()),
            "attempt": pa.array(np.tile(np.arange(1, attempts + 1), tasks), pa.int32()),
            "success": pa.array(rng.random(n) < skill * (1.2 - difficulty), pa.bool_()),
            "timestamp": timestamp,
            "input_tokens": pa.array(inputs, pa.int64()),
            "cache_read_tokens": pa.array(cache_read, pa.int64()),
            "cache_write_tokens": pa.array(cache_write, pa.int64()),
            "output_tokens": pa.array(outputs, pa.int64()),
            "reasoning_tokens": pa.array(reasoning, pa.int64()),
            "calls": pa.array(calls, pa.float64(), from_pandas=True),
            "cost_usd": pa.array(
                np.round(inputs * 1e-6 + outputs * 4e-6, 6) if observed else np.full(n, np.nan),
                pa.float64(),
                from_pandas=True,
            ),
        }
    )


def write(path: Path, tasks: int, attempts: int, models: int = len(MODELS), seed: int = 0) -> Path:
    """Write ``models`` x ``tasks`` x ``attempts`` rows to a .parquet or .csv file, a model at a time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    text = path.suffix != ".parquet"
    first = model_chunk(0, *MODELS[0], tasks, attempts, seed, text)
    if path.suffix == ".parquet":
        with pq.ParquetWriter(tmp, first.schema, compression="zstd") as writer:
            for i in range(models):
                chunk = first if i == 0 else model_chunk(i, *MODELS[i % len(MODELS)], tasks, attempts, seed, text)
                writer.write_table(chunk, row_group_size=1_000_000)
    else:
        with pa.OSFile(str(tmp), "wb") as sink, pacsv.CSVWriter(sink, first.schema) as writer:
            for i in range(models):
                chunk = first if i == 0 else model_chunk(i, *MODELS[i % len(MODELS)], tasks, attempts, seed, text)
                writer.write_table(chunk)
    tmp.replace(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path", type=Path, help="output .parquet or .csv")
    parser.add_argument("--tasks", type=int, default=2_000, help="tasks per model (default 2,000)")
    parser.add_argument("--attempts", type=int, default=25, help="attempts per task (default 25)")
    parser.add_argument("--models", type=int, default=len(MODELS), help=f"models (default {len(MODELS)})")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write(args.path, args.tasks, args.attempts, args.models, args.seed)
    print(f"wrote {args.models * args.tasks * args.attempts:,} rows to {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
