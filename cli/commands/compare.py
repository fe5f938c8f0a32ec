"""``tokenomics compare``: cost per success for each model in a measurement file."""

from __future__ import annotations

import argparse
import sys

from cli.common import check_baseline, comparison_of, parse_date, price_sources, read_text
from engine import MAPPINGS
from inputs.scenario_file import read_scenario
from pricing.comparison import Comparison
from pricing.custom import CustomPrice, load_sheet
from reports.tables import to_csv, to_json, to_table
from tokenomics.compare import CompareOptions
from tokenomics.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    compare = sub.add_parser("compare", help="cost per success for each model in a measurement file")
    compare.add_argument(
        "--measurements",
        action="append",
        metavar="FILE",
        help="CSV, JSONL or Parquet measurements (repeatable); default: the bundled Aider polyglot leaderboard",
    )
    compare.add_argument(
        "--engine",
        choices=["auto", "duckdb", "pandas"],
        default="auto",
        help="where the rows are priced: DuckDB (out of core) or pandas in memory; auto: DuckDB for Parquet "
        "and for files over 64 MiB (docs/engine.md)",
    )
    source = compare.add_argument_group("a ClickHouse table instead of files (docs/engine.md)")
    source.add_argument(
        "--source",
        metavar="URL",
        help="clickhouse://HOST[:PORT]/DATABASE (clickhouses:// for HTTPS); credentials from "
        "TOKENOMICS_CLICKHOUSE_USER and TOKENOMICS_CLICKHOUSE_PASSWORD",
    )
    source.add_argument("--table", help="the table to read")
    source.add_argument(
        "--mapping",
        choices=list(MAPPINGS),
        default="tokenomics",
        help="what the table is: per-attempt rows (tokenomics), Langfuse observations, LiteLLM spend_logs "
        "or OpenTelemetry otel_traces",
    )
    source.add_argument("--task-field", metavar="NAME", help="metadata key or attribute holding the task id")
    source.add_argument("--success-field", metavar="NAME", help="metadata key or attribute holding success (yes/no)")
    source.add_argument("--results", metavar="FILE", help="CSV or JSONL of task_id,success for gateway logs")
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


def _from_clickhouse(args: argparse.Namespace, custom: list[CustomPrice], options: CompareOptions) -> Comparison:
    from engine.mappings import MappingOptions
    from engine.run import compare_clickhouse

    if not args.table:
        raise InputError("--source needs --table", expected="--table NAME")
    if args.measurements:
        raise InputError("--source and --measurements together", expected="one of them")
    results = None
    if args.results:
        from harness.importers import parse_results

        results = parse_results(read_text(args.results), args.results)
    result = compare_clickhouse(
        args.source,
        args.table,
        price_sources(args.refresh_prices),
        custom,
        mapping=args.mapping,
        mapping_options=MappingOptions(task_field=args.task_field, success_field=args.success_field),
        results=results,
        as_of=args.as_of,
        options=options,
    )
    check_baseline(args.baseline, set(result.summary["model"]))
    return result


def run_compare(args: argparse.Namespace) -> str:
    if args.scenario:  # a bad scenario fails before any data is read
        read_scenario(args.scenario)
    custom = [entry for path in args.prices or [] for entry in load_sheet(path)]
    prefer = args.prefer or ("repriced" if args.measurements or args.source else "published")
    options = CompareOptions(
        baseline=args.baseline,
        resamples=args.resamples,
        seed=args.seed,
        cost_of_pass=args.cost_of_pass,
        prefer_published=prefer == "published",
    )
    if args.source:
        result = _from_clickhouse(args, custom, options)
    else:
        result = comparison_of(
            args.measurements, custom, options, as_of=args.as_of, refresh=args.refresh_prices, engine=args.engine
        )
        check_baseline(args.baseline, set(result.summary["model"]))
    for model, reason in result.unpriced.items():
        print(
            f"note: no list price for {model} ({reason}); its observed cost_usd is used if it has one", file=sys.stderr
        )
    for note in result.notes.values():
        print(f"note: {note}", file=sys.stderr)
    if args.scenario:
        from cli.commands.report import scenario_output

        return scenario_output(result, args.scenario, args.format)
    if args.format == "csv":
        return to_csv(result.summary)
    if args.format == "json":
        return to_json(result.summary)
    return to_table(result.summary)
