"""Benchmark: the task bootstrap of cost per success for 25 models x 500 tasks.

Target: ``tokenomics.stats.bootstrap_ratio`` with 2,000 resamples, called once per model
for 25 models of 500 tasks each (what ``compare`` does for a 25 x 500 x 80 file), takes
under 2 s in total.

Baseline, timed in the same process on the same data: a naive version that loops over the
resamples in Python, drawing the task indices of each resample and summing cost and
successes over them. The two use different random draws, so their intervals agree only
statistically; the script prints the largest relative gap between them as a sanity check.

``bootstrap_ratio`` draws all resamples' task indices at once and sums by fancy indexing
(no BLAS call, so a busy second core does not stall it); check the load average printed at
the start all the same.

Run from the repository root:

    python bench/bench_bootstrap.py            # 25 models x 500 tasks x 2,000 resamples
    python bench/bench_bootstrap.py --quick    # 5 models x 100 tasks
    python bench/bench_bootstrap.py --models 50 --tasks 1000 --resamples 5000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import RUNS, load_line, timed  # noqa: E402

from tokenomics.stats import bootstrap_ratio, model_seed  # noqa: E402

TARGET_SECONDS = 2.0


def make_tasks(n_models: int, n_tasks: int, attempts: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per-task total cost and successes of each model (``attempts`` attempts per task)."""
    rng = np.random.default_rng(seed)
    difficulty = rng.beta(2, 2, n_tasks)
    models = []
    for _ in range(n_models):
        skill = rng.uniform(0.2, 0.9)
        p = np.clip(skill * (1 - difficulty) + 0.02, 0, 1)
        successes = rng.binomial(attempts, p).astype(float)
        cost = attempts * rng.gamma(2.0, 0.02 * (0.5 + difficulty))
        models.append((cost, successes))
    return models


def naive_bootstrap(
    cost: np.ndarray, successes: np.ndarray, *, resamples: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """One resample at a time: draw tasks with replacement, sum, divide."""
    rng = np.random.default_rng(seed)
    n = len(cost)
    ratios = []
    for _ in range(resamples):
        idx = rng.integers(0, n, n)
        s = successes[idx].sum()
        ratios.append(cost[idx].sum() / s if s > 0 else np.inf)
    tail = (1 - level) / 2
    low, high = np.quantile(np.array(ratios), [tail, 1 - tail], method="inverted_cdf")
    return float(low), float(high)


def run_all(fn, models, resamples: int) -> tuple[float, list[tuple[float, float]]]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = [fn(c, s, resamples=resamples, seed=model_seed(0, f"model-{i}")) for i, (c, s) in enumerate(models)]
    return time.perf_counter() - t0, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--models", type=int, default=25)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--attempts", type=int, default=80, help="attempts per task behind each task's totals")
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=RUNS, help=f"timed runs of each version (at least {RUNS})")
    parser.add_argument("--quick", action="store_true", help="5 models x 100 tasks")
    args = parser.parse_args()
    if args.quick:
        args.models, args.tasks = 5, 100

    print(load_line())
    models = make_tasks(args.models, args.tasks, args.attempts)
    print(f"{args.models} models x {args.tasks} tasks, {args.resamples:,} resamples each")
    _, ours_ci = run_all(bootstrap_ratio, models, args.resamples)
    _, naive_ci = run_all(naive_bootstrap, models, args.resamples)
    ours_timing = timed(lambda: run_all(bootstrap_ratio, models, args.resamples), args.repeat)
    naive_timing = timed(lambda: run_all(naive_bootstrap, models, args.resamples), args.repeat)
    t_ours, t_naive = ours_timing.median, naive_timing.median

    gaps = [
        abs(a - b) / b
        for (lo_a, hi_a), (lo_b, hi_b) in zip(ours_ci, naive_ci, strict=True)
        for a, b in ((lo_a, lo_b), (hi_a, hi_b))
        if np.isfinite(a) and np.isfinite(b) and b > 0
    ]
    verdict = "MET" if t_ours < TARGET_SECONDS else "MISSED"
    print(
        f"bootstrap_ratio (vectorised, {args.models} models, {t_ours / args.models * 1e3:.1f} ms each at the median):"
    )
    print(f"  {ours_timing.text()}")
    print(f"naive per-resample Python loop: {naive_timing.text()}")
    print(
        f"speed-up over the naive loop: {t_naive / t_ours:.1f}x"
        + ("  (SLOWER than the naive loop)" if t_ours > t_naive else "")
    )
    print(f"target < {TARGET_SECONDS:.0f} s total: {verdict}")
    if gaps:
        print(f"largest relative gap between the two versions' interval ends: {max(gaps):.1%} (different draws)")
    return 0 if t_ours < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
