"""The ClickHouse mappings on tables made from each tool's published DDL, in chDB.

Each table below has the columns and types of the published schema (codecs, indexes and
templating left out): Langfuse's ``observations`` (``packages/shared/clickhouse/migrations/
unclustered/0002_observations.up.sql``), LiteLLM's ``spend_logs`` (the DDL inside the
litellm 1.110.2 wheel's ClickHouse logger) and the OpenTelemetry collector exporter's
``otel_traces`` (``exporter/clickhouseexporter/internal/sqltemplates/traces_table.sql``). Rows
are invented: two LLM calls of one task attempt, one call of another, and calls that are not
attempts (an agent span's totals, a failed request).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from engine.backends import ChdbBackend
from engine.mappings import MappingOptions
from engine.parse import canonical, parsed
from engine.run import price_parts, summarised, table_part
from pricing.book import default_sources
from tokenomics.compare import CompareOptions
from tokenomics.errors import InputError

SOURCES = default_sources()
TODAY = date(2026, 11, 1)

LANGFUSE_DDL = """CREATE TABLE observations (
    id String, trace_id String, project_id String, type LowCardinality(String),
    parent_observation_id Nullable(String), start_time DateTime64(3), end_time Nullable(DateTime64(3)),
    name String, metadata Map(LowCardinality(String), String), level LowCardinality(String),
    status_message Nullable(String), version Nullable(String), input Nullable(String), output Nullable(String),
    provided_model_name Nullable(String), internal_model_id Nullable(String), model_parameters Nullable(String),
    provided_usage_details Map(LowCardinality(String), UInt64), usage_details Map(LowCardinality(String), UInt64),
    provided_cost_details Map(LowCardinality(String), Decimal64(12)),
    cost_details Map(LowCardinality(String), Decimal64(12)), total_cost Nullable(Decimal64(12)),
    completion_start_time Nullable(DateTime64(3)), prompt_id Nullable(String), prompt_name Nullable(String),
    prompt_version Nullable(UInt16), created_at DateTime64(3) DEFAULT now(), updated_at DateTime64(3) DEFAULT now(),
    event_ts DateTime64(3), is_deleted UInt8
) ENGINE = ReplacingMergeTree(event_ts, is_deleted) PARTITION BY toYYYYMM(start_time)
PRIMARY KEY (project_id, type, toDate(start_time)) ORDER BY (project_id, type, toDate(start_time), id)"""

LITELLM_DDL = """CREATE TABLE spend_logs (
    request_id String, response_id String, call_type LowCardinality(String), api_key String, key_alias String,
    team_id LowCardinality(String), team_alias String, organization_id String, user String, end_user String,
    model LowCardinality(String), model_group LowCardinality(String), model_id String,
    custom_llm_provider LowCardinality(String), api_base String, spend Float64, prompt_tokens UInt32,
    completion_tokens UInt32, total_tokens UInt32, cache_read_tokens UInt32, cache_write_tokens UInt32,
    start_time DateTime64(3), end_time DateTime64(3), completion_start_time Nullable(DateTime64(3)),
    status LowCardinality(String), error_str String, cache_hit Bool, session_id String, trace_id String,
    span_id String, request_tags Array(String), metadata String, messages String, response String,
    EngineReceivedMs UInt64
) ENGINE = ReplacingMergeTree(end_time) PARTITION BY toYYYYMM(start_time) ORDER BY (team_id, start_time, request_id)"""

OTEL_DDL = """CREATE TABLE otel_traces (
    Timestamp DateTime64(9), TraceId String, SpanId String, ParentSpanId String, TraceState String,
    SpanName LowCardinality(String), SpanKind LowCardinality(String), ServiceName LowCardinality(String),
    ResourceAttributes Map(LowCardinality(String), String), ScopeName String, ScopeVersion String,
    SpanAttributes Map(LowCardinality(String), String), Duration UInt64, StatusCode LowCardinality(String),
    StatusMessage String,
    Events Nested (Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)),
    Links Nested (TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String))
) ENGINE = MergeTree PARTITION BY toDate(Timestamp) PRIMARY KEY (ServiceName, SpanName, toDateTime(Timestamp))
ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp)"""


def _insert(backend: ChdbBackend, table: str, rows: list[dict[str, object]]) -> None:
    backend.sql(f"INSERT INTO {table} FORMAT JSONEachRow " + "\n".join(json.dumps(r) for r in rows))


def _observation(**fields: object) -> dict[str, object]:
    return {
        "project_id": "demo",
        "type": "GENERATION",
        "level": "DEFAULT",
        "is_deleted": 0,
        "event_ts": "2026-01-01 12:00:00",
        **fields,
    }


LANGFUSE_ROWS = [
    _observation(
        id="obs-1",
        trace_id="trace-1",
        name="plan",
        provided_model_name="gpt-4o-mini",
        start_time="2026-01-01 10:00:00.000",
        end_time="2026-01-01 10:00:03.000",
        metadata={"task": "task-01", "passed": "true"},
        usage_details={
            "input": 400,
            "input_cached_tokens": 600,
            "output": 150,
            "output_reasoning_tokens": 50,
            "total": 1200,
        },
        total_cost=0.00135,
    ),
    _observation(
        id="obs-2",
        trace_id="trace-1",
        name="act",
        provided_model_name="gpt-4o-mini",
        start_time="2026-01-01 10:00:04.000",
        end_time="2026-01-01 10:00:09.000",
        metadata={"task": "task-01", "passed": "true"},
        usage_details={
            "input": 300,
            "cache_read_input_tokens": 1500,
            "cache_creation_input_tokens": 200,
            "output": 250,
        },
        total_cost=0.0021,
    ),
    # The agent's span: no model, not a call.
    _observation(
        id="obs-0",
        trace_id="trace-1",
        type="SPAN",
        name="agent-run",
        start_time="2026-01-01 09:59:59.500",
        end_time="2026-01-01 10:00:10.000",
        metadata={"task": "task-01"},
    ),
    _observation(
        id="obs-3",
        trace_id="trace-2",
        name="answer",
        provided_model_name="gpt-4o-mini",
        start_time="2026-01-01 11:00:00.000",
        end_time="2026-01-01 11:00:02.000",
        metadata={"task": "task-02", "passed": "false"},
        usage_details={"input": 500, "output": 80, "total": 580},
        total_cost=0.00082,
    ),
    # Deleted: left out.
    _observation(
        id="obs-4",
        trace_id="trace-3",
        name="answer",
        provided_model_name="gpt-4o-mini",
        is_deleted=1,
        start_time="2026-01-01 12:00:00.000",
        metadata={"task": "task-03", "passed": "true"},
        usage_details={"input": 999},
        total_cost=1.0,
    ),
]


def _spend(**fields: object) -> dict[str, object]:
    return {
        "call_type": "acompletion",
        "api_key": "hashed-demo-key",
        "model": "claude-sonnet-4-5",
        "model_group": "claude-sonnet-4-5",
        "custom_llm_provider": "anthropic",
        "status": "success",
        **fields,
    }


def _metadata(task: str, reasoning: int | None = None) -> str:
    usage = {"completion_tokens_details": {"reasoning_tokens": reasoning}} if reasoning is not None else {}
    return json.dumps({"additional_usage_values": usage, "spend_logs_metadata": {"task_id": task, "attempt": 1}})


LITELLM_ROWS = [
    _spend(
        request_id="r1",
        session_id="s1",
        spend=0.0123,
        prompt_tokens=4000,
        completion_tokens=300,
        total_tokens=4300,
        cache_read_tokens=3000,
        cache_write_tokens=500,
        start_time="2026-01-01 10:00:00.000",
        end_time="2026-01-01 10:00:04.000",
        metadata=_metadata("task-01", 100),
    ),
    _spend(
        request_id="r2",
        session_id="s1",
        spend=0.0045,
        prompt_tokens=4400,
        completion_tokens=200,
        total_tokens=4600,
        cache_read_tokens=4000,
        cache_write_tokens=0,
        start_time="2026-01-01 10:00:05.000",
        end_time="2026-01-01 10:00:08.000",
        metadata=_metadata("task-01", 0),
    ),
    _spend(
        request_id="r3",
        session_id="s2",
        spend=0.0009,
        prompt_tokens=600,
        completion_tokens=100,
        total_tokens=700,
        start_time="2026-01-01 10:01:00.000",
        end_time="2026-01-01 10:01:02.000",
        metadata=_metadata("task-02"),
    ),
    # A failed request: not an attempt.
    _spend(
        request_id="r4",
        session_id="s3",
        status="failure",
        start_time="2026-01-01 10:02:00.000",
        end_time="2026-01-01 10:02:00.300",
        metadata=_metadata("task-03"),
    ),
]


def _span(
    trace: str, span: str, start: str, seconds: float, attributes: dict[str, str], **fields: object
) -> dict[str, object]:
    return {
        "Timestamp": start,
        "TraceId": trace,
        "SpanId": span,
        "SpanName": f"{attributes.get('gen_ai.operation.name')}",
        "SpanKind": "SPAN_KIND_CLIENT",
        "ServiceName": "demo-agent",
        "StatusCode": "STATUS_CODE_UNSET",
        "ResourceAttributes": {"service.name": "demo-agent", "task.id": fields.pop("task", "task-01")},
        "SpanAttributes": attributes,
        "Duration": int(seconds * 1e9),
        **fields,
    }


CHAT = {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini"}
OTEL_ROWS = [
    # The agent's totals: left out (counting them would count the calls twice).
    _span(
        "A",
        "s0",
        "2026-01-01 10:00:00.000000000",
        12,
        {
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.usage.input_tokens": "3000",
            "gen_ai.usage.output_tokens": "700",
        },
    ),
    _span(
        "A",
        "s1",
        "2026-01-01 10:00:00.100000000",
        4,
        {
            **CHAT,
            "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
            "gen_ai.usage.input_tokens": "1000",
            "gen_ai.usage.output_tokens": "200",
        },
    ),
    _span(
        "A",
        "s2",
        "2026-01-01 10:00:05.000000000",
        6,
        {
            **CHAT,
            "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
            "gen_ai.usage.input_tokens": "2000",
            "gen_ai.usage.cache_read.input_tokens": "1024",
            "gen_ai.usage.output_tokens": "500",
            "gen_ai.usage.reasoning.output_tokens": "300",
        },
    ),
    # A failed request without usage: not an attempt.
    _span(
        "B",
        "s3",
        "2026-01-01 10:01:40.000000000",
        0.5,
        {**CHAT, "error.type": "429"},
        StatusCode="STATUS_CODE_ERROR",
        task="task-02",
    ),
]


@pytest.fixture(scope="module")
def chdb() -> Iterator[ChdbBackend]:
    backend = ChdbBackend()
    for ddl, table, rows in (
        (LANGFUSE_DDL, "observations", LANGFUSE_ROWS),
        (LITELLM_DDL, "spend_logs", LITELLM_ROWS),
        (OTEL_DDL, "otel_traces", OTEL_ROWS),
    ):
        backend.sql(ddl)
        _insert(backend, table, rows)
    yield backend
    backend.close()


def attempts(backend: ChdbBackend, table: str, mapping: str, options: MappingOptions, results=None) -> list[dict]:
    part = table_part(backend, table, mapping, options, results=results)
    rows = backend.execute(canonical(parsed(part.raw, part.layout), part.layout).order_by("task_id"))
    keep = [
        "task_id",
        "model",
        "provider",
        "successes",
        "input_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "output_tokens",
        "reasoning_tokens",
        "calls",
        "cost_usd",
        "latency_s",
    ]
    return [{k: (None if v != v else v) for k, v in r.items()} for r in rows[keep].to_dict("records")]


def compare(backend: ChdbBackend, table: str, mapping: str, options: MappingOptions, results=None):
    part = table_part(backend, table, mapping, options, results=results)
    [(_, comparison)] = summarised(price_parts(backend, [part], SOURCES, today=TODAY), CompareOptions(resamples=100))
    return comparison.summary


def test_langfuse_observations(chdb: ChdbBackend) -> None:
    options = MappingOptions(task_field="task", success_field="passed")
    got = attempts(chdb, "observations", "langfuse", options)
    assert got == [
        # input = every key with "input": 400 + 600 + 300 + 1,500 + 200; output = 150 + 50 + 250
        {
            "task_id": "task-01",
            "model": "gpt-4o-mini",
            "provider": "",
            "successes": 1,
            "input_tokens": 3000.0,
            "cache_read_tokens": 2100.0,
            "cache_write_tokens": 200.0,
            "output_tokens": 450.0,
            "reasoning_tokens": 50.0,
            "calls": 2.0,
            "cost_usd": pytest.approx(0.00345),
            "latency_s": 9.0,
        },
        {
            "task_id": "task-02",
            "model": "gpt-4o-mini",
            "provider": "",
            "successes": 0,
            "input_tokens": 500.0,
            "cache_read_tokens": None,
            "cache_write_tokens": None,
            "output_tokens": 80.0,
            "reasoning_tokens": None,
            "calls": 1.0,
            "cost_usd": pytest.approx(0.00082),
            "latency_s": 2.0,
        },
    ]
    summary = compare(chdb, "observations", "langfuse", options).set_index("model")
    # gpt-4o-mini $0.15/$0.075/$0.60 (no cache-write price: those tokens bill as input):
    # 900 x 0.15 + 2,100 x 0.075 + 450 x 0.60 = $0.0005625; 500 x 0.15 + 80 x 0.60 = $0.000123
    assert summary.at["gpt-4o-mini", "total_cost"] == pytest.approx(0.0005625 + 0.000123, rel=1e-9)
    assert summary.at["gpt-4o-mini", "observed_cost"] == pytest.approx(0.00427, rel=1e-9)


def test_litellm_spend_logs(chdb: ChdbBackend) -> None:
    options = MappingOptions(task_field="task_id")
    results = {"task-01": True, "task-02": False}
    got = attempts(chdb, "spend_logs", "litellm", options, results)
    assert got == [
        {
            "task_id": "task-01",
            "model": "claude-sonnet-4-5",
            "provider": "anthropic",
            "successes": 1,
            "input_tokens": 8400.0,
            "cache_read_tokens": 7000.0,
            "cache_write_tokens": 500.0,
            "output_tokens": 500.0,
            "reasoning_tokens": 100.0,
            "calls": 2.0,
            "cost_usd": pytest.approx(0.0168),
            "latency_s": 8.0,
        },
        {
            "task_id": "task-02",
            "model": "claude-sonnet-4-5",
            "provider": "anthropic",
            "successes": 0,
            "input_tokens": 600.0,
            "cache_read_tokens": 0.0,
            "cache_write_tokens": 0.0,
            "output_tokens": 100.0,
            "reasoning_tokens": None,
            "calls": 1.0,
            "cost_usd": pytest.approx(0.0009),
            "latency_s": 2.0,
        },
    ]
    summary = compare(chdb, "spend_logs", "litellm", options, results).set_index("model")
    # Claude Sonnet 4.5 $3/$0.30/$3.75/$15: 900 x 3 + 7,000 x 0.30 + 500 x 3.75 + 500 x 15 = $0.014175;
    # 600 x 3 + 100 x 15 = $0.0033. LiteLLM logged $0.0177: within 10%, no repricing flag.
    assert summary.at["claude-sonnet-4-5", "total_cost"] == pytest.approx(0.014175 + 0.0033, rel=1e-9)
    assert summary.at["claude-sonnet-4-5", "repricing_flag"] == ""


def test_otel_traces(chdb: ChdbBackend) -> None:
    options = MappingOptions(task_field="task.id")
    got = attempts(chdb, "otel_traces", "otel", options, {"task-01": True})
    assert got == [
        # the two chat spans of trace A; first start 10:00:00.1, last end 10:00:11
        {
            "task_id": "task-01",
            "model": "gpt-4o-mini-2024-07-18",
            "provider": "openai",
            "successes": 1,
            "input_tokens": 3000.0,
            "cache_read_tokens": 1024.0,
            "cache_write_tokens": None,
            "output_tokens": 700.0,
            "reasoning_tokens": 300.0,
            "calls": 2.0,
            "cost_usd": None,
            "latency_s": pytest.approx(10.9),
        },
    ]
    summary = compare(chdb, "otel_traces", "otel", options, {"task-01": True}).set_index("model")
    # 1,976 x 0.15 + 1,024 x 0.075 + 700 x 0.60 = $0.0007932
    assert summary.at["gpt-4o-mini-2024-07-18", "total_cost"] == pytest.approx(0.0007932, rel=1e-9)


def test_gateway_logs_need_a_success(chdb: ChdbBackend) -> None:
    with pytest.raises(InputError, match="gateway logs carry no success"):
        table_part(chdb, "spend_logs", "litellm", MappingOptions())


def test_a_task_without_a_result_is_a_missing_success(chdb: ChdbBackend) -> None:
    with pytest.raises(InputError, match="column 'success': missing value"):
        compare(chdb, "spend_logs", "litellm", MappingOptions(task_field="task_id"), {"task-01": True})


def test_a_table_that_is_not_the_mapping_s(chdb: ChdbBackend) -> None:
    with pytest.raises(InputError, match="does not have the columns of the 'otel' mapping"):
        table_part(chdb, "spend_logs", "otel", MappingOptions(success_field="x"))
