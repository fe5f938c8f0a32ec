"""Cached loaders and the cached comparison, so a widget change recomputes only what it touches."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st
from genai_prices.data_snapshot import DataSnapshot

from harness.importers import parse_results
from harness.log_formats import FORMATS, convert
from harness.log_formats._read import Source
from inputs.bundled import aider_polyglot
from inputs.datasets import dataset_path, measurement_datasets
from measurements.load import Measurements, parse_measurements, read_measurements
from pricing.book import PriceSources, default_sources
from pricing.comparison import Comparison, compare_measurements
from pricing.custom import CustomPrice
from pricing.snapshot import SnapshotInfo, bundled, describe
from tokenomics.compare import CompareOptions
from tokenomics.errors import InputError

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


Results = tuple[tuple[str, bool], ...]


@st.cache_data(show_spinner="Reading the file...", max_entries=20)
def parse_upload(data: bytes, name: str, results: Results | None = None) -> Measurements:
    """Measurements, or a file in one of the import formats (detected by content) converted to them.

    ``results`` (task id or attempt key -> success) supplies success to the log formats that have none.
    """
    converted = convert(Source(name, data), dict(results) if results is not None else None)
    if converted is None:
        return parse_measurements(data, name)
    title = FORMATS[converted.fmt].title
    measured = parse_measurements(converted.text("csv").encode(), f"{name} ({title})")
    tasks = len({r["task_id"] for r in converted.records})
    measured.notes = [
        f"{name}: detected {title}; converted to {len(converted.records)} attempts on {tasks} tasks",
        *(f"{name}: {note}" for note in converted.notes),
        *measured.notes,
    ]
    if converted.request_errors:
        measured.notes.append(f"{name}: {converted.request_errors} failed request(s) left out (not model failures)")
    return measured


def is_results_file(data: bytes, name: str) -> bool:
    """A file of task_id,success (no model): success for an uploaded log, not measurements."""
    head = data[:65536].decode("utf-8-sig", errors="replace").lstrip().split("\n", 1)[0]
    if head.startswith("{"):
        keys = set(re.findall(r'"([A-Za-z_]+)"\s*:', head))
    else:
        keys = {k.strip().strip('"') for k in head.split(",")}
    return {"task_id", "success"} <= keys and "model" not in keys and "attempts" not in keys


def read_uploads(files: list[tuple[bytes, str]]) -> tuple[list[Measurements], list[str]]:
    """Every uploaded file read (a results file feeding the logs uploaded with it); one error per bad file."""
    results: dict[str, bool] = {}
    errors: list[str] = []
    rest = []
    for data, name in files:
        if is_results_file(data, name):
            try:
                results.update(parse_results(data.decode("utf-8-sig", errors="replace"), name))
            except InputError as exc:
                errors.append(str(exc))
        else:
            rest.append((data, name))
    sets = []
    key = tuple(sorted(results.items())) if results else None
    for data, name in rest:
        try:
            sets.append(parse_upload(data, name, key))
        except InputError as exc:
            errors.append(str(exc))
    return sets, errors


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
