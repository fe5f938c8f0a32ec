"""Every Eval Ever (EEE) instance-level JSON Lines, read and written (schema 0.3.0).

Schema: ``every_eval_ever/schemas/instance_level_eval.schema.json`` of ``evaleval/every_eval_ever``
(``"version": "0.3.0"``; records written by 0.2.x say ``instance_level_eval_0.2.x`` and have the
same token block). One line is one sample of one model on one evaluation: ``sample_id`` is the
task, ``evaluation.is_correct`` the success, ``token_usage`` the tokens, ``evaluation_name`` the
dataset. There is no cost at instance level.

EEE does not normalise cached input: its Inspect converter copies Anthropic's ``input_tokens``
(cache excluded) and then ``total_tokens = input + output + cache read + cache write``, while
OpenAI-style records include the cache in ``input_tokens`` and ``total = input + output``. The
reader tells the two apart by ``total_tokens`` and adds the cache back to exclusive records.

The writer turns any per-attempt measurements into lines of the same schema; what EEE has no
field for (label, provider, observed cost, attempt number, time, calls) travels in
``metadata`` under ``tokenomics.*`` keys, which the reader takes back, so export then import
gives the same comparison.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from harness.attempts import epoch
from harness.log_formats._read import Bad, Log, RequestError, Source, amount, count, decode, obj, records, text_field
from harness.log_formats.options import LogOptions
from tokenomics.errors import InputError

SCHEMA_VERSION = "0.3.0"
ACCEPTED_VERSIONS = re.compile(r"^(instance_level_eval_)?0\.[23]\.\d+$")
META = "tokenomics."
UNKNOWN = "unknown"
AGGREGATE_KEYS = {"evaluation_results", "model_info", "eval_library"}


def is_aggregate(record: Any) -> bool:
    return isinstance(record, dict) and record.keys() >= AGGREGATE_KEYS and "sample_id" not in record


def aggregate_error(record: dict[str, Any], name: str) -> InputError:
    detail = record.get("detailed_evaluation_results")
    path = detail.get("file_path") if isinstance(detail, dict) else None
    return InputError(
        "this looks like an EEE aggregate file (EvaluationLog), not instance-level",
        file=name,
        expected=f"its samples file {path}" if isinstance(path, str) else "its <uuid>_samples.jsonl samples file",
    )


def read(sources: list[Source], options: LogOptions, log: Log) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    tally = {"exclusive": 0, "unclear": 0}
    for source in sources:
        for line, record in records(source, decode(source)):
            if is_aggregate(record):
                raise aggregate_error(record, source.name)
            try:
                if isinstance(record, Bad):
                    raise record
                rows.append({**_row(record, tally), "_file": source.name, "_line": line})
            except Bad as exc:
                log.bad.append((source.name, line, exc))
            except RequestError:
                log.request_errors += 1
    if tally["exclusive"]:
        log.note(
            f"{tally['exclusive']} record(s) reported input tokens without their cache reads and writes "
            "(total_tokens = input + output + cache): the cache was added back to input_tokens"
        )
    if tally["unclear"]:
        log.note(
            f"{tally['unclear']} record(s) have a total_tokens matching neither input + output nor "
            "input + output + cache: their input_tokens were taken as including the cache"
        )
    return _one_metric(rows, options.metric)


def _one_metric(rows: list[dict[str, Any]], metric: str | None) -> list[dict[str, Any]]:
    """A sample scored by K metrics appears K times; keep one metric's lines, or tokens count K times."""
    if metric is not None:
        kept = [r for r in rows if r["_metric"] == metric]
        if rows and not kept:
            found = sorted({str(r["_metric"]) for r in rows})
            raise InputError(f"no lines of metric {metric!r}", expected="one of: " + ", ".join(found[:20]))
        rows = kept
    metrics: dict[tuple[str, str], set[Any]] = defaultdict(set)
    for r in rows:
        metrics[(r["model"], r["dataset"])].add(r["_metric"])
    for (model, dataset), ids in metrics.items():
        if len(ids) > 1:
            shown = ", ".join(sorted(str(i) for i in ids)[:6])
            raise InputError(
                f"the samples of {model} on {dataset} are scored by {len(ids)} metrics ({shown}); "
                "importing all would count their tokens once per metric",
                expected="one with --metric EVALUATION_RESULT_ID",
            )
    for r in rows:
        del r["_metric"]
    return rows


def _row(record: Any, tally: dict[str, int]) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise Bad("not a JSON object", found=record, expected="one EEE instance-level record per line")
    if "sample_id" not in record or "evaluation" not in record:
        raise Bad(
            "not an EEE instance-level record",
            field="sample_id",
            expected="schema_version, evaluation_id, model_id, sample_id, evaluation",
        )
    version = record.get("schema_version")
    if not isinstance(version, str) or not ACCEPTED_VERSIONS.match(version):
        raise Bad(
            "unsupported schema version",
            field="schema_version",
            found=version,
            expected="0.3.0 (or instance_level_eval_0.2.x)",
        )
    if record.get("error"):
        raise RequestError
    evaluation = record["evaluation"]
    correct = evaluation.get("is_correct") if isinstance(evaluation, dict) else None
    if not isinstance(correct, bool):
        raise Bad("not true/false", field="evaluation.is_correct", found=correct, expected="true or false")
    meta = obj(record.get("metadata"))
    model = text_field(record.get("model_id"), "model_id", required=True)
    row: dict[str, Any] = {
        "model": model,
        "label": meta.get(META + "label"),
        "provider": meta.get(META + "provider"),
        "dataset": text_field(record.get("evaluation_name"), "evaluation_name", required=True),
        "task_id": text_field(record.get("sample_id"), "sample_id", required=True),
        "success": correct,
        "calls": _calls(record, meta),
        "cost_usd": amount(meta.get(META + "cost_usd"), "metadata.tokenomics.cost_usd"),
        "latency_s": _latency(record),
        "_metric": text_field(record.get("evaluation_result_id"), "evaluation_result_id"),
    }
    row.update(_tokens(record.get("token_usage"), tally))
    if META + "cache_write_1h_tokens" in meta and row.get("cache_write_tokens") is not None:
        row["cache_write_1h_tokens"] = count(meta[META + "cache_write_1h_tokens"], "metadata")
    if (attempt := meta.get(META + "attempt")) is not None:
        row["attempt"] = count(attempt, "metadata.tokenomics.attempt")
    if stamp := meta.get(META + "timestamp"):
        row["timestamp"], row["_start"] = stamp, epoch(stamp if len(stamp) > 10 else stamp + "T00:00:00")
    return row


def _calls(record: dict[str, Any], meta: Mapping[str, Any]) -> int | None:
    if META + "calls" in meta:
        if meta[META + "calls"] == UNKNOWN:
            return None
        return count(meta[META + "calls"], "metadata.tokenomics.calls")
    if record.get("interaction_type") == "single_turn":
        return 1
    turns = record["evaluation"].get("num_turns")
    if turns is not None:
        return count(turns, "evaluation.num_turns")
    messages = record.get("messages")
    if isinstance(messages, list):
        return sum(1 for m in messages if isinstance(m, dict) and m.get("role") == "assistant") or None
    return None


def _latency(record: dict[str, Any]) -> float | None:
    performance = record.get("performance")
    if not isinstance(performance, dict):
        return None
    ms = amount(performance.get("latency_ms"), "performance.latency_ms")
    return None if ms is None else round(ms / 1000, 6)


def _tokens(usage: Any, tally: dict[str, int]) -> dict[str, Any]:
    if usage is None:
        return {}
    if not isinstance(usage, dict):
        raise Bad("not an object", field="token_usage", found=usage, expected="an object or null")
    inp = count(usage.get("input_tokens"), "token_usage.input_tokens", nullable=False)
    out = count(usage.get("output_tokens"), "token_usage.output_tokens", nullable=False)
    total = count(usage.get("total_tokens"), "token_usage.total_tokens", nullable=False)
    read_ = count(usage.get("input_tokens_cache_read"), "token_usage.input_tokens_cache_read")
    write = count(usage.get("input_tokens_cache_write"), "token_usage.input_tokens_cache_write")
    reasoning = count(usage.get("reasoning_tokens"), "token_usage.reasoning_tokens")
    assert inp is not None and out is not None and total is not None
    cache = (read_ or 0) + (write or 0)
    if cache and total == inp + out + cache:
        inp += cache
        tally["exclusive"] += 1
    elif cache and total != inp + out:
        tally["unclear"] += 1
    if cache > inp:
        raise Bad(
            "cache reads and writes exceed input_tokens",
            field="token_usage.input_tokens",
            found=inp,
            expected="input tokens including the cache, or total_tokens showing they exclude it",
        )
    if reasoning is not None and reasoning > out:
        raise Bad("reasoning_tokens exceed output_tokens", field="token_usage.reasoning_tokens", found=reasoning)
    return {
        "input_tokens": inp,
        "cache_read_tokens": read_,
        "cache_write_tokens": write,
        "output_tokens": out,
        "reasoning_tokens": reasoning,
    }


# ---- writing ------------------------------------------------------------------------------


def _known(value: Any) -> bool:
    return (
        value is not None
        and value is not pd.NA
        and value is not pd.NaT
        and not (isinstance(value, float) and math.isnan(value))
    )


def _int(value: Any) -> int | None:
    return int(value) if _known(value) else None


def _number(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number == int(number) and abs(number) < 2**53 else repr(number)


def to_eee(frame: pd.DataFrame, evaluation_name: str | None = None) -> str:
    """Per-attempt measurements (the loader's canonical frame) as EEE instance-level JSON Lines.

    The evaluation name is ``evaluation_name`` if given, else each row's ``dataset``, else the
    stem of the file the row came from.
    """
    lines = []
    for row in frame.to_dict("records"):
        lines.append(json.dumps(_record({str(k): v for k, v in row.items()}, evaluation_name), ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def _record(row: dict[str, Any], evaluation_name: str | None) -> dict[str, Any]:
    model, label = str(row["model"]), str(row["label"])
    dataset = evaluation_name or (row.get("dataset") if _known(row.get("dataset")) else None)
    if not dataset:
        source = str(row.get("source") or "tokenomics")
        dataset = source.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "tokenomics"
    calls = _int(row.get("calls"))
    success = bool(row["successes"])
    meta: dict[str, str] = {META + "attempt": str(_int(row.get("attempt")) or 1)}
    if label != model:
        meta[META + "label"] = label
    if _known(row.get("provider")):
        meta[META + "provider"] = str(row["provider"])
    if _known(row.get("cost_usd")):
        meta[META + "cost_usd"] = _number(row["cost_usd"])
    meta[META + "calls"] = UNKNOWN if calls is None else str(calls)
    if _known(row.get("timestamp")):
        stamp = pd.Timestamp(row["timestamp"])
        meta[META + "timestamp"] = (
            stamp.strftime("%Y-%m-%dT%H:%M:%S") + (f".{stamp.microsecond:06d}" if stamp.microsecond else "") + "Z"
            if row.get("time_known")
            else stamp.strftime("%Y-%m-%d")
        )
    if _known(row.get("cache_write_1h_tokens")):
        meta[META + "cache_write_1h_tokens"] = str(int(row["cache_write_1h_tokens"]))
    single = calls is None or calls == 1
    evaluation_id = f"{dataset}/{model}" + ("" if label == model else f"/{label}")
    record: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "evaluation_id": evaluation_id,
        "model_id": model,
        "evaluation_name": dataset,
        "sample_id": str(row["task_id"]),
        "interaction_type": "single_turn" if single else "agentic",
        "input": {"raw": "", "reference": []},
        "answer_attribution": [],
        "evaluation": {"score": 1.0 if success else 0.0, "is_correct": success},
    }
    if single:
        record["output"] = {"raw": []}
    else:
        record["messages"] = []
        record["evaluation"]["num_turns"] = calls
    inp, out = _int(row.get("input_tokens")), _int(row.get("output_tokens"))
    if inp is not None and out is not None:
        record["token_usage"] = {
            "input_tokens": inp,
            "output_tokens": out,
            "total_tokens": inp + out,
            "input_tokens_cache_read": _int(row.get("cache_read_tokens")),
            "input_tokens_cache_write": _int(row.get("cache_write_tokens")),
            "reasoning_tokens": _int(row.get("reasoning_tokens")),
        }
    else:
        record["token_usage"] = None
    if _known(row.get("latency_s")):
        record["performance"] = {"latency_ms": round(float(row["latency_s"]) * 1000, 3)}
    record["metadata"] = meta
    return record
