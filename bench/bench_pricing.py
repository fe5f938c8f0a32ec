"""Benchmark: pricing 1,000,000 per-attempt rows, vectorised vs a genai-prices loop.

Target: pricing and aggregating 1,000,000 per-attempt rows with our vectorised path
(measurements frame -> ``pricing.book.attach_prices`` -> ``tokenomics.costing.price_rows``
-> groupby sum) is at least 100x faster than looping ``genai_prices.calc_price`` over the
same rows, with the same totals to 1e-9 relative.

The rows use real models from the bundled genai-prices snapshot: long-context tiered ones
(gemini-2.5-pro, claude-sonnet-4-5, gpt-5.4, gemini-1.5-pro), ones with cache-read prices,
one without (gpt-4: cached tokens billed as input), a start-date price change (o3) and a
time-of-day price (deepseek-chat). Token counts are random; ``calls`` is 1 and every row has
the same timestamp.

Both timings, their ratio and the relative difference of the totals come from one run in
one process. If the loop over every row would take longer than ``--loop-budget`` seconds
(estimated from a probe of a few thousand calls), the loop is timed on a random sample of
``--sample`` rows (at least 50,000) and extrapolated linearly; the totals are then checked
on that sample (vectorised costs of the sampled rows vs the exact Decimal sum).

Run from the repository root:

    python bench/bench_pricing.py             # 1,000,000 rows (the target; ~1-2 minutes)
    python bench/bench_pricing.py --quick     # 20,000 rows, a few seconds
    python bench/bench_pricing.py --rows 200000 --sample 50000
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import genai_prices  # noqa: E402
from genai_prices.data_snapshot import get_snapshot  # noqa: E402
from timing import RUNS, load_line, timed  # noqa: E402

from measurements.load import CANONICAL  # noqa: E402
from pricing.book import attach_prices  # noqa: E402
from pricing.comparison import compare_measurements  # noqa: E402
from tokenomics.compare import CompareOptions  # noqa: E402
from tokenomics.costing import price_rows  # noqa: E402

# (provider, model): what each one exercises.
MODELS = [
    ("google", "gemini-2.5-pro"),  # tiered at 200k input, cache-read price (tiered too)
    ("anthropic", "claude-sonnet-4-5"),  # tiered at 200k, cache-read price
    ("openai", "gpt-5.4"),  # tiered at 272k, cache-read price
    ("google", "gemini-1.5-pro"),  # tiered at 128k, no cache-read price
    ("openai", "gpt-4o"),  # flat, cache-read price
    ("openai", "gpt-4"),  # flat, no cache-read price: cached tokens billed as input
    ("openai", "o3"),  # start-date price change (2025-06-10)
    ("deepseek", "deepseek-chat"),  # time-of-day price (peak 00:30-16:30 UTC)
]
TIMESTAMP = datetime(2025, 10, 3, 14, 5, tzinfo=UTC)
TODAY = date(2025, 10, 3)
TARGET_RATIO = 100.0
TARGET_RTOL = 1e-9


def make_rows(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Random per-attempt token counts; input straddles every tier start (128k-272k)."""
    rng = np.random.default_rng(seed)
    model_idx = rng.integers(0, len(MODELS), n)
    inputs = np.round(np.exp(rng.uniform(np.log(500), np.log(450_000), n))).astype(np.int64)
    cache_read = np.floor(inputs * rng.uniform(0, 0.9, n) * (rng.random(n) < 0.7)).astype(np.int64)
    outputs = rng.integers(1, 30_000, n)
    reasoning = np.floor(outputs * rng.uniform(0, 0.8, n) * (rng.random(n) < 0.5)).astype(np.int64)
    return {
        "model_idx": model_idx,
        "input_tokens": inputs,
        "cache_read_tokens": cache_read,
        "output_tokens": outputs,
        "reasoning_tokens": reasoning,
        "success": rng.random(n) < 0.4,
        "task_id": rng.integers(0, 500, n),
    }


def measurements_frame(data: dict[str, np.ndarray]) -> pd.DataFrame:
    """The frame ``measurements.load`` produces for a per-attempt file with these columns."""
    n = len(data["model_idx"])
    providers = np.array([p for p, _ in MODELS], dtype=object)[data["model_idx"]]
    models = np.array([m for _, m in MODELS], dtype=object)[data["model_idx"]]
    frame = pd.DataFrame(
        {
            "label": pd.array(models, dtype="string"),
            "model": pd.array(models, dtype="string"),
            "provider": pd.array(providers, dtype="string"),
            "task_id": pd.array(data["task_id"].astype(str), dtype="string"),
            "attempts": np.ones(n, dtype=np.int64),
            "successes": data["success"].astype(np.int64),
            "input_tokens": data["input_tokens"].astype(float),
            "cache_read_tokens": data["cache_read_tokens"].astype(float),
            "output_tokens": data["output_tokens"].astype(float),
            "reasoning_tokens": data["reasoning_tokens"].astype(float),
            "calls": np.ones(n),
            "timestamp": pd.Series(pd.Timestamp(TIMESTAMP), index=range(n)).astype("datetime64[ns, UTC]"),
            "time_known": np.ones(n, dtype=bool),
            "line": np.arange(2, n + 2),
            "source": "bench",
        }
    )
    return frame.reindex(columns=[*CANONICAL, "source"])


def vectorised(frame: pd.DataFrame, snapshot: object) -> tuple[pd.Series, np.ndarray]:
    """Our path: price table + price ids, costs per row, totals per model."""
    priced = attach_prices(frame, snapshot, today=TODAY)
    costs = price_rows(priced.rows, priced.table)
    totals = costs["cost"].groupby(priced.rows["label"], sort=False).sum()
    return totals, costs["cost"].to_numpy()


def loop_calc_price(rows: list[int], data: dict[str, list[int]]) -> tuple[dict[str, Decimal], list[Decimal]]:
    """The baseline: one ``genai_prices.calc_price`` per row, exact Decimal totals per model."""
    totals: dict[str, Decimal] = {m: Decimal(0) for _, m in MODELS}
    per_row: list[Decimal] = []
    model_idx, inp, cached = data["model_idx"], data["input_tokens"], data["cache_read_tokens"]
    out, reasoning = data["output_tokens"], data["reasoning_tokens"]
    for i in rows:
        provider, model = MODELS[model_idx[i]]
        usage = genai_prices.Usage(
            input_tokens=inp[i],
            cache_read_tokens=cached[i],
            output_tokens=out[i],
            output_reasoning_tokens=reasoning[i],
        )
        price = genai_prices.calc_price(usage, model, provider_id=provider, genai_request_timestamp=TIMESTAMP)
        totals[model] += price.total_price
        per_row.append(price.total_price)
    return totals, per_row


def rel_diff(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-300)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="per-attempt rows (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="20,000 rows: a fast smoke run")
    parser.add_argument("--repeat", type=int, default=RUNS, help=f"timed runs of the vectorised path (at least {RUNS})")
    parser.add_argument(
        "--loop-budget", type=float, default=180.0, help="seconds the full loop may take before sampling"
    )
    parser.add_argument("--sample", type=int, default=None, help="time the loop on this many rows (>= 50,000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    n = 20_000 if args.quick else args.rows

    print(load_line())
    snapshot = get_snapshot()
    print(f"genai-prices {genai_prices.__version__}; {n:,} rows; {len(MODELS)} models; timestamp {TIMESTAMP}")
    data = make_rows(n, args.seed)
    frame = measurements_frame(data)
    lists = {k: v.tolist() for k, v in data.items()}

    # Vectorised path: one untimed run at full size, then at least RUNS timed runs.
    timing = timed(lambda: vectorised(frame, snapshot), args.repeat)
    totals, per_row_vec = vectorised(frame, snapshot)
    t_vec = timing.median
    print(f"vectorised attach_prices + price_rows + groupby: {timing.text()}")

    t0 = time.perf_counter()
    compare_measurements(frame, snapshot, today=TODAY, options=CompareOptions())
    print(
        f"  (for reference, pricing.comparison.compare_measurements incl. summary + bootstrap: "
        f"{time.perf_counter() - t0:.3f} s)"
    )

    # Probe the loop's cost per row to decide between the full loop and a sample.
    rng = np.random.default_rng(args.seed + 1)
    probe = rng.choice(n, size=min(n, 3000), replace=False).tolist()
    t0 = time.perf_counter()
    loop_calc_price(probe, lists)
    per_call = (time.perf_counter() - t0) / len(probe)
    estimate = per_call * n
    print(
        f"genai_prices.calc_price loop: {per_call * 1e6:.1f} us per row (probe of {len(probe):,}), "
        f"full loop estimated at {estimate:.1f} s"
    )

    sample_size = args.sample
    if sample_size is None and estimate > args.loop_budget:
        sample_size = max(50_000, int(args.loop_budget / 2 / per_call))
    if sample_size is not None and sample_size < n:
        if sample_size < 50_000 and n >= 50_000:
            parser.error("--sample must be at least 50,000")
        rows = np.sort(rng.choice(n, size=sample_size, replace=False)).tolist()
        sampled = True
    else:
        rows = list(range(n))
        sampled = False

    t0 = time.perf_counter()
    loop_totals, loop_rows = loop_calc_price(rows, lists)
    t_loop_measured = time.perf_counter() - t0
    t_loop = t_loop_measured * n / len(rows)

    if sampled:
        print(
            f"loop timed on a random sample of {len(rows):,} rows: {t_loop_measured:.2f} s, "
            f"EXTRAPOLATED linearly to {n:,} rows: {t_loop:.1f} s"
        )
        idx = np.asarray(rows)
        vec_by_model = pd.Series(per_row_vec[idx]).groupby(frame["label"].to_numpy()[idx], sort=False).sum()
        scope = f"the {len(rows):,} sampled rows"
    else:
        print(f"loop over all {n:,} rows: {t_loop:.2f} s")
        vec_by_model = totals
        scope = f"all {n:,} rows"

    ratio = t_loop / t_vec
    print()
    print(
        f"vectorised: {t_vec:.3f} s (median)   loop: {t_loop:.1f} s{' (extrapolated)' if sampled else ''}   "
        f"speed-up: {ratio:.0f}x at the median, {t_loop / timing.min:.0f}x at the minimum  "
        f"(target >= {TARGET_RATIO:.0f}x: {'MET' if ratio >= TARGET_RATIO else 'MISSED'})"
    )

    print(f"\ntotals over {scope} (vectorised float64 vs exact Decimal sum of calc_price):")
    worst = 0.0
    for _, model in MODELS:
        exact = loop_totals[model]
        got = float(vec_by_model.get(model, 0.0))
        d = rel_diff(got, float(exact))
        worst = max(worst, d)
        print(f"  {model:20s} {got:16.6f} {float(exact):16.6f}  rel diff {d:.2e}")
    grand_exact = sum(loop_totals.values(), Decimal(0))
    grand_vec = float(vec_by_model.sum())
    grand = rel_diff(grand_vec, float(grand_exact))
    worst = max(worst, grand)
    print(f"  {'ALL':20s} {grand_vec:16.6f} {float(grand_exact):16.6f}  rel diff {grand:.2e}")
    per_row_exact = np.array([float(x) for x in loop_rows])
    per_row_got = per_row_vec[np.asarray(rows)]
    row_worst = float(np.max(np.abs(per_row_got - per_row_exact) / np.maximum(np.abs(per_row_exact), 1e-300)))
    print(f"  worst per-row relative difference: {row_worst:.2e}")
    ok = worst <= TARGET_RTOL
    print(f"totals agree to {worst:.2e} relative (target <= {TARGET_RTOL:.0e}: {'MET' if ok else 'MISSED'})")
    return 0 if ok and ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
