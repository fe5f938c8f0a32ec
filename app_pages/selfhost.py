"""Self-host page: at what monthly volume does running an open-weight model yourself beat an API, per solved task."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from inputs.bundled import data_file
from measurements.load import combine
from reports.selfhost_charts import monthly_cost_figure
from reports.tables import money
from tokenomics.errors import InputError
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
from ui.safe import md

PRESETS_FILE = data_file("gpu_presets.csv")
DEFAULT_MODEL = "DeepSeek-V3.2-Exp (Chat)"
DEFAULT_APIS = ("gpt-5 (medium)", "claude-sonnet-4-20250514 (no thinking)")
# The one preset whose price and throughput both come from a public source, for the default DeepSeek model.
DEFAULT_PRESET = "DeepSeek V3/R1 deployment unit, 176 x H800 (DeepSeek's fleet average)"
PRESET_FIELDS = ("gpus", "gpu_hourly", "other_hourly", "throughput")


@st.cache_data(show_spinner=False)
def load_presets() -> list[GpuPreset]:
    rows = pd.read_csv(PRESETS_FILE, dtype=str, keep_default_na=False).to_dict(orient="records")
    return [GpuPreset.model_validate(row) for row in rows]


def apply_preset() -> None:
    """Copy the chosen preset into the hosting inputs, which stay editable."""
    preset = next(p for p in load_presets() if p.preset == st.session_state["sh_preset"])
    for field in PRESET_FIELDS:
        st.session_state[f"sh_{field}"] = getattr(preset, field)
    st.session_state["sh_gpu"] = preset.gpu
    st.session_state["sh_utilisation"] = round(preset.utilisation * 100)


st.title("Self-host or API, per solved task")
st.caption(
    "GPUs cost money every hour, busy or idle, and come in whole replicas: self-hosting pays only above a "
    "break-even volume. Token use and success rate are measured; every hosting figure is your assumption."
)

# ---- measurements -----------------------------------------------------------------------------
with st.sidebar:
    st.header("Measurements")
    source = st.radio("Data", ["Bundled public data", "My upload"], key="sh_source")
    upload = st.file_uploader("Upload measurements (CSV or JSONL)", type=["csv", "jsonl", "ndjson"], key="sh_upload")
sets = [load_bundled()] if source == "Bundled public data" else []
if upload is not None and source == "My upload":
    try:
        sets.append(parse_upload(upload.getvalue(), upload.name))
    except InputError as exc:
        st.error(f"Could not read the upload. {md(exc)}", icon=":material/error:")
if not sets:
    st.info("Upload a measurement file in the sidebar, or choose the bundled public data.")
    st.stop()
summary = run_comparison(combine(sets), custom_sheets(), None, None, False).summary

hostable = summary[tokens_per_attempt(summary).notna() & (summary["successes"] > 0)]["model"].tolist()
if not hostable:
    st.warning("No model in these measurements has token counts and a success: nothing to cost on your GPUs.")
    st.stop()
priced = summary[np.isfinite(summary["cost_per_success"])]["model"].tolist()

left, right = st.columns(2)
model = left.selectbox(
    "Open-weight model to self-host",
    hostable,
    index=hostable.index(DEFAULT_MODEL) if DEFAULT_MODEL in hostable else 0,
    key="sh_model",
    help="Its measured tokens per attempt and success rate are used; pick the run closest to your serving setup.",
)
chosen = right.multiselect(
    "API options to compare with",
    priced,
    default=[m for m in (DEFAULT_MODEL, *DEFAULT_APIS) if m in priced],
    key="sh_apis",
    help="The same model on its own API or an inference provider, or a closed model.",
)

# ---- hosting assumptions ---------------------------------------------------------------------
presets = load_presets()
if "sh_gpus" not in st.session_state:
    names = [p.preset for p in presets]
    st.session_state["sh_preset"] = DEFAULT_PRESET if DEFAULT_PRESET in names else names[0]
    apply_preset()
st.subheader("Hosting assumptions")
preset_name = st.selectbox(
    "Start from a preset (then edit any figure)",
    [p.preset for p in presets],
    key="sh_preset",
    on_change=apply_preset,
)
preset = next(p for p in presets if p.preset == preset_name)
st.caption(
    f"Price: {preset.price_source}, {preset.price_as_of}. Throughput: {preset.throughput_source}"
    + (f", {preset.throughput_as_of}" if preset.throughput_as_of else "")
    + f". {preset.note} Presets are public figures or placeholders, never measurements of your system."
)
c1, c2, c3, c4 = st.columns(4)
gpu = c1.text_input("GPU kind", key="sh_gpu")
gpus = c2.number_input("GPUs per replica", min_value=1, step=1, key="sh_gpus")
gpu_hourly_input = c3.number_input("USD per GPU-hour", min_value=0.0, step=0.1, format="%.2f", key="sh_gpu_hourly")
other_hourly = c4.number_input(
    "Other USD per replica-hour",
    min_value=0.0,
    step=0.1,
    format="%.2f",
    key="sh_other_hourly",
    help="Power and hosting if not in the GPU price, the CPU host, network.",
)
c1, c2, c3, c4 = st.columns(4)
throughput = c1.number_input(
    "Replica throughput (tokens/s)",
    min_value=0.0,
    step=100.0,
    format="%.0f",
    key="sh_throughput",
    help="Input and output tokens per second of one replica at your batch size: measure it on your own serving stack.",
)
utilisation = (
    c2.slider(
        "Utilisation (%)",
        min_value=1,
        max_value=100,
        key="sh_utilisation",
        help="Share of the paid hours spent serving at that throughput.",
    )
    / 100
)
fixed_monthly = c3.number_input(
    "Fixed USD per month", min_value=0.0, value=0.0, step=500.0, key="sh_fixed_monthly", help="Staff time, monitoring."
)
volume = c4.number_input(
    "Your volume (solved tasks/month)", min_value=0.0, value=100_000.0, step=10_000.0, format="%.0f", key="sh_volume"
)

with st.expander("Owned hardware: amortise the purchase instead of renting"):
    owned = st.toggle("Use owned hardware for the GPU-hour price", key="sh_owned")
    o1, o2, o3, o4 = st.columns(4)
    purchase = o1.number_input("Purchase USD per GPU", min_value=0.0, value=25_000.0, step=1000.0, key="sh_purchase")
    months = o2.number_input("Written off over (months)", min_value=1.0, value=36.0, step=6.0, key="sh_months")
    watts = o3.number_input("Power per GPU (W)", min_value=0.0, value=700.0, step=50.0, key="sh_watts")
    kwh = o4.number_input("USD per kWh", min_value=0.0, value=0.15, step=0.01, format="%.3f", key="sh_kwh")
    owned_hourly = owned_gpu_hourly(purchase, months, watts, kwh)
    st.caption(
        f"{money(purchase)} / ({months:.0f} x 730 h) + {watts:.0f} W x {money(kwh)}/kWh = "
        f"{money(owned_hourly)} per GPU-hour. The starting figures are placeholders: enter your own."
    )
gpu_hourly = owned_hourly if owned else gpu_hourly_input

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

# ---- results ----------------------------------------------------------------------------------
apis = summary.set_index("model").loc[chosen].reset_index()
table = options_table(plan, model, apis, volume)
m1, m2, m3, m4, m5 = st.columns(5)
m1.metric("Self-host $/M tokens", money(plan.usd_per_mtok), help="H / (T x 3600 x u) x 1e6")
m2.metric(
    "Self-host $/solved task at your volume",
    money(float(plan.cost_per_success(volume))),
    help="Monthly cost / volume: fixed costs and idle replica time included.",
)
m3.metric("Replicas", int(plan.replicas(volume)))
m4.metric("Monthly cost", money(float(plan.monthly_cost(volume))))
m5.metric("Capacity per replica", f"{plan.capacity:,.0f}", help="Solved tasks a month at the planned utilisation.")
st.caption(
    f"{md(model)}: {plan.workload.tokens_per_attempt:,.0f} tokens per attempt, success rate "
    f"{plan.workload.success_rate:.1%} (measured); GPU cost {money(plan.cost_per_attempt)} per attempt and "
    f"{money(plan.busy_cost_per_success)} per solved task with the replicas busy at {utilisation:.0%}."
)

api_rows = table[table["kind"] == "API"]
for option, first, always in zip(
    api_rows["option"], api_rows["break_even_tasks_per_month"], api_rows["cheaper_from_tasks_per_month"], strict=True
):
    st.markdown("- " + md(verdict(model, f"{option} via its API", first, always)))

log_axes = st.toggle("Log scales", value=True, key="sh_log", help="Break-evens can lie orders of magnitude apart.")
with_breaks = apis.assign(break_even=api_rows["break_even_tasks_per_month"].to_numpy())
st.plotly_chart(monthly_cost_figure(plan, model, with_breaks, volume, log=log_axes), key="sh_chart")
usd = st.column_config.NumberColumn
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key="sh_table",
    column_config={
        "success_rate": usd("success", format="percent"),
        "usd_per_mtok": usd("$/M tokens", format="$%.4f"),
        "cost_per_attempt": usd("$/attempt", format="$%.4f"),
        "cost_per_success": usd("$/solved task", format="$%.4f"),
        "monthly_cost": usd("monthly cost", format="$%,.0f"),
        "break_even_tasks_per_month": usd("break-even (tasks/month)", format="%,.0f"),
        "cheaper_from_tasks_per_month": usd("cheaper at every volume from", format="%,.0f"),
    },
)
st.caption(
    "An API's $/M tokens is its bill per million tokens of its own measured mix. Break-even: the volume at which "
    "self-hosting first costs no more; 'cheaper from': the volume above which it never costs more "
    "(between them, a new replica can make it dearer for a while). inf: never."
)
