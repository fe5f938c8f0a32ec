"""Cached loaders and the cached comparison, so a widget change recomputes only what it touches."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st
from genai_prices.data_snapshot import DataSnapshot

from inputs.bundled import aider_polyglot
from inputs.datasets import dataset_path, measurement_datasets
from measurements.load import Measurements, parse_measurements, read_measurements
from pricing.book import PriceSources, default_sources
from pricing.comparison import Comparison, compare_measurements
from pricing.custom import CustomPrice
from pricing.snapshot import SnapshotInfo, bundled, describe
from tokenomics.compare import CompareOptions

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_NAME = "Aider polyglot leaderboard (bundled)"


def today() -> date:
    return datetime.now(tz=UTC).date()


@st.cache_data(show_spinner=False)
def load_bundled() -> Measurements:
    return read_measurements(aider_polyglot())


@st.cache_data(show_spinner=False)
def load_bundled_datasets() -> list[Measurements]:
    """Every bundled measurement dataset (each rows' ``dataset`` column says which)."""
    return [read_measurements(dataset_path(d.id)) for d in measurement_datasets()]


@st.cache_data(show_spinner="Reading the file...", max_entries=20)
def parse_upload(data: bytes, name: str) -> Measurements:
    return parse_measurements(data, name)


def snapshot() -> DataSnapshot:
    """The user's refreshed genai-prices data if they refreshed, else the bundled snapshot."""
    return st.session_state.get("snapshot") or bundled()


def snapshot_key() -> str:
    snap = snapshot()
    return snap.timestamp.isoformat() if snap.from_auto_update else "bundled"


def snapshot_info() -> SnapshotInfo:
    return describe(snapshot(), today())


def price_sources() -> PriceSources:
    """Every price layer below the user's sheets, with the user's refreshed data where they refreshed."""
    return default_sources(snapshot(), st.session_state.get("litellm"))


def sources_key() -> str:
    litellm = st.session_state.get("litellm")
    return snapshot_key() + ("|litellm-refreshed:" + str(litellm.as_of) if litellm is not None else "")


def custom_sheets() -> list[CustomPrice]:
    return list(st.session_state.get("custom_sheets", []))


@st.cache_data(show_spinner="Pricing and comparing...", max_entries=50)
def compare(
    frame: pd.DataFrame,
    custom_json: tuple[str, ...],
    as_of: date | None,
    baseline: str | None,
    cost_of_pass: bool,
    prefer_published: bool,
    sources_id: str,
    _sources: PriceSources,
) -> Comparison:
    custom = [CustomPrice.model_validate_json(c) for c in custom_json]
    options = CompareOptions(baseline=baseline, cost_of_pass=cost_of_pass, prefer_published=prefer_published)
    return compare_measurements(frame, _sources, custom, as_of=as_of, today=today(), options=options)


def run_comparison(
    frame: pd.DataFrame,
    custom: list[CustomPrice],
    as_of: date | None,
    baseline: str | None,
    cost_of_pass: bool,
    prefer_published: bool = False,
) -> Comparison:
    """The comparison, cached by data, prices, options and the price data in use."""
    return compare(
        frame,
        tuple(c.model_dump_json() for c in custom),
        as_of,
        baseline,
        cost_of_pass,
        prefer_published,
        sources_key(),
        price_sources(),
    )
