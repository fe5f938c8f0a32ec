"""Calls summed into task attempts, attempts numbered, datasets kept apart, rows written out.

Every importer ends here. A *call* is one API request read from a log; an *attempt* is one try
at one task, which may take many calls. Records are plain dicts with the per-attempt columns
(``measurements.schema.PER_ATTEMPT`` plus ``dataset``) and a few private keys an importer fills
to say where a row came from and when it ran:

- ``_file``, ``_line``: where the record was read (errors name them);
- ``_group``: calls with the same task and the same group value form one attempt;
- ``_start``, ``_end``: epoch seconds of the call (or attempt), when known.

Unknown is never zero: an attempt whose calls do not all report input and output tokens has no
token counts at all (its observed cost, if every call has one, is used instead), and a cost is
known only when every call reports one.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from inputs.safe_cells import neutralise
from tokenomics.errors import InputError
from tokenomics.units import TOKEN_COLUMNS

WHOLE_COLUMNS = ("input_tokens", "output_tokens")
PART_COLUMNS = tuple(c for c in TOKEN_COLUMNS if c not in WHOLE_COLUMNS)
OUT_COLUMNS: tuple[str, ...] = (
    "label",
    "model",
    "provider",
    "dataset",
    "task_id",
    "attempt",
    "success",
    *TOKEN_COLUMNS,
    "calls",
    "cost_usd",
    "latency_s",
    "timestamp",
)
ALWAYS_WRITTEN = ("model", "dataset", "task_id", "attempt", "success")
COST_DIGITS = 10
"""Sums of float dollars are rounded here, so 0.0123 + 0.0045 is written as 0.0168."""


def iso(seconds: float | None) -> str | None:
    """Epoch seconds as ISO 8601 UTC, whole seconds without a fraction.

    >>> iso(1767261600.0), iso(1767261600.25), iso(None)
    ('2026-01-01T10:00:00Z', '2026-01-01T10:00:00.250000Z', None)
    """
    if seconds is None or not math.isfinite(seconds):
        return None
    text = datetime.fromtimestamp(seconds, tz=UTC).isoformat().replace("+00:00", "Z")
    return text.replace(".000000Z", "Z")


def epoch(text: Any) -> float | None:
    """An ISO 8601 time (``Z`` or an offset; naive means UTC) as epoch seconds; None if not one."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _where(record: Mapping[str, Any]) -> tuple[str | None, int | None]:
    return record.get("_file"), record.get("_line")


def group_calls(
    calls: list[dict[str, Any]], results: Mapping[str, bool] | None = None, model: str | None = None
) -> list[dict[str, Any]]:
    """Sum the calls of each attempt (same dataset, task and ``_group``) into one record.

    ``calls`` holds one record per API request (``calls`` 1, or unknown for a record that sums an
    agent's calls), summed like the token counts. Success comes from ``results`` (looked up by
    the group value, then by the task id) or else from the calls' own ``success`` values, which
    must agree. ``model`` overrides the
    model of every call; otherwise an attempt whose calls name two models is refused (one
    attempt, one model to price).
    """
    if not calls:
        return []
    frame = pd.DataFrame.from_records(calls)
    for col in ("dataset", "provider", "label", "success", "_start", "_end", "cost_usd", "latency_s", *TOKEN_COLUMNS):
        if col not in frame.columns:
            frame[col] = None
    if "calls" not in frame.columns:
        frame["calls"] = 1
    if model:
        frame["model"] = model
    frame["_group"] = frame["_group"].astype(str)
    frame["dataset"] = frame["dataset"].astype(object).where(frame["dataset"].notna(), "")
    keys = ["dataset", "task_id", "_group"]
    grouped = frame.groupby(keys, sort=False)

    models = grouped["model"].nunique()
    if (models > 1).any():
        key = models[models > 1].index[0]
        rows = frame[(frame["dataset"] == key[0]) & (frame["task_id"] == key[1]) & (frame["_group"] == key[2])]
        names = sorted(set(rows["model"]))
        first = rows.iloc[0]
        raise InputError(
            f"attempt {key[2]!r} of task {key[1]!r} calls {len(names)} models ({', '.join(names[:4])})",
            file=first["_file"],
            line=int(first["_line"]),
            column="model",
            column_word="field",
            expected="one model per attempt (give --model NAME to price them all as one model)",
        )

    size = grouped.size()
    out = grouped.agg(
        model=("model", "first"),
        provider=("provider", "first"),
        label=("label", "first"),
        _file=("_file", "first"),
        _line=("_line", "min"),
        _start=("_start", "min"),
        _end=("_end", "max"),
    )
    for col in (*TOKEN_COLUMNS, "calls", "cost_usd"):
        values = pd.to_numeric(frame[col], errors="coerce")
        sums = values.groupby([frame[k] for k in keys], sort=False).sum(min_count=1)
        known = values.notna().groupby([frame[k] for k in keys], sort=False).sum()
        out[col] = sums if col in PART_COLUMNS else sums.where(known == size)
    # Without both wholes the parts cannot be priced either: the attempt's tokens are unknown.
    unknown = out["input_tokens"].isna() | out["output_tokens"].isna()
    for col in TOKEN_COLUMNS:
        out.loc[unknown, col] = math.nan
    single_latency = pd.to_numeric(frame["latency_s"], errors="coerce").groupby([frame[k] for k in keys]).max()
    span = out["_end"].astype(float) - out["_start"].astype(float)
    out["latency_s"] = span.where(span.notna(), single_latency.where(size == 1))

    success = frame["success"].map(lambda v: bool(v) if isinstance(v, bool | np.bool_) else None)
    out["_success"] = success.groupby([frame[k] for k in keys], sort=False).agg(_agree)
    records = [
        {str(k): (None if _missing(v) else v) for k, v in row.items()} for row in out.reset_index().to_dict("records")
    ]
    for record in records:
        record["success"] = _success_of(record, results)
        del record["_success"]
    return records


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _agree(values: pd.Series) -> object:
    found = {v for v in values if isinstance(v, bool)}
    if len(found) > 1:
        return "conflict"
    return found.pop() if found else None


def _success_of(record: dict[str, Any], results: Mapping[str, bool] | None) -> bool:
    file, line = _where(record)
    if results is not None:
        for key in (record["_group"], record["task_id"]):
            if key in results:
                return results[key]
        raise InputError(
            f"neither attempt {record['_group']!r} nor task {record['task_id']!r} is in the results file",
            file=file,
            line=line,
            expected="a results row (task_id,success) for every task or attempt",
        )
    value = record["_success"]
    if value == "conflict":
        raise InputError(
            f"the calls of attempt {record['_group']!r} disagree on success",
            file=file,
            line=line,
            column="success",
            column_word="field",
            expected="one success value per attempt",
        )
    if value is None:
        raise InputError(
            f"no success value for attempt {record['_group']!r} of task {record['task_id']!r}",
            file=file,
            line=line,
            column="success",
            column_word="field",
            expected="a yes/no value on one of its calls (--success-field), or --results FILE",
        )
    return bool(value)


def finish(
    attempts: list[dict[str, Any]],
    *,
    dataset: str | None = None,
    pick: str | None = None,
    default_dataset: str,
    label: str | None = None,
    provider: str | None = None,
) -> list[dict[str, Any]]:
    """Datasets settled, attempts numbered, times written: the rows an import outputs.

    ``dataset`` names the dataset of every row (several of the input's own datasets are then
    pooled on purpose, their task ids prefixed with the dataset they came from); ``pick`` keeps
    the rows of one of the input's datasets. Otherwise rows carry their own dataset (or
    ``default_dataset``), and an input holding several is refused: a comparison would pool them.
    """
    for a in attempts:
        a["dataset"] = a.get("dataset") or default_dataset
    if pick is not None:
        names = sorted({a["dataset"] for a in attempts})
        attempts = [a for a in attempts if a["dataset"] == pick]
        if not attempts:
            raise InputError(
                f"no dataset {pick!r} in the input", expected="one of: " + (", ".join(names[:20]) or "(none)")
            )
    names = sorted({a["dataset"] for a in attempts})
    if dataset is not None:
        if len(names) > 1:
            for a in attempts:
                a["task_id"] = f"{a['dataset']}/{a['task_id']}"
        for a in attempts:
            a["dataset"] = dataset
    elif len(names) > 1:
        shown = ", ".join(repr(n) for n in names[:5]) + (" ..." if len(names) > 5 else "")
        raise InputError(
            f"the input holds {len(names)} datasets ({shown}); one comparison would pool them",
            expected="one with --pick-dataset NAME, or all under one name with --dataset NAME",
        )
    for a in attempts:
        if label:
            a["label"] = label
        if provider:
            a["provider"] = provider
        if not a.get("timestamp"):
            a["timestamp"] = iso(a.get("_start"))
    _number(attempts)
    return [{k: v for k, v in a.items() if not k.startswith("_")} for a in sorted(attempts, key=_order)]


def _order(a: dict[str, Any]) -> tuple[float, str, int]:
    """When the attempt ran, then where it was read: archives and folders list files in any order."""
    start = a.get("_start")
    return (start if start is not None else math.inf, str(a.get("_file") or ""), int(a.get("_line") or 0))


def _number(attempts: list[dict[str, Any]]) -> None:
    """Attempt numbers per (label, task) in the order the attempts ran (then as read)."""
    if attempts and all(isinstance(a.get("attempt"), int) for a in attempts):
        seen: dict[tuple[Any, ...], dict[str, Any]] = {}
        for a in attempts:
            key = (a.get("label") or a["model"], a["task_id"], a["attempt"])
            if key in seen:
                raise InputError(
                    f"attempt {a['attempt']} of task {a['task_id']!r} appears twice "
                    f"(also at line {seen[key].get('_line')})",
                    file=a.get("_file"),
                    line=a.get("_line"),
                    column="attempt",
                    column_word="field",
                    expected="each attempt once",
                )
            seen[key] = a
        return
    counts: dict[tuple[Any, ...], int] = {}
    for a in sorted(attempts, key=_order):
        task = (a.get("label") or a["model"], a["task_id"])
        counts[task] = counts.get(task, 0) + 1
        a["attempt"] = counts[task]


def _cell(column: str, value: Any) -> Any:
    if _missing(value):
        return None
    if column in TOKEN_COLUMNS or column in ("calls", "attempt"):
        return int(value)
    if column == "cost_usd":
        return round(float(value), COST_DIGITS)
    if column == "latency_s":
        return round(float(value), 6)
    return value


def to_text(records: Iterable[Mapping[str, Any]], fmt: str) -> str:
    """Per-attempt CSV (or JSON Lines with ``fmt="jsonl"``) that ``tokenomics compare`` reads.

    Columns no row fills are left out; a missing value is an empty cell (absent in JSONL). CSV
    text cells that a spreadsheet would run as a formula are quoted (``inputs.safe_cells``).
    """
    rows = [{c: _cell(c, r.get(c)) for c in OUT_COLUMNS} for r in records]
    columns = [c for c in OUT_COLUMNS if c in ALWAYS_WRITTEN or any(r[c] is not None for r in rows)]
    if fmt == "jsonl":
        return "".join(json.dumps({c: r[c] for c in columns if r[c] is not None}) + "\n" for r in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(
            ["" if r[c] is None else str(r[c]).lower() if isinstance(r[c], bool) else neutralise(r[c]) for c in columns]
        )
    return buffer.getvalue()
