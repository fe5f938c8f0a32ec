"""Currency conversion at a stated, dated rate: the bundled ECB rates, the cross rates, a bad file."""

from __future__ import annotations

from datetime import date

import pytest

from inputs.exchange_rates import load_rates, parse_rates
from tokenomics.errors import InputError
from tokenomics.fx import convert, rate_on
from tokenomics.scenario import Scenario


def test_the_bundled_rates_are_the_ecbs_and_cross_through_the_euro() -> None:
    table = load_rates()
    assert table["rate_date"].is_monotonic_increasing and len(table) >= 20
    assert table["source"].str.contains("ECB euro foreign exchange reference rates").all()
    # ECB, 2026-08-21: 1 EUR = 1.1699 USD = 7.8624 CNY. By hand: 7.8624 / 1.1699 = 6.72057, 1 / 1.1699 = 0.85477.
    cny, eur = rate_on(table, "CNY"), rate_on(table, "EUR")
    assert cny.rate_date == eur.rate_date == date(2026, 8, 21)
    assert cny.per_usd == pytest.approx(6.72057, abs=5e-6)
    assert eur.per_usd == pytest.approx(0.85477, abs=5e-6)
    assert cny.label() == "1 USD = 6.7206 CNY (ECB euro reference rate, 2026-08-21)"
    # A day between two published days takes the earlier one (2025-06-30: 1.1720 USD, 8.3970 CNY).
    assert rate_on(table, "CNY", date(2025, 7, 15)).per_usd == pytest.approx(8.3970 / 1.1720)


def test_conversion_by_hand() -> None:
    # The audit's figure: $0.0119 per solved task. At 6.7206 CNY per USD: 0.0119 x 6.7206 = 0.07998 CNY.
    assert float(convert(0.0119, 6.7206)) == pytest.approx(0.07998, abs=1e-5)
    assert convert([0.5, float("inf")], 0.8548).tolist() == [0.4274, float("inf")]


def test_a_day_before_the_first_rate_is_refused() -> None:
    with pytest.raises(InputError, match="no reference rate on or before 2020-01-01"):
        rate_on(load_rates(), "EUR", date(2020, 1, 1))
    with pytest.raises(InputError, match="no reference rate for 'JPY'"):
        rate_on(load_rates(), "JPY")


def test_a_bad_row_names_its_line_and_column() -> None:
    text = "rate_date,usd_per_eur,cny_per_eur,publisher,source,checked_on\n2026-08-21,-1,7.8,ECB,x,2026-11-25\n"
    with pytest.raises(InputError) as caught:
        parse_rates(text, "rates.csv")
    assert str(caught.value).startswith("rates.csv, line 2, column 'usd_per_eur': input should be greater than 0")


def test_a_converted_scenario_states_its_rate() -> None:
    s = Scenario(
        currency="EUR", exchange_rate=0.8548, rate_date=date(2026, 8, 21), rate_source="ECB euro reference rate"
    )
    assert s.rate_note == "amounts in EUR at 1 USD = 0.8548 EUR (ECB euro reference rate, 2026-08-21)"
    assert Scenario().rate_note == ""
    with pytest.raises(ValueError, match="needs exchange_rate"):
        Scenario(currency="CNY", exchange_rate=7.1)
