"""``tokenomics.timing`` and the time-per-solved-task columns of ``summarise``; literals worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import measurement_rows, price_table

from reports.tables import to_csv
from tokenomics.compare import summarise
from tokenomics.timing import attempt_seconds, seconds_per_success, time_cost, with_value_of_time

PRICES = price_table([{"input_mtok": 1.0, "output_mtok": 10.0}])


def test_time_from_first_token_and_decode_speed():
    """0.5 s to the first token, then 4,000 tokens at 80 tokens/s: 0.5 + 50 = 50.5 s an attempt."""
    assert attempt_seconds(0.5, 4_000, 80.0).tolist() == 50.5
    # At a 25% success rate: 50.5 / 0.25 = 202 s per solved task; at $90 an hour, 202 / 3,600 x 90 = $5.05.
    waited = seconds_per_success(50.5, 0.25)
    assert waited.tolist() == 202.0
    assert float(time_cost(waited, 90.0)) == pytest.approx(5.05)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.01, 1.0), st.integers(1, 10), st.floats(0.1, 1000.0))
def test_retries_do_not_change_the_wait_per_solved_task(p: float, k: int, t: float):
    """The primer's ``t x E[A] / P_solved`` with E[A] = (1 - (1-p)^k) / p and P_solved = 1 - (1-p)^k is t / p."""
    solved = 1 - (1 - p) ** k
    primer = t * (solved / p) / solved
    assert float(seconds_per_success(t, p)) == pytest.approx(primer, rel=1e-9)


def test_summarise_adds_time_per_solved_task_from_latency():
    """A: 4 attempts of 10, 20, 30, 40 s, 2 solved: 100 s in all, 25 s an attempt, 50 s per solved task.

    B never succeeded: its wait per solved task is unbounded. C lacks latency on one row: unknown.
    """
    rows = measurement_rows(
        [
            {"model": "A", "successes": 1, "latency_s": 10.0, "input_tokens": 1000},
            {"model": "A", "successes": 0, "latency_s": 20.0, "input_tokens": 1000},
            {"model": "A", "successes": 1, "latency_s": 30.0, "input_tokens": 1000},
            {"model": "A", "successes": 0, "latency_s": 40.0, "input_tokens": 1000},
            {"model": "B", "successes": 0, "latency_s": 5.0, "input_tokens": 1000},
            {"model": "C", "successes": 1, "latency_s": 5.0, "input_tokens": 1000},
            {"model": "C", "successes": 1, "latency_s": np.nan, "input_tokens": 1000},
        ]
    )
    s = summarise(rows, PRICES).set_index("model")
    assert s.loc["A", "seconds_per_attempt"] == 25.0
    assert s.loc["A", "seconds_per_success"] == 50.0
    assert s.loc["B", "seconds_per_success"] == np.inf
    assert np.isnan(s.loc["C", "seconds_per_attempt"])
    assert "seconds_per_success" in to_csv(summarise(rows, PRICES)).splitlines()[0]


def test_aggregated_rows_carry_total_latency():
    """A run of 225 attempts that took 23,400 s and solved 158: 104 s an attempt, 23,400 / 158 = 148.1 s a task."""
    rows = measurement_rows([{"model": "A", "attempts": 225, "successes": 158, "latency_s": 23_400.0}])
    s = summarise(rows, PRICES).iloc[0]
    assert s["seconds_per_attempt"] == 104.0
    assert s["seconds_per_success"] == pytest.approx(148.101, abs=1e-3)


def test_no_latency_no_time_columns():
    rows = measurement_rows([{"model": "A", "successes": 1, "input_tokens": 1000}])
    assert "seconds_per_success" not in summarise(rows, PRICES).columns


def test_value_of_time_adds_to_cost_per_solved_task():
    """$0.05 per solved task and 180 s of waiting at $60/h: 180 / 3,600 x 60 = $3.00 more, $3.05 in all."""
    summary = pd.DataFrame({"cost_per_success": [0.05, 0.05], "seconds_per_success": [180.0, np.nan]})
    out = with_value_of_time(summary, 60.0)
    assert out["time_cost_per_success"].iloc[0] == pytest.approx(3.0)
    assert out["cost_per_success_with_time"].iloc[0] == pytest.approx(3.05)
    assert np.isnan(out["cost_per_success_with_time"].iloc[1])  # no latency: not a free wait
    assert "time_cost_per_success" not in summary.columns
