"""A misbehaving endpoint, a handed-over store and a second process: none crashes a run, leaks the
key, sends a request twice or leaves a bogus run (issue 10, findings 4, 6, 8 and 9)."""

from __future__ import annotations

import socket
import sqlite3
import time
from pathlib import Path

import pytest
from fakeserver import Config, FakeServer
from harness_data import write_tasks

from cli.main import main
from harness.graders import GradeError, grade
from harness.lock import run_lock
from harness.tasks import Task

KEY = "sk-hostile-NEVER-STORED-7d1e"
HOSTILE = {
    "echo_key": "the reply holds the key: stored redacted",
    "inf_usage": "Infinity, which is not a JSON number",
    "huge_usage": "prompt_tokens is 1e+23, above",
    "fraction_usage": "not a whole number of tokens",
    "big_int_usage": "an integer beyond 2^63-1",
    "long_number": "a number of 5000 characters",
    "not_object": "without choices[0].message.content",
    "deep": "JSON nested too deeply",
    "bad_choices": "without choices[0].message.content",
    "redos": "the regex grader gave up after 1 s",
}


def measure(server: FakeServer, tasks: Path, store: Path, *extra: str) -> list[str]:
    return [
        *("measure", "--base-url", server.base_url, "--model", "m", "--tasks", str(tasks)),
        *("--out", str(store), "--api-key-env", "TOKENOMICS_HOSTILE_KEY", "--max-retries", "0", *extra),
    ]


def test_hostile_replies_become_error_attempts_with_reasons(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TOKENOMICS_HOSTILE_KEY", KEY)
    tasks = [{"id": "ok", "prompt": "fine", "expected": "fine", "grader": "contains"}]
    tasks += [
        {"id": kind, "prompt": kind, "expected": "(a|aa)+$" if kind == "redos" else "x", "grader": "regex"}
        for kind in HOSTILE
    ]
    tasks_file = write_tasks(tmp_path / "tasks.jsonl", tasks)
    store = tmp_path / "runs.sqlite"
    config = Config(answers={"fine": "fine", "echo_key": "x"}, hostile={k: k for k in HOSTILE})
    started = time.monotonic()
    with FakeServer(config) as server:
        assert main(measure(server, tasks_file, store)) == 0, capsys.readouterr().err
    elapsed = time.monotonic() - started
    out = capsys.readouterr().out
    assert "11/11" not in out and "2/11 attempts graded, 2 succeeded" in out
    with sqlite3.connect(store) as db:
        rows = dict(db.execute("SELECT task_id, COALESCE(error, 'graded: ' || reply) FROM attempts").fetchall())
        dump = "\n".join(db.iterdump())
    assert rows["ok"] == "graded: fine"
    assert rows["echo_key"] == "graded: you sent: Bearer ***; x"  # finding 8: the echoed key never reaches the store
    assert KEY not in dump
    for kind, words in HOSTILE.items():
        if kind != "echo_key":
            assert words in rows[kind], (kind, rows[kind])
    assert elapsed < 30  # bounded: the backtracking regex is cut at its deadline, nothing hangs


def test_backtracking_regex_is_cut_at_its_deadline() -> None:
    """Finding 6: a pattern that doubles its work per character fails one grade, in about a second."""
    for pattern in ("(a+)+$", "(a|aa)+$"):
        evil = Task(id="t", prompt="q", expected=pattern, grader="regex")
        started = time.monotonic()
        with pytest.raises(GradeError, match="gave up after 1 s"):
            grade(evil, "a" * 5000 + "b")
        assert time.monotonic() - started < 10  # generous: the deadline is 1 s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.com/v1", "not an http(s) URL"),
        ("http://user:pw@127.0.0.1:1/v1", "user name or password"),
        ("http://127.0.0.1:{port}/v1", "cannot reach 127.0.0.1"),
    ],
)
def test_a_bad_base_url_fails_fast_and_leaves_no_run(tmp_path: Path, capsys, url: str, words: str) -> None:
    tasks_file = write_tasks(tmp_path / "t.jsonl", [{"id": "a", "prompt": "p", "expected": "x", "grader": "exact"}])
    store = tmp_path / "runs.sqlite"
    argv = ["measure", "--base-url", url.format(port=free_port()), "--model", "m", "--tasks", str(tasks_file)]
    started = time.monotonic()
    assert main([*argv, "--out", str(store)]) == 2
    assert time.monotonic() - started < 15
    [error] = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert words in error
    assert not store.exists()


def start_run(tmp_path: Path, server: FakeServer, monkeypatch, capsys) -> tuple[Path, str]:
    """A run with one of its two tasks failing for good: something left to resume."""
    monkeypatch.setenv("TOKENOMICS_HOSTILE_KEY", KEY)
    tasks = [
        {"id": "a", "prompt": "A?", "expected": "x", "grader": "contains"},
        {"id": "b", "prompt": "B?", "expected": "x", "grader": "contains"},
    ]
    tasks_file = write_tasks(tmp_path / "t.jsonl", tasks)
    store = tmp_path / "runs.sqlite"
    server.config.always_fail = frozenset({"B?"})
    assert main(measure(server, tasks_file, store)) == 0
    capsys.readouterr()
    server.config.always_fail = frozenset()
    with sqlite3.connect(store) as db:
        (run_id,) = db.execute("SELECT run_id FROM runs").fetchone()
    return store, run_id


def resume(store: Path, run_id: str, *extra: str) -> list[str]:
    return ["measure", "--resume", run_id, "--out", str(store), "--api-key-env", "TOKENOMICS_HOSTILE_KEY", *extra]


def test_resume_sends_the_key_only_where_the_command_line_says(tmp_path: Path, monkeypatch, capsys) -> None:
    """Finding 4: a store names its endpoint; the key follows it only when the user confirms it."""
    with FakeServer(Config(answers={"A?": "x", "B?": "x"})) as server:
        store, run_id = start_run(tmp_path, server, monkeypatch, capsys)
        before = server.requests
        assert main(resume(store, run_id)) == 2
        err = capsys.readouterr().err
        assert f"requests go to {server.base_url}" in err
        assert "not sending the API key to http://127.0.0.1" in err
        assert main(resume(store, run_id, "--base-url", "http://other.example:8000/v1")) == 2
        assert "the run was measured at http://127.0.0.1" in capsys.readouterr().err
        assert server.requests == before  # nothing was sent
        assert main(resume(store, run_id, "--base-url", server.base_url)) == 0
        assert "2/2 attempts graded" in capsys.readouterr().out
        assert server.auth_headers == {f"Bearer {KEY}"}


def test_trust_stored_url_is_the_explicit_way_round(tmp_path: Path, monkeypatch, capsys) -> None:
    with FakeServer(Config(answers={"A?": "x", "B?": "x"})) as server:
        store, run_id = start_run(tmp_path, server, monkeypatch, capsys)
        assert main(resume(store, run_id, "--trust-stored-url")) == 0
        assert "2/2 attempts graded" in capsys.readouterr().out


def test_two_processes_cannot_resume_one_run(tmp_path: Path, monkeypatch, capsys) -> None:
    """Finding 9: while one process holds the run, a second refuses at once and sends nothing."""
    with FakeServer(Config(answers={"A?": "x", "B?": "x"})) as server:
        store, run_id = start_run(tmp_path, server, monkeypatch, capsys)
        before = server.requests
        with run_lock(store, run_id):
            assert main(resume(store, run_id, "--base-url", server.base_url)) == 2
            assert "is being measured by another process" in capsys.readouterr().err
        assert server.requests == before
        assert main(resume(store, run_id, "--base-url", server.base_url)) == 0  # released: it resumes
