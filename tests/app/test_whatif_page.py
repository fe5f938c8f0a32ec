"""AppTest of the What-if page: knobs by key, the scenario in the URL, loading a scenario file."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from rendered import plain
from streamlit.testing.v1 import AppTest

from cli.main import main
from tokenomics.scenario import Scenario
from ui.whatif import model_sheet, provider_sheet, scenario_from_widgets, widget_state

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGE = "app_pages/whatif.py"


def open_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.switch_page(PAGE).run()


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "p_solved" in d.value.columns).set_index("model")


def view(at: AppTest) -> tuple[str, list[str]]:
    return at.subheader[0].value, [m.value for m in at.metric]


def test_opens_on_the_bundled_data_with_the_measured_figures() -> None:
    at = open_page()
    no_errors(at)
    assert at.title[0].value.startswith("What-if")
    # Neutral scenario: the cheapest per solved task on the Aider board, as on the Compare page:
    # DeepSeek Chat V3 (prev), published $0.3369 for 109 of 225 solved = $0.00309 per solved task.
    assert plain(at.subheader[0].value).startswith("Under this scenario DeepSeek Chat V3 (prev) is cheapest: $0.00309")
    assert dict(at.query_params) == {"data": "aider"}
    # The crossovers are in the Sensitivity section, built when it is opened.
    assert not any("becomes cheaper than" in m.value for m in at.markdown)
    at.session_state["wi_section"] = "Sensitivity"
    at.run()
    assert any("becomes cheaper than DeepSeek Chat V3 (prev)" in m.value for m in at.markdown)


def test_knobs_go_into_the_url_and_the_url_reproduces_the_view() -> None:
    at = open_page({"data": "example"})
    at.slider(key="wi_price").set_value(1.3)
    at.number_input(key="wi_k").set_value(2)
    at.multiselect(key="wi_cascade").set_value(["gpt-4.1", "claude-sonnet-4-0"])
    at.selectbox(key="wi_currency").set_value("CNY").run()
    at.number_input(key="wi_fx").set_value(7.1)
    at.date_input(key="wi_fx_date").set_value(date(2026, 11, 20))
    at.number_input(key="wi_volume").set_value(50000.0)
    at.run()
    no_errors(at)
    link = dict(at.query_params)
    assert json.loads(link["scenario"]) == {
        "price_multiplier": 1.3,
        "max_attempts": 2,
        "cascade": ["gpt-4.1", "claude-sonnet-4-0"],
        "currency": "CNY",
        "exchange_rate": 7.1,
        "rate_date": "2026-11-20",
        "tasks_per_month": 50000.0,
    }
    shared = open_page(link)
    no_errors(shared)
    assert view(shared) == view(at)
    pd.testing.assert_frame_equal(table(shared), table(at))
    assert shared.number_input(key="wi_k").value == 2
    assert "¥" in shared.subheader[0].value


def test_the_page_shows_the_numbers_the_cli_prints(tmp_path: Path, capsys) -> None:
    scenario = {"max_attempts": 3, "verifier_cost": 0.001, "failure_minutes": 5, "hourly_rate": 60}
    at = open_page({"data": "example", "scenario": json.dumps(scenario)})
    no_errors(at)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario))
    example = str(ROOT / "examples" / "attempts.csv")
    assert main(["compare", "--measurements", example, "--scenario", str(path), "--format", "csv"]) == 0
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out)).set_index("model")
    page = table(at)
    for column in ("p_solved", "cost_per_success", "cost_per_task_with_failures"):
        pd.testing.assert_series_equal(page[column].sort_index(), cli[column].sort_index(), check_exact=False)


def test_a_bad_link_is_reported_and_the_defaults_used() -> None:
    at = open_page({"scenario": '{"haircut": 1.5}'})
    assert not at.exception
    assert "key 'haircut'" in at.error[0].value
    assert at.slider(key="wi_haircut").value == 0.0


def test_loading_a_scenario_file_sets_every_knob() -> None:
    at = open_page({"data": "example"})
    scenario = {"haircut": 0.2, "max_attempts": 4, "service_tier": "batch", "failure_cost": 2.0}
    at.sidebar.file_uploader[0].set_value(("mine.json", json.dumps(scenario).encode(), "application/json"))
    at.run()
    no_errors(at)
    assert at.slider(key="wi_haircut").value == 0.2
    assert at.number_input(key="wi_k").value == 4
    assert at.selectbox(key="wi_tier").value == "batch"
    assert json.loads(at.query_params["scenario"]) == scenario


@pytest.mark.parametrize("data", ["aider", "example"])
def test_aime_presets_lower_success(data: str) -> None:
    at = open_page({"data": data})
    before = table(at)["p_solved"]
    at.toggle(key="wi_presets").set_value(True).run()
    no_errors(at)
    after = table(at)["p_solved"].reindex(before.index)
    assert (after <= before).all() and (after < before).any()


def test_the_provider_and_model_sheets_round_trip_a_scenario() -> None:
    """The sheets the page shows (data editors AppTest cannot edit) give back the scenario they show."""
    scenario = Scenario(
        provider_price_multipliers={"openai": 1.3},
        provider_tiers={"openai": "batch"},
        tier_factors={"deepseek": {"flex": 0.4}},
        model_price_multipliers={"gpt-4.1": 0.8},
        model_haircuts={"gpt-4.1": 0.1},
        max_attempts=3,
        currency="EUR",
        exchange_rate=0.9,
        rate_date="2026-11-20",
    )
    st.session_state.update(widget_state(scenario))
    providers = provider_sheet(["deepseek", "openai"], scenario)
    # Published factors are shown where there is no edit: openai batch 0.5, deepseek none (1.0).
    assert providers.set_index("provider").loc["openai", "batch_factor"] == 0.5
    assert providers.set_index("provider").loc["deepseek", "batch_factor"] == 1.0
    assert scenario_from_widgets(providers, model_sheet(["gpt-4.1", "o3"], scenario)) == scenario


EXAMPLE_CSV = (ROOT / "examples" / "attempts.csv").read_bytes()


def test_choosing_my_upload_then_changing_k_keeps_every_knob() -> None:
    """The audit's sequence: "My upload", (no file yet), upload, change k. Every multiplier keeps its value."""
    at = open_page()
    at.slider(key="wi_price").set_value(1.3).run()
    at.radio(key="wi_data").set_value("upload").run()
    no_errors(at)
    assert "Your knobs keep their values" in at.info[0].value
    assert at.slider(key="wi_price").value == 1.3  # still drawn, still 1.3, while no file is there
    at.file_uploader(key="wi_upload").set_value(("mine.csv", EXAMPLE_CSV, "text/csv")).run()
    at.number_input(key="wi_k").set_value(2).run()
    no_errors(at)
    assert at.slider(key="wi_price").value == 1.3
    assert at.number_input(key="wi_price_input").value == 1.0
    assert at.number_input(key="wi_price_output").value == 1.0
    assert [at.slider(key=k).value for k in ("wi_tok_input", "wi_tok_cache", "wi_tok_output")] == [1.0, 1.0, 1.0]
    assert json.loads(at.query_params["scenario"]) == {"price_multiplier": 1.3, "max_attempts": 2}
    assert "$0 " not in at.subheader[0].value and "$0.00 " not in at.subheader[0].value


def test_a_foreign_currency_converts_at_the_ecb_rate_and_says_so() -> None:
    at = open_page({"data": "aider"})
    at.selectbox(key="wi_currency").set_value("CNY").run()
    no_errors(at)
    # ECB, 2026-08-21: 7.8624 CNY / 1.1699 USD per EUR = 6.720574 CNY per USD.
    assert at.number_input(key="wi_fx").value == 6.720574
    assert at.date_input(key="wi_fx_date").value == date(2026, 8, 21)
    # DeepSeek Chat V3 (prev): $0.3369 / 109 = $0.0030908 per solved task; x 6.720574 = ¥0.020772.
    assert plain(at.subheader[0].value).startswith("Under this scenario DeepSeek Chat V3 (prev) is cheapest: ¥0.0208")
    note = "1 USD = 6.7206 CNY (ECB euro reference rate, 2026-08-21)"
    assert any(note in plain(c.value) for c in at.caption)
    assert json.loads(at.query_params["scenario"])["rate_source"] == "ECB euro reference rate"


def test_no_conversion_without_a_rate() -> None:
    at = open_page({"data": "example"})
    at.selectbox(key="wi_currency").set_value("EUR").run()
    at.selectbox(key="wi_fx_ref").set_value("own").run()
    at.number_input(key="wi_fx").set_value(None).run()
    no_errors(at)
    assert "Shown in USD" in at.warning[0].value
    assert "$" in at.subheader[0].value and "€" not in at.subheader[0].value
    assert "currency" not in json.loads(at.query_params.get("scenario", "{}"))


def test_retries_beyond_the_samples_per_task_show_both_bounds() -> None:
    """The LRM data has 5 samples per prompt: pass@k is exact up to k = 5; at k = 6 the page warns (n < k) and
    gives both bounds, no gain from retrying and independent tries."""
    at = open_page()
    at.radio(key="wi_data").set_value("lrm").run()
    at.number_input(key="wi_k").set_value(5).run()
    no_errors(at)
    five = table(at)
    # 18 models have 5 samples of every prompt; 5 lack some (timed-out attempts are absent in the source:
    # deepseek-r1-0528 and magistral-medium have a prompt with 2, minimax-m1 and the 2507 Qwen one with 3,
    # grok-4 one with 4), so k = 5 is already beyond what their data can say.
    assert five["method"].str.startswith("pass@k from per-task samples (19 tasks)").sum() == 18
    assert five.loc["deepseek-r1-0528", "method"].startswith("k = 5 exceeds the 2 samples per task")
    assert at.warning[0].value.startswith("5 attempts exceed the samples per task of 5 model(s)")
    at.number_input(key="wi_k").set_value(6).run()
    assert not at.exception
    warning = at.warning[0].value
    assert warning.startswith("6 attempts exceed the samples per task of 23 model(s)")
    six = table(at)
    assert six[["p_solved_no_gain", "p_solved_if_independent"]].notna().all().all()
    # deepseek-r1-0528 solved every prompt in its samples: retrying has nothing left to gain.
    assert six.loc["deepseek-r1-0528", "p_solved_no_gain"] == 1.0
    assert six.loc["glm-4.5", "method"].startswith("k = 6 exceeds the 5 samples per task")
