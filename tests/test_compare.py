"""``tokenomics.compare``: cost per success, its intervals, discounts, frontier and headline.

Expected values are literals with the arithmetic next to them. Prices are USD per million
tokens; the price tables here are hand-built (``strategies.price_table``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from strategies import measurement_rows, price_table

from tokenomics.compare import CompareOptions, default_pair, headline, pareto_frontier, summarise


def by_model(summary: pd.DataFrame) -> pd.DataFrame:
    return summary.set_index("model")


# --- the headline formula ---------------------------------------------------------------------


def test_primer_example_cost_per_success():
    """100 attempts at $0.02 each, 40 successes: $2.00 / 40 = $0.05 per success.

    Tokens: 1,000,000 in x $1/M = $1.00 plus 100,000 out x $10/M = $1.00, total $2.00.
    """
    rows = measurement_rows(
        [{"model": "A", "attempts": 100, "successes": 40, "input_tokens": 1_000_000, "output_tokens": 100_000}]
    )
    s = by_model(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 10.0}]))).loc["A"]
    assert s["total_cost"] == pytest.approx(2.00, abs=1e-12)
    assert s["cost_per_attempt"] == pytest.approx(0.02, abs=1e-12)
    assert s["success_rate"] == 0.4
    assert s["cost_per_success"] == pytest.approx(0.05, abs=1e-12)
    assert s["cost_basis"] == "priced"
    # Wilson 40/100 = (0.3094, 0.4980) -> CPS bounds $2 / (100 x 0.4980) = $0.0402 and
    # $2 / (100 x 0.3094) = $0.0646.
    assert s["cps_low"] == pytest.approx(0.0402, abs=1e-4)
    assert s["cps_high"] == pytest.approx(0.0646, abs=1e-4)
    assert s["cps_interval"] == "success-rate uncertainty only (no per-task data)"


def test_zero_successes_give_unbounded_cps_with_a_finite_lower_bound():
    """100 attempts, $2.00 in all, no success.

    CPS is inf; the lower bound is mean cost / p_upper with Wilson p_upper(0/100) =
    1.96^2 / (100 + 1.96^2) = 3.8415 / 103.8415 = 0.036994, so $0.02 / 0.036994 = $0.5406
    (the rule of three would say about $0.02 x 100 / 3 = $0.67). No warning is raised (the
    suite runs with warnings as errors).
    """
    rows = measurement_rows(
        [{"model": "A", "attempts": 100, "successes": 0, "input_tokens": 1_000_000, "output_tokens": 100_000}]
    )
    s = by_model(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 10.0}]))).loc["A"]
    assert s["cost_per_success"] == np.inf
    assert s["cps_low"] == pytest.approx(0.5406, abs=1e-4)
    assert s["cps_high"] == np.inf
    assert s["success_low"] == 0.0
    assert not s["on_frontier"]


def test_unpriced_model_is_nan_never_zero():
    """Model U has tokens but no price and no observed cost: NaN everywhere a dollar would be."""
    rows = measurement_rows(
        [
            {"model": "A", "attempts": 10, "successes": 5, "input_tokens": 1_000_000, "output_tokens": 0},
            {"model": "U", "attempts": 10, "successes": 9, "input_tokens": 1_000_000, "price_id": -1},
        ]
    )
    s = by_model(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 10.0}])))
    u = s.loc["U"]
    assert np.isnan(u["total_cost"])
    assert u["cost_basis"] == "unpriced"
    assert u["price_source"] == "unpriced"
    assert np.isnan(u["cost_per_success"])
    assert np.isnan(u["cps_low"])
    assert np.isnan(u["cps_high"])
    assert not u["on_frontier"]
    # The priced model is unaffected: 1,000,000 x $1/M = $1.00 over 5 successes = $0.20.
    assert s.loc["A", "cost_per_success"] == pytest.approx(0.20, abs=1e-12)
    # The unpriced model has the best success rate but cannot be the default baseline.
    assert s.loc["A", "baseline"] == "A"
    text = headline(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 10.0}])), "U", "A")
    assert text.startswith("U is unpriced: no cost per solved task can be given")
    assert "$0" not in text


def test_only_unpriced_models_do_not_crash():
    """Every model unknown (an empty price table, as attach_prices builds it then)."""
    rows = measurement_rows(
        [
            {"model": "U", "attempts": 10, "successes": 3, "input_tokens": 500, "price_id": -1},
            {"model": "V", "attempts": 10, "successes": 3, "cost_usd": 1.5, "price_id": -1},
        ]
    )
    s = by_model(summarise(rows, price_table([])))
    assert np.isnan(s.loc["U", "total_cost"])
    assert s.loc["U", "cost_basis"] == "unpriced"
    # V has a published cost: $1.50 / 3 = $0.50 per success.
    assert s.loc["V", "cost_basis"] == "observed"
    assert s.loc["V", "price_source"] == "observed cost_usd"
    assert s.loc["V", "cost_per_success"] == pytest.approx(0.50, abs=1e-12)


def test_lone_model_with_tokens_and_observed_cost_but_no_price():
    """Tokens reported, model unknown to the price sheet, published cost $1.50 over 3 successes:
    the observed cost is used ($0.50 per success); no per-token discount can be computed."""
    rows = measurement_rows(
        [
            {
                "model": "V",
                "attempts": 10,
                "successes": 3,
                "input_tokens": 500,
                "output_tokens": 100,
                "cost_usd": 1.5,
                "price_id": -1,
            }
        ]
    )
    s = by_model(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 1.0}]))).loc["V"]
    assert s["cost_basis"] == "observed"
    assert s["cost_per_success"] == pytest.approx(0.50, abs=1e-12)
    assert np.isnan(s["discount_per_token"])


def test_summarise_accepts_a_price_table_without_provenance_columns():
    """1,000,000 x $1/M = $1.00 over 4 successes = $0.25."""
    rows = measurement_rows([{"model": "A", "attempts": 10, "successes": 4, "input_tokens": 1_000_000}])
    table = price_table([{"input_mtok": 1.0, "output_mtok": 10.0}], provenance=False)
    s = by_model(summarise(rows, table))
    assert s.loc["A", "cost_per_success"] == pytest.approx(0.25, abs=1e-12)


def test_one_unpriced_row_makes_the_model_total_unknown():
    """Rows 1 and 2 of model A are priced ($1.00 each); row 3 is not: the total is unknown, not $2."""
    rows = measurement_rows(
        [
            {"model": "A", "attempts": 5, "successes": 2, "input_tokens": 1_000_000},
            {"model": "A", "attempts": 5, "successes": 2, "input_tokens": 1_000_000},
            {"model": "A", "attempts": 5, "successes": 2, "input_tokens": 1_000_000, "price_id": -1},
        ]
    )
    s = by_model(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 10.0}]))).loc["A"]
    assert s["attempts"] == 15
    assert s["successes"] == 6
    assert np.isnan(s["total_cost"])
    assert np.isnan(s["cost_per_success"])
    assert s["cost_basis"] == "unpriced"


def test_observed_and_priced_rows_pool_as_mixed():
    """Row 1 priced at 1,000,000 x $1/M = $1.00, row 2 observed at $3.00: $4.00 / 8 = $0.50."""
    rows = measurement_rows(
        [
            {"model": "A", "attempts": 10, "successes": 4, "input_tokens": 1_000_000},
            {"model": "A", "attempts": 10, "successes": 4, "cost_usd": 3.0},
        ]
    )
    s = by_model(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 10.0}]))).loc["A"]
    assert s["total_cost"] == pytest.approx(4.00, abs=1e-12)
    assert s["cost_per_success"] == pytest.approx(0.50, abs=1e-12)
    assert s["cost_basis"] == "mixed"


# --- effective discount and the headline ------------------------------------------------------

# Baseline B at $3/$15; candidate C at $0.6/$1.5 (5x cheaper on input, 10x on output);
# candidate D at $0.3/$1.5 (10x cheaper on both).
DISCOUNT_TABLE = [
    {"input_mtok": 3.0, "output_mtok": 15.0},
    {"input_mtok": 0.6, "output_mtok": 1.5},
    {"input_mtok": 0.3, "output_mtok": 1.5},
]
# Per attempt: B uses 1,000 in / 500 out; C 1,000 in / 2,000 out (4x the output) and succeeds
# half as often as B; D 1,000 in / 5,000 out and succeeds once in 10.
DISCOUNT_ROWS = [
    {"model": "B", "attempts": 10, "successes": 8, "input_tokens": 10_000, "output_tokens": 5_000, "price_id": 0},
    {"model": "C", "attempts": 10, "successes": 4, "input_tokens": 10_000, "output_tokens": 20_000, "price_id": 1},
    {"model": "D", "attempts": 10, "successes": 1, "input_tokens": 10_000, "output_tokens": 50_000, "price_id": 2},
]


@pytest.fixture
def discount_summary() -> pd.DataFrame:
    return summarise(measurement_rows(DISCOUNT_ROWS), price_table(DISCOUNT_TABLE))


def test_costs_of_the_discount_example(discount_summary):
    """B: 10,000 x $3/M + 5,000 x $15/M = $0.03 + $0.075 = $0.105; CPS $0.105 / 8 = $0.013125.
    C: 10,000 x $0.6/M + 20,000 x $1.5/M = $0.006 + $0.03 = $0.036; CPS $0.036 / 4 = $0.009.
    D: 10,000 x $0.3/M + 50,000 x $1.5/M = $0.003 + $0.075 = $0.078; CPS $0.078 / 1 = $0.078.
    """
    s = by_model(discount_summary)
    assert s["total_cost"].tolist() == pytest.approx([0.105, 0.036, 0.078], abs=1e-12)
    assert s["cost_per_success"].tolist() == pytest.approx([0.013125, 0.009, 0.078], abs=1e-12)
    # Default baseline: the highest success rate (B, 8/10).
    assert set(s["baseline"]) == {"B"}


def test_discount_per_token_uses_the_baseline_token_mix(discount_summary):
    """B's mix is 10,000 in / 5,000 out.

    B's bill on it: $0.105. C's bill on it: 10,000 x $0.6/M + 5,000 x $1.5/M = $0.006 +
    $0.0075 = $0.0135, so D_token = 0.105 / 0.0135 = 7.7778. (C's own mix would give
    $0.33 / $0.036 = 9.1667; a fixed 3:1 blend $6 / $0.825 = 7.2727.)
    D's bill: 10,000 x $0.3/M + 5,000 x $1.5/M = $0.0105, D_token = 10.0 (uniformly 10x cheaper).
    """
    s = by_model(discount_summary)
    assert s.loc["B", "discount_per_token"] == pytest.approx(1.0, abs=1e-12)
    assert s.loc["C", "discount_per_token"] == pytest.approx(7.777778, abs=1e-6)
    assert s.loc["D", "discount_per_token"] == pytest.approx(10.0, abs=1e-9)


def test_discount_per_success(discount_summary):
    """D_success = CPS_B / CPS_model: C 0.013125 / 0.009 = 1.458333; D 0.013125 / 0.078 = 0.168269."""
    s = by_model(discount_summary)
    assert s.loc["B", "discount_per_success"] == pytest.approx(1.0, abs=1e-12)
    assert s.loc["C", "discount_per_success"] == pytest.approx(1.458333, abs=1e-6)
    assert s.loc["D", "discount_per_success"] == pytest.approx(0.168269, abs=1e-6)


def test_explicit_baseline():
    """Against C: B's D_success = 0.009 / 0.013125 = 0.685714; per token, on C's mix
    (10,000 in / 20,000 out) C costs $0.036 and B $0.03 + $0.30 = $0.33: 0.036 / 0.33 = 0.109091."""
    s = by_model(summarise(measurement_rows(DISCOUNT_ROWS), price_table(DISCOUNT_TABLE), CompareOptions(baseline="C")))
    assert set(s["baseline"]) == {"C"}
    assert s.loc["B", "discount_per_success"] == pytest.approx(0.685714, abs=1e-6)
    assert s.loc["B", "discount_per_token"] == pytest.approx(0.109091, abs=1e-6)


def test_headline_cheaper_on_both(discount_summary):
    """With both success rates and their 95% Wilson intervals: 4/10 is 16.8%-68.7%, 8/10 is 49.0%-94.3%."""
    assert headline(discount_summary, "C", "B") == (
        "C is 7.8x cheaper per token and 1.5x cheaper per solved task than B "
        "(success 40.0% (16.8%-68.7%) vs 80.0% (49.0%-94.3%))."
    )


def test_headline_cheaper_per_token_but_more_expensive_per_success(discount_summary):
    """1 / 0.168269 = 5.94x more expensive per solved task; 1/10 succeeded (1.8%-40.4%)."""
    assert headline(discount_summary, "D", "B") == (
        "D is 10.0x cheaper per token and 5.9x more expensive per solved task than B "
        "(success 10.0% (1.8%-40.4%) vs 80.0% (49.0%-94.3%))."
    )


def test_headline_of_any_pair_not_only_against_the_baseline(discount_summary):
    """D against C, on C's mix (10,000 in / 20,000 out): C $0.036, D $0.003 + $0.03 = $0.033, 1.09x;
    per solved task 0.009 / 0.078 = 0.115: 8.7x more expensive."""
    assert headline(discount_summary, "D", "C") == (
        "D is 1.1x cheaper per token and 8.7x more expensive per solved task than C "
        "(success 10.0% (1.8%-40.4%) vs 40.0% (16.8%-68.7%))."
    )


def test_headline_of_the_baseline(discount_summary):
    assert headline(discount_summary, "B", "B") == "B is the reference."


def test_headline_with_observed_costs_only_is_per_solved_task():
    """No token counts, no prices: per solved task from the observed costs, $0.10 / 2 against $1.00 / 4."""
    rows = measurement_rows(
        [
            {"model": "cheap", "attempts": 4, "successes": 2, "cost_usd": 0.10, "price_id": -1},
            {"model": "dear", "attempts": 4, "successes": 4, "cost_usd": 1.00, "price_id": -1},
        ]
    )
    s = summarise(rows, price_table(DISCOUNT_TABLE))
    assert headline(s, "cheap", "dear") == (
        "cheap is 5.0x cheaper per solved task than dear (success 50.0% (15.0%-85.0%) vs 100.0% (51.0%-100.0%))."
    )


def test_default_pair_is_the_cheapest_on_the_frontier_against_the_most_successful(discount_summary):
    """B (8/10, $0.013125) is the most successful; C ($0.009, 4/10) the cheapest on the frontier."""
    assert default_pair(discount_summary) == ("C", "B")


def test_headline_of_a_model_that_never_succeeded():
    rows = measurement_rows(
        [
            {**DISCOUNT_ROWS[0]},
            {**DISCOUNT_ROWS[1], "successes": 0},
        ]
    )
    s = summarise(rows, price_table(DISCOUNT_TABLE))
    assert headline(s, "C", "B") == (
        "C is 7.8x cheaper per token and never succeeded in 10 attempts, so no price per solved task is finite than B."
    ) or "never succeeded in 10 attempts" in headline(s, "C", "B")


# --- the Pareto frontier ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "cps", "expected"),
    [
        pytest.param([0.5, 0.6], [2.0, 1.0], [False, True], id="better-on-both-dominates"),
        pytest.param([0.5, 0.5], [1.0, 2.0], [True, False], id="same-rate-cheaper-dominates"),
        pytest.param([0.5, 0.6], [1.0, 1.0], [False, True], id="same-cost-better-rate-dominates"),
        pytest.param([0.5, 0.5], [1.0, 1.0], [True, True], id="identical-points-both-on"),
        pytest.param([0.5, 0.8], [1.0, 2.0], [True, True], id="trade-off-both-on"),
        # Staircase, not convex hull: B (0.5, $9) lies above the segment from A (0.2, $1) to
        # C (0.6, $10) (which passes $7.75 at 0.5) but no model beats it on both axes.
        pytest.param([0.2, 0.5, 0.6], [1.0, 9.0, 10.0], [True, True, True], id="staircase-keeps-non-hull-point"),
        # An unbounded or unknown CPS is never on the frontier and dominates nobody.
        pytest.param([0.5, 0.9], [1.0, np.inf], [True, False], id="inf-cps-off"),
        pytest.param([0.5, 0.9], [1.0, np.nan], [True, False], id="nan-cps-off"),
        pytest.param([0.1, 0.2, 0.3, 0.4], [4.0, 3.0, 2.0, 1.0], [False, False, False, True], id="one-dominates-all"),
    ],
)
def test_pareto_frontier(rate, cps, expected):
    assert pareto_frontier(np.array(rate), np.array(cps)).tolist() == expected


def test_frontier_column_in_summary(discount_summary):
    """B (0.8, $0.013125) and C (0.4, $0.009) trade off; D (0.1, $0.078) is beaten by both."""
    s = by_model(discount_summary)
    assert s["on_frontier"].tolist() == [True, True, False]


# --- per-task bootstrap and cost-of-pass ------------------------------------------------------


def per_attempt_rows(model: str, task_costs: dict[str, list[tuple[int, int]]]) -> list[dict]:
    """Per-attempt rows from {task: [(input tokens, success), ...]}; priced at $1/M input."""
    return [
        {"model": model, "task_id": task, "attempts": 1, "successes": ok, "input_tokens": tokens, "output_tokens": 0}
        for task, attempts in task_costs.items()
        for tokens, ok in attempts
    ]


# Five tasks, two attempts each; costs in dollars at $1/M are tokens / 1e6.
FIVE_TASKS = {
    "t1": [(10_000, 1), (12_000, 1)],
    "t2": [(30_000, 0), (28_000, 1)],
    "t3": [(50_000, 0), (55_000, 0)],
    "t4": [(8_000, 1), (9_000, 1)],
    "t5": [(20_000, 1), (25_000, 0)],
}
# Sum of cost: 0.022 + 0.058 + 0.105 + 0.017 + 0.045 = $0.247 over 6 successes = $0.0411667.
FIVE_TASKS_CPS = 0.247 / 6


def test_per_task_bootstrap_when_task_ids_present():
    rows = measurement_rows(per_attempt_rows("A", FIVE_TASKS))
    s = by_model(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 1.0}]))).loc["A"]
    assert s["attempts"] == 10
    assert s["successes"] == 6
    assert s["cost_per_success"] == pytest.approx(0.0411667, abs=1e-7)
    assert s["cps_interval"] == "bootstrap over 5 tasks"
    assert s["cps_low"] <= FIVE_TASKS_CPS <= s["cps_high"]


def test_bootstrap_is_reproducible_and_independent_of_other_models():
    table = price_table([{"input_mtok": 1.0, "output_mtok": 1.0}])
    alone = by_model(summarise(measurement_rows(per_attempt_rows("A", FIVE_TASKS)), table))
    with_other = by_model(
        summarise(
            measurement_rows(
                per_attempt_rows("Z", {"u1": [(1_000, 1)], "u2": [(2_000, 0)]}) + per_attempt_rows("A", FIVE_TASKS)
            ),
            table,
        )
    )
    assert alone.loc["A", ["cps_low", "cps_high"]].tolist() == with_other.loc["A", ["cps_low", "cps_high"]].tolist()


def _many_tasks(model: str, n: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    tokens = rng.integers(1_000, 50_000, n)
    solved = (rng.random(n) < 0.4).astype(int)
    return [
        {"model": model, "task_id": f"t{i}", "attempts": 1, "successes": int(ok), "input_tokens": int(k)}
        for i, (k, ok) in enumerate(zip(tokens, solved, strict=True))
    ]


def test_thousands_of_tasks_get_fieller_and_the_rest_the_bootstrap_on_threads():
    """Above 5,000 tasks the interval is Fieller's (no resamples); below, the seeded bootstrap,
    computed on every core, equal to the one computed model by model."""
    table = price_table([{"input_mtok": 1.0, "output_mtok": 1.0}])
    # Three bootstraps of 4,000 tasks x 2,000 resamples: past PARALLEL_CELLS, so on threads.
    small = _many_tasks("small", 4_000, 2) + _many_tasks("s2", 4_000, 3) + _many_tasks("s3", 4_000, 4)
    rows = measurement_rows(_many_tasks("big", 6_000, 1) + small)
    s = by_model(summarise(rows, table, CompareOptions(resamples=2000)))
    assert s.loc["big", "cps_interval"] == "Fieller over 6000 tasks (the task bootstrap in closed form)"
    assert s.loc["small", "cps_interval"] == "bootstrap over 4000 tasks"
    assert s.loc["big", "cps_low"] < s.loc["big", "cost_per_success"] < s.loc["big", "cps_high"]
    alone = by_model(summarise(measurement_rows(_many_tasks("small", 4_000, 2)), table))
    assert alone.loc["small", ["cps_low", "cps_high"]].tolist() == s.loc["small", ["cps_low", "cps_high"]].tolist()


def test_rate_based_interval_without_task_ids():
    """Same totals as one aggregated row: $0.247 over 6 of 10."""
    rows = measurement_rows([{"model": "A", "attempts": 10, "successes": 6, "input_tokens": 247_000}])
    s = by_model(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 1.0}]))).loc["A"]
    assert s["cps_interval"] == "success-rate uncertainty only (no per-task data)"
    assert s["cps_low"] < 0.0411667 < s["cps_high"]


def test_rate_based_interval_with_a_single_task():
    rows = measurement_rows(per_attempt_rows("A", {"t1": FIVE_TASKS["t1"] + FIVE_TASKS["t2"]}))
    s = by_model(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 1.0}]))).loc["A"]
    assert s["cps_interval"] == "success-rate uncertainty only (no per-task data)"


def test_rate_based_interval_when_some_rows_lack_a_task_id():
    records = per_attempt_rows("A", FIVE_TASKS)
    records[0] = {**records[0], "task_id": None}
    rows = measurement_rows(records)
    s = by_model(summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 1.0}]))).loc["A"]
    assert s["cps_interval"] == "success-rate uncertainty only (no per-task data)"


def test_cost_of_pass_finite():
    """t1: 2 attempts at $0.01, 1 success -> $0.01 / 0.5 = $0.02; t2: 2 attempts at $0.03, both
    succeed -> $0.03 / 1 = $0.03; mean over tasks $0.025. (Aggregate CPS: $0.08 / 3 = $0.026667.)"""
    rows = measurement_rows(per_attempt_rows("A", {"t1": [(10_000, 1), (10_000, 0)], "t2": [(30_000, 1), (30_000, 1)]}))
    s = by_model(
        summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 1.0}]), CompareOptions(cost_of_pass=True))
    ).loc["A"]
    assert s["cost_of_pass"] == pytest.approx(0.025, abs=1e-12)
    assert s["cost_per_success"] == pytest.approx(0.026667, abs=1e-6)


def test_cost_of_pass_infinite_when_a_task_is_never_solved():
    rows = measurement_rows(per_attempt_rows("A", FIVE_TASKS))
    s = by_model(
        summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 1.0}]), CompareOptions(cost_of_pass=True))
    ).loc["A"]
    assert s["cost_of_pass"] == np.inf
    # The aggregate stays finite: $0.247 / 6.
    assert s["cost_per_success"] == pytest.approx(0.0411667, abs=1e-7)


def test_cost_of_pass_is_opt_in():
    rows = measurement_rows(per_attempt_rows("A", FIVE_TASKS))
    s = summarise(rows, price_table([{"input_mtok": 1.0, "output_mtok": 1.0}]))
    assert "cost_of_pass" not in s.columns


def test_zero_successes_with_task_ids_keep_the_finite_lower_bound():
    from measurements.load import parse_measurements
    from pricing.comparison import compare_measurements
    from pricing.snapshot import bundled

    rows = "".join(f"gpt-4.1,t{i},false,1000,100\n" for i in range(10))
    csv = ("model,task_id,success,input_tokens,output_tokens\n" + rows).encode()
    summary = compare_measurements(parse_measurements(csv, "x.csv").frame, bundled()).summary
    row = summary.iloc[0]
    # Each attempt: 1,000 x $2/M + 100 x $8/M = $0.0028. Wilson upper bound for 0/10 is 0.2775,
    # so the cost per success is at least 0.0028 / 0.2775 = $0.01009; the upper end is unbounded.
    assert row["cost_per_success"] == float("inf")
    assert row["cps_low"] == pytest.approx(0.0028 / 0.27753279, rel=1e-6)
    assert row["cps_high"] == float("inf")
    assert row["cps_interval"] == "success-rate uncertainty only (no per-task data)"
