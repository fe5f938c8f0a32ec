"""``python -m tokenomics import``: usage logs (OpenAI, OpenAI Batch, Anthropic, CSV) to measurements."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

from cli.common import read_text, write_atomically
from harness.importers import FORMATS, Imported, ImportOptions, import_log, parse_results
from harness.store import Attempt, Run, Store, new_run_id, now_iso, settings_json
from inputs.safe_cells import neutralise
from measurements.load import parse_measurements
from tokenomics.errors import InputError

OUT_COLUMNS: tuple[str, ...] = (
    "model",
    "provider",
    "task_id",
    "attempt",
    "success",
    "input_tokens",
    "cache_read_tokens",
)
OUT_COLUMNS += ("cache_write_tokens", "output_tokens", "reasoning_tokens", "cost_usd", "latency_s", "timestamp")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="turn a usage log into per-attempt measurements (a file or a stored run)")
    p.add_argument("log", metavar="FILE", help="the log: JSONL of responses, or CSV")
    p.add_argument("--format", dest="fmt", choices=FORMATS, required=True, help="what the log holds")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="FILE", help="write per-attempt CSV (or JSONL for .jsonl)")
    target.add_argument("--store", metavar="STORE", help="add one run per model to a store file")
    p.add_argument("--success-field", metavar="FIELD", help="field (dotted path) or CSV column holding success")
    p.add_argument("--results", metavar="FILE", help="separate CSV/JSONL of task_id,success")
    p.add_argument("--task-field", metavar="FIELD", help="dotted path of the task id (default: custom_id or id)")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=SOURCE",
        help="CSV: take a per-attempt column from another column, e.g. input_tokens=prompt_toks (repeatable)",
    )
    p.add_argument("--model", help="model for lines that do not name one")
    p.add_argument("--provider", help="genai-prices provider id of the model(s)")
    p.add_argument("--label", help="label in comparisons (default: the model)")
    p.add_argument("--skip-bad", action="store_true", help="leave malformed lines out instead of stopping")
    p.set_defaults(run=run_import)


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, source = pair.partition("=")
        if not sep or not column or not source:
            raise InputError(f"--map {pair!r} is not COLUMN=SOURCE", expected="e.g. --map input_tokens=prompt_toks")
        mapping[column.strip()] = source.strip()
    return mapping


def _records(imported: Imported, args: argparse.Namespace) -> list[dict]:
    out = []
    for record in imported.records:
        row = {**record}
        if args.provider:
            row["provider"] = args.provider
        if args.label:
            row["label"] = args.label
        out.append(row)
    return out


def _as_text(records: list[dict], fmt: str) -> str:
    columns = [*(["label"] if any("label" in r for r in records) else []), *OUT_COLUMNS]
    if fmt == "jsonl":
        return "".join(json.dumps({k: v for k, v in r.items() if v is not None}) + "\n" for r in records)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for r in records:
        writer.writerow(
            {k: "" if v is None else str(v).lower() if isinstance(v, bool) else neutralise(v) for k, v in r.items()}
        )
    return buffer.getvalue()


def _to_store(path: str, records: list[dict], source_name: str, args: argparse.Namespace) -> list[str]:
    by_model: dict[str, list[dict]] = {}
    for r in records:
        by_model.setdefault(r["model"], []).append(r)
    runs = []
    for model, rows in by_model.items():
        run = Run(
            run_id=new_run_id(),
            created_at=now_iso(),
            label=args.label or model,
            model=model,
            provider=args.provider or rows[0].get("provider"),
            base_url=None,
            tasks_path=source_name,
            tasks_sha256=None,
            task_count=len({r["task_id"] for r in rows}),
            samples=max(r["attempt"] for r in rows),
            source="import",
            settings=settings_json({"format": args.fmt}),
            finished_at=now_iso(),
        )
        attempts = [
            Attempt(
                task_id=r["task_id"],
                sample=r["attempt"] - 1,
                status="ok",
                success=r["success"],
                input_tokens=r.get("input_tokens"),
                cache_read_tokens=r.get("cache_read_tokens"),
                cache_write_tokens=r.get("cache_write_tokens"),
                output_tokens=r.get("output_tokens"),
                reasoning_tokens=r.get("reasoning_tokens"),
                cost_usd=r.get("cost_usd"),
                latency_s=r.get("latency_s"),
                ttft_s=None,
                tries=None,
                timestamp=r.get("timestamp") or now_iso(),
                error=None,
                reply=None,
            )
            for r in rows
        ]
        runs.append((run, attempts))
    with Store(path) as store:
        store.record_runs(runs)
    return [run.run_id for run, _ in runs]


def run_import(args: argparse.Namespace) -> str:
    results = parse_results(read_text(args.results), args.results) if args.results else None
    options = ImportOptions(
        fmt=args.fmt,
        success_field=args.success_field,
        results=results,
        task_field=args.task_field,
        mapping=_mapping(args.map),
        model=args.model,
        skip_bad=args.skip_bad,
    )
    imported = import_log(read_text(args.log), args.log, options)
    records = _records(imported, args)
    # Check the result with the measurement loader before anything is written.
    parse_measurements(_as_text(records, "csv").encode(), f"{args.log} (as imported)")
    if args.out:
        fmt = "jsonl" if args.out.lower().endswith((".jsonl", ".ndjson", ".json")) else "csv"
        write_atomically(Path(args.out), _as_text(records, fmt))
        where = args.out
    else:
        run_ids = _to_store(args.store, records, args.log, args)
        where = f"{args.store} as run(s) {', '.join(run_ids)}"
    lines = [f"imported {len(records)} attempts from {args.log} to {where}"]
    if imported.request_errors:
        lines.append(f"left out {imported.request_errors} failed request(s) recorded in the log (not model failures)")
    if imported.skipped:
        numbers = ", ".join(str(n) for n, _ in imported.skipped[:20])
        lines.append(f"skipped {len(imported.skipped)} malformed line(s) (--skip-bad): {numbers}")
    return "\n".join(lines)
