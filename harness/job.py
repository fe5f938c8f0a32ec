"""A measurement running in a background thread, for the dashboard: start, watch, stop.

Streamlit reruns the page script on every interaction, so the run cannot live in the script:
it runs in its own thread (with its own event loop and store connection) and the page reads
``progress`` on each rerun. Stopping sets an event the workers check before each new attempt;
attempts in flight finish and are stored, so a stopped run resumes like a killed one.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from harness.client import ClientSettings, redact
from harness.runner import Progress, new_run, run_sync
from harness.store import Run, Store
from harness.tasks import Task
from tokenomics.errors import InputError

LOG = logging.getLogger("tokenomics.measure")


@dataclass(frozen=True)
class JobSpec:
    """What to run (the API key rides in ``settings`` and is never shown or stored)."""

    store_path: Path
    settings: ClientSettings
    tasks: Sequence[Task]
    tasks_path: str
    tasks_sha256: str
    samples: int
    concurrency: int
    label: str | None = None
    provider: str | None = None


class MeasureJob:
    """One run in a daemon thread; ``progress`` is a copy safe to read from the page."""

    def __init__(self, spec: JobSpec, run: Run | None = None) -> None:
        self.spec = spec
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.error: str | None = None
        with Store(spec.store_path) as store:
            self.run = run or new_run(
                store,
                settings=spec.settings,
                tasks=spec.tasks,
                tasks_path=spec.tasks_path,
                tasks_sha256=spec.tasks_sha256,
                samples=spec.samples,
                label=spec.label,
                provider=spec.provider,
            )
            counts = store.counts(self.run.run_id)
        self._progress = Progress(
            total=len(spec.tasks) * self.run.samples, graded=counts.graded, successes=counts.successes
        )
        self._thread = threading.Thread(target=self._work, name=f"measure-{self.run.run_id}", daemon=True)

    def start(self) -> MeasureJob:
        self._thread.start()
        return self

    def _update(self, progress: Progress) -> None:
        with self._lock:
            self._progress = replace(progress)

    def _work(self) -> None:
        try:
            with Store(self.spec.store_path) as store:
                run_sync(
                    store,
                    self.run,
                    self.spec.tasks,
                    self.spec.settings,
                    self.spec.concurrency,
                    self._update,
                    self._stop,
                )
        except InputError as exc:  # shown on the page; the thread must not die silently
            self.error = redact(str(exc), self.spec.settings.api_key)
        except Exception:
            reference = uuid.uuid4().hex[:10]
            LOG.exception("measurement %s failed (reference %s)", self.run.run_id, reference)
            self.error = f"an unexpected error (reference {reference}, details in the server's log)"

    @property
    def progress(self) -> Progress:
        with self._lock:
            return replace(self._progress)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        self._stop.set()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)
