"""``tokenomics compare``: cost per success for each model in a measurement file."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from cli.common import parse_date, price_sources, read_frames
from inputs.datasets import dataset_path
from inputs.scenario_file import read_scenario
from pricing.comparison import compare_measurements, split_datasets
from pricing.custom import load_sheet
from reports.tables import SORTS, ranked, to_csv, to_json, to_table
from tokenomics.compare import CompareOptions, cost_of_pass_note
from tokenomics.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    compare = sub.add_parser("compare", help="cost per success for each model in a measurement file")
    compare.add_argument(
        "--measurements",
        action="append",
        metavar="FILE",
        help="CSV or JSONL measurements (repeatable); default: the bundled Aider polyglot leaderboard",
    )
    compare.add_argument(
        "--dataset",
        action="append",
        metavar="ID",
        help="a bundled dataset (repeatable; `tokenomics datasets` lists them); several datasets are compared "
        "apart, never pooled",
    )
    compare.add_argument(
        "--prices", action="append", metavar="FILE", help="custom price sheet, CSV or YAML (repeatable)"
    )
    compare.add_argument(
        "--as-of", type=parse_date, help="price every row at this date (default: each row's own date, else today)"
    )
    compare.add_argument("--baseline", help="model label to compare against (default: the highest success rate)")
    compare.add_argument("--format", choices=["table", "csv", "json"], default="table")
    compare.add_argument(
        "--sort",
        choices=[*SORTS, "input"],
        default="cost",
        help="row order: cost per solved task (default, cheapest first), success rate, discount per solved task, "
        "model, or the data's own order",
    )
    compare.add_argument("--cost-of-pass", action="store_true", help="add the per-task cost-of-pass column")
    compare.add_argument("--seed", type=int, default=0, help="seed of the task bootstrap (default 0)")
    compare.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    compare.add_argument(
        "--scenario", metavar="FILE", help="what-if scenario JSON (docs/whatif.md): print the scenario's table"
    )
    compare.add_argument(
        "--prefer",
        choices=["published", "repriced"],
        help="where a model's repriced cost and the cost its data reports disagree (a repricing flag), which "
        "one ranks (default: published for the bundled data, repriced for your files)",
    )
    compare.add_argument(
        "--refresh-prices",
        action="store_true",
        help="fetch genai-prices' and LiteLLM's current data first (network; default: the bundled data, offline)",
    )
    compare.set_defaults(run=run_compare)


def run_compare(args: argparse.Namespace) -> str:
    if args.scenario:  # a bad scenario fails before any data is read
        read_scenario(args.scenario)
    bundled = [dataset_path(d) for d in args.dataset or []]
    frame = read_frames([*bundled, *(args.measurements or [])] or None)
    custom = [entry for path in args.prices or [] for entry in load_sheet(path)]
    labels = set(frame["label"])
    if args.baseline and args.baseline not in labels:
        raise InputError(
            f"baseline {args.baseline!r} is not a model in the measurements",
            expected="one of: " + ", ".join(sorted(labels)[:20]) + (" ..." if len(labels) > 20 else ""),
        )
    prefer = args.prefer or ("repriced" if args.measurements else "published")
    groups = split_datasets(frame)
    options = CompareOptions(
        baseline=args.baseline,
        resamples=args.resamples,
        seed=args.seed,
        cost_of_pass=args.cost_of_pass,
        prefer_published=prefer == "published",
    )
    sources = price_sources(args.refresh_prices)
    results = [
        (name, compare_measurements(part, sources, custom, as_of=args.as_of, options=options)) for name, part in groups
    ]
    for _, result in results:
        if args.cost_of_pass and (note := cost_of_pass_note(result.rows)):
            print(f"note: {note}", file=sys.stderr)
        for model, reason in result.unpriced.items():
            print(
                f"note: no list price for {model} ({reason}); its observed cost_usd is used if it has one",
                file=sys.stderr,
            )
        for note in result.notes.values():
            print(f"note: {note}", file=sys.stderr)
    if args.scenario:
        from cli.commands.report import scenario_output

        if len(results) > 1:
            raise InputError(
                f"the measurements hold {len(results)} datasets; a scenario compares one",
                column="--dataset",
                column_word="option",
                expected="one dataset (choose it with --dataset, or give files of one dataset)",
            )
        return scenario_output(results[0][1], args.scenario, args.format)
    summary = pd.concat([ranked(r.summary, args.sort) for _, r in results], ignore_index=True)
    if args.format == "csv":
        return to_csv(summary)
    if args.format == "json":
        return to_json(summary)
    if len(results) == 1:
        return to_table(summary)
    return "\n\n".join(f"dataset {name or '(none)'}:\n{to_table(ranked(r.summary, args.sort))}" for name, r in results)
