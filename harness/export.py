"""Stored runs to the per-attempt measurement shape (``measurements.schema.PER_ATTEMPT``).

Graded attempts only: an error attempt (the request never got an answer) is neither a success
nor a failure of the model, so it is counted apart and left out of the measurements.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.store import Run, Store
from inputs.safe_cells import neutralise
from tokenomics.errors import InputError

COLUMNS = (
    "label",
    "model",
    "provider",
    "task_id",
    "attempt",
    "success",
    "input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "output_tokens",
    "reasoning_tokens",
    "calls",
    "cost_usd",
    "latency_s",
    "timestamp",
)


@dataclass(frozen=True)
class Exported:
    text: str
    rows: int
    errors_left_out: int
    runs: tuple[str, ...]


def select_runs(store: Store, run_ids: Sequence[str] | None) -> list[Run]:
    """The runs asked for (all of them when none is named); an unknown id is an InputError."""
    if run_ids:
        return [store.run(r) for r in run_ids]
    runs = store.runs()
    if not runs:
        raise InputError("the store holds no runs", file=str(store.path), expected="a store written by measure/import")
    return runs


def rows(store: Store, run: Run) -> Iterator[dict[str, Any]]:
    """One per-attempt record per graded attempt of the run."""
    for a in store.attempts(run.run_id):
        if a.status != "ok":
            continue
        yield {
            "label": run.label,
            "model": run.model,
            "provider": run.provider,
            "task_id": a.task_id,
            "attempt": a.sample + 1,
            "success": a.success,
            "input_tokens": a.input_tokens,
            "cache_read_tokens": a.cache_read_tokens,
            "cache_write_tokens": a.cache_write_tokens,
            "output_tokens": a.output_tokens,
            "reasoning_tokens": a.reasoning_tokens,
            "calls": 1,
            "cost_usd": a.cost_usd,
            "latency_s": None if a.latency_s is None else round(a.latency_s, 6),
            "timestamp": a.timestamp,
        }


def export(store: Store, run_ids: Sequence[str] | None, fmt: str, *, for_spreadsheets: bool = True) -> Exported:
    """The selected runs as CSV (``fmt='csv'``) or JSONL text.

    CSV meant for people (a file) has formula-like text cells quoted (``inputs.safe_cells``);
    ``for_spreadsheets=False`` keeps the text as stored, for the measurement reader.
    """
    cell = neutralise if for_spreadsheets else _same
    runs = select_runs(store, run_ids)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writeheader()
    count = errors = 0
    for run in runs:
        errors += store.counts(run.run_id).errors
        for record in rows(store, run):
            count += 1
            if writer:
                writer.writerow(
                    {
                        k: "" if v is None else str(v).lower() if isinstance(v, bool) else cell(v)
                        for k, v in record.items()
                    }
                )
            else:
                buffer.write(json.dumps({k: v for k, v in record.items() if v is not None}) + "\n")
    if count == 0:
        raise InputError(
            "no graded attempts in the selected runs",
            file=str(store.path),
            expected="a run with at least one answered attempt",
        )
    return Exported(buffer.getvalue(), count, errors, tuple(r.run_id for r in runs))


def _same(value: object) -> object:
    return value


def format_for(path: str | Path) -> str:
    """``jsonl`` for .jsonl/.ndjson/.json names, else ``csv``."""
    return "jsonl" if str(path).lower().endswith((".jsonl", ".ndjson", ".json")) else "csv"


def read_store(path: str | Path, run_ids: Sequence[str] | None = None) -> str:
    """The runs of a store file as per-attempt CSV text (what ``read_measurements`` parses)."""
    with Store(path, write=False) as store:
        return export(store, run_ids, "csv", for_spreadsheets=False).text


@dataclass(frozen=True)
class RunSummary:
    """A run as a picker lists it."""

    run_id: str
    title: str


def list_runs(path: str | Path) -> list[RunSummary]:
    """The runs of a store file, newest first; none when the file does not exist or is no store."""
    if not Path(path).is_file():
        return []
    try:
        with Store(path, write=False) as store:
            runs = store.runs()
            counts = {r.run_id: store.counts(r.run_id) for r in runs}
    except InputError:
        return []
    return [
        RunSummary(
            r.run_id,
            f"{r.label} ({r.source}, {r.created_at[:16].replace('T', ' ')}, "
            f"{counts[r.run_id].successes}/{counts[r.run_id].graded} solved)",
        )
        for r in reversed(runs)
    ]
