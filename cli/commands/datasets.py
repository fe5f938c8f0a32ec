"""``tokenomics datasets``: the bundled datasets (never pooled with one another)."""

from __future__ import annotations

import argparse

from inputs.datasets import registry_frame
from inputs.safe_cells import csv_text
from reports.tables import frame_to_json

COLUMNS = ["id", "name", "unit", "rows", "models", "licence", "source"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("datasets", help="list the bundled datasets: what a row is, rows, models, licence, source")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(run=run_datasets)


def run_datasets(args: argparse.Namespace) -> str:
    frame = registry_frame()
    shown = frame[[*COLUMNS, "kind", "as_of", "file"]]
    if args.format == "csv":
        return csv_text(shown)
    if args.format == "json":
        return frame_to_json(shown)
    return (
        frame[["id", "kind", "rows", "models", "licence", "unit"]].to_string(index=False)
        + "\n\n"
        + "\n".join(f"{r.id}: {r.name}; source {r.source} (as of {r.as_of})" for r in frame.itertuples())
    )
