"""Import formats: each fixture to exact per-attempt rows, calls grouped into attempts, success
mapping, datasets kept apart, and malformed or wrong files refused with one line naming the file,
the line and the field. Fixtures: tests/fixtures/import/ (invented values; README there)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from harness.log_formats import LogOptions, detect, import_sources
from harness.log_formats._read import Source
from tokenomics.errors import InputError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
HARBOR_JOB = FIXTURES / "harbor" / "jobs" / "2026-01-02__10-00-00"


def source(name: str) -> Source:
    return Source(name, (FIXTURES / name).read_bytes())


def text_source(name: str, text: str) -> Source:
    return Source(name, text.encode())


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def csv_lines(sources: list[Source], **options) -> list[str]:
    return import_sources(sources, LogOptions(**options)).text("csv").splitlines()


def error(sources: list[Source], **options) -> str:
    with pytest.raises(InputError) as info:
        import_sources(sources, LogOptions(**options))
    message = str(info.value)
    assert "\n" not in message
    return message


# ---- SWE-bench leaderboards -----------------------------------------------------------------


def test_swebench_per_instance_rows_with_cost_and_calls() -> None:
    result = import_sources([source("swe-bench-leaderboards.json")], LogOptions("swebench"))
    assert result.text("csv").splitlines() == [
        "label,model,dataset,task_id,attempt,success,calls,cost_usd,timestamp",
        "Example Model A (2026-01-01),example-model-a,SWE-bench bash-only,demo__demo-0001,1,true,12,0.3,2026-01-01",
        "Example Model A (2026-01-01),example-model-a,SWE-bench bash-only,demo__demo-0002,1,false,18,0.6,2026-01-01",
    ]
    assert any("CC BY-NC 4.0" in note and "never bundled" in note for note in result.notes)


def test_swebench_leaderboard_choice() -> None:
    lite = error([source("swe-bench-leaderboards.json")], fmt="swebench", leaderboard="Lite")
    assert "leaderboard 'Lite' has no per-instance results" in lite
    unknown = error([source("swe-bench-leaderboards.json")], fmt="swebench", leaderboard="Multimodal")
    assert unknown == (
        "swe-bench-leaderboards.json: no leaderboard 'Multimodal' in the file; "
        "expected one of: bash-only, Lite (no per-instance data)"
    )
    same = csv_lines([source("swe-bench-leaderboards.json")], fmt="swebench", leaderboard="BASH-ONLY")
    assert len(same) == 3


def test_swebench_malformed_names_the_field() -> None:
    doc = json.loads((FIXTURES / "swe-bench-leaderboards.json").read_text())
    doc["leaderboards"][0]["results"][0]["per_instance_details"]["demo__demo-0002"]["resolved"] = "yes"
    message = error([text_source("lb.json", json.dumps(doc))], fmt="swebench")
    assert message == (
        "lb.json, field 'per_instance_details['demo__demo-0002'].resolved': leaderboards[0].results[0] "
        "('Example Model A (2026-01-01)'): not true/false (found 'yes'); expected true or false"
    )
    assert "not a SWE-bench leaderboards file" in error([source("eee_aggregate.json")], fmt="swebench")


# ---- Every Eval Ever --------------------------------------------------------------------------


def test_eee_samples_inclusive_and_exclusive_token_forms() -> None:
    result = import_sources([source("eee_samples.jsonl")], LogOptions("eee"))
    assert result.text("csv").splitlines() == [
        "model,dataset,task_id,attempt,success,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,"
        "reasoning_tokens,calls,latency_s",
        # total 150 = 120 + 30: input already includes its 64 cached tokens
        "example-dev/example-model,demo_eval,demo_0001,1,true,120,64,0,30,10,1,0.85",
        # total 160 = 20 + 40 + 100: Anthropic-style input without the cache, which is added back
        "example-dev/example-model,demo_eval,demo_0002,1,false,120,100,0,40,,1,1.2",
        # token_usage null: unknown, not zero; an agentic sample of two assistant turns
        "example-dev/example-model,demo_eval,demo_0003,1,true,,,,,,2,",
    ]
    assert any("added back" in note for note in result.notes)


def test_eee_aggregate_file_is_refused_pointing_to_its_samples() -> None:
    assert error([source("eee_aggregate.json")], fmt="eee") == (
        "eee_aggregate.json: this looks like an EEE aggregate file (EvaluationLog), not instance-level; "
        "expected its samples file data/demo_eval/example-dev/example-model/"
        "00000000-0000-4000-8000-000000000000_samples.jsonl"
    )


def eee_line(sample: str, correct: bool, **changes) -> dict:
    line = json.loads((FIXTURES / "eee_samples.jsonl").read_text().splitlines()[0])
    line["sample_id"] = sample
    line["evaluation"] = {"score": float(correct), "is_correct": correct}
    for key, value in changes.items():
        line[key] = value
    return line


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (
            eee_line("s2", True, evaluation={"score": 1.0}),
            "x.jsonl, line 2, field 'evaluation.is_correct': not true/false; expected true or false",
        ),
        (
            eee_line("s2", True, schema_version="9.9"),
            "x.jsonl, line 2, field 'schema_version': unsupported schema version (found '9.9')",
        ),
        (
            eee_line("s2", True, token_usage={"input_tokens": "lots", "output_tokens": 1, "total_tokens": 2}),
            "x.jsonl, line 2, field 'token_usage.input_tokens': not a number (found 'lots')",
        ),
        ("{oops", "x.jsonl, line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)"),
        ({"model": "m", "task_id": "t", "success": True}, "x.jsonl, line 2, field 'sample_id': not an EEE"),
    ],
)
def test_eee_malformed_lines(line: object, words: str) -> None:
    assert words in error([text_source("x.jsonl", jsonl(eee_line("s1", True), line))], fmt="eee")


def test_eee_errors_metrics_and_datasets() -> None:
    failed = eee_line("s3", False, error="timeout after 600 s")
    result = import_sources([text_source("x.jsonl", jsonl(eee_line("s1", True), failed))], LogOptions("eee"))
    assert (len(result.records), result.request_errors) == (1, 1)

    two_metrics = jsonl(
        eee_line("s1", True), eee_line("s1", False, evaluation_result_id="demo_eval.f1"), eee_line("s2", True)
    )
    assert "are scored by 2 metrics (demo_eval.accuracy, demo_eval.f1)" in error(
        [text_source("x.jsonl", two_metrics)], fmt="eee"
    )
    picked = csv_lines([text_source("x.jsonl", two_metrics)], fmt="eee", metric="demo_eval.accuracy")
    assert [line.split(",")[2] for line in picked[1:]] == ["s1", "s2"]

    two_evals = jsonl(eee_line("s1", True), eee_line("s1", False, evaluation_name="other_eval"))
    assert "the input holds 2 datasets ('demo_eval', 'other_eval'); one comparison would pool them" in error(
        [text_source("x.jsonl", two_evals)], fmt="eee"
    )
    one = csv_lines([text_source("x.jsonl", two_evals)], fmt="eee", pick_dataset="other_eval")
    assert [line.split(",")[1:5] for line in one[1:]] == [["other_eval", "s1", "1", "false"]]
    pooled = csv_lines([text_source("x.jsonl", two_evals)], fmt="eee", dataset="both")
    assert [line.split(",")[1:3] for line in pooled[1:]] == [["both", "demo_eval/s1"], ["both", "other_eval/s1"]]


def test_repeated_samples_are_attempts_in_file_order() -> None:
    lines = jsonl(eee_line("s1", False), eee_line("s2", True), eee_line("s1", True))
    rows = csv_lines([text_source("x.jsonl", lines)], fmt="eee")
    assert [line.split(",")[2:5] for line in rows[1:]] == [
        ["s1", "1", "false"],
        ["s2", "1", "true"],
        ["s1", "2", "true"],
    ]


# ---- Harbor -----------------------------------------------------------------------------------

HARBOR_ROWS = [
    "label,model,provider,dataset,task_id,attempt,success,input_tokens,cache_read_tokens,output_tokens,cost_usd,"
    "latency_s,timestamp",
    "terminus-2 + example-model,example-model,example-provider,demo-dataset@1.0,demo-task,1,true,50000,30000,4000,"
    "0.08,300.0,2026-01-02T10:00:05Z",
    # an agent timeout with a valid reward of 0: a failure that spent tokens
    "terminus-2 + example-model,example-model,example-provider,demo-dataset@1.0,demo-task,2,false,120000,90000,9000,"
    "0.19,900.0,2026-01-02T10:00:06Z",
    # reward 0.5 is below the default threshold of 1; the agent reported no usage (unknown, not 0)
    "terminus-2 + example-model,example-model,example-provider,demo-dataset@1.0,other-task,1,false,,,,,210.0,"
    "2026-01-02T10:00:07Z",
]


def harbor_files() -> list[Source]:
    return [Source(str(p), p.read_bytes()) for p in sorted(HARBOR_JOB.rglob("result.json"))]


def test_harbor_job_folder_to_attempts() -> None:
    result = import_sources(harbor_files(), LogOptions("harbor"))
    assert result.text("csv").splitlines() == HARBOR_ROWS
    assert result.request_errors == 1  # the sandbox that never started is no verdict on the model
    assert any("cache writes are not reported apart" in note for note in result.notes)


def test_harbor_tar_and_reward_threshold() -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(HARBOR_JOB, arcname="jobs/2026-01-02__10-00-00")
    archive = Source("job.tar.gz", buffer.getvalue())
    assert csv_lines([archive], fmt="harbor") == HARBOR_ROWS
    lenient = csv_lines([archive], fmt="harbor", reward_threshold=0.5)
    assert lenient[3].split(",")[4:7] == ["other-task", "1", "true"]
    assert detect(archive) == "harbor"


def test_harbor_rewards_and_wrong_files() -> None:
    trial = json.loads((HARBOR_JOB / "demo-task__Ab12Cd3" / "result.json").read_text())
    trial["verifier_result"] = {"rewards": {"tests": 1.0, "style": 0.0}}
    several = [text_source("t/result.json", json.dumps(trial))]
    assert error(several, fmt="harbor") == (
        "t/result.json, field 'verifier_result.rewards': 2 rewards "
        '(found \'{"tests": 1.0, "style": 0.0}\'); expected one, or choose with --reward-key NAME'
    )
    assert csv_lines(several, fmt="harbor", reward_key="style")[1].split(",")[6] == "false"

    trial["verifier_result"] = {"rewards": {"reward": 1}}
    trial["agent_result"]["n_input_tokens"] = -3
    assert error([text_source("t/result.json", json.dumps(trial))], fmt="harbor") == (
        "t/result.json, field 'agent_result.n_input_tokens': not a token count (found -3); expected a whole number >= 0"
    )
    legacy = {"id": "x", "trial_name": "t.1-of-1", "task_id": "t", "is_resolved": True, "failure_mode": "none"}
    legacy_file = [text_source("results.json", json.dumps(legacy))]
    assert "legacy Terminal-Bench (tb run) trial" in error(legacy_file, fmt="harbor")
    job_only = [Source("result.json", (HARBOR_JOB / "result.json").read_bytes())]
    assert "no trial result.json among the inputs" in error(job_only, fmt="harbor")
    assert "not a readable tar archive" in error([Source("x.tar.gz", b"\x1f\x8bnot really")], fmt="harbor")


# ---- OpenTelemetry ----------------------------------------------------------------------------

RESULTS = {"task-01": True, "task-02": False}


def test_otlp_trace_is_one_attempt_inference_spans_only() -> None:
    result = import_sources([source("otel_traces.jsonl")], LogOptions("otlp", task_field="task.id", results=RESULTS))
    assert result.text("csv").splitlines() == [
        "model,provider,dataset,task_id,attempt,success,input_tokens,cache_read_tokens,output_tokens,"
        "reasoning_tokens,calls,latency_s,timestamp",
        # two chat calls (1000 + 2000 in, 200 + 500 out); the invoke_agent totals are not added again
        "example-model-2026-01-01,openai,otel_traces,task-01,1,true,3000,1024,700,300,2,12.0,2026-01-01T10:00:00Z",
    ]
    assert result.request_errors == 1  # trace B: a rate-limited call, no attempt


def test_otlp_clickhouse_rows() -> None:
    rows = csv_lines([source("otel_traces_clickhouse.jsonl")], fmt="otlp", task_field="task.id", results=RESULTS)
    assert rows[1:] == [
        "example-model-2026-01-01,openai,otel_traces_clickhouse,task-01,1,true,1000,200,1,4.0,"
        "2026-01-01T10:00:00.100000Z"
    ]


def span(trace: str, span_id: str, start_s: int, end_s: int, attrs: dict, events: list | None = None) -> dict:
    def value(v: object) -> dict:
        if isinstance(v, bool):
            return {"boolValue": v}
        if isinstance(v, int):
            return {"intValue": str(v)}
        return {"stringValue": str(v)}

    return {
        "traceId": trace,
        "spanId": span_id,
        "parentSpanId": "",
        "name": "chat m",
        "kind": 3,
        "startTimeUnixNano": str(start_s * 10**9),
        "endTimeUnixNano": str(end_s * 10**9),
        "attributes": [{"key": k, "value": value(v)} for k, v in attrs.items()],
        "events": events or [],
        "status": {"code": 0},
    }


def traces(*spans: dict, resource: dict | None = None) -> dict:
    attrs = [{"key": k, "value": {"stringValue": v}} for k, v in (resource or {}).items()]
    return {"resourceSpans": [{"resource": {"attributes": attrs}, "scopeSpans": [{"spans": list(spans)}]}]}


def chat_attrs(inp: int, out: int, **extra) -> dict:
    return {"gen_ai.operation.name": "chat", "gen_ai.request.model": "m", "gen_ai.usage.input_tokens": inp} | {
        "gen_ai.usage.output_tokens": out,
        **extra,
    }


def test_otlp_group_by_attribute_and_success_attribute() -> None:
    a = "a" * 32
    b = "b" * 32
    log = jsonl(
        traces(span(a, "1" * 16, 100, 110, chat_attrs(100, 10, **{"conv.id": "c1", "task.id": "t1"}))),
        traces(span(b, "2" * 16, 120, 125, chat_attrs(50, 5, **{"conv.id": "c1", "eval.passed": True}))),
    )
    rows = csv_lines(
        [text_source("t.jsonl", log)], fmt="otlp", group_by="conv.id", task_field="task.id", success_field="eval.passed"
    )
    # two traces of one conversation: one attempt of two calls, from the first start to the last end
    assert rows[1:] == ["m,t,t1,1,true,150,15,2,25.0,1970-01-01T00:01:40Z"]


def test_otlp_success_from_evaluation_event_and_agent_totals_alone() -> None:
    event = {
        "name": "gen_ai.evaluation.result",
        "attributes": [{"key": "gen_ai.evaluation.score.label", "value": {"stringValue": "fail"}}],
    }
    agent = {"gen_ai.operation.name": "invoke_agent", "gen_ai.request.model": "m"} | {
        "gen_ai.usage.input_tokens": 900,
        "gen_ai.usage.output_tokens": 90,
    }
    log = jsonl(traces(span("c" * 32, "3" * 16, 10, 40, agent, [event]), resource={"task.id": "t9"}))
    rows = csv_lines(
        [text_source("t.jsonl", log)], fmt="otlp", task_field="task.id", success_field="gen_ai.evaluation.score.label"
    )
    # without inference spans the agent's own totals are the attempt's; how many calls is unknown
    assert rows == [
        "model,dataset,task_id,attempt,success,input_tokens,output_tokens,latency_s,timestamp",
        "m,t,t9,1,false,900,90,30.0,1970-01-01T00:00:10Z",
    ]


def test_otlp_bad_inputs() -> None:
    attrs = chat_attrs(100, 10) | {"gen_ai.usage.output_tokens": "ten"}
    bad_count = jsonl(traces(span("d" * 32, "4" * 16, 0, 1, attrs)))
    assert error([text_source("t.jsonl", bad_count)], fmt="otlp", results={"d" * 32: True}) == (
        "t.jsonl, line 1, field 'gen_ai.usage.output_tokens': not a number (found 'ten'); expected a whole number >= 0"
    )
    two_models = jsonl(
        traces(
            span("e" * 32, "5" * 16, 0, 1, chat_attrs(1, 1)),
            span("e" * 32, "6" * 16, 1, 2, chat_attrs(1, 1, **{"gen_ai.response.model": "other"})),
        )
    )
    assert f"attempt '{'e' * 32}' of task '{'e' * 32}' calls 2 models (m, other)" in error(
        [text_source("t.jsonl", two_models)], fmt="otlp", results={"e" * 32: True}
    )
    assert "line 1, field 'resourceSpans': not OTLP/JSON traces" in error(
        [source("litellm_spendlogs.jsonl")], fmt="otlp", results={}
    )
    assert "no source of success" in error([source("otel_traces.jsonl")], fmt="otlp")
    missing = error([source("otel_traces.jsonl")], fmt="otlp", task_field="task.id", results={"task-02": True})
    assert "neither attempt '0af7651916cd43dd8448eb211c80319c' nor task 'task-01' is in the results file" in missing


# ---- Langfuse ---------------------------------------------------------------------------------

LANGFUSE_ROWS = [
    "model,dataset,task_id,attempt,success,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,"
    "reasoning_tokens,calls,cost_usd,latency_s,timestamp",
    # exclusive buckets summed: input 400 + 600 cached, then 300 + 1500 read + 200 written
    "example-model,langfuse_observations,task-01,1,true,3000,2100,200,450,50,2,0.00345,10.5,"
    "2026-01-01T09:59:59.500000Z",
    "example-model,langfuse_observations,task-02,1,false,500,,,80,,1,0.00082,2.0,2026-01-01T11:00:00Z",
]


@pytest.mark.parametrize("name", ["langfuse_observations.jsonl", "langfuse_observations.csv"])
def test_langfuse_export_grouped_by_trace(name: str) -> None:
    rows = csv_lines([source(name)], fmt="langfuse", task_field="traceName", results=RESULTS)
    assert rows == LANGFUSE_ROWS


def test_langfuse_success_field_and_bad_rows() -> None:
    lines = (FIXTURES / "langfuse_observations.jsonl").read_text().splitlines()
    rows = [json.loads(line) for line in lines]
    rows[2]["correct"] = [1]  # an observation-level score column holds a list
    rows[3]["correct"] = [0]
    out = csv_lines([text_source("o.jsonl", jsonl(*rows))], fmt="langfuse", success_field="correct")
    assert [line.split(",")[2:5] for line in out[1:]] == [["trace-1", "1", "true"], ["trace-2", "1", "false"]]

    rows[1]["usageDetails"]["total"] = 9999
    assert error([text_source("o.jsonl", jsonl(*rows))], fmt="langfuse", success_field="correct") == (
        "o.jsonl, line 2, field 'usageDetails.total': usageDetails.total is not the sum of its buckets (2250) "
        "(found 9999); expected exclusive buckets summing to total"
    )
    assert "line 1, field 'usageDetails': not a Langfuse observation" in error(
        [source("litellm_spendlogs.jsonl")], fmt="langfuse", results={}
    )


# ---- LiteLLM ----------------------------------------------------------------------------------

LITELLM_ROWS = [
    "model,provider,dataset,task_id,attempt,success,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,"
    "reasoning_tokens,calls,cost_usd,latency_s,timestamp",
    "example-model-2026-01-01,anthropic,litellm_spendlogs,task-01,1,true,8400,7000,500,500,100,2,0.0168,8.0,"
    "2026-01-01T10:00:00Z",
    "example-model-2026-01-01,anthropic,litellm_spendlogs,task-02,1,false,600,,,100,,1,0.0009,2.0,2026-01-01T10:01:00Z",
]


@pytest.mark.parametrize("name", ["litellm_spendlogs.jsonl", "litellm_spendlogs.csv"])
def test_litellm_spend_logs_grouped_by_session(name: str) -> None:
    result = import_sources([source(name)], LogOptions("litellm", results={**RESULTS, "task-03": True}))
    assert result.text("csv").splitlines() == LITELLM_ROWS
    assert result.request_errors == 1  # the rate-limited call of task-03: no attempt


def test_litellm_cache_hits_and_bad_rows() -> None:
    rows = [json.loads(line) for line in (FIXTURES / "litellm_spendlogs.jsonl").read_text().splitlines()]
    hit = {**rows[2], "request_id": "chatcmpl-demo-0003_cache_hit1767261700", "spend": 0.0}
    result = import_sources(
        [text_source("s.jsonl", jsonl(rows[0], rows[1], rows[2], hit))], LogOptions("litellm", results=RESULTS)
    )
    assert [r["calls"] for r in result.records] == [2, 1]  # the cache hit is not a priced call
    assert any("1 LiteLLM cache hit(s)" in note for note in result.notes)
    rows[1]["prompt_tokens"] = "x"
    assert error([text_source("s.jsonl", jsonl(*rows))], fmt="litellm", results=RESULTS) == (
        "s.jsonl, line 2, field 'prompt_tokens': not a number (found 'x'); expected a whole number >= 0"
    )
    rows[1]["prompt_tokens"] = 10
    del rows[1]["metadata"]["spend_logs_metadata"]["attempt"]
    del rows[1]["session_id"]
    assert "line 2, field 'session_id': no attempt key" in error(
        [text_source("s.jsonl", jsonl(*rows))], fmt="litellm", results=RESULTS
    )


def test_litellm_caller_attempt_numbers_group_calls_across_sessions() -> None:
    rows = [json.loads(line) for line in (FIXTURES / "litellm_spendlogs.jsonl").read_text().splitlines()][:3]
    rows[1]["session_id"] = "a-session-litellm-made-up"
    rows[2]["metadata"]["spend_logs_metadata"] = {"task_id": "task-01", "attempt": 2}
    result = import_sources([text_source("s.jsonl", jsonl(*rows))], LogOptions("litellm", results=RESULTS))
    assert [(r["task_id"], r["attempt"], r["calls"]) for r in result.records] == [("task-01", 1, 2), ("task-01", 2, 1)]


# ---- OpenRouter -------------------------------------------------------------------------------


def test_openrouter_generations_grouped_by_session_cost_kept() -> None:
    results = {"task-01-attempt-1": True, "task-02-attempt-1": False}
    rows = csv_lines([source("openrouter_generations.jsonl")], fmt="openrouter", results=results)
    assert rows == [
        "model,provider,dataset,task_id,attempt,success,input_tokens,cache_read_tokens,output_tokens,reasoning_tokens,"
        "calls,cost_usd,latency_s,timestamp",
        # OpenRouter's own charge (0.0021 + 0.0011) is the observed cost, shown beside the repriced one
        "example-vendor/example-model,openrouter,openrouter_generations,task-01-attempt-1,1,true,4500,3500,400,120,2,"
        "0.0032,5.8,2026-01-01T10:00:00Z",
        "example-vendor/example-model,openrouter,openrouter_generations,task-02-attempt-1,1,false,820,0,64,0,1,0.0004,"
        "0.9,2026-01-01T10:05:00Z",
    ]


def test_openrouter_wrapped_records_task_field_and_bad_values() -> None:
    records = [json.loads(line) for line in (FIXTURES / "openrouter_generations.jsonl").read_text().splitlines()]
    for r, task in zip(records, ["t1", "t1", "t2"], strict=True):
        r["task"] = task
    wrapped = json.dumps({"data": records})
    results = {"t1": True, "t2": False}
    rows = csv_lines([text_source("g.json", wrapped)], fmt="openrouter", task_field="task", results=results)
    assert [line.split(",")[3:6] for line in rows[1:]] == [["t1", "1", "true"], ["t2", "1", "false"]]
    records[2]["native_tokens_prompt"] = -820
    one_per_line = jsonl(*({"data": r} for r in records))
    assert error([text_source("g.jsonl", one_per_line)], fmt="openrouter", results={}) == (
        "g.jsonl, line 3, field 'native_tokens_prompt': not a token count (found -820); expected a whole number >= 0"
    )


# ---- all formats ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("swe-bench-leaderboards.json", "swebench"),
        ("eee_samples.jsonl", "eee"),
        ("eee_aggregate.json", "eee"),
        ("harbor/jobs/2026-01-02__10-00-00/demo-task__Ab12Cd3/result.json", "harbor"),
        ("harbor/jobs/2026-01-02__10-00-00/result.json", "harbor"),
        ("otel_traces.jsonl", "otlp"),
        ("otel_traces_clickhouse.jsonl", "otlp"),
        ("langfuse_observations.jsonl", "langfuse"),
        ("langfuse_observations.csv", "langfuse"),
        ("litellm_spendlogs.jsonl", "litellm"),
        ("litellm_spendlogs.csv", "litellm"),
        ("openrouter_generations.jsonl", "openrouter"),
        ("openrouter_chat_completion.json", None),  # a chat completion: --format openai, never guessed
    ],
)
def test_detect(name: str, fmt: str | None) -> None:
    assert detect(source(name)) == fmt


def test_measurement_files_are_not_detected_as_a_format() -> None:
    csv = "model,task_id,success,input_tokens\nm,t1,true,10\n"
    assert detect(text_source("m.csv", csv)) is None
    assert detect(text_source("m.jsonl", jsonl({"model": "m", "task_id": "t", "success": True}))) is None
    assert detect(text_source("m.csv", "")) is None


def test_skip_bad_imports_the_rest_and_lists_them() -> None:
    lines = jsonl(eee_line("s1", True), "{oops", eee_line("s2", False, evaluation={"score": 0}))
    result = import_sources([text_source("x.jsonl", lines)], LogOptions("eee", skip_bad=True))
    assert [r["task_id"] for r in result.records] == ["s1"]
    assert [(line, why) for _, line, why in result.skipped] == [
        (2, "not valid JSON (Expecting property name enclosed in double quotes at column 2)"),
        (3, "not true/false"),
    ]
    assert "(2 bad records; --skip-bad imports the rest)" in error([text_source("x.jsonl", lines)], fmt="eee")


def test_strict_json_refuses_duplicate_keys_and_non_numbers() -> None:
    dup = '{"sample_id": "a", "sample_id": "b"}\n'
    assert "the key 'sample_id' twice in one object" in error([text_source("x.jsonl", dup)], fmt="eee")
    nan = '{"resourceSpans": [], "x": NaN}\n'
    assert "NaN, which is not a JSON number" in error([text_source("t.jsonl", nan)], fmt="otlp", results={})
