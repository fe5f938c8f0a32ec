"""Model origins: every bundled model gets its lab's country group and open-weight status."""

from __future__ import annotations

import contextlib
import io

import pytest

from cli.common import read_frames
from inputs.model_origins import load_origins, parse_origins
from tokenomics.errors import InputError
from tokenomics.origins import match_origins


@pytest.fixture(scope="module")
def aider():
    with contextlib.redirect_stderr(io.StringIO()):
        frame = read_frames(None)
    models = frame[["label", "model"]].drop_duplicates("label")
    return models.assign(**match_origins(models["label"], models["model"], load_origins())).set_index("label")


def test_every_bundled_model_is_matched(aider):
    assert (aider["origin"] != "unknown").all()
    assert aider.groupby(["origin", "open_weights"]).size().to_dict() == {
        ("CN", False): 2,  # Qwen-Max, Yi-Lightning: API only
        ("CN", True): 15,
        ("Western", False): 45,
        ("Western", True): 5,  # gpt-oss, Gemma 3, Llama 4 Maverick, Command A, OpenHands LM
        ("Western (unconfirmed)", False): 2,  # Quasar Alpha and Optimus Alpha (OpenRouter stealth)
    }


@pytest.mark.parametrize(
    ("label", "vendor", "origin", "open_weights"),
    [
        ("gpt-oss-120b (high)", "OpenAI", "Western", True),
        ("gpt-5 (high)", "OpenAI", "Western", False),
        ("DeepSeek-V3.2-Exp (Chat)", "DeepSeek", "CN", True),
        ("Kimi K2", "Moonshot AI", "CN", True),
        ("Qwen3 32B", "Alibaba (Qwen team)", "CN", True),
        ("gemma-3-27b-it", "Google", "Western", True),
        ("Gemini 2.5 Pro Preview 05-06", "Google", "Western", False),
        ("o3 (high) + gpt-4.1", "OpenAI", "Western", False),
        ("DeepSeek R1 + claude-3-5-sonnet-20241022", "DeepSeek", "CN", True),
    ],
)
def test_specific_models(aider, label, vendor, origin, open_weights):
    row = aider.loc[label]
    assert (row["vendor"], row["origin"], bool(row["open_weights"])) == (vendor, origin, open_weights)


HEADER = "match_pattern,family,vendor,origin,open_weights,source,checked_on\n"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "kimi(,Kimi,Moonshot AI,CN,true,https://x.test,2026-11-25",
            "line 2, column 'match_pattern': Value error, not a",
        ),
        (
            "kimi,Kimi,Moonshot AI,CN,true,,2026-11-25",
            "line 2, column 'source': an open-weight family needs the source",
        ),
        ("kimi,Kimi,Moonshot AI,CN,maybe,https://x.test,2026-11-25", "line 2, column 'open_weights'"),
    ],
)
def test_bad_origin_rows_are_refused(row, message):
    with pytest.raises(InputError, match=r"model_origins\.csv, line 2") as error:
        parse_origins(HEADER + row + "\n", "model_origins.csv")
    assert message in str(error.value)
