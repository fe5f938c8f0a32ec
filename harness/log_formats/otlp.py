"""OpenTelemetry GenAI spans: OTLP/JSON files, or a JSONEachRow dump of ClickHouse ``otel_traces``.

Schemas: OTLP/JSON encoding of ``opentelemetry-proto`` (v1.11.0; the file exporter writes one
``TracesData`` object per line, an OTLP/HTTP request body is the same object), GenAI semantic
conventions v1.41.0 (``gen_ai.*`` attributes; Development stability), and the collector's
ClickHouse exporter table ``otel_traces`` (``TraceId``, ``SpanAttributes``, ``Duration``...).

One inference span (``gen_ai.operation.name`` chat, generate_content or text_completion) is one
call. ``invoke_agent`` spans also carry usage, as totals of their calls, so they are used only
when a trace has no inference span (never both: that would count every token twice). Calls are
grouped into attempts by trace, or by the value of an attribute the user names (``--group-by``);
an attribute (task id, success, group) is looked up on any span of the trace, then on its
resource.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from harness.log_formats._calls import success as success_of
from harness.log_formats._read import Bad, Log, Source, arr, count, decode, dig, obj, records
from harness.log_formats.options import LogOptions
from tokenomics.errors import InputError

INFERENCE = {"chat", "generate_content", "text_completion"}
EVALUATION_EVENT = "gen_ai.evaluation.result"
PROVIDERS = {
    "gcp.gemini": "google",
    "gcp.vertex_ai": "google",
    "gcp.gen_ai": "google",
    "aws.bedrock": "aws",
    "azure.ai.openai": "azure",
    "azure.ai.inference": "azure",
    "x_ai": "x-ai",
    "mistral_ai": "mistral",
    "moonshot_ai": "moonshotai",
    "ibm.watsonx.ai": "",
}
TRACE = "traceId"
MAX_DURATION_NS = 1e18
"""About 30 years: past it a span's duration is garbage, not a time."""


def is_otlp(record: Any) -> bool:
    return isinstance(record, dict) and isinstance(record.get("resourceSpans"), list)


def is_clickhouse(record: Any) -> bool:
    return isinstance(record, dict) and {"TraceId", "SpanId", "SpanAttributes"} <= record.keys()


def _value(any_value: Any) -> Any:
    """An OTLP ``AnyValue`` as a Python value (64-bit integers come as decimal strings)."""
    if not isinstance(any_value, dict):
        return None
    for key in ("stringValue", "boolValue", "doubleValue", "bytesValue"):
        if key in any_value:
            return any_value[key]
    if "intValue" in any_value:
        try:
            return int(any_value["intValue"])
        except (TypeError, ValueError):
            return any_value["intValue"]
    if "arrayValue" in any_value:
        values = any_value["arrayValue"].get("values") if isinstance(any_value["arrayValue"], dict) else None
        return [_value(v) for v in values or []]
    if "kvlistValue" in any_value:
        values = any_value["kvlistValue"].get("values") if isinstance(any_value["kvlistValue"], dict) else None
        return _attributes(values)
    return None


def _attributes(items: Any) -> dict[str, Any]:
    if not isinstance(items, list):
        return {}
    return {str(i["key"]): _value(i.get("value")) for i in items if isinstance(i, dict) and "key" in i}


def _nanos(value: Any, field: str) -> float | None:
    if value is None or value == "" or value == 0 or value == "0":
        return None
    try:
        return int(value) / 1e9
    except (TypeError, ValueError):
        raise Bad("not a time in nanoseconds", field=field, found=value, expected="a decimal integer") from None


def _spans_otlp(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spans = []
    for resource_spans in doc["resourceSpans"]:
        if not isinstance(resource_spans, dict):
            raise Bad("not an object", field="resourceSpans[]", found=resource_spans)
        resource = resource_spans.get("resource")
        resource_attrs = _attributes(resource.get("attributes")) if isinstance(resource, dict) else {}
        scopes = resource_spans.get("scopeSpans", resource_spans.get("instrumentationLibrarySpans")) or []
        for scope in scopes if isinstance(scopes, list) else []:
            for span in scope.get("spans") or [] if isinstance(scope, dict) else []:
                if not isinstance(span, dict):
                    raise Bad("not an object", field="spans[]", found=span)
                trace = span.get("traceId")
                if not isinstance(trace, str) or not trace:
                    raise Bad("no trace id", field="traceId", found=trace, expected="32 hex characters")
                status = obj(span.get("status"))
                events = [
                    _attributes(e.get("attributes"))
                    for e in span.get("events") or []
                    if isinstance(e, dict) and e.get("name") == EVALUATION_EVENT
                ]
                spans.append(
                    {
                        TRACE: trace.lower(),
                        "spanId": str(span.get("spanId") or "").lower(),
                        "parentSpanId": str(span.get("parentSpanId") or "").lower(),
                        "name": span.get("name"),
                        "error": status.get("code") in (2, "STATUS_CODE_ERROR"),
                        "attrs": _attributes(span.get("attributes")),
                        "resource": resource_attrs,
                        "events": events,
                        "_start": _nanos(span.get("startTimeUnixNano"), "startTimeUnixNano"),
                        "_end": _nanos(span.get("endTimeUnixNano"), "endTimeUnixNano"),
                    }
                )
    return spans


def _clickhouse_time(value: Any) -> float | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()[:26]).replace(tzinfo=UTC).timestamp()
    except ValueError:
        raise Bad("not a time", field="Timestamp", found=value, expected="YYYY-MM-DD hh:mm:ss.fffffffff") from None


def _duration(value: Any) -> float | None:
    """``Duration`` in nanoseconds (a number, or text in some dumps); None when absent."""
    if value is None or value == "":
        return None
    try:
        nanos = float(value)
    except (TypeError, ValueError):
        nanos = math.nan
    if isinstance(value, bool) or not math.isfinite(nanos) or nanos < 0 or nanos > MAX_DURATION_NS:
        raise Bad("not a duration in nanoseconds", field="Duration", found=value, expected="a whole number >= 0")
    return nanos


def _span_clickhouse(row: dict[str, Any]) -> dict[str, Any]:
    attrs = row.get("SpanAttributes")
    if not isinstance(attrs, dict):
        raise Bad(
            "not a map", field="SpanAttributes", found=attrs, expected="an object (export with FORMAT JSONEachRow)"
        )
    start = _clickhouse_time(row.get("Timestamp"))
    duration = _duration(row.get("Duration"))
    names = arr(row.get("Events.Name"))
    event_attrs = arr(row.get("Events.Attributes"))
    return {
        TRACE: str(row["TraceId"]).lower(),
        "spanId": str(row.get("SpanId") or "").lower(),
        "parentSpanId": str(row.get("ParentSpanId") or "").lower(),
        "name": row.get("SpanName"),
        "error": str(row.get("StatusCode") or "").upper() in ("STATUS_CODE_ERROR", "ERROR"),
        "attrs": attrs,
        "resource": obj(row.get("ResourceAttributes")),
        "events": [
            a for n, a in zip(names, event_attrs, strict=False) if n == EVALUATION_EVENT and isinstance(a, dict)
        ],
        "_start": start,
        "_end": None if start is None or duration is None else start + duration / 1e9,
    }


def read(sources: list[Source], options: LogOptions, log: Log) -> list[dict[str, Any]]:
    spans: list[dict[str, Any]] = []
    for source in sources:
        for line, record in records(source, decode(source)):
            try:
                if isinstance(record, Bad):
                    raise record
                if is_otlp(record):
                    found = _spans_otlp(record)
                elif is_clickhouse(record):
                    found = [_span_clickhouse(record)]
                else:
                    raise Bad(
                        "not OTLP/JSON traces",
                        field="resourceSpans",
                        expected="a TracesData object per line (or a ClickHouse otel_traces row)",
                    )
            except Bad as exc:
                log.bad.append((source.name, line, exc))
                continue
            for span in found:
                span["_file"], span["_line"] = source.name, line
            spans.extend(found)
    by_trace: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for span in spans:
        by_trace[span[TRACE]].append(span)
    # Attempts: one per trace, or per value of --group-by (found on any span of each trace).
    by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for trace, trace_spans in by_trace.items():
        try:
            group = trace if options.group_by is None else _one(trace_spans, options.group_by, "attempt key")
            if group is None:
                raise Bad(
                    "no attempt key on the trace", field=options.group_by, expected="the attribute on one of its spans"
                )
        except Bad as exc:
            log.bad.append((trace_spans[0]["_file"], trace_spans[0]["_line"], exc))
            continue
        by_group[group].extend(trace_spans)
    calls: list[dict[str, Any]] = []
    silent = 0
    tally = {"exclusive": 0}
    for group, group_spans in by_group.items():
        try:
            made = _attempt_calls(group, group_spans, options, log, tally)
        except Bad as exc:
            log.bad.append((group_spans[0]["_file"], group_spans[0]["_line"], exc))
            continue
        silent += made is None
        calls.extend(made or [])
    if silent:
        log.note(f"{silent} trace(s) without GenAI usage were left out")
    if tally["exclusive"]:
        log.note(
            f"{tally['exclusive']} span(s) reported fewer input tokens than cache reads and writes "
            "(an instrumentation older than semconv 1.40): the cache was added back to input_tokens"
        )
    return calls


def _lookup(spans: list[dict[str, Any]], path: str) -> list[Any]:
    """Values of an attribute on the trace's spans (and their evaluation events), then its resources."""
    found = [v for s in spans for v in [dig(s["attrs"], path), *(dig(e, path) for e in s["events"])] if v is not None]
    if not found:
        found = [v for s in spans if (v := dig(s["resource"], path)) is not None]
    if not found and path in (TRACE, "spanId", "name"):
        found = [s[path] for s in spans]
    return found


def _one(spans: list[dict[str, Any]], path: str, what: str) -> Any:
    values = {str(v) for v in _lookup(spans, path) if v != ""}
    if len(values) > 1:
        shown = ", ".join(sorted(values)[:4])
        raise Bad(f"the trace's spans disagree on the {what} ({shown})", field=path, expected=f"one {what} per trace")
    return values.pop() if values else None


def _attempt_calls(
    group: str, spans: list[dict[str, Any]], options: LogOptions, log: Log, tally: dict[str, int]
) -> list[dict[str, Any]] | None:
    """The calls of one attempt (the spans of its trace or traces); None when it has no GenAI usage."""
    usage = [s for s in spans if _has_usage(s)]
    inference = [s for s in usage if _op(s) in INFERENCE]
    failed = [s for s in spans if s["error"] or "error.type" in s["attrs"]]
    errors = [s for s in failed if not _has_usage(s) and _op(s) in INFERENCE]
    log.request_errors += len(errors)
    chosen = inference
    if not chosen:  # an agent's totals only: the top agent spans, never one inside another
        agents = {s["spanId"] for s in usage if _op(s) == "invoke_agent"}
        chosen = [s for s in usage if s["spanId"] in agents and s["parentSpanId"] not in agents]
    if not chosen:
        return [] if errors else None
    if options.task_field:
        task = _one(spans, options.task_field, "task id")
        if task is None:
            raise Bad("no task id on the trace", field=options.task_field, expected="the attribute on one of its spans")
    else:
        task = group
    verdict = None
    if options.success_field:
        flags = {success_of({options.success_field: v}, options) for v in _lookup(spans, options.success_field)}
        flags.discard(None)
        if len(flags) > 1:
            raise Bad("the trace's spans disagree on success", field=options.success_field)
        verdict = flags.pop() if flags else None
    agent_totals = chosen is not inference
    # The attempt's wall time is the whole trace's, agent and tool time included.
    starts = [s["_start"] for s in spans if s["_start"] is not None]
    ends = [s["_end"] for s in spans if s["_end"] is not None]
    return [
        {
            **_tokens(s, tally),
            "model": _model(s),
            "provider": _provider(s),
            "task_id": task,
            "_group": group,
            "success": verdict,
            "calls": None if agent_totals else 1,
            "_start": min(starts, default=None),
            "_end": max(ends, default=None),
            "_file": s["_file"],
            "_line": s["_line"],
        }
        for s in chosen
    ]


def _op(span: dict[str, Any]) -> str | None:
    name = span["attrs"].get("gen_ai.operation.name")
    return name if isinstance(name, str) else None


USAGE_KEYS = ("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "gen_ai.usage.output_tokens")


def _has_usage(span: dict[str, Any]) -> bool:
    return any(k in span["attrs"] for k in USAGE_KEYS)


def _first(attrs: dict[str, Any], *keys: str) -> Any:
    return next((attrs[k] for k in keys if attrs.get(k) is not None), None)


def _tokens(span: dict[str, Any], tally: dict[str, int]) -> dict[str, Any]:
    a = span["attrs"]
    inp = count(_first(a, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"), "gen_ai.usage.input_tokens")
    out = count(_first(a, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"), "gen_ai.usage.output_tokens")
    read_ = count(a.get("gen_ai.usage.cache_read.input_tokens"), "gen_ai.usage.cache_read.input_tokens")
    write = count(a.get("gen_ai.usage.cache_creation.input_tokens"), "gen_ai.usage.cache_creation.input_tokens")
    reasoning = count(a.get("gen_ai.usage.reasoning.output_tokens"), "gen_ai.usage.reasoning.output_tokens")
    cache = (read_ or 0) + (write or 0)
    if inp is not None and cache > inp:
        inp += cache
        tally["exclusive"] += 1
    if reasoning is not None and out is not None and reasoning > out:
        raise Bad(
            "reasoning tokens exceed output tokens", field="gen_ai.usage.reasoning.output_tokens", found=reasoning
        )
    return {
        "input_tokens": inp,
        "cache_read_tokens": read_,
        "cache_write_tokens": write,
        "output_tokens": out,
        "reasoning_tokens": reasoning,
    }


def _model(span: dict[str, Any]) -> str:
    model = _first(span["attrs"], "gen_ai.response.model", "gen_ai.request.model")
    if not model or not isinstance(model, str | int | float):
        raise Bad(
            "no model name",
            field="gen_ai.request.model",
            found=model,
            expected="gen_ai.response.model or gen_ai.request.model",
        )
    return str(model)


def _provider(span: dict[str, Any]) -> str | None:
    name = _first(span["attrs"], "gen_ai.provider.name", "gen_ai.system")
    if not name or not isinstance(name, str):
        return None
    name = str(name)
    return PROVIDERS.get(name, name) or None


def check_source(sources: list[Source]) -> None:
    for s in sources:
        if s.name.lower().endswith(".csv"):
            raise InputError(
                "OTLP import reads JSON, not CSV",
                file=s.name,
                expected="OTLP/JSON lines, or otel_traces exported with FORMAT JSONEachRow",
            )
