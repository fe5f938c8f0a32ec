"""Cached price checks for the Prices page, and the per-session refresh of both price sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pricing.book import PriceSources
from pricing.check import catalog_models, disagreements, layer_prices, model_prices
from pricing.litellm_map import refresh as refresh_litellm
from pricing.snapshot import refresh as refresh_genai
from ui.data import price_sources, sources_key, today


@st.cache_data(show_spinner="Comparing genai-prices with LiteLLM...", max_entries=4)
def _disagreements(sources_id: str, _sources: PriceSources) -> pd.DataFrame:
    return disagreements(layer_prices(_sources, catalog_models(_sources), today()))


def catalog_disagreements() -> pd.DataFrame:
    """Models both sources price whose prices in force today differ by more than 5%."""
    return _disagreements(sources_key(), price_sources())


def model_history(reference: str) -> tuple[pd.DataFrame, str]:
    """Every candidate price of one model reference, by layer and period, and the provider note."""
    return model_prices(price_sources(), "", reference)


def refresh_sources() -> None:
    """Fetch genai-prices (its own fetcher) and LiteLLM's map (httpx) for this session; raises on failure."""
    snapshot = refresh_genai()
    litellm = refresh_litellm(today=today())
    st.session_state["snapshot"] = snapshot
    st.session_state["litellm"] = litellm
