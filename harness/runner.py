"""Run a task set: tasks x samples attempts through a bounded pool, each stored as it finishes.

Memory stays flat whatever the size of the run: work items come from a generator shared by a
fixed number of worker coroutines (no list of pending coroutines), and results go straight to
the store.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from harness.client import RETRY_STATUSES, ChatClient, ClientSettings, Outcome
from harness.endpoint import check_base_url
from harness.graders import GradeError, grade
from harness.lock import run_lock
from harness.store import Attempt, Run, Store, new_run_id, now_iso, settings_json
from harness.tasks import Task
from inputs.safe_json import loads
from tokenomics.errors import InputError

T = TypeVar("T")
GRADE_DEADLINE_S = 10.0
"""Longest one grade may take (off the event loop); a slower one is an error attempt."""


@dataclass
class Progress:
    """Live counts of a run (graded = successes + failures; errors are apart)."""

    total: int
    graded: int = 0
    successes: int = 0
    errors: int = 0

    @property
    def failures(self) -> int:
        return self.graded - self.successes

    @property
    def done(self) -> int:
        return self.graded + self.errors


def new_run(
    store: Store,
    *,
    settings: ClientSettings,
    tasks: Sequence[Task],
    tasks_path: str,
    tasks_sha256: str,
    samples: int,
    label: str | None = None,
    provider: str | None = None,
) -> Run:
    """Record a new run in the store and return it."""
    run = Run(
        run_id=new_run_id(),
        created_at=now_iso(),
        label=label or settings.model,
        model=settings.model,
        provider=provider,
        base_url=settings.base_url,
        tasks_path=tasks_path,
        tasks_sha256=tasks_sha256,
        task_count=len(tasks),
        samples=samples,
        source="measure",
        settings=settings_json(settings.public()),
    )
    store.create_run(run)
    return run


def check_resumable(run: Run, tasks_sha256: str) -> None:
    """A run resumes only on the very task set it started with."""
    if run.source != "measure":
        raise InputError(f"run {run.run_id} was imported, not measured: there is nothing to resume")
    if run.tasks_sha256 != tasks_sha256:
        raise InputError(
            f"the task set changed since run {run.run_id} started",
            file=run.tasks_path,
            expected="the same task file (SHA-256 " + str(run.tasks_sha256)[:12] + "...)",
        )


def to_attempt(task: Task, sample: int, outcome: Outcome, success: bool | None) -> Attempt:
    """A storable attempt: graded when the model answered and ``success`` is known, else an error attempt."""
    usage = outcome.usage
    ok = outcome.error is None and outcome.reply is not None and success is not None
    return Attempt(
        task_id=task.id,
        sample=sample,
        status="ok" if ok else "error",
        success=success if ok else None,
        input_tokens=usage.input_tokens if usage else None,
        cache_read_tokens=usage.cache_read_tokens if usage else None,
        cache_write_tokens=usage.cache_write_tokens if usage else None,
        output_tokens=usage.output_tokens if usage else None,
        reasoning_tokens=usage.reasoning_tokens if usage else None,
        cost_usd=usage.cost_usd if usage else None,
        latency_s=outcome.latency_s,
        ttft_s=outcome.ttft_s,
        tries=outcome.tries,
        timestamp=now_iso(),
        error=outcome.error,
        reply=outcome.reply,
    )


async def judge(task: Task, sample: int, outcome: Outcome) -> Attempt:
    """Grade the outcome in a worker thread with a deadline; a reply that cannot be graded is an error attempt."""
    if outcome.error is not None or outcome.reply is None:
        return to_attempt(task, sample, outcome, None)
    try:
        success = await asyncio.wait_for(asyncio.to_thread(grade, task, outcome.reply), GRADE_DEADLINE_S)
    except GradeError as exc:
        return to_attempt(task, sample, replace(outcome, error=str(exc)), None)
    except TimeoutError:
        reason = f"grading took longer than {GRADE_DEADLINE_S:g} s"
        return to_attempt(task, sample, replace(outcome, error=reason), None)
    return to_attempt(task, sample, outcome, success)


async def run_attempts(
    store: Store,
    run: Run,
    tasks: Sequence[Task],
    settings: ClientSettings,
    concurrency: int,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Progress:
    """Attempt every (task, sample) not yet graded in the run; returns this session's final counts."""
    done = store.graded_keys(run.run_id)
    before = store.counts(run.run_id)
    progress = Progress(total=len(tasks) * run.samples, graded=before.graded, successes=before.successes)
    pending: Iterator[tuple[Task, int]] = (
        (task, s) for task in tasks for s in range(run.samples) if (task.id, s) not in done
    )

    async def worker(client: ChatClient) -> None:
        for task, sample in pending:
            if stop is not None and stop.is_set():
                return
            attempt = await judge(task, sample, await client.attempt(task))
            store.record(run.run_id, attempt)
            if attempt.status == "ok":
                progress.graded += 1
                progress.successes += bool(attempt.success)
            else:
                progress.errors += 1
            if on_progress is not None:
                on_progress(progress)

    async with ChatClient(settings, concurrency) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    if store.counts(run.run_id).graded == progress.total:
        store.finish(run.run_id)
    return progress


def run_sync(
    store: Store,
    run: Run,
    tasks: Sequence[Task],
    settings: ClientSettings,
    concurrency: int,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Progress:
    """``run_attempts`` in a fresh event loop (the CLI and the page's worker thread use this)."""
    if concurrency < 1:
        raise InputError("concurrency must be at least 1", found=concurrency)
    with run_lock(store.path, run.run_id):
        return run_blocking(run_attempts(store, run, tasks, settings, concurrency, on_progress, stop))


async def _probe(settings: ClientSettings, task: Task) -> Outcome:
    async with ChatClient(settings, 1) as client:
        return await client.attempt(task)


def probe(settings: ClientSettings, task: Task) -> Outcome:
    """Send the first task once, before a run exists: an endpoint that refuses it fails fast.

    Returns the outcome (record it as the run's first attempt when it is an answer); an
    ``InputError`` when the request failed for a reason retrying cannot fix (no connection,
    401, 404...). A transient failure (429, 5xx) is returned: the run will retry it.
    """
    outcome = run_blocking(_probe(replace(settings, max_retries=min(settings.max_retries, 1)), task))
    transient = outcome.status is not None and (outcome.status in RETRY_STATUSES or outcome.status >= 500)
    if outcome.error is not None and not transient:
        raise InputError(
            f"the endpoint did not answer a first request: {outcome.error}",
            expected="a working --base-url, --model and API key (nothing was stored)",
        )
    return outcome


_RUN_SETTINGS: dict[str, type | tuple[type, ...]] = {
    "base_url": str,
    "model": str,
    "timeout_s": (int, float),
    "max_retries": int,
    "stream": bool,
}


def settings_from_run(run: Run, api_key: str | None) -> ClientSettings:
    """The client settings a stored run recorded, checked like any input (a store may come from anyone)."""
    where = f"run {run.run_id} settings"
    data = loads(run.settings or "", where)
    if not isinstance(data, dict):
        raise InputError("not a JSON object", file=where)
    values: dict[str, Any] = {}
    for key, kind in _RUN_SETTINGS.items():
        value = data.get(key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InputError("missing or of the wrong type", file=where, column=key, found=value)
        values[key] = value
    temperature = data.get("temperature")
    if temperature is not None and (not isinstance(temperature, int | float) or isinstance(temperature, bool)):
        raise InputError("not a number", file=where, column="temperature", found=temperature)
    if not 0 < values["timeout_s"] <= 3600 or not 0 <= values["max_retries"] <= 20:
        raise InputError("timeout_s or max_retries out of range", file=where, expected="0-3600 s, 0-20 retries")
    check_base_url(values["base_url"])
    return ClientSettings(api_key=api_key, temperature=temperature, **values)


def run_blocking(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end from synchronous code, even inside a running event loop.

    Inside one (a notebook, Playwright's sync API in the same test process) ``asyncio.run``
    refuses, so the coroutine gets a fresh loop in a helper thread while this thread waits.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="harness-loop") as pool:
        return pool.submit(asyncio.run, coro).result()
