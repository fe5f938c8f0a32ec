"""Measure page: run a task set against an OpenAI-compatible endpoint, watch it, stop it, resume it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from harness.client import ClientSettings
from harness.endpoint import check_base_url, check_reachable
from harness.job import JobSpec, MeasureJob
from harness.runner import check_resumable
from harness.store import Store
from harness.tasks import load_tasks
from inputs.bundled import data_file
from tokenomics.errors import InputError
from tokenomics.format import interval, money, pct
from ui.measure import run_cost
from ui.safe import guarded, md
from ui.server_mode import server_key, server_mode, store_path

SHIPPED_TASKS = data_file("tasks", "arithmetic_reasoning.jsonl")
SHIPPED = {p.name: p for p in sorted(SHIPPED_TASKS.parent.glob("*.jsonl"))}
mode = server_mode()

st.title("Measure your own workload")
st.caption(
    "Send a task set to any OpenAI-compatible endpoint (DeepSeek, OpenRouter, Together, vLLM, Ollama...), "
    "grade each reply, and store tokens and success per attempt. Stored runs appear on the Compare page."
)

job: MeasureJob | None = st.session_state.get("measure_job")

with st.form("measure_form", border=True):
    left, right = st.columns(2)
    # Placeholders read as examples ("e.g."), never as values already filled in.
    base_url = left.text_input("Base URL", key="m_base_url", placeholder="e.g. https://api.deepseek.com/v1")
    model = right.text_input("Model", key="m_model", placeholder="e.g. deepseek-chat")
    provider = left.text_input(
        "Provider (genai-prices id, for pricing)",
        key="m_provider",
        placeholder="e.g. deepseek",
        help="Optional; without it the model id alone chooses the price, and an unknown model stays unpriced.",
    )
    label = right.text_input("Label in comparisons", key="m_label", placeholder="optional: the model's name")
    api_key = left.text_input(
        "API key",
        type="password",
        key="m_api_key",
        help="Used for this run only: never stored, logged or shown. Leave empty to use the variable below.",
    )
    if mode.shared:
        # A shared server offers only its configured variables, each bound to its own endpoint.
        key_env = right.selectbox(
            "…or the server's key",
            list(mode.key_variables),
            key="m_key_env",
            format_func=lambda v: f"{v} (for {mode.key_variables[v]})",
            help="Set by the server's owner; each key is sent only to its own endpoint.",
        )
        tasks_path = str(SHIPPED[left.selectbox("Task set", list(SHIPPED), key="m_tasks")])
    else:
        key_env = right.text_input("…or the environment variable holding it", value="OPENAI_API_KEY", key="m_key_env")
        tasks_path = left.text_input("Task set (JSONL file)", value=str(SHIPPED_TASKS), key="m_tasks")
    upload = right.file_uploader("…or upload one", type=["jsonl"], key="m_tasks_upload")
    c1, c2, c3 = st.columns(3)
    samples = c1.number_input("Samples per task", min_value=1, max_value=100, value=1, key="m_samples")
    concurrency = c2.number_input("Concurrency", min_value=1, max_value=256, value=8, key="m_concurrency")
    timeout = c3.number_input("Timeout per request (s)", min_value=1.0, value=120.0, key="m_timeout")
    store_text = st.text_input(
        "Store file",
        value="runs.sqlite",
        key="m_store",
        help=f"A file name in the server's store folder ({mode.store_dir})." if mode.shared else None,
    )
    started = st.form_submit_button("Start", type="primary", disabled=bool(job and job.running), key="m_start")


def resolve_tasks(store: Path) -> tuple[list, str, str]:
    """The task set to run: an upload is checked, then saved beside the store so the run can be resumed."""
    if upload is not None:
        data = upload.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        saved = store.resolve().parent / f"tasks-{sha[:12]}.jsonl"
        saved.write_bytes(data)
        tasks, sha = load_tasks(saved)
        return tasks, str(saved), sha
    tasks, sha = load_tasks(tasks_path)
    return tasks, tasks_path, sha


def key_value(url: str) -> str | None:
    return api_key or (server_key(mode, str(key_env or ""), url) if key_env else None)


def store_file() -> Path:
    return store_path(mode, store_text)


if started and job is not None and job.running:
    st.warning("A run is in progress: stop it before starting another.", icon=":material/hourglass:")
elif started:
    try:
        if not base_url.strip() or not model.strip():
            raise InputError("give the endpoint's base URL and the model name")
        url = check_base_url(base_url)
        store = store_file()
        tasks, path, sha = resolve_tasks(store)
        settings = ClientSettings(base_url=url, model=model.strip(), api_key=key_value(url), timeout_s=float(timeout))
        check_reachable(url)  # before a run is created: a wrong URL leaves nothing behind
        spec = JobSpec(
            store, settings, tasks, path, sha, int(samples), int(concurrency), label or None, provider or None
        )
        job = st.session_state["measure_job"] = MeasureJob(spec).start()
    except InputError as exc:
        st.error(md(exc), icon=":material/error:")

# ---- resume an interrupted run --------------------------------------------------------------
unfinished = []
try:
    current_store: Path | None = store_file()
except InputError as exc:
    st.error(md(exc), icon=":material/error:")
    current_store = None
if current_store is not None and current_store.is_file():
    try:
        with Store(current_store, write=False) as opened:
            unfinished = [r for r in opened.runs() if r.source == "measure" and r.finished_at is None]
    except InputError as exc:
        st.error(md(exc), icon=":material/error:")
if current_store is not None and unfinished and not (job and job.running):
    with st.expander(f"{len(unfinished)} unfinished run(s) in {md(store_text)}"):
        chosen = st.selectbox("Run", [r.run_id for r in unfinished], key="m_resume_run", format_func=lambda r: f"{r}")
        run = next(r for r in unfinished if r.run_id == chosen)
        st.caption(f"Requests go to {md(run.base_url)} (recorded in the store).")
        if st.button("Resume", key="m_resume"):
            try:
                tasks, sha = load_tasks(run.tasks_path or "")
                check_resumable(run, sha)
                url = check_base_url(run.base_url or "")
                settings = ClientSettings(
                    base_url=url, model=run.model, api_key=key_value(url), timeout_s=float(timeout)
                )
                check_reachable(url)
                spec = JobSpec(current_store, settings, tasks, run.tasks_path or "", sha, run.samples, int(concurrency))
                job = st.session_state["measure_job"] = MeasureJob(spec, run).start()
            except InputError as exc:
                st.error(md(exc), icon=":material/error:")


# ---- progress -------------------------------------------------------------------------------
def progress_body() -> None:
    current: MeasureJob | None = st.session_state.get("measure_job")
    if current is None:
        st.info("Fill in the endpoint and press Start. Try the shipped task set of 50 word problems first.")
        return
    p = current.progress
    state = "stopping..." if current.running and current.stopping else "running" if current.running else "finished"
    st.subheader(f"Run {md(current.run.run_id)}: {state}")
    st.progress(min(1.0, p.done / p.total) if p.total else 1.0, text=f"{p.done} of {p.total} attempts")
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Graded", p.graded)
    m2.metric("Solved", p.successes)
    m3.metric("Failed", p.failures)
    m4.metric("Request errors", p.errors, help="The request never got an answer: not counted as a model failure.")
    cost = run_cost(current.spec.store_path, current.run.run_id, p.graded)
    c1, c2, c3 = st.columns(3)
    if cost is None:
        c1.metric("Cost so far", "—", help="Priced from the tokens of each graded attempt.")
    elif cost["cost_basis"] == "unpriced":
        c1.metric(
            "Cost so far",
            "unpriced",
            help="No price layer knows this model: give its provider (genai-prices id) or a price sheet.",
        )
    else:
        c1.metric("Cost so far", money(cost["total_cost"]), help="Tokens of the graded attempts x today's prices.")
        c2.metric(
            "Per solved task",
            money(cost["cost_per_success"]) if cost["successes"] > 0 else "no success yet",
            help="Cost so far / tasks solved so far.",
        )
    if cost is not None:
        c3.metric(
            "Success so far",
            pct(cost["success_rate"]),
            help=f"95% interval {interval(cost['success_low'], cost['success_high'], pct)}",
        )
        if cost["cost_basis"] != "unpriced":
            st.caption(
                f"Priced at {md(cost['price_source'])}; the interval of the cost per solved task narrows as the run "
                "goes on (see the Compare page once it is stored)."
            )
    if current.error:
        st.error(f"The run stopped: {md(current.error)}", icon=":material/error:")
    if current.running:
        if st.button("Stop", key="m_stop", disabled=current.stopping):
            current.stop()
            st.rerun(scope="fragment")
    elif not current.error:
        st.success(
            f"Stored in {md(current.spec.store_path.name if mode.shared else current.spec.store_path)}. "
            "Pick it on the Compare page under 'Stored runs', or resume it here if it was stopped.",
            icon=":material/check:",
        )


@st.fragment(run_every=0.5 if job is not None and job.running else None)
def show_progress() -> None:
    guarded(progress_body)  # a fragment reruns outside the page's guard


show_progress()
