"""``tokenomics.selfhost``, its chart and ``python -m tokenomics selfhost``.

Expected values are literals worked by hand; HOURS_PER_MONTH is 730 (8,760 / 12).

The reference plan used throughout: replicas of 8 GPUs at $2/h plus $4/h other = $20/h,
5,000 tokens/s at 50% utilisation, $3,000 fixed a month; the model spends 10,000 tokens per
attempt and solves half its tasks.

- $/Mtok = 20 / (5,000 x 3,600 x 0.5) x 1e6 = 20 / 9e6 x 1e6 = $2.2222
- cost per attempt = 10,000 x 2.2222 / 1e6 = $0.022222; per solved task busy = $0.044444
- one replica a month = 20 x 730 = $14,600
- capacity = 5,000 x 3,600 x 0.5 x 730 / 10,000 x 0.5 = 657,000 attempts x 0.5 = 328,500 solved tasks
- at 500,000 tasks: ceil(500,000 / 328,500) = 2 replicas, 3,000 + 2 x 14,600 = $32,200, $0.0644 per task
- API at $0.10/task: margin 0.10 x 328,500 - 14,600 = 18,250 > 3,000, so the first replica's
  step wins from (3,000 + 14,600) / 0.10 = 176,000 tasks; the second step starts at 328,500
  where 3,000 + 29,200 = 32,200 <= 32,850: cheaper at every volume from 176,000.
- API at $0.05/task: margin 16,425 - 14,600 = 1,825; k1 = ceil(3,000 / 1,825) = 2, first
  break-even (3,000 + 29,200) / 0.05 = 644,000. Steps win all through from
  k >= (3,000 + 16,425) / 1,825 = 10.64, i.e. the 11th; the 10th wins from
  (3,000 + 146,000) / 0.05 = 2,980,000.
- API at $0.04/task: a full replica's tasks cost 13,140 < 14,600 at the API: never.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.main import main
from inputs.gpu_presets import load_presets
from reports.selfhost_charts import monthly_cost_figure, step_points
from tokenomics.errors import InputError
from tokenomics.selfhost import (
    SelfHostPlan,
    hosting,
    options_table,
    replicas_needed,
    usd_per_mtok,
    verdict,
    workload,
    workload_of,
)

ROOT = Path(__file__).resolve().parent.parent
FAST = settings(max_examples=60, deadline=None)

REFERENCE = {
    "gpu": "H100",
    "gpus": 8,
    "gpu_hourly": 2.0,
    "other_hourly": 4.0,
    "throughput": 5_000.0,
    "utilisation": 0.5,
    "fixed_monthly": 3_000.0,
}


def reference_plan(**changes: float) -> SelfHostPlan:
    work = {"tokens_per_attempt": 10_000.0, "success_rate": 0.5}
    host = {**REFERENCE}
    for key, value in changes.items():
        (work if key in work else host)[key] = value
    return SelfHostPlan(hosting(**host), workload(**work))


# --- worked examples ---------------------------------------------------------------------------


def test_public_tco_calculator_example():
    """tools.gera.services' example: $2/h at 2,000 tokens/s.

    2 / (2,000 x 3,600) x 1e6 = $0.2778 per million at full utilisation; at 20%, 0.2778 / 0.2 = $1.389.
    """
    assert usd_per_mtok(2.0, 2_000.0, 1.0) == pytest.approx(0.27778, abs=1e-5)
    assert usd_per_mtok(2.0, 2_000.0, 0.2) == pytest.approx(1.38889, abs=1e-5)


def test_reference_plan_figures():
    plan = reference_plan()
    assert plan.hourly_cost == 20.0
    assert plan.replica_monthly == 14_600.0
    assert plan.usd_per_mtok == pytest.approx(2.22222, abs=1e-5)
    assert plan.cost_per_attempt == pytest.approx(0.0222222, abs=1e-7)
    assert plan.busy_cost_per_success == pytest.approx(0.0444444, abs=1e-7)
    assert plan.capacity == pytest.approx(328_500.0)
    assert int(plan.replicas(500_000)) == 2
    assert float(plan.monthly_cost(500_000)) == 32_200.0
    assert float(plan.cost_per_success(500_000)) == pytest.approx(0.0644)  # 32,200 / 500,000


def test_reference_plan_break_evens():
    first, always = reference_plan().break_even(np.array([0.10, 0.05, 0.04, np.inf, np.nan]))
    np.testing.assert_allclose(first[:3], [176_000.0, 644_000.0, np.inf])
    np.testing.assert_allclose(always[:3], [176_000.0, 2_980_000.0, np.inf])
    assert np.isnan(first[3:]).all() and np.isnan(always[3:]).all()


def test_step_function_at_the_edges_of_a_replica():
    """0 tasks: fixed costs only; exactly 328,500: one replica; one more task: two."""
    costs = reference_plan().monthly_cost(np.array([0.0, 1.0, 328_500.0, 328_501.0]))
    assert costs.tolist() == [3_000.0, 17_600.0, 17_600.0, 32_200.0]


def test_owned_hardware_and_fixed_costs_round_trip():
    """A $0/h GPU with only fixed costs: capacity is unlimited by price; break-even = F / c."""
    plan = reference_plan(gpu_hourly=0.0, other_hourly=0.0)
    first, always = plan.break_even(np.array([0.10]))
    assert first.tolist() == [30_000.0]  # 3,000 / 0.10
    assert always.tolist() == [30_000.0]


def test_options_table_and_verdicts():
    apis = pd.DataFrame(
        {
            "model": ["open API", "closed"],
            "success_rate": [0.5, 0.8],
            "cost_per_attempt": [0.05, 0.04],
            "cost_per_success": [0.10, 0.05],
            "input_tokens_per_attempt": [8_000.0, 10_000.0],
            "output_tokens_per_attempt": [2_000.0, np.nan],
            "price_source": ["test", "test"],
        }
    )
    table = options_table(reference_plan(), "open", apis, 500_000).set_index("kind")
    own = table.loc["self-host"]
    assert own["replicas"] == 2
    assert own["monthly_cost"] == 32_200.0
    api = table.loc["API"].set_index("option")
    # $0.05 for 10,000 tokens = $5 per million; the closed model's 10,000 input tokens, $0.04: $4.
    assert api["usd_per_mtok"].tolist() == pytest.approx([5.0, 4.0])
    assert api["monthly_cost"].tolist() == pytest.approx([50_000.0, 25_000.0])  # 500,000 x 0.10, x 0.05
    assert api["break_even_tasks_per_month"].tolist() == pytest.approx([176_000.0, 644_000.0])
    assert verdict("open", "closed", 644_000.0, 2_980_000.0).startswith(
        "Self-hosting open costs no more than closed from 644,000 solved tasks a month, and less at every "
        "volume above 2,980,000"
    )
    assert "no finite cost per solved task" in verdict("open", "closed", np.nan, np.nan)


def test_workload_from_a_comparison_summary():
    summary = pd.DataFrame(
        {
            "model": ["a", "b", "c"],
            "successes": [5, 0, 3],
            "success_rate": [0.5, 0.0, 0.3],
            "input_tokens_per_attempt": [8_000.0, 1.0, np.nan],
            "output_tokens_per_attempt": [2_000.0, 1.0, np.nan],
        }
    )
    assert workload_of(summary, "a") == workload(tokens_per_attempt=10_000.0, success_rate=0.5)
    with pytest.raises(InputError, match="never succeeded"):
        workload_of(summary, "b")
    with pytest.raises(InputError, match="no token counts"):
        workload_of(summary, "c")
    with pytest.raises(InputError, match="'zzz' is not in the measurements"):
        workload_of(summary, "zzz")


# --- bad inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("throughput", 0.0, "throughput: input should be greater than 0 (found 0.0)"),
        ("utilisation", 0.0, "utilisation: input should be greater than 0 (found 0.0)"),
        ("utilisation", 1.5, "utilisation: input should be less than or equal to 1 (found 1.5)"),
        ("gpu_hourly", -1.0, "gpu_hourly: input should be greater than or equal to 0 (found -1.0)"),
        ("fixed_monthly", -5.0, "fixed_monthly: input should be greater than or equal to 0 (found -5.0)"),
        ("gpus", 0, "gpus: input should be greater than or equal to 1 (found 0)"),
        ("throughput", float("nan"), "throughput: input should be a finite number (found nan)"),
    ],
)
def test_bad_hosting_inputs_name_the_field(field: str, value: float, message: str):
    with pytest.raises(InputError) as caught:
        hosting(**{**REFERENCE, field: value})
    assert str(caught.value) == message


def test_unknown_hosting_field_is_rejected():
    with pytest.raises(InputError, match="gpu_price: extra inputs are not permitted"):
        hosting(**REFERENCE, gpu_price=3.0)


def test_bundled_presets_are_valid_and_sourced():
    presets = load_presets()
    assert len({p.preset for p in presets}) == len(presets)
    # Every named GPU's memory is given, with where the figure comes from.
    assert {p.gpu: p.gpu_memory_gb for p in presets} == {
        "GPU": None,
        "H800": 80.0,
        "H100 80GB": 80.0,
        "H100 SXM 80GB": 80.0,
        "H200 SXM 141GB": 141.0,
    }
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for p in presets:
        # Every figure has a source, or says plainly that it is a placeholder.
        assert p.price_source.startswith("http") or "placeholder" in p.price_source
        assert p.throughput_source.startswith(("http", "Same ")) or "placeholder" in p.throughput_source
        assert p.preset in readme


# --- properties ------------------------------------------------------------------------------------

utilisations = st.floats(min_value=0.01, max_value=1.0)
rates = st.floats(min_value=0.01, max_value=1.0)


@FAST
@given(utilisations, utilisations, st.floats(min_value=0, max_value=5e6))
def test_cost_per_solved_task_falls_as_utilisation_rises(u1: float, u2: float, volume: float):
    low, high = sorted((u1, u2))
    slow, busy = reference_plan(utilisation=low), reference_plan(utilisation=high)
    assert busy.busy_cost_per_success <= slow.busy_cost_per_success * (1 + 1e-12)
    if low < high:
        assert busy.busy_cost_per_success < slow.busy_cost_per_success
    # With more capacity per replica, never more replicas, so never a higher bill at a given volume.
    assert busy.monthly_cost(volume) <= slow.monthly_cost(volume)


@FAST
@given(st.floats(min_value=0, max_value=1e9), st.floats(min_value=1.0, max_value=1e7))
def test_replicas_are_whole_and_just_enough(volume: float, capacity: float):
    n = replicas_needed(volume, capacity)
    assert n.dtype.kind == "i"
    assert n * capacity >= volume * (1 - 1e-12)
    assert n == 0 or (n - 1) * capacity < volume


@FAST
@given(rates, rates, st.floats(min_value=0.001, max_value=2.0), st.floats(min_value=0, max_value=50_000))
def test_break_even_moves_up_when_the_success_rate_falls(p1: float, p2: float, api_cps: float, fixed: float):
    """A lower success rate of the self-hosted model means fewer solved tasks per replica."""
    low, high = sorted((p1, p2))
    worse = reference_plan(success_rate=low, fixed_monthly=fixed).break_even(np.array([api_cps]))
    better = reference_plan(success_rate=high, fixed_monthly=fixed).break_even(np.array([api_cps]))
    assert worse[0][0] >= better[0][0] * (1 - 1e-12)
    assert worse[1][0] >= better[1][0] * (1 - 1e-12)


@FAST
@given(
    st.floats(min_value=0.01, max_value=1.0),
    st.floats(min_value=0, max_value=60_000),
    st.floats(min_value=0.045, max_value=0.5),
)
def test_break_even_agrees_with_brute_force(u: float, fixed: float, api_cps: float):
    """On a grid through every replica boundary: dearer below the first break-even, never dearer
    from the second, and no dearer at the first itself."""
    plan = reference_plan(utilisation=u, fixed_monthly=fixed)
    (first,), (always,) = plan.break_even(np.array([api_cps]))
    if not np.isfinite(first):
        assert api_cps * plan.capacity <= plan.replica_monthly
        return
    top = always * 1.5 + 2 * plan.capacity
    grid = np.unique(np.concatenate([np.linspace(0, top, 20_001), np.arange(1, top / plan.capacity) * plan.capacity]))
    self_cost, api_cost = plan.monthly_cost(grid), grid * api_cps
    tol = 1e-9 * np.maximum(1.0, api_cost)
    below = grid < first * (1 - 1e-9)
    assert (self_cost[below] > api_cost[below] - tol[below]).all()
    assert plan.monthly_cost(first) <= first * api_cps * (1 + 1e-9)
    beyond = grid >= always
    assert (self_cost[beyond] <= api_cost[beyond] + tol[beyond]).all()


# --- chart ----------------------------------------------------------------------------------------


def test_step_points_draw_whole_replicas():
    plan = reference_plan()
    x, y = step_points(plan, 700_000.0)
    # Replicas start at 0, 328,500 and 657,000 tasks; 1, 2, 3 replicas = 17,600, 32,200, 46,800.
    assert x.tolist() == [0.0, 0.0, 328_500.0, 657_000.0, 700_000.0]
    assert y.tolist() == [3_000.0, 17_600.0, 32_200.0, 46_800.0, 46_800.0]


def test_monthly_cost_figure_has_a_staircase_and_api_lines():
    apis = pd.DataFrame({"model": ["cheap", "dear", "broken"], "cost_per_success": [0.04, 0.10, np.inf]})
    apis["break_even"] = reference_plan().break_even(apis["cost_per_success"].to_numpy())[0]
    fig = monthly_cost_figure(reference_plan(), "open", apis, 500_000.0)
    names = [t.name for t in fig.data]
    assert names == ["self-host open", "cheap (API)", "dear (API)", "break-even vs dear"]
    assert fig.data[0].line.shape == "hv"
    # Right edge: 1.5 x the farthest of 500,000, 328,500 and the 176,000 break-even = 750,000.
    assert fig.data[1].x.tolist() == [0.0, 750_000.0]
    assert fig.data[2].y.tolist() == pytest.approx([0.0, 75_000.0])
    assert list(fig.data[3].x) == [176_000.0]


# --- command line -----------------------------------------------------------------------------

# Neither model has a list price: their observed costs are used. open: 10,000 tokens an
# attempt, 50/100 solved, $5 in all = $0.10 per solved task; closed: $4 for 80 = $0.05.
MEASURED = """\
model,date,attempts,successes,input_tokens,output_tokens,cost_usd
acme-open-zz1,2025-10-03,100,50,800000,200000,5.0
acme-closed-zz2,2025-10-03,100,80,1000000,200000,4.0
"""

ARGS = [
    "selfhost",
    "--model",
    "acme-open-zz1",
    "--gpu",
    "H100",
    "--gpus",
    "8",
    "--gpu-hourly",
    "2",
    "--other-hourly",
    "4",
    "--throughput",
    "5000",
    "--utilisation",
    "0.5",
    "--fixed-monthly",
    "3000",
    "--volume",
    "500000",
]


@pytest.fixture
def measured(tmp_path: Path) -> list[str]:
    path = tmp_path / "runs.csv"
    path.write_text(MEASURED, encoding="utf-8")
    return ["--measurements", str(path)]


def test_cli_json_figures(measured: list[str], capsys: pytest.CaptureFixture[str]):
    assert main([*ARGS, *measured, "--format", "json"]) == 0
    rows = {r["option"]: r for r in json.loads(capsys.readouterr().out)}
    own = rows["self-host acme-open-zz1 (8 x H100 per replica)"]
    assert own["usd_per_mtok"] == pytest.approx(2.22222, abs=1e-5)
    assert own["cost_per_success"] == pytest.approx(0.0644)
    assert own["replicas"] == 2
    assert own["monthly_cost"] == 32_200.0
    assert rows["acme-open-zz1"]["cost_per_success"] == pytest.approx(0.10)
    assert rows["acme-open-zz1"]["break_even_tasks_per_month"] == pytest.approx(176_000.0)
    assert rows["acme-closed-zz2"]["break_even_tasks_per_month"] == pytest.approx(644_000.0)
    assert rows["acme-closed-zz2"]["cheaper_from_tasks_per_month"] == pytest.approx(2_980_000.0)


def test_cli_never_is_inf_in_json_and_csv(measured: list[str], capsys: pytest.CaptureFixture[str]):
    slow = [*ARGS, *measured, "--throughput", "1000", "--api", "acme-closed-zz2"]
    assert main([*slow, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    # 1,000 tokens/s: capacity 65,700 solved tasks; at $0.05 they cost $3,285 < $14,600 a replica.
    assert rows[1]["break_even_tasks_per_month"] == "inf"
    assert rows[0]["break_even_tasks_per_month"] is None
    assert main([*slow, "--format", "csv"]) == 0
    api_line = capsys.readouterr().out.splitlines()[2]
    assert api_line.startswith("acme-closed-zz2,API,0.8,")
    assert ",inf,inf," in api_line


def test_cli_table_says_it_in_words(measured: list[str], capsys: pytest.CaptureFixture[str]):
    assert main([*ARGS, *measured]) == 0
    out = capsys.readouterr().out
    assert "usd_per_mtok             $2.22" in out
    assert "at 500,000 solved tasks a month: 2 replica(s), $32,200 a month, $0.0644 per solved task" in out
    assert "costs no more than acme-closed-zz2 via its API from 644,000 solved tasks a month" in out


@pytest.mark.parametrize(
    ("flag", "value", "start"),
    [
        ("--throughput", "0", "error: throughput: input should be greater than 0"),
        ("--utilisation", "1.2", "error: utilisation: input should be less than or equal to 1"),
        ("--gpu-hourly", "-2", "error: gpu_hourly: input should be greater than or equal to 0"),
        ("--volume", "-1", "error: volume: must be a number of solved tasks a month"),
        ("--model", "nobody", "error: model 'nobody' is not in the measurements"),
        ("--api", "nobody", "error: API option 'nobody' is not a model in the measurements"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(
    measured: list[str], capsys: pytest.CaptureFixture[str], flag: str, value: str, start: str
):
    assert main([*ARGS, *measured, flag, value]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len([line for line in err if line.startswith("error:")]) == 1
    assert err[-1].startswith(start)


def test_log_scales_start_at_a_thousandth_of_the_right_edge():
    apis = pd.DataFrame({"model": ["dear"], "cost_per_success": [0.10], "break_even": [176_000.0]})
    fig = monthly_cost_figure(reference_plan(), "open", apis, 500_000.0, log=True)
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    # Right edge 750,000 (as above); the staircase and the API line start at 750, the staircase at one replica.
    assert (fig.data[0].x[0], fig.data[0].y[0]) == (750.0, 17_600.0)
    assert list(fig.data[1].x) == [750.0, 750_000.0]
    # 400 a month: right edge 1.5 x 328,500 = 492,750, a thousandth 492.75 > 400 / 2: the axis starts at 200.
    fig = monthly_cost_figure(reference_plan(), "open", apis, 400.0, log=True)
    assert fig.data[1].x[0] == 200.0
