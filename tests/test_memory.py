"""The self-host memory check: weights plus KV cache against the replica's GPUs, with the bundled parameter table."""

from __future__ import annotations

import pandas as pd
import pytest

from inputs.model_params import load_params, parse_params
from tokenomics.errors import InputError
from tokenomics.memory import memory_check, params_for


def test_a_trillion_parameter_model_is_refused_on_four_80_gb_gpus_at_fp8() -> None:
    # Kimi K2: 1,000B parameters x 1 byte = 1e12 B = 931.3 GiB; 4 x 80 GiB x 0.9 = 288 GiB usable.
    check = memory_check("Kimi K2", 1000, "FP8", 70_272, 32_768, 8, 80, 4)
    assert not check.fits
    assert check.usable_gib == 288.0
    assert check.weights_gib == pytest.approx(931.32, abs=0.01)
    assert check.kv_gib == pytest.approx(17.16, abs=0.01)  # 70,272 x 32,768 x 8 / 2^30
    assert check.reason.startswith(
        "Kimi K2 does not fit on 4 x 80 GiB: its weights alone take 931 GiB at FP8 (1,000B parameters x 1 byte), "
        "3.2 times the 288 GiB usable (90% of 320 GiB)"
    )
    assert "Use more or larger GPUs per replica" in check.reason


def test_the_kv_cache_can_be_what_does_not_fit() -> None:
    # Qwen3-32B at FP8 on one 80 GiB GPU: weights 32e9 B = 29.8 GiB. KV in BF16: 262,144 B x 32,768 x 8 = 64 GiB,
    # 93.8 GiB in all > 72 GiB usable. Four sequences: 32 GiB of cache, 61.8 GiB, fits; an FP8 cache halves it.
    eight = memory_check("Qwen3-32B", 32, "FP8", 262_144, 32_768, 8, 80, 1)
    assert not eight.fits
    assert "Serve fewer sequences at once or a shorter context" in eight.reason
    assert eight.reason.startswith("Qwen3-32B does not fit on 1 x 80 GiB: its weights take 30 GiB at FP8 and the KV")
    four = memory_check("Qwen3-32B", 32, "FP8", 262_144, 32_768, 4, 80, 1)
    assert four.fits and four.reason == "" and four.need_gib == pytest.approx(61.80, abs=0.01)
    assert memory_check("Qwen3-32B", 32, "FP8", 262_144, 32_768, 8, 80, 1, kv_precision="FP8").fits


def test_an_unknown_kv_size_is_said_not_guessed() -> None:
    check = memory_check("Nemotron 49B", 49, "BF16", None, 32_768, 8, 80, 1)
    assert not check.kv_known and check.kv_gib == 0.0
    assert "unknown size (not counted)" in check.summary()


def test_the_bundled_table_names_the_open_weight_models_of_the_bundled_data() -> None:
    table = load_params()
    assert table["source"].str.len().gt(10).all()
    labels = pd.Series(
        [
            "Kimi K2",
            "DeepSeek-V3.2-Exp (Chat)",
            "DeepSeek R1 (0528)",
            "DeepSeek V3 (0324)",
            "Qwen3 235B A22B diff, no think, Alibaba API",
            "Qwen3 32B",
            "gpt-oss-120b (high)",
            "DeepSeek Chat V2.5",
        ]
    )
    ids = pd.Series(["openrouter/moonshotai/kimi-k2", *["deepseek/deepseek-chat"] * 7])
    found = params_for(labels, ids, table)
    assert found["total_params_b"].fillna(-1).tolist() == [1000.0, 671.0, 671.0, 671.0, 235.0, 32.0, 116.8, -1]
    assert found["model"].iloc[1] == "DeepSeek-V3.2-Exp"
    assert found["kv_bytes_per_token_bf16"].iloc[0] == 70_272


def test_a_bad_parameter_row_is_refused() -> None:
    head = "match_pattern,model,total_params_b,source,checked_on\n"
    with pytest.raises(InputError, match="line 2, column 'total_params_b': input should be greater than 0"):
        parse_params(head + "x,X,0,src,2026-11-25\n", "p.csv")
    with pytest.raises(InputError, match="not a regular expression"):
        parse_params(head + "x(,X,3,src,2026-11-25\n", "p.csv")
