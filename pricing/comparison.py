"""Price a measurement frame and summarise it: the one path the CLI and the dashboard share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
from genai_prices.data_snapshot import DataSnapshot

from pricing.book import PriceSources, attach_prices
from pricing.custom import CustomPrice
from pricing.overrides import prices_in_use
from tokenomics.compare import CompareOptions, plausibility, summarise


@dataclass
class Comparison:
    summary: pd.DataFrame
    rows: pd.DataFrame
    table: pd.DataFrame
    unpriced: dict[str, str]
    prices_in_use: pd.DataFrame
    """One row per provider/model the measurements use, with its price (the page's editable sheet)."""
    notes: dict[str, str] = field(default_factory=dict)
    """Model reference -> how its provider was chosen, where that was a choice."""


def compare_measurements(
    frame: pd.DataFrame,
    sources: PriceSources | DataSnapshot,
    custom: Sequence[CustomPrice] = (),
    *,
    as_of: date | None = None,
    today: date | None = None,
    options: CompareOptions | None = None,
) -> Comparison:
    """Price every row (``pricing.book.attach_prices``), then summarise per model (``tokenomics.compare``).

    ``sources`` is every price layer below the custom sheets (``pricing.book.default_sources``);
    a bare genai-prices snapshot means that layer alone.
    """
    priced = attach_prices(frame, sources, custom, as_of=as_of, today=today)
    if as_of is not None:
        # Runs priced at a what-if date are expected to differ from what they cost on their own date.
        options = replace(options or CompareOptions(), check_repricing=False)
    summary = summarise(priced.rows, priced.table, options)
    if as_of is not None:
        # Plausibility is a property of the data, checked where it can be: at each run's own date.
        own = attach_prices(frame, sources, custom, as_of=None, today=today)
        failed = plausibility(own.rows, own.table, options)
        summary["failed_check"] = summary["model"].map(failed).fillna(summary["failed_check"]).astype(bool)
    in_use = prices_in_use(priced.rows, priced.table)
    return Comparison(summary, priced.rows, priced.table, priced.unpriced, in_use, priced.notes)


def split_datasets(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The frame's datasets, each on its own, in order of appearance (rows without one form one more).

    Datasets are never pooled: each is compared apart, with its own baseline and frontier.
    """
    if "dataset" not in frame.columns or frame["dataset"].nunique(dropna=False) <= 1:
        name = "" if "dataset" not in frame.columns or frame["dataset"].isna().all() else str(frame["dataset"].iloc[0])
        return [(name, frame)]
    keys = frame["dataset"].astype(object).where(frame["dataset"].notna(), "")
    return [(str(name), frame[keys == name]) for name in pd.unique(keys)]
