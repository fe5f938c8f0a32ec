"""``tokenomics import`` for every format, ``export --format eee`` and its round trip, the dataset
column through loading, and several calls of one attempt summed for the OpenAI/Anthropic logs."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from harness.log_formats import FORMATS, LogOptions, import_sources
from harness.log_formats._read import Source
from measurements.load import combine, parse_measurements, read_measurements
from pricing.comparison import compare_measurements
from pricing.snapshot import bundled
from tokenomics.compare import CompareOptions
from tokenomics.errors import InputError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"

HEADER = "model,provider,dataset,task_id,attempt,success,input_tokens,cache_read_tokens,output_tokens,reasoning_tokens"
MEASURED = f"""{HEADER},calls,cost_usd,latency_s,timestamp
deepseek-reasoner,deepseek,demo,task-01,1,true,6012,3006,3550,2485,1,,59.6,2026-11-11T08:15:00Z
deepseek-reasoner,deepseek,demo,task-01,2,false,6000,3000,3000,2000,3,0.01,12.25,2025-11-11
deepseek-reasoner,deepseek,demo,task-02,1,true,4100,0,2900,2000,,,,2025-11-12T01:00:00.250000Z
gpt-4.1,openai,demo,task-01,1,false,5876,2938,812,0,1,,14.0,2025-11-11T08:15:00Z
gpt-4.1,openai,demo,task-02,1,true,,,,,,0.5,,
"""


def test_help_lists_every_format(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    for name in FORMATS:
        assert name in out
    assert "docs/import.md" in out


@pytest.mark.parametrize(
    ("fmt", "inputs", "extra", "first_row"),
    [
        ("swebench", ["swe-bench-leaderboards.json"], ["--leaderboard", "bash-only"], "demo__demo-0001,1,true,12,0.3"),
        ("eee", ["eee_samples.jsonl"], [], "demo_0001,1,true,120,64,0,30,10,1,0.85"),
        ("harbor", ["harbor"], [], "demo-task,1,true,50000,30000,4000,0.08,300.0"),
        ("otlp", ["otel_traces.jsonl"], ["--task-field", "task.id", "--results", "R"], "task-01,1,true,3000,1024"),
        ("langfuse", ["langfuse_observations.csv"], ["--task-field", "traceName", "--results", "R"], "task-01,1,true"),
        ("litellm", ["litellm_spendlogs.jsonl"], ["--results", "R"], "task-01,1,true,8400,7000,500,500,100,2,0.0168"),
        ("openrouter", ["openrouter_generations.jsonl"], ["--task-field", "session_id", "--results", "R"], "task-01"),
    ],
)
def test_cli_imports_each_format_to_a_file_compare_reads(
    tmp_path: Path, capsys, fmt: str, inputs: list[str], extra: list[str], first_row: str
) -> None:
    results = tmp_path / "results.csv"
    results.write_text(
        "task_id,success\ntask-01,true\ntask-02,false\ntask-03,true\ntask-01-attempt-1,true\ntask-02-attempt-1,false\n"
    )
    out = tmp_path / "attempts.csv"
    args = ["import", "--format", fmt, *(str(FIXTURES / i) for i in inputs), "--out", str(out)]
    assert main([*args, *(str(results) if a == "R" else a for a in extra)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("imported ")
    assert first_row in out.read_text().splitlines()[1]
    m = read_measurements(out)
    assert m.notes == []  # every column written is one the loader knows, dataset included
    assert m.frame["dataset"].notna().all()
    assert main(["compare", "--measurements", str(out), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("model,provider,attempts,successes")


def test_cli_swebench_prints_the_licence(tmp_path: Path, capsys) -> None:
    out = tmp_path / "swe.jsonl"
    leaderboards = str(FIXTURES / "swe-bench-leaderboards.json")
    assert main(["import", "--format", "swebench", leaderboards, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "note: SWE-bench leaderboard data is licensed CC BY-NC 4.0" in printed
    assert json.loads(out.read_text().splitlines()[0])["dataset"] == "SWE-bench bash-only"


def test_cli_errors_are_one_line(tmp_path: Path, capsys) -> None:
    out = tmp_path / "a.csv"
    assert main(["import", "--format", "eee", str(FIXTURES / "eee_aggregate.json"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "this looks like an EEE aggregate file (EvaluationLog), not instance-level" in err
    assert main(["import", "--format", "litellm", str(FIXTURES / "litellm_spendlogs.jsonl"), "--out", str(out)]) == 2
    assert "no source of success: LiteLLM spend logs do not say whether a task was solved" in capsys.readouterr().err
    args = ["import", "--format", "eee", str(FIXTURES / "eee_samples.jsonl"), "--store", str(tmp_path / "s.sqlite")]
    assert main(args) == 2
    assert "--store takes openai, openai-batch, anthropic, csv only" in capsys.readouterr().err
    assert main(["import", "--format", "eee", str(FIXTURES), "--out", str(out)]) == 2
    assert "a folder; expected a file (only --format harbor reads a job folder)" in capsys.readouterr().err
    assert not out.exists()


# ---- EEE export and the round trip ------------------------------------------------------------


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    options = CompareOptions(resamples=200, seed=1, cost_of_pass=True)
    result = compare_measurements(frame, bundled(), as_of=date(2026, 1, 1), today=date(2026, 1, 1), options=options)
    return result.summary


def test_eee_export_then_import_gives_the_same_comparison(tmp_path: Path, capsys) -> None:
    measured = tmp_path / "measured.csv"
    measured.write_text(MEASURED)
    exported = tmp_path / "samples.jsonl"
    assert main(["export", "--measurements", str(measured), "--format", "eee", "--out", str(exported)]) == 0
    assert "wrote 5 attempts of 2 model(s)" in capsys.readouterr().out
    lines = [json.loads(line) for line in exported.read_text().splitlines()]
    assert lines[1] == {
        "schema_version": "0.3.0",
        "evaluation_id": "demo/deepseek-reasoner",
        "model_id": "deepseek-reasoner",
        "evaluation_name": "demo",
        "sample_id": "task-01",
        "interaction_type": "agentic",
        "input": {"raw": "", "reference": []},
        "answer_attribution": [],
        "evaluation": {"score": 0.0, "is_correct": False, "num_turns": 3},
        "messages": [],
        "token_usage": {
            "input_tokens": 6000,
            "output_tokens": 3000,
            "total_tokens": 9000,
            "input_tokens_cache_read": 3000,
            "input_tokens_cache_write": None,
            "reasoning_tokens": 2000,
        },
        "performance": {"latency_ms": 12250.0},
        "metadata": {
            "tokenomics.attempt": "2",
            "tokenomics.provider": "deepseek",
            "tokenomics.cost_usd": "0.01",
            "tokenomics.calls": "3",
            "tokenomics.timestamp": "2025-11-11",
        },
    }
    # a single call answers with output (the schema's single_turn rule); unknown tokens are null
    assert lines[0]["interaction_type"] == "single_turn" and lines[0]["output"] == {"raw": []}
    assert lines[4]["token_usage"] is None and lines[4]["metadata"]["tokenomics.cost_usd"] == "0.5"

    back = tmp_path / "back.csv"
    assert main(["import", "--format", "eee", str(exported), "--out", str(back)]) == 0
    keys = ["label", "task_id", "attempt"]
    before = read_measurements(measured).frame.sort_values(keys, ignore_index=True)
    after = read_measurements(back).frame.sort_values(keys, ignore_index=True)
    columns = ["label", "model", "provider", "dataset", "task_id", "attempt", "successes", "calls", "cost_usd"]
    columns += ["input_tokens", "cache_read_tokens", "output_tokens", "reasoning_tokens", "latency_s", "timestamp"]
    pd.testing.assert_frame_equal(before[columns], after[columns])
    pd.testing.assert_frame_equal(summary(before), summary(after))


def test_eee_export_of_a_store_and_refusal_of_aggregated_rows(tmp_path: Path, capsys) -> None:
    aggregated = tmp_path / "runs.csv"
    aggregated.write_text("model,attempts,successes,cost_usd\ngpt-4.1,10,5,1.0\n")
    out = tmp_path / "x.jsonl"
    assert main(["export", "--measurements", str(aggregated), "--format", "eee", "--out", str(out)]) == 2
    assert "a row per run has no task attempts to write at instance level" in capsys.readouterr().err
    assert main(["export", "--measurements", str(aggregated), "--out", str(out)]) == 2
    assert "--measurements is exported with --format eee" in capsys.readouterr().err


# ---- datasets through loading ------------------------------------------------------------------


def test_dataset_column_loads_and_one_label_never_spans_two_datasets() -> None:
    text = "model,dataset,task_id,success\nm,a,t1,true\nm,a,t2,false\n"
    frame = parse_measurements(text.encode(), "a.csv").frame
    assert list(frame["dataset"]) == ["a", "a"]
    mixed = text + "m,b,t1,true\n"
    with pytest.raises(InputError) as info:
        parse_measurements(mixed.encode(), "m.csv")
    assert str(info.value) == (
        "m.csv, line 4, column 'dataset': label 'm' has rows of 2 datasets (a, b); one comparison would pool them; "
        "expected one dataset per label: compare the datasets apart, or give their rows different labels"
    )
    other = parse_measurements(b"model,dataset,task_id,success\nm,b,t1,true\n", "b.csv")
    with pytest.raises(InputError, match=r"b\.csv, line 2, column 'dataset': label 'm' has rows of 2 datasets"):
        combine([parse_measurements(text.encode(), "a.csv"), other])
    relabelled = parse_measurements(b"label,model,dataset,task_id,success\nm on b,m,b,t1,true\n", "b.csv")
    assert len(combine([parse_measurements(text.encode(), "a.csv"), relabelled])) == 3
    undated = parse_measurements(b"model,task_id,success\nm,t1,true\n", "c.csv")
    assert len(combine([parse_measurements(text.encode(), "a.csv"), undated])) == 3  # no dataset: not counted


# ---- OpenAI/Anthropic logs: calls of one attempt summed ------------------------------------------


def chat(task: str, attempt: str, prompt: int, completion: int, passed: bool) -> dict:
    return {
        "id": f"chatcmpl-{task}-{attempt}-{prompt}",
        "object": "chat.completion",
        "created": 1763985600 + prompt,
        "model": "gpt-4.1",
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion},
        "metadata": {"task_id": task, "attempt_id": f"{task}/{attempt}", "passed": passed},
    }


def test_openai_calls_of_one_attempt_are_summed() -> None:
    calls = [
        chat("t1", "a", 100, 10, True),
        chat("t1", "a", 200, 20, True),
        chat("t1", "a", 300, 30, True),
        chat("t1", "b", 50, 5, False),
        chat("t2", "a", 70, 7, True),
    ]
    log = Source("calls.jsonl", "".join(json.dumps(c) + "\n" for c in calls).encode())
    options = LogOptions(
        "openai", task_field="metadata.task_id", group_by="metadata.attempt_id", success_field="metadata.passed"
    )
    assert import_sources([log], options).text("csv").splitlines() == [
        "model,dataset,task_id,attempt,success,input_tokens,output_tokens,calls,timestamp",
        # attempts numbered in the order they began: t1/b's call came before t1/a's first
        "gpt-4.1,calls,t1,1,false,50,5,1,2025-11-24T12:00:50Z",
        "gpt-4.1,calls,t2,1,true,70,7,1,2025-11-24T12:01:10Z",
        "gpt-4.1,calls,t1,2,true,600,60,3,2025-11-24T12:01:40Z",
    ]
    calls[1]["metadata"]["passed"] = False
    log = Source("calls.jsonl", "".join(json.dumps(c) + "\n" for c in calls).encode())
    with pytest.raises(InputError, match="the calls of attempt 't1/a' disagree on success"):
        import_sources([log], options)


def test_docs_map_every_format_and_option() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    for name in FORMATS:
        assert f"`{name}`" in docs
    for name in ("swebench", "eee", "harbor", "otlp", "langfuse", "litellm", "openrouter"):
        section = docs.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
        assert "| column | from" in section, name  # its field mapping
        assert "Source" in section and re.search(r"version|\*\*v\d+\.\d+", section), name  # schema and version
    from cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices["import"]  # type: ignore[union-attr]
    for action in sub._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag not in ("--help", "--map", "--store", "--out"):
                assert f"`{flag}" in docs or flag in docs, flag
