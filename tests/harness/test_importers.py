"""Importing usage logs: each format to the per-attempt shape, success mapping, malformed lines."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cli.main import main
from harness.importers import ImportOptions, import_log
from measurements.load import read_measurements
from tokenomics.errors import InputError


def chat(id_: str, prompt: int, completion: int, cached: int = 0, reasoning: int = 0, **extra) -> dict:
    """A chat completion as a harness logs it: the response with the task it answered in ``metadata``."""
    return {
        "id": id_,
        "metadata": {"task": f"task-{id_}"},
        "object": "chat.completion",
        "created": 1763985600,  # 2025-11-24T12:00:00Z
        "model": "deepseek-chat",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "42"}}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "prompt_tokens_details": {"cached_tokens": cached},
            "completion_tokens_details": {"reasoning_tokens": reasoning},
        },
        **extra,
    }


def jsonl(*lines: object) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


OPENAI_LOG = jsonl(
    chat("c1", 1000, 200, cached=512, reasoning=50, success=True),
    chat("c2", 800, 100, success="fail"),
    "",
    chat("c3", 1200, 300, cached=1024, success=1),
)


def test_openai_responses_with_success_field() -> None:
    out = import_log(
        OPENAI_LOG, "log.jsonl", ImportOptions("openai", success_field="success", task_field="metadata.task")
    )
    assert [
        (
            r["task_id"],
            r["success"],
            r["input_tokens"],
            r["cache_read_tokens"],
            r["output_tokens"],
            r["reasoning_tokens"],
        )
        for r in out.records
    ] == [
        ("task-c1", True, 1000, 512, 200, 50),
        ("task-c2", False, 800, 0, 100, 0),
        ("task-c3", True, 1200, 1024, 300, 0),
    ]
    assert out.records[0]["timestamp"] == "2025-11-24T12:00:00Z"
    assert out.records[0]["attempt"] == 1


def test_openai_batch_output_with_results_file() -> None:
    log = jsonl(
        {
            "id": "b1",
            "custom_id": "task-1",
            "response": {"status_code": 200, "body": chat("x", 100, 10)},
            "error": None,
        },
        {"id": "b2", "custom_id": "task-2", "response": {"status_code": 200, "body": chat("y", 90, 20)}, "error": None},
        {"id": "b3", "custom_id": "task-3", "response": None, "error": {"code": "server_error", "message": "x"}},
        {
            "id": "b4",
            "custom_id": "task-1",
            "response": {"status_code": 200, "body": chat("z", 100, 12)},
            "error": None,
        },
    )
    results = {"task-1": True, "task-2": False, "task-3": True}
    out = import_log(log, "batch.jsonl", ImportOptions("openai-batch", results=results))
    assert [(r["task_id"], r["attempt"], r["success"], r["output_tokens"]) for r in out.records] == [
        ("task-1", 1, True, 10),
        ("task-2", 1, False, 20),
        ("task-1", 2, True, 12),
    ]
    assert out.request_errors == 1  # the failed batch request is not a model failure


def test_anthropic_messages_and_batch_results() -> None:
    message = {
        "id": "msg_1",
        "type": "message",
        "model": "claude-sonnet-4-5",
        "usage": {
            "input_tokens": 20,
            "cache_read_input_tokens": 3000,
            "cache_creation_input_tokens": 500,
            "output_tokens": 80,
        },
        "ok": "yes",
        "task": "t8",
    }
    batch_line = {"custom_id": "t9", "result": {"type": "succeeded", "message": {**message, "id": "msg_2"}}, "ok": "no"}
    errored = {"custom_id": "t10", "result": {"type": "errored", "error": {}}}
    log = jsonl(message, batch_line, errored)
    with pytest.raises(InputError, match="line 1: no task id: name the field or metadata key holding it"):
        import_log(log, "a.jsonl", ImportOptions("anthropic", success_field="ok"))  # never the response id
    only_batch = import_log(jsonl(batch_line, errored), "b.jsonl", ImportOptions("anthropic", success_field="ok"))
    assert [r["task_id"] for r in only_batch.records] == ["t9"]  # a batch's custom_id is the requester's own id
    batch_line["task"] = "t9"
    options = ImportOptions("anthropic", success_field="ok", task_field="task")
    out = import_log(jsonl(message, batch_line, errored), "a.jsonl", options)
    assert [
        (r["task_id"], r["success"], r["input_tokens"], r["cache_read_tokens"], r["cache_write_tokens"])
        for r in out.records
    ] == [
        ("t8", True, 3520, 3000, 500),  # 20 fresh + 3000 read + 500 written
        ("t9", False, 3520, 3000, 500),
    ]
    assert out.request_errors == 1


def test_generic_csv_with_mapping() -> None:
    text = "request,llm,prompt_toks,completion_toks,passed,usd\nr1,gpt-4o,100,20,yes,0.001\nr2,gpt-4o,50,,no,\n"
    options = ImportOptions(
        "csv",
        success_field="passed",
        mapping={"task_id": "request", "model": "llm", "input_tokens": "prompt_toks"}
        | {"output_tokens": "completion_toks", "cost_usd": "usd"},
    )
    out = import_log(text, "log.csv", options)
    assert [{k: v for k, v in r.items() if not k.startswith("_")} for r in out.records] == [
        {
            "model": "gpt-4o",
            "task_id": "r1",
            "success": True,
            "input_tokens": 100,
            "output_tokens": 20,
            "cost_usd": 0.001,
            "attempt": 1,
        },
        {
            "model": "gpt-4o",
            "task_id": "r2",
            "success": False,
            "input_tokens": 50,
            "output_tokens": None,
            "cost_usd": None,
            "attempt": 1,
        },
    ]


@pytest.mark.parametrize(
    ("fmt", "text", "words"),
    [
        (
            "openai",
            jsonl(chat("c1", 1, 1, success=True), "{oops", chat("c3", 1, 1, success=True)),
            "line 2: not valid JSON",
        ),
        ("openai", jsonl(chat("c1", 1, 1, success=True), {"id": "c2", "success": True}), "line 2: no usage block"),
        ("openai", jsonl(chat("c1", 1, 1, success="maybe")), "line 1: 'success' is missing or not a yes/no value"),
        ("openai", jsonl([1, 2]), "line 1: not a JSON object"),
        ("csv", "task_id,model,success,input_tokens\nt1,m,true,abc\n", "line 2: column 'input_tokens': not a number"),
    ],
)
def test_malformed_lines_stop_the_import_with_line_numbers(fmt: str, text: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        import_log(text, "log", ImportOptions(fmt, success_field="success", task_field="metadata.task"))
    assert words in str(info.value)
    assert "nothing imported" in str(info.value)


def test_no_source_of_success_is_an_error() -> None:
    with pytest.raises(InputError, match="no source of success"):
        import_log(OPENAI_LOG, "log.jsonl", ImportOptions("openai"))


def test_cli_import_all_or_nothing_then_skip_bad(tmp_path: Path, capsys) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(jsonl(chat("c1", 100, 10, success=True), "{broken", chat("c3", 100, 10, success=False), "[]"))
    out = tmp_path / "attempts.csv"
    store = tmp_path / "runs.sqlite"
    args = ["import", str(log), "--format", "openai", "--success-field", "success", "--provider", "deepseek"]
    args += ["--task-field", "metadata.task"]
    assert main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "line 2: not valid JSON" in err
    assert "line 4: not a JSON object" in err
    assert not out.exists()
    assert main([*args, "--store", str(store)]) == 2
    capsys.readouterr()
    if store.exists():  # nothing half-imported: no run, no attempt
        with sqlite3.connect(store) as db:
            assert db.execute("SELECT COUNT(*) FROM runs").fetchone() == (0,)

    assert main([*args, "--out", str(out), "--skip-bad"]) == 0
    assert "skipped 2 malformed record(s) (--skip-bad): 2, 4" in capsys.readouterr().out
    m = read_measurements(out)
    assert list(m.frame["task_id"]) == ["task-c1", "task-c3"]
    assert set(m.frame["provider"]) == {"deepseek"}

    assert main([*args, "--store", str(store), "--skip-bad", "--label", "DeepSeek (prod log)"]) == 0
    capsys.readouterr()
    stored = read_measurements(store)
    assert list(stored.frame["label"]) == ["DeepSeek (prod log)"] * 2
    assert stored.frame["successes"].tolist() == [1, 0]


def test_cli_results_file(tmp_path: Path, capsys) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(jsonl(chat("c1", 100, 10), chat("c2", 100, 10)))
    results = tmp_path / "results.csv"
    results.write_text("task_id,success\ntask-c1,pass\ntask-c2,fail\n")
    out = tmp_path / "a.jsonl"
    args = ["import", str(log), "--format", "openai", "--task-field", "metadata.task", "--results", str(results)]
    assert main([*args, "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["task_id"], r["success"]) for r in rows] == [("task-c1", True), ("task-c2", False)]
    results.write_text("task_id,success\nc1,perhaps\n")
    assert main([*args, "--out", str(out)]) == 2
    assert "results.csv, line 2, column 'success': not a yes/no value (found 'perhaps')" in capsys.readouterr().err
