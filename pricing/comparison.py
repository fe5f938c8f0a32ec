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
from tokenomics.compare import CompareOptions, plausibility_of, summarise_sums
from tokenomics.scenario_apply import WhatIfBase, prepare_sums
from tokenomics.sums import Sums, measure


@dataclass
class Comparison:
    summary: pd.DataFrame
    rows: pd.DataFrame | None
    """The priced rows; None where a SQL engine kept them where they live (``engine.run``)."""
    table: pd.DataFrame
    unpriced: dict[str, str]
    prices_in_use: pd.DataFrame
    """One row per provider/model the measurements use, with its price (the page's editable sheet)."""
    notes: dict[str, str] = field(default_factory=dict)
    """Model reference -> how its provider was chosen, where that was a choice."""
    sums: Sums | None = None
    """The per-model and per-task sums the summary was made of (scenarios start from them)."""

    def base(self) -> WhatIfBase:
        """The comparison prepared for scenarios (``tokenomics.scenario_apply``)."""
        if self.sums is None:
            raise ValueError("a comparison without its sums cannot be prepared for scenarios")
        return prepare_sums(self.summary, self.sums)


@dataclass(frozen=True)
class Priced:
    """Measurements priced and summed: everything a comparison needs whatever its options.

    Small (sums per model and price, per model and task; never the rows), so a dashboard can keep
    it keyed by the data and the prices alone, and redo only the summary when a baseline, the
    reference or a display option changes.
    """

    sums: Sums
    table: pd.DataFrame
    unpriced: dict[str, str]
    prices_in_use: pd.DataFrame
    notes: dict[str, str]
    as_of: date | None = None
    own_failed: pd.Series | None = None
    """Priced at an ``as_of`` date: the plausibility check made at each run's own date."""


def summarise_priced(
    priced: Priced, options: CompareOptions | None = None, rows: pd.DataFrame | None = None
) -> Comparison:
    """The comparison of priced measurements under ``options`` (``rows``: the priced rows, where kept)."""
    options = options or CompareOptions()
    if priced.as_of is not None:
        # Runs priced at a what-if date are expected to differ from what they cost on their own date.
        options = replace(options, check_repricing=False)
    summary = summarise_sums(priced.sums, priced.table, options)
    if priced.own_failed is not None:
        # Plausibility is a property of the data, checked where it can be: at each run's own date.
        failed = summary["model"].map(priced.own_failed).fillna(summary["failed_check"])
        summary["failed_check"] = failed.astype(bool)
    return Comparison(summary, rows, priced.table, priced.unpriced, priced.prices_in_use, priced.notes, priced.sums)


def price_measurements(
    frame: pd.DataFrame,
    sources: PriceSources | DataSnapshot,
    custom: Sequence[CustomPrice] = (),
    *,
    as_of: date | None = None,
    today: date | None = None,
) -> tuple[Priced, pd.DataFrame]:
    """Price every row (``pricing.book.attach_prices``) and sum them (``tokenomics.sums``); the priced rows too."""
    priced = attach_prices(frame, sources, custom, as_of=as_of, today=today)
    sums = measure(priced.rows, priced.table)
    own_failed = None
    if as_of is not None:
        own = attach_prices(frame, sources, custom, as_of=None, today=today)
        own_failed = plausibility_of(measure(own.rows, own.table))
    in_use = prices_in_use(priced.rows, priced.table)
    return Priced(sums, priced.table, priced.unpriced, in_use, priced.notes, as_of, own_failed), priced.rows


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
    priced, rows = price_measurements(frame, sources, custom, as_of=as_of, today=today)
    return summarise_priced(priced, options, rows)


def split_datasets(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The frame's datasets, each on its own, in order of appearance (rows without one form one more).

    Datasets are never pooled: each is compared apart, with its own baseline and frontier.
    """
    if "dataset" not in frame.columns or frame["dataset"].nunique(dropna=False) <= 1:
        name = "" if "dataset" not in frame.columns or frame["dataset"].isna().all() else str(frame["dataset"].iloc[0])
        return [(name, frame)]
    keys = frame["dataset"].astype(object).where(frame["dataset"].notna(), "")
    return [(str(name), frame[keys == name]) for name in pd.unique(keys)]
