"""``pricing.book.attach_prices`` against the real bundled genai-prices snapshot (0.2.3 data).

Prices quoted in the docstrings are the snapshot's, USD per million tokens:
- openai/o3-pro: $20 in, $80 out.
- deepseek/deepseek-chat: peak (00:30-16:30 UTC) $0.27 in / $1.10 out / $0.07 cached;
  off-peak (the base entry) $0.135 / $0.55 / $0.035.
- deepseek/deepseek-v4-flash: $0.14 / $0.28 until 2026-08-16; from 2026-08-17 $0.22 / $0.66;
  from 2026-09-10 $0.15 / $0.60; 01:00-04:00 and 06:00-10:00 UTC $0.30 / $1.20.
- google/gemini-2.5-pro: $1.25 in / $10 out, above a 200,000-token prompt $2.50 / $15.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from strategies import measurement_rows

from pricing.book import attach_prices
from pricing.custom import CustomPrice
from pricing.snapshot import bundled
from tokenomics.costing import price_rows

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def snapshot():
    return bundled()


def rows(*records: dict) -> pd.DataFrame:
    """Measurement rows without a price yet (attach_prices adds ``price_id``)."""
    frame = measurement_rows(records)
    return frame.drop(columns=["price_id"])


def input_price(priced, i: int = 0) -> float:
    return float(priced.table.loc[priced.rows["price_id"].iloc[i], "input_mtok"])


def output_price(priced, i: int = 0) -> float:
    return float(priced.table.loc[priced.rows["price_id"].iloc[i], "output_mtok"])


# --- resolving a model ----------------------------------------------------------------------


def test_provider_prefix_in_the_model(snapshot):
    priced = attach_prices(
        rows({"model": "deepseek/deepseek-chat", "timestamp": "2025-10-03T10:00:00Z", "time_known": True}),
        snapshot,
        today=TODAY,
    )
    assert priced.rows["price_id"].iloc[0] >= 0
    assert priced.rows["provider_id"].iloc[0] == "deepseek"
    assert priced.rows["model_id"].iloc[0] == "deepseek-chat"
    assert priced.unpriced == {}


def test_provider_column_and_o3_pro_worked_example(snapshot):
    """2,372,636 in x $20/M + 1,235,902 out x $80/M = $47.45272 + $98.87216 = $146.32488."""
    priced = attach_prices(
        rows({"provider": "openai", "model": "o3-pro", "input_tokens": 2_372_636, "output_tokens": 1_235_902}),
        snapshot,
        today=TODAY,
    )
    assert priced.rows["provider_id"].iloc[0] == "openai"
    assert (input_price(priced), output_price(priced)) == (20.0, 80.0)
    cost = price_rows(priced.rows, priced.table)["cost"].iloc[0]
    assert cost == pytest.approx(146.32488, abs=1e-9)


def test_provider_column_with_a_prefixed_model(snapshot):
    """provider 'anthropic' and model 'anthropic/claude-3-5-sonnet-20241022': $3 in, $15 out."""
    priced = attach_prices(
        rows({"provider": "anthropic", "model": "anthropic/claude-3-5-sonnet-20241022"}), snapshot, today=TODAY
    )
    assert priced.rows["provider_id"].iloc[0] == "anthropic"
    assert (input_price(priced), output_price(priced)) == (3.0, 15.0)
    table_row = priced.table.loc[priced.rows["price_id"].iloc[0]]
    assert table_row["cache_read_mtok"] == 0.3
    assert not table_row["custom"]


def test_unknown_model_is_unpriced_and_listed(snapshot):
    priced = attach_prices(
        rows(
            {"model": "acme/not-a-model-xyz", "input_tokens": 10, "output_tokens": 1},
            {"model": "deepseek/deepseek-chat", "input_tokens": 10, "output_tokens": 1},
        ),
        snapshot,
        today=TODAY,
    )
    assert priced.rows["price_id"].tolist()[0] == -1
    assert priced.rows["price_id"].tolist()[1] >= 0
    assert priced.rows["provider_id"].iloc[0] == ""
    assert list(priced.unpriced) == ["acme/not-a-model-xyz"]
    assert priced.unpriced["acme/not-a-model-xyz"]  # says why
    cost = price_rows(priced.rows, priced.table)
    assert np.isnan(cost["cost"].iloc[0])
    assert cost["cost_basis"].iloc[0] == "unpriced"


def test_unknown_model_with_a_provider_is_listed_under_both(snapshot):
    priced = attach_prices(rows({"provider": "openai", "model": "gpt-does-not-exist-9"}), snapshot, today=TODAY)
    assert priced.rows["price_id"].iloc[0] == -1
    assert list(priced.unpriced) == ["openai/gpt-does-not-exist-9"]


def test_same_price_is_shared_by_rows(snapshot):
    """Three rows of one model at one time share one price-table row."""
    priced = attach_prices(rows(*({"provider": "openai", "model": "o3-pro"} for _ in range(3))), snapshot, today=TODAY)
    assert priced.rows["price_id"].nunique() == 1


# --- prices that depend on the date ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected_in", "expected_out"),
    [
        ("2026-08-16", 0.14, 0.28),
        ("2026-08-17", 0.22, 0.66),
        ("2026-09-09", 0.22, 0.66),
        ("2026-09-10", 0.15, 0.60),
        ("2026-11-01", 0.15, 0.60),
    ],
)
def test_dated_price_changes(snapshot, day, expected_in, expected_out):
    """deepseek-v4-flash changed price on 2026-08-17 and again on 2026-09-10; a date-only row
    (time unknown) gets the price of its day and not the short time-of-day windows."""
    priced = attach_prices(
        rows({"model": "deepseek/deepseek-v4-flash", "timestamp": day, "time_known": False}), snapshot, today=TODAY
    )
    assert input_price(priced) == pytest.approx(expected_in, abs=1e-12)
    assert output_price(priced) == pytest.approx(expected_out, abs=1e-12)


def test_dated_price_rows_in_one_frame_get_different_prices(snapshot):
    priced = attach_prices(
        rows(
            {"model": "deepseek/deepseek-v4-flash", "timestamp": "2026-08-01", "time_known": False},
            {"model": "deepseek/deepseek-v4-flash", "timestamp": "2026-08-20", "time_known": False},
            {"model": "deepseek/deepseek-v4-flash", "timestamp": "2026-10-01", "time_known": False},
        ),
        snapshot,
        today=TODAY,
    )
    assert [input_price(priced, i) for i in range(3)] == pytest.approx([0.14, 0.22, 0.15], abs=1e-12)
    assert priced.rows["price_id"].nunique() == 3
    # The dated entries carry their real period: from their start to the next change.
    picked = priced.table.loc[priced.rows["price_id"].iloc[1:3]]
    assert picked["price_as_of"].tolist() == ["2026-08-17 to 2026-09-10", "from 2026-09-10"]
    assert picked["price_from"].tolist() == ["2026-08-17", "2026-09-10"]
    assert picked["price_to"].tolist() == ["2026-09-10", ""]


def test_short_time_window_applies_to_a_real_timestamp(snapshot):
    """07:00 UTC on 2026-10-01 falls in the 06:00-10:00 window: $0.30 in / $1.20 out;
    12:00 UTC the same day does not: $0.15 / $0.60."""
    priced = attach_prices(
        rows(
            {"model": "deepseek/deepseek-v4-flash", "timestamp": "2026-10-01T07:00:00Z", "time_known": True},
            {"model": "deepseek/deepseek-v4-flash", "timestamp": "2026-10-01T12:00:00Z", "time_known": True},
        ),
        snapshot,
        today=TODAY,
    )
    assert [input_price(priced, i) for i in range(2)] == pytest.approx([0.30, 0.15], abs=1e-12)
    assert [output_price(priced, i) for i in range(2)] == pytest.approx([1.20, 0.60], abs=1e-12)


# --- prices that depend on the time of day ---------------------------------------------------


@pytest.mark.parametrize(
    ("timestamp", "time_known", "expected_in"),
    [
        pytest.param("2025-10-03T20:00:00Z", True, 0.135, id="20:00-off-peak"),
        pytest.param("2025-10-03T10:00:00Z", True, 0.27, id="10:00-peak"),
        pytest.param("2025-10-03T16:29:59Z", True, 0.27, id="16:29:59-still-peak"),
        pytest.param("2025-10-03T16:30:00Z", True, 0.135, id="16:30-off-peak-starts"),
        pytest.param("2025-10-03T00:29:00Z", True, 0.135, id="00:29-still-off-peak"),
        pytest.param("2025-10-03T00:30:00Z", True, 0.27, id="00:30-peak-starts"),
        pytest.param("2025-10-03T22:00:00+02:00", True, 0.135, id="offset-20:00-utc"),
        pytest.param("2025-10-03T12:00:00+10:00", True, 0.27, id="offset-02:00-utc-is-peak"),
        pytest.param("2025-10-03", False, 0.27, id="date-only-is-peak"),
    ],
)
def test_deepseek_time_of_day(snapshot, timestamp, time_known, expected_in):
    priced = attach_prices(
        rows({"model": "deepseek/deepseek-chat", "timestamp": timestamp, "time_known": time_known}),
        snapshot,
        today=TODAY,
    )
    assert input_price(priced) == pytest.approx(expected_in, abs=1e-12)


def test_deepseek_period_label(snapshot):
    priced = attach_prices(
        rows({"model": "deepseek/deepseek-chat", "timestamp": "2025-10-03T10:00:00Z", "time_known": True}),
        snapshot,
        today=TODAY,
    )
    assert priced.table.loc[priced.rows["price_id"].iloc[0], "price_period"] == "00:30-16:30 UTC daily"


def test_row_without_timestamp_is_priced_today(snapshot):
    """No timestamp at all: priced on ``today`` (2026-08-20 -> the 2026-08-17 price, $0.22)."""
    priced = attach_prices(rows({"model": "deepseek/deepseek-v4-flash"}), snapshot, today=date(2026, 8, 20))
    assert input_price(priced) == pytest.approx(0.22, abs=1e-12)


def test_as_of_overrides_every_row_date(snapshot):
    """as_of 2026-08-20 prices rows of 2026-08-01 and 2026-10-01 alike at $0.22, and prices a
    20:00 UTC deepseek-chat row at the standard (peak) $0.27: with as_of only the day is known."""
    priced = attach_prices(
        rows(
            {"model": "deepseek/deepseek-v4-flash", "timestamp": "2026-08-01", "time_known": False},
            {"model": "deepseek/deepseek-v4-flash", "timestamp": "2026-10-01T12:00:00Z", "time_known": True},
            {"model": "deepseek/deepseek-chat", "timestamp": "2025-10-03T20:00:00Z", "time_known": True},
        ),
        snapshot,
        as_of=date(2026, 8, 20),
        today=TODAY,
    )
    assert [input_price(priced, i) for i in range(3)] == pytest.approx([0.22, 0.22, 0.27], abs=1e-12)


# --- tiers from the snapshot -----------------------------------------------------------------


def test_snapshot_tiers_are_chosen_per_call(snapshot):
    """gemini-2.5-pro. One call, 250,000 prompt: 250,000 x $2.50/M + 10,000 x $15/M = $0.775.
    Ten calls, 1,500,000 prompt (150,000 each): 1.5 x $1.25 + 0.02 x $10 = $2.075."""
    priced = attach_prices(
        rows(
            {
                "provider": "google",
                "model": "gemini-2.5-pro",
                "input_tokens": 250_000,
                "output_tokens": 10_000,
                "calls": 1,
            },
            {
                "provider": "google",
                "model": "gemini-2.5-pro",
                "input_tokens": 1_500_000,
                "output_tokens": 20_000,
                "calls": 10,
            },
        ),
        snapshot,
        today=TODAY,
    )
    cost = price_rows(priced.rows, priced.table)["cost"].tolist()
    assert cost == pytest.approx([0.775, 2.075], abs=1e-12)


# --- custom prices ---------------------------------------------------------------------------

V32 = CustomPrice(
    provider="deepseek",
    model="deepseek-chat",
    input_mtok=0.28,
    output_mtok=0.42,
    cache_read_mtok=0.028,
    source="https://api-docs.deepseek.com/quick_start/pricing",
    checked_on=date(2025, 10, 1),
)

# Aider polyglot, "DeepSeek-V3.2-Exp (Chat)", run 2025-10-03-09-21-36--deepseek-v3.2-chat.
AIDER_V32_CHAT = {
    "label": "DeepSeek-V3.2-Exp (Chat)",
    "model": "deepseek/deepseek-chat",
    "attempts": 225,
    "successes": 158,
    "input_tokens": 2_266_868,
    "output_tokens": 573_477,
    "cost_usd": 0.8756,
    "timestamp": "2025-10-03",
    "time_known": False,
}


def test_custom_price_overrides_the_snapshot(snapshot):
    priced = attach_prices(rows(AIDER_V32_CHAT), snapshot, [V32], today=TODAY)
    entry = priced.table.loc[priced.rows["price_id"].iloc[0]]
    assert (entry["input_mtok"], entry["output_mtok"], entry["cache_read_mtok"]) == (0.28, 0.42, 0.028)
    assert bool(entry["custom"]) is True
    assert entry["price_source"].startswith("custom:")
    assert "api-docs.deepseek.com" in entry["price_source"]
    assert entry["price_as_of"] == "2025-10-01"
    assert priced.rows["provider_id"].iloc[0] == "deepseek"


def test_custom_price_matches_case_insensitively_and_by_provider_column(snapshot):
    priced = attach_prices(rows({"provider": "DeepSeek", "model": "DeepSeek-Chat"}), snapshot, [V32], today=TODAY)
    assert bool(priced.table.loc[priced.rows["price_id"].iloc[0], "custom"]) is True


def test_custom_price_for_a_model_the_snapshot_lacks(snapshot):
    custom = CustomPrice(
        provider="acme", model="rocket-1", input_mtok=1.0, output_mtok=2.0, source="contract", checked_on=TODAY
    )
    priced = attach_prices(rows({"model": "acme/rocket-1"}), snapshot, [custom], today=TODAY)
    assert priced.unpriced == {}
    assert (input_price(priced), output_price(priced)) == (1.0, 2.0)


def test_aider_deepseek_v32_chat_reproduces_the_published_cost(snapshot):
    """2,266,868 in x $0.28/M + 573,477 out x $0.42/M = $0.63472304 + $0.24086034 = $0.87558338,
    published $0.8756. Without the custom price the snapshot's standard (peak) rate for a
    date-only row applies: 2.266868 x $0.27 + 0.573477 x $1.10 = $0.61205436 + $0.6308247 =
    $1.24287906."""
    with_custom = attach_prices(rows(AIDER_V32_CHAT), snapshot, [V32], today=TODAY)
    cost = price_rows(with_custom.rows, with_custom.table)
    assert cost["cost"].iloc[0] == pytest.approx(0.87558338, abs=1e-9)
    assert round(cost["cost"].iloc[0], 4) == 0.8756
    assert cost["cost_basis"].iloc[0] == "priced"

    bundled_only = attach_prices(rows(AIDER_V32_CHAT), snapshot, today=TODAY)
    cost = price_rows(bundled_only.rows, bundled_only.table)
    assert cost["cost"].iloc[0] == pytest.approx(1.24287906, abs=1e-9)


def test_the_bundled_aider_file_holds_that_run():
    data = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "aider_polyglot.csv")
    row = data[data["label"] == "DeepSeek-V3.2-Exp (Chat)"].iloc[0]
    assert row["model"] == "deepseek/deepseek-chat"
    assert row["date"] == "2025-10-03"
    assert (row["input_tokens"], row["output_tokens"], row["cost_usd"]) == (2_266_868, 573_477, 0.8756)
