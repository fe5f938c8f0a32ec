"""Metamorphic and property tests of the pricing and comparison core (hypothesis).

The strategies live in ``strategies.py``; price tables here have no tiers, so cost is
linear in every price and in every token count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import measurement_rows, price_table, priced_measurements, success_counts, task_results, token_rows

from tokenomics.compare import cost_per_success, cps_interval_from_rate, summarise
from tokenomics.costing import price_rows
from tokenomics.stats import bootstrap_ratio, wilson_interval
from tokenomics.units import COST_COMPONENTS, PRICE_KEYS, REQUEST_PRICE_KEY, TOKEN_COLUMNS

FAST = settings(max_examples=60, deadline=None)
SLOW = settings(max_examples=20, deadline=None)

scale = st.sampled_from([0.1, 0.5, 2.0, 3.0, 7.0, 1000.0])


@FAST
@given(priced_measurements(), scale)
def test_cost_is_linear_in_prices(data, c):
    """Multiply every price (tokens and request fees) by c: every cost and component scales by c."""
    rows, table = data
    scaled = table.copy()
    for key in (*PRICE_KEYS, REQUEST_PRICE_KEY):
        scaled[key] = scaled[key] * c
    before = price_rows(rows, table)
    after = price_rows(rows, scaled)
    np.testing.assert_allclose(after["cost"], before["cost"] * c, rtol=1e-9, atol=1e-12)
    for col in COST_COMPONENTS:
        np.testing.assert_allclose(after[col], before[col] * c, rtol=1e-9, atol=1e-12, err_msg=col)
    assert (after["cost_basis"] == before["cost_basis"]).all()


@FAST
@given(priced_measurements(), scale)
def test_scaling_tokens_by_c_and_prices_by_1_over_c_changes_nothing(data, c):
    """Tokens x c, token prices / c: the same bill (request fees count calls, not tokens)."""
    rows, table = data
    more_tokens = rows.copy()
    for col in TOKEN_COLUMNS:
        more_tokens[col] = more_tokens[col] * c
    cheaper = table.copy()
    for key in PRICE_KEYS:
        cheaper[key] = cheaper[key] / c
    before = price_rows(rows, table)
    after = price_rows(more_tokens, cheaper)
    np.testing.assert_allclose(after["cost"], before["cost"], rtol=1e-9, atol=1e-12)
    for col in COST_COMPONENTS:
        np.testing.assert_allclose(after[col], before[col], rtol=1e-9, atol=1e-12, err_msg=col)


@FAST
@given(token_rows(), st.integers(1, 10_000), st.integers(1, 10_000))
def test_cost_is_never_negative_and_parts_add_up(tokens, input_cents, output_cents):
    """Components are non-negative and sum to the cost, whatever prices are present."""
    table = price_table(
        [
            {"input_mtok": input_cents / 100, "output_mtok": output_cents / 100},
            {
                "input_mtok": input_cents / 100,
                "output_mtok": output_cents / 100,
                "cache_read_mtok": input_cents / 1000,
                "cache_write_mtok": input_cents / 80,
                "cache_write_1h_mtok": input_cents / 50,
                "output_reasoning_mtok": output_cents / 200,
            },
        ]
    )
    rows = measurement_rows([{**tokens, "price_id": 0}, {**tokens, "price_id": 1}])
    out = price_rows(rows, table)
    parts = out[list(COST_COMPONENTS)]
    assert (parts >= -1e-9).all().all()
    np.testing.assert_allclose(parts.sum(axis=1), out["cost"], rtol=1e-12, atol=1e-12)


@SLOW
@given(priced_measurements(), st.data())
def test_cost_per_success_never_rises_when_a_failure_turns_into_a_success(data, draw):
    rows, table = data
    failing = np.flatnonzero((rows["successes"] < rows["attempts"]).to_numpy())
    if len(failing) == 0:
        return
    i = draw.draw(st.sampled_from(failing.tolist()))
    better = rows.copy()
    better.loc[i, "successes"] += 1
    before = summarise(rows, table).set_index("model")
    after = summarise(better, table).set_index("model")
    label = rows.loc[i, "label"]
    old, new = before.loc[label, "cost_per_success"], after.loc[label, "cost_per_success"]
    assert new <= old or (np.isnan(new) and np.isnan(old))
    # Nothing else moves: other models' figures are unchanged.
    others = before.index.difference([label])
    pd.testing.assert_series_equal(before.loc[others, "cost_per_success"], after.loc[others, "cost_per_success"])


@FAST
@given(st.integers(0, 1000).map(lambda c: c / 100), success_counts())
def test_rate_based_cps_interval_contains_the_point_estimate(total, counts):
    successes, attempts = counts
    low_p, high_p = wilson_interval(np.array([successes]), np.array([attempts]))
    low, high = cps_interval_from_rate(np.array([total]), np.array([attempts]), low_p, high_p)
    point = cost_per_success(np.array([total]), np.array([successes]))
    assert low[0] <= point[0] * (1 + 1e-12) or point[0] == np.inf
    assert point[0] <= high[0] * (1 + 1e-12)
    if successes == 0 and total > 0:
        assert np.isfinite(low[0])
        assert high[0] == np.inf


@FAST
@given(task_results(), st.integers(0, 2**32 - 1))
def test_bootstrap_cps_interval_contains_the_point_estimate(tasks, seed):
    cost, succ = tasks
    point = cost.sum() / succ.sum()
    low, high = bootstrap_ratio(cost, succ, resamples=400, seed=seed)
    assert low <= point * (1 + 1e-12)
    assert point <= high * (1 + 1e-12)


@FAST
@given(success_counts())
def test_wilson_contains_p_and_lies_in_unit_interval(counts):
    successes, attempts = counts
    low, high = wilson_interval(np.array([successes]), np.array([attempts]))
    p = successes / attempts
    assert 0.0 <= low[0] <= p <= high[0] <= 1.0
    assert low[0] < high[0]
