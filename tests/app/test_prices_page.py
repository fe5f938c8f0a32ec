"""AppTest of the Prices page: snapshot age, refresh failure in the page, custom sheets."""

from __future__ import annotations

from pathlib import Path

from rendered import plain
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def price_listing(at: AppTest):
    return next(d.value for d in at.dataframe if "tiers" in d.value.columns)


def open_prices() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at.switch_page("app_pages/prices.py").run()


def test_prices_page_lists_snapshot_with_its_age() -> None:
    at = open_prices()
    assert not at.exception
    assert at.title[0].value == "Prices"
    assert "genai-prices" in at.markdown[0].value
    assert "days" in at.markdown[0].value
    listing = price_listing(at)
    assert {"provider", "model", "input_mtok", "output_mtok", "source", "as_of"} <= set(listing.columns)
    assert len(listing) > 1000


def test_filter_narrows_the_listing() -> None:
    at = open_prices()
    at.text_input(key="price_filter").set_value("deepseek").run()
    listing = price_listing(at)
    assert len(listing) > 0
    assert (
        listing["model"].str.contains("deepseek", case=False).all()
        or listing["provider"].str.contains("deepseek").any()
    )


def test_refresh_failure_is_shown_not_raised(monkeypatch) -> None:
    from genai_prices.update_prices import UpdatePrices

    def offline(self):  # the network is closed here; make that explicit and fast
        raise ConnectionError("network unreachable")

    monkeypatch.setattr(UpdatePrices, "fetch", offline)
    at = open_prices()
    at.button(key="refresh").click().run()
    assert not at.exception
    assert "Could not refresh prices" in at.error[0].value
    assert "network unreachable" in at.error[0].value


def test_custom_sheet_upload_and_bad_sheet() -> None:
    at = open_prices()
    header = b"provider,model,input_mtok,output_mtok,source,checked_on\n"
    good = header + b"deepseek,deepseek-chat,0.28,0.42,docs,2025-10-01\n"
    at.file_uploader(key="price_sheet").set_value(("prices.csv", good, "text/csv")).run()
    assert not at.exception
    assert "1 custom price" in at.success[0].value
    assert len(at.session_state["custom_sheets"]) == 1

    bad = header + b"deepseek,deepseek-chat,-1,0.42,docs,2025-10-01\n"
    at.file_uploader(key="price_sheet").set_value(("bad.csv", bad, "text/csv")).run()
    assert not at.exception
    assert "bad.csv" in at.error[0].value
    assert "input_mtok" in plain(at.error[0].value)
