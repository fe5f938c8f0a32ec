"""Real browser at phone width (390 x 844): the first model's success and cost per solved task are on screen."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.mark.parametrize(("path", "rate"), [("compare", "success"), ("whatif", "tasks solved")])
def test_the_first_model_shows_success_and_cost_per_solved_task(server: str, phone, path: str, rate: str) -> None:
    phone.goto(f"{server}/{path}")
    phone.wait_for_timeout(400)
    phone.locator(IDLE).wait_for()
    table = phone.locator("[data-testid='stTable']").first
    table.wait_for()
    header = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert header[-2:] == [rate, "per solved task"]
    first = [c.strip() for c in table.locator("tbody tr").first.locator("th, td").all_inner_texts()]
    model, success, cost = first[0], first[-2], first[-1]
    assert model == "DeepSeek Chat V3 (prev)"
    assert re.fullmatch(r"\d+\.\d%", success) and re.fullmatch(r"\$0\.\d+", cost), first
    # All three cells inside the phone's width: nothing to scroll sideways to.
    for cell in table.locator("tbody tr").first.locator("th, td").all():
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1, box
