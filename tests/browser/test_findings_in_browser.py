"""One real browser: the app opens on the Findings page, with its chart and one sentence per finding."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_idle(page) -> None:
    page.wait_for_timeout(300)
    page.locator(IDLE).wait_for()


def test_the_first_screen_answers_the_question(server: str, page, tmp_path: Path) -> None:
    page.goto(server)
    wait_idle(page)
    page.get_by_text("Is it cheaper per solved task?", exact=True).first.wait_for()
    body = page.locator("[data-testid='stMain']").inner_text()
    # Both datasets answered at a glance, against a named Western model.
    assert "Aider polyglot coding leaderboard. Against gpt-5 (low):" in body
    assert "LRM Token Economy (reasoning prompts). Against o4-mini-high-long:" in body
    # The sentences of the chosen dataset.
    assert "DeepSeek-V3.2-Exp (Chat) is 10.6x cheaper per token than gpt-5 (low)" in body
    assert "the discount survives" in body
    # The chart, built when opened: per-token vs per-solved-task discount, log axes, points labelled.
    assert page.locator(".js-plotly-plot").count() == 0
    page.get_by_text("Chart: discount per token against discount per solved task", exact=True).click()
    wait_idle(page)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for()
    assert "x cheaper per solved task" in chart.inner_text()
    assert "DeepSeek-V3.2-Exp (Chat) vs gpt-5 (low)" in chart.inner_text()
    page.screenshot(path=str(tmp_path / "findings.png"), full_page=True)

    # Another dataset: its own sentences.
    page.get_by_text("LRM Token Economy (reasoning prompts)", exact=True).first.click()
    wait_idle(page)
    page.get_by_text("glm-4.5 is 2.0x cheaper per token than o4-mini-high-long").first.wait_for()
