"""Price a measurement frame and summarise it: the one path the CLI and the dashboard share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from genai_prices.data_snapshot import DataSnapshot

from pricing.book import attach_prices
from pricing.custom import CustomPrice
from pricing.overrides import prices_in_use
from tokenomics.compare import CompareOptions, summarise


@dataclass
class Comparison:
    summary: pd.DataFrame
    rows: pd.DataFrame
    table: pd.DataFrame
    unpriced: dict[str, str]
    prices_in_use: pd.DataFrame
    """One row per provider/model the measurements use, with its price (the page's editable sheet)."""


def compare_measurements(
    frame: pd.DataFrame,
    snapshot: DataSnapshot,
    custom: Sequence[CustomPrice] = (),
    *,
    as_of: date | None = None,
    today: date | None = None,
    options: CompareOptions | None = None,
) -> Comparison:
    priced = attach_prices(frame, snapshot, custom, as_of=as_of, today=today)
    summary = summarise(priced.rows, priced.table, options)
    in_use = prices_in_use(priced.rows, priced.table)
    return Comparison(summary, priced.rows, priced.table, priced.unpriced, in_use)
