"""Langfuse observations export (the UI's Export as CSV, JSON or JSONL; the public API's observations).

Schema: the export rows of ``langfuse/langfuse`` 4.16.0 (``observation-stream.ts``,
``observations_converters.ts``; the v4 events path keeps the same field names). No version
field. One ``GENERATION`` row (or any row with usage) is one call; calls are grouped into attempts
by ``traceId`` (or ``--group-by``, e.g. ``sessionId`` in API v2 rows).

``usageDetails`` holds **exclusive buckets**: ``input`` is the uncached rest, ``input_cached_tokens``
the cache reads, ``output`` the non-reasoning rest, ``output_reasoning_tokens`` the reasoning. As
Langfuse itself does, input is the sum of every key containing "input" and output the sum of
every key containing "output"; the cache and reasoning keys give the parts. ``costDetails.total``
is the cost Langfuse recorded (sent by the SDK, or estimated from Langfuse's own price table).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from harness.attempts import epoch
from harness.log_formats._calls import success as success_of
from harness.log_formats._read import Bad, Log, Source, amount, cell_json, count, dig, table
from harness.log_formats.options import LogOptions

CACHE_READ_KEYS = ("input_cached_tokens", "input_cache_read", "cache_read_input_tokens")
CACHE_WRITE_KEYS = (
    "input_cache_creation",
    "input_cache_creation_5m",
    "input_cache_creation_1h",
    "input_cache_write",
    "cache_creation_input_tokens",
)
CACHE_WRITE_1H_KEYS = ("input_cache_creation_1h",)
REASONING_KEYS = ("output_reasoning_tokens",)
TRACE = "traceId"


def is_observation(row: Any) -> bool:
    return isinstance(row, dict) and {"traceId", "type", "usageDetails"} <= row.keys()


def read(sources: list[Source], options: LogOptions, log: Log) -> list[dict[str, Any]]:
    by_trace: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for source in sources:
        for line, row in table(source):
            try:
                if isinstance(row, Bad):
                    raise row
                if not is_observation(row):
                    raise Bad(
                        "not a Langfuse observation",
                        field="usageDetails",
                        expected="an observations export row (traceId, type, usageDetails...)",
                    )
                trace = str(row.get(TRACE) or "")
                if not trace:
                    raise Bad("no trace id", field=TRACE, expected="the observation's trace")
            except Bad as exc:
                log.bad.append((source.name, line, exc))
                continue
            by_trace[trace].append({"row": row, "_file": source.name, "_line": line})
    calls = []
    for rows in by_trace.values():
        calls.extend(_trace(rows, options, log))
    return calls


def _one(rows: list[dict[str, Any]], path: str, what: str) -> str | None:
    values = {str(v).strip() for r in rows if (v := dig(r["row"], path)) is not None and str(v).strip()}
    if len(values) > 1:
        raise Bad(f"the trace's observations disagree on the {what}", field=path, found=", ".join(sorted(values)[:4]))
    return values.pop() if values else None


def _trace(rows: list[dict[str, Any]], options: LogOptions, log: Log) -> list[dict[str, Any]]:
    first = rows[0]
    try:
        calls = []
        for r in rows:
            try:
                call = _call(r["row"])
            except Bad as exc:
                log.bad.append((r["_file"], r["_line"], exc))
                continue
            if call is None:
                continue
            if isinstance(call, str):  # a failed call
                log.request_errors += 1
                continue
            calls.append({**call, "_file": r["_file"], "_line": r["_line"]})
        if not calls:
            return []
        group_path = options.group_by or TRACE
        group = _one(rows, group_path, "attempt key")
        if group is None:
            raise Bad("no attempt key", field=group_path, expected="the field on one of the trace's observations")
        task = group
        if options.task_field:
            task = _one(rows, options.task_field, "task id")  # type: ignore[assignment]
            if task is None:
                raise Bad(
                    "no task id", field=options.task_field, expected="the field on one of the trace's observations"
                )
        verdicts = {success_of(r["row"], options) for r in rows} - {None}
        if len(verdicts) > 1:
            raise Bad("the trace's observations disagree on success", field=options.success_field)
        verdict = verdicts.pop() if verdicts else None
        # The attempt's wall time is the whole trace's (a root span included), not only its calls'.
        starts = [t for r in rows if (t := epoch(r["row"].get("startTime"))) is not None]
        ends = [t for r in rows if (t := epoch(r["row"].get("endTime"))) is not None]
    except Bad as exc:
        log.bad.append((first["_file"], first["_line"], exc))
        return []
    bounds = {"_start": min(starts, default=None), "_end": max(ends, default=None)}
    return [{**c, "task_id": task, "_group": group, "success": verdict, **bounds} for c in calls]


def _call(row: dict[str, Any]) -> dict[str, Any] | str | None:
    """One call's record; None for a row that is not a call; "error" for a failed call."""
    usage = cell_json(row.get("usageDetails"), "usageDetails") or {}
    if not isinstance(usage, dict):
        raise Bad("not an object", field="usageDetails", found=usage, expected="a map of usage type -> tokens")
    is_generation = str(row.get("type") or "").upper() == "GENERATION"
    if not usage and not is_generation:
        return None
    if not usage and str(row.get("level") or "").upper() == "ERROR":
        return "error"
    counts = {str(k): count(v, f"usageDetails.{k}") or 0 for k, v in usage.items()}
    tokens: dict[str, Any] = {}
    if counts:
        buckets = {k: v for k, v in counts.items() if k != "total"}
        if "total" in counts and counts["total"] != sum(buckets.values()):
            raise Bad(
                f"usageDetails.total is not the sum of its buckets ({sum(buckets.values())})",
                field="usageDetails.total",
                found=counts["total"],
                expected="exclusive buckets summing to total",
            )
        inputs = [v for k, v in buckets.items() if "input" in k.lower()]
        outputs = [v for k, v in buckets.items() if "output" in k.lower()]
        if inputs or outputs:  # a map with only a total says nothing about the kinds

            def part(keys: tuple[str, ...]) -> int | None:
                return sum(buckets[k] for k in keys if k in buckets) if any(k in buckets for k in keys) else None

            tokens = {
                "input_tokens": sum(inputs),
                "cache_read_tokens": part(CACHE_READ_KEYS),
                "cache_write_tokens": part(CACHE_WRITE_KEYS),
                "cache_write_1h_tokens": part(CACHE_WRITE_1H_KEYS),
                "output_tokens": sum(outputs),
                "reasoning_tokens": part(REASONING_KEYS),
            }
    cost_details = cell_json(row.get("costDetails"), "costDetails")
    cost = dig(cost_details, "total") if isinstance(cost_details, dict) else None
    if cost is None:
        cost = row.get("totalCost")
    model = row.get("model") or row.get("providedModelName")
    if not model:
        raise Bad("no model", field="model", expected="the model of the generation")
    start, end = epoch(row.get("startTime")), epoch(row.get("endTime"))
    return {
        "model": str(model),
        **tokens,
        "cost_usd": amount(cost, "costDetails.total"),
        "latency_s": amount(row.get("latency"), "latency"),
        "_start": start,
        "_end": end,
    }
