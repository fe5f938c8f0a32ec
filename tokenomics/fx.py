"""Currency: USD amounts shown in CNY or EUR at a stated, dated reference rate.

Every cost is computed in USD (prices are published in USD); another currency only converts
what is shown, at a rate the user can see and change, with the day it was read. The bundled
rates are the European Central Bank's euro reference rates, which quote every currency per
euro, so the rates per US dollar are cross rates through the euro:

    CNY per USD = (CNY per EUR) / (USD per EUR)        EUR per USD = 1 / (USD per EUR)

Worked example (ECB reference rates of 2026-08-21: 1 EUR = 1.1699 USD = 7.8624 CNY):
1 USD = 7.8624 / 1.1699 = 6.7206 CNY and 1 / 1.1699 = 0.8548 EUR, so a solved task at
$0.0119 costs ¥0.0800 or €0.0102.

>>> table = pd.DataFrame({"rate_date": [date(2026, 7, 31), date(2026, 8, 21)], "usd_per_eur": [1.1485, 1.1699],
...     "cny_per_eur": [7.7539, 7.8624], "publisher": ["ECB", "ECB"]})
>>> rate = rate_on(table, "CNY")
>>> round(rate.per_usd, 4), rate.rate_date, round(float(convert(0.0119, rate.per_usd)), 4)
(6.7206, datetime.date(2026, 8, 21), 0.08)
>>> round(rate_on(table, "EUR", date(2026, 8, 1)).per_usd, 4)
0.8707
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tokenomics.errors import InputError

CONVERTIBLE = ("CNY", "EUR")


@dataclass(frozen=True)
class Rate:
    """Units of ``currency`` per US dollar, the day it applies to, and where it comes from."""

    currency: str
    per_usd: float
    rate_date: date
    source: str

    def label(self) -> str:
        """The rate as a buyer reads it beside a figure.

        >>> Rate("CNY", 6.72057, date(2026, 8, 21), "ECB").label()
        '1 USD = 6.7206 CNY (ECB, 2026-08-21)'
        """
        return f"1 USD = {self.per_usd:.4f} {self.currency} ({self.source}, {self.rate_date.isoformat()})"


def per_usd(table: pd.DataFrame, currency: str) -> pd.Series:
    """Units of ``currency`` per USD on every row of a table of per-euro reference rates."""
    usd = table["usd_per_eur"].to_numpy(dtype=float)
    if currency == "EUR":
        return pd.Series(1.0 / usd, index=table.index)
    if currency == "CNY":
        return pd.Series(table["cny_per_eur"].to_numpy(dtype=float) / usd, index=table.index)
    raise InputError(f"no reference rate for {currency!r}", expected="one of: " + ", ".join(CONVERTIBLE))


def rate_on(table: pd.DataFrame, currency: str, on: date | None = None) -> Rate:
    """The latest reference rate on or before ``on`` (the latest of all without a day).

    ``table`` has ``rate_date``, ``usd_per_eur``, ``cny_per_eur`` and ``publisher`` columns.
    """
    dates = pd.to_datetime(table["rate_date"]).dt.date
    usable = table[dates <= on] if on is not None else table
    if usable.empty:
        first = min(dates)
        raise InputError(f"no reference rate on or before {on}", expected=f"a day from {first} on")
    latest = int(np.argmax(pd.to_datetime(usable["rate_date"]).to_numpy()))
    row = usable.iloc[[latest]]
    value = float(per_usd(row, currency).iloc[0])
    return Rate(currency, value, pd.Timestamp(row["rate_date"].iloc[0]).date(), str(row["publisher"].iloc[0]))


def convert(usd: float | np.ndarray, rate: float) -> np.ndarray:
    """USD amounts in the other currency: ``usd x rate`` (inf stays inf, unknown stays unknown)."""
    converted: np.ndarray = np.asarray(usd, dtype=float) * rate
    return converted
