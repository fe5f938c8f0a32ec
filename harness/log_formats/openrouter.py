"""OpenRouter generation records (``GET /api/v1/generation?id=...`` saved one per line).

Schema: ``GenerationResponse`` of OpenRouter's OpenAPI document (``openapi/openapi.yaml`` of
``OpenRouterTeam/docs``, OpenAPI 3.1.0, ``info.version`` 1.0.0); a line may be the bare record
or the API's ``{"data": {...}}`` reply, and a JSON file may hold a list of them. The
``native_tokens_*`` counts are the provider's own (OpenRouter bills on them): prompt includes
cached tokens, completion includes reasoning. ``total_cost`` is what OpenRouter charged, kept as
the observed ``cost_usd`` beside the cost tokenomics computes from list prices. Cache writes are
not in the record (they are in a chat completion's ``usage``, which ``--format openai`` reads).

Calls are grouped into attempts by ``session_id`` (the request's ``session_id`` or
``x-session-id``); ``request_id`` only groups the fallbacks of one request.
"""

from __future__ import annotations

from typing import Any

from harness.attempts import epoch
from harness.log_formats._calls import keys, success
from harness.log_formats._read import Bad, Log, RequestError, Source, amount, count, decode, records
from harness.log_formats.options import LogOptions

GROUP = "session_id"


def is_generation(record: Any) -> bool:
    if isinstance(record, dict) and isinstance(record.get("data"), dict):
        record = record["data"]
    return isinstance(record, dict) and "native_tokens_prompt" in record and "total_cost" in record


def read(sources: list[Source], options: LogOptions, log: Log) -> list[dict[str, Any]]:
    calls = []
    for source in sources:
        for line, record in records(source, decode(source)):
            items = record["data"] if isinstance(record, dict) and isinstance(record.get("data"), list) else [record]
            for item in items:
                try:
                    if isinstance(item, Bad):
                        raise item
                    if isinstance(item, dict) and isinstance(item.get("data"), dict):
                        item = item["data"]
                    if not is_generation(item):
                        raise Bad(
                            "not an OpenRouter generation record",
                            field="native_tokens_prompt",
                            expected="GET /api/v1/generation records (id, native_tokens_prompt, total_cost...)",
                        )
                    call = _call(item)
                    task, group = keys(item, options, group_default=GROUP)
                    calls.append(
                        {**call, "task_id": task, "_group": group, "success": success(item, options)}
                        | {"_file": source.name, "_line": line}
                    )
                except Bad as exc:
                    log.bad.append((source.name, line, exc))
                except RequestError:
                    log.request_errors += 1
    return calls


def _first(record: dict[str, Any], *fields: str) -> int | None:
    for field in fields:
        value = count(record.get(field), field)
        if value is not None:
            return value
    return None


def _call(record: dict[str, Any]) -> dict[str, Any]:
    inp = _first(record, "native_tokens_prompt", "tokens_prompt")
    out = _first(record, "native_tokens_completion", "tokens_completion")
    if inp is None and out is None and (record.get("finish_reason") == "error" or record.get("cancelled") is True):
        raise RequestError
    read_ = count(record.get("native_tokens_cached"), "native_tokens_cached")
    reasoning = count(record.get("native_tokens_reasoning"), "native_tokens_reasoning")
    if inp is not None and read_ is not None and read_ > inp:
        raise Bad("native_tokens_cached exceeds native_tokens_prompt", field="native_tokens_cached", found=read_)
    if out is not None and reasoning is not None and reasoning > out:
        raise Bad(
            "native_tokens_reasoning exceeds native_tokens_completion", field="native_tokens_reasoning", found=reasoning
        )
    model = record.get("model")
    if not model:
        raise Bad("no model", field="model", expected="the model slug")
    cost = amount(record.get("total_cost"), "total_cost")
    if cost is None:
        cost = amount(record.get("usage"), "usage")
    start = epoch(record.get("created_at"))
    latency_ms = amount(record.get("latency"), "latency")
    latency = None if latency_ms is None else latency_ms / 1000
    return {
        "model": str(model),
        "provider": "openrouter",
        "input_tokens": inp,
        "cache_read_tokens": read_,
        "output_tokens": out,
        "reasoning_tokens": reasoning,
        "cost_usd": cost,
        "latency_s": latency,
        "_start": start,
        "_end": None if start is None or latency is None else start + latency,
    }
