"""Worked examples of ``tokenomics.costing.price_rows``, checked to the cent.

Every expected value is a literal with its arithmetic written next to it; none is recomputed
with the code under test. Prices are USD per million tokens.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from strategies import measurement_rows, price_table

from tokenomics.costing import OBSERVED, PRICED, UNPRICED, price_rows, prompt_per_call, tier_count
from tokenomics.units import COST_COMPONENTS, tier_columns


def cost_of(row: dict, prices: dict) -> pd.Series:
    """Price one row against a one-row price table; return the row of ``price_rows``."""
    return price_rows(measurement_rows([row]), price_table([prices])).iloc[0]


def test_plain_input_output_o3_pro():
    """Primer example: o3-pro on Aider polyglot.

    2,372,636 in x $20/M = $47.45272; 1,235,902 out x $80/M = $98.87216; total $146.32488.
    """
    out = cost_of(
        {"input_tokens": 2_372_636, "output_tokens": 1_235_902, "attempts": 225},
        {"input_mtok": 20.0, "output_mtok": 80.0},
    )
    assert out["cost_input"] == pytest.approx(47.45272, abs=1e-9)
    assert out["cost_output"] == pytest.approx(98.87216, abs=1e-9)
    assert out["cost"] == pytest.approx(146.32488, abs=1e-9)
    assert round(out["cost"], 2) == 146.32
    assert out["cost_basis"] == PRICED
    assert out["cost_cache_read"] == 0.0
    assert out["cost_reasoning"] == 0.0
    assert out["cost_requests"] == 0.0
    assert np.isnan(out["cost_observed"])


def test_cached_tokens_with_cache_price_are_taken_out_of_input():
    """1,000,000 input of which 800,000 read from cache; $3 input, $0.30 cache read, $15 output.

    uncached 200,000 x $3/M = $0.60; cached 800,000 x $0.30/M = $0.24; output 10,000 x $15/M
    = $0.15; total $0.99. (Billing the cached tokens twice would give $3.39.)
    """
    out = cost_of(
        {"input_tokens": 1_000_000, "cache_read_tokens": 800_000, "output_tokens": 10_000},
        {"input_mtok": 3.0, "cache_read_mtok": 0.30, "output_mtok": 15.0},
    )
    assert out["cost_input"] == pytest.approx(0.60, abs=1e-12)
    assert out["cost_cache_read"] == pytest.approx(0.24, abs=1e-12)
    assert out["cost_output"] == pytest.approx(0.15, abs=1e-12)
    assert out["cost"] == pytest.approx(0.99, abs=1e-12)


def test_cached_tokens_without_cache_price_are_billed_as_input():
    """Same usage, but the model has no cache-read price: all 1,000,000 input at $3/M = $3.00.

    Output 10,000 x $15/M = $0.15; total $3.15. The cached tokens are not free.
    """
    out = cost_of(
        {"input_tokens": 1_000_000, "cache_read_tokens": 800_000, "output_tokens": 10_000},
        {"input_mtok": 3.0, "output_mtok": 15.0},
    )
    assert out["cost_input"] == pytest.approx(3.00, abs=1e-12)
    assert out["cost_cache_read"] == 0.0
    assert out["cost"] == pytest.approx(3.15, abs=1e-12)


def test_cache_writes_nest_one_hour_writes_inside_cache_writes():
    """1,000,000 input incl. 100,000 cache writes, of which 40,000 to the one-hour cache.

    input 900,000 x $3/M = $2.70; 5-minute writes 60,000 x $3.75/M = $0.225;
    one-hour writes 40,000 x $6/M = $0.24; cache write slice $0.465; total $3.165.
    """
    out = cost_of(
        {
            "input_tokens": 1_000_000,
            "cache_write_tokens": 100_000,
            "cache_write_1h_tokens": 40_000,
            "output_tokens": 0,
        },
        {"input_mtok": 3.0, "cache_write_mtok": 3.75, "cache_write_1h_mtok": 6.0, "output_mtok": 15.0},
    )
    assert out["cost_input"] == pytest.approx(2.70, abs=1e-12)
    assert out["cost_cache_write"] == pytest.approx(0.465, abs=1e-12)
    assert out["cost"] == pytest.approx(3.165, abs=1e-12)


def test_reasoning_billed_at_output_price_and_shown_as_its_own_slice():
    """100,000 output incl. 60,000 reasoning, $10/M output, no reasoning price; 50,000 in at $2/M.

    visible output 40,000 x $10/M = $0.40; reasoning 60,000 x $10/M = $0.60;
    input 50,000 x $2/M = $0.10; total $1.10 (reasoning neither dropped nor billed twice).
    """
    out = cost_of(
        {"input_tokens": 50_000, "output_tokens": 100_000, "reasoning_tokens": 60_000},
        {"input_mtok": 2.0, "output_mtok": 10.0},
    )
    assert out["cost_output"] == pytest.approx(0.40, abs=1e-12)
    assert out["cost_reasoning"] == pytest.approx(0.60, abs=1e-12)
    assert out["cost_input"] == pytest.approx(0.10, abs=1e-12)
    assert out["cost"] == pytest.approx(1.10, abs=1e-12)


def test_reasoning_with_its_own_price():
    """Same usage with a separate $4/M reasoning price.

    visible output 40,000 x $10/M = $0.40; reasoning 60,000 x $4/M = $0.24; input $0.10;
    total $0.74.
    """
    out = cost_of(
        {"input_tokens": 50_000, "output_tokens": 100_000, "reasoning_tokens": 60_000},
        {"input_mtok": 2.0, "output_mtok": 10.0, "output_reasoning_mtok": 4.0},
    )
    assert out["cost_output"] == pytest.approx(0.40, abs=1e-12)
    assert out["cost_reasoning"] == pytest.approx(0.24, abs=1e-12)
    assert out["cost"] == pytest.approx(0.74, abs=1e-12)


# A long-context price: base $1.25 in / $10 out, above 200,000 prompt tokens $2.50 / $15.
TIERED = {
    "input_mtok": 1.25,
    "output_mtok": 10.0,
    tier_columns("input_mtok", 1)[0]: 200_000,
    tier_columns("input_mtok", 1)[1]: 2.50,
    tier_columns("output_mtok", 1)[0]: 200_000,
    tier_columns("output_mtok", 1)[1]: 15.0,
}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            # One call with a 250,000-token prompt crosses the tier: every token at tier price.
            # 250,000 x $2.50/M = $0.625; 10,000 x $15/M = $0.15; total $0.775.
            {"input_tokens": 250_000, "output_tokens": 10_000, "calls": 1},
            0.775,
            id="one-call-above-tier",
        ),
        pytest.param(
            # Exactly at the tier start is not above it: 200,000 x $1.25/M = $0.25;
            # 10,000 x $10/M = $0.10; total $0.35.
            {"input_tokens": 200_000, "output_tokens": 10_000, "calls": 1},
            0.35,
            id="one-call-at-tier-start",
        ),
        pytest.param(
            # Ten calls, 1,500,000 prompt tokens: 150,000 per call, below the tier, base prices.
            # 1,500,000 x $1.25/M = $1.875; 20,000 x $10/M = $0.20; total $2.075.
            # (Priced as one giant prompt it would be $3.75 + $0.30 = $4.05.)
            {"input_tokens": 1_500_000, "output_tokens": 20_000, "calls": 10},
            2.075,
            id="ten-calls-mean-below-tier",
        ),
        pytest.param(
            # Ten calls, 2,500,000 prompt tokens: 250,000 per call, above the tier.
            # 2,500,000 x $2.50/M = $6.25; 20,000 x $15/M = $0.30; total $6.55.
            {"input_tokens": 2_500_000, "output_tokens": 20_000, "calls": 10},
            6.55,
            id="ten-calls-mean-above-tier",
        ),
        pytest.param(
            # Calls unknown: base tier whatever the prompt total. $1.875 + $0.20 = $2.075.
            {"input_tokens": 1_500_000, "output_tokens": 20_000, "calls": np.nan},
            2.075,
            id="calls-unknown-base-tier",
        ),
    ],
)
def test_cliff_tiers_use_prompt_per_call(row, expected):
    out = cost_of(row, TIERED)
    assert out["cost"] == pytest.approx(expected, abs=1e-12)
    assert out["cost_basis"] == PRICED


def test_two_tiers_the_highest_crossed_tier_wins():
    """Tiers at 128,000 ($2/M) and 1,000,000 ($4/M) over a $1/M base, output $0.

    prompt 500,000 (one call): 500,000 x $2/M = $1.00; prompt 1,200,000: 1.2M x $4/M = $4.80;
    prompt 100,000: 100,000 x $1/M = $0.10.
    """
    s1, p1 = tier_columns("input_mtok", 1)
    s2, p2 = tier_columns("input_mtok", 2)
    table = price_table([{"input_mtok": 1.0, "output_mtok": 0.0, s1: 128_000, p1: 2.0, s2: 1_000_000, p2: 4.0}])
    assert tier_count(table) == 2
    rows = measurement_rows(
        [
            {"input_tokens": 500_000, "output_tokens": 0, "calls": 1},
            {"input_tokens": 1_200_000, "output_tokens": 0, "calls": 1},
            {"input_tokens": 100_000, "output_tokens": 0, "calls": 1},
        ]
    )
    cost = price_rows(rows, table)["cost"].tolist()
    assert cost == pytest.approx([1.00, 4.80, 0.10], abs=1e-12)


def test_prompt_per_call():
    """1,500,000 / 10 = 150,000; calls unknown or 0 -> 0 (base tier)."""
    rows = measurement_rows(
        [
            {"input_tokens": 1_500_000, "calls": 10},
            {"input_tokens": 1_500_000, "calls": np.nan},
            {"input_tokens": 1_500_000, "calls": 0},
        ]
    )
    assert prompt_per_call(rows).tolist() == [150_000.0, 0.0, 0.0]


def test_unpriced_row_costs_nan_never_zero():
    out = cost_of({"input_tokens": 1_000, "output_tokens": 1_000, "price_id": -1}, {"input_mtok": 1, "output_mtok": 1})
    assert np.isnan(out["cost"])
    assert out["cost_basis"] == UNPRICED
    for col in COST_COMPONENTS:
        assert np.isnan(out[col]), col


def test_model_without_an_output_price_is_unpriced():
    """A price row with an input price but no output price cannot price the row."""
    out = cost_of({"input_tokens": 1_000, "output_tokens": 1_000}, {"input_mtok": 1.0})
    assert np.isnan(out["cost"])
    assert out["cost_basis"] == UNPRICED


def test_no_tokens_but_observed_cost():
    """Aider's claude-3-5-sonnet-20241022 run: no token counts, published cost $14.4063."""
    out = cost_of({"cost_usd": 14.4063, "attempts": 225}, {"input_mtok": 3.0, "output_mtok": 15.0})
    assert out["cost"] == 14.4063
    assert out["cost_observed"] == 14.4063
    assert out["cost_basis"] == OBSERVED
    for col in COST_COMPONENTS:
        assert np.isnan(out[col]), col


def test_tokens_of_an_unpriced_model_fall_back_to_observed_cost():
    out = cost_of(
        {"input_tokens": 2_266_868, "output_tokens": 573_477, "cost_usd": 0.8756, "price_id": -1},
        {"input_mtok": 0.28, "output_mtok": 0.42},
    )
    assert out["cost"] == 0.8756
    assert out["cost_basis"] == OBSERVED


def test_tokens_and_price_win_over_observed_cost():
    """Priced tokens are used even when an observed cost exists (1,000,000 in x $1/M = $1.00)."""
    out = cost_of(
        {"input_tokens": 1_000_000, "output_tokens": 0, "cost_usd": 5.0},
        {"input_mtok": 1.0, "output_mtok": 2.0},
    )
    assert out["cost"] == pytest.approx(1.00, abs=1e-12)
    assert out["cost_basis"] == PRICED
    assert np.isnan(out["cost_observed"])


def test_no_tokens_no_observed_cost_is_unpriced():
    out = cost_of({"attempts": 10}, {"input_mtok": 1.0, "output_mtok": 2.0})
    assert np.isnan(out["cost"])
    assert out["cost_basis"] == UNPRICED


@pytest.mark.parametrize(
    ("calls", "attempts", "expected_fee"),
    [
        # 200 calls x $5 per thousand calls = $1.00.
        pytest.param(200, 40, 1.00, id="calls-known"),
        # calls unknown: one call per attempt, 40 x $5 / 1000 = $0.20.
        pytest.param(np.nan, 40, 0.20, id="calls-unknown-uses-attempts"),
    ],
)
def test_request_fees_use_calls(calls, attempts, expected_fee):
    """Plus 1,000,000 input x $1/M = $1.00 of tokens."""
    out = cost_of(
        {"input_tokens": 1_000_000, "output_tokens": 0, "calls": calls, "attempts": attempts},
        {"input_mtok": 1.0, "output_mtok": 2.0, "requests_kcount": 5.0},
    )
    assert out["cost_requests"] == pytest.approx(expected_fee, abs=1e-12)
    assert out["cost"] == pytest.approx(1.00 + expected_fee, abs=1e-12)


def test_rows_are_priced_against_their_own_price_row():
    """Two models in one table: 1,000,000 input at $1/M = $1.00 and at $3/M = $3.00."""
    table = price_table([{"input_mtok": 1.0, "output_mtok": 1.0}, {"input_mtok": 3.0, "output_mtok": 1.0}])
    rows = measurement_rows(
        [
            {"input_tokens": 1_000_000, "output_tokens": 0, "price_id": 1},
            {"input_tokens": 1_000_000, "output_tokens": 0, "price_id": 0},
            {"input_tokens": 1_000_000, "output_tokens": 0, "price_id": -1},
        ]
    )
    out = price_rows(rows, table)
    assert out["cost"].iloc[:2].tolist() == pytest.approx([3.00, 1.00], abs=1e-12)
    assert out["cost_basis"].tolist() == [PRICED, PRICED, UNPRICED]


def test_missing_token_kinds_count_as_zero_when_some_are_reported():
    """Only output reported: 1,000 x $8/M = $0.008; input NaN counts as 0."""
    out = cost_of({"output_tokens": 1_000}, {"input_mtok": 2.0, "output_mtok": 8.0})
    assert out["cost"] == pytest.approx(0.008, abs=1e-15)
    assert out["cost_basis"] == PRICED
