"""Vendor, origin and open weights of the models on a page (``data/model_origins.csv``), cached."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from inputs.model_origins import load_origins
from inputs.model_params import load_params
from tokenomics.origins import match_origins


@st.cache_data(show_spinner=False)
def origins_table() -> pd.DataFrame:
    return load_origins()


@st.cache_data(show_spinner=False)
def params_table() -> pd.DataFrame:
    return load_params()


@st.cache_data(show_spinner=False, max_entries=50)
def _origins(labels: tuple[str, ...], ids: tuple[str, ...]) -> pd.DataFrame:
    return match_origins(pd.Series(labels, dtype=object), pd.Series(ids, dtype=object), origins_table())


def with_origins(frame: pd.DataFrame, label: str = "model", model_id: str = "model_id") -> pd.DataFrame:
    """``frame`` with ``vendor``, ``origin`` and ``open_weights`` columns (already there: left as they are)."""
    if {"vendor", "origin", "open_weights"} <= set(frame.columns):
        return frame
    ids = frame[model_id] if model_id in frame.columns else frame[label]
    found = _origins(tuple(frame[label].astype(str)), tuple(ids.fillna("").astype(str)))
    return frame.assign(
        vendor=found["vendor"].to_numpy(),
        origin=found["origin"].to_numpy(),
        open_weights=found["open_weights"].to_numpy(),
    )
