"""One real browser: load the Compare page, upload a file, see the comparison of its models."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "attempts.csv"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_idle(page) -> None:
    page.wait_for_timeout(300)
    page.locator(IDLE).wait_for()


def test_load_upload_and_see_table(server: str, page, tmp_path: Path) -> None:
    page.goto(f"{server}/compare")
    wait_idle(page)
    page.get_by_text("Cost per solved task", exact=True).first.wait_for()
    headline = page.locator("h3").first.inner_text()
    assert "cheaper per solved task than gpt-5 (high) (success " in headline

    page.get_by_text("My upload", exact=True).click()
    wait_idle(page)
    page.locator("input[type='file']").set_input_files(str(EXAMPLE))
    page.get_by_text("Models", exact=True).wait_for()
    wait_idle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stMetricValue']\")].some(e => e.innerText === '3')"
    )
    # The full table is drawn on a canvas; the shortlist above it is text, cheapest first.
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    headline = page.locator("h3").first.inner_text()
    assert "cheaper per token" in headline
    assert "than claude-sonnet-4-0" in headline  # the best success rate is the default baseline
    shortlist = page.locator("[data-testid='stTable']").first.inner_text()
    assert "deepseek-v4-flash" in shortlist and "gpt-4.1" in shortlist
    # The charts are built only when opened; the frontier models are labelled.
    assert page.locator(".js-plotly-plot").count() == 0
    page.get_by_text("Charts: success against cost per solved task", exact=False).click()
    wait_idle(page)
    page.locator(".js-plotly-plot .annotation-text").first.wait_for()
    chart_text = page.locator(".js-plotly-plot").first.text_content()
    assert "deepseek-v4-flash" in chart_text or "gpt-4.1" in chart_text
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
