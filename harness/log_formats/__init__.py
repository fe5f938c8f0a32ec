"""Every import format, one module each, behind one function: inputs in, per-attempt rows out.

``import_sources`` reads the inputs in the format asked for, sums calls into attempts where the
format logs calls, settles the dataset and numbers the attempts (``harness.attempts``).
``detect`` recognises a file by its content, for the Compare page's upload; ``docs/import.md``
maps every format's fields to the per-attempt columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath
from typing import Any

from harness import importers
from harness.attempts import epoch, finish, group_calls, to_text
from harness.log_formats import eee, harbor, langfuse, litellm, openrouter, otlp, swebench
from harness.log_formats._read import Bad, Log, Source, csv_records, decode, is_csv, records
from harness.log_formats.options import LogOptions
from tokenomics.errors import InputError

DETECT_RECORDS = 5
"""Records looked at to recognise a file."""

Reader = Callable[[list[Source], LogOptions, Log], list[dict[str, Any]]]


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    read: Reader | None
    """None for the older formats read by ``harness.importers``."""
    calls: bool
    """Records are calls to sum into attempts (else one record is one attempt)."""
    native_success: bool
    """The format says whether an attempt succeeded (else --results or --success-field)."""


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("openai", "OpenAI chat completions", None, True, False),
        Format("openai-batch", "OpenAI Batch API output", None, True, False),
        Format("anthropic", "Anthropic Messages responses", None, True, False),
        Format("csv", "CSV of calls", None, True, False),
        Format("swebench", "SWE-bench leaderboards file", swebench.read, False, True),
        Format("eee", "Every Eval Ever instance-level file", eee.read, False, True),
        Format("harbor", "Harbor job results", harbor.read, False, True),
        Format("otlp", "OpenTelemetry GenAI traces, OTLP/JSON", otlp.read, True, False),
        Format("langfuse", "Langfuse observations export", langfuse.read, True, False),
        Format("litellm", "LiteLLM spend logs", litellm.read, True, False),
        Format("openrouter", "OpenRouter generation records", openrouter.read, True, False),
    )
}


@dataclass
class ImportResult:
    fmt: str
    records: list[dict[str, Any]]
    """Per-attempt rows (``harness.attempts.OUT_COLUMNS``), dataset included."""
    request_errors: int = 0
    skipped: list[tuple[str, int | None, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self, fmt: str = "csv") -> str:
        return to_text(self.records, fmt)


def _legacy(sources: list[Source], options: LogOptions, log: Log) -> list[dict[str, Any]]:
    """The older formats (one API response or CSV row per line), read by ``harness.importers``."""
    out: list[dict[str, Any]] = []
    for source in sources:
        legacy = importers.ImportOptions(
            fmt=options.fmt,
            success_field=options.success_field,
            results=options.results,
            task_field=options.task_field,
            group_field=options.group_by,
            mapping=options.mapping,
            model=options.model,
            skip_bad=options.skip_bad,
        )
        imported = importers.import_log(decode(source), source.name, legacy)
        log.request_errors += imported.request_errors
        for number, why in imported.skipped:
            log.bad.append((source.name, number, Bad(why)))
        for record in imported.records:
            record["_file"] = source.name
            record["_start"] = epoch(record.get("timestamp"))
            record.pop("attempt", None)
            if options.group_by:  # an attempt's time is its first call's, worked out from _start
                record.pop("timestamp", None)
            record.setdefault("_group", f"{source.name}:{record.get('_line')}")
        out.extend(imported.records)
    return out


def import_sources(sources: list[Source], options: LogOptions) -> ImportResult:
    """Read ``sources`` in ``options.fmt``; all-or-nothing unless ``options.skip_bad``."""
    fmt = FORMATS.get(options.fmt)
    if fmt is None:
        raise InputError(f"unknown import format {options.fmt!r}", expected=", ".join(FORMATS))
    if not sources:
        raise InputError("no input given", expected="one or more files")
    if not fmt.native_success and options.results is None and options.success_field is None and fmt.name != "csv":
        raise InputError(
            f"no source of success: {fmt.title} do not say whether a task was solved",
            expected="--results FILE (task_id,success) or --success-field FIELD",
        )
    if fmt.name == "otlp":
        otlp.check_source(sources)
    log = Log(skip_bad=options.skip_bad)
    if fmt.read is None:
        rows = _legacy(sources, options, log)
        attempts = group_calls(rows, None, None) if options.group_by else rows
    else:
        rows = fmt.read(sources, options, log)
        log.check()
        attempts = group_calls(rows, options.results, options.model) if fmt.calls else rows
        if options.model and not fmt.calls:
            for a in attempts:
                a["model"] = options.model
    if not attempts:
        raise InputError(
            "no attempts to import" + (f" ({log.request_errors} failed request(s) only)" if log.request_errors else ""),
            file=sources[0].name,
            expected=f"a {fmt.title.rstrip('s')} with usage",
        )
    out = finish(
        attempts,
        dataset=options.dataset,
        pick=options.pick_dataset,
        default_dataset=PurePath(sources[0].name.split(":")[0]).stem or fmt.name,
        label=options.label,
        provider=options.provider,
    )
    skipped = [(file, line, exc.message) for file, line, exc in log.bad]
    return ImportResult(fmt.name, out, log.request_errors, skipped, log.notes)


# ---- recognising a file ---------------------------------------------------------------------


def _kind(record: Any) -> str | None:
    if isinstance(record, dict) and isinstance(record.get("data"), list) and record["data"]:
        record = record["data"][0]
    if not isinstance(record, dict):
        return None
    if isinstance(record.get("leaderboards"), list):
        return "swebench"
    if otlp.is_otlp(record) or otlp.is_clickhouse(record):
        return "otlp"
    if {"schema_version", "evaluation_id", "sample_id"} <= record.keys() or eee.is_aggregate(record):
        return "eee"
    if harbor.is_trial(record) or harbor.is_job(record) or harbor.is_legacy_tb(record):
        return "harbor"
    if openrouter.is_generation(record):
        return "openrouter"
    if langfuse.is_observation(record):
        return "langfuse"
    if litellm.is_spend_log(record):
        return "litellm"
    return None


def detect(source: Source) -> str | None:
    """The import format a file is unambiguously in, or None (then it is read as measurements)."""
    if source.name.lower().endswith((".tar", ".tar.gz", ".tgz")) or source.data[:2] == b"\x1f\x8b":
        return "harbor"
    try:
        text = decode(source)
    except InputError:
        return None
    if is_csv(source, text):
        try:
            first = next(iter(csv_records(source, text)), None)
        except InputError:
            return None
        return _kind(first[1]) if first else None
    try:  # the first record that parses: a bad first line is the import's to report, not a reason to guess
        found = next((v for _, v in islice(records(source, text), DETECT_RECORDS) if not isinstance(v, Bad)), None)
    except InputError:
        return None
    if isinstance(found, list):
        found = found[0] if found else None
    return _kind(found)


def convert(source: Source, results: dict[str, bool] | None = None) -> ImportResult | None:
    """An upload in one of the import formats, converted with default options; None if it is not one."""
    fmt = detect(source)
    if fmt is None:
        return None
    if not FORMATS[fmt].native_success and results is None:
        raise InputError(
            f"this is {FORMATS[fmt].title}, which do not say whether a task was solved",
            file=source.name,
            expected=f"a results file (task_id,success) uploaded with it, or `tokenomics import --format {fmt} "
            "--results FILE`",
        )
    return import_sources([source], LogOptions(fmt, results=results))
