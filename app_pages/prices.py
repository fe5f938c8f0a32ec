"""Prices page: the price data in use, how old it is, refresh, and custom price sheets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pricing.book import price_listing
from pricing.custom import parse_sheet
from pricing.snapshot import refresh
from tokenomics.errors import InputError, clip
from ui.data import custom_sheets, snapshot, snapshot_info, today
from ui.safe import md

st.title("Prices")
info = snapshot_info()
age = info.age_days(today())
st.markdown(
    f"**{info.label()}**: {info.providers} providers, {info.models} models"
    + (f"; {info.scheduled_changes} announced price changes still ahead" if info.scheduled_changes else "")
    + (f". About **{age} days** old." if age is not None else ".")
)
st.caption(
    "Prices come from pydantic's genai-prices package, bundled offline. Prices move monthly: "
    "refresh to fetch genai-prices' latest data (needs network), or override a price below or on the Compare page."
)
if st.button("Refresh prices from genai-prices (network)", key="refresh"):
    try:
        st.session_state["snapshot"] = refresh()
        st.success("Fetched the latest genai-prices data; every page now uses it.")
        st.rerun()
    except Exception as exc:
        st.error(
            f"Could not refresh prices ({type(exc).__name__}: {md(clip(str(exc)))}). The bundled snapshot stays in use."
        )

st.header("Custom price sheets")
st.caption(
    "CSV or YAML with columns provider, model, input_mtok, cache_read_mtok, cache_write_mtok, output_mtok "
    "(USD per million tokens), source and checked_on. A custom row overrides genai-prices for that "
    "provider/model and is marked custom everywhere."
)
sheet = st.file_uploader("Upload a price sheet", type=["csv", "yaml", "yml"], key="price_sheet")
if sheet is not None:
    try:
        entries = parse_sheet(sheet.getvalue(), sheet.name)
    except InputError as exc:
        st.error(f"Could not read the price sheet. {md(exc)}")
    else:
        st.session_state["custom_sheets"] = entries
        st.success(f"{len(entries)} custom price(s) from {md(sheet.name)} in use.")
current = custom_sheets()
if current:
    st.dataframe(
        pd.DataFrame([c.model_dump(exclude={"tiers"}) | {"tiers": len(c.tiers)} for c in current]),
        hide_index=True,
        width="stretch",
        key="custom_table",
    )
    if st.button("Stop using custom sheets", key="clear_custom"):
        st.session_state["custom_sheets"] = []
        st.rerun()

st.header("All prices in the data")
listing = price_listing(snapshot(), today())
query = st.text_input("Filter by provider or model", key="price_filter", placeholder="e.g. deepseek, qwen, kimi")
if query:
    mask = listing["provider"].str.contains(query, case=False, regex=False) | listing["model"].str.contains(
        query, case=False, regex=False
    )
    listing = listing[mask]
st.dataframe(listing, hide_index=True, width="stretch", key="price_listing")
st.caption(
    "USD per million tokens, prices in force today. 'tiers' lists long-context prices (cliff rule: above "
    "the threshold every token of the call pays the tier price). 'periods' lists dated changes and "
    "time-of-day prices; a run with only a date is priced at the rate in force for most of that day."
)
