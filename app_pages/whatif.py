"""What-if page: turn the scenario knobs, see the ranking, the winner's sensitivities and the crossovers."""

from __future__ import annotations

import hashlib
from typing import Literal

import numpy as np
import streamlit as st

from inputs.scenario_file import parse_scenario
from measurements.load import combine
from reports.format import styled
from reports.procurement import ASSUMPTIONS, assemble, to_csv, to_html, to_xlsx
from reports.views import WHATIF, kinds, shortlist, whatif_frame
from reports.whatif_charts import pareto_whatif_figure, tornado_figure
from tokenomics.errors import InputError
from tokenomics.format import MISSING, interval, money, pct, upper_first
from tokenomics.scenario import TIERS, with_presets
from tokenomics.scenario_analysis import solved_share
from tokenomics.scenario_apply import check_labels, ranking_name
from ui.data import parse_upload, snapshot_info, today
from ui.origins import with_origins
from ui.safe import md
from ui.whatif import (
    CURRENCIES,
    DATA_SETS,
    OWN_RATE,
    PRICE_INPUTS,
    TOKEN_SLIDERS,
    fill_rate,
    model_sheet,
    prepared,
    prepared_frame,
    provider_sheet,
    rate_days,
    rate_label,
    scenario_from_url,
    scenario_from_widgets,
    widget_state,
)

# Every knob keeps its value for the whole session, drawn or not (a page switch, a missing upload).
KEEP: Literal["session"] = "session"

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
# Widgets take their first value from the link; after that the link follows the widgets.
for key, value in widget_state(url_scenario).items():
    ss.setdefault(key, value)


def apply_loaded(scenario) -> None:
    """Show a loaded scenario in every widget and sheet."""
    ss.update(widget_state(scenario))
    ss["wi_sheet_scenario"] = scenario
    ss["wi_version"] += 1


# ---- data ----------------------------------------------------------------------------------------
with st.sidebar:
    st.header("Scenario")
    loaded = st.file_uploader("Load a scenario (JSON)", type=["json"], key="wi_load")
    if loaded is not None and loaded.file_id != ss.get("wi_loaded_id"):
        try:
            apply_loaded(parse_scenario(loaded.getvalue(), loaded.name))
            ss["wi_loaded_id"] = loaded.file_id
        except InputError as exc:
            st.error(md(exc), icon=":material/error:")
    data = st.radio("Data", list(DATA_SETS), format_func=DATA_SETS.get, key="wi_data", persist_state=KEEP)
    upload = None
    if data == "upload":
        upload = st.file_uploader("Measurements (CSV or JSONL)", type=["csv", "jsonl", "json"], key="wi_upload")

ready = None
problem = None
if data != "upload":
    ready = prepared(data)
elif upload is not None:
    try:
        measured = parse_upload(upload.getvalue(), upload.name)
        digest = hashlib.sha1(upload.getvalue()).hexdigest()
        ready = prepared_frame(combine([measured]), f"upload {upload.name} {digest}")
    except InputError as exc:
        problem = f"Could not read the upload. {md(exc)}"
labels = ready.base.models["model"].astype(str).tolist() if ready is not None else []
providers = sorted(p for p in ready.base.models["provider"].astype(str).unique() if p) if ready is not None else []
if ready is not None:
    unknown = [m for m in ss["wi_cascade"] if m not in labels]
    if unknown:
        st.warning(f"Cascade model(s) not in this data set, dropped: {md(', '.join(map(str, unknown)))}")
        ss["wi_cascade"] = [m for m in ss["wi_cascade"] if m in labels]

# ---- knobs: drawn on every run, whatever the data, so none of them loses its value ----------------
with st.sidebar:
    with st.expander("Prices", expanded=True):
        st.slider(
            "All prices ×",
            0.0,
            3.0,
            step=0.05,
            key="wi_price",
            help="A price war: 0.7. A rise: 1.3.",
            persist_state=KEEP,
        )
        st.number_input("Input price ×", min_value=0.0, step=0.1, key=PRICE_INPUTS["input"], persist_state=KEEP)
        st.number_input("Output price ×", min_value=0.0, step=0.1, key=PRICE_INPUTS["output"], persist_state=KEEP)
        st.selectbox(
            "Service tier (all providers)",
            TIERS,
            key="wi_tier",
            help="Per-provider tiers and factors: 'Per provider and per model' below the table.",
            persist_state=KEEP,
        )
    with st.expander("Tokens per attempt"):
        for key, label, helptext in (
            (TOKEN_SLIDERS["input"], "Input tokens ×", "A shorter prompt: 0.7."),
            (TOKEN_SLIDERS["cache_read"], "Cached input tokens ×", None),
            (TOKEN_SLIDERS["output"], "Output tokens ×", None),
            (TOKEN_SLIDERS["reasoning"], "Reasoning tokens ×", "A longer thinking budget."),
        ):
            st.slider(label, 0.0, 3.0, step=0.05, key=key, help=helptext, persist_state=KEEP)
    with st.expander("Success and retries", expanded=True):
        st.slider(
            "Fresh-data haircut h (all models)",
            0.0,
            0.9,
            step=0.01,
            key="wi_haircut",
            help="p_fresh = p (1 - h): how much the benchmark flatters the model.",
            persist_state=KEEP,
        )
        st.toggle(
            "AIME 2024→2025 haircut presets",
            key="wi_presets",
            help="Per model where the AIME table has it, else the origin group's mean (CN 21.0%, Western 10.4%).",
            persist_state=KEEP,
        )
        st.number_input(
            "Attempts per task k (with a verifier)", min_value=1, max_value=20, step=1, key="wi_k", persist_state=KEEP
        )
        st.number_input(
            "Verifier cost per attempt (USD)",
            min_value=0.0,
            step=0.001,
            format="%.4f",
            key="wi_verifier",
            persist_state=KEEP,
        )
        st.multiselect(
            "Cascade: try these in order",
            labels or list(ss["wi_cascade"]),
            key="wi_cascade",
            help="Model A first; on a verified failure model B (then C). Pick two or more, in order.",
            persist_state=KEEP,
        )
    with st.expander("Cost of a failure"):
        st.number_input(
            "Minutes a person spends on a failed task",
            min_value=0.0,
            step=1.0,
            key="wi_fail_minutes",
            persist_state=KEEP,
        )
        st.number_input("Hourly rate (USD)", min_value=0.0, step=5.0, key="wi_hourly", persist_state=KEEP)
        st.number_input(
            "Flat cost per failed task (USD)", min_value=0.0, step=0.5, key="wi_fail_flat", persist_state=KEEP
        )
    with st.expander("Currency and volume", expanded=True):
        currency = st.selectbox("Currency", CURRENCIES, key="wi_currency", on_change=fill_rate, persist_state=KEEP)
        foreign = currency != "USD"
        if foreign:
            st.selectbox(
                "Exchange rate",
                [*rate_days(), OWN_RATE],
                format_func=lambda choice: rate_label(currency, choice),
                key="wi_fx_ref",
                on_change=fill_rate,
                help="The European Central Bank's reference rates (data/exchange_rates.csv), for information, not "
                "for transactions: for an invoice, type the rate your contract names.",
                persist_state=KEEP,
            )
        st.number_input(
            f"{currency} per USD",
            min_value=0.0001,
            step=0.01,
            format="%.4f",
            key="wi_fx",
            disabled=not foreign,
            value=None,
            placeholder="required to convert",
            persist_state=KEEP,
        )
        st.date_input(
            "Rate of the day",
            key="wi_fx_date",
            disabled=not foreign,
            value=None,
            format="YYYY-MM-DD",
            persist_state=KEEP,
        )
        st.number_input(
            "Tasks per month", min_value=0.0, step=1000.0, format="%.0f", key="wi_volume", persist_state=KEEP
        )

if ready is None:
    if problem:
        st.error(problem, icon=":material/error:")
    else:
        st.info(
            "Upload a measurement file in the sidebar (the same shapes as on the Compare page). "
            "Your knobs keep their values meanwhile."
        )
    st.stop()

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
        placeholder=MISSING,
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
        placeholder=MISSING,
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
    info = snapshot_info()
    context = {
        "measurements": DATA_SETS[data] if data != "upload" or upload is None else f"upload {upload.name}",
        "prices": info.label(),
        "priced as of": "each run's own date (today if undated)",
        "generated on": today().isoformat(),
    }
    resolved = with_presets(scenario, ready.presets)
    origins = with_origins(ready.base.models[["model", "model_id"]])[["model", "vendor", "origin", "open_weights"]]
    content = assemble(
        ready.base,
        resolved,
        ready.comparison.summary,
        context,
        ready.comparison.prices_in_use,
        ready.presets,
        origins,
    )
    table = content.whatif
    cur = scenario.currency

    st.subheader(md(content.headline))
    if currency != cur:
        st.warning(
            f"Shown in USD: converting to {currency} needs the rate and the day it was read (sidebar).",
            icon=":material/currency_exchange:",
        )
    elif scenario.rate_note:
        st.caption(md(upper_first(scenario.rate_note)) + ". " + "Every money figure below is converted at this rate.")
    best = content.leader
    if best is not None:
        top = content.whatif[content.whatif["model"] == best].iloc[0]
        c1, c2, c3 = st.columns(3)
        figure_now = float(top["cost_per_task_with_failures" if scenario.failure_usd > 0 else "cost_per_success"])
        c1.metric(upper_first(ranking_name(scenario)), money(figure_now, cur), help=f"The cheapest: {best}")
        c2.metric("Tasks solved", solved_share(float(top["p_solved"])), help=str(top["method"]))
        c3.metric(
            "Monthly total",
            money(float(top["monthly_total"]), cur) if scenario.tasks_per_month > 0 else "set a volume",
            help="Tasks per month x (cost per task + unsolved share x failure cost).",
        )
    ranked = whatif_frame(table, monthly=scenario.tasks_per_month > 0, failures=scenario.failure_usd > 0)
    metric_column = "cost_per_task_with_failures" if scenario.failure_usd > 0 else "cost_per_success"
    short = shortlist(ranked, "p_solved", metric_column, cur, rate_label="tasks solved")
    if scenario.failure_usd > 0:
        short = short.rename(columns={"per solved task": "per task incl. failures"})
    st.table(short.set_index("model"))
    beyond = content.whatif[content.whatif["p_solved_if_independent"].notna()]
    if not beyond.empty:
        # The data cannot say what retries past its samples per task bring: both bounds, not one figure.
        st.warning(
            f"{scenario.max_attempts} attempts exceed the samples per task of {len(beyond)} model(s): the data "
            "cannot say what the extra tries bring. P(solved) with no gain from retrying past the samples, and if "
            "tries were independent at the model's overall rate: "
            + md(
                "; ".join(
                    f"{m}: {interval(lo, hi, pct)}"
                    for m, lo, hi in beyond[["model", "p_solved_no_gain", "p_solved_if_independent"]].head(5).values
                )
            ),
            icon=":material/warning:",
        )
    off = table[~np.isfinite(table["cost_per_success"].to_numpy(dtype=float))]
    if not off.empty:
        st.caption(
            "No finite cost per solved task (unpriced or never solved), not ranked: "
            + md(", ".join(off["model"].astype(str)))
        )

    # Sections are built only when opened: the charts and the export cost nothing until asked for.
    tab_table, tab_charts, tab_sens, tab_why, tab_share = st.tabs(
        ["All models", "Charts", "Sensitivity", "Assumptions and sources", "Share and export"],
        key="wi_section",
        on_change="rerun",
    )
    with tab_table:
        if tab_table.open:
            spec = {c: col for c, col in WHATIF.items() if c in ranked.columns}
            st.dataframe(
                styled(ranked, kinds(spec), cur),
                hide_index=True,
                placeholder=MISSING,
                width="stretch",
                key="wi_table",
                column_config={
                    c: (
                        st.column_config.CheckboxColumn(col.label, help=col.help or None)
                        if col.kind == "bool"
                        else st.column_config.Column(col.label, help=col.help or None)
                    )
                    for c, col in spec.items()
                },
            )
            st.caption("Money in " + cur + (f" ({md(scenario.rate_note)})" if scenario.rate_note else "") + ".")
    with tab_charts:
        if tab_charts.open:
            picks = [best, *scenario.cascade] if best is not None else list(scenario.cascade)
            figure = pareto_whatif_figure(content.whatif, cur, picks, scenario.rate_note)
            st.markdown("**Share of tasks solved against cost per solved task, under the scenario**")
            if figure is None:
                st.info("No model has a finite cost per solved task under this scenario: nothing to chart.")
            else:
                st.plotly_chart(figure, key="wi_pareto")
                st.caption(
                    "Labelled: the Pareto frontier (no model both solves more and costs less; drawn as a staircase), "
                    "the cheapest and your cascade. Hover over a point for the others."
                )
    with tab_sens:
        if tab_sens.open:
            if content.notes:
                st.markdown("**How far prices must move before the cheapest single model loses its place**")
                for sentence in content.notes:
                    st.markdown(f"- {md(sentence)}")
            bars = content.extra_tables.get("tornado")
            figure = (
                tornado_figure(bars, best, ranking_name(scenario), cur, scenario.rate_note)
                if bars is not None and best is not None
                else None
            )
            if figure is None:
                st.info("No knob moves the cheapest option's cost: nothing to chart.")
            else:
                st.plotly_chart(figure, key="wi_tornado")
                st.caption(
                    f"Each knob moved down and up around today's scenario, for {md(best)}: the headline's answer."
                )
    with tab_why:
        if tab_why.open:
            st.markdown("\n".join(f"- {a}" for a in ASSUMPTIONS))
            if scenario.rate_note:
                st.markdown(f"- {md(upper_first(scenario.rate_note))}.")
            st.dataframe(
                table[["model", "method"]], hide_index=True, width="stretch", placeholder=MISSING, key="wi_methods"
            )
            for name in ("haircut presets", "service tiers"):
                if name in content.extra_tables:
                    st.markdown(f"**{name.capitalize()}**")
                    st.dataframe(
                        content.extra_tables[name],
                        hide_index=True,
                        width="stretch",
                        placeholder=MISSING,
                        key=f"wi_{name[:4]}",
                    )
            st.caption("Prices: " + md(info.label()) + ".")
    with tab_share:
        if tab_share.open:
            st.markdown("**Link to this exact view**")
            st.code("?" + "&".join(f"{k}={v}" for k, v in (("data", data), ("scenario", link))), language=None)
            d1, d2, d3, d4 = st.columns(4)
            d1.download_button(
                "Scenario (JSON)",
                scenario.model_dump_json(indent=2, exclude_defaults=True),
                "scenario.json",
                key="wi_dl_json",
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
            d4.download_button(
                "Table (CSV)", lambda: to_csv(content), "tokenomics_whatif.csv", "text/csv", key="wi_dl_csv"
            )
            st.caption(
                "The report opens on a one-page summary a buyer can forward (question, candidates, the answer with "
                "its assumptions, price sources and dates), then the tables; print it from the browser for a PDF."
            )
