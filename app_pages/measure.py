"""Measure page: run a task set against an OpenAI-compatible endpoint, watch it, stop it, resume it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import streamlit as st

from harness.client import ClientSettings
from harness.job import JobSpec, MeasureJob
from harness.runner import check_resumable
from harness.store import Store
from harness.tasks import load_tasks
from inputs.bundled import data_file
from tokenomics.errors import InputError

SHIPPED_TASKS = data_file("tasks", "arithmetic_reasoning.jsonl")

st.title("Measure your own workload")
st.caption(
    "Send a task set to any OpenAI-compatible endpoint (DeepSeek, OpenRouter, Together, vLLM, Ollama...), "
    "grade each reply, and store tokens and success per attempt. Stored runs appear on the Compare page."
)

job: MeasureJob | None = st.session_state.get("measure_job")

with st.form("measure_form", border=True):
    left, right = st.columns(2)
    base_url = left.text_input("Base URL", key="m_base_url", placeholder="https://api.deepseek.com/v1")
    model = right.text_input("Model", key="m_model", placeholder="deepseek-chat")
    provider = left.text_input(
        "Provider (genai-prices id, for pricing)", key="m_provider", placeholder="deepseek", help="Optional."
    )
    label = right.text_input("Label in comparisons", key="m_label", placeholder="(the model)")
    api_key = left.text_input(
        "API key",
        type="password",
        key="m_api_key",
        help="Used for this run only: never stored, logged or shown. Leave empty to use the variable below.",
    )
    key_env = right.text_input("…or the environment variable holding it", value="OPENAI_API_KEY", key="m_key_env")
    tasks_path = left.text_input("Task set (JSONL file)", value=str(SHIPPED_TASKS), key="m_tasks")
    upload = right.file_uploader("…or upload one", type=["jsonl"], key="m_tasks_upload")
    c1, c2, c3 = st.columns(3)
    samples = c1.number_input("Samples per task", min_value=1, max_value=100, value=1, key="m_samples")
    concurrency = c2.number_input("Concurrency", min_value=1, max_value=256, value=8, key="m_concurrency")
    timeout = c3.number_input("Timeout per request (s)", min_value=1.0, value=120.0, key="m_timeout")
    store_path = st.text_input("Store file", value="runs.sqlite", key="m_store")
    started = st.form_submit_button("Start", type="primary", disabled=bool(job and job.running), key="m_start")


def resolve_tasks() -> tuple[list, str, str]:
    """The task set to run: an upload is saved beside the store, so the run can be resumed later."""
    if upload is not None:
        data = upload.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        saved = Path(store_path).resolve().parent / f"tasks-{sha[:12]}.jsonl"
        saved.write_bytes(data)
        tasks, sha = load_tasks(saved)
        return tasks, str(saved), sha
    tasks, sha = load_tasks(tasks_path)
    return tasks, tasks_path, sha


def key_value() -> str | None:
    return api_key or os.environ.get(key_env.strip()) or None


if started and job is not None and job.running:
    st.warning("A run is in progress: stop it before starting another.", icon=":material/hourglass:")
elif started:
    try:
        if not base_url.strip() or not model.strip():
            raise InputError("give the endpoint's base URL and the model name")
        tasks, path, sha = resolve_tasks()
        settings = ClientSettings(
            base_url=base_url.strip(), model=model.strip(), api_key=key_value(), timeout_s=float(timeout)
        )
        spec = JobSpec(
            Path(store_path),
            settings,
            tasks,
            path,
            sha,
            int(samples),
            int(concurrency),
            label or None,
            provider or None,
        )
        job = st.session_state["measure_job"] = MeasureJob(spec).start()
    except InputError as exc:
        st.error(str(exc), icon=":material/error:")

# ---- resume an interrupted run --------------------------------------------------------------
unfinished = []
if Path(store_path).is_file():
    try:
        with Store(store_path, write=False) as store:
            unfinished = [r for r in store.runs() if r.source == "measure" and r.finished_at is None]
    except InputError as exc:
        st.error(str(exc), icon=":material/error:")
if unfinished and not (job and job.running):
    with st.expander(f"{len(unfinished)} unfinished run(s) in {store_path}"):
        chosen = st.selectbox("Run", [r.run_id for r in unfinished], key="m_resume_run", format_func=lambda r: f"{r}")
        if st.button("Resume", key="m_resume"):
            run = next(r for r in unfinished if r.run_id == chosen)
            try:
                tasks, sha = load_tasks(run.tasks_path or "")
                check_resumable(run, sha)
                settings = ClientSettings(
                    base_url=run.base_url or "", model=run.model, api_key=key_value(), timeout_s=float(timeout)
                )
                spec = JobSpec(
                    Path(store_path), settings, tasks, run.tasks_path or "", sha, run.samples, int(concurrency)
                )
                job = st.session_state["measure_job"] = MeasureJob(spec, run).start()
            except InputError as exc:
                st.error(str(exc), icon=":material/error:")


# ---- progress -------------------------------------------------------------------------------
@st.fragment(run_every=0.5 if job is not None and job.running else None)
def show_progress() -> None:
    current: MeasureJob | None = st.session_state.get("measure_job")
    if current is None:
        st.info("Fill in the endpoint and press Start. Try the shipped task set of 50 word problems first.")
        return
    p = current.progress
    state = "stopping..." if current.running and current.stopping else "running" if current.running else "finished"
    st.subheader(f"Run {current.run.run_id}: {state}")
    st.progress(min(1.0, p.done / p.total) if p.total else 1.0, text=f"{p.done} of {p.total} attempts")
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Graded", p.graded)
    m2.metric("Solved", p.successes)
    m3.metric("Failed", p.failures)
    m4.metric("Request errors", p.errors, help="The request never got an answer: not counted as a model failure.")
    if current.error:
        st.error(f"The run stopped: {current.error}", icon=":material/error:")
    if current.running:
        if st.button("Stop", key="m_stop", disabled=current.stopping):
            current.stop()
            st.rerun(scope="fragment")
    elif not current.error:
        st.success(
            f"Stored in {current.spec.store_path}. Pick it on the Compare page under 'Stored runs', "
            f"or resume it here if it was stopped.",
            icon=":material/check:",
        )


show_progress()
