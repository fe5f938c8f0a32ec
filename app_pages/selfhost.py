"""Self-host page: at what monthly volume does running an open-weight model yourself beat an API, per solved task."""

from __future__ import annotations

import hashlib
from typing import Literal

import numpy as np
import pandas as pd
import streamlit as st

from inputs.gpu_presets import load_presets
from measurements.load import combine
from reports.format import styled
from reports.selfhost_charts import monthly_cost_figure
from tokenomics.errors import InputError
from tokenomics.format import MISSING, count, money, pct
from tokenomics.memory import BYTES_PER_PARAMETER, KV_PRECISIONS, USABLE_SHARE, memory_check, params_for
from tokenomics.selfhost import (
    GpuPreset,
    SelfHostPlan,
    hosting,
    options_table,
    owned_gpu_hourly,
    tokens_per_attempt,
    verdict,
    workload_of,
)
from ui.data import custom_sheets, load_bundled, parse_upload, run_comparison
from ui.origins import params_table, with_origins
from ui.safe import md

DEFAULT_MODEL = "DeepSeek-V3.2-Exp (Chat)"
DEFAULT_APIS = ("gpt-5 (medium)", "claude-sonnet-4-20250514 (no thinking)")
# The one preset whose price and throughput both come from a public source, for the default DeepSeek model.
DEFAULT_PRESET = "DeepSeek V3/R1 deployment unit, 176 x H800 (DeepSeek's fleet average)"
PRESET_FIELDS = ("gpus", "gpu_hourly", "other_hourly", "throughput")
# Every input keeps its value for the whole session: a page switch or a missing upload loses nothing.
KEEP: Literal["session"] = "session"
ss = st.session_state


@st.cache_data(show_spinner=False)
def presets() -> list[GpuPreset]:
    return load_presets()


def apply_preset() -> None:
    """Copy the chosen preset into the hosting inputs, which stay editable. Runs only when the user picks
    a preset (and once, on the first visit): the user's own figures are never replaced behind their back."""
    preset = next(p for p in presets() if p.preset == ss["sh_preset"])
    for field in PRESET_FIELDS:
        ss[f"sh_{field}"] = getattr(preset, field)
    ss["sh_gpu"] = preset.gpu
    ss["sh_gpu_memory"] = preset.gpu_memory_gb
    ss["sh_utilisation"] = round(preset.utilisation * 100)


if "sh_initialised" not in ss:
    names = [p.preset for p in presets()]
    ss["sh_preset"] = DEFAULT_PRESET if DEFAULT_PRESET in names else names[0]
    apply_preset()
    ss["sh_initialised"] = True

st.title("Self-host or API, per solved task")
st.caption(
    "GPUs cost money every hour, busy or idle, and come in whole replicas: self-hosting pays only above a "
    "break-even volume. Token use and success rate are measured; every hosting figure is your assumption."
)

# ---- measurements -----------------------------------------------------------------------------
with st.sidebar:
    st.header("Measurements")
    source = st.radio("Data", ["Bundled public data", "My upload"], key="sh_source", persist_state=KEEP)
    upload = st.file_uploader("Upload measurements (CSV or JSONL)", type=["csv", "jsonl", "ndjson"], key="sh_upload")
sets = [load_bundled()] if source == "Bundled public data" else []
if upload is not None and source == "My upload":
    try:
        sets.append(parse_upload(upload.getvalue(), upload.name))
    except InputError as exc:
        st.error(f"Could not read the upload. {md(exc)}", icon=":material/error:")

summary = with_origins(run_comparison(combine(sets), custom_sheets(), None, None, False).summary) if sets else None
open_weight = summary["open_weights"].eq(True) if summary is not None else pd.Series(dtype=bool)
hostable: list[str] = []
if summary is not None:
    usable = tokens_per_attempt(summary).notna() & (summary["successes"] > 0) & open_weight
    hostable = summary.loc[usable, "model"].tolist()

st.subheader("Model and options")
model = None
chosen: list[str] = []
if summary is None:
    st.info("Upload a measurement file in the sidebar, or choose the bundled public data. Your hosting inputs stay.")
elif not hostable:
    closed = int((~open_weight).sum())
    st.warning(
        "No open-weight model in these measurements has token counts and a success: nothing to run on your own "
        f"GPUs. ({closed} model(s) have no published weights or an origin the bundled table does not know: "
        "data/model_origins.csv.)"
    )
else:
    priced = summary[np.isfinite(summary["cost_per_success"])]["model"].tolist()
    left, right = st.columns(2)
    if ss.get("sh_model") not in hostable:
        ss["sh_model"] = DEFAULT_MODEL if DEFAULT_MODEL in hostable else hostable[0]
    model = left.selectbox(
        "Open-weight model to self-host",
        hostable,
        key="sh_model",
        help="Only models whose weights are published (data/model_origins.csv). Its measured tokens per attempt "
        "and success rate are used: pick the run closest to your serving setup.",
        persist_state=KEEP,
    )
    if "sh_apis" not in ss:
        ss["sh_apis"] = [m for m in (DEFAULT_MODEL, *DEFAULT_APIS) if m in priced]
    chosen = right.multiselect(
        "API options to compare with",
        priced,
        key="sh_apis",
        help="The same model on its own API or an inference provider, or a closed model.",
        persist_state=KEEP,
    )

# The answer comes first, the assumptions it rests on below it (filled once they are read).
answer = st.container()

# ---- hosting assumptions: always drawn, so they keep their values whatever the data ---------------
st.subheader("Hosting assumptions")
preset_name = st.selectbox(
    "Start from a preset (then edit any figure)",
    [p.preset for p in presets()],
    key="sh_preset",
    on_change=apply_preset,
    persist_state=KEEP,
)
preset = next(p for p in presets() if p.preset == preset_name)
st.caption(
    f"Price: {md(preset.price_source)}, {md(preset.price_as_of)}. Throughput: {md(preset.throughput_source)}"
    + (f", {md(preset.throughput_as_of)}" if preset.throughput_as_of else "")
    + f". {md(preset.note)} Presets are public figures or placeholders, never measurements of your system."
)
c1, c2, c3, c4 = st.columns(4)
gpu = c1.text_input("GPU kind", key="sh_gpu", persist_state=KEEP)
gpus = c2.number_input("GPUs per replica", min_value=1, step=1, key="sh_gpus", persist_state=KEEP)
gpu_hourly_input = c3.number_input(
    "USD per GPU-hour", min_value=0.0, step=0.1, format="%.2f", key="sh_gpu_hourly", persist_state=KEEP
)
other_hourly = c4.number_input(
    "Other USD per replica-hour",
    min_value=0.0,
    step=0.1,
    format="%.2f",
    key="sh_other_hourly",
    help="Power and hosting if not in the GPU price, the CPU host, network.",
    persist_state=KEEP,
)
c1, c2, c3, c4 = st.columns(4)
throughput = c1.number_input(
    "Replica throughput (tokens/s)",
    min_value=0.0,
    step=100.0,
    format="%.0f",
    key="sh_throughput",
    help="Input and output tokens per second of one replica at your batch size: measure it on your own serving stack.",
    persist_state=KEEP,
)
utilisation = (
    c2.slider(
        "Utilisation (%)",
        min_value=1,
        max_value=100,
        key="sh_utilisation",
        help="Share of the paid hours spent serving at that throughput.",
        persist_state=KEEP,
    )
    / 100
)
fixed_monthly = c3.number_input(
    "Fixed USD per month",
    min_value=0.0,
    value=0.0,
    step=500.0,
    key="sh_fixed_monthly",
    help="Staff time, monitoring.",
    persist_state=KEEP,
)
volume = c4.number_input(
    "Your volume (solved tasks/month)",
    min_value=0.0,
    value=100_000.0,
    step=10_000.0,
    format="%.0f",
    key="sh_volume",
    persist_state=KEEP,
)

with st.expander("Owned hardware: amortise the purchase instead of renting"):
    owned = st.toggle("Use owned hardware for the GPU-hour price", key="sh_owned", persist_state=KEEP)
    o1, o2, o3, o4 = st.columns(4)
    purchase = o1.number_input(
        "Purchase USD per GPU", min_value=0.0, value=25_000.0, step=1000.0, key="sh_purchase", persist_state=KEEP
    )
    months = o2.number_input(
        "Written off over (months)", min_value=1.0, value=36.0, step=6.0, key="sh_months", persist_state=KEEP
    )
    watts = o3.number_input(
        "Power per GPU (W)", min_value=0.0, value=700.0, step=50.0, key="sh_watts", persist_state=KEEP
    )
    kwh = o4.number_input(
        "USD per kWh", min_value=0.0, value=0.15, step=0.01, format="%.3f", key="sh_kwh", persist_state=KEEP
    )
    owned_hourly = owned_gpu_hourly(purchase, months, watts, kwh)
    st.caption(
        f"{money(purchase)} / ({months:.0f} x 730 h) + {watts:.0f} W x {money(kwh)}/kWh = "
        f"{money(owned_hourly)} per GPU-hour. The starting figures are placeholders: enter your own."
    )
gpu_hourly = owned_hourly if owned else gpu_hourly_input

# ---- does the model fit on a replica? ----------------------------------------------------------
st.subheader("Does the model fit on a replica?")
known: pd.Series | None = None
if model is not None and summary is not None:
    row = summary[summary["model"] == model]
    known = params_for(
        row["model"].reset_index(drop=True), row["model_id"].reset_index(drop=True), params_table()
    ).iloc[0]
m1, m2, m3, m4, m5 = st.columns(5)
slot = hashlib.sha1(str(model).encode()).hexdigest()[:10]  # each model keeps its own figures
known_params = float(known["total_params_b"]) if known is not None and pd.notna(known["total_params_b"]) else None
params_b = m1.number_input(
    "Parameters (billions)",
    min_value=0.1,
    value=known_params,
    step=1.0,
    format="%.1f",
    key=f"sh_params_{slot}",
    placeholder="from the model card",
    help="All parameters: a mixture of experts keeps every expert in memory.",
    persist_state=KEEP,
)
native = str(known["native_precision"]) if known is not None and pd.notna(known["native_precision"]) else ""
precision = m2.selectbox(
    "Weights served in",
    list(BYTES_PER_PARAMETER),
    index=list(BYTES_PER_PARAMETER).index("FP8") if "FP8" in native.upper() else 0,
    key=f"sh_precision_{slot}",
    help="Bytes per parameter: BF16/FP16 2, FP8/INT8 1, INT4/FP4 0.5.",
    persist_state=KEEP,
)
gpu_memory = m3.number_input(
    "Memory per GPU (GB)",
    min_value=1.0,
    step=8.0,
    format="%.0f",
    key="sh_gpu_memory",
    value=None,
    placeholder="e.g. 80",
    help="As sold: 80 GB on an H100 (80 GiB). The presets fill it from the GPU's name.",
    persist_state=KEEP,
)
known_context = int(known["context_tokens"]) if known is not None and pd.notna(known["context_tokens"]) else None
context = m4.number_input(
    "Context per sequence (tokens)",
    min_value=1,
    value=min(32_768, known_context or 32_768),
    step=4096,
    key=f"sh_context_{slot}",
    help="Prompt plus output of one request at its longest.",
    persist_state=KEEP,
)
sequences = m5.number_input(
    "Sequences at once",
    min_value=1,
    value=8,
    step=1,
    key="sh_sequences",
    help="Concurrent requests per replica.",
    persist_state=KEEP,
)
kv_per_token = (
    float(known["kv_bytes_per_token_bf16"])
    if known is not None and pd.notna(known["kv_bytes_per_token_bf16"])
    else None
)
kv_precision = st.radio("KV cache in", list(KV_PRECISIONS), horizontal=True, key="sh_kv_precision", persist_state=KEEP)
if known is not None and pd.notna(known["model"]):
    st.caption(
        f"{md(known['model'])}: {float(known['total_params_b']):,g}B parameters, "
        f"native {md(native or 'precision not stated')}, "
        + (
            f"{count(kv_per_token)} bytes of KV cache per token in BF16"
            if kv_per_token
            else "KV-cache size per token not in the sources"
        )
        + (f", context up to {count(known_context)} tokens" if known_context else "")
        + f". Source: {md(known['source'])}."
    )
elif model is not None:
    st.caption(
        f"{md(model)} is not in the bundled parameter table (data/model_params.csv): enter its parameter count from "
        "its model card to check the fit."
    )
fit = None
if model is not None and params_b and gpu_memory:
    fit = memory_check(
        str(model),
        float(params_b),
        str(precision),
        kv_per_token,
        int(context),
        int(sequences),
        float(gpu_memory),
        int(gpus),
        USABLE_SHARE,
        str(kv_precision),
    )
    if fit.fits:
        st.success(md(fit.summary()), icon=":material/check:")
    else:
        st.error(md(fit.reason), icon=":material/block:")
elif model is not None:
    st.info("Give the parameter count and the memory per GPU to check that the model fits on a replica.")
st.caption(
    f"Weights = parameters x bytes per parameter; KV cache = bytes per token x context x sequences; usable = "
    f"{pct(USABLE_SHARE)} of GPU memory x GPUs per replica (vLLM's default share). GiB throughout. "
    "A necessary condition, not a sufficient one: activations at long prompts need room too."
)

if model is None or summary is None:
    st.stop()

with answer:
    st.subheader("Self-host against the APIs")
    if fit is not None and not fit.fits:
        # An infeasible replica has no cost to compare: say why, here where the answer would be.
        st.error(md(fit.reason), icon=":material/block:")
        st.caption("Change the GPUs per replica, the precision or the load under 'Does the model fit on a replica?'.")
        st.stop()
    try:
        plan = SelfHostPlan(
            hosting(
                gpu=gpu or "GPU",
                gpus=int(gpus),
                gpu_hourly=gpu_hourly,
                other_hourly=other_hourly,
                throughput=throughput,
                utilisation=utilisation,
                fixed_monthly=fixed_monthly,
            ),
            workload_of(summary, model),
        )
    except InputError as exc:
        st.error(f"Check the hosting inputs: {md(exc)}", icon=":material/error:")
        st.stop()

    apis = summary.set_index("model").loc[chosen].reset_index()
    table = options_table(plan, model, apis, volume)
    r1, r2, r3, r4 = st.columns(4)
    r1.metric(
        "Self-host per solved task",
        money(float(plan.cost_per_success(volume))),
        help="At your volume: monthly cost / volume, fixed costs and idle replica time included.",
    )
    r2.metric("Monthly cost", money(float(plan.monthly_cost(volume))))
    r3.metric("Replicas", count(int(plan.replicas(volume))))
    r4.metric("Self-host $/M tokens", money(plan.usd_per_mtok), help="H / (T x 3600 x u) x 1e6")
    st.caption(
        f"{md(model)} on {int(gpus)} x {md(gpu or 'GPU')} per replica at {count(volume)} solved tasks a month: "
        f"{count(plan.workload.tokens_per_attempt)} tokens per attempt, success rate {pct(plan.workload.success_rate)} "
        f"(measured); GPU cost {money(plan.cost_per_attempt)} per attempt and {money(plan.busy_cost_per_success)} "
        f"per solved task with the replicas busy at {pct(utilisation)}; a replica serves "
        f"{count(plan.capacity)} solved tasks a month."
    )

    api_rows = table[table["kind"] == "API"]
    for option, first, always in zip(
        api_rows["option"],
        api_rows["break_even_tasks_per_month"],
        api_rows["cheaper_from_tasks_per_month"],
        strict=True,
    ):
        st.markdown("- " + md(verdict(model, f"{option} via its API", first, always)))

    tab_table, tab_chart = st.tabs(["All options", "Monthly cost chart"], key="sh_section", on_change="rerun")
    with tab_table:
        if tab_table.open:
            shown_kinds = {
                "success_rate": "pct",
                "usd_per_mtok": "money",
                "cost_per_attempt": "money",
                "cost_per_success": "money",
                "replicas": "count",
                "monthly_cost": "money",
                "break_even_tasks_per_month": "count",
                "cheaper_from_tasks_per_month": "count",
            }
            col = st.column_config.Column
            st.dataframe(
                styled(table, shown_kinds),
                hide_index=True,
                placeholder=MISSING,
                width="stretch",
                key="sh_table",
                column_config={
                    "option": col("option"),
                    "success_rate": col("success"),
                    "usd_per_mtok": col("$/M tokens"),
                    "cost_per_attempt": col("per attempt"),
                    "cost_per_success": col("per solved task"),
                    "monthly_cost": col("monthly cost"),
                    "break_even_tasks_per_month": col("break-even (tasks/month)"),
                    "cheaper_from_tasks_per_month": col("cheaper at every volume from"),
                    "price_source": col("price source"),
                },
            )
            st.caption(
                "An API's $/M tokens is its bill per million tokens of its own measured mix. Break-even: the volume "
                "at which self-hosting first costs no more; 'cheaper from': the volume above which it never costs "
                "more (between them, a new replica can make it dearer for a while). unbounded: never."
            )
    with tab_chart:
        if tab_chart.open:
            log_axes = st.toggle(
                "Log scales",
                value=True,
                key="sh_log",
                help="Break-evens can lie orders of magnitude apart.",
                persist_state=KEEP,
            )
            with_breaks = apis.assign(break_even=api_rows["break_even_tasks_per_month"].to_numpy())
            st.plotly_chart(monthly_cost_figure(plan, model, with_breaks, volume, log=log_axes), key="sh_chart")
