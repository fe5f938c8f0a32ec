"""Benchmark: ``tokenomics compare`` on gateway-scale logs, DuckDB engine vs the pandas path.

Targets (issue 14), each command run end to end in its own process, warmed up at full size,
min and median of at least 5 runs (``bench/timing.py``):

- 10M per-attempt rows, Parquet and CSV: under 10 s wall and 2 GB peak memory on 2 cores, at
  least 5x faster than the pandas path on the same file in the same run;
- 100M rows, Parquet (``--rows 100000000``): completes under 4 GB peak; rows/s printed;
- the same totals as the pandas path (every model, 1e-9 relative) and as a loop of
  ``genai_prices.calc_price`` over a sample (``bench_pricing``'s rows and models).

The logs are made by ``bench/make_logs.py`` in ``--data`` (default /tmp/tokenomics-bench),
once, and reused. Run from the repository root:

    python bench/bench_engine.py                        # 10M rows, Parquet and CSV, with pandas
    python bench/bench_engine.py --rows 100000000 --formats parquet --no-pandas
    python bench/bench_engine.py --quick                # 200k rows: checks the script and the totals
"""

from __future__ import annotations

import argparse
import io
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench_pricing  # noqa: E402
import make_logs  # noqa: E402
from genai_prices.data_snapshot import get_snapshot  # noqa: E402
from timing import RUNS, Timing, load_line, run_process  # noqa: E402

from engine.run import compare_files  # noqa: E402
from pricing.book import PriceSources  # noqa: E402
from tokenomics.compare import CompareOptions  # noqa: E402

TASKS_PER_MILLION = 2_000
"""20 models x 2,000 tasks x 25 attempts = 1M rows; the tasks scale with the rows."""
ATTEMPTS = 25
TARGET_WALL_S = 10.0
TARGET_PEAK_MB_10M = 2048
TARGET_PEAK_MB_100M = 4096
TARGET_RATIO = 5.0
TARGET_RTOL = 1e-9


def data_file(folder: Path, rows: int, fmt: str) -> Path:
    tasks = max(1, rows // (len(make_logs.MODELS) * ATTEMPTS))
    path = folder / f"logs_{rows}.{fmt}"
    if not path.exists():
        print(f"writing {rows:,} rows to {path} ...", flush=True)
        make_logs.write(path, tasks, ATTEMPTS)
    return path


def compare_command(path: Path, engine: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tokenomics",
        "compare",
        "--measurements",
        str(path),
        "--format",
        "csv",
        "--engine",
        engine,
    ]


def measure(path: Path, engine: str, runs: int) -> tuple[Timing, list[float], pd.DataFrame]:
    """Warm-up run, then ``runs`` timed runs: wall times, peak memory (MB) of each, the last output."""
    run_process(compare_command(path, engine), env={"PYTHONPATH": str(ROOT)})
    walls, peaks = [], []
    out = ""
    for _ in range(max(RUNS, runs)):
        done = run_process(compare_command(path, engine), env={"PYTHONPATH": str(ROOT)})
        walls.append(done.wall)
        peaks.append(done.peak_mb)
        out = done.stdout
    return Timing(tuple(walls)), peaks, pd.read_csv(io.StringIO(out))


def worst_difference(ours: pd.DataFrame, reference: pd.DataFrame) -> float:
    """Largest relative difference of the per-model totals (NaN must match NaN)."""
    a = ours.set_index("model")["total_cost"].astype(float)
    b = reference.set_index("model")["total_cost"].astype(float).reindex(a.index)
    if not np.array_equal(np.isnan(a.to_numpy()), np.isnan(b.to_numpy())):
        return float("inf")
    known = a.notna()
    return float((np.abs(a[known] - b[known]) / np.abs(b[known])).max())


def genai_sample(folder: Path, rows: int) -> float:
    """Worst relative difference, per model, between the engine and a ``calc_price`` loop on a sample."""
    data = bench_pricing.make_rows(rows, seed=1)
    frame = bench_pricing.measurements_frame(data)
    sample = frame[["model", "provider", "task_id", "input_tokens", "cache_read_tokens", "output_tokens"]].copy()
    sample["reasoning_tokens"] = frame["reasoning_tokens"]
    sample["calls"] = 1
    sample["success"] = frame["successes"].astype(bool)
    sample["timestamp"] = bench_pricing.TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    sample["label"] = sample["model"]
    path = folder / f"sample_{rows}.parquet"
    sample.to_parquet(path, index=False)
    genai_only = PriceSources(get_snapshot())
    [(_, comparison)], _ = compare_files(
        [path], genai_only, today=bench_pricing.TODAY, options=CompareOptions(resamples=10)
    )
    totals, _ = bench_pricing.loop_calc_price(list(range(rows)), {k: v.tolist() for k, v in data.items()})
    worst = 0.0
    for _, model in dict.fromkeys(bench_pricing.MODELS):
        got = float(comparison.summary.set_index("model").at[model, "total_cost"])
        exact = float(totals[model])
        worst = max(worst, abs(got - exact) / exact)
    grand = float(sum(totals.values(), Decimal(0)))
    return max(worst, abs(float(comparison.summary["total_cost"].sum()) - grand) / grand)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--formats", nargs="+", default=["parquet", "csv"], choices=["parquet", "csv", "jsonl"])
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed runs of each command (at least {RUNS})")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas path (it cannot run 100M rows)")
    parser.add_argument("--sample", type=int, default=20_000, help="rows of the calc_price check")
    parser.add_argument("--data", type=Path, default=Path("/tmp/tokenomics-bench"))
    parser.add_argument("--quick", action="store_true", help="200,000 rows, a fast check of the script")
    args = parser.parse_args()
    rows = 200_000 if args.quick else args.rows
    print(load_line())
    tasks = rows // len(make_logs.MODELS) // ATTEMPTS
    print(f"{rows:,} rows: {len(make_logs.MODELS)} models x {tasks:,} tasks x {ATTEMPTS} attempts")
    ok = True
    peak_target = TARGET_PEAK_MB_100M if rows > 10_000_000 else TARGET_PEAK_MB_10M
    for fmt in args.formats:
        path = data_file(args.data, rows, fmt)
        size = path.stat().st_size / 2**20
        engine, peaks, ours = measure(path, "duckdb", args.runs)
        peak = max(peaks)
        rate = rows / engine.median
        print(f"\n{fmt} ({size:,.0f} MB) DuckDB engine: {engine.text('s', 2)}")
        print(
            f"  {rows / engine.min:,.0f} rows/s at the minimum, {rate:,.0f} at the median; peak memory {peak:,.0f} MB"
        )
        wall_ok = engine.median < TARGET_WALL_S or rows > 10_000_000
        peak_ok = peak < peak_target
        ok &= wall_ok and peak_ok
        if rows <= 10_000_000:
            print(f"  target < {TARGET_WALL_S:.0f} s: {'MET' if engine.median < TARGET_WALL_S else 'MISSED'} (median)")
        print(f"  target peak < {peak_target:,} MB: {'MET' if peak_ok else 'MISSED'}")
        if not args.no_pandas:
            baseline, pandas_peaks, reference = measure(path, "pandas", args.runs)
            ratio = baseline.median / engine.median
            print(f"{fmt} pandas path: {baseline.text('s', 2)}; peak memory {max(pandas_peaks):,.0f} MB")
            print(
                f"  speed-up {ratio:.1f}x at the median, {baseline.min / engine.min:.1f}x at the minimum "
                f"(target >= {TARGET_RATIO:.0f}x: {'MET' if ratio >= TARGET_RATIO else 'MISSED'})"
            )
            worst = worst_difference(ours, reference)
            print(
                f"  totals agree with the pandas path to {worst:.2e} relative "
                f"(target <= {TARGET_RTOL:.0e}: {'MET' if worst <= TARGET_RTOL else 'MISSED'})"
            )
            ok &= ratio >= TARGET_RATIO and worst <= TARGET_RTOL
    worst = genai_sample(args.data, args.sample)
    verdict = "MET" if worst <= TARGET_RTOL else "MISSED"
    print(
        f"\ncalc_price loop over {args.sample:,} rows of bench_pricing's models: totals agree to {worst:.2e} relative"
    )
    print(f"  (target <= {TARGET_RTOL:.0e}: {verdict})")
    ok &= worst <= TARGET_RTOL
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
