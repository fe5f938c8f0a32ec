"""Benchmark: a knob change on the What-if page re-computes and re-renders 100 models in < 200 ms.

The page runs in-process under Streamlit's ``AppTest`` (script, widgets and every element
serialised as the server would send them; no browser). A synthetic per-attempt upload of
100 models x 40 tasks x 3 attempts (12,000 rows, ten providers, so the per-task retry curves
and cascade paths are exercised) is loaded once; then each knob is changed in turn and the
rerun timed. Server time = the ``AppTest.run()`` wall time of that rerun. The script also
counts file reads, parses and pricing calls during the knob changes: there must be none.

Run from the repository root:

    python bench/bench_whatif.py            # 100 models, 5 rounds over 8 knobs
    python bench/bench_whatif.py --quick    # 20 models, 1 round
"""

from __future__ import annotations

import argparse
import builtins
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import ui.data  # noqa: E402
import ui.whatif  # noqa: E402
from measurements.load import combine, parse_measurements  # noqa: E402
from pricing.comparison import compare_measurements  # noqa: E402
from pricing.snapshot import bundled  # noqa: E402
from reports.procurement import assemble  # noqa: E402
from tokenomics.scenario import Scenario  # noqa: E402
from tokenomics.scenario_apply import prepare  # noqa: E402

TARGET_MS = 200.0
PROVIDERS = ["openai", "anthropic", "deepseek", "google", "mistral", "x-ai", "groq", "moonshotai", "qwen", "meta"]
# The synthetic model ids have no list price: each row's cost_usd prices it (an observed cost).
KNOBS = [
    ("slider", "wi_price", [1.3, 0.8]),
    ("number_input", "wi_price_output", [1.5, 1.0]),
    ("slider", "wi_tok_reasoning", [1.5, 1.0]),
    ("slider", "wi_haircut", [0.2, 0.0]),
    ("number_input", "wi_k", [3, 1]),
    ("number_input", "wi_fail_minutes", [10.0, 0.0]),
    ("selectbox", "wi_tier", ["batch", "standard"]),
    ("number_input", "wi_volume", [50_000.0, 0.0]),
]


def synthetic_csv(models: int, tasks: int, attempts: int, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    n = models * tasks * attempts
    model = np.repeat(np.arange(models), tasks * attempts)
    skill = rng.uniform(0.2, 0.9, models)[model]
    difficulty = np.tile(np.repeat(rng.uniform(-0.3, 0.3, tasks), attempts), models)
    frame = pd.DataFrame(
        {
            "model": [f"model-{m:03d}" for m in model],
            "provider": np.array(PROVIDERS)[model % len(PROVIDERS)],
            "task_id": [f"task-{t:03d}" for t in np.tile(np.repeat(np.arange(tasks), attempts), models)],
            "attempt": np.tile(np.arange(1, attempts + 1), models * tasks),
            "success": rng.uniform(size=n) < np.clip(skill - difficulty, 0.02, 0.98),
            "input_tokens": rng.integers(2_000, 20_000, n),
            "output_tokens": rng.integers(500, 8_000, n),
            "cost_usd": rng.uniform(0.001, 0.05, n).round(6),
        }
    )
    frame["reasoning_tokens"] = (frame["output_tokens"] * 0.6).astype(int)
    return frame.to_csv(index=False).encode()


class Reads:
    """Counts file opens of data files, measurement parses, pricing and preparation calls."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._open = builtins.open
        self._patched: list[tuple[object, str, object]] = []

    def _wrap(self, owner: object, name: str) -> None:
        original = getattr(owner, name)

        def counted(*args, **kwargs):
            self.counts[name] += 1
            return original(*args, **kwargs)

        self._patched.append((owner, name, original))
        setattr(owner, name, counted)

    def __enter__(self) -> Reads:
        def opened(file, *args, **kwargs):
            if str(file).endswith((".csv", ".jsonl", ".json", ".yaml")):
                self.counts["open data file"] += 1
            return self._open(file, *args, **kwargs)

        builtins.open = opened
        self._wrap(ui.data, "parse_measurements")
        self._wrap(ui.whatif, "prepare")
        self._wrap(ui.whatif, "run_comparison")
        return self

    def __exit__(self, *exc: object) -> None:
        builtins.open = self._open
        for owner, name, original in self._patched:
            setattr(owner, name, original)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.quick:
        args.models, args.rounds = 20, 1
    data = synthetic_csv(args.models, args.tasks, args.attempts)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("app_pages/whatif.py").run()
    at.radio(key="wi_data").set_value("upload").run()
    start = time.perf_counter()
    at.file_uploader(key="wi_upload").set_value(("bench.csv", data, "text/csv")).run()
    first = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    assert len(next(d.value for d in at.dataframe if "p_solved" in d.value.columns)) == args.models

    timings: dict[str, list[float]] = {key: [] for _, key, _ in KNOBS}
    with Reads() as reads:
        for _ in range(args.rounds):
            for kind, key, values in KNOBS:
                for value in values:
                    getattr(at, kind)(key=key).set_value(value)
                    start = time.perf_counter()
                    at.run()
                    timings[key].append((time.perf_counter() - start) * 1000)
                    assert not at.exception, [e.value for e in at.exception]

    all_ms = [t for values in timings.values() for t in values]
    load = os.getloadavg()[0]
    print(
        f"What-if page, {args.models} models x {args.tasks} tasks x {args.attempts} attempts"
        f" (upload of {len(data):,} bytes)"
    )
    print(f"load average {load:.2f}; first load (parse, price, prepare): {first * 1000:.0f} ms")
    print(f"{'knob':<18} {'median ms':>10} {'max ms':>8}")
    for key, values in timings.items():
        print(f"{key:<18} {statistics.median(values):>10.1f} {max(values):>8.1f}")
    median, worst = statistics.median(all_ms), max(all_ms)
    print(f"all knob changes: median {median:.1f} ms, max {worst:.1f} ms over {len(all_ms)} reruns")
    print(f"reads during knob changes: {dict(reads.counts) or 'none'}")

    core = core_timing(data, args.rounds)
    print(f"of which the pure core (evaluate, tornado, crossovers, headline, 2 figures): median {core:.1f} ms")
    met = all(statistics.median(v) < TARGET_MS for v in timings.values()) and not reads.counts
    print(f"target: every knob's median rerun < {TARGET_MS:.0f} ms, no re-read: {'met' if met else 'MISSED'}")
    return 0 if met else 1


def core_timing(data: bytes, rounds: int) -> float:
    """Median ms of ``procurement.assemble`` (everything a rerun computes) on the same data, no Streamlit."""
    frame = combine([parse_measurements(data, "bench.csv")])
    comparison = compare_measurements(frame, bundled())
    base = prepare(comparison.summary, comparison.rows, comparison.table)
    scenarios = [Scenario(price_multiplier=1.3), Scenario(max_attempts=3), Scenario(failure_minutes=10, hourly_rate=60)]
    times = []
    for _ in range(max(rounds, 3)):
        for scenario in scenarios:
            start = time.perf_counter()
            assemble(base, scenario, comparison.summary, {})
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    raise SystemExit(main())
