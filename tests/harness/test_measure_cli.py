"""``measure`` and ``export`` on the command line: kill -9 then --resume, and the API key never leaks."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakeserver import Config, FakeServer
from harness_data import write_tasks

from cli.main import main

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-test-DO-NOT-LEAK-4f1b2c9e"


def graded(store: Path) -> list[tuple[str, int, str]]:
    if not store.exists():
        return []
    try:
        with sqlite3.connect(store, timeout=5) as db:
            return db.execute("SELECT task_id, sample, timestamp FROM attempts WHERE status = 'ok'").fetchall()
    except sqlite3.OperationalError:  # the measure process has created the file but not yet its tables
        return []


def measure_args(server: FakeServer, tasks: Path, store: Path, *extra: str) -> list[str]:
    return [
        "measure",
        "--base-url",
        server.base_url,
        "--model",
        "gpt-4o-mini",
        "--tasks",
        str(tasks),
        "--out",
        str(store),
        "--api-key-env",
        "TOKENOMICS_TEST_KEY",
        *extra,
    ]


def test_measure_then_export(tmp_path: Path, server: FakeServer, tasks_file: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("TOKENOMICS_TEST_KEY", raising=False)
    store = tmp_path / "runs.sqlite"
    assert main(measure_args(server, tasks_file, store, "--samples", "2", "--provider", "openai")) == 0
    out = capsys.readouterr()
    assert "6/6 attempts graded, 4 succeeded, 2 failed, 0 request errors" in out.out
    assert "$TOKENOMICS_TEST_KEY is not set; sending no API key" in out.err
    assert main(["export", "--store", str(store), "--out", str(tmp_path / "a.jsonl")]) == 0
    assert "wrote 6 attempts of 1 run(s)" in capsys.readouterr().out
    rows = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert {(r["task_id"], r["attempt"], r["success"]) for r in rows} == {
        ("add", 1, True),
        ("add", 2, True),
        ("capital", 1, True),
        ("capital", 2, True),
        ("greet", 1, False),
        ("greet", 2, False),
    }
    assert main(["compare", "--measurements", str(store), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("model,provider,attempts,successes")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["measure", "--model", "m"], "--base-url is required (or --resume RUN_ID)"),
        (["export", "--store", "missing.sqlite", "--out", "x.csv"], "no such store file"),
    ],
)
def test_cli_input_errors(argv: list[str], message: str, capsys, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_kill_9_then_resume_gives_each_attempt_once(tmp_path: Path) -> None:
    tasks = [
        {"id": f"q{i:02d}", "prompt": f"What is {i} * 3?", "expected": 3 * i, "grader": "numeric"} for i in range(30)
    ]
    tasks_file = write_tasks(tmp_path / "tasks.jsonl", tasks)
    answers = {t["prompt"]: f"{t['expected']}" for t in tasks}
    store = tmp_path / "runs.sqlite"
    log = tmp_path / "measure.log"
    with FakeServer(Config(answers=answers, delay_s=0.05)) as server:
        argv = [sys.executable, "-m", "tokenomics", *measure_args(server, tasks_file, store, "--samples", "2")]
        env = {**os.environ, "TOKENOMICS_TEST_KEY": KEY}
        with log.open("w") as fh:
            proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + 20
                while len(graded(store)) < 12 and time.monotonic() < deadline and proc.poll() is None:
                    time.sleep(0.02)
                proc.send_signal(signal.SIGKILL)
            finally:
                proc.kill()
                proc.wait(10)
        assert proc.returncode == -signal.SIGKILL, log.read_text()
        before = {(t, s): stamp for t, s, stamp in graded(store)}
        for path in (store, store.with_name(store.name + "-wal"), log):  # a killed writer leaves its WAL
            assert not path.exists() or KEY.encode() not in path.read_bytes(), path.name
        assert 12 <= len(before) < 60
        with sqlite3.connect(store) as db:
            (run_id,) = db.execute("SELECT run_id FROM runs").fetchone()
        requests_before = server.requests
        done = subprocess.run(
            [
                *(sys.executable, "-m", "tokenomics", "measure", "--resume", run_id, "--out", str(store)),
                *("--base-url", server.base_url),  # the key goes where the command line says, not the store
            ],
            cwd=ROOT,
            env={**env, "OPENAI_API_KEY": KEY},
            capture_output=True,
            text=True,
            timeout=60,
        )
        resumed_requests = server.requests - requests_before
    assert done.returncode == 0, done.stderr
    assert f"run {run_id} (gpt-4o-mini): 60/60 attempts graded, 60 succeeded" in done.stdout
    after = graded(store)
    assert len(after) == 60
    assert len({(t, s) for t, s, _ in after}) == 60
    assert all({(t, s): stamp for t, s, stamp in after}[k] == v for k, v in before.items())
    assert resumed_requests == 60 - len(before)  # nothing finished is asked again
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM attempts").fetchone() == (60,)


def test_api_key_never_leaks(tmp_path: Path) -> None:
    """The key reaches the server and nothing else: grep the store, its WAL, logs and exports."""
    tasks = [{"id": f"k{i}", "prompt": f"Echo {i}", "expected": str(i), "grader": "contains"} for i in range(20)]
    tasks_file = write_tasks(tmp_path / "tasks.jsonl", tasks)
    config = Config(
        answers={t["prompt"]: t["expected"] for t in tasks},
        fault_percent=30,
        fault_kinds=("429", "500", "drop", "malformed"),
        fault_times=9,  # some never succeed: error attempts and their messages are written too
    )
    store = tmp_path / "runs.sqlite"
    env = {**os.environ, "TOKENOMICS_TEST_KEY": KEY}
    with FakeServer(config) as server:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "tokenomics",
                *measure_args(server, tasks_file, store, "--max-retries", "1", "--stream"),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert server.auth_headers == {f"Bearer {KEY}"}  # the key was really used
        wrong = subprocess.run(
            [
                sys.executable,
                "-m",
                "tokenomics",
                "measure",
                "--base-url",
                f"http://127.0.0.1:{server.port}/bad",
                "--model",
                "m",
                "--tasks",
                str(tasks_file),
                "--out",
                str(store),
                "--api-key-env",
                "TOKENOMICS_TEST_KEY",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert run.returncode == 0, run.stderr
    assert "request errors" in run.stdout
    # A wrong endpoint fails before a run is created, with exit 2 and the reason.
    assert wrong.returncode == 2
    assert "the endpoint did not answer a first request: HTTP 404" in wrong.stderr
    exports = []
    for name in ("all.csv", "all.jsonl"):
        subprocess.run(
            [sys.executable, "-m", "tokenomics", "export", "--store", str(store), "--out", str(tmp_path / name)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        exports.append(tmp_path / name)
    files = [p for p in tmp_path.iterdir() if p.is_file() and p.name != "tasks.jsonl"]
    assert {"runs.sqlite", "all.csv", "all.jsonl"} <= {p.name for p in files}
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path.name
    for text in (run.stdout, run.stderr, wrong.stdout, wrong.stderr):
        assert KEY not in text
    with sqlite3.connect(store) as db:
        dump = "\n".join(db.iterdump())
    assert KEY not in dump
