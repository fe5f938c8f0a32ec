"""``tokenomics import``: usage logs and published per-task results to per-attempt measurements.

Formats and their field mappings: docs/import.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import write_atomically
from harness.importers import parse_results
from harness.log_formats import FORMATS, ImportResult, LogOptions, import_sources
from harness.log_formats._read import Source
from harness.store import Attempt, Run, Store, new_run_id, now_iso, settings_json
from measurements.load import parse_measurements
from tokenomics.errors import InputError

STORE_FORMATS = ("openai", "openai-batch", "anthropic", "csv")
MAX_FOLDER_FILES = 200_000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="turn usage logs or published per-task results into per-attempt measurements",
        description="Formats: "
        + "; ".join(f"{name}: {f.title}" for name, f in FORMATS.items())
        + ". Field mappings: docs/import.md.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="the files (harbor: a job folder or its .tar/.tar.gz)")
    p.add_argument("--format", dest="fmt", choices=list(FORMATS), required=True, help="what the inputs hold")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="FILE", help="write per-attempt CSV (or JSONL for .jsonl)")
    target.add_argument(
        "--store", metavar="STORE", help="add one run per model to a store file (openai, anthropic, csv)"
    )
    p.add_argument("--success-field", metavar="FIELD", help="field (dotted path) or column holding success")
    p.add_argument("--results", metavar="FILE", help="separate CSV/JSONL of task_id,success (task or attempt key)")
    p.add_argument("--task-field", metavar="FIELD", help="field, metadata key or attribute holding the task id")
    p.add_argument(
        "--group-by",
        metavar="FIELD",
        help="calls sharing this field's value form one attempt (default: otlp trace, langfuse traceId, "
        "litellm/openrouter session_id; openai/anthropic: each call its own attempt)",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=SOURCE",
        help="CSV: take a per-attempt column from another column, e.g. input_tokens=prompt_toks (repeatable)",
    )
    p.add_argument("--model", help="model for lines that do not name one (or for every attempt)")
    p.add_argument("--provider", help="genai-prices provider id of the model(s)")
    p.add_argument("--label", help="label in comparisons (default: the model)")
    p.add_argument("--dataset", metavar="NAME", help="dataset name of every row (default: the format's own)")
    p.add_argument("--pick-dataset", metavar="NAME", help="keep only this dataset of the input's")
    p.add_argument("--leaderboard", metavar="NAME", help="swebench: the leaderboard (bash-only, Verified...)")
    p.add_argument("--metric", metavar="ID", help="eee: the evaluation_result_id to import")
    p.add_argument("--reward-key", metavar="NAME", help="harbor: the reward to read when there are several")
    p.add_argument(
        "--reward-threshold",
        type=float,
        default=1.0,
        metavar="X",
        help="harbor: a trial succeeds when its reward is at least X (default 1)",
    )
    p.add_argument("--skip-bad", action="store_true", help="leave malformed lines out instead of stopping")
    p.set_defaults(run=run_import)


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=path) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=path, expected="a UTF-8 file") from None


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=str(path)) from None


def sources(paths: list[str], fmt: str) -> list[Source]:
    """The inputs as named; a folder (harbor) gives its ``result.json`` files, in path order."""
    out: list[Source] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            if fmt != "harbor":
                raise InputError("a folder", file=name, expected="a file (only --format harbor reads a job folder)")
            found = sorted(path.rglob("result.json"))
            if len(found) > MAX_FOLDER_FILES:
                raise InputError("too many result.json files", file=name, expected=f"at most {MAX_FOLDER_FILES:,}")
            if not found:
                raise InputError("no result.json in the folder", file=name, expected="a Harbor job folder")
            out.extend(Source(str(f), _bytes(f)) for f in found)
        else:
            out.append(Source(name, _bytes(path)))
    return out


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, source = pair.partition("=")
        if not sep or not column or not source:
            raise InputError(f"--map {pair!r} is not COLUMN=SOURCE", expected="e.g. --map input_tokens=prompt_toks")
        mapping[column.strip()] = source.strip()
    return mapping


def _to_store(path: str, records: list[dict], source_name: str, args: argparse.Namespace) -> list[str]:
    summed = [r for r in records if (r.get("calls") or 1) != 1]
    if summed:
        raise InputError(
            f"attempt {summed[0]['attempt']} of task {summed[0]['task_id']!r} sums {summed[0]['calls']} calls",
            file=path,
            expected="one call per attempt in a store; write the attempts with --out instead",
        )
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
            settings=settings_json({"format": args.fmt, "dataset": rows[0].get("dataset")}),
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
    if args.store and args.fmt not in STORE_FORMATS:
        raise InputError(
            f"--store takes {', '.join(STORE_FORMATS)} only", expected=f"--out FILE for --format {args.fmt}"
        )
    results = parse_results(_read(args.results), args.results) if args.results else None
    options = LogOptions(
        fmt=args.fmt,
        task_field=args.task_field,
        group_by=args.group_by,
        success_field=args.success_field,
        results=results,
        model=args.model,
        provider=args.provider,
        label=args.label,
        dataset=args.dataset,
        pick_dataset=args.pick_dataset,
        leaderboard=args.leaderboard,
        metric=args.metric,
        reward_key=args.reward_key,
        reward_threshold=args.reward_threshold,
        mapping=_mapping(args.map),
        skip_bad=args.skip_bad,
    )
    imported = import_sources(sources(args.inputs, args.fmt), options)
    # Check the result with the measurement loader before anything is written.
    parse_measurements(imported.text("csv").encode(), f"{args.inputs[0]} (as imported)")
    if args.out:
        fmt = "jsonl" if args.out.lower().endswith((".jsonl", ".ndjson", ".json")) else "csv"
        write_atomically(Path(args.out), imported.text(fmt))
        where = args.out
    else:
        run_ids = _to_store(args.store, imported.records, args.inputs[0], args)
        where = f"{args.store} as run(s) {', '.join(run_ids)}"
    return "\n".join(
        summary(imported, ", ".join(args.inputs) if len(args.inputs) < 4 else args.inputs[0] + "...", where)
    )


def summary(imported: ImportResult, origin: str, where: str) -> list[str]:
    records = imported.records
    datasets = sorted({r["dataset"] for r in records})
    tasks = len({r["task_id"] for r in records})
    lines = [
        f"imported {len(records)} attempt(s) on {tasks} task(s) (dataset {', '.join(datasets)}) "
        f"from {origin} ({FORMATS[imported.fmt].title}) to {where}"
    ]
    if imported.request_errors:
        lines.append(f"left out {imported.request_errors} failed request(s) recorded in the log (not model failures)")
    if imported.skipped:
        one_file = len({f for f, _, _ in imported.skipped}) == 1
        numbers = ", ".join(
            str(n) if one_file and n else f"{Path(f).name}:{n}" if n else Path(f).name
            for f, n, _ in imported.skipped[:20]
        )
        lines.append(f"skipped {len(imported.skipped)} malformed record(s) (--skip-bad): {numbers}")
    lines.extend(f"note: {note}" for note in imported.notes)
    return lines
