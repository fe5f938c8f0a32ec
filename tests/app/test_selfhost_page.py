"""AppTest of the Self-host page (widgets by key), and the time columns it brought to the Compare page.

The default model is DeepSeek-V3.2-Exp (Chat) on the bundled Aider data: (2,266,868 + 573,477)
/ 225 = 12,624 tokens per attempt, 158/225 = 70.2% solved. The default preset is DeepSeek's
own deployment unit: 176 H800 at $2/h = $352/h, 871,412 tokens/s, utilisation 100%.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rendered import plain
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TCO_EXAMPLE = "TCO calculator example: 1 GPU, $2/h, 2,000 tok/s"


@pytest.fixture
def page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at.switch_page("app_pages/selfhost.py").run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_defaults_show_figures_and_break_evens_in_words(page: AppTest) -> None:
    no_errors(page)
    assert page.title[0].value == "Self-host or API, per solved task"
    shown = metrics(page)
    assert shown["Self-host $/M tokens"] == "$0.112"  # 352 / (871,412 x 3,600) x 1e6
    assert shown["Replicas"] == "1"
    assert shown["Monthly cost"] == "$256,960"  # 352 x 730
    words = " ".join(m.value for m in page.markdown)
    # gpt-5 (medium): (2,827,261 x $1.25 + 1,468,799 x $10) / 1e6 = $18.222 for 195 solved = $0.093446;
    # 256,960 / 0.093446 = 2,749,809 solved tasks a month.
    assert "costs no more than gpt-5 (medium) via its API from 2,749,809 solved tasks a month" in words
    table = page.dataframe[0].value
    assert table["kind"].tolist() == ["self-host", "API", "API", "API"]


def test_preset_fills_inputs_and_utilisation_moves_the_answer(page: AppTest) -> None:
    page.selectbox(key="sh_preset").set_value(TCO_EXAMPLE).run()
    no_errors(page)
    assert page.number_input(key="sh_throughput").value == 2000.0
    assert metrics(page)["Self-host $/M tokens"] == "$0.278"  # 2 / (2,000 x 3,600) x 1e6
    page.slider(key="sh_utilisation").set_value(20).run()
    assert metrics(page)["Self-host $/M tokens"] == "$1.39"  # 0.2778 / 0.2
    # Edited figures stay: a preset is only a starting point.
    page.number_input(key="sh_gpu_hourly").set_value(4.0).run()
    assert metrics(page)["Self-host $/M tokens"] == "$2.78"


def test_volume_above_capacity_adds_replicas(page: AppTest) -> None:
    page.selectbox(key="sh_preset").set_value(TCO_EXAMPLE).run()
    # Capacity: 2,000 x 3,600 x 730 / 12,623.76 x 158/225 = 292,376 solved tasks a replica.
    assert "a replica serves 292,376 solved tasks a month" in " ".join(c.value for c in page.caption)
    page.number_input(key="sh_volume").set_value(600_000.0).run()
    no_errors(page)
    assert metrics(page)["Replicas"] == "3"
    assert metrics(page)["Monthly cost"] == "$4,380"  # 3 x 2 x 730


def test_zero_throughput_is_an_error_naming_the_field(page: AppTest) -> None:
    page.number_input(key="sh_throughput").set_value(0.0).run()
    no_errors(page)
    assert "throughput: input should be greater than 0" in plain(page.error[0].value)
    assert not page.metric


def test_owned_hardware_replaces_the_gpu_hour_price(page: AppTest) -> None:
    page.selectbox(key="sh_preset").set_value(TCO_EXAMPLE).run()
    page.toggle(key="sh_owned").set_value(True).run()
    no_errors(page)
    # 25,000 / (36 x 730) + 0.7 kW x $0.15 = $1.0563/h; / (2,000 x 3,600) x 1e6 = $0.1467 per million.
    assert metrics(page)["Self-host $/M tokens"] == "$0.147"


def test_other_model_and_api_options(page: AppTest) -> None:
    page.selectbox(key="sh_model").set_value("Kimi K2").run()
    page.multiselect(key="sh_apis").set_value(["o3"]).run()
    no_errors(page)
    table = page.dataframe[0].value
    assert table["option"].tolist()[1:] == ["o3"]
    assert table["option"].iloc[0].startswith("self-host Kimi K2")


def test_compare_page_shows_time_per_solved_task_and_its_value() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run().switch_page("app_pages/compare.py").run()
    frame = next(d.value for d in at.dataframe if "cost_per_success" in d.value.columns)
    # DeepSeek-V3.2-Exp (Chat): 23,400 s over 225 attempts = 104 s each, / (158/225) = 148.1 s a solved task.
    row = frame.set_index("model").loc["DeepSeek-V3.2-Exp (Chat)"]
    assert row["seconds_per_attempt"] == pytest.approx(104.0)
    assert row["seconds_per_success"] == pytest.approx(148.101, abs=1e-3)
    at.number_input(key="value_of_time").set_value(36.0).run()
    assert not at.exception
    frame = next(d.value for d in at.dataframe if "cost_per_success" in d.value.columns)
    row = frame.set_index("model").loc["DeepSeek-V3.2-Exp (Chat)"]
    # 148.101 s / 3,600 x $36 = $1.4810 of waiting on top of the cost per solved task.
    assert row["time_cost_per_success"] == pytest.approx(1.48101, abs=1e-5)
    assert row["cost_per_success_with_time"] == pytest.approx(row["cost_per_success"] + 1.48101, abs=1e-5)


FOUR_H100 = "4 x H100, Llama 3 70B FP8 on vLLM (learnAI notes)"


def test_only_open_weight_models_are_offered(page: AppTest) -> None:
    offered = page.selectbox(key="sh_model").options
    assert "Kimi K2" in offered and "DeepSeek-V3.2-Exp (Chat)" in offered and "gpt-oss-120b (high)" in offered
    for closed in ("o3-pro (high)", "claude-opus-4-20250514 (no think)", "gpt-5 (medium)", "o3"):
        assert closed not in offered
    assert not [m for m in offered if m.startswith(("gpt-5", "o3", "claude", "gemini"))]


def test_a_trillion_parameter_model_is_refused_on_four_h100s_at_fp8(page: AppTest) -> None:
    page.selectbox(key="sh_model").set_value("Kimi K2").run()
    page.selectbox(key="sh_preset").set_value(FOUR_H100).run()
    no_errors(page)
    assert page.number_input(key="sh_gpu_memory").value == 80.0
    # Kimi K2 is in the bundled table: 1,000B parameters, native block-FP8, so FP8 is the default precision.
    assert [s.value for s in page.selectbox if s.label == "Weights served in"] == ["FP8"]
    reason = plain(page.error[0].value)
    assert reason.startswith(
        "Kimi K2 does not fit on 4 x 80 GiB: its weights alone take 931 GiB at FP8 (1,000B parameters x 1 byte), "
        "3.2 times the 288 GiB usable (90% of 320 GiB)"
    )
    assert not page.metric  # no cost for a replica that cannot hold the model


def test_switching_to_my_upload_keeps_the_hosting_inputs(page: AppTest) -> None:
    """The audit's sequence: edit a hosting figure, choose "My upload" (no file), click on: nothing is replaced."""
    page.number_input(key="sh_gpu_hourly").set_value(3.5).run()
    page.radio(key="sh_source").set_value("My upload").run()
    no_errors(page)
    assert "Your hosting inputs stay" in page.info[0].value
    assert page.number_input(key="sh_gpu_hourly").value == 3.5  # still drawn, still the user's figure
    page.number_input(key="sh_volume").set_value(50_000.0).run()
    assert page.number_input(key="sh_gpu_hourly").value == 3.5
    assert (
        page.selectbox(key="sh_preset").value == "DeepSeek V3/R1 deployment unit, 176 x H800 (DeepSeek's fleet average)"
    )
    assert page.number_input(key="sh_gpus").value == 176
    page.radio(key="sh_source").set_value("Bundled public data").run()
    no_errors(page)
    assert page.number_input(key="sh_gpu_hourly").value == 3.5
    # 176 x $3.50 = $616 an hour x 730 = $449,680 a month.
    assert metrics(page)["Monthly cost"] == "$449,680"
