"""Properties of scenarios (hypothesis): monotone in prices, P(solved) rises with k, cascades only help.

The per-task strategies here build per-attempt rows for the scenario engine; the price-table
strategies come from ``strategies``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import measurement_rows, price_table, priced_measurements

from tokenomics.compare import CompareOptions, summarise
from tokenomics.scenario import Scenario
from tokenomics.scenario_apply import WhatIfBase, evaluate, prepare

FAST = settings(max_examples=15, deadline=None)
multiplier = st.floats(0.0, 5.0, allow_nan=False)
kind = st.sampled_from(["input", "cache_read", "cache_write", "output", "reasoning"])


def base_of(rows: pd.DataFrame, table: pd.DataFrame) -> WhatIfBase:
    return prepare(summarise(rows, table, CompareOptions(resamples=10)), rows, table)


@st.composite
def per_task_runs(draw: st.DrawFn, models: int = 2) -> WhatIfBase:
    """``models`` models, each with 1-4 samples on each of 1-6 tasks (task sets may differ)."""
    n_tasks = draw(st.integers(1, 6))
    records = []
    for m in range(models):
        tasks = draw(st.lists(st.integers(0, n_tasks - 1), min_size=1, max_size=n_tasks, unique=True))
        for t in tasks:
            for _ in range(draw(st.integers(1, 4))):
                records.append(
                    {
                        "model": f"m{m}",
                        "task_id": f"t{t}",
                        "successes": draw(st.integers(0, 1)),
                        "input_tokens": float(draw(st.integers(1, 100_000))),
                        "output_tokens": float(draw(st.integers(1, 100_000))),
                        "price_id": m,
                    }
                )
    table = price_table([{"input_mtok": 1.0 + m, "output_mtok": 4.0 + m} for m in range(models)])
    return base_of(measurement_rows(records), table)


def at_most(low: np.ndarray, high: np.ndarray) -> bool:
    """low <= high elementwise, NaN only where both are NaN, with a relative tolerance."""
    both_nan = np.isnan(low) & np.isnan(high)
    ok = (low <= high * (1 + 1e-9) + 1e-15) | (np.isinf(high) & (high > 0)) | both_nan
    return bool(ok.all())


@FAST
@given(priced_measurements(), multiplier, multiplier, kind, st.integers(1, 4))
def test_cost_per_success_is_monotone_in_each_price_multiplier(data, m1, m2, which, k):
    rows, table = data
    base = base_of(rows, table)
    lo, hi = sorted((m1, m2))
    for field, make in (
        ("price_multiplier", lambda m: m),
        ("kind_price_multipliers", lambda m: {which: m}),
        ("provider_price_multipliers", lambda m: {"test": m}),
        ("model_price_multipliers", lambda m: {"m0": m} if "m0" in set(rows["label"]) else {}),
    ):
        low = evaluate(base, Scenario(max_attempts=k, **{field: make(lo)}))["cost_per_success"].to_numpy(dtype=float)
        high = evaluate(base, Scenario(max_attempts=k, **{field: make(hi)}))["cost_per_success"].to_numpy(dtype=float)
        assert at_most(low, high), (field, lo, hi, low, high)


@FAST
@given(per_task_runs(), st.floats(0.0, 0.9), st.booleans())
def test_p_solved_rises_with_k(base, haircut, independent):
    solved = [
        evaluate(base, Scenario(max_attempts=k, haircut=haircut))["p_solved"].to_numpy(dtype=float) for k in range(1, 7)
    ]
    for fewer, more in itertools.pairwise(solved):
        assert (more >= fewer - 1e-12).all()


@FAST
@given(per_task_runs(), st.integers(1, 4), st.floats(0.0, 0.5))
def test_a_cascade_of_a_then_b_never_solves_fewer_tasks_than_a_alone(base, k, haircut):
    table = evaluate(base, Scenario(max_attempts=k, haircut=haircut, cascade=["m0", "m1"])).set_index("model")
    assert table.loc["m0 → m1", "p_solved"] >= table.loc["m0", "p_solved"] - 1e-12


@FAST
@given(priced_measurements(), st.floats(0.1, 10.0))
def test_scaling_tokens_by_c_and_prices_by_one_over_c_changes_nothing(data, c):
    rows, table = data
    base = base_of(rows, table)
    kinds = ["input", "cache_read", "cache_write", "output", "reasoning"]
    scaled = Scenario(token_multipliers=dict.fromkeys(kinds, c), kind_price_multipliers=dict.fromkeys(kinds, 1 / c))
    before = evaluate(base, Scenario())["cost_per_success"].to_numpy(dtype=float)
    after = evaluate(base, scaled)["cost_per_success"].to_numpy(dtype=float)
    np.testing.assert_allclose(after, before, rtol=1e-9)
