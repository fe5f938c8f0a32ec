"""Findings: Chinese open-weight models against Western references, per token and per solved task."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd
import pytest
from strategies import measurement_rows, price_table

from cli.main import main
from inputs.bundled import data_file
from measurements.load import read_measurements
from pricing.book import default_sources
from pricing.findings import dataset_findings
from tokenomics.compare import CompareOptions, summarise, task_totals
from tokenomics.findings import CHEAPEST, CLOSEST, findings, paired_bootstrap, verdict


def run(frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    with contextlib.redirect_stderr(io.StringIO()):
        return dataset_findings(frame, default_sources(), **kwargs).findings


@pytest.fixture(scope="module")
def aider() -> pd.DataFrame:
    return run(read_measurements(data_file("aider_polyglot.csv")).frame).set_index(["model", "reference"])


@pytest.fixture(scope="module")
def lrm() -> pd.DataFrame:
    return run(read_measurements(data_file("lrm_token_economy.csv")).frame).set_index(["model", "reference"])


def test_aider_deepseek_v32_chat_against_gpt5_low_by_hand(aider):
    """DeepSeek-V3.2-Exp (Chat), 158/225 solved, published $0.8756 (= its tokens at $0.28/$0.42).
    gpt-5 (low), 183/225, 2,534,059 in / 779,568 out at $1.25/$10: 3.16757 + 7.79568 = $10.96325.

    per solved task: (10.96325 / 183) / (0.8756 / 158) = 0.0599085 / 0.0055418 = 10.810
    per token, on gpt-5 (low)'s mix: 10.96325 / (2,534,059 x 0.28 + 779,568 x 0.42)/1e6 = 10.96325 / 1.036955 = 10.573
    output tokens: 573,477 / 779,568 = 0.7356
    interval (aggregated: success rates only): sqrt(1/158 - 1/225 + 1/183 - 1/225) = 0.053896,
    exp(1.96 x 0.053896) = 1.11142: 10.810 / 1.11142 = 9.727 to 10.810 x 1.11142 = 12.015.
    """
    row = aider.loc[("DeepSeek-V3.2-Exp (Chat)", "gpt-5 (low)")]
    assert row["reference_basis"] == CHEAPEST
    assert (row["origin"], row["open_weights"]) == ("CN", True)
    assert row["success_rate"] == pytest.approx(158 / 225)
    assert row["reference_success_rate"] == pytest.approx(183 / 225)
    assert row["per_success_discount"] == pytest.approx(10.810, abs=0.001)
    assert row["per_token_discount"] == pytest.approx(10.573, abs=0.001)
    assert row["output_tokens_ratio"] == pytest.approx(0.7356, abs=0.0001)
    assert (row["per_success_low"], row["per_success_high"]) == pytest.approx((9.727, 12.015), abs=0.001)
    assert row["interval_method"].startswith("from the two success-rate intervals only")
    assert row["verdict"] == "survives"
    assert row["sentence"] == (
        "DeepSeek-V3.2-Exp (Chat) is 10.6x cheaper per token than gpt-5 (low) and 10.8x cheaper per solved task "
        "(95% interval: 9.7x-12.0x cheaper), with 0.7x its output tokens: the discount survives."
    )


def test_lrm_glm45_against_o4_mini_by_hand(lrm):
    """GLM-4.5: 90/95 solved; 6,055 input tokens (5 x 1,211, estimated) and 477,711 output at $0.60/$2.20:
    $1.0545972, $0.0117177 per solved task. o4-mini-high-long: 93/95; 6,055 in and 203,668 out at $1.10/$4.40:
    0.0066605 + 0.8961392 = $0.9027997, $0.0097075 per solved task.

    per solved task: 0.0097075 / 0.0117177 = 0.8284 (dearer: the discount reverses)
    per token, on o4-mini's mix: 0.9027997 / (0.003633 + 0.4480696) = 0.9027997 / 0.4517026 = 1.9987
    output tokens: 477,711 / 203,668 = 2.3456
    """
    row = lrm.loc[("glm-4.5", "o4-mini-high-long")]
    assert row["reference_basis"] == CHEAPEST
    assert row["per_success_discount"] == pytest.approx(0.8284, abs=0.0001)
    assert row["per_token_discount"] == pytest.approx(1.9987, abs=0.0001)
    assert row["output_tokens_ratio"] == pytest.approx(2.3456, abs=0.0001)
    assert row["verdict"] == "reverses"
    assert row["interval_method"] == "paired bootstrap over 19 shared tasks"
    assert row["per_success_low"] < row["per_success_discount"] < row["per_success_high"]
    assert row["sentence"].endswith("the discount reverses (the interval includes parity).")


def test_default_references_are_the_closest_western_and_the_cheapest_western_on_the_frontier(lrm):
    """GLM-4.5 and Claude Opus 4 both solved 90/95; o4-mini-high-long is the cheapest Western model that no
    model beats on both success and cost per solved task."""
    refs = lrm.reset_index().groupby("model")["reference"].apply(list)
    assert refs["glm-4.5"] == ["claude-opus-4", "o4-mini-high-long"]
    assert lrm.loc[("glm-4.5", "claude-opus-4"), "reference_basis"] == CLOSEST
    assert set(lrm.reset_index()["model"]) == {
        "qwen3-235b-a22b-think",
        "qwen3-30b-a3b-think",
        "glm-z1-32b",
        "deepseek-r1-0528",
        "deepseek-r1",
        "glm-4.5",
        "minimax-m1",
        "qwen3-235b-a22b-thinking-2507",
        "deepseek-r1-distill-qwen-7b",
    }


def test_no_run_that_failed_the_plausibility_check_is_a_reference(aider):
    references = set(aider.reset_index()["reference"])
    assert not references & {"o3 (high) + gpt-4.1", "gemini-2.5-flash-preview-05-20 (24k think)", "Qwen3 32B"}


def test_mixed_pairs_are_not_chinese_models_and_unpriced_models_say_so(aider):
    models = set(aider.reset_index()["model"])
    assert "DeepSeek R1 + claude-3-5-sonnet-20241022" not in models  # a CN architect with a Western editor
    row = aider.loc[("QwQ-32B", "gpt-5 (low)")]
    assert row["verdict"] == "unknown"
    assert row["sentence"] == (
        "QwQ-32B cannot be compared with gpt-5 (low) per solved task: it has neither a price nor a published cost."
    )


def test_a_run_without_a_price_of_its_date_gets_the_per_solved_task_figure_only(aider):
    """Kimi K2 ran through OpenRouter on 2025-07-17; no dated copy of that day's price exists."""
    row = aider.loc[("Kimi K2", "gpt-5 (low)")]
    assert np.isnan(row["per_token_discount"])
    assert row["verdict"] == "per task only"
    assert row["per_success_discount"] == pytest.approx((10.96325 / 183) / (1.2357 / 133), abs=0.001)


def test_chosen_reference(lrm):
    frame = read_measurements(data_file("lrm_token_economy.csv")).frame
    out = run(frame, references=["claude-opus-4"])
    assert set(out["reference"]) == {"claude-opus-4"}
    assert set(out["reference_basis"]) == {"chosen"}
    # The same pair as in the defaults gives the same figures.
    mine = out.set_index("model").loc["glm-4.5"]
    assert mine["per_success_discount"] == pytest.approx(lrm.loc[("glm-4.5", "claude-opus-4"), "per_success_discount"])


def test_haircut_scales_success_and_the_per_solved_task_discount():
    """Neither name is in the AIME table ("o4-mini-high-long" is not "o4-mini (high)"): GLM-4.5 gets the CN
    group mean (21.0%), o4-mini the Western one (10.4%): D_s x (1 - 0.210) / (1 - 0.104); the per-token
    discount does not move."""
    frame = read_measurements(data_file("lrm_token_economy.csv")).frame
    plain = run(frame).set_index(["model", "reference"]).loc[("glm-4.5", "o4-mini-high-long")]
    cut = run(frame, haircut=True).set_index(["model", "reference"]).loc[("glm-4.5", "o4-mini-high-long")]
    (h, h_ref) = (cut["haircut"], cut["reference_haircut"])
    assert (round(h, 3), round(h_ref, 3)) == (0.21, 0.104)
    assert cut["success_rate"] == pytest.approx(90 / 95 * (1 - h))
    assert cut["per_success_discount"] == pytest.approx(plain["per_success_discount"] * (1 - h) / (1 - h_ref))
    assert cut["per_success_low"] == pytest.approx(plain["per_success_low"] * (1 - h) / (1 - h_ref))
    assert cut["per_token_discount"] == pytest.approx(plain["per_token_discount"])


def test_paired_bootstrap_by_hand():
    """Every task costs the model $1 per success and the reference $4: every resample gives D_s = 4."""
    tasks = pd.DataFrame(
        {
            "label": ["m"] * 3 + ["r"] * 3,
            "task_id": ["a", "b", "c"] * 2,
            "cost": [1.0, 2.0, 3.0, 4.0, 8.0, 12.0],
            "successes": [1, 2, 3, 1, 2, 3],
        }
    )
    assert paired_bootstrap(tasks, "m", "r", resamples=200) == (4.0, 4.0, 3)


def test_verdicts_at_their_boundaries():
    """Survives from 90% of the per-token discount; shrinks down to parity; reverses below it."""
    got = verdict(np.array([5.0, 5.0, 5.0, 5.0]), np.array([4.5, 4.49, 1.0, 0.99]))
    assert got.tolist() == ["survives", "shrinks", "shrinks", "reverses"]


def test_findings_of_a_small_per_attempt_file():
    """Two models on two tasks: cn-model (CN, open) against west-model, both priced at hand-made prices."""
    rows = measurement_rows(
        [
            {
                "model": "deepseek-x",
                "task_id": "t1",
                "successes": 1,
                "input_tokens": 1000,
                "output_tokens": 4000,
                "price_id": 0,
            },
            {
                "model": "deepseek-x",
                "task_id": "t2",
                "successes": 0,
                "input_tokens": 1000,
                "output_tokens": 4000,
                "price_id": 0,
            },
            {
                "model": "gpt-x",
                "task_id": "t1",
                "successes": 1,
                "input_tokens": 1000,
                "output_tokens": 1000,
                "price_id": 1,
            },
            {
                "model": "gpt-x",
                "task_id": "t2",
                "successes": 1,
                "input_tokens": 1000,
                "output_tokens": 1000,
                "price_id": 1,
            },
        ]
    )
    table = price_table([{"input_mtok": 0.5, "output_mtok": 2.0}, {"input_mtok": 2.0, "output_mtok": 8.0}])
    summary = summarise(rows, table, CompareOptions())
    origins = pd.DataFrame({"origin": ["CN", "Western"], "open_weights": [True, False]}, index=["deepseek-x", "gpt-x"])
    out = findings(summary, origins, tasks=task_totals(rows, table)).iloc[0]
    # gpt-x: 2 x (2,000 x 1e-6 ... ) = 2 x (0.002 + 0.008) = $0.02 for 2 successes: $0.01 each.
    # deepseek-x: 2 x (0.0005 + 0.008) = $0.017 for 1 success. D_s = 0.01 / 0.017 = 0.588.
    # Per token on gpt-x's mix (1,000 in, 1,000 out): 0.01 / (0.0005 + 0.002) = 4.0.
    assert (out["reference"], out["reference_basis"]) == ("gpt-x", CLOSEST)
    assert out["per_success_discount"] == pytest.approx(0.01 / 0.017)
    assert out["per_token_discount"] == pytest.approx(4.0)
    assert out["output_tokens_ratio"] == pytest.approx(4.0)
    assert out["verdict"] == "reverses"


def test_findings_command_csv_has_the_documented_columns(capsys):
    assert main(["findings", "--dataset", "lrm-token-economy", "--format", "csv", "--resamples", "200"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header[:13] == [
        "dataset",
        "model",
        "origin",
        "open_weights",
        "reference",
        "reference_basis",
        "success_rate",
        "success_low",
        "success_high",
        "reference_success_rate",
        "reference_success_low",
        "reference_success_high",
        "output_tokens_ratio",
    ]
    for column in ("per_token_discount", "per_success_discount", "per_success_low", "per_success_high", "verdict"):
        assert column in header


def test_findings_command_reference_and_errors(capsys):
    assert (
        main(["findings", "--dataset", "lrm-token-economy", "--reference", "claude-opus-4", "--resamples", "200"]) == 0
    )
    out = capsys.readouterr().out
    assert "claude-opus-4" in out and "o4-mini-high-long" not in out.split("\n\n")[0]
    assert main(["findings", "--reference", "no-such-model"]) == 2
    assert "reference 'no-such-model' is not a model" in capsys.readouterr().err
    assert main(["findings", "--dataset", "nope"]) == 2
    assert "unknown dataset 'nope'" in capsys.readouterr().err
