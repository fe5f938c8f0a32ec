"""The cost of a measurement while it runs: its stored attempts priced like any comparison."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import streamlit as st

from harness.export import read_store
from tokenomics.errors import InputError
from ui.data import custom_sheets, parse_upload, run_comparison

REFRESH_S = 2.0
"""A running measurement is re-priced at most this often (the counts move every half second)."""


def run_cost(store: Path, run_id: str, graded: int) -> pd.Series | None:
    """The run's comparison row (total cost, cost per solved task, success and its interval) over the
    attempts graded so far; None before the first one. Re-priced when the count moved and at most
    every ``REFRESH_S`` seconds, from the store itself (so a resumed run counts its earlier attempts)."""
    if graded == 0:
        return None
    cache = st.session_state.setdefault("m_cost_cache", {})
    kept = cache.get(run_id)
    if kept is not None and (kept[0] == graded or time.monotonic() - kept[1] < REFRESH_S):
        return kept[2]
    try:
        text = read_store(store, [run_id])
        frame = parse_upload(text.encode(), f"run {run_id}").frame
    except InputError:
        return None
    summary = run_comparison(frame, custom_sheets(), None, None, False).summary
    row = summary.iloc[0] if len(summary) else None
    cache[run_id] = (graded, time.monotonic(), row)
    return row
