"""The one number formatter: literal examples of every kind, and no 'None' or 'nan' whatever comes in."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.format import as_text, log_ticks, styled
from tokenomics.format import count, interval, money, pct, ratio, seconds, tokens


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (1234567.8, "USD", "$1,234,568"),
        (100.0, "USD", "$100"),
        (99.994, "USD", "$99.99"),
        (1.0, "EUR", "€1.00"),
        (0.999, "USD", "$0.999"),
        (0.9996, "USD", "$1.00"),  # rounds up to a whole unit
        (0.1, "USD", "$0.100"),
        (0.0754, "CNY", "¥0.0754"),
        (0.000754, "USD", "$0.000754"),  # the audit's "$0.000754" vs "$0.0008": three significant digits
        (0.00075449, "USD", "$0.000754"),
        (0.0119 * 7.1, "CNY", "¥0.0845"),
        (2.5e-7, "USD", "$2.5e-07"),
        (3.2e13, "USD", "$3.2e+13"),
        (0.0, "USD", "$0.00"),
        (-12.5, "EUR", "-€12.50"),
        (math.inf, "USD", "unbounded"),
        (None, "USD", "—"),
        (np.nan, "USD", "—"),
        (pd.NA, "USD", "—"),
    ],
)
def test_money(value, currency, expected) -> None:
    assert money(value, currency) == expected


@pytest.mark.parametrize(
    ("write", "value", "expected"),
    [
        (pct, 0.4, "40.0%"),  # the audit's "40%" vs "41.78%": one decimal always
        (pct, 0.4178, "41.8%"),
        (pct, 1.0, "100.0%"),
        (pct, np.nan, "—"),
        (ratio, 5.2, "5.2x"),
        (ratio, 1.04, "1.0x"),
        (ratio, 0.456, "0.46x"),
        (ratio, 31.7, "32x"),
        (count, 225, "225"),
        (count, 1e6, "1,000,000"),
        (tokens, 999, "999"),
        (tokens, 45_678, "45.7k"),
        (tokens, 2_000_000, "2M"),
        (seconds, 0.42, "0.4 s"),
        (seconds, 3600, "60.0 min"),
    ],
)
def test_other_kinds(write, value, expected) -> None:
    assert write(value) == expected


def test_intervals_read_a_dash_b() -> None:
    assert interval(0.0021, 0.0034) == "$0.00210-$0.00340"
    assert interval(0.412, 0.47, pct) == "41.2%-47.0%"
    assert interval(0.5, math.inf) == "$0.500-unbounded"
    assert interval(np.nan, None, pct) == "—"


@given(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**15), 10**15)))
def test_no_formatter_ever_writes_none_or_nan(value) -> None:
    for write in (money, pct, ratio, count, tokens, seconds):
        out = write(value)
        assert out and "None" not in out and "nan" not in out.lower(), (write.__name__, value, out)
        assert len(out) <= 20


def test_a_table_reads_in_one_format_and_keeps_its_numbers() -> None:
    frame = pd.DataFrame(
        {
            "model": ["a", None],
            "cost_per_success": [0.000754, np.nan],
            "success_rate": [0.4178, 0.4],
            "attempts": pd.array([225, pd.NA], dtype="Int64"),
            "on_frontier": [True, False],
        }
    )
    kinds = {"cost_per_success": "money", "success_rate": "pct", "attempts": "count"}
    assert as_text(frame, kinds).to_dict("list") == {
        "model": ["a", "—"],
        "cost_per_success": ["$0.000754", "—"],
        "success_rate": ["41.8%", "40.0%"],
        "attempts": ["225", "—"],
        "on_frontier": ["yes", "no"],
    }
    shown = styled(frame, kinds, "EUR")
    # Sorting on the page uses the numbers; a missing count is a float NaN, read as "—".
    assert shown.data["cost_per_success"].tolist()[0] == 0.000754
    assert shown.data["attempts"].dtype == "float64"
    html = shown.to_html()
    assert "€0.000754" in html and "41.8%" in html and "None" not in html and "nan" not in html


def test_log_ticks_of_a_dollar_axis_read_as_money() -> None:
    values, labels = log_ticks(0.0004, 0.9)
    assert labels == ["$0.001", "$0.01", "$0.1"]  # 1-2-5 steps would be nine ticks: powers of ten only
    assert all(lab.startswith("$") and "µ" not in lab and "m" not in lab for lab in labels)
    assert values == sorted(values) and len(values) <= 8
    assert log_ticks(1, 20)[1] == ["$1", "$2", "$5", "$10", "$20"]
    assert log_ticks(0, 5) == ([], [])
