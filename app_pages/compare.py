"""Compare page: cost per solved task for every model in a measurement set."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from engine import MAPPINGS
from harness.export import list_runs, read_store
from harness.log_formats.eee import to_eee
from inputs.datasets import measurement_datasets
from measurements.load import combine
from pricing.check import STALE_DAYS, oldest_in_use, staleness
from pricing.overrides import EDITABLE, edits_to_custom
from pricing.providers import provider_choices
from reports.charts import cost_breakdown_figure, pareto_figure
from reports.format import styled
from reports.tables import to_csv
from reports.views import (
    COMPARE,
    compare_frame,
    kinds,
    ranked_without_price,
    shortlist,
    unpriced_advice,
    unpriced_models,
)
from tokenomics.compare import cost_of_pass_note, default_pair, eligible, headline, pair_sentence
from tokenomics.errors import InputError
from tokenomics.format import MISSING, money
from tokenomics.timing import estimate_missing_time, with_value_of_time
from ui.data import (
    custom_sheets,
    load_bundled_datasets,
    parse_upload,
    price_sources,
    read_uploads,
    run_comparison,
    summarised,
    today,
)
from ui.large import open_file, open_table
from ui.origins import with_origins
from ui.safe import md
from ui.server_mode import server_mode, store_path

MY_DATA = "my-data"

st.title("Cost per solved task")
st.caption(
    "Per-token prices x measured tokens / measured successes. "
    "A model that is cheaper per token can cost more per task it actually solves."
)

# ---- inputs -------------------------------------------------------------------------------
with st.sidebar:
    st.header("Measurements")
    LOCAL = "A large file or a ClickHouse table"
    shared = server_mode().shared
    source = st.radio(
        "Data",
        ["Bundled public data", "My upload", "Both", *([] if shared else [LOCAL])],
        key="source",
        help=None
        if shared
        else "A file on this machine (no upload limit) or a ClickHouse table, priced where it "
        "is: large files and tables by the SQL engine (docs/engine.md).",
    )
    if source == LOCAL:
        local_path = st.text_input(
            "File path (CSV, JSONL or Parquet)", key="local_path", help="Read where it is: nothing is uploaded."
        )
        with st.expander("Or a ClickHouse table", expanded=not local_path):
            ch_source = st.text_input("Server", placeholder="clickhouse://host:8123/database", key="ch_source")
            ch_table = st.text_input("Table", key="ch_table")
            ch_mapping = st.selectbox("The table holds", MAPPINGS, key="ch_mapping")
            ch_task = st.text_input("Task field (metadata key or attribute)", key="ch_task")
            ch_success = st.text_input("Success field (metadata key or attribute)", key="ch_success")
            st.caption(
                "Credentials come from TOKENOMICS_CLICKHOUSE_USER and TOKENOMICS_CLICKHOUSE_PASSWORD in the "
                "environment of the dashboard, never from this page."
            )
    uploads = st.file_uploader(
        "Upload measurements (CSV or JSONL)",
        type=["csv", "jsonl", "ndjson", "json", "tar", "gz", "tgz"],
        accept_multiple_files=True,
        key="upload",
        help="Per-attempt rows (model, task_id, success, tokens...) or one row per run "
        "(model, attempts, successes, token totals...). See the README for the columns. "
        "Also read as they are: a SWE-bench leaderboards file, an Every Eval Ever samples file, a Harbor "
        "job (.tar.gz), OpenTelemetry, Langfuse, LiteLLM or OpenRouter exports (with a task_id,success "
        "results file for the logs that have no success); see docs/import.md.",
    )
    store_text = st.text_input(
        "Store of measured runs",
        value="runs.sqlite",
        key="store_path",
        help="The file `python -m tokenomics measure` (or the Measure page, or `import`) writes runs to.",
    )
    store_file: Path | None
    try:
        store_file = store_path(server_mode(), store_text)
    except InputError as exc:
        st.error(md(exc), icon=":material/error:")
        store_file = None
    stored = list_runs(store_file) if store_file is not None else []
    titles = {r.run_id: r.title for r in stored}
    picked_runs = st.multiselect(
        "Stored runs to compare",
        [r.run_id for r in stored],
        format_func=lambda run_id: titles.get(run_id, run_id),
        key="store_runs",
        help="Added to the data chosen above; each run is named by its label.",
    )
    st.header("Prices")
    st.caption(price_sources().label(today()))
    price_mode = st.radio(
        "Price each run at",
        ["its own date (today if undated)", "one date for all runs"],
        key="price_mode",
        help="Historical runs are priced at the prices in force on their date. "
        "Choose one date to ask what the same runs would cost then, e.g. today.",
    )
    as_of_value = st.date_input("Pricing date", value=today(), key="as_of", disabled=price_mode.startswith("its"))
    as_of = None if price_mode.startswith("its") else as_of_value
    # Leaderboards publish what a run cost; where repricing its tokens disagrees, that is the better
    # figure by default. A team's own logs are priced from their tokens by default.
    rank_by = st.radio(
        "Where the repriced cost and the published cost disagree, rank by",
        ["the published cost", "the repriced cost"],
        index=0 if source != "My upload" else 1,
        key=f"rank_by_{source}",
        help="A run's repriced cost (its tokens x the prices of its date) is checked against the cost the data "
        "reports (a leaderboard's published cost, a gateway's billed cost). Beyond 10% apart the model is "
        "flagged with the likely cause (column 'check').",
    )
prefer_published = rank_by == "the published cost"

frame: pd.DataFrame | None = None
whole: pd.DataFrame | None = None
overrides: list = []
override_problems: list[str] = []
editor_key = "price_editor_local"
if source == LOCAL:
    # A file or a table read where it is: priced once (cached by the data and the prices), then
    # summarised under the page's options below.
    bar = st.progress(0.0, text="Reading...")

    def show(step: str, done: float) -> None:
        bar.progress(min(max(done, 0.0), 1.0), text=f"{step[:1].upper()}{step[1:]}...")

    try:
        if local_path.strip():
            opened, local_notes, local_key = open_file(local_path, as_of, show)
        elif ch_source.strip() and ch_table.strip():
            opened, local_key = open_table(ch_source, ch_table, ch_mapping, ch_task, ch_success, as_of, show)
            local_notes = []
        else:
            bar.empty()
            st.info("Give the path of a measurement file, or a ClickHouse server and table, in the sidebar.")
            st.stop()
    except InputError as exc:
        bar.empty()
        st.error(f"Could not read it. {md(exc)}", icon=":material/error:")
        st.stop()
    bar.empty()
    for note in local_notes:
        st.caption(f"Note: {md(note)}")
    local = {name or MY_DATA: priced for name, priced in opened}
    dataset_names = {d.id: d.name for d in measurement_datasets()} | {MY_DATA: "My data"}
    datasets = list(local)
    dataset = datasets[0]
    if len(datasets) > 1:
        dataset = st.radio(
            "Dataset",
            datasets,
            format_func=lambda d: dataset_names.get(d, d),
            horizontal=True,
            key="compare_dataset",
            help="Each dataset is compared on its own: its own reference, frontier and ranking.",
        )
    labels = list(local[dataset].sums.pairs["label"].drop_duplicates())
else:
    sets = []
    if source in ("Bundled public data", "Both"):
        sets.extend(load_bundled_datasets())
    uploaded, errors = read_uploads([(upload.getvalue(), upload.name) for upload in uploads or []])
    sets.extend(uploaded)
    if picked_runs and store_file is not None:
        try:
            sets.append(parse_upload(read_store(store_file, picked_runs).encode(), store_text))
        except InputError as exc:
            errors.append(str(exc))
    for message in errors:
        st.error(f"Could not read the upload. {md(message)}", icon=":material/error:")
    if source == "My upload" and not uploads and not picked_runs:
        st.info("Upload a measurement file in the sidebar, or choose the bundled public data.")
    if not sets:
        st.stop()
    for m in sets:
        for note in m.notes:
            st.caption(f"Note: {md(note)}")

    try:
        frame = combine(sets)
    except InputError as exc:
        st.error(f"Could not compare these files together. {md(str(exc))}", icon=":material/error:")
        st.stop()
    # Datasets are compared apart, never pooled: rows that do not say theirs are the user's own.
    frame["dataset"] = frame["dataset"].fillna(MY_DATA)
    dataset_names = {d.id: d.name for d in measurement_datasets()} | {MY_DATA: "My data (uploads and stored runs)"}
    datasets = list(pd.unique(frame["dataset"]))
    dataset = datasets[0]
    if len(datasets) > 1:
        dataset = st.radio(
            "Dataset",
            datasets,
            format_func=lambda d: dataset_names.get(d, d),
            horizontal=True,
            key="compare_dataset",
            help="Each dataset is compared on its own: its own reference, frontier and ranking.",
        )
    whole = frame
    frame = frame[frame["dataset"] == dataset]
    labels = list(pd.unique(frame["label"]))
    # Bare model ids several providers list: the user may pick the provider (the page's own choice is
    # the first party, said in a note under the table).
    for model, chosen in st.session_state.get("provider_choice", {}).items():
        bare = (frame["model"] == model) & frame["provider"].fillna("").eq("")
        frame.loc[bare, "provider"] = chosen

with st.sidebar:
    st.header("Compare")
    cost_of_pass = st.toggle(
        "Also show cost-of-pass (per-task average)",
        key="cost_of_pass",
        help="Mean over tasks of cost per attempt / success rate on that task (Erol et al. 2025). "
        "Needs per-attempt data with task ids; infinite once any task is never solved.",
    )
    value_of_time = st.number_input(
        "Value of waiting time (USD per hour)",
        min_value=0.0,
        value=0.0,
        step=10.0,
        key="value_of_time",
        help="Adds (latency per solved task) x this rate to the cost per solved task, for models with latency_s.",
    )
    with st.expander("Estimate time where latency is not measured"):
        ttft_s = st.number_input("Time to first token (s)", min_value=0.0, value=1.0, step=0.5, key="ttft_s")
        decode_tps = st.number_input(
            "Decode speed (tokens/s; 0 = off)",
            min_value=0.0,
            value=0.0,
            step=10.0,
            key="decode_tps",
            help="time of an attempt = time to first token + output tokens / decode speed",
        )
# The reference (B of the headline's "compare A with B") sets every discount in the table.
reference_key, candidate_key = f"compare_b_{dataset}", f"compare_a_{dataset}"
baseline = st.session_state.get(reference_key) if st.session_state.get(reference_key) in labels else None

if source == LOCAL:
    result = summarised(f"{local_key}|{dataset}", local[dataset], baseline, cost_of_pass, prefer_published)
    in_use = result.prices_in_use
    st.session_state["last_prices_in_use"] = in_use
else:
    assert frame is not None
    # ---- prices in use, with the user's overrides ----------------------------------------------
    sheets = custom_sheets()
    first = run_comparison(frame, sheets, as_of, baseline, cost_of_pass, prefer_published)
    in_use = first.prices_in_use
    st.session_state["last_prices_in_use"] = in_use
    editor_key = (
        "price_editor_"
        + hashlib.sha1(pd.util.hash_pandas_object(in_use[["provider", "model"]]).to_numpy().tobytes()).hexdigest()[:12]
    )
    edited = in_use.copy()
    for idx, change in st.session_state.get(editor_key, {}).get("edited_rows", {}).items():
        for col, value in change.items():
            edited.at[int(idx), col] = np.nan if value is None else value
    overrides, override_problems = edits_to_custom(in_use, edited, today())
    result = (
        run_comparison(frame, sheets + overrides, as_of, baseline, cost_of_pass, prefer_published)
        if overrides
        else first
    )
summary = result.summary

# ---- headline ---------------------------------------------------------------------------------
if len(datasets) > 1:
    # The datasets side by side, each with its own default pair; never one ranking.
    for column, name in zip(st.columns(len(datasets)), datasets, strict=True):
        if whole is None:
            other = summarised(f"{local_key}|{name}", local[name], None, False, prefer_published).summary
        else:
            other = run_comparison(
                whole[whole["dataset"] == name], custom_sheets(), as_of, None, False, prefer_published
            ).summary
        column.markdown(f"**{md(dataset_names.get(name, name))}** ({len(other)} models)")
        column.caption(md(pair_sentence(other)))
base_label = str(summary["baseline"].iloc[0]) if summary["baseline"].notna().any() else None
models = list(summary["model"])
pair = default_pair(summary)
if len(models) >= 2:
    pick_a, pick_b = st.columns(2)
    default_a = pair[0] if pair else next((m for m in models if m != base_label), models[0])
    candidate = pick_a.selectbox(
        "Compare", models, index=models.index(default_a), key=candidate_key, help="Model A of the headline."
    )
    reference = pick_b.selectbox(
        "with",
        models,
        index=models.index(base_label) if base_label in models else 0,
        key=reference_key,
        help="Model B: the reference every discount in the table is measured against.",
    )
    st.subheader(md(headline(summary, candidate, reference)))
    if pair is None:
        st.caption("Fewer than two models have a cost per solved task that passed the plausibility check.")
else:
    st.subheader(md(f"One model: {models[0]}"))

priced = summary["cost_basis"] != "unpriced"
c1, c2, c3, c4 = st.columns(4)
c1.metric("Models", len(summary))
c2.metric("Unpriced", int((~priced).sum()), help="No price and no observed cost: listed apart, never $0.")
oldest = oldest_in_use(in_use, today())
c3.metric(
    "Oldest price in use",
    f"{oldest[2]} days" if oldest else "undated",
    help=(md(f"{oldest[0]}: last changed or checked {oldest[1]}") if oldest else "No price in use carries a date."),
)
# A run that failed the plausibility check (its tokens or its repriced cost are not believable) is never the
# cheapest: it is flagged in the table instead.
best = summary[eligible(summary)]
if not best.empty:
    cheapest = best.sort_values("cost_per_success").iloc[0]
    c4.metric("Cheapest per solved task", money(cheapest["cost_per_success"]), cheapest["model"], delta_color="off")

stale = staleness(in_use, today())
stale = stale[stale["stale"]]
if not stale.empty:
    st.warning(
        f"{len(stale)} price(s) in use were last changed or checked more than {STALE_DAYS} days ago: "
        + md("; ".join(f"{m} ({c}, {int(d)} days)" for m, c, d in stale[["models", "checked_on", "age_days"]].values))
        + ". Check them at their source and override them below if they moved.",
        icon=":material/schedule:",
    )
no_price = unpriced_models(summary, result.unpriced)
if not no_price.empty:
    # The same models the "Unpriced" figure counts, each with why, and advice that fits the data.
    with st.expander(f"{len(no_price)} model(s) unpriced: not ranked, never $0"):
        st.write(md(unpriced_advice(summary)))
        by_published = ranked_without_price(summary, result.unpriced)
        if by_published:
            st.caption(
                f"Ranked by their published cost although no price layer knows them ({len(by_published)}): "
                + md(", ".join(by_published))
            )
        st.dataframe(no_price, hide_index=True, width="stretch", placeholder=MISSING, key="unpriced_table")

# ---- table ------------------------------------------------------------------------------------
table = summary[priced]
if decode_tps > 0:
    table = estimate_missing_time(table, ttft_s, decode_tps)
timed = "seconds_per_success" in table.columns
if timed and value_of_time > 0:
    table = with_value_of_time(table, value_of_time)
view = with_origins(table)
shown = compare_frame(view)
spec = {c: col for c, col in COMPARE.items() if c in shown.columns}
# The shortlist leaves out runs that failed the plausibility check, like the "cheapest" card (the table flags them).
trusted = set(view.loc[eligible(view), "model"])
st.markdown("**Cheapest per solved task**")
st.table(shortlist(shown[shown["model"].isin(trusted)], "success_rate", "cost_per_success").set_index("model"))
st.dataframe(
    styled(shown, kinds(spec)),
    hide_index=True,
    placeholder=MISSING,
    width="stretch",
    key="summary_table",
    column_config={
        c: (
            st.column_config.CheckboxColumn(col.label, help=col.help or None)
            if col.kind == "bool"
            else st.column_config.Column(col.label, help=col.help or None)
        )
        for c, col in spec.items()
    },
)
st.caption(
    "Success interval: 95% Wilson. Cost-per-solved-task interval: bootstrap over tasks where per-task data "
    "exists (Fieller's closed form of it from 5,000 tasks), else it reflects success-rate uncertainty only "
    "(column 'interval method'). 'unbounded': no success "
    "seen. Discounts are against the reference (B); above 1x means cheaper. Money in USD."
)
pass_note = cost_of_pass_note(result.sums.tasks) if cost_of_pass and result.sums is not None else None
if pass_note:
    st.caption(md(f"Note: {pass_note}."))
st.download_button(
    "Download the table (CSV)",
    to_csv(summary),
    file_name="tokenomics_comparison.csv",
    mime="text/csv",
    key="download_csv",
)
per_attempt = frame[frame["task_id"].notna()] if frame is not None else pd.DataFrame()
if not per_attempt.empty:
    st.download_button(
        "Download the attempts (Every Eval Ever JSONL)",
        lambda: to_eee(per_attempt),  # written only when clicked: a big upload is many lines
        file_name="tokenomics_attempts_samples.jsonl",
        mime="application/jsonl",
        key="download_eee",
        help="The per-attempt rows compared here, as Every Eval Ever instance-level records (schema 0.3.0); "
        "`tokenomics import --format eee` reads them back. See docs/import.md.",
    )

# ---- charts: built only when opened (Plotly is the heaviest thing a page can load) ------------
charts = st.expander(
    "Charts: success against cost per solved task, and where the money goes", key="compare_charts", on_change="rerun"
)
with charts:
    if charts.open:
        picks = [m for m in (st.session_state.get(candidate_key), st.session_state.get(reference_key)) if m]
        st.markdown("**Success rate vs cost per solved task** (frontier: no model is both better and cheaper)")
        pareto = pareto_figure(summary, picks)
        if pareto is None:
            st.info("No model has a finite cost per solved task: nothing to chart.")
        else:
            st.plotly_chart(pareto, key="pareto_chart")
            st.caption(
                "Labelled: the frontier (a staircase, not a convex hull) and the headline's pair; hover for the rest."
            )
        off_chart = summary[~np.isfinite(summary["cost_per_success"])]
        if not off_chart.empty:
            st.caption("Not on the chart (unpriced or no success): " + md(", ".join(off_chart["model"])))
        st.markdown("**Where the money goes, per solved task**")
        scale = st.segmented_control(
            "Scale", ["share", "USD"], default="share", key="breakdown_scale", label_visibility="collapsed"
        )
        breakdown = cost_breakdown_figure(summary, share=scale != "USD")
        if breakdown is None:
            st.info(
                "No run here has a cost split by token kind (input, output, reasoning...): the runs are costed from "
                "their published totals. Choose USD to see those totals."
                if scale != "USD"
                else "No model has a cost per solved task to split."
            )
        else:
            st.plotly_chart(breakdown, key="breakdown_chart")
            if scale != "USD":
                st.caption("Runs costed from a published total (no token split) are left out of the shares.")

if result.notes and frame is None:
    with st.expander(f"Provider chosen for {len(result.notes)} bare model id(s)"):
        for note in result.notes.values():
            st.caption(md(note))
        st.caption("Set the provider column in the file to choose another provider.")
elif result.notes:
    with st.expander(f"Provider chosen for {len(result.notes)} bare model id(s)"):
        choices = dict(st.session_state.get("provider_choice", {}))
        for reference, note in result.notes.items():
            st.caption(md(note))
            options = provider_choices(price_sources().snapshot, reference)
            picked = st.selectbox(
                f"Provider for {md(reference)}",
                ["(first party)", *options],
                index=(options.index(choices[reference]) + 1) if choices.get(reference) in options else 0,
                key=f"provider_for_{reference}",
            )
            if picked.startswith("("):
                choices.pop(reference, None)
            else:
                choices[reference] = picked
        if choices != st.session_state.get("provider_choice", {}):
            st.session_state["provider_choice"] = choices
            st.rerun()

# ---- prices in use ----------------------------------------------------------------------------
if frame is None:
    with st.expander("Prices in use"):
        st.caption(
            "USD per million tokens. A file or table read where it is takes its price overrides from the price "
            "sheets of the Prices page."
        )
        st.dataframe(in_use, hide_index=True, width="stretch", placeholder=MISSING, key="prices_in_use_local")
else:
    with st.expander("Prices in use: edit a price to override it", expanded=bool(overrides)):
        st.caption(
            "USD per million tokens. Edit a cell to override a stale or missing price; the whole page "
            "recomputes and the row is marked custom ('edited in the dashboard', dated today). "
            "Edited rows drop any long-context tiers."
        )
        st.data_editor(
            in_use,
            key=editor_key,
            hide_index=True,
            placeholder=MISSING,
            width="stretch",
            disabled=[c for c in in_use.columns if c not in EDITABLE],
            column_config={c: st.column_config.NumberColumn(c, min_value=0.0, format="%.4f") for c in EDITABLE},
        )
        for problem in override_problems:
            st.warning(md(problem))

published = summary[summary["observed_cost"].notna() & summary["repriced_cost"].notna()]
if not published.empty:
    with st.expander("Published cost vs repriced cost"):
        st.caption(
            "Where a run published its own cost, it is shown beside the cost repriced from its tokens at the "
            "prices of its date. Beyond 10% apart the model is flagged with the likely cause: a price date outside "
            "the recorded history, cache hits or thinking tokens the data does not split out, incomplete token "
            "counts, or a different price than the publisher paid."
        )
        compared = published[
            ["model", "observed_cost", "repriced_cost", "repriced_vs_published", "repricing_flag", "price_source"]
        ]
        st.dataframe(compared, hide_index=True, width="stretch", placeholder=MISSING, key="published_table")
