"""Cached findings for the Findings page: one dataset, its references, haircut and price date."""

from __future__ import annotations

import streamlit as st

from inputs.datasets import dataset_path
from measurements.load import Measurements, read_measurements
from pricing.book import PriceSources
from pricing.findings import DatasetFindings, dataset_findings
from ui.data import price_sources, sources_key, today

RUN_DATE = "each run's own date"
TODAY = "today's prices"


@st.cache_data(show_spinner=False)
def load_dataset(dataset_id: str) -> Measurements:
    return read_measurements(dataset_path(dataset_id))


@st.cache_data(show_spinner="Finding...", max_entries=40)
def _findings(
    dataset_id: str,
    references: tuple[str, ...],
    haircut: bool,
    price_date: str,
    sources_id: str,
    _sources: PriceSources,
) -> DatasetFindings:
    day = today()
    return dataset_findings(
        load_dataset(dataset_id).frame,
        _sources,
        references=list(references) or None,
        haircut=haircut,
        as_of=day if price_date == TODAY else None,
        today=day,
    )


def findings_of(dataset_id: str, references: tuple[str, ...], haircut: bool, price_date: str) -> DatasetFindings:
    """The findings of a bundled dataset (default references when ``references`` is empty), cached."""
    return _findings(dataset_id, references, haircut, price_date, sources_key(), price_sources())
