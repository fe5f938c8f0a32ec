"""``python -m tokenomics measure``: run a task set against an OpenAI-compatible endpoint."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from harness.client import ClientSettings
from harness.endpoint import check_base_url, check_reachable, origin
from harness.runner import Progress, check_resumable, judge, new_run, probe, run_blocking, run_sync, settings_from_run
from harness.store import Store
from harness.tasks import load_tasks
from tokenomics.errors import InputError

DEFAULT_STORE = "runs.sqlite"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("measure", help="run a task set against an OpenAI-compatible endpoint and store the attempts")
    p.add_argument("--base-url", help="endpoint root, e.g. https://api.deepseek.com/v1 or http://127.0.0.1:8000/v1")
    p.add_argument("--model", help="model name the endpoint expects")
    p.add_argument("--tasks", metavar="FILE", help="task set, JSONL (see data/tasks/README.md)")
    p.add_argument("--samples", type=int, default=1, help="attempts per task (default 1)")
    p.add_argument("--concurrency", type=int, default=8, help="requests in flight at once (default 8)")
    p.add_argument("--provider", help="genai-prices provider id used to price the run (e.g. deepseek)")
    p.add_argument("--label", help="name of the run in comparisons (default: the model)")
    p.add_argument("--out", metavar="STORE", default=DEFAULT_STORE, help=f"store file (default {DEFAULT_STORE})")
    p.add_argument(
        "--resume",
        metavar="RUN_ID",
        help="finish an interrupted run (its own settings are reused; give --base-url to confirm where the key goes)",
    )
    p.add_argument(
        "--trust-stored-url",
        action="store_true",
        help="with --resume: send the key to the base URL the store records without --base-url confirming it",
    )
    p.add_argument(
        "--api-key-env",
        default="OPENAI_API_KEY",
        metavar="NAME",
        help="environment variable holding the API key (default OPENAI_API_KEY); the key is never stored",
    )
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per request (default 120)")
    p.add_argument("--max-retries", type=int, default=4, help="retries on 429/5xx/network errors (default 4)")
    p.add_argument("--stream", action="store_true", help="stream replies (records time to first token)")
    p.add_argument("--temperature", type=float, help="sampling temperature (default: the endpoint's)")
    p.set_defaults(run=run_measure)


def _settings(args: argparse.Namespace, api_key: str | None) -> ClientSettings:
    for name in ("base_url", "model", "tasks"):
        if not getattr(args, name):
            raise InputError(f"--{name.replace('_', '-')} is required (or --resume RUN_ID)")
    if args.samples < 1 or args.concurrency < 1 or args.max_retries < 0 or args.timeout <= 0:
        raise InputError("--samples and --concurrency must be at least 1, --timeout positive, --max-retries >= 0")
    return ClientSettings(
        base_url=check_base_url(args.base_url),
        model=args.model,
        api_key=api_key,
        timeout_s=args.timeout,
        max_retries=args.max_retries,
        stream=args.stream,
        temperature=args.temperature,
    )


def _reporter() -> Callable[[Progress], None]:
    """Prints progress to stderr at most once a second."""
    last = [0.0]

    def report(progress: Progress) -> None:
        now = time.monotonic()
        if now - last[0] >= 1.0 or progress.done == progress.total:
            last[0] = now
            print(
                f"  {progress.graded}/{progress.total} graded, {progress.successes} solved, "
                f"{progress.errors} request errors",
                file=sys.stderr,
                flush=True,
            )

    return report


def _confirm_destination(args: argparse.Namespace, stored_url: str, sends_key: bool) -> None:
    """Say where a resumed run's requests go; the key goes only where the command line says.

    A store can come from someone else: the URL it records is theirs to choose.
    """
    print(f"resuming run {args.resume}: requests go to {stored_url} (recorded in {args.out})", file=sys.stderr)
    if not sends_key or args.trust_stored_url:
        return
    if not args.base_url:
        raise InputError(
            f"not sending the API key to {origin(stored_url)} on the store's word",
            expected=f"--base-url {stored_url} to confirm it (or --trust-stored-url)",
        )
    if origin(check_base_url(args.base_url)) != origin(stored_url):
        raise InputError(
            f"--base-url points at {origin(args.base_url)} but the run was measured at {origin(stored_url)}",
            expected="the run's own endpoint (start a new run for another one)",
        )


def run_measure(args: argparse.Namespace) -> str:
    api_key = os.environ.get(args.api_key_env) or None
    if api_key is None:
        print(f"note: ${args.api_key_env} is not set; sending no API key", file=sys.stderr)
    first = None
    if not args.resume:  # everything about a new run is checked before the store is touched
        settings = _settings(args, api_key)
        tasks, sha = load_tasks(args.tasks)
        check_reachable(settings.base_url)
        first = probe(settings, tasks[0])
    with Store(args.out, create=not args.resume) as store:
        if args.resume:
            run = store.run(args.resume)
            tasks, sha = load_tasks(run.tasks_path or "")
            check_resumable(run, sha)
            settings = settings_from_run(run, api_key)
            _confirm_destination(args, settings.base_url, api_key is not None)
            check_reachable(settings.base_url)
        else:
            run = new_run(
                store,
                settings=settings,
                tasks=tasks,
                tasks_path=str(Path(args.tasks).resolve()),  # so --resume works from any folder
                tasks_sha256=sha,
                samples=args.samples,
                label=args.label,
                provider=args.provider,
            )
            if (
                first is not None and first.error is None
            ):  # the probe's answer is the run's first attempt, not a wasted request
                store.record(run.run_id, run_blocking(judge(tasks[0], 0, first)))
        print(
            f"run {run.run_id}: {len(tasks)} tasks x {run.samples} samples -> {args.out}", file=sys.stderr, flush=True
        )
        try:
            run_sync(store, run, tasks, settings, args.concurrency, _reporter())
        except KeyboardInterrupt:  # Ctrl-C: every finished attempt is already committed
            print(f"interrupted; resume with --resume {run.run_id}", file=sys.stderr)
        counts = store.counts(run.run_id)
        errors = store.errors(run.run_id)
    total = len(tasks) * run.samples
    lines = [
        f"run {run.run_id} ({run.label}): {counts.graded}/{total} attempts graded, "
        f"{counts.successes} succeeded, {counts.failures} failed, {counts.errors} request errors",
    ]
    if counts.errors:
        lines.append("request errors are not model failures: they are left out of the measurements.")
        lines += [f"  {task} sample {sample + 1}: {reason}" for task, sample, reason in errors]
        lines.append(f"retry them with: python -m tokenomics measure --resume {run.run_id} --out {args.out}")
    lines.append(f"compare it: python -m tokenomics compare --measurements {args.out}")
    return "\n".join(lines)
