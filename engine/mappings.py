"""From tables teams already keep in ClickHouse to per-attempt measurement rows, as Ibis expressions.

Gateway and observability tables hold one row per API *call*; a comparison needs one row per
*attempt* of a task, with its success. Each mapping filters the calls that are model calls,
groups them into attempts, sums their tokens and cost, and names the task and the success:

- ``tokenomics``: a table already in the per-attempt shape (the columns of the README).
- ``langfuse``: Langfuse's ``observations`` table. Calls: ``type = 'GENERATION'`` rows with a
  model, not deleted. Attempt: ``trace_id``. Tokens from ``usage_details``, whose keys are
  exclusive buckets: input = the sum of every key containing ``input`` (Langfuse's own rule),
  cache read = ``input_cached_tokens`` + ``input_cache_read`` + ``cache_read_input_tokens``,
  cache write = ``input_cache_creation`` (+ ``_5m``, ``_1h``) + ``input_cache_write`` +
  ``cache_creation_input_tokens``, output = the sum of keys containing ``output``, reasoning =
  ``output_reasoning_tokens``. Cost: ``total_cost``. Task and success: ``metadata`` keys.
- ``litellm``: LiteLLM's ClickHouse ``spend_logs``. Calls: ``status <> 'failure'``. Attempt:
  ``session_id``. Tokens: ``prompt_tokens`` (cached included), ``cache_read_tokens``,
  ``cache_write_tokens``, ``completion_tokens`` (reasoning included), reasoning from
  ``metadata`` (JSON text) ``additional_usage_values.completion_tokens_details.reasoning_tokens``.
  Cost: ``spend``. Provider: ``custom_llm_provider``. Task and success: keys of
  ``metadata.spend_logs_metadata``.
- ``otel``: the OpenTelemetry collector's ClickHouse exporter table (``otel_traces``). Calls:
  spans whose ``gen_ai.operation.name`` is ``chat``, ``generate_content`` or ``text_completion``
  (agent spans carry totals and would count twice), failed spans without usage left out.
  Attempt: ``TraceId``. Tokens: ``gen_ai.usage.input_tokens`` (or the older
  ``gen_ai.usage.prompt_tokens``), ``gen_ai.usage.cache_read.input_tokens``,
  ``gen_ai.usage.cache_creation.input_tokens``, ``gen_ai.usage.output_tokens`` (or
  ``completion_tokens``), ``gen_ai.usage.reasoning.output_tokens``. Model:
  ``gen_ai.response.model``, else ``gen_ai.request.model``; provider: ``gen_ai.provider.name``,
  else ``gen_ai.system``. No cost. Task and success: span attributes, else resource attributes.

In every mapping the task defaults to the attempt's own id (each attempt its own task) and
success comes from ``success_field`` or a results file (task id -> success). Calls, latency
(first start to last end) and the timestamp (first start) are per attempt. Rows keep no file
order; ``_row`` is the attempt's first start in microseconds, so models and tasks come in the
order they first appear in time (ties by name).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from engine import MAPPINGS
from engine.backends import clickhouse_epoch_us
from engine.parse import Layout
from measurements.load import PER_ATTEMPT_SHAPE
from measurements.schema import PER_ATTEMPT
from tokenomics.errors import InputError
from tokenomics.units import TOKEN_COLUMNS

MODEL_CALLS = ("chat", "generate_content", "text_completion")
# OpenTelemetry provider names -> genai-prices provider ids, where they differ.
OTEL_PROVIDERS = {
    "gcp.gemini": "google",
    "gcp.vertex_ai": "google",
    "gcp.gen_ai": "google",
    "x_ai": "x-ai",
    "mistral_ai": "mistral",
    "moonshot_ai": "moonshotai",
    "azure.ai.openai": "azure",
    "aws.bedrock": "aws",
}


@dataclass(frozen=True)
class MappingOptions:
    task_field: str | None = None
    """Where the task id is (a metadata key or attribute name); default: the attempt's own id."""
    success_field: str | None = None
    """Where success is (a metadata key or attribute name), as a yes/no word."""
    order_by: str | None = None
    """``tokenomics`` mapping: a column giving the rows' order (default: the timestamp)."""


@ibis.udf.scalar.builtin(name="JSONExtractString")
def _json_string(json: str, a: str, b: str) -> str:  # type: ignore[empty-body]
    """ClickHouse: a string two levels down a JSON text ('' when absent)."""


@ibis.udf.scalar.builtin(name="JSONExtractRaw")
def _json_raw(json: str, a: str, b: str, c: str) -> str:  # type: ignore[empty-body]
    """ClickHouse: the raw JSON three levels down ('' when absent)."""


def _kind(dtype: dt.DataType) -> str:
    if dtype.is_boolean():
        return "bool"
    if dtype.is_integer():
        return "integer"
    if dtype.is_numeric():
        return "number"
    if dtype.is_string():
        return "string"
    if dtype.is_timestamp():
        return "timestamp"
    if dtype.is_date():
        return "date"
    return "other"


def _micros(ts: ir.TimestampValue) -> ir.IntegerValue:
    return (ts.epoch_seconds() * 1_000_000).cast("int64")


def tokenomics_table(t: ir.Table, options: MappingOptions, results: ir.Table | None = None) -> tuple[ir.Table, Layout]:
    """A table whose columns are already the per-attempt measurement columns."""
    known = {c.name for c in PER_ATTEMPT}
    columns = [c for c in t.columns if c in known]
    kinds = {c: _kind(t.schema()[c]) for c in columns}
    if "timestamp" in kinds and kinds["timestamp"] == "timestamp":
        order: ir.Value = _micros(t.timestamp.cast(dt.Timestamp(timezone="UTC")))
    else:
        order = ibis.literal(0, "int64")
    if options.order_by:
        if options.order_by not in t.columns:
            raise InputError("no such column to order by", column=options.order_by, expected="a column of the table")
        order = t[options.order_by].cast("int64")
    raw = t.select(*columns, _row=order.fill_null(0))
    if results is not None:
        raw, kinds = _with_results(raw.drop(*[c for c in ("success",) if c in raw.columns]), kinds, results)
    return raw, Layout(kinds, _shape(kinds))


def _shape(kinds: Mapping[str, str]) -> str:
    return "aggregated" if {"attempts", "successes"} & set(kinds) else PER_ATTEMPT_SHAPE


def _with_results(raw: ir.Table, kinds: dict[str, str], results: ir.Table) -> tuple[ir.Table, dict[str, str]]:
    joined = raw.left_join(results, raw.task_id == results.result_task_id).drop("result_task_id")
    return joined.rename(success="result_success"), {**kinds, "success": "bool"}


def _attempts(
    calls: ir.Table, options: MappingOptions, results: ir.Table | None, with_cost: bool
) -> tuple[ir.Table, Layout]:
    """Sum calls (columns ``attempt_key``, ``task``, ``success_text``, the token columns, ``cost``,
    ``start``, ``start_us`` and ``end_us`` (microseconds since 1970), and ``has_<kind>`` flags for
    optional kinds) into one row per attempt."""
    optional = ("cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens", "reasoning_tokens")
    sums: dict[str, ir.Value] = {}
    for column in TOKEN_COLUMNS:
        total = calls[column].cast("float64").sum()
        # A kind no call of the attempt reports is unknown, not 0.
        sums[column] = (
            ibis.ifelse(calls[f"has_{column}"].any(), total, ibis.null("float64")) if column in optional else total
        )
    sums["calls"] = calls.count().cast("float64")
    if with_cost:
        sums["cost_usd"] = calls.cost.cast("float64").sum()
    sums["first"] = calls.start.min()
    sums["first_us"] = calls.start_us.cast("int64").min()
    sums["last_us"] = calls.end_us.cast("int64").max()
    sums["success_text"] = calls.success_text.max()
    grouped = calls.group_by(["attempt_key", "task", "model", "provider"]).aggregate(**sums)
    raw = grouped.select(
        model=grouped.model,
        provider=grouped.provider,
        task_id=grouped.task,
        success=grouped.success_text,
        **{c: grouped[c] for c in TOKEN_COLUMNS},
        calls=grouped.calls,
        **({"cost_usd": grouped.cost_usd} if with_cost else {}),
        latency_s=(grouped.last_us - grouped.first_us) / 1e6,
        timestamp=grouped["first"],
        _row=grouped.first_us,
    )
    kinds = dict.fromkeys([*TOKEN_COLUMNS, "calls", "latency_s", *(["cost_usd"] if with_cost else [])], "number")
    kinds.update(model="string", provider="string", task_id="string", success="string", timestamp="timestamp")
    if results is not None:
        raw, kinds = _with_results(raw.drop("success"), kinds, results)
    elif options.success_field is None:
        raise InputError(
            "gateway logs carry no success",
            expected="--success-field NAME (a metadata key or attribute holding yes/no) or --results FILE",
        )
    return raw, Layout(kinds, PER_ATTEMPT_SHAPE)


def _present(value: ir.StringValue) -> ir.StringValue:
    return value.nullif("")


def langfuse(t: ir.Table, options: MappingOptions, results: ir.Table | None = None) -> tuple[ir.Table, Layout]:
    """Langfuse's ``observations`` table (ClickHouse)."""
    calls = t.filter((t.type == "GENERATION") & (t.is_deleted == 0) & t.provided_model_name.notnull())
    usage = calls.usage_details

    def matching(word: str) -> ir.Value:
        pairs = usage.keys().zip(usage.values())
        return pairs.filter(lambda p: p.f1.lower().contains(word)).map(lambda p: p.f2).sums().fill_null(0)

    def keys(*names: str) -> tuple[ir.Value, ir.BooleanValue]:
        total = ibis.literal(0, "int64")
        present = ibis.literal(False)
        for name in names:
            total = total + usage.get(name, 0).cast("int64")
            present = present | usage.contains(name)
        return total, present

    cache_read, has_read = keys("input_cached_tokens", "input_cache_read", "cache_read_input_tokens")
    cache_write, has_write = keys(
        "input_cache_creation",
        "input_cache_creation_5m",
        "input_cache_creation_1h",
        "input_cache_write",
        "cache_creation_input_tokens",
    )
    write_1h, has_1h = keys("input_cache_creation_1h")
    reasoning, has_reasoning = keys("output_reasoning_tokens")
    metadata = calls.metadata
    attempt = calls.trace_id
    prepared = calls.select(
        attempt_key=attempt,
        task=_present(metadata.get(options.task_field)) if options.task_field else attempt,
        success_text=_present(metadata.get(options.success_field)) if options.success_field else ibis.null("string"),
        model=calls.provided_model_name,
        provider=ibis.literal(""),
        input_tokens=matching("input"),
        cache_read_tokens=cache_read,
        has_cache_read_tokens=has_read,
        cache_write_tokens=cache_write,
        has_cache_write_tokens=has_write,
        cache_write_1h_tokens=write_1h,
        has_cache_write_1h_tokens=has_1h,
        output_tokens=matching("output"),
        reasoning_tokens=reasoning,
        has_reasoning_tokens=has_reasoning,
        cost=calls.total_cost,
        start=calls.start_time,
        start_us=clickhouse_epoch_us(calls.start_time),
        end_us=clickhouse_epoch_us(calls.end_time.fill_null(calls.start_time)),
    )
    return _attempts(prepared, options, results, with_cost=True)


def litellm(t: ir.Table, options: MappingOptions, results: ir.Table | None = None) -> tuple[ir.Table, Layout]:
    """LiteLLM's ClickHouse ``spend_logs`` table."""
    calls = t.filter(t.status != "failure")
    attempt = calls.session_id

    def spend_metadata(key: str) -> ir.StringValue:
        return _present(_json_string(calls.metadata, "spend_logs_metadata", key))

    reasoning_raw = _json_raw(
        calls.metadata, "additional_usage_values", "completion_tokens_details", "reasoning_tokens"
    )
    prepared = calls.select(
        attempt_key=attempt,
        task=spend_metadata(options.task_field) if options.task_field else attempt,
        success_text=spend_metadata(options.success_field) if options.success_field else ibis.null("string"),
        model=calls.model,
        provider=calls.custom_llm_provider,
        input_tokens=calls.prompt_tokens,
        cache_read_tokens=calls.cache_read_tokens,
        has_cache_read_tokens=ibis.literal(True),
        cache_write_tokens=calls.cache_write_tokens,
        has_cache_write_tokens=ibis.literal(True),
        cache_write_1h_tokens=ibis.literal(0, "int64"),
        has_cache_write_1h_tokens=ibis.literal(False),
        output_tokens=calls.completion_tokens,
        reasoning_tokens=_present(reasoning_raw).try_cast("float64").fill_null(0.0),
        has_reasoning_tokens=_present(reasoning_raw).notnull(),
        cost=calls.spend,
        start=calls.start_time,
        start_us=clickhouse_epoch_us(calls.start_time),
        end_us=clickhouse_epoch_us(calls.end_time),
    )
    return _attempts(prepared, options, results, with_cost=True)


def otel(t: ir.Table, options: MappingOptions, results: ir.Table | None = None) -> tuple[ir.Table, Layout]:
    """The OpenTelemetry collector's ClickHouse ``otel_traces`` table (GenAI semantic conventions)."""
    spans = t.SpanAttributes
    resources = t.ResourceAttributes

    def attribute(key: str) -> ir.StringValue:
        return _present(spans.get(key, ""))

    def number(*keys: str) -> ir.FloatingValue:
        value: ir.Value = ibis.null("float64")
        for key in reversed(keys):
            value = attribute(key).try_cast("float64").fill_null(value)
        return value

    def lookup(key: str) -> ir.StringValue:
        return attribute(key).fill_null(_present(resources.get(key, "")))

    input_tokens = number("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens")
    output_tokens = number("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens")
    # A failed call without usage is a request error, not an attempt's call.
    failed = (t.StatusCode.isin(["STATUS_CODE_ERROR", "Error"]) | attribute("error.type").notnull()) & (
        input_tokens.isnull() & output_tokens.isnull()
    )
    provider_name = attribute("gen_ai.provider.name").fill_null(attribute("gen_ai.system"))
    provider = provider_name.substitute(OTEL_PROVIDERS)
    prepared = t.select(
        attempt_key=t.TraceId,
        task=lookup(options.task_field) if options.task_field else t.TraceId,
        success_text=lookup(options.success_field) if options.success_field else ibis.null("string"),
        model=attribute("gen_ai.response.model").fill_null(attribute("gen_ai.request.model")),
        provider=provider.fill_null(""),
        input_tokens=input_tokens,
        cache_read_tokens=number("gen_ai.usage.cache_read.input_tokens"),
        has_cache_read_tokens=attribute("gen_ai.usage.cache_read.input_tokens").notnull(),
        cache_write_tokens=number("gen_ai.usage.cache_creation.input_tokens"),
        has_cache_write_tokens=attribute("gen_ai.usage.cache_creation.input_tokens").notnull(),
        cache_write_1h_tokens=ibis.null("float64"),
        has_cache_write_1h_tokens=ibis.literal(False),
        output_tokens=output_tokens,
        reasoning_tokens=number("gen_ai.usage.reasoning.output_tokens"),
        has_reasoning_tokens=attribute("gen_ai.usage.reasoning.output_tokens").notnull(),
        start=t.Timestamp,
        start_us=clickhouse_epoch_us(t.Timestamp),
        end_us=clickhouse_epoch_us(t.Timestamp) + t.Duration.cast("int64") // 1000,
        _keep=attribute("gen_ai.operation.name").isin(MODEL_CALLS) & ~failed,
    )
    prepared = prepared.filter(prepared._keep).drop("_keep")
    return _attempts(prepared, options, results, with_cost=False)


__all__ = ["MAPPERS", "MAPPINGS", "MappingOptions", "results_frame"]

MAPPERS: dict[str, Callable[[ir.Table, MappingOptions, ir.Table | None], tuple[ir.Table, Layout]]] = {
    "tokenomics": tokenomics_table,
    "langfuse": langfuse,
    "litellm": litellm,
    "otel": otel,
}


def results_frame(results: Mapping[str, bool]) -> dict[str, list[object]]:
    """A results file (task id -> success) as the columns of the relation the mappings join."""
    return {"result_task_id": list(results), "result_success": list(results.values())}
