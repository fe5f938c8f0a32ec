"""AppTest of the Compare page: navigation, widgets by key, uploads, errors in the page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from rendered import plain
from streamlit.testing.v1 import AppTest

from pricing.custom import CustomPrice

APP = str(Path(__file__).resolve().parents[2] / "app.py")

ATTEMPTS_CSV = b"""model,task_id,success,input_tokens,output_tokens,reasoning_tokens
gpt-4o,t1,true,1000,200,
gpt-4o,t2,false,1000,200,
gpt-4o,t3,true,1000,200,
deepseek-v4-flash,t1,true,1000,800,600
deepseek-v4-flash,t2,false,1000,800,600
deepseek-v4-flash,t3,false,1000,800,600
"""


@pytest.fixture
def app() -> AppTest:
    """The Compare page (the app opens on Findings)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/compare.py")
    return at


def summary_table(at: AppTest):
    """The comparison table: the one dataframe with a cost-per-success column."""
    return next(d.value for d in at.dataframe if "cost_per_success" in d.value.columns)


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_compare_opens_on_the_first_bundled_dataset_with_the_default_pair(app: AppTest) -> None:
    at = app.run()
    no_errors(at)
    assert at.title[0].value == "Cost per solved task"
    assert at.radio(key="compare_dataset").options == [
        "Aider polyglot coding leaderboard",
        "LRM Token Economy (reasoning prompts)",
    ]
    assert at.metric[0].value == "69"  # 69 runs in the bundled Aider leaderboard
    # The cheapest model on the frontier against the most successful one, with both success rates.
    assert plain(at.subheader[0].value) == (
        "DeepSeek Chat V3 (prev) is 48.3x cheaper per solved task than gpt-5 (high) "
        "(success 48.4% (42.0%-54.9%) vs 88.0% (83.1%-91.6%))."
    )
    # Ranked: every model with a cost; the 18 with neither price nor published cost are listed apart.
    assert len(summary_table(at)) == 51
    assert len(next(d.value for d in at.dataframe if "price_source" in d.value.columns and len(d.value) == 18)) == 18
    # The cheapest card skips runs that failed the plausibility check (Qwen3 32B's partial token count).
    assert at.metric[3].value == "$0.00309"
    assert at.metric[3].delta == "DeepSeek Chat V3 (prev)"


def test_datasets_are_compared_apart(app: AppTest) -> None:
    at = app.run()
    at.radio(key="compare_dataset").set_value("lrm-token-economy").run()
    no_errors(at)
    assert at.metric[0].value == "23"
    assert set(summary_table(at)["model"]) <= set(
        pd.read_csv(Path(APP).parent / "data" / "lrm_token_economy.csv")["label"]
    )
    # Both datasets' default pairs side by side, never one ranking.
    captions = [plain(c.value) for c in at.caption]
    assert any(c.startswith("DeepSeek Chat V3 (prev) is") for c in captions)
    assert any("than deepseek-r1-0528" in c for c in captions)


def test_compare_a_with_b(app: AppTest) -> None:
    at = app.run()
    at.selectbox(key="compare_b_aider-polyglot").set_value("o3-pro (high)").run()
    at.selectbox(key="compare_a_aider-polyglot").set_value("DeepSeek-V3.2-Exp (Chat)").run()
    no_errors(at)
    headline = plain(at.subheader[0].value)
    assert headline.startswith("DeepSeek-V3.2-Exp (Chat) is ")
    assert "cheaper per token and" in headline
    assert "than o3-pro (high) (success 70.2% (63.9%-75.8%) vs 84.9% (79.6%-89.0%))." in headline
    # The table's discounts are against B.
    assert set(summary_table(at)["discount_per_success"].dropna().round(6)) >= {1.0}


def test_upload_per_attempt_file(app: AppTest) -> None:
    at = app.run()
    at.radio(key="source").set_value("My upload")
    at.file_uploader(key="upload").set_value(("runs.csv", ATTEMPTS_CSV, "text/csv"))
    at.run()
    no_errors(at)
    assert at.metric[0].value == "2"
    assert not at.error


def test_bad_upload_shows_specific_error_not_traceback(app: AppTest) -> None:
    at = app.run()
    at.radio(key="source").set_value("My upload")
    bad = b"model,task_id,success\ngpt-4o,t1,maybe\n"
    at.file_uploader(key="upload").set_value(("bad.csv", bad, "text/csv"))
    at.run()
    no_errors(at)
    message = at.error[0].value
    assert "bad.csv" in message
    assert "line 2" in message
    assert "column 'success'" in message
    assert "'maybe'" in message


def test_fixed_pricing_date_reprices(app: AppTest) -> None:
    at = app.run()
    # o3's run of 2025-06-25 is priced after OpenAI's cut of 2025-06-10: $2/$8 per million,
    # 2,893,189 x 2 + 1,154,767 x 8 = $15.02.
    assert summary_table(at).set_index("model").loc["o3", "total_cost"] == pytest.approx(15.0245, abs=1e-3)
    at.radio(key="price_mode").set_value("one date for all runs").run()
    at.date_input(key="as_of").set_value(date(2025, 6, 1)).run()
    no_errors(at)
    # Before the cut, $10/$40: 2,893,189 x 10 + 1,154,767 x 40 = $75.12, five times as much.
    row = summary_table(at).set_index("model").loc["o3"]
    assert row["total_cost"] == pytest.approx(75.1226, abs=1e-3)
    assert not at.error


def test_custom_price_sheet_overrides_and_is_marked(app: AppTest) -> None:
    at = app.run()
    at.session_state["custom_sheets"] = [
        CustomPrice(
            provider="deepseek",
            model="deepseek-chat",
            input_mtok=0.28,
            output_mtok=0.42,
            source="https://api-docs.deepseek.com/quick_start/pricing",
            checked_on=date(2025, 10, 1),
        )
    ]
    at.run()
    no_errors(at)
    table = summary_table(at)
    row = table.set_index("model").loc["DeepSeek-V3.2-Exp (Chat)"]
    assert row["price_source"].startswith("custom:")
    # 2,266,868 x 0.28/M + 573,477 x 0.42/M = 0.63472 + 0.24086 = $0.8756, as Aider published.
    assert row["total_cost"] == pytest.approx(0.8756, abs=0.00005)


def test_cost_of_pass_toggle_adds_column(app: AppTest) -> None:
    at = app.run()
    at.radio(key="source").set_value("My upload")
    at.file_uploader(key="upload").set_value(("runs.csv", ATTEMPTS_CSV, "text/csv"))
    at.toggle(key="cost_of_pass").set_value(True)
    at.run()
    no_errors(at)
    assert "cost_of_pass" in summary_table(at).columns


def test_time_estimated_from_ttft_and_decode_speed_where_latency_is_missing(app: AppTest) -> None:
    at = app.run()
    at.radio(key="source").set_value("My upload")
    at.file_uploader(key="upload").set_value(("runs.csv", ATTEMPTS_CSV, "text/csv"))
    at.number_input(key="decode_tps").set_value(50.0)
    at.number_input(key="ttft_s").set_value(2.0)
    at.run()
    no_errors(at)
    row = summary_table(at).set_index("model").loc["deepseek-v4-flash"]
    # 2 s + 800 output tokens / 50 tokens/s = 18 s an attempt; 1 success in 3: 54 s per solved task.
    assert row["seconds_per_attempt"] == pytest.approx(18.0)
    assert row["seconds_per_success"] == pytest.approx(54.0)
    assert row["time_basis"].startswith("estimated")


def test_the_unpriced_count_and_the_unpriced_list_agree(app: AppTest) -> None:
    at = app.run()
    no_errors(at)
    unpriced = next(m for m in at.metric if m.label == "Unpriced").value
    listing = next(d.value for d in at.dataframe if "why" in d.value.columns)
    assert int(unpriced) == len(listing) == 18
    title = next(e.label for e in at.expander if "unpriced" in e.label)
    assert title == "18 model(s) unpriced: not ranked, never $0"
    # Two models no price layer knows are ranked by their published cost: named, not counted as unpriced.
    assert any("Ranked by their published cost although no price layer knows them (2)" in c.value for c in at.caption)


def test_a_cost_only_file_gets_advice_it_can_follow(app: AppTest) -> None:
    at = app.run()
    at.radio(key="source").set_value("My upload")
    cost_only = b"model,attempts,successes,cost_usd\nacme-large,20,12,3.40\nacme-small,20,8,0.90\nacme-new,20,9,\n"
    at.file_uploader(key="upload").set_value(("costs.csv", cost_only, "text/csv"))
    at.run()
    no_errors(at)
    advice = " ".join(m.value for m in at.markdown)
    assert "report what they cost, not their tokens: they are ranked by that cost and need no price" in plain(advice)
    assert "add their cost_usd to the file" in plain(advice)
    assert "Fill their prices" not in plain(advice)


def test_phone_first_columns_are_model_success_and_cost_per_solved_task(app: AppTest) -> None:
    at = app.run()
    table = summary_table(at)
    assert table.columns[:3].tolist() == ["model", "success_rate", "cost_per_success"]
    assert {"vendor", "origin", "open_weights"} <= set(table.columns)
    # The cheapest first, as in the shortlist above the table.
    shortlist = at.table[0].value
    assert shortlist.columns.tolist() == ["success", "per solved task"]
    assert shortlist.index[0] == table["model"].iloc[0]


# SWE-bench style: per instance, a resolved flag and the cost the run reported; no tokens, no prices.
OBSERVED_ONLY = b"""model,task_id,success,cost_usd
deepseek-v3.2-reasoner,i1,true,0.02
deepseek-v3.2-reasoner,i2,true,0.04
deepseek-v3.2-reasoner,i3,false,0.06
deepseek-v3.2-reasoner,i4,true,0.08
claude-opus-4.5,i1,true,0.50
claude-opus-4.5,i2,true,0.70
claude-opus-4.5,i3,true,0.90
claude-opus-4.5,i4,true,1.10
"""


def test_observed_costs_only_give_a_per_solved_task_headline(app: AppTest) -> None:
    """deepseek: $0.20 for 3 solved, $0.0667 each; claude: $3.20 for 4, $0.80 each: 12.0x cheaper per solved task."""
    at = app.run()
    at.radio(key="source").set_value("My upload")
    at.file_uploader(key="upload").set_value(("swebench.csv", OBSERVED_ONLY, "text/csv"))
    at.run()
    no_errors(at)
    assert plain(at.subheader[0].value) == (
        "deepseek-v3.2-reasoner is 12.0x cheaper per solved task than claude-opus-4.5 "
        "(success 75.0% (30.1%-95.4%) vs 100.0% (51.0%-100.0%))."
    )
