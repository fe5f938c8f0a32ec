"""Benchmark: ``python -m tokenomics compare`` end to end on a 1,000,000-row per-attempt CSV.

Target: under 10 s wall time on 2 cores for 25 models x 500 tasks x 80 attempts
(1,000,000 rows; columns model, task_id, success, input_tokens, cache_read_tokens,
output_tokens, reasoning_tokens, calls, timestamp), run as a subprocess exactly as a user
would: ``python -m tokenomics compare --measurements FILE --format csv``.

The script writes the CSV into a temporary directory (not timed), times the subprocess
(median of ``--repeat`` runs), then repeats the same work in-process, stage by stage, to
show where the time goes: interpreter start + imports + loading the genai-prices snapshot
(a separate subprocess), read/validate, attach prices, summarise (with its own
``price_rows`` call and the task bootstrap timed separately) and formatting the CSV.

Run from the repository root:

    python bench/bench_cli.py            # 1,000,000 rows (the target)
    python bench/bench_cli.py --quick    # 25 x 40 x 10 = 10,000 rows
    python bench/bench_cli.py --tasks 200 --attempts 20 --keep /tmp/cli-bench
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import RUNS, Timing, load_line  # noqa: E402

import tokenomics.compare as compare_module  # noqa: E402
import tokenomics.sums as sums_module  # noqa: E402
from measurements.load import combine, read_measurements  # noqa: E402
from pricing.book import attach_prices  # noqa: E402
from pricing.snapshot import bundled  # noqa: E402
from reports.tables import to_csv  # noqa: E402
from tokenomics.compare import CompareOptions, summarise  # noqa: E402

TARGET_SECONDS = 10.0

# 25 model references that genai-prices resolves without a provider column: tiered ones,
# ones with cache-read prices, a start-date price change (o3), a time-of-day price (deepseek).
MODELS = [
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "gpt-5.4",
    "o3",
    "o4-mini",
    "o3-mini",
    "gpt-4",
    "claude-sonnet-4-5",
    "claude-opus-4-1",
    "claude-haiku-4-5",
    "claude-3-5-haiku-latest",
    "claude-3-7-sonnet-latest",
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-2.0-flash",
    "gemini-1.5-pro",
    "deepseek-chat",
    "deepseek-reasoner",
    "mistral-large-2512",
]


def write_csv(path: Path, n_models: int, n_tasks: int, n_attempts: int, seed: int = 0) -> int:
    """A per-attempt CSV: every model attempts every task ``n_attempts`` times."""
    rng = np.random.default_rng(seed)
    models = [
        MODELS[i % len(MODELS)] + ("" if i < len(MODELS) else f"-copy{i // len(MODELS)}") for i in range(n_models)
    ]
    n = n_models * n_tasks * n_attempts
    model_idx = np.repeat(np.arange(n_models), n_tasks * n_attempts)
    task_idx = np.tile(np.repeat(np.arange(n_tasks), n_attempts), n_models)
    # Harder tasks burn more tokens and fail more often; stronger models succeed more.
    difficulty = rng.beta(2, 2, n_tasks)[task_idx]
    skill = rng.uniform(0.2, 0.9, n_models)[model_idx]
    success = rng.random(n) < skill * (1 - difficulty) + 0.05
    calls = rng.integers(1, 12, n)
    inputs = np.round(calls * np.exp(rng.uniform(np.log(2_000), np.log(120_000), n)) * (0.5 + difficulty))
    cache_read = np.floor(inputs * rng.uniform(0, 0.8, n))
    outputs = rng.integers(100, 20_000, n) * calls
    reasoning = np.floor(outputs * rng.uniform(0, 0.7, n) * (rng.random(n) < 0.5))
    # Spread over a month, with the time of day (so time-of-day prices apply).
    start = np.datetime64("2025-09-01T00:00:00", "s")
    stamps = start + rng.integers(0, 30 * 86_400, n).astype("timedelta64[s]")
    frame = pd.DataFrame(
        {
            "model": np.asarray(models, dtype=object)[model_idx],
            "task_id": np.char.add("task-", task_idx.astype(str)),
            "success": np.where(success, "true", "false"),
            "input_tokens": inputs.astype(np.int64),
            "cache_read_tokens": cache_read.astype(np.int64),
            "output_tokens": outputs.astype(np.int64),
            "reasoning_tokens": reasoning.astype(np.int64),
            "calls": calls,
            "timestamp": np.char.add(np.datetime_as_string(stamps, unit="s"), "Z"),
        }
    )
    frame.to_csv(path, index=False)
    return n


def timed(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``fn`` so its calls add up their wall time in ``wrapper.seconds``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            wrapper.seconds += time.perf_counter() - t0  # type: ignore[attr-defined]
            wrapper.calls += 1  # type: ignore[attr-defined]

    wrapper.seconds = 0.0  # type: ignore[attr-defined]
    wrapper.calls = 0  # type: ignore[attr-defined]
    return wrapper


def run_cli(path: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "tokenomics", "compare", "--measurements", str(path), "--format", "csv"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - t0, proc


def startup_seconds() -> float:
    """Interpreter start + the imports the CLI needs + loading the bundled snapshot."""
    code = (
        "import cli.main, measurements.load, pricing.custom, pricing.comparison, pricing.snapshot;"
        "pricing.snapshot.bundled()"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - t0


def in_process_stages(path: Path) -> list[tuple[str, float]]:
    """The CLI's work, stage by stage, in this (warm) process."""
    originals = compare_module.price_rows, compare_module.bootstrap_ratio
    price_rows, bootstrap = timed(originals[0]), timed(originals[1])
    # The rows are priced where they are summed (tokenomics.sums), the discount bundle in compare.
    compare_module.price_rows, compare_module.bootstrap_ratio = price_rows, bootstrap
    sums_module.price_rows = price_rows
    try:
        t0 = time.perf_counter()
        snapshot = bundled()
        t1 = time.perf_counter()
        frame = combine([read_measurements(path)])
        t2 = time.perf_counter()
        priced = attach_prices(frame, snapshot)
        t3 = time.perf_counter()
        summary = summarise(priced.rows, priced.table, CompareOptions())
        t4 = time.perf_counter()
        to_csv(summary)
        t5 = time.perf_counter()
    finally:
        compare_module.price_rows, compare_module.bootstrap_ratio = originals
        sums_module.price_rows = originals[0]
    summarise_rest = (t4 - t3) - price_rows.seconds - bootstrap.seconds
    return [
        ("load the genai-prices snapshot (pricing.snapshot.bundled)", t1 - t0),
        ("read + validate (read_measurements)", t2 - t1),
        ("attach prices (pricing.book.attach_prices)", t3 - t2),
        ("summarise: price_rows", price_rows.seconds),
        (f"summarise: bootstrap ({bootstrap.calls} models x 2000 resamples)", bootstrap.seconds),
        ("summarise: groupby, intervals, discounts", summarise_rest),
        ("format CSV (reports.tables.to_csv)", t5 - t4),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--models", type=int, default=25)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--attempts", type=int, default=80)
    parser.add_argument("--quick", action="store_true", help="25 models x 40 tasks x 10 attempts")
    parser.add_argument("--repeat", type=int, default=RUNS, help=f"timed subprocess runs (at least {RUNS})")
    parser.add_argument("--keep", type=Path, help="write the CSV into this directory and keep it")
    args = parser.parse_args()
    if args.quick:
        args.tasks, args.attempts = 40, 10

    print(load_line())
    with tempfile.TemporaryDirectory(prefix="tokenomics-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "measurements.csv"
        t0 = time.perf_counter()
        n = write_csv(path, args.models, args.tasks, args.attempts)
        size = path.stat().st_size / 1e6
        print(
            f"wrote {n:,} rows ({args.models} models x {args.tasks} tasks x {args.attempts} attempts), "
            f"{size:.0f} MB, in {time.perf_counter() - t0:.1f} s: {path}"
        )

        times = []
        run_cli(path)  # untimed, at full size: caches and the first start-up
        for _ in range(max(RUNS, args.repeat)):
            seconds, proc = run_cli(path)
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                print(f"the CLI failed with status {proc.returncode}", file=sys.stderr)
                return 2
            times.append(seconds)
        out_rows = len(proc.stdout.strip().splitlines()) - 1
        timing = Timing(tuple(times))
        wall = timing.median
        verdict = "MET" if wall < TARGET_SECONDS else "MISSED"
        print(f"python -m tokenomics compare --measurements FILE --format csv: {timing.text('s', 2)}")
        print(f"  {out_rows} summary rows; target < {TARGET_SECONDS:.0f} s (median): {verdict}")
        for line in proc.stderr.strip().splitlines():
            print(f"  stderr: {line}")

        print("\nwhere the time goes:")
        start = startup_seconds()
        print(f"  {'interpreter + imports + snapshot load (subprocess)':62s} {start:6.2f} s")
        stages = in_process_stages(path)
        for name, seconds in stages:
            print(f"  {name:62s} {seconds:6.2f} s")
        total = sum(s for _, s in stages)
        print(f"  {'sum of the in-process stages (warm process)':62s} {total:6.2f} s")
        print(f"  {'rest of the subprocess wall time (cold process, GC, exit)':62s} {wall - start - total:6.2f} s")
    return 0 if wall < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
