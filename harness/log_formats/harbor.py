"""Harbor trial results (Terminal-Bench 2.x): a job folder, or a .tar/.tar.gz of one, of ``result.json``.

Schema: ``TrialResult`` of the ``harbor`` package 0.26.0 (``harbor/models/trial/result.py``,
``schema_version: 1``; files without it are the legacy version 1, same fields). One trial
directory ``jobs/<job>/<trial>/result.json`` is one attempt: ``task_name`` is the task,
``verifier_result.rewards`` the success, ``agent_result`` the tokens and cost. The job's own
``jobs/<job>/result.json`` (a ``JobResult``: ``n_total_trials``, ``stats``) is a summary and is
skipped.

Cached tokens, as Harbor counts them: ``n_input_tokens`` includes the cache (reads, and for
Claude Code, pi and grok-build also cache writes), ``n_cache_tokens`` is the cache reads only,
``n_output_tokens`` includes reasoning. Cache writes are not reported apart in ``result.json``,
so they are billed at the input rate (less than Anthropic charges for them), and terminus-2 on
the OpenAI Responses API reports 0 cached tokens even when the cache was used.
"""

from __future__ import annotations

import io
import posixpath
import tarfile
import zlib
from typing import Any

from harness.attempts import epoch
from harness.log_formats._read import Bad, Log, RequestError, Source, amount, count, decode, loads, obj, text_field
from harness.log_formats.options import LogOptions
from tokenomics.errors import InputError

MAX_MEMBERS = 200_000
MAX_RESULT_BYTES = 16 * 2**20
CACHE_NOTE = (
    "Harbor: n_input_tokens includes the cache; n_cache_tokens (cache reads) is billed at the cache-read "
    "price; cache writes are not reported apart and are billed as plain input"
)


def is_tar(source: Source) -> bool:
    name = source.name.lower()
    return name.endswith((".tar", ".tar.gz", ".tgz")) or source.data[:2] == b"\x1f\x8b" or _ustar(source.data)


def _ustar(data: bytes) -> bool:
    return len(data) > 262 and data[257:262] == b"ustar"


def unpack(source: Source) -> list[Source]:
    """The ``result.json`` files of a tar archive, read in memory (nothing is written to disk)."""
    out = []
    try:
        with tarfile.open(fileobj=io.BytesIO(source.data), mode="r:*") as archive:
            for n, member in enumerate(archive):
                if n > MAX_MEMBERS:
                    raise InputError("too many files in the archive", file=source.name, expected=f"{MAX_MEMBERS:,}")
                if not member.isfile() or posixpath.basename(member.name) != "result.json":
                    continue
                if member.size > MAX_RESULT_BYTES:
                    raise InputError(
                        f"a result.json of {member.size:,} bytes",
                        file=f"{source.name}:{member.name}",
                        expected=f"at most {MAX_RESULT_BYTES:,} bytes",
                    )
                handle = archive.extractfile(member)
                if handle is not None:
                    out.append(Source(f"{source.name}:{member.name}", handle.read()))
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0][:80]
        raise InputError(f"not a readable tar archive ({reason})", file=source.name) from None
    if not out:
        raise InputError("no result.json in the archive", file=source.name, expected="a Harbor job folder, archived")
    return out


def is_trial(doc: Any) -> bool:
    return isinstance(doc, dict) and {"task_name", "trial_name", "agent_info"} <= doc.keys()


def is_job(doc: Any) -> bool:
    return isinstance(doc, dict) and "n_total_trials" in doc and "stats" in doc


def is_legacy_tb(doc: Any) -> bool:
    return isinstance(doc, dict) and {"trial_name", "is_resolved", "failure_mode"} <= doc.keys()


def read(sources: list[Source], options: LogOptions, log: Log) -> list[dict[str, Any]]:
    files = [f for s in sources for f in (unpack(s) if is_tar(s) else [s])]
    rows: list[dict[str, Any]] = []
    for source in files:
        doc = loads(decode(source), source.name)
        if is_job(doc):
            continue  # the job's summary; its trials are read from their own files
        if is_legacy_tb(doc):
            raise InputError(
                "this looks like a legacy Terminal-Bench (tb run) trial, not a Harbor result.json",
                file=source.name,
                expected="a Harbor job (harbor run); legacy tb runs are not supported",
            )
        if not is_trial(doc):
            raise InputError(
                "not a Harbor trial result",
                file=source.name,
                expected="a result.json with task_name, trial_name, agent_info",
            )
        try:
            rows.append({**_trial(doc, options, log, source.name), "_file": source.name, "_line": 1})
        except Bad as exc:
            log.bad.append((source.name, None, exc))
        except RequestError:
            log.request_errors += 1
    if not rows and not log.bad and not log.request_errors:
        raise InputError("no trial result.json among the inputs", expected="a Harbor job folder or its tar")
    log.note(CACHE_NOTE)
    return rows


def _job_name(doc: dict[str, Any], name: str) -> str | None:
    """The job folder: the parent of the trial folder, from ``trial_uri`` or else the file's path."""
    uri = doc.get("trial_uri")
    if isinstance(uri, str) and "/" in uri.rstrip("/"):
        return posixpath.basename(posixpath.dirname(uri.rstrip("/"))) or None
    path = name.replace("\\", "/").split(":")[-1]
    return posixpath.basename(posixpath.dirname(posixpath.dirname(path))) or None


def _trial(doc: dict[str, Any], options: LogOptions, log: Log, name: str) -> dict[str, Any]:
    task = text_field(doc.get("task_name"), "task_name", required=True)
    agent = obj(doc.get("agent_info"))
    info = obj(agent.get("model_info"))
    config = obj(doc.get("config"))
    config_agent = obj(config.get("agent"))
    model = text_field(info.get("name"), "agent_info.model_info.name") or text_field(
        config_agent.get("model_name"), "config.agent.model_name"
    )
    if not model:
        raise Bad("no model", field="agent_info.model_info.name", expected="the model the agent ran")
    agent_name = text_field(agent.get("name"), "agent_info.name")
    success = _success(doc, options)
    results = _agent_results(doc)
    tokens: dict[str, Any] = {}
    cost: float | None = None
    if results:
        sums = dict.fromkeys(("n_input_tokens", "n_cache_tokens", "n_output_tokens"), 0)
        known = dict.fromkeys(sums, True)
        cost_sum, cost_known = 0.0, True
        models: set[str] = set()
        for where, result in results:
            for key in sums:
                value = count(result.get(key), f"{where}.{key}")
                known[key] &= value is not None
                sums[key] += value or 0
            c = amount(result.get("cost_usd"), f"{where}.cost_usd")
            cost_known &= c is not None
            cost_sum += c or 0.0
            if isinstance(result.get("model_usage"), dict):
                models |= set(result["model_usage"])
        if known["n_input_tokens"] and known["n_output_tokens"]:
            tokens = {
                "input_tokens": sums["n_input_tokens"],
                "cache_read_tokens": sums["n_cache_tokens"] if known["n_cache_tokens"] else None,
                "output_tokens": sums["n_output_tokens"],
            }
            if (tokens["cache_read_tokens"] or 0) > tokens["input_tokens"]:
                raise Bad(
                    "n_cache_tokens exceeds n_input_tokens",
                    field="agent_result.n_cache_tokens",
                    found=sums["n_cache_tokens"],
                )
        cost = cost_sum if cost_known else None
        if len(models) > 1:
            log.note(
                "some trials used several models (agent_result.model_usage): "
                "their tokens are priced as the main model's"
            )
    timing = obj(doc.get("agent_execution"))
    began, ended = epoch(timing.get("started_at")), epoch(timing.get("finished_at"))
    start = epoch(doc.get("started_at"))
    return {
        "label": f"{agent_name} + {model}" if agent_name else model,
        "model": model,
        "provider": text_field(info.get("provider"), "agent_info.model_info.provider"),
        "dataset": text_field(doc.get("source"), "source") or _job_name(doc, name),
        "task_id": task,
        "success": success,
        **tokens,
        "cost_usd": cost,
        "latency_s": round(ended - began, 6) if began is not None and ended is not None and ended >= began else None,
        "timestamp": doc.get("started_at") if start is not None else None,
        "_start": start,
    }


def _agent_results(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    steps = doc.get("step_results")
    if isinstance(steps, list) and steps:
        return [
            (f"step_results[{i}].agent_result", s["agent_result"])
            for i, s in enumerate(steps)
            if isinstance(s, dict) and isinstance(s.get("agent_result"), dict)
        ]
    result = doc.get("agent_result")
    return [("agent_result", result)] if isinstance(result, dict) else []


def _success(doc: dict[str, Any], options: LogOptions) -> bool:
    verifier = doc.get("verifier_result")
    rewards = verifier.get("rewards") if isinstance(verifier, dict) else None
    exception = doc.get("exception_info")
    policy = exception.get("policy") if isinstance(exception, dict) else None
    if isinstance(policy, dict) and policy.get("has_valid_reward") is False:
        raise RequestError  # sandbox, auth or API failure: no verdict on the model
    if doc.get("reward_valid") is False or not isinstance(rewards, dict) or not rewards:
        raise RequestError  # no valid reward: Harbor's own pass@k leaves such trials out too
    if options.reward_key is not None:
        key = options.reward_key
        if key not in rewards:
            raise Bad("no such reward", field=f"verifier_result.rewards.{key}", expected=", ".join(map(str, rewards)))
    elif len(rewards) == 1:
        key = next(iter(rewards))
    else:
        raise Bad(
            f"{len(rewards)} rewards",
            field="verifier_result.rewards",
            found=rewards,
            expected="one, or choose with --reward-key NAME",
        )
    value = rewards[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Bad("not a number", field=f"verifier_result.rewards.{key}", found=value, expected="a reward number")
    return float(value) >= options.reward_threshold
