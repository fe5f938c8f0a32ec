"""AppTest of the Prices page: snapshot age, refresh failure in the page, custom sheets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rendered import plain
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def price_listing(at: AppTest):
    return next(d.value for d in at.dataframe if "tiers" in d.value.columns)


def open_prices() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at.switch_page("app_pages/prices.py").run()


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_prices_page_lists_the_layers_with_their_ages() -> None:
    at = open_prices()
    assert not at.exception
    assert at.title[0].value == "Prices"
    layers = at.markdown[1].value
    assert "dated corrections" in layers
    assert "genai-prices 0.2.3 bundled snapshot" in layers and "days before today" in layers
    assert "LiteLLM 1.110.2 price map of 2026-11-20" in layers
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


def test_staleness_of_the_prices_in_use() -> None:
    at = open_prices()
    aged = frame_with(at, "age_days").set_index("model")
    # The bundled data's gpt-5 runs are priced at genai-prices' gpt-5 price, last changed 2026-08-31;
    # its o3 runs (June 2025) at a dated correction checked 2026-11-25.
    assert (aged.loc["gpt-5", "layer"], aged.loc["gpt-5", "checked_on"]) == ("genai-prices", "2026-08-31")
    assert (aged.loc["o3", "layer"], aged.loc["o3", "checked_on"]) == ("correction", "2026-11-25")


def test_disagreements_and_using_the_other_price() -> None:
    at = open_prices()
    found = frame_with(at, "other_layer")
    assert len(found) > 5
    gemini = found[(found["provider"] == "google") & (found["model"] == "gemini-2.0-flash")].iloc[0]
    assert (gemini["output_mtok"], gemini["other_output_mtok"]) == (0.40, 0.60)
    # A retired name has no price in force to disagree about (genai-prices still lists one).
    assert not ((found["provider"] == "deepseek") & (found["model"] == "deepseek-chat")).any()


def test_one_model_s_prices_by_layer() -> None:
    at = open_prices()
    at.text_input(key="history_model").set_value("deepseek/deepseek-chat").run()
    history = frame_with(at, "daily window")
    assert history["layer"].iloc[0] == "correction"
    assert {"correction", "genai-prices", "litellm"} <= set(history["layer"])
    assert "2025-09-29 to 2026-04-24" in set(history["period"])


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
