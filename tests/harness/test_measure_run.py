"""Whole runs through the runner and the store: counts, tokens, faults, stop and resume, export."""

from __future__ import annotations

import csv
import io
import json
import threading
from pathlib import Path

import pytest
from fakeserver import Config, FakeServer
from harness_data import ANSWERS, TASKS, write_tasks

from harness.client import ClientSettings
from harness.export import export, read_store
from harness.runner import check_resumable, new_run, run_sync
from harness.store import Store
from harness.tasks import load_tasks
from measurements.load import read_measurements
from tokenomics.errors import InputError


def start(store: Store, server: FakeServer, tasks_file: Path, samples: int, **settings):
    tasks, sha = load_tasks(tasks_file)
    client = ClientSettings(base_url=server.base_url, model="gpt-4o-mini", backoff_s=0.01, **settings)
    run = new_run(
        store,
        settings=client,
        tasks=tasks,
        tasks_path=str(tasks_file),
        tasks_sha256=sha,
        samples=samples,
        provider="openai",
    )
    return run, tasks, client


def test_full_run_records_every_attempt_with_its_tokens(tmp_path: Path, server: FakeServer, tasks_file: Path) -> None:
    with Store(tmp_path / "runs.sqlite") as store:
        run, tasks, client = start(store, server, tasks_file, samples=4)
        progress = run_sync(store, run, tasks, client, concurrency=5)
        attempts = list(store.attempts(run.run_id))
        assert store.run(run.run_id).finished_at is not None
    assert (progress.total, progress.graded, progress.successes, progress.errors) == (12, 12, 8, 0)
    assert len(attempts) == 12
    by_task = {a.task_id: a for a in attempts}
    # prompt chars / half of them cached / reply chars + 5 / 5 reasoning (the fake server's rule)
    assert [
        (a.input_tokens, a.cache_read_tokens, a.output_tokens, a.reasoning_tokens, a.success)
        for a in (by_task["add"], by_task["capital"], by_task["greet"])
    ] == [(14, 7, 14, 5, True), (18, 9, 12, 5, True), (9, 4, 12, 5, False)]
    assert sorted((a.task_id, a.sample) for a in attempts) == [(t["id"], s) for t in TASKS for s in range(4)]
    assert server.requests == 12


def test_twenty_percent_faults_still_give_correct_totals(tmp_path: Path) -> None:
    tasks = [
        {"id": f"q{i}", "prompt": f"What is {i} + {i}?", "expected": 2 * i, "grader": "numeric"} for i in range(60)
    ]
    answers = {t["prompt"]: f"It is {t['expected']}." for t in tasks}
    tasks_file = write_tasks(tmp_path / "tasks.jsonl", tasks)
    config = Config(answers=answers, fault_percent=20, fault_times=2, retry_after="0", slow_s=1.0)
    with FakeServer(config) as server, Store(tmp_path / "runs.sqlite") as store:
        run, loaded, client = start(store, server, tasks_file, samples=2, timeout_s=0.3)
        progress = run_sync(store, run, loaded, client, concurrency=16)
        faults = sum(server.faults.values())
        exported = export(store, None, "csv")
    assert (progress.graded, progress.successes, progress.errors) == (120, 120, 0)
    assert faults >= 20  # each faulty prompt fails its first two requests (across its two samples)
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 120
    expected_input = sum(len(t["prompt"]) for t in tasks) * 2
    assert sum(int(r["input_tokens"]) for r in rows) == expected_input


def test_persistent_failures_are_error_attempts_apart_from_model_failures(tmp_path: Path, tasks_file: Path) -> None:
    config = Config(answers=dict(ANSWERS), always_fail=frozenset({"Capital of France?"}))
    with FakeServer(config) as server, Store(tmp_path / "runs.sqlite") as store:
        run, tasks, client = start(store, server, tasks_file, samples=2, max_retries=1)
        progress = run_sync(store, run, tasks, client, concurrency=3)
        counts = store.counts(run.run_id)
        errors = store.errors(run.run_id)
        exported = export(store, None, "jsonl")
        assert store.run(run.run_id).finished_at is None  # not complete: two attempts never answered
    assert (progress.graded, progress.successes, progress.errors) == (4, 2, 2)
    assert (counts.graded, counts.successes, counts.failures, counts.errors) == (4, 2, 2, 2)
    assert sorted(errors) == [
        ("capital", 0, "HTTP 500; gave up after 2 tries"),
        ("capital", 1, "HTTP 500; gave up after 2 tries"),
    ]
    assert exported.rows == 4
    assert exported.errors_left_out == 2
    assert {json.loads(line)["task_id"] for line in exported.text.splitlines()} == {"add", "greet"}


def test_stop_then_resume_finishes_without_repeats(tmp_path: Path, tasks_file: Path) -> None:
    stop = threading.Event()
    seen = []

    def on_progress(progress) -> None:
        seen.append(progress.done)
        if progress.done >= 4:
            stop.set()

    with FakeServer(Config(answers=dict(ANSWERS), delay_s=0.01)) as server, Store(tmp_path / "r.sqlite") as store:
        run, tasks, client = start(store, server, tasks_file, samples=5)
        run_sync(store, run, tasks, client, concurrency=2, on_progress=on_progress, stop=stop)
        first = {(a.task_id, a.sample): a.timestamp for a in store.attempts(run.run_id)}
        assert 4 <= len(first) < 15
        requests_before = server.requests
        progress = run_sync(store, run, tasks, client, concurrency=2)
        after = {(a.task_id, a.sample): a.timestamp for a in store.attempts(run.run_id)}
        assert server.requests - requests_before == 15 - len(first)
    assert progress.graded == 15
    assert len(after) == 15
    assert all(after[key] == stamp for key, stamp in first.items())  # finished attempts untouched


def test_resume_refuses_a_changed_task_set(tmp_path: Path, server: FakeServer, tasks_file: Path) -> None:
    with Store(tmp_path / "r.sqlite") as store:
        run, _, _ = start(store, server, tasks_file, samples=1)
    write_tasks(tasks_file, TASKS[:2])
    _, sha = load_tasks(tasks_file)
    with pytest.raises(InputError, match="the task set changed since run"):
        check_resumable(run, sha)


def test_store_reads_as_measurements(tmp_path: Path, server: FakeServer, tasks_file: Path) -> None:
    path = tmp_path / "runs.sqlite"
    with Store(path) as store:
        run, tasks, client = start(store, server, tasks_file, samples=2)
        run_sync(store, run, tasks, client, concurrency=2)
    m = read_measurements(path)
    assert m.shape == "per-attempt"
    assert len(m.frame) == 6
    assert m.frame["successes"].sum() == 4
    assert m.frame["input_tokens"].sum() == (14 + 18 + 9) * 2
    assert set(m.frame["provider"]) == {"openai"}
    assert read_store(path, [run.run_id]).startswith("label,model,provider,task_id,attempt,success,")


def test_unknown_run_and_missing_store_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such store file"):
        Store(tmp_path / "nope.sqlite", write=False)
    with Store(tmp_path / "empty.sqlite") as store:
        with pytest.raises(InputError, match="no run 'x' in the store"):
            store.run("x")
        with pytest.raises(InputError, match="the store holds no runs"):
            export(store, None, "csv")
    (tmp_path / "junk.sqlite").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(InputError, match="not an SQLite file"):
        Store(tmp_path / "junk.sqlite")
