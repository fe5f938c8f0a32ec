"""Prices page: the price layers in use, how old each price is, where sources disagree, refresh, sheets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pricing.book import price_listing
from pricing.check import STALE_DAYS, THRESHOLD, staleness
from pricing.custom import CustomPrice, parse_sheet
from reports.format import styled
from tokenomics.errors import InputError, clip
from tokenomics.format import MISSING
from ui.data import custom_sheets, load_bundled, price_sources, run_comparison, snapshot, today
from ui.prices import catalog_disagreements, model_history, refresh_sources
from ui.safe import md

# Prices are money (USD per million tokens), in the app's one format; an unknown price reads "—".
PER_MTOK = dict.fromkeys(
    (
        "input_mtok",
        "cache_read_mtok",
        "cache_write_mtok",
        "cache_write_1h_mtok",
        "output_mtok",
        "output_reasoning_mtok",
    ),
    "money",
)

st.title("Prices")
sources = price_sources()
st.markdown("**Price layers in use**, highest precedence first:")
st.markdown(
    "1. your own price sheets and the Compare page's edits;\n"
    + (
        f"2. {len(sources.corrections)} dated corrections of this project (`data/price_corrections.csv`), each with "
        "its source;\n"
    )
    + f"3. {sources.snapshot_label(today())};\n"
    + f"4. {sources.litellm.label() if sources.litellm else 'LiteLLM: not loaded'}, for models genai-prices lacks."
)
st.caption(
    "A run is priced at the first layer whose price was in force on its date. A run dated before a model's "
    "first recorded price keeps its published cost, or is priced at the earliest recorded price with a note. "
    "Everything works offline; refreshing fetches genai-prices' and LiteLLM's current data for this session."
)
if st.button("Refresh genai-prices and LiteLLM (network)", key="refresh"):
    try:
        refresh_sources()
        st.success("Fetched the latest genai-prices and LiteLLM data; every page now uses them in this session.")
        st.rerun()
    except Exception as exc:
        reason = f"{type(exc).__name__}: {md(clip(str(exc)))}"
        st.error(f"Could not refresh prices ({reason}); the bundled data stays in use.", icon=":material/error:")

st.header("How old the prices in use are")
comparison = st.session_state.get("last_prices_in_use")
if comparison is None:
    comparison = run_comparison(load_bundled().frame, custom_sheets(), None, None, False).prices_in_use
    st.caption("For the bundled public data (open the Compare page to see the models of your own data here).")
aged = staleness(comparison, today())
st.dataframe(
    styled(
        aged[["models", "provider", "model", "layer", "input_mtok", "output_mtok", "checked_on", "age_days", "stale"]],
        {**PER_MTOK, "age_days": "count"},
    ),
    hide_index=True,
    placeholder=MISSING,
    width="stretch",
    key="staleness_table",
    column_config={
        "age_days": st.column_config.Column("days since changed or checked"),
        "input_mtok": st.column_config.Column("input $/M"),
        "output_mtok": st.column_config.Column("output $/M"),
        "stale": st.column_config.CheckboxColumn(f"older than {STALE_DAYS} days"),
    },
)

st.header("Where genai-prices and LiteLLM disagree")
found = catalog_disagreements()
st.caption(
    f"{len(found)} models both sources price differ by more than {THRESHOLD:.0%} on input or output today "
    "(USD per million tokens). The first layer is the one in use; select rows to use the other's price instead "
    "(it becomes one of your custom prices, marked with its source)."
)
picked = st.dataframe(
    styled(found, {**PER_MTOK, **{f"other_{c}": "money" for c in PER_MTOK}, "largest_gap": "pct"}),
    hide_index=True,
    placeholder=MISSING,
    width="stretch",
    key="disagreements",
    on_select="rerun",
    selection_mode="multi-row",
    column_config={"largest_gap": st.column_config.Column("gap")},
)
rows = picked.selection.rows if picked is not None else []
if rows and st.button(f"Use the other layer's price for {len(rows)} model(s)", key="use_other"):
    chosen = found.iloc[rows]
    added = [
        CustomPrice(
            provider=str(r["provider"]) or "custom",
            model=str(r["model"]),
            input_mtok=float(r["other_input_mtok"]),
            output_mtok=float(r["other_output_mtok"]),
            source=str(r["other_source"]),
            checked_on=today(),
        )
        for r in chosen.to_dict("records")
    ]
    st.session_state["custom_sheets"] = [*custom_sheets(), *added]
    st.rerun()

st.header("One model's prices, by layer and period")
reference = st.text_input("Model", key="history_model", placeholder="e.g. deepseek/deepseek-chat, glm-4.7, qwen-plus")
if reference:
    history, note = model_history(reference)
    if history.empty:
        st.info("No price layer knows this model.")
    else:
        if note:
            st.caption(md(note))
        st.dataframe(
            styled(history, PER_MTOK), hide_index=True, width="stretch", placeholder=MISSING, key="history_table"
        )

st.header("Custom price sheets")
st.caption(
    "CSV or YAML with columns provider, model, input_mtok, cache_read_mtok, cache_write_mtok, output_mtok "
    "(USD per million tokens), source and checked_on. A custom row overrides every other layer for that "
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
        styled(pd.DataFrame([c.model_dump(exclude={"tiers"}) | {"tiers": len(c.tiers)} for c in current]), PER_MTOK),
        hide_index=True,
        placeholder=MISSING,
        width="stretch",
        key="custom_table",
    )
    if st.button("Stop using custom sheets", key="clear_custom"):
        st.session_state["custom_sheets"] = []
        st.rerun()

st.header("All genai-prices prices")
listing = price_listing(snapshot(), today())
query = st.text_input("Filter by provider or model", key="price_filter", placeholder="e.g. deepseek, qwen, kimi")
if query:
    mask = listing["provider"].str.contains(query, case=False, regex=False) | listing["model"].str.contains(
        query, case=False, regex=False
    )
    listing = listing[mask]
st.dataframe(
    styled(listing, {**PER_MTOK, "requests_kcount": "money"}),
    hide_index=True,
    width="stretch",
    placeholder=MISSING,
    key="price_listing",
)
st.caption(
    "USD per million tokens, genai-prices' prices in force today (the corrections and LiteLLM layers are "
    "not in this list: see one model's prices above). 'tiers' lists long-context prices (cliff rule). "
    "'periods' lists dated changes and time-of-day prices."
)
