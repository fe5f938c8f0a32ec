"""The task bootstrap draws its resamples in blocks: the same intervals as one big draw, bit for bit.

``one_draw`` is the bootstrap as it was (every resample x task index drawn at once, 24 x
resamples x tasks bytes: 9.6 GB for 200,000 tasks). numpy's Generator yields the same stream in
blocks as at once, so bounding memory changes no interval.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from measurements.load import read_measurements
from pricing.book import default_sources
from pricing.comparison import compare_measurements
from tokenomics import compare
from tokenomics.stats import bootstrap_ratio

ROOT = Path(__file__).resolve().parent.parent


def one_draw(cost, successes, *, resamples=2000, seed=0, level=0.95):
    """The bootstrap before blocks (tokenomics.stats at the commit before this test)."""
    cost = np.asarray(cost, dtype=float)
    succ = np.asarray(successes, dtype=float)
    n = len(cost)
    if n == 0:
        return float("nan"), float("nan")
    idx = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    total_cost, total_succ = cost[idx].sum(axis=1), succ[idx].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total_succ > 0, total_cost / total_succ, np.inf)
    tail = (1 - level) / 2
    low, high = np.quantile(ratio, [tail, 1 - tail], method="inverted_cdf")
    return float(low), float(high)


@settings(max_examples=40, deadline=None)
@given(
    tasks=st.integers(1, 400),
    resamples=st.integers(1, 300),
    seed=st.integers(0, 2**32 - 1),
    max_cells=st.integers(1, 5000),
    data=st.data(),
)
def test_blocks_give_the_one_draw_interval(tasks, resamples, seed, max_cells, data) -> None:
    rng = np.random.default_rng(seed)
    cost = rng.exponential(0.05, tasks)
    successes = data.draw(st.lists(st.integers(0, 3), min_size=tasks, max_size=tasks))
    expected = one_draw(cost, successes, resamples=resamples, seed=seed)
    got = bootstrap_ratio(cost, successes, resamples=resamples, seed=seed, max_cells=max_cells)
    assert got == expected  # bit for bit, inf included


def test_memory_is_bounded_by_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """200,000 tasks x 2,000 resamples: 400 million draws, a block of at most 2 million at once."""
    sizes = []
    generator = np.random.Generator

    class Recording(generator):  # type: ignore[misc,valid-type]
        def integers(self, *args, size=None, **kwargs):
            sizes.append(int(np.prod(size)))
            return super().integers(*args, size=size, **kwargs)

    monkeypatch.setattr(np.random, "default_rng", lambda seed: Recording(np.random.PCG64(seed)))
    bootstrap_ratio(np.ones(200_000), np.ones(200_000), resamples=20, seed=1)
    assert max(sizes) <= 2_000_000 and sum(sizes) == 20 * 200_000


@pytest.mark.parametrize("path", ["examples/attempts.csv", "examples/attempts.jsonl"])
def test_the_intervals_of_the_examples_are_unchanged(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = read_measurements(ROOT / path).frame
    with contextlib.redirect_stderr(io.StringIO()):
        now = compare_measurements(frame, default_sources()).summary
        monkeypatch.setattr(compare, "bootstrap_ratio", one_draw)
        before = compare_measurements(frame, default_sources()).summary
    assert (now["cps_interval"].str.startswith("bootstrap")).all()
    assert now[["cps_low", "cps_high"]].equals(before[["cps_low", "cps_high"]])
