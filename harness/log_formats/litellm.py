"""LiteLLM proxy spend logs: the ``LiteLLM_SpendLogs`` table (or its ClickHouse ``spend_logs`` copy).

Schema: ``model LiteLLM_SpendLogs`` in ``litellm/proxy/schema.prisma`` of LiteLLM 1.110.2 (no
version field; columns added over time), exported as CSV with a header (``psql \\copy``), JSON
(``/spend/logs/v2``) or JSON Lines; the ClickHouse logger's snake_case columns are read too.
One row is one call. ``prompt_tokens`` includes cached tokens (LiteLLM adds Anthropic's cache
reads and writes back) and ``completion_tokens`` includes reasoning; the cache and reasoning
parts are in ``metadata.additional_usage_values``. ``spend`` is LiteLLM's own USD estimate.

The task id is ``metadata.spend_logs_metadata.task_id`` when the caller sent one; calls are
grouped into attempts by ``metadata.spend_logs_metadata.attempt`` when the caller sent that too,
else by ``session_id`` (set it per attempt with the ``litellm_session_id`` header or
``metadata.session_id``; left unset, LiteLLM gives every request its own). Failed requests
(``status = failure``) are not attempts; cache hits (answered by LiteLLM's cache at no cost,
``request_id`` ending ``_cache_hit...``) are left out.
"""

from __future__ import annotations

from typing import Any

from harness.attempts import epoch
from harness.log_formats._calls import keys, success
from harness.log_formats._read import Bad, Log, RequestError, Source, amount, cell_json, count, dig, table
from harness.log_formats.options import LogOptions

GROUP = "session_id"
TASK = "metadata.spend_logs_metadata.task_id"
ATTEMPT = "metadata.spend_logs_metadata.attempt"
USAGE = "additional_usage_values"


def is_spend_log(row: Any) -> bool:
    return isinstance(row, dict) and {"request_id", "spend", "prompt_tokens"} <= row.keys()


def read(sources: list[Source], options: LogOptions, log: Log) -> list[dict[str, Any]]:
    calls = []
    hits = 0
    tally = {"exclusive": 0}
    for source in sources:
        for line, row in table(source):
            try:
                if isinstance(row, Bad):
                    raise row
                if not is_spend_log(row):
                    raise Bad(
                        "not a LiteLLM spend log row",
                        field="request_id",
                        expected="LiteLLM_SpendLogs columns (request_id, spend, prompt_tokens...)",
                    )
                if "_cache_hit" in str(row["request_id"]):
                    hits += 1
                    continue
                row = {**row, "metadata": cell_json(row.get("metadata"), "metadata") or {}}
                call = _call(row, tally)
                # The caller's own attempt number, when it sent one, beats a session LiteLLM may have made up.
                group_default = ATTEMPT if dig(row, ATTEMPT) is not None and dig(row, TASK) is not None else GROUP
                task, group = keys(row, options, group_default=group_default, task_default=TASK)
                calls.append(
                    {**call, "task_id": task, "_group": group, "success": success(row, options)}
                    | {"_file": source.name, "_line": line}
                )
            except Bad as exc:
                log.bad.append((source.name, line, exc))
            except RequestError:
                log.request_errors += 1
    if hits:
        log.note(f"{hits} LiteLLM cache hit(s) (answered from LiteLLM's cache at no cost) were left out")
    if tally["exclusive"]:
        log.note(
            f"{tally['exclusive']} row(s) had more cache reads than prompt_tokens (an old LiteLLM storing "
            "Anthropic's uncached count): the cache was added back to input_tokens"
        )
    return calls


def _time(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value / 1000  # the ClickHouse logger's records hold unix milliseconds
    return epoch(value)


def _call(row: dict[str, Any], tally: dict[str, int]) -> dict[str, Any]:
    if str(row.get("status") or "").lower() == "failure":
        raise RequestError
    meta = row["metadata"] if isinstance(row["metadata"], dict) else {}
    usage = meta.get(USAGE) if isinstance(meta.get(USAGE), dict) else {}
    inp = count(row.get("prompt_tokens"), "prompt_tokens")
    out = count(row.get("completion_tokens"), "completion_tokens")

    def first(field: str, *paths: str) -> int | None:
        for path in paths:
            value = dig(row, path) if path in row else dig(usage, path)
            if value is not None:
                return count(value, field)
        return None

    read_ = first(
        "cache_read_tokens", "cache_read_tokens", "cache_read_input_tokens", "prompt_tokens_details.cached_tokens"
    )
    write = first(
        "cache_write_tokens",
        "cache_write_tokens",
        "cache_creation_input_tokens",
        "prompt_tokens_details.cache_creation_tokens",
        "prompt_tokens_details.cache_write_tokens",
    )
    reasoning = first("reasoning_tokens", "completion_tokens_details.reasoning_tokens")
    cache = (read_ or 0) + (write or 0)
    if inp is not None and (read_ or 0) > inp:
        inp += cache
        tally["exclusive"] += 1
    if inp is not None and cache > inp:
        raise Bad("cache reads and writes exceed prompt_tokens", field="prompt_tokens", found=inp)
    if reasoning is not None and out is not None and reasoning > out:
        raise Bad("reasoning tokens exceed completion_tokens", field="completion_tokens", found=out)
    model = row.get("model") or row.get("model_group")
    if not model:
        raise Bad("no model", field="model", expected="the model the call used")
    start = _time(row.get("startTime", row.get("start_time")))
    end = _time(row.get("endTime", row.get("end_time")))
    return {
        "model": str(model),
        "provider": str(row["custom_llm_provider"]) if row.get("custom_llm_provider") else None,
        "input_tokens": inp,
        "cache_read_tokens": read_,
        "cache_write_tokens": write,
        "output_tokens": out,
        "reasoning_tokens": reasoning,
        "cost_usd": amount(row.get("spend"), "spend"),
        "_start": start,
        "_end": end,
    }
