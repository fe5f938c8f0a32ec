"""AppTest of the Measure page against the fake server: start, progress, stop, resume, key hidden."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
from fakeserver import Config, FakeServer

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
KEY = "sk-page-SECRET-93c1"
TASKS = ROOT / "data" / "tasks" / "arithmetic_reasoning.jsonl"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    # The shipped task set: the fake server answers "I don't know." to each, so every attempt fails.
    with FakeServer(Config(delay_s=0.02)) as srv:
        yield srv


def fill(at: AppTest, server: FakeServer, store: Path, samples: int = 1) -> None:
    at.text_input(key="m_base_url").set_value(server.base_url)
    at.text_input(key="m_model").set_value("gpt-4o-mini")
    at.text_input(key="m_provider").set_value("openai")
    at.text_input(key="m_api_key").set_value(KEY)
    at.text_input(key="m_store").set_value(str(store))
    at.number_input(key="m_samples").set_value(samples)
    at.number_input(key="m_concurrency").set_value(4)


def wait_for(at: AppTest, done, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)
    at.run()


def page(tmp_path: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/measure.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_run_to_the_end_with_live_counts(tmp_path: Path, server: FakeServer) -> None:
    at = page(tmp_path)
    assert at.title[0].value == "Measure your own workload"
    store = tmp_path / "runs.sqlite"
    fill(at, server, store)
    at.button(key="m_start").click().run()
    job = at.session_state["measure_job"]
    wait_for(at, lambda: not job.running)
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert {k: metrics[k] for k in ("Graded", "Solved", "Failed", "Request errors")} == {
        "Graded": "50",
        "Solved": "0",
        "Failed": "50",
        "Request errors": "0",
    }
    # The run's cost is live beside its counts; with no success, no cost per solved task (never a division by 0).
    assert metrics["Cost so far"].startswith("$") and metrics["Per solved task"] == "no success yet"
    assert "finished" in at.subheader[0].value
    assert server.auth_headers == {f"Bearer {KEY}"}
    assert KEY.encode() not in store.read_bytes()
    shown = [*at.title, *at.subheader, *at.markdown, *at.caption, *at.success, *at.info, *at.error, *at.metric]
    assert shown
    assert all(KEY not in str(el.value) for el in shown)  # only the masked password field holds it


def test_stop_then_resume(tmp_path: Path, server: FakeServer) -> None:
    at = page(tmp_path)
    store = tmp_path / "runs.sqlite"
    fill(at, server, store, samples=4)  # 200 attempts at 4 in flight: about a second
    at.button(key="m_start").click().run()
    job = at.session_state["measure_job"]
    wait_for(at, lambda: job.progress.done >= 8)
    at.button(key="m_stop").click().run()
    job.wait(10)
    at.run()
    stopped_at = job.progress.done
    assert 8 <= stopped_at < 200
    assert at.selectbox(key="m_resume_run").value == job.run.run_id
    at.button(key="m_resume").click().run()
    resumed = at.session_state["measure_job"]
    wait_for(at, lambda: not resumed.running)
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Graded"] == "200"


def test_missing_endpoint_is_a_clear_error(tmp_path: Path) -> None:
    at = page(tmp_path)
    at.button(key="m_start").click().run()
    assert at.error[0].value == "give the endpoint's base URL and the model name"


def test_compare_page_picks_stored_runs(tmp_path: Path, server: FakeServer) -> None:
    at = page(tmp_path)
    store = tmp_path / "runs.sqlite"
    fill(at, server, store)
    at.text_input(key="m_label").set_value("my gpt-4o-mini")
    at.button(key="m_start").click().run()
    job = at.session_state["measure_job"]
    wait_for(at, lambda: not job.running)
    at.switch_page("app_pages/compare.py").run()
    at.text_input(key="store_path").set_value(str(store)).run()
    at.multiselect(key="store_runs").set_value([job.run.run_id]).run()
    assert not at.exception, [e.value for e in at.exception]
    # The stored run is the user's own dataset, shown beside the bundled ones, never ranked with them.
    assert "My data (uploads and stored runs)" in at.radio(key="compare_dataset").options
    at.radio(key="compare_dataset").set_value("my-data").run()
    table = next(d.value for d in at.dataframe if "cost_per_success" in d.value.columns)
    row = table.set_index("model").loc["my gpt-4o-mini"]
    assert (row["attempts"], row["successes"]) == (50, 0)
    assert len(table) == 1


def test_the_cost_so_far_and_per_solved_task_are_live(tmp_path: Path) -> None:
    import json

    from harness.store import Store
    from tokenomics.format import money

    tasks = [json.loads(line) for line in TASKS.read_text(encoding="utf-8").splitlines()[:5]]
    answers = {t["prompt"]: f"The answer is {t['expected']}" for t in tasks}
    with FakeServer(Config(delay_s=0.02, answers=answers)) as srv:
        at = page(tmp_path)
        store = tmp_path / "runs.sqlite"
        fill(at, srv, store)
        at.button(key="m_start").click().run()
        job = at.session_state["measure_job"]
        wait_for(at, lambda: not job.running)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    with Store(store, write=False) as opened:
        attempts = list(opened.attempts(job.run.run_id))
    # gpt-4o-mini (genai-prices): $0.15 per million input tokens, $0.075 cached, $0.60 output (reasoning included).
    usd = sum(
        ((a.input_tokens - a.cache_read_tokens) * 0.15 + a.cache_read_tokens * 0.075 + a.output_tokens * 0.60) / 1e6
        for a in attempts
    )
    solved = sum(bool(a.success) for a in attempts)
    assert solved == 5
    assert shown["Cost so far"] == money(usd)
    assert shown["Per solved task"] == money(usd / solved)
    assert shown["Success so far"] == "10.0%"  # 5 of 50
