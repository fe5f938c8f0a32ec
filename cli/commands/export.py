"""``python -m tokenomics export``: stored runs to a per-attempt CSV or JSONL file, or any per-attempt
measurements to Every Eval Ever instance-level JSON Lines (``--format eee``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import read_frames, write_atomically
from harness.export import export, format_for, read_store
from harness.log_formats.eee import to_eee
from harness.store import Store
from measurements.load import parse_measurements
from tokenomics.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write stored runs as per-attempt measurements, or any measurements as Every Eval Ever JSONL",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--store", metavar="STORE", help="store file written by measure or import")
    source.add_argument(
        "--measurements", action="append", metavar="FILE", help="per-attempt CSV/JSONL (repeatable; --format eee)"
    )
    p.add_argument(
        "--run", dest="runs", action="append", metavar="RUN_ID", help="run to export (repeatable; default: all)"
    )
    p.add_argument(
        "--format",
        dest="fmt",
        choices=["measurements", "eee"],
        default="measurements",
        help="measurements: per-attempt CSV/JSONL (by --out's extension); eee: Every Eval Ever 0.3.0 samples JSONL",
    )
    p.add_argument("--dataset", metavar="NAME", help="eee: evaluation name (default: each row's dataset)")
    p.add_argument("--out", required=True, metavar="FILE", help="output file; .jsonl for JSONL, else CSV")
    p.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> str:
    out = Path(args.out)
    if args.fmt == "eee":
        return _eee(args, out)
    if args.measurements:
        raise InputError("--measurements is exported with --format eee", expected="--store STORE, or --format eee")
    with Store(args.store, write=False) as store:
        result = export(store, args.runs, format_for(out))
    write_atomically(out, result.text)
    text = f"wrote {result.rows} attempts of {len(result.runs)} run(s) to {out}"
    if result.errors_left_out:
        text += f" ({result.errors_left_out} request errors left out: they are not model failures)"
    return text


def _eee(args: argparse.Namespace, out: Path) -> str:
    if args.store:
        frame = parse_measurements(read_store(args.store, args.runs).encode(), args.store).frame
    else:
        frame = read_frames(args.measurements)
    aggregated = frame["task_id"].isna()
    if aggregated.any():
        row = frame[aggregated].iloc[0]
        raise InputError(
            "a row per run has no task attempts to write at instance level",
            file=str(row["source"]),
            line=int(row["line"]),
            expected="per-attempt measurements (model, task_id, success...)",
        )
    write_atomically(out, to_eee(frame, args.dataset))
    labels = frame["label"].nunique()
    return f"wrote {len(frame)} attempts of {labels} model(s) to {out} (Every Eval Ever instance-level, schema 0.3.0)"
