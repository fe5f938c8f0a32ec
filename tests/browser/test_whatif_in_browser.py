"""One real browser: a shared What-if link shows the same numbers as the command line."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from cli.main import main

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
SCENARIO = {
    "price_multiplier": 1.3,
    "max_attempts": 2,
    "cascade": ["gpt-4.1", "claude-sonnet-4-0"],
    "currency": "CNY",
    "exchange_rate": 7.1,
    "rate_date": "2026-11-20",
    "tasks_per_month": 50000,
}


def test_a_link_with_a_scenario_reproduces_the_cli_numbers(server: str, page, tmp_path: Path, capsys) -> None:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(SCENARIO))
    example = str(ROOT / "examples" / "attempts.csv")
    assert main(["compare", "--measurements", example, "--scenario", str(path)]) == 0
    expected = capsys.readouterr().out.splitlines()[0]

    page.goto(f"{server}/whatif?" + urlencode({"data": "example", "scenario": json.dumps(SCENARIO)}))
    page.get_by_text("What-if: cost per solved task", exact=False).first.wait_for()
    page.wait_for_timeout(300)
    page.locator(IDLE).wait_for()
    page.get_by_text(expected).wait_for()
    assert page.locator("h3").first.inner_text() == expected
    assert "¥" in page.get_by_test_id("stMetricValue").nth(0).inner_text()
    # The link survives the page's own rerun: the address still carries the same scenario.
    query = parse_qs(urlsplit(page.url).query)
    assert json.loads(query["scenario"][0]) == SCENARIO
    page.screenshot(path=str(tmp_path / "whatif.png"), full_page=True)
