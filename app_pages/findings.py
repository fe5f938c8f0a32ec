"""Findings page (the default): is a Chinese open-weight model cheaper per solved task, not only per token?"""

from __future__ import annotations

import streamlit as st

from inputs.datasets import measurement_datasets
from reports.findings import findings_csv, findings_figure, ordered, overview
from tokenomics.compare import eligible
from tokenomics.format import MISSING
from ui.data import price_sources, today
from ui.findings import RUN_DATE, TODAY, findings_of
from ui.safe import md

DEFAULT_REFERENCE = "(default) closest Western success rate + cheapest Western model on the frontier"

st.title("Is it cheaper per solved task?")
st.caption(
    "Every Chinese open-weight model in public benchmark data against a Western reference model: its discount per "
    "token, and what is left of it per solved task once token use and success rates count. Above 1x means cheaper "
    "than the reference. Each dataset stands alone; they are never pooled."
)

datasets = measurement_datasets()
names = {d.id: d.name for d in datasets}
left, middle, right = st.columns([3, 2, 2])
haircut = middle.toggle(
    "Fresh-data haircut",
    key="findings_haircut",
    help="Shrink success rates by their fall from AIME 2024 to AIME 2025 (the model's own, else its origin "
    "group's mean: CN 21.0%, Western 10.4%): p x (1 - h).",
)
price_date = right.radio(
    "Prices",
    [RUN_DATE, TODAY],
    key="findings_prices",
    help="Each run at the prices of its own date (its published cost where repricing disagrees), or every run at "
    "today's prices: how the answer moved with the price cuts since.",
)

# The answer for every dataset at a glance, with the default references.
for d in datasets:
    st.markdown(f"**{md(d.name)}.** {md(overview(findings_of(d.id, (), haircut, price_date).findings))}")

st.divider()
dataset_id = left.radio(
    "Dataset", list(names), format_func=lambda i: names[i], key="findings_dataset", help="Shown one at a time."
)
info = next(d for d in datasets if d.id == dataset_id)
base = findings_of(dataset_id, (), haircut, price_date)
summary = base.comparison.summary
# References a user may choose: Western models whose cost per solved task stands (eligible: known, and the run
# passed the plausibility check).
western = summary[(base.origins["origin"].reindex(summary["model"]).to_numpy() == "Western") & eligible(summary)]
reference = st.selectbox(
    "Reference model",
    [DEFAULT_REFERENCE, *western.sort_values("success_rate", ascending=False)["model"]],
    key=f"findings_reference_{dataset_id}",
    help="The Western model every Chinese open-weight model is set against.",
)
result = base if reference == DEFAULT_REFERENCE else findings_of(dataset_id, (reference,), haircut, price_date)
found = ordered(result.findings)

st.subheader(md(info.name))
# Built only when opened: Plotly is the heaviest thing a page loads, and this is the page a visitor lands on.
chart = st.expander(
    "Chart: discount per token against discount per solved task", key="findings_chart_open", on_change="rerun"
)
with chart:
    if chart.open:
        st.plotly_chart(findings_figure(found), key="findings_chart")
        st.caption(
            "Each point is one model against one reference. On the diagonal the per-token discount survives whole "
            "per solved task; below it, part of it is lost; below the dotted line at 1x, the model is dearer per "
            "solved task. Bars: 95% intervals. Log axes."
        )
for sentence in found["sentence"]:
    st.markdown(f"- {md(sentence)}")

table = found[
    [
        "model",
        "reference",
        "reference_basis",
        "success_rate",
        "success_low",
        "success_high",
        "reference_success_rate",
        "output_tokens_ratio",
        "per_token_discount",
        "per_success_discount",
        "per_success_low",
        "per_success_high",
        "verdict",
        "interval_method",
        "token_mix",
        "cost_basis",
        "reference_cost_basis",
        "haircut",
        "model_note",
    ]
]
num = st.column_config.NumberColumn
st.dataframe(
    table,
    hide_index=True,
    placeholder=MISSING,
    width="stretch",
    key="findings_table",
    column_config={
        "success_rate": num("success", format="percent"),
        "success_low": num("success low (95%)", format="percent"),
        "success_high": num("success high (95%)", format="percent"),
        "reference_success_rate": num("reference success", format="percent"),
        "output_tokens_ratio": num("output tokens (x reference)", format="%.2fx"),
        "per_token_discount": num("x cheaper per token", format="%.2fx"),
        "per_success_discount": num("x cheaper per solved task", format="%.2fx"),
        "per_success_low": num("low (95%)", format="%.2fx"),
        "per_success_high": num("high (95%)", format="%.2fx"),
        "haircut": num("haircut", format="percent"),
    },
)
st.download_button(
    "Download the findings (CSV)",
    findings_csv(found),
    file_name=f"tokenomics_findings_{dataset_id}.csv",
    mime="text/csv",
    key="findings_download",
)
st.caption(
    md(
        f"Data: {info.name}, {info.unit}; {info.source}, as of {info.as_of} ({info.licence}). Prices: "
        + price_sources().label(today())
        + (". Every run priced at today's prices." if price_date == TODAY else ". Each run at its own date's prices.")
    )
)
st.caption(
    "Intervals: where the data has per-task attempts, the tasks both models attempted are resampled together "
    "(2,000 resamples); for aggregated runs, the interval reflects success-rate uncertainty only (Katz's log "
    "interval for a ratio of two success rates, the cost per attempt taken as known). Per-token discounts bill one "
    "token mix (the reference's, else the model's, else the dataset's mean) at each model's bill-weighted unit "
    "prices. Origin and open-weight status: data/model_origins.csv (editable). The Compare page has every model."
)
