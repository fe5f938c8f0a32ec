"""``tokenomics findings``: each Chinese open-weight model against a Western reference, per dataset."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import pandas as pd

from cli.common import price_sources
from inputs.datasets import dataset_info, dataset_path, measurement_datasets
from measurements.load import read_measurements
from pricing.findings import dataset_findings
from reports.findings import findings_csv, findings_json, findings_table
from tokenomics.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "findings",
        help="each Chinese open-weight model against a Western reference: per-token vs per-solved-task discount",
    )
    p.add_argument("--dataset", action="append", metavar="ID", help="bundled dataset id (repeatable; default: all)")
    p.add_argument(
        "--reference",
        action="append",
        metavar="MODEL",
        help="reference model (repeatable; default: the Western model closest in success rate and the cheapest "
        "Western model on the Pareto frontier)",
    )
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument(
        "--sort",
        choices=["cost", "discount", "model", "input"],
        default="cost",
        help="row order within each dataset: the model's cost per solved task (default, cheapest first), its "
        "discount per solved task, model, or the order computed",
    )
    p.add_argument("--haircut", action="store_true", help="apply the AIME 2024 vs 2025 fresh-data haircut presets")
    p.add_argument(
        "--prices",
        choices=["run-date", "today"],
        default="run-date",
        help="price each run at its own date (default) or every run at today's prices",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the task bootstrap (default 0)")
    p.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    p.set_defaults(run=run_findings)


def run_findings(args: argparse.Namespace) -> str:
    ids = args.dataset or [d.id for d in measurement_datasets()]
    for dataset_id in ids:
        dataset_info(dataset_id)  # an unknown id fails before any work
    sources = price_sources()
    today = datetime.now(tz=UTC).date()
    frames = []
    found_reference = False
    for dataset_id in ids:
        frame = read_measurements(dataset_path(dataset_id)).frame
        if args.reference:
            found_reference |= bool(set(args.reference) & set(frame["label"]))
        result = dataset_findings(
            frame,
            sources,
            references=args.reference,
            haircut=args.haircut,
            as_of=today if args.prices == "today" else None,
            today=today,
            resamples=args.resamples,
            seed=args.seed,
        )
        frames.append(result.findings.assign(dataset=dataset_id))
    if args.reference and not found_reference:
        raise InputError(
            f"reference {args.reference[0]!r} is not a model of dataset(s) {', '.join(ids)}",
            column="--reference",
            column_word="option",
            expected="a model label as `tokenomics compare --dataset ID` lists it",
        )
    out = pd.concat(frames, ignore_index=True)
    if args.sort != "input":
        column, ascending = {"cost": ("cost_per_success", True), "discount": ("per_success_discount", False)}.get(
            args.sort, ("model", True)
        )
        out = out.assign(_d=pd.Categorical(out["dataset"], pd.unique(out["dataset"]))).sort_values(
            ["_d", column], ascending=[True, ascending], na_position="last", kind="stable"
        )
        out = out.drop(columns="_d").reset_index(drop=True)
    if args.format == "csv":
        return findings_csv(out)
    if args.format == "json":
        return findings_json(out)
    return findings_table(out)
