"""Uncertainty: intervals for success rates and for cost per success."""

from __future__ import annotations

import math
import zlib
from statistics import NormalDist

import numpy as np

Z95 = 1.959963984540054
FIELLER_MIN_TASKS = 5_000
FIELLER_MIN_SUCCESSES = 100
"""From these many tasks and successes on, the cost-per-success interval is Fieller's (see
``fieller_ratio``): the task bootstrap's own variance without its resamples. Below, the bootstrap."""
MAX_CELLS = 2_000_000
"""(resample, task) draws held at once by the bootstrap: about 50 MB of indices and gathers."""


def wilson_interval(successes: np.ndarray, attempts: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval for a success rate, vectorised.

    With 0 successes in 10 attempts the upper bound is about 0.28; with 10 of 10 the lower
    bound is about 0.72. Zero attempts give NaN.

    >>> low, high = wilson_interval(np.array([0, 10]), np.array([10, 10]))
    >>> [round(float(x), 4) for x in (high[0], low[1])]
    [0.2775, 0.7225]
    """
    s = np.asarray(successes, dtype=float)
    n = np.asarray(attempts, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = s / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    # Exact endpoints at the boundaries (the formula gives them up to rounding).
    low = np.where((s == 0) & (n > 0), 0.0, low)
    high = np.where((s == n) & (n > 0), 1.0, high)
    return low, high


def model_seed(seed: int, name: str) -> int:
    """A per-model seed that does not depend on which other models are in the comparison."""
    return seed ^ zlib.crc32(name.encode("utf-8"))


def bootstrap_ratio(
    cost_per_task: np.ndarray,
    successes_per_task: np.ndarray,
    *,
    resamples: int = 2000,
    seed: int = 0,
    level: float = 0.95,
    max_cells: int = MAX_CELLS,
) -> tuple[float, float]:
    """Percentile interval of ``sum(cost) / sum(successes)`` when *tasks* are resampled.

    Resampling tasks (not attempts) keeps each task's cost and success together: hard tasks
    burn more tokens and fail more, and treating the two as independent would misstate the
    interval. A resample with no success has an unbounded ratio, so the upper end can be
    ``inf``; that is the honest answer for a model that rarely succeeds.

    Memory is bounded by ``max_cells`` (resamples are drawn in blocks), not by resamples x tasks.
    """
    cost = np.asarray(cost_per_task, dtype=float)
    succ = np.asarray(successes_per_task, dtype=float)
    n_tasks = len(cost)
    if n_tasks == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    # Resamples are drawn a block at a time, so memory stays near 24 x max_cells bytes however many
    # tasks there are. numpy's Generator yields the same stream in blocks as at once, so the
    # interval is the one a single (resamples x tasks) draw gives, bit for bit.
    block = max(1, min(resamples, max_cells // n_tasks))
    total_cost = np.empty(resamples)
    total_succ = np.empty(resamples)
    for start in range(0, resamples, block):
        stop = min(resamples, start + block)
        # Task indices summed by fancy indexing: no BLAS call, so no stall when the other core
        # is busy (a multinomial-count matrix product was 5x slower here).
        idx = rng.integers(0, n_tasks, size=(stop - start, n_tasks))
        total_cost[start:stop] = cost[idx].sum(axis=1)
        total_succ[start:stop] = succ[idx].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total_succ > 0, total_cost / total_succ, np.inf)
    tail = (1 - level) / 2
    # inverted_cdf picks sample values, so an infinite tail stays inf instead of becoming NaN.
    low, high = np.quantile(ratio, [tail, 1 - tail], method="inverted_cdf")
    return float(low), float(high)


def fieller_ratio(
    cost_per_task: np.ndarray, successes_per_task: np.ndarray, *, level: float = 0.95
) -> tuple[float, float] | None:
    """Fieller's interval for ``sum(cost) / sum(successes)`` with the variances of resampling tasks.

    The same quantity and the same resampling model as ``bootstrap_ratio`` (each task's cost and
    successes kept together, their covariance counted), solved in closed form instead of drawn:
    it costs one pass over the tasks where the bootstrap costs resamples x tasks draws, which at
    a gateway log's hundreds of thousands of tasks is minutes. With thousands of tasks and at
    least a hundred successes it agrees with the bootstrap within the bootstrap's own Monte-Carlo
    error (tests/test_stats.py). None when the interval is unbounded (successes too uncertain).

    Costs exactly proportional to successes leave no uncertainty in the ratio:

    >>> fieller_ratio(np.array([2.0, 4.0, 0.0, 6.0]), np.array([1.0, 2.0, 0.0, 3.0]))
    (2.0, 2.0)
    """
    c = np.asarray(cost_per_task, dtype=float)
    s = np.asarray(successes_per_task, dtype=float)
    n = len(c)
    total_cost, total_succ = float(c.sum()), float(s.sum())
    if n < 2 or total_succ <= 0:
        return None
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    dc, ds = c - c.mean(), s - s.mean()
    # Resampling n tasks with replacement: Var(sum) = n x the tasks' population variance, that is
    # the sum of squared deviations.
    var_c, var_s, cov = float(dc @ dc), float(ds @ ds), float(dc @ ds)
    ratio = total_cost / total_succ
    d = c - ratio * s
    # The roots of (C - tS)^2 = z^2 Var(C - tS), with the discriminant written so that the
    # C^2 S^2 terms cancel on paper, not in floating point.
    var_d = float((d - d.mean()) @ (d - d.mean()))
    quarter = z * z * total_succ * total_succ * var_d - z**4 * (var_c * var_s - cov * cov)
    denominator = total_succ * total_succ - z * z * var_s
    if denominator <= 0 or quarter < 0:
        return None
    centre = total_cost * total_succ - z * z * cov
    root = math.sqrt(quarter)
    return max((centre - root) / denominator, 0.0), (centre + root) / denominator
