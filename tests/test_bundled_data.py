"""The bundled Aider polyglot data: reproducible from its source, and its figures intact."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from measurements.load import AGGREGATED_SHAPE, read_measurements
from pricing.comparison import compare_measurements
from pricing.snapshot import bundled

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "aider_polyglot.csv"
SOURCE = ROOT.parent / "shared" / "data" / "aider" / "polyglot_leaderboard.yml"
CONVERTER = ROOT / "scripts" / "convert_aider.py"
# The leaderboard snapshot's date: a fixed "today" keeps the comparison reproducible.
SNAPSHOT_DAY = date(2026, 5, 22)


def load_converter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("convert_aider", CONVERTER)
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
    result = compare_measurements(measurements.frame, bundled(), today=SNAPSHOT_DAY)
    return result.summary.set_index("model")


@pytest.mark.skipif(not SOURCE.exists(), reason="the shared Aider leaderboard is not present")
def test_bundled_csv_is_what_the_converter_makes(tmp_path: Path, capsys):
    out = tmp_path / "aider_polyglot.csv"
    assert load_converter().main(["convert_aider.py", str(SOURCE), str(out)]) == 0
    assert capsys.readouterr().out == f"wrote 69 runs to {out}\n"
    assert out.read_bytes() == BUNDLED.read_bytes()


def test_converter_defaults_point_at_the_shared_source_and_the_bundled_file():
    module = load_converter()
    assert module.DEFAULT_SOURCE == SOURCE
    assert module.DEFAULT_OUT == BUNDLED


def test_converter_copies_figures_and_blanks_unrecorded_cost():
    entry = {
        "model": "some model",
        "command": "aider --model openrouter/vendor/some-model --edit-format diff",
        "dirname": "2025-01-01-00-00-00--run",
        "date": date(2025, 1, 1),
        "test_cases": 225,
        "pass_num_2": 100,
        "total_cost": 0,
        "seconds_per_case": 12.5,
    }
    (row,) = load_converter().convert([entry])
    assert row == {
        "dataset": "aider-polyglot",
        "label": "some model",
        "model": "openrouter/vendor/some-model",
        "editor_model": "",
        "run": "2025-01-01-00-00-00--run",
        "date": "2025-01-01",
        "attempts": 225,
        "successes": 100,
        "input_tokens": "",
        "output_tokens": "",
        "cost_usd": "",
        "latency_s": 2812.5,
        "token_note": "",
    }


def test_converter_notes_token_counts_far_from_the_median_and_architect_tokens():
    """Input tokens per exercise: 1,000, 10,000, 12,000 and 50,000 over 10 exercises each; the median of
    the four is 11,000, so 1,000 (0.09x) and 50,000 (4.55x) are outside a factor of 4 either way. An
    architect/editor run's tokens are the architect's only."""
    base = {"command": "aider --model m", "dirname": "d", "date": "2025-06-01", "test_cases": 10, "pass_num_2": 5}
    runs = [
        {**base, "model": "partial", "prompt_tokens": 10_000, "completion_tokens": 1},
        {**base, "model": "plain", "prompt_tokens": 100_000, "completion_tokens": 1},
        {**base, "model": "pair", "prompt_tokens": 120_000, "completion_tokens": 1, "editor_model": "gpt-4.1"},
        {**base, "model": "huge", "prompt_tokens": 500_000, "completion_tokens": 1},
        {**base, "model": "no tokens"},
    ]
    notes = {r["label"]: r["token_note"] for r in load_converter().convert(runs)}
    assert notes == {
        "partial": "1,000 input tokens per exercise, 0.09x the median of the runs with tokens (11,000): "
        "the count covers only part of the run",
        "plain": "",
        "pair": "tokens of the architect model only (Aider logs the main coder's); the cost covers both models",
        "huge": "50,000 input tokens per exercise, 4.55x the median of the runs with tokens (11,000): "
        "the count looks inflated",
        "no tokens": "",
    }


def test_bundled_runs_with_implausible_tokens_and_pairs(measurements):
    """Qwen3 32B's tokens cover part of its run; the three architect/editor runs carry both models."""
    f = measurements.frame.set_index("label")
    assert f["token_note"].dropna().index.tolist() == ["Qwen3 32B", "o3 (high) + gpt-4.1"]
    assert f["editor_model"].dropna().to_dict() == {
        "DeepSeek R1 + claude-3-5-sonnet-20241022": "claude-3-5-sonnet-20241022",
        "QwQ-32B + Qwen 2.5 Coder Instruct": "fireworks_ai/accounts/fireworks/models/qwen2p5-coder-32b-instruct",
        "o3 (high) + gpt-4.1": "gpt-4.1",
    }
    assert set(f["dataset"]) == {"aider-polyglot"}


def test_converter_dates_labels_shared_by_two_runs():
    base = {"command": "aider --model m", "dirname": "d", "test_cases": 225, "pass_num_2": 1}
    rows = load_converter().convert(
        [{**base, "model": "same", "date": "2025-01-01"}, {**base, "model": "same", "date": "2025-02-01"}]
    )
    assert [r["label"] for r in rows] == ["same (2025-01-01)", "same (2025-02-01)"]


def test_sixty_nine_runs_of_225_exercises_mostly(measurements):
    f = measurements.frame
    assert measurements.shape == AGGREGATED_SHAPE
    assert measurements.notes == []
    assert len(f) == 69
    assert f["label"].is_unique
    assert f["attempts"].value_counts().to_dict() == {225: 63, 224: 5, 223: 1}
    assert (f["successes"] <= f["attempts"]).all()
    assert (f["successes"] > 0).all()


def test_token_counts_from_2025_05_08_on(measurements):
    f = measurements.frame
    with_tokens = f[f["input_tokens"].notna()]
    assert len(with_tokens) == 23
    assert with_tokens["output_tokens"].notna().all()
    assert with_tokens["timestamp"].min() == pd.Timestamp("2025-05-08", tz="UTC")
    assert f.loc[f["input_tokens"].isna(), "timestamp"].max() < pd.Timestamp("2025-05-08", tz="UTC")


def test_unrecorded_cost_is_empty_not_zero(measurements):
    f = measurements.frame
    assert not (f["cost_usd"] == 0).any()
    assert f["cost_usd"].isna().sum() == 18
    # The one run with tokens but no published cost.
    qwen = f[f["label"] == "Qwen3 235B A22B diff, no think, Alibaba API"].iloc[0]
    assert np.isnan(qwen["cost_usd"])
    assert qwen["input_tokens"] == 2816192


def test_o3_pro_row(measurements):
    f = measurements.frame
    row = f[f["label"] == "o3-pro (high)"]
    assert len(row) == 1
    r = row.iloc[0]
    assert r["model"] == "o3-pro"
    assert r["run"] == "2025-06-28-00-38-18--o3-pro-high"
    assert r["timestamp"] == pd.Timestamp("2025-06-28", tz="UTC")
    assert (r["attempts"], r["successes"]) == (225, 191)
    assert r["input_tokens"] == 2372636
    assert r["output_tokens"] == 1235902
    assert r["cost_usd"] == 146.3249
    assert r["latency_s"] == 101025.0


def test_o3_pro_repriced_at_its_date_matches_the_published_cost(summary):
    o3 = summary.loc["o3-pro (high)"]
    # 2.372636 x $20 + 1.235902 x $80 = $146.32 (the published 146.3249).
    assert o3["cost_basis"] == "priced"
    assert o3["price_source"].endswith("openai/o3-pro")
    assert round(o3["cost_input"], 5) == 47.45272
    assert round(o3["cost_output"], 5) == 98.87216
    assert round(o3["total_cost"], 2) == 146.32
    assert abs(o3["total_cost"] - o3["observed_cost"]) < 0.005
    assert round(o3["cost_per_success"], 4) == 0.7661


def test_runs_without_tokens_use_the_published_cost_and_without_either_are_unpriced(summary):
    mini = summary.loc["gpt-4o-mini-2024-07-18"]
    assert mini["cost_basis"] == "observed"
    assert mini["total_cost"] == 0.3236
    gemini = summary.loc["Gemini 2.0 Pro exp-02-05"]
    assert gemini["cost_basis"] == "unpriced"
    assert np.isnan(gemini["total_cost"])
    assert np.isnan(gemini["cost_per_success"])
