"""Real browser: the audit's two lost-state sequences no longer lose anything."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "attempts.csv"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_idle(page) -> None:
    page.wait_for_timeout(400)
    page.locator(IDLE).wait_for()


def type_into(page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")
    wait_idle(page)


def test_whatif_my_upload_then_k_2_keeps_every_multiplier(server: str, page) -> None:
    page.goto(f"{server}/whatif")
    wait_idle(page)
    page.get_by_text("My upload", exact=True).click()
    wait_idle(page)
    page.get_by_text("Your knobs keep their values", exact=False).wait_for()
    page.locator("section[data-testid='stSidebar'] input[type='file']").last.set_input_files(str(EXAMPLE))
    page.get_by_text("is cheapest", exact=False).first.wait_for()
    wait_idle(page)
    type_into(page, "Attempts per task k (with a verifier)", "2")
    page.wait_for_function(
        "() => document.querySelector('h3') && document.querySelector('h3').innerText.includes('66.7%')"
    )
    headline = page.locator("h3").first.inner_text()
    # Before the fix every multiplier jumped to 0.00 here and the headline read "... is cheapest: $0".
    assert "$0 " not in headline and "$0.00 " not in headline
    assert headline.startswith("Under this scenario deepseek-v4-flash is cheapest: $0.00776")
    for label in ("Input price ×", "Output price ×"):
        assert page.get_by_label(label, exact=True).input_value() == "1.00"
    assert "max_attempts" in page.url and "price" not in page.url.split("scenario=")[1].replace("price_source", "")


def test_selfhost_my_upload_keeps_the_hosting_inputs(server: str, page) -> None:
    page.goto(f"{server}/selfhost")
    wait_idle(page)
    type_into(page, "USD per GPU-hour", "3.50")
    page.get_by_text("My upload", exact=True).click()
    wait_idle(page)
    page.get_by_text("Your hosting inputs stay", exact=False).wait_for()
    assert page.get_by_label("USD per GPU-hour", exact=True).input_value() == "3.50"
    # Before the fix the next click replaced the user's inputs with another preset.
    type_into(page, "Your volume (solved tasks/month)", "50000")
    assert page.get_by_label("USD per GPU-hour", exact=True).input_value() == "3.50"
    assert page.get_by_label("GPUs per replica", exact=True).input_value() == "176"
    page.get_by_text("Bundled public data", exact=True).click()
    wait_idle(page)
    assert page.get_by_label("USD per GPU-hour", exact=True).input_value() == "3.50"
    # 176 GPUs x $3.50 x 730 h = $449,680 a month.
    page.get_by_text("$449,680", exact=True).wait_for()
