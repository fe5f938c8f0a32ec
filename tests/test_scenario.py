"""``tokenomics.scenario`` and ``scenario_apply``: each knob on a hand-built example, and validation.

Three models, two tasks, two attempts per task; every attempt of a model costs the same:
- A (openai, $1/M in, $2/M out): 1M in + 0.5M out = $1 + $1 = $2 an attempt; t1 2/2, t2 0/2.
- B (deepseek, $0.5/M in, $1/M out): 1M in + 1M out = $0.5 + $1 = $1.5; t1 1/2, t2 1/2.
- C (deepseek, same prices as B): $1.5 an attempt; t1 2/2, t2 0/2 (fails where A fails).
Measured: p = 2/4 = 0.5 for all three; cost per success A 8/2 = $4, B and C 6/2 = $3.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from strategies import measurement_rows, price_table

from inputs.scenario_file import parse_scenario
from tokenomics.compare import CompareOptions, summarise
from tokenomics.errors import InputError
from tokenomics.scenario import Scenario, haircut_presets, with_presets
from tokenomics.scenario_apply import WhatIfBase, evaluate, fail_curve, prepare

OUTCOMES = {"A": {"t1": (1, 1), "t2": (0, 0)}, "B": {"t1": (1, 0), "t2": (0, 1)}, "C": {"t1": (1, 1), "t2": (0, 0)}}
TOKENS = {"A": (1e6, 5e5), "B": (1e6, 1e6), "C": (1e6, 1e6)}
PRICE_ID = {"A": 0, "B": 1, "C": 1}
PROVIDER = {"A": "openai", "B": "deepseek", "C": "deepseek"}


def records(per_task: bool) -> list[dict]:
    out = []
    for model, tasks in OUTCOMES.items():
        for task, results in tasks.items():
            for success in results:
                out.append(
                    {
                        "model": model,
                        "provider": PROVIDER[model],
                        "successes": success,
                        "input_tokens": TOKENS[model][0],
                        "output_tokens": TOKENS[model][1],
                        "price_id": PRICE_ID[model],
                        **({"task_id": task} if per_task else {}),
                    }
                )
    return out


def make_base(per_task: bool = True) -> WhatIfBase:
    table = price_table(
        [
            {"input_mtok": 1.0, "output_mtok": 2.0, "provider_id": "openai"},
            {"input_mtok": 0.5, "output_mtok": 1.0, "provider_id": "deepseek"},
        ]
    )
    rows = measurement_rows(records(per_task))
    summary = summarise(rows, table, CompareOptions(resamples=20))
    return prepare(summary, rows, table)


@pytest.fixture(scope="module")
def base() -> WhatIfBase:
    return make_base()


def run(base: WhatIfBase, **knobs) -> pd.DataFrame:
    return evaluate(base, Scenario(**knobs)).set_index("model")


def cps(base: WhatIfBase, **knobs) -> dict[str, float]:
    return {m: round(float(v), 6) for m, v in run(base, **knobs)["cost_per_success"].items()}


def test_the_neutral_scenario_reproduces_the_measured_comparison(base):
    table = run(base)
    assert cps(base) == {"A": 4.0, "B": 3.0, "C": 3.0}
    assert table["cost_per_attempt"].tolist() == [2.0, 1.5, 1.5]
    assert table["p_solved"].tolist() == [0.5, 0.5, 0.5]
    assert set(table["method"]) == {"one attempt per task"}


@pytest.mark.parametrize(
    ("knobs", "expected"),
    [
        # Every price x 1.5: A 4 x 1.5 = 6, B and C 3 x 1.5 = 4.5.
        ({"price_multiplier": 1.5}, {"A": 6.0, "B": 4.5, "C": 4.5}),
        # openai's prices x 2: only A moves, 4 x 2 = 8.
        ({"provider_price_multipliers": {"openai": 2.0}}, {"A": 8.0, "B": 3.0, "C": 3.0}),
        # A discount deal on B: 3 x 0.5 = 1.5.
        ({"model_price_multipliers": {"B": 0.5}}, {"A": 4.0, "B": 1.5, "C": 3.0}),
        # Output price x 2: A $1 + $2 = $3 an attempt / 0.5 = 6; B $0.5 + $2 = $2.5 / 0.5 = 5.
        ({"kind_price_multipliers": {"output": 2.0}}, {"A": 6.0, "B": 5.0, "C": 5.0}),
        # Half the output tokens: A $1 + $0.5 = $1.5 / 0.5 = 3; B $0.5 + $0.5 = $1 / 0.5 = 2.
        ({"token_multipliers": {"output": 0.5}}, {"A": 3.0, "B": 2.0, "C": 2.0}),
        # Haircut 0.2: p = 0.5 x 0.8 = 0.4; A 2 / 0.4 = 5, B 1.5 / 0.4 = 3.75.
        ({"haircut": 0.2}, {"A": 5.0, "B": 3.75, "C": 3.75}),
        # A's own haircut 0.5 only: p = 0.25, 2 / 0.25 = 8.
        ({"model_haircuts": {"A": 0.5}}, {"A": 8.0, "B": 3.0, "C": 3.0}),
        # Verifier $0.5 an attempt: A (2 + 0.5) / 0.5 = 5, B (1.5 + 0.5) / 0.5 = 4.
        ({"verifier_cost": 0.5}, {"A": 5.0, "B": 4.0, "C": 4.0}),
        # Batch tier: openai publishes 0.5 (A 4 x 0.5 = 2); deepseek publishes none, so 1.0.
        ({"service_tier": "batch"}, {"A": 2.0, "B": 3.0, "C": 3.0}),
        # An edited factor wins over the published one: deepseek batch 0.6 -> 3 x 0.6 = 1.8.
        ({"service_tier": "batch", "tier_factors": {"deepseek": {"batch": 0.6}}}, {"A": 2.0, "B": 1.8, "C": 1.8}),
        # Priority on openai only: 2.0 published -> 8.
        ({"provider_tiers": {"openai": "priority"}}, {"A": 8.0, "B": 3.0, "C": 3.0}),
        # 7.1 yuan per USD: A 4 x 7.1 = 28.4, B 3 x 7.1 = 21.3.
        ({"currency": "CNY", "exchange_rate": 7.1, "rate_date": "2026-11-20"}, {"A": 28.4, "B": 21.3, "C": 21.3}),
    ],
)
def test_each_knob_by_hand(base, knobs, expected):
    assert cps(base, **knobs) == pytest.approx(expected, abs=1e-9)


def test_retries_use_the_tasks_own_samples(base):
    """k = 2 with per-task samples (pass@k, drawing without replacement from each task's 2 samples).

    A: t1 always solved (1 try, $2); t2 never (2 tries, $4): P = (1 + 0) / 2 = 0.5,
       cost per task (2 + 4) / 2 = $3, per solved task 3 / 0.5 = $6: retrying A is money wasted.
    B: each task 1 of 2: first try fails with 1/2, then the other sample succeeds: P = 1,
       E[A] = 1 + 1/2 = 1.5, cost 1.5 x 1.5 = $2.25 per task and per solved task.
    """
    table = run(base, max_attempts=2)
    assert table.loc["A", "p_solved"] == 0.5
    assert table.loc["A", "cost_per_success"] == pytest.approx(6.0)
    assert table.loc["B", "p_solved"] == 1.0
    assert table.loc["B", "expected_attempts"] == pytest.approx(1.5)
    assert table.loc["B", "cost_per_success"] == pytest.approx(2.25)
    assert table.loc["A", "method"] == "pass@k from per-task samples (2 tasks)"


def test_retries_without_task_ids_use_the_independence_formula():
    """A aggregated, p = 0.5, k = 2: P = 1 - 0.5^2 = 0.75, E[A] = 0.75 / 0.5 = 1.5,
    cost per task 1.5 x $2 = $3, per solved task 3 / 0.75 = $4."""
    table = run(make_base(per_task=False), max_attempts=2)
    assert table.loc["A", "p_solved"] == 0.75
    assert table.loc["A", "expected_attempts"] == 1.5
    assert table.loc["A", "cost_per_success"] == pytest.approx(4.0)
    assert table.loc["A", "method"] == (
        "independence formula (aggregate p): the optimistic bound, one sample per task; "
        "no gain from retrying: p_solved_no_gain"
    )
    # The pessimistic bound: half the tasks are never solved and tried twice: E[A] = 0.5 + 0.5 x 2 = 1.5,
    # cost per task 1.5 x $2 = $3, P = 0.5: $6 per solved task.
    assert table.loc["A", "p_solved_no_gain"] == 0.5
    assert table.loc["A", "cost_per_success_no_gain"] == pytest.approx(6.0)
    assert table.loc["A", "p_solved_if_independent"] == 0.75
    assert table.loc["A", "cost_per_success_if_independent"] == pytest.approx(4.0)


def test_k_above_the_samples_per_task_gives_both_bounds_and_says_so(base):
    """Two samples per task, k = 3 (n < k). B: t1 1/2, t2 1/2. From the samples, pass@2 on each task is 1
    and the third try adds nothing: P = 1, E[A] = 1 + 1/2 = 1.5, $1.5 x 1.5 = $2.25 per solved task.
    A (t1 2/2, t2 0/2): no gain past the samples: P = 0.5, E[A] = (1 + 3) / 2 = 2, $2 x 2 / 0.5 = $8.
    If tries were independent at A's aggregate 0.5: P = 1 - 0.5^3 = 0.875, E[A] = 0.875 / 0.5 = 1.75,
    $2 x 1.75 / 0.875 = $4."""
    table = run(base, max_attempts=3)
    assert table.loc["A", "method"] == (
        "k = 3 exceeds the 2 samples per task: pass@k from the samples up to 2, then no gain from retrying; "
        "if tries were independent at the aggregate rate: p_solved_if_independent"
    )
    assert (table.loc["A", "p_solved_no_gain"], table.loc["A", "p_solved_if_independent"]) == (0.5, 0.875)
    assert table.loc["A", "cost_per_success_no_gain"] == pytest.approx(8.0)
    assert table.loc["A", "cost_per_success_if_independent"] == pytest.approx(4.0)
    assert table.loc["B", "p_solved"] == 1.0
    # Where the samples cover k, there is one figure and no bounds.
    two = run(base, max_attempts=2)
    assert two["p_solved_no_gain"].isna().all()


def test_pass_at_k_matches_chen_et_al():
    """n = 5 samples, s = 2 successes, k = 2: 1 - C(3,2)/C(5,2) = 1 - 3/10 = 0.7."""
    q = fail_curve(np.array([5.0]), np.array([2.0]), np.array([0.0]), 2)
    assert 1 - q[0, 2] == pytest.approx(0.7)


def test_cascade_exact_from_shared_tasks(base):
    """A then B, k = 1, per task.

    t1: A solves it ($2). t2: A fails ($2), B solves with 1/2 ($1.5): P = 0.5, cost $3.5.
    P = (1 + 0.5) / 2 = 0.75; cost per task (2 + 3.5) / 2 = $2.75; per solved task 2.75 / 0.75 = $3.6667.
    """
    row = run(base, cascade=["A", "B"]).loc["A → B"]
    assert row["p_solved"] == 0.75
    assert row["cost_per_task"] == pytest.approx(2.75)
    assert row["cost_per_success"] == pytest.approx(3.666667, abs=1e-6)
    assert row["method"] == "cascade, exact from 2 shared tasks"


def test_cascade_exact_sees_that_both_models_fail_the_same_task(base):
    """A then C: C fails exactly where A fails, so escalating t2 never helps.

    P = (1 + 0) / 2 = 0.5 (the independence formula would claim 1 - 0.5 x 0.5 = 0.75);
    cost (2 + 2 + 1.5) / 2 = $2.75 per task, 2.75 / 0.5 = $5.5 per solved task.
    """
    row = run(base, cascade=["A", "C"]).loc["A → C"]
    assert row["p_solved"] == 0.5
    assert row["cost_per_success"] == pytest.approx(5.5)


def test_cascade_without_task_data_uses_the_formula_and_says_so():
    """Aggregates only: P = 1 - 0.5 x 0.5 = 0.75, cost 2 + 0.5 x 1.5 = $2.75, 2.75 / 0.75 = $3.6667."""
    row = run(make_base(per_task=False), cascade=["A", "C"]).loc["A → C"]
    assert row["p_solved"] == 0.75
    assert row["cost_per_success"] == pytest.approx(3.666667, abs=1e-6)
    assert row["method"] == "cascade, formula (models assumed to fail independently)"


def test_failure_cost_and_monthly_volume(base):
    """10 minutes at $60/h = $10 per unsolved task, 1,000 tasks a month.

    A: 2 + (1 - 0.5) x 10 = $7 per task; monthly spend 1,000 x 2 = $2,000, failures
    1,000 x 0.5 x 10 = $5,000, total $7,000, 500 tasks solved.
    """
    table = run(base, failure_minutes=10, hourly_rate=60, tasks_per_month=1000)
    a = table.loc["A"]
    assert a["failure_cost"] == 10.0
    assert a["cost_per_task_with_failures"] == 7.0
    assert (a["monthly_spend"], a["monthly_failure_cost"], a["monthly_total"], a["monthly_solved"]) == (
        2000.0,
        5000.0,
        7000.0,
        500.0,
    )
    # B: 1.5 + 0.5 x 10 = $6.5 per task: ranked first on cost per task with failures.
    assert table.loc["B", "cost_per_task_with_failures"] == 6.5
    assert table.loc["B", "rank"] == 1


def test_with_presets_fills_every_model_but_the_ones_set():
    presets = pd.DataFrame({"model": ["A", "B"], "haircut": [0.2, 0.1]})
    s = with_presets(Scenario(haircut_presets=True, model_haircuts={"B": 0.3}), presets)
    assert s.model_haircuts == {"A": 0.2, "B": 0.3}
    assert with_presets(Scenario(), presets).model_haircuts == {}


def test_haircut_presets_from_the_bundled_aime_table():
    table = pd.read_csv(__import__("pathlib").Path(__file__).resolve().parents[1] / "data" / "haircuts.csv")
    models = pd.DataFrame(
        {
            "model": [
                "DeepSeek R1 (0528)",
                "o3 (high)",
                "gpt-4.1",
                "Qwen3 32B",
                "claude-opus-4-20250514",
                "Nova Premier",
            ],
            "model_id": [
                "deepseek/deepseek-reasoner",
                "o3",
                "gpt-4.1",
                "openrouter/qwen/qwen3-32b",
                "claude-opus",
                "x",
            ],
        }
    )
    presets = haircut_presets(models, table).set_index("model")
    # Per model: R1 0528 fell 14.9%, o3 2.2%, GPT-4.1 20.6%; Nova Premier rose 1.8%, so 0.
    assert presets["haircut"].round(4).tolist()[:3] == [0.149, 0.022, 0.206]
    assert presets.loc["Nova Premier", "haircut"] == 0.0
    # By origin group: CN mean of 7 falls = 146.8 / 7 = 20.97%; Western 125.3 / 12 = 10.44%.
    assert presets.loc["Qwen3 32B", "haircut"] == pytest.approx(0.2097, abs=1e-4)
    assert presets.loc["claude-opus-4-20250514", "haircut"] == pytest.approx(0.1044, abs=1e-4)
    assert presets.loc["Qwen3 32B", "basis"] == "AIME 2024 vs 2025: CN group mean (7 models)"
    assert presets.loc["o3 (high)", "basis"] == "AIME 2024 vs 2025: o3"


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('{"max_attempt": 2}', "max_attempt", "unknown key"),
        ('{"max_attempts": 0}', "max_attempts", "greater than or equal to 1"),
        ('{"price_multiplier": -0.5}', "price_multiplier", "greater than or equal to 0"),
        ('{"provider_price_multipliers": {"openai": -1}}', "provider_price_multipliers.openai", "greater than"),
        ('{"token_multipliers": {"output": -2}}', "token_multipliers.output", "greater than"),
        ('{"haircut": 1.0}', "haircut", "less than 1"),
        ('{"haircut": -0.1}', "haircut", "greater than or equal to 0"),
        ('{"model_haircuts": {"A": 1.5}}', "model_haircuts.A", "less than 1"),
        ('{"service_tier": "turbo"}', "service_tier", "standard"),
        ('{"currency": "CNY"}', "(scenario)", "exchange_rate"),
        ('{"cascade": ["A"]}', "(scenario)", "at least two"),
    ],
)
def test_bad_scenarios_are_rejected_naming_the_key(text, key, words):
    with pytest.raises(InputError) as caught:
        parse_scenario(text, "scenario.json")
    assert caught.value.column == key
    assert caught.value.file == "scenario.json"
    assert words in str(caught.value)


def test_not_json_is_rejected():
    with pytest.raises(InputError, match="not valid JSON"):
        parse_scenario("{max_attempts: 2}", "s.json")


def test_a_scenario_naming_an_unknown_model_is_rejected(base):
    with pytest.raises(InputError) as caught:
        evaluate(base, Scenario(cascade=["A", "Z"]))
    assert caught.value.column == "cascade"
    assert caught.value.found == "Z"


def test_json_round_trip_keeps_only_what_differs():
    s = Scenario(price_multiplier=1.3, max_attempts=2, currency="EUR", exchange_rate=0.92, rate_date="2026-11-20")
    assert s.to_json() == (
        '{"price_multiplier":1.3,"max_attempts":2,"currency":"EUR","exchange_rate":0.92,"rate_date":"2026-11-20"}'
    )
    assert parse_scenario(s.to_json(), "link") == s
    assert Scenario().to_json() == "{}"
