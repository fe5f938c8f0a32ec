"""AppTest of the Findings page, the dashboard's default page."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rendered import plain
from streamlit.testing.v1 import AppTest

from reports.findings import findings_figure

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def at() -> AppTest:
    return AppTest.from_file(APP, default_timeout=120).run()


def findings_table(at: AppTest):
    return next(d.value for d in at.dataframe if "per_success_discount" in d.value.columns)


def sentences(at: AppTest) -> list[str]:
    return [plain(m.value)[2:] for m in at.markdown if m.value.startswith("- ")]


def test_the_app_opens_on_findings_for_every_dataset(at: AppTest) -> None:
    assert not at.exception
    assert at.title[0].value == "Is it cheaper per solved task?"
    overview = [plain(m.value) for m in at.markdown if m.value.startswith("**")]
    assert overview[0].startswith("**Aider polyglot coding leaderboard.** Against gpt-5 (low): ")
    assert "DeepSeek-V3.2-Exp (Chat) keep their discount per solved task" in overview[0]
    assert overview[1].startswith("**LRM Token Economy (reasoning prompts).** Against o4-mini-high-long: ")
    assert "deepseek-r1-0528, glm-4.5 and minimax-m1 lose it: dearer per solved task" in overview[1]
    table = findings_table(at)
    assert set(table["reference_basis"]) == {
        "closest Western success rate",
        "cheapest Western model on the Pareto frontier",
    }
    assert len(sentences(at)) == len(table)
    assert any(
        s.startswith("DeepSeek-V3.2-Exp (Chat) is 10.6x cheaper per token than gpt-5 (low)") for s in sentences(at)
    )
    # The chart is built when its section is opened, not with the page.
    assert not at.get("plotly_chart")
    at.session_state["findings_chart_open"] = True
    at.run()
    assert at.get("plotly_chart")


def test_changing_the_reference(at: AppTest) -> None:
    at.selectbox(key="findings_reference_aider-polyglot").set_value("o3-pro (high)").run()
    assert not at.exception
    table = findings_table(at)
    assert set(table["reference"]) == {"o3-pro (high)"}
    assert set(table["reference_basis"]) == {"chosen"}


def test_another_dataset(at: AppTest) -> None:
    at.radio(key="findings_dataset").set_value("lrm-token-economy").run()
    assert not at.exception
    table = findings_table(at).set_index(["model", "reference"])
    assert table.loc[("glm-4.5", "o4-mini-high-long"), "verdict"] == "reverses"
    assert table.loc[("glm-4.5", "o4-mini-high-long"), "interval_method"] == "paired bootstrap over 19 shared tasks"


def test_haircut_toggle_shrinks_success_rates(at: AppTest) -> None:
    before = findings_table(at).set_index(["model", "reference"])
    at.toggle(key="findings_haircut").set_value(True).run()
    assert not at.exception
    after = findings_table(at).set_index(["model", "reference"])
    assert (after["haircut"] > 0).all()
    pair = ("DeepSeek-V3.2-Exp (Chat)", "gpt-5 (low)")
    assert after.loc[pair, "success_rate"] < before.loc[pair, "success_rate"]


def test_price_date_toggle_reprices_at_todays_prices(at: AppTest) -> None:
    """Kimi K2 ran on 2025-07-17, before any dated price of its OpenRouter id: per solved task only. At
    today's prices it has a per-token figure too."""
    before = findings_table(at).set_index("model")
    assert set(before.loc[["Kimi K2"], "verdict"]) == {"per task only"}
    at.radio(key="findings_prices").set_value("today's prices").run()
    assert not at.exception
    after = findings_table(at).set_index("model")
    # Against its Western reference with a price today (the other, Aider's 'sonnet' alias, has none).
    assert np.isfinite(after.loc[["Kimi K2"], "per_token_discount"]).any()


def test_the_chart_is_built_from_the_same_findings(at: AppTest) -> None:
    table = findings_table(at)
    figure = findings_figure(table)
    drawn = sum(len(t.x) for t in figure.data if t.mode == "markers+text")
    both = np.isfinite(table["per_token_discount"]) & np.isfinite(table["per_success_discount"])
    assert drawn == int(both.sum())
