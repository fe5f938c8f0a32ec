"""Uncertainty: intervals for success rates and for cost per success."""

from __future__ import annotations

import zlib

import numpy as np

Z95 = 1.959963984540054
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
