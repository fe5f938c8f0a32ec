"""Command line: ``python -m tokenomics compare ...`` for pipelines and procurement scripts.

This module, ``__main__`` and ``commands/`` are the package's edge: they read files and
print. Each module in ``tokenomics/commands/`` adds one subcommand through its
``register(subparsers)``; a subcommand's ``run(args)`` returns the text to print. Bad input
exits with status 2 and one line naming the file, line and column.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from datetime import date
from pathlib import Path

from tokenomics.compare import CompareOptions
from tokenomics.errors import InputError
from tokenomics.report import to_csv, to_json, to_table

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "aider_polyglot.csv"


def parse_date(text: str) -> date:
    """argparse type for YYYY-MM-DD options."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tokenomics", description="What an LLM costs per solved task.")
    sub = parser.add_subparsers(dest="command", required=True)
    compare = sub.add_parser("compare", help="cost per success for each model in a measurement file")
    compare.add_argument(
        "--measurements",
        action="append",
        metavar="FILE",
        help="CSV or JSONL measurements (repeatable); default: the bundled Aider polyglot leaderboard",
    )
    compare.add_argument(
        "--prices", action="append", metavar="FILE", help="custom price sheet, CSV or YAML (repeatable)"
    )
    compare.add_argument(
        "--as-of", type=parse_date, help="price every row at this date (default: each row's own date, else today)"
    )
    compare.add_argument("--baseline", help="model label to compare against (default: the highest success rate)")
    compare.add_argument("--format", choices=["table", "csv", "json"], default="table")
    compare.add_argument("--cost-of-pass", action="store_true", help="add the per-task cost-of-pass column")
    compare.add_argument("--seed", type=int, default=0, help="seed of the task bootstrap (default 0)")
    compare.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    compare.add_argument(
        "--scenario", metavar="FILE", help="what-if scenario JSON (docs/whatif.md): print the scenario's table"
    )
    compare.set_defaults(run=run_compare)
    commands = Path(__file__).resolve().parent / "commands"
    for info in sorted(pkgutil.iter_modules([str(commands)]), key=lambda m: m.name):
        importlib.import_module(f"tokenomics.commands.{info.name}").register(sub)
    return parser


def run_compare(args: argparse.Namespace) -> str:
    from measurements.load import combine, read_measurements
    from pricing.custom import load_sheet
    from pricing.run import compare_measurements
    from pricing.snapshot import bundled

    if args.scenario:  # a bad scenario fails before any data is read
        from tokenomics.commands.report import read_scenario

        read_scenario(args.scenario)
    sets = [read_measurements(p) for p in (args.measurements or [BUNDLED])]
    for m in sets:
        for note in m.notes:
            print(f"note: {note}", file=sys.stderr)
    custom = [entry for path in args.prices or [] for entry in load_sheet(path)]
    frame = combine(sets)
    labels = set(frame["label"])
    if args.baseline and args.baseline not in labels:
        raise InputError(
            f"baseline {args.baseline!r} is not a model in the measurements",
            expected="one of: " + ", ".join(sorted(labels)[:20]) + (" ..." if len(labels) > 20 else ""),
        )
    options = CompareOptions(
        baseline=args.baseline, resamples=args.resamples, seed=args.seed, cost_of_pass=args.cost_of_pass
    )
    result = compare_measurements(frame, bundled(), custom, as_of=args.as_of, options=options)
    for model, reason in result.unpriced.items():
        print(
            f"note: no list price for {model} ({reason}); its observed cost_usd is used if it has one", file=sys.stderr
        )
    if args.scenario:
        from tokenomics.commands.report import scenario_output

        return scenario_output(result, args.scenario, args.format)
    if args.format == "csv":
        return to_csv(result.summary)
    if args.format == "json":
        return to_json(result.summary)
    return to_table(result.summary)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        out = args.run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0
