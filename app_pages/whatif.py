"""What-if page: turn the scenario knobs, see the ranking, the winner's sensitivities and the crossovers."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from inputs.scenario_file import parse_scenario
from measurements.load import combine
from reports.procurement import ASSUMPTIONS, assemble, to_csv, to_html, to_xlsx
from tokenomics.errors import InputError
from tokenomics.format import money
from tokenomics.scenario import TIERS, with_presets
from tokenomics.scenario_apply import SCENARIO_COLUMNS, check_labels
from ui.data import parse_upload, snapshot_info, today
from ui.safe import md
from ui.whatif import (
    CURRENCIES,
    DATA_SETS,
    PRICE_INPUTS,
    TOKEN_SLIDERS,
    model_sheet,
    prepared,
    prepared_frame,
    provider_sheet,
    scenario_from_url,
    scenario_from_widgets,
    widget_state,
)

st.title("What-if: cost per solved task under your assumptions")
st.caption(
    "Price changes, token budgets, fresh-data haircut, retries with a verifier, escalation to a second model, "
    "the cost of a failure, service tiers, currency and monthly volume. The page's address holds the whole "
    "scenario: copy it to share this exact view."
)

ss = st.session_state
url_scenario, url_problem = scenario_from_url()
if url_problem:
    st.error(f"The link's scenario was not used: {md(url_problem)}", icon=":material/error:")
ss.setdefault("wi_data", st.query_params.get("data") if st.query_params.get("data") in DATA_SETS else "aider")
ss.setdefault("wi_sheet_scenario", url_scenario)
ss.setdefault("wi_version", 0)


def apply_loaded(scenario) -> None:
    """Show a loaded scenario in every widget and sheet."""
    ss.update(widget_state(scenario))
    ss["wi_sheet_scenario"] = scenario
    ss["wi_version"] += 1


with st.sidebar:
    st.header("Scenario")
    loaded = st.file_uploader("Load a scenario (JSON)", type=["json"], key="wi_load")
    if loaded is not None and loaded.file_id != ss.get("wi_loaded_id"):
        try:
            apply_loaded(parse_scenario(loaded.getvalue(), loaded.name))
            ss["wi_loaded_id"] = loaded.file_id
        except InputError as exc:
            st.error(md(exc), icon=":material/error:")
    data = st.radio("Data", list(DATA_SETS), format_func=DATA_SETS.get, key="wi_data")
    upload = None
    if data == "upload":
        upload = st.file_uploader("Measurements (CSV or JSONL)", type=["csv", "jsonl", "json"], key="wi_upload")

if data == "upload":
    if upload is None:
        st.info("Upload a measurement file in the sidebar (the same shapes as on the Compare page).")
        st.stop()
    try:
        measured = parse_upload(upload.getvalue(), upload.name)
    except InputError as exc:
        st.error(f"Could not read the upload. {md(exc)}", icon=":material/error:")
        st.stop()
    digest = hashlib.sha1(upload.getvalue()).hexdigest()
    ready = prepared_frame(combine([measured]), f"upload {upload.name} {digest}")
else:
    ready = prepared(data)
labels = ready.base.models["model"].astype(str).tolist()
providers = sorted(p for p in ready.base.models["provider"].astype(str).unique() if p)

# Widgets take their first value from the link; after that the link follows the widgets.
for key, value in widget_state(url_scenario).items():
    ss.setdefault(key, value)
unknown = [m for m in ss["wi_cascade"] if m not in labels]
if unknown:
    st.warning(f"Cascade model(s) not in this data set, dropped: {md(', '.join(map(str, unknown)))}")
    ss["wi_cascade"] = [m for m in ss["wi_cascade"] if m in labels]

with st.sidebar:
    with st.expander("Prices", expanded=True):
        st.slider("All prices ×", 0.0, 3.0, step=0.05, key="wi_price", help="A price war: 0.7. A rise: 1.3.")
        st.number_input("Input price ×", min_value=0.0, step=0.1, key=PRICE_INPUTS["input"])
        st.number_input("Output price ×", min_value=0.0, step=0.1, key=PRICE_INPUTS["output"])
        st.selectbox(
            "Service tier (all providers)",
            TIERS,
            key="wi_tier",
            help="Per-provider tiers and factors: 'Per provider and per model' below the table.",
        )
    with st.expander("Tokens per attempt"):
        st.slider("Input tokens ×", 0.0, 3.0, step=0.05, key=TOKEN_SLIDERS["input"], help="A shorter prompt: 0.7.")
        st.slider("Cached input tokens ×", 0.0, 3.0, step=0.05, key=TOKEN_SLIDERS["cache_read"])
        st.slider("Output tokens ×", 0.0, 3.0, step=0.05, key=TOKEN_SLIDERS["output"])
        st.slider(
            "Reasoning tokens ×", 0.0, 3.0, step=0.05, key=TOKEN_SLIDERS["reasoning"], help="A longer thinking budget."
        )
    with st.expander("Success and retries", expanded=True):
        st.slider(
            "Fresh-data haircut h (all models)",
            0.0,
            0.9,
            step=0.01,
            key="wi_haircut",
            help="p_fresh = p (1 - h): how much the benchmark flatters the model.",
        )
        st.toggle(
            "AIME 2024→2025 haircut presets",
            key="wi_presets",
            help="Per model where the AIME table has it, else the origin group's mean (CN 21.0%, Western 10.4%).",
        )
        st.number_input("Attempts per task k (with a verifier)", min_value=1, max_value=20, step=1, key="wi_k")
        st.number_input("Verifier cost per attempt (USD)", min_value=0.0, step=0.001, format="%.4f", key="wi_verifier")
        st.multiselect(
            "Cascade: try these in order",
            labels,
            key="wi_cascade",
            help="Model A first; on a verified failure model B (then C). Pick two or more, in order.",
        )
    with st.expander("Cost of a failure"):
        st.number_input("Minutes a person spends on a failed task", min_value=0.0, step=1.0, key="wi_fail_minutes")
        st.number_input("Hourly rate (USD)", min_value=0.0, step=5.0, key="wi_hourly")
        st.number_input("Flat cost per failed task (USD)", min_value=0.0, step=0.5, key="wi_fail_flat")
    with st.expander("Currency and volume", expanded=True):
        currency = st.selectbox("Currency", CURRENCIES, key="wi_currency")
        st.number_input(
            f"{currency} per USD", min_value=0.0001, step=0.01, format="%.4f", key="wi_fx", disabled=currency == "USD"
        )
        st.date_input("Rate read on", key="wi_fx_date", disabled=currency == "USD", value=None)
        st.number_input("Tasks per month", min_value=0.0, step=1000.0, format="%.0f", key="wi_volume")

# The results are drawn above the per-provider/per-model sheets, which must be read first.
results = st.container()

# ---- per provider / per model sheets ------------------------------------------------------------
sheet_scenario = ss["wi_sheet_scenario"]
suffix = f"{data}_{ss['wi_version']}_" + hashlib.sha1("\x00".join(labels).encode()).hexdigest()[:8]
with st.expander("Per provider and per model: price multipliers, service tiers, own haircuts"):
    st.caption(
        "Tier factors are the ones the provider publishes (genai-prices price variants) where known, else 1.0: "
        "edit them. A model's own haircut overrides the global one and the presets."
    )
    provider_edit = st.data_editor(
        provider_sheet(providers, sheet_scenario),
        key=f"wi_providers_{suffix}",
        hide_index=True,
        disabled=["provider"],
        column_config={
            "price_x": st.column_config.NumberColumn("price ×", min_value=0.0, step=0.05),
            "tier": st.column_config.SelectboxColumn("tier", options=["(global)", *TIERS]),
            **{f"{t}_factor": st.column_config.NumberColumn(f"{t} factor", min_value=0.0) for t in TIERS[1:]},
        },
    )
    model_edit = st.data_editor(
        model_sheet(labels, sheet_scenario),
        key=f"wi_models_{suffix}",
        hide_index=True,
        disabled=["model"],
        column_config={
            "price_x": st.column_config.NumberColumn("price ×", min_value=0.0, step=0.05),
            "haircut": st.column_config.NumberColumn("own haircut", min_value=0.0, max_value=0.99, step=0.01),
        },
    )

try:
    scenario = scenario_from_widgets(provider_edit, model_edit)
    check_labels(ready.base, scenario, "the page's scenario")
except InputError as exc:
    st.error(md(exc), icon=":material/error:")
    st.stop()

# The link follows the widgets (an upload cannot travel in a link; the scenario still does).
link = scenario.to_json()
if link != "{}":
    st.query_params["scenario"] = link
elif "scenario" in st.query_params:
    del st.query_params["scenario"]
st.query_params["data"] = data

with results:
    # ---- results ---------------------------------------------------------------------------------------
    info = snapshot_info()
    context = {
        "measurements": DATA_SETS[data] if data != "upload" or upload is None else f"upload {upload.name}",
        "prices": info.label(),
        "priced as of": "each run's own date (today if undated)",
        "generated on": today().isoformat(),
    }
    resolved = with_presets(scenario, ready.presets)
    content = assemble(
        ready.base, resolved, ready.comparison.summary, context, ready.comparison.prices_in_use, ready.presets
    )
    table = content.whatif
    cur = scenario.currency

    st.subheader(md(content.headline))
    ranked = table.sort_values("rank", na_position="last")
    top = ranked.iloc[0]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Cheapest", str(top["model"]))
    c2.metric("Cost per solved task", money(float(top["cost_per_success"]), cur))
    c3.metric("P(solved)", f"{top['p_solved']:.1%}", help=str(top["method"]))
    c4.metric(
        "Monthly total",
        money(float(top["monthly_total"]), cur) if scenario.tasks_per_month > 0 else "set a volume",
        help="Tasks per month x (cost per task + unsolved share x failure cost).",
    )
    if content.notes:
        st.caption("Crossovers: how far prices must move before the cheapest single model loses its place.")
    for sentence in content.notes:
        st.markdown(f"- {md(sentence)}")

    show = ranked[SCENARIO_COLUMNS]
    num = st.column_config.NumberColumn
    money_format = {"USD": "$%.4f", "EUR": "€%.4f", "CNY": "¥%.4f"}[cur]
    first = ["rank", "model", "cost_per_success", "cost_per_task_with_failures", "p_solved", "expected_attempts"]
    st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        key="wi_table",
        column_order=[*first, *(c for c in SCENARIO_COLUMNS if c not in first)],
        column_config={
            "success_rate": num("measured success", format="percent"),
            "p_fresh": num("p after haircut", format="percent"),
            "p_solved": num("P(solved)", format="percent"),
            "haircut": num("haircut", format="percent"),
            "expected_attempts": num("E[attempts]", format="%.2f"),
            **{c: num(c.replace("_", " "), format=money_format) for c in ("cost_per_attempt", "cost_per_task")},
            "cost_per_success": num("cost per solved task", format=money_format),
            "cost_per_task_with_failures": num("cost per task incl. failures", format=money_format),
            "seconds_per_attempt": num("s/attempt (measured)", format="%.1f"),
            "seconds_per_success": num("s/solved task", format="%.1f", help="time per attempt x E[A] / P(solved)"),
            "on_frontier": st.column_config.CheckboxColumn("Pareto"),
        },
    )
    off = table[~np.isfinite(table["cost_per_success"].to_numpy(dtype=float))]
    if not off.empty:
        st.caption(
            "No finite cost per solved task (unpriced or never solved): " + md(", ".join(off["model"].astype(str)))
        )

    left, right = st.columns(2)
    for (title, fig), column, key in zip(
        content.figures.items(), (left, right), ("wi_pareto", "wi_tornado"), strict=False
    ):
        with column:
            st.markdown(f"**{title}**")
            st.plotly_chart(fig, key=key)

    with st.expander("Assumptions and sources"):
        st.markdown("\n".join(f"- {a}" for a in ASSUMPTIONS))
        methods = table[["model", "method"]]
        st.dataframe(methods, hide_index=True, width="stretch", key="wi_methods")
        for name in ("haircut presets", "service tiers"):
            if name in content.extra_tables:
                st.markdown(f"**{name.capitalize()}**")
                st.dataframe(content.extra_tables[name], hide_index=True, width="stretch", key=f"wi_{name[:4]}")
        if scenario.currency != "USD":
            st.caption(f"1 USD = {scenario.exchange_rate} {cur}, read on {scenario.rate_date}.")

    # ---- save, share, export ---------------------------------------------------------------------------
    st.markdown("**Save, share, export**")
    st.code("?" + "&".join(f"{k}={v}" for k, v in (("data", data), ("scenario", link))), language=None)
    d1, d2, d3, d4 = st.columns(4)
    d1.download_button(
        "Scenario (JSON)", scenario.model_dump_json(indent=2, exclude_defaults=True), "scenario.json", key="wi_dl_json"
    )
    d2.download_button(
        "Report (HTML)", lambda: to_html(content), "tokenomics_report.html", "text/html", key="wi_dl_html"
    )
    d3.download_button(
        "Report (XLSX)",
        lambda: to_xlsx(content),
        "tokenomics_report.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="wi_dl_xlsx",
    )
    d4.download_button("Table (CSV)", lambda: to_csv(content), "tokenomics_whatif.csv", "text/csv", key="wi_dl_csv")
