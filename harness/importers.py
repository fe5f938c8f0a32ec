"""Usage logs users already have, turned into per-attempt measurements.

Formats (one JSON object per line unless CSV):

- ``openai``: raw chat-completion responses (``usage.prompt_tokens`` ...).
- ``openai-batch``: OpenAI Batch API output (``custom_id``, ``response.body`` = a chat completion,
  or ``error``).
- ``anthropic``: Messages API responses (``usage.input_tokens``, ``cache_read_input_tokens``,
  ``cache_creation_input_tokens``), or Message Batches results (``custom_id``, ``result.message``).
- ``csv``: any CSV; ``mapping`` names the source column of each per-attempt column.

Success comes from a field of each line (``success_field``, a dotted path such as
``metadata.passed``) or from a separate results file mapping task ids to success. A line that
cannot be read is *malformed*: by default the import stops, naming every bad line (nothing is
written); with ``skip_bad`` those lines are left out and listed. A batch line that records a
failed request is not malformed: it is a request error, counted apart and left out like the
harness's own error attempts.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.usage import Usage, UsageError, anthropic_usage, openai_usage
from inputs import safe_csv
from inputs.limits import current
from inputs.safe_json import MAX_LINE_BYTES, lines, loads
from inputs.words import FALSE_WORDS, TRUE_WORDS
from tokenomics.errors import InputError
from tokenomics.units import TOKEN_COLUMNS

FORMATS = ("openai", "openai-batch", "anthropic", "csv")
CSV_COLUMNS = ("model", "provider", "task_id", "success", *TOKEN_COLUMNS, "cost_usd", "latency_s", "timestamp")
SHOWN_BAD_LINES = 5


@dataclass
class ImportOptions:
    fmt: str
    success_field: str | None = None
    results: dict[str, bool] | None = None
    """task id -> success, from a separate results file."""
    task_field: str | None = None
    """Dotted path of the task id in a JSON line (default: ``custom_id`` in batch files; a response's
    own ``id`` names one call, never a task, so plain responses need it named)."""
    group_field: str | None = None
    """Dotted path of a value shared by the calls of one attempt (they are then summed into one)."""
    mapping: dict[str, str] = field(default_factory=dict)
    """CSV only: per-attempt column -> source column (unmapped columns are looked up by their own name)."""
    model: str | None = None
    """Model for lines that do not name one."""
    skip_bad: bool = False


@dataclass
class Imported:
    records: list[dict[str, Any]]
    """Per-attempt records (``measurements.schema.PER_ATTEMPT`` columns)."""
    skipped: list[tuple[int, str]]
    """(line, reason) of malformed lines left out (``skip_bad``)."""
    request_errors: int
    """Lines recording a failed request (batch errors): not attempts of the model."""


class _Bad(Exception):
    """A malformed line; the message says what is wrong with it."""


class _RequestError(Exception):
    """A line that records a request that failed (not the model's failure)."""


def _get(data: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def to_bool(value: Any) -> bool | None:
    """A success flag as logs write it (JSON booleans, 1/0, yes/no, pass/fail); None if unclear.

    >>> to_bool(True), to_bool("PASS"), to_bool(0), to_bool("maybe")
    (True, True, False, None)
    """
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if value is not None else ""
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _timestamp(created: Any) -> str | None:
    if created is None:
        return None
    limits = current()
    if isinstance(created, int | float) and not isinstance(created, bool) and math.isfinite(created):
        # Compared as seconds before converting: datetime overflows on absurd values.
        first = datetime(limits.first_year, 1, 1, tzinfo=UTC).timestamp()
        last = datetime(limits.last_year, 12, 31, tzinfo=UTC).timestamp()
        if first <= created <= last:
            return datetime.fromtimestamp(created, tz=UTC).isoformat().replace("+00:00", "Z")
    raise _Bad(f"'created' is not a Unix time between {limits.first_year} and {limits.last_year}")


def _usage_fields(usage: Usage) -> dict[str, Any]:
    return {
        "input_tokens": usage.input_tokens,
        "cache_read_tokens": usage.cache_read_tokens,
        "cache_write_tokens": usage.cache_write_tokens,
        "output_tokens": usage.output_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
        "cost_usd": usage.cost_usd,
    }


class _Reader:
    """Turns one parsed line into a record; raises _Bad or _RequestError."""

    def __init__(self, options: ImportOptions) -> None:
        self.o = options

    def _success(self, line: dict[str, Any], task_id: str) -> bool:
        if self.o.results is not None:
            if task_id not in self.o.results:
                raise _Bad(f"task {task_id!r} is not in the results file")
            return self.o.results[task_id]
        assert self.o.success_field is not None
        value = to_bool(_get(line, self.o.success_field))
        if value is None:
            raise _Bad(f"'{self.o.success_field}' is missing or not a yes/no value")
        return value

    def _task_id(self, line: dict[str, Any], default_field: str | None) -> str:
        path = self.o.task_field or default_field
        if path is None:
            raise _Bad("no task id: name the field or metadata key holding it with --task-field")
        value = _get(line, path)
        if value is None or value == "":
            raise _Bad(f"no task id at '{path}'")
        return str(value)

    def _record(self, line: dict[str, Any], body: dict[str, Any], usage: Usage | None, task_field: str | None) -> dict:
        if usage is None or usage.input_tokens is None or usage.output_tokens is None:
            raise _Bad("no usage block with input and output token counts")
        model = body.get("model") or self.o.model
        if not model:
            raise _Bad("no model in the response (give one with --model)")
        task_id = self._task_id(line, task_field)
        record = {
            "model": str(model),
            "task_id": task_id,
            "success": self._success(line, task_id),
            **_usage_fields(usage),
            "calls": 1,
            "timestamp": _timestamp(body.get("created")),
        }
        if self.o.group_field:
            group = _get(line, self.o.group_field)
            if group is None or group == "":
                raise _Bad(f"no attempt key at '{self.o.group_field}'")
            record["_group"] = str(group)
        return record

    def openai(self, line: dict[str, Any]) -> dict:
        return self._record(line, line, openai_usage(line), None)

    def openai_batch(self, line: dict[str, Any]) -> dict:
        response = line.get("response")
        if line.get("error") or not isinstance(response, dict) or response.get("status_code") != 200:
            raise _RequestError
        body = response.get("body")
        if not isinstance(body, dict):
            raise _Bad("response.body is not a JSON object")
        return self._record(line, body, openai_usage(body), "custom_id")

    def anthropic(self, line: dict[str, Any]) -> dict:
        if "result" in line:  # a Message Batches result line
            result = line["result"]
            if not isinstance(result, dict) or result.get("type") != "succeeded":
                raise _RequestError
            body = result.get("message")
            if not isinstance(body, dict):
                raise _Bad("result.message is not a JSON object")
            return self._record(line, body, anthropic_usage(body), "custom_id")
        return self._record(line, line, anthropic_usage(line), None)


def _json_lines(text: str) -> Iterator[tuple[int, Any]]:
    for number, raw in lines(text):
        if not raw.strip():
            continue
        try:
            yield number, loads(raw, "", max_chars=MAX_LINE_BYTES)
        except InputError as exc:
            yield number, _Bad(exc.message)


def _count(value: str | None, column: str, whole: bool) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise _Bad(f"column '{column}': not a number ({value[:40]!r})") from None
    if not math.isfinite(number) or number < 0:
        raise _Bad(f"column '{column}': not a non-negative finite number ({value[:40]!r})")
    if whole and number != int(number):
        raise _Bad(f"column '{column}': not a whole number of tokens ({value[:40]!r})")
    bound = current().max_tokens_per_attempt
    if whole and number > bound:
        raise _Bad(f"column '{column}': more than {bound:g} tokens per attempt ({value[:40]!r})")
    return number


def _csv_rows(text: str, options: ImportOptions, name: str) -> Iterator[tuple[int, dict | Exception]]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    source = {col: options.mapping.get(col, col) for col in CSV_COLUMNS}
    for col, src in options.mapping.items():
        if col not in CSV_COLUMNS:
            raise InputError(f"--map names an unknown column {col!r}", expected="one of " + ", ".join(CSV_COLUMNS))
        if src not in header:
            raise InputError(f"no column {src!r} to map to {col}", file=name, line=1, expected=", ".join(header))
    success_src = options.success_field or source["success"]
    needed = [source["task_id"]] + ([] if options.results is not None else [success_src])
    needed += [] if options.model else [source["model"]]
    for src in needed:
        if src not in header:
            raise InputError(f"missing column {src!r}", file=name, line=1, expected="map it with --map COLUMN=SOURCE")
    last = 1
    for row in reader:
        number, last = last + 1, reader.line_num
        if not any((v or "").strip() for v in row.values()):
            continue
        try:
            task_id = (row.get(source["task_id"]) or "").strip()
            if not task_id:
                raise _Bad(f"column '{source['task_id']}': empty task id")
            if options.results is not None:
                if task_id not in options.results:
                    raise _Bad(f"task {task_id!r} is not in the results file")
                success: bool | None = options.results[task_id]
            else:
                success = to_bool(row.get(success_src))
                if success is None:
                    raise _Bad(f"column '{success_src}': not a yes/no value ({row.get(success_src)!r})")
            record: dict[str, Any] = {
                "model": (row.get(source["model"]) or "").strip() or options.model,
                "task_id": task_id,
                "success": success,
            }
            if (row.get(source["provider"]) or "").strip():
                record["provider"] = row[source["provider"]].strip()
            for col in (*TOKEN_COLUMNS, "cost_usd", "latency_s"):
                if source[col] in row:
                    value = _count(row[source[col]], source[col], col in TOKEN_COLUMNS)
                    record[col] = int(value) if value is not None and col in TOKEN_COLUMNS else value
            if (row.get(source["timestamp"]) or "").strip():
                record["timestamp"] = row[source["timestamp"]].strip()
            if options.group_field:
                if not (row.get(options.group_field) or "").strip():
                    raise _Bad(f"column '{options.group_field}': no attempt key")
                record["_group"] = row[options.group_field].strip()
            yield number, record
        except _Bad as exc:
            yield number, exc


def _csv_guarded(rows: Iterator[tuple[int, Any]], name: str) -> Iterator[tuple[int, Any]]:
    """The rows, with the csv module's errors (a field past the size limit...) as one clean InputError."""
    try:
        yield from rows
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", file=name) from None


def parse_results(text: str, name: str) -> dict[str, bool]:
    """A results file: CSV or JSONL with ``task_id`` and ``success`` per row."""
    results: dict[str, bool] = {}
    lines_of: dict[str, int] = {}
    if name.lower().endswith((".jsonl", ".ndjson", ".json")):
        rows: Iterator[tuple[int, Any]] = _json_lines(text)
    else:
        safe_csv.check_line_lengths(text, name)
        reader = csv.DictReader(io.StringIO(text))
        rows = _csv_guarded(((i, row) for i, row in enumerate(reader, start=2)), name)
    for number, row in rows:
        if not isinstance(row, dict) or "task_id" not in row or "success" not in row:
            raise InputError("not a row with task_id and success", file=name, line=number, expected="task_id,success")
        success = to_bool(row["success"])
        if success is None:
            raise InputError(
                "not a yes/no value",
                file=name,
                line=number,
                column="success",
                found=row["success"],
                expected="true/false",
            )
        task_id = str(row["task_id"])
        if task_id in results:
            raise InputError(
                f"the same task twice (first on line {lines_of[task_id]})",
                file=name,
                line=number,
                column="task_id",
                found=task_id,
                expected="one result per task",
            )
        results[task_id], lines_of[task_id] = success, number
    if not results:
        raise InputError("no results in the file", file=name, expected="a header task_id,success and rows")
    return results


def import_log(text: str, name: str, options: ImportOptions) -> Imported:
    """Read a whole log; all-or-nothing unless ``options.skip_bad``."""
    if options.fmt not in FORMATS:
        raise InputError(f"unknown log format {options.fmt!r}", expected=", ".join(FORMATS))
    if options.results is None and options.success_field is None and options.fmt != "csv":
        raise InputError(
            "no source of success: give --success-field FIELD or --results FILE",
            file=name,
            expected="a field of each line, or a file of task_id,success",
        )
    if options.fmt == "openai" and not options.task_field:
        raise InputError(
            "no task id: a response's id names one call, not a task",
            file=name,
            expected="--task-field FIELD naming the field or metadata key that holds the task id",
        )
    reader = _Reader(options)
    parse: Callable[[dict[str, Any]], dict] = {
        "openai": reader.openai,
        "openai-batch": reader.openai_batch,
        "anthropic": reader.anthropic,
    }.get(options.fmt, lambda line: line)
    if options.fmt == "csv":
        safe_csv.check_line_lengths(text, name)
        rows = _csv_guarded(_csv_rows(text, options, name), name)
    else:
        rows = _json_lines(text)
    records: list[dict[str, Any]] = []
    bad: list[tuple[int, str]] = []
    request_errors = 0
    for number, item in rows:
        try:
            if isinstance(item, Exception):
                raise item
            if not isinstance(item, dict):
                raise _Bad("not a JSON object")
            records.append({**parse(item), "_line": number})
        except (_Bad, UsageError) as exc:
            bad.append((number, str(exc)))
        except _RequestError:
            request_errors += 1
    if bad and not options.skip_bad:
        listed = "; ".join(f"line {n}: {why}" for n, why in bad[:SHOWN_BAD_LINES])
        more = f" and {len(bad) - SHOWN_BAD_LINES} more" if len(bad) > SHOWN_BAD_LINES else ""
        raise InputError(
            f"{len(bad)} malformed line(s), nothing imported: {listed}{more}",
            file=name,
            line=bad[0][0],
            expected="fix them, or pass --skip-bad to import the rest",
        )
    if not records:
        raise InputError("no attempts to import", file=name, expected=f"{options.fmt} lines with usage")
    tries: Counter[tuple[str, str]] = Counter()
    for record in records:
        tries[(record["model"], record["task_id"])] += 1
        record["attempt"] = tries[(record["model"], record["task_id"])]
    return Imported(records, bad, request_errors)
