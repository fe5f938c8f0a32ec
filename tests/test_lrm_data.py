"""The bundled LRM Token Economy data: reproducible from its source, counts intact, priced as documented."""

from __future__ import annotations

import contextlib
import importlib.util
import io
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from measurements.load import PER_ATTEMPT_SHAPE, read_measurements
from pricing.book import default_sources
from pricing.comparison import compare_measurements

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "lrm_token_economy.csv"
SOURCE = ROOT.parent / "shared" / "data" / "lrm_token_economy"
CONVERTER = ROOT / "scripts" / "convert_lrm.py"

# (model, attempts, successes) counted straight from the source's evaluation_stats.csv: rows per
# model_name and rows with success_rate == 1 (/work/research/datasets/lrm_counts.csv, checked there
# by a second, pandas-free count).
COUNTS = [
    ("DeepHermes-3-Mistral-24B-Pre", 95, 79),
    ("claude-3-7-sonnet-20250219", 95, 81),
    ("claude-4-sonnet-0522-thinking", 95, 88),
    ("claude-opus-4", 95, 90),
    ("deepseek-r1", 95, 86),
    ("deepseek-r1-0528", 92, 92),
    ("deepseek-r1-distill-qwen-7b", 95, 74),
    ("gemini-2.5-flash-high", 95, 87),
    ("gemini-2.5-pro", 95, 88),
    ("glm-4.5", 95, 90),
    ("glm-z1-32b", 95, 92),
    ("grok-3-mini-think", 95, 91),
    ("grok-4-07-09", 94, 85),
    ("llama-3.3-nemotron-super-49b-v1", 95, 82),
    ("magistral-medium-2506-thinking", 92, 88),
    ("magistral-small-2506", 100, 95),
    ("minimax-m1", 92, 87),
    ("o1-mini", 95, 85),
    ("o3-mini-high", 95, 91),
    ("o4-mini-high-long", 95, 93),
    ("qwen3-235b-a22b-think", 95, 89),
    ("qwen3-235b-a22b-thinking-2507", 93, 87),
    ("qwen3-30b-a3b-think", 95, 88),
]

# (model, price layer, input, output USD per million, the price's period) as data/README.md explains:
# the lab's own list price on the run day where it sold the model, else the lowest OpenRouter endpoint
# price in the study's own scans (dated by their commits), else unpriced.
PRICES = [
    ("o4-mini-high-long", "correction", 1.10, 4.40, "2025-04-16 to 2025-07-04"),
    ("gemini-2.5-pro", "correction", 1.25, 10.0, "2025-06-05 to 2025-07-06"),
    ("claude-4-sonnet-0522-thinking", "genai-prices", 3.0, 15.0, "from 2025-06-21"),
    ("gemini-2.5-flash-high", "correction", 0.30, 2.50, "2025-06-17 to 2025-07-06"),
    ("grok-3-mini-think", "genai-prices", 0.30, 0.50, "from 2025-06-22"),
    ("magistral-medium-2506-thinking", "correction", 2.0, 5.0, "2025-06-10 to 2025-08-12"),
    ("qwen3-235b-a22b-think", "correction", 0.13, 0.60, "2025-07-05 to 2025-08-06"),
    ("qwen3-30b-a3b-think", "correction", 0.08, 0.29, "2025-07-05 to 2025-08-05"),
    ("glm-z1-32b", "correction", 0.03, 0.03, "2025-07-26 to 2025-07-29"),
    ("deepseek-r1-0528", "correction", 0.55, 2.19, "2025-02-26T16:30Z to 2025-09-05T16:00Z"),
    ("deepseek-r1", "correction", 0.45, 2.15, "2025-07-05 to 2025-07-26"),
    ("magistral-small-2506", "correction", 0.50, 1.50, "2025-06-10 to 2025-08-12"),
    ("claude-3-7-sonnet-20250219", "genai-prices", 3.0, 15.0, "from 2025-06-21"),
    ("deepseek-r1-distill-qwen-7b", "correction", 0.10, 0.20, "2025-07-06 to 2025-08-06"),
    ("minimax-m1", "correction", 0.30, 1.65, "2025-07-26 to 2025-08-06"),
    ("grok-4-07-09", "correction", 3.0, 15.0, "2025-07-10 to 2025-07-12"),
    ("o3-mini-high", "genai-prices", 1.10, 4.40, "from 2025-07-04"),
    ("o1-mini", "genai-prices", 1.10, 4.40, "from 2025-07-04"),
    ("claude-opus-4", "genai-prices", 15.0, 75.0, "from 2025-06-21"),
    ("llama-3.3-nemotron-super-49b-v1", "correction", 0.13, 0.40, "2025-07-27 to 2025-08-06"),
    ("glm-4.5", "correction", 0.60, 2.20, "2025-07-28 to 2026-10-29"),
]
# A price recorded only after the run day: priced at the earliest recorded price, flagged and noted.
EARLIEST = {
    "qwen3-235b-a22b-think",
    "qwen3-30b-a3b-think",
    "glm-z1-32b",
    "deepseek-r1",
    "deepseek-r1-distill-qwen-7b",
    "minimax-m1",
}
UNPRICED = {"DeepHermes-3-Mistral-24B-Pre", "qwen3-235b-a22b-thinking-2507"}


def load_converter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("convert_lrm", CONVERTER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def measurements():
    return read_measurements(BUNDLED)


@pytest.fixture(scope="module")
def summary(measurements) -> pd.DataFrame:
    with contextlib.redirect_stderr(io.StringIO()):
        result = compare_measurements(measurements.frame, default_sources())
    return result.summary.set_index("model")


@pytest.mark.skipif(not SOURCE.exists(), reason="the shared LRM Token Economy data is not present")
def test_bundled_csv_is_what_the_converter_makes(tmp_path: Path, capsys):
    out = tmp_path / "lrm.csv"
    assert load_converter().main(["convert_lrm.py", str(SOURCE), str(out)]) == 0
    assert capsys.readouterr().out == f"wrote 2178 attempts of 23 models to {out}\n"
    assert out.read_bytes() == BUNDLED.read_bytes()


def test_converter_defaults_point_at_the_shared_source_and_the_bundled_file():
    module = load_converter()
    assert module.DEFAULT_SOURCE == SOURCE
    assert module.DEFAULT_OUT == BUNDLED


def test_the_licence_travels_with_the_data():
    assert (
        (ROOT / "data" / "lrm_token_economy" / "LICENSE")
        .read_text()
        .startswith("                                 Apache")
    )


@pytest.mark.parametrize(("model", "attempts", "successes"), COUNTS, ids=[c[0] for c in COUNTS])
def test_attempts_and_successes_per_model_are_the_sources(measurements, model, attempts, successes):
    rows = measurements.frame[measurements.frame["label"] == model]
    assert (len(rows), int(rows["successes"].sum())) == (attempts, successes)


def test_shape_and_totals(measurements):
    f = measurements.frame
    assert measurements.shape == PER_ATTEMPT_SHAPE
    assert measurements.notes == []
    assert (len(f), int(f["successes"].sum()), f["label"].nunique(), f["task_id"].nunique()) == (2178, 2008, 23, 19)
    assert set(f["dataset"]) == {"lrm-token-economy"}


def test_output_tokens_are_the_billed_completions(measurements):
    """Sums of tokens_completion in the source: deepseek-r1-0528 465,495; magistral-small 988,846; o1-mini 106,296."""
    totals = measurements.frame.groupby("label")["output_tokens"].sum()
    assert totals[["deepseek-r1-0528", "magistral-small-2506", "o1-mini"]].tolist() == [465_495, 988_846, 106_296]


def test_reasoning_counts_only_where_usable(measurements):
    f = measurements.frame
    has = f["reasoning_tokens"].notna().groupby(f["label"]).sum()
    # Never reported usably: MiniMax-M1 (reasoning above completion on every row), DeepHermes (none), Nemotron (0).
    assert has[["minimax-m1", "DeepHermes-3-Mistral-24B-Pre", "llama-3.3-nemotron-super-49b-v1"]].tolist() == [0, 0, 0]
    # Rows whose reported reasoning exceeds the completion (negative tokens_output in the source) are left
    # empty: 13 of deepseek-r1's 95, 7 of glm-4.5's 95; the closed models keep all theirs.
    assert has[["deepseek-r1", "glm-4.5", "o4-mini-high-long", "claude-opus-4"]].tolist() == [82, 88, 95, 95]
    assert (f["reasoning_tokens"].dropna() <= f.loc[f["reasoning_tokens"].notna(), "output_tokens"]).all()


def test_prompt_tokens_are_estimated_from_the_sent_text(measurements):
    """ceil(chars / 4) of "Please answer the following question: " + prompt + "\\nAnswer:": one_plus_one 62 chars -> 16;
    Qwen3 adds "/think" (6 chars -> 2), Magistral Small its 1,035-character system prompt (259)."""
    f = measurements.frame.set_index(["label", "task_id", "attempt"])
    assert f.loc[("o4-mini-high-long", "one_plus_one", 1), "input_tokens"] == 16
    assert f.loc[("qwen3-235b-a22b-think", "one_plus_one", 1), "input_tokens"] == 18
    assert f.loc[("magistral-small-2506", "one_plus_one", 1), "input_tokens"] == 275
    assert f.loc[("o4-mini-high-long", "Ice cream parlor", 1), "input_tokens"] == 141


@pytest.mark.parametrize(("model", "layer", "input_mtok", "output_mtok", "period"), PRICES, ids=[p[0] for p in PRICES])
def test_each_model_is_priced_as_documented(summary, model, layer, input_mtok, output_mtok, period):
    row = summary.loc[model]
    assert row["price_layer"] == layer
    assert (row["unit_input_mtok"], row["unit_output_mtok"]) == pytest.approx((input_mtok, output_mtok))
    assert row["price_as_of"] == period
    if model in EARLIEST:
        assert row["price_note"].startswith("earliest recorded price (recorded from ")
        assert row["repricing_flag"] == "price date outside the recorded price history"
    else:
        assert row["repricing_flag"] == ""


def test_models_without_a_dated_price_are_unpriced_never_free(summary):
    for model in UNPRICED:
        assert summary.loc[model, "cost_basis"] == "unpriced"
        assert np.isnan(summary.loc[model, "cost_per_success"])


def test_glm_4_5_cost_by_hand(summary):
    """95 attempts of 19 prompts x 5: input 5 x 1,211 = 6,055 tokens (the sum of ceil(chars/4) of the 19 sent
    messages is 1,211), output 477,711. At Z.ai's $0.60/$2.20: 0.003633 + 1.050964 = $1.054597; 90 solved."""
    row = summary.loc["glm-4.5"]
    assert row["total_cost"] == pytest.approx(1.0545972, abs=1e-7)
    assert row["cost_per_success"] == pytest.approx(1.0545972 / 90, abs=1e-9)
    assert row["cps_interval"] == "bootstrap over 19 tasks"
