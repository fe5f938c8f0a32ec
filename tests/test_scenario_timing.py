"""Time per solved task under a what-if scenario: measured latency x E[attempts] / P(solved)."""

from __future__ import annotations

import pytest

from measurements.load import parse_measurements
from pricing.comparison import compare_measurements
from pricing.snapshot import bundled
from tokenomics.scenario import Scenario
from tokenomics.scenario_apply import evaluate, prepare

# Two tasks, two samples each, 10 s per attempt; task a always solved, task b never.
CSV = b"""model,task_id,success,input_tokens,output_tokens,latency_s
gpt-4.1,a,true,1000,100,10
gpt-4.1,a,true,1000,100,10
gpt-4.1,b,false,1000,100,10
gpt-4.1,b,false,1000,100,10
"""


def table(k: int):
    comparison = compare_measurements(parse_measurements(CSV, "t.csv").frame, bundled())
    base = prepare(comparison.summary, comparison.rows, comparison.table)
    return evaluate(base, Scenario(max_attempts=k)).set_index("model").loc["gpt-4.1"]


def test_one_attempt_is_latency_over_success_rate() -> None:
    row = table(1)
    assert row["seconds_per_attempt"] == pytest.approx(10.0)
    # 10 s x 1 attempt / 0.5 solved = 20 s per solved task.
    assert row["seconds_per_success"] == pytest.approx(20.0)


def test_retries_wait_longer_per_task_but_not_per_solved_task_here() -> None:
    row = table(2)
    # pass@2 per task: a is solved at once (1 attempt), b never (2 attempts): E[A] = 1.5,
    # P(solved) = 0.5, so 10 s x 1.5 / 0.5 = 30 s per solved task.
    assert row["expected_attempts"] == pytest.approx(1.5)
    assert row["p_solved"] == pytest.approx(0.5)
    assert row["seconds_per_success"] == pytest.approx(30.0)
