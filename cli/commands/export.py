"""``python -m tokenomics export``: stored runs to a per-attempt CSV or JSONL file."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import write_atomically
from harness.export import export, format_for
from harness.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write stored runs as per-attempt measurements (CSV or JSONL)")
    p.add_argument("--store", required=True, metavar="STORE", help="store file written by measure or import")
    p.add_argument(
        "--run", dest="runs", action="append", metavar="RUN_ID", help="run to export (repeatable; default: all)"
    )
    p.add_argument("--out", required=True, metavar="FILE", help="output file; .jsonl for JSONL, else CSV")
    p.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> str:
    out = Path(args.out)
    with Store(args.store, write=False) as store:
        result = export(store, args.runs, format_for(out))
    write_atomically(out, result.text)
    text = f"wrote {result.rows} attempts of {len(result.runs)} run(s) to {out}"
    if result.errors_left_out:
        text += f" ({result.errors_left_out} request errors left out: they are not model failures)"
    return text
