"""Intervals: Wilson for success rates, task bootstrap for cost per success.

Wilson reference values are the textbook ones (z = 1.96), e.g. Newcombe (1998) and any
binomial-interval calculator: 0/10 -> (0, 0.2775), 10/10 -> (0.7225, 1), 5/10 ->
(0.2366, 0.7634), 40/100 -> (0.3094, 0.4980), 0/100 -> (0, 0.0370).
"""

from __future__ import annotations

import numpy as np
import pytest

from tokenomics.stats import bootstrap_ratio, fieller_ratio, model_seed, wilson_interval


@pytest.mark.parametrize(
    ("successes", "attempts", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (5, 10, 0.2366, 0.7634),
        (40, 100, 0.3094, 0.4980),
        (0, 100, 0.0, 0.0370),
        (1, 1, 0.2065, 1.0),
    ],
)
def test_wilson_known_values(successes, attempts, low, high):
    lo, hi = wilson_interval(np.array([successes]), np.array([attempts]))
    assert float(lo[0]) == pytest.approx(low, abs=5e-5)
    assert float(hi[0]) == pytest.approx(high, abs=5e-5)


def test_wilson_is_vectorised_and_exact_at_the_boundaries():
    lo, hi = wilson_interval(np.array([0, 10, 5]), np.array([10, 10, 10]))
    assert lo.shape == hi.shape == (3,)
    assert lo[0] == 0.0
    assert hi[1] == 1.0
    assert lo.round(4).tolist() == [0.0, 0.7225, 0.2366]
    assert hi.round(4).tolist() == [0.2775, 1.0, 0.7634]


def test_wilson_zero_attempts_give_nan():
    """The docstring promises NaN for zero attempts, whatever the success count."""
    lo, hi = wilson_interval(np.array([0]), np.array([0]))
    assert np.isnan(lo[0])
    assert np.isnan(hi[0])


def test_model_seed_depends_only_on_seed_and_name():
    # zlib.crc32(b"a") == 0xE8B7BE43 == 3904355907; 3904355907 ^ 1 == 3904355906.
    assert model_seed(0, "a") == 3_904_355_907
    assert model_seed(1, "a") == 3_904_355_906
    assert model_seed(0, "a") != model_seed(0, "b")


COST = np.array([0.10, 0.20, 0.05, 0.40, 0.15, 0.30, 0.08, 0.12])
SUCC = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0])
# Point estimate: sum cost 1.40 / 5 successes = 0.28.
POINT = 0.28


def test_bootstrap_is_deterministic_for_a_seed():
    a = bootstrap_ratio(COST, SUCC, resamples=500, seed=7)
    b = bootstrap_ratio(COST, SUCC, resamples=500, seed=7)
    c = bootstrap_ratio(COST, SUCC, resamples=500, seed=8)
    assert a == b
    assert a != c


def test_bootstrap_interval_contains_the_point_estimate():
    low, high = bootstrap_ratio(COST, SUCC, resamples=2000, seed=0)
    assert np.isfinite(low)
    assert low < POINT < high


def test_bootstrap_of_a_constant_ratio_is_that_ratio():
    """Every task costs $2 and succeeds once: every resample's ratio is exactly 2."""
    low, high = bootstrap_ratio(np.full(6, 2.0), np.ones(6), resamples=300, seed=1)
    assert (low, high) == (2.0, 2.0)


def test_bootstrap_of_a_never_solved_task_set_is_unbounded():
    low, high = bootstrap_ratio(np.array([0.1, 0.2, 0.3]), np.zeros(3), resamples=200, seed=0)
    assert high == np.inf
    assert low == np.inf


def test_bootstrap_upper_end_is_inf_when_failure_only_resamples_are_common():
    """Two tasks, one solved: a resample picks only the failed task with probability 1/4 > 2.5%,
    so the 97.5th percentile is unbounded; the lower end stays finite."""
    low, high = bootstrap_ratio(np.array([1.0, 1.0]), np.array([1.0, 0.0]), resamples=2000, seed=0)
    assert high == np.inf
    # Resamples with the solved task: ratio 2/1 (both picks) or 2/2 = 1 (picked twice).
    assert low == 1.0


def test_bootstrap_of_no_tasks_is_nan():
    low, high = bootstrap_ratio(np.array([]), np.array([]))
    assert np.isnan(low)
    assert np.isnan(high)


def _tasks(seed: int, n: int, rate: float, attempts: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-task cost and successes where hard tasks cost more and succeed less (the correlation
    the task bootstrap exists to keep)."""
    rng = np.random.default_rng(seed)
    difficulty = rng.lognormal(0.0, 1.0, n)
    p = np.clip(rate / difficulty, 0.0, 1.0)
    p *= rate / p.mean()
    successes = rng.binomial(attempts, np.clip(p, 0.0, 1.0)).astype(float)
    cost = rng.lognormal(-3.0, 1.2, n) * attempts * (1.0 + difficulty)
    return cost, successes


@pytest.mark.parametrize(
    ("seed", "n", "rate", "attempts"),
    [(1, 5000, 0.5, 1), (2, 5000, 0.03, 1), (3, 8000, 0.02, 3), (4, 20000, 0.3, 25), (5, 5000, 0.9, 3)],
)
def test_fieller_agrees_with_the_task_bootstrap_within_its_monte_carlo_error(seed, n, rate, attempts):
    cost, successes = _tasks(seed, n, rate, attempts)
    assert successes.sum() >= 100
    ratio = cost.sum() / successes.sum()
    closed = fieller_ratio(cost, successes)
    assert closed is not None
    drawn = [bootstrap_ratio(cost, successes, seed=s) for s in (11, 12, 13)]
    # Two bootstraps of the same data differ by up to about 3% of the ratio at these sizes.
    noise = max(max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a in drawn for b in drawn)
    for low, high in drawn:
        assert abs(closed[0] - low) <= max(0.04 * ratio, 2 * noise)
        assert abs(closed[1] - high) <= max(0.04 * ratio, 2 * noise)


def test_fieller_ends_solve_its_defining_equation():
    """(C - tS)^2 = z^2 Var(C - tS) at both ends, Var being n times the tasks' population variance."""
    cost = np.array([1.0, 3.0, 2.0, 6.0, 0.5, 4.0, 2.5, 1.5])
    successes = np.array([1.0, 1.0, 2.0, 2.0, 0.0, 3.0, 1.0, 1.0])
    low, high = fieller_ratio(cost, successes)
    z = 1.959963984540054
    for t in (low, high):
        d = cost - t * successes
        lhs = (cost.sum() - t * successes.sum()) ** 2
        rhs = z * z * len(d) * d.var()
        assert lhs == pytest.approx(rhs, rel=1e-9)
    assert low < cost.sum() / successes.sum() < high


def test_fieller_is_none_when_unbounded_or_unsolved():
    assert fieller_ratio(np.array([1.0, 2.0]), np.array([0.0, 0.0])) is None
    # Successes so uncertain that zero is inside their interval: no upper end.
    assert fieller_ratio(np.array([1.0, 1.0, 1.0, 1.0]), np.array([4.0, 0.0, 0.0, 0.0])) is None
