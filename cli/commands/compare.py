"""``tokenomics compare``: cost per success for each model in a measurement file."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime

import pandas as pd

from cli.common import check_baseline, comparisons, parse_date, price_sources, read_text
from engine import MAPPINGS
from inputs.datasets import dataset_path
from inputs.scenario_file import read_scenario
from pricing.check import STALE_DAYS, staleness
from pricing.comparison import Comparison
from pricing.custom import CustomPrice, load_sheet
from reports.tables import SORTS, ranked, to_csv, to_json, to_table
from tokenomics.compare import CompareOptions, cost_of_pass_note
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
        "--stale-days",
        type=int,
        default=STALE_DAYS,
        metavar="N",
        help=f"warn about prices in use last changed or checked more than N days ago (default {STALE_DAYS})",
    )
    compare.add_argument(
        "--refresh-prices",
        action="store_true",
        help="fetch genai-prices' and LiteLLM's current data first (network; default: the bundled data, offline)",
    )
    compare.set_defaults(run=run_compare)


def _from_clickhouse(
    args: argparse.Namespace, custom: list[CustomPrice], options: CompareOptions
) -> list[tuple[str, Comparison]]:
    from engine.mappings import MappingOptions
    from engine.run import price_clickhouse, summarised

    if not args.table:
        raise InputError("--source needs --table", expected="--table NAME")
    if args.measurements:
        raise InputError("--source and --measurements together", expected="one of them")
    outcomes = None
    if args.results:
        from harness.importers import parse_results

        outcomes = parse_results(read_text(args.results), args.results)
    priced = price_clickhouse(
        args.source,
        args.table,
        price_sources(args.refresh_prices),
        custom,
        mapping=args.mapping,
        mapping_options=MappingOptions(task_field=args.task_field, success_field=args.success_field),
        results=outcomes,
        as_of=args.as_of,
    )
    results = summarised(priced, options)
    check_baseline(args.baseline, {str(m) for _, r in results for m in r.summary["model"]})
    return results


def stale_prices(in_use: pd.DataFrame, threshold_days: int, today: date | None = None) -> list[str]:
    """What the Compare page's staleness warning says, for the terminal: the prices in use last
    changed or checked more than ``threshold_days`` ago, and the oldest one."""
    today = today or datetime.now(tz=UTC).date()
    aged = staleness(in_use, today, threshold_days)
    stale = aged[aged["stale"]]
    if stale.empty:
        return []
    named = "; ".join(f"{m} ({c}, {int(d)} days)" for m, c, d in stale[["models", "checked_on", "age_days"]].values)
    return [
        f"{len(stale)} price(s) in use were last changed or checked more than {threshold_days} days ago: "
        f"{named}. Check them at their source; a price sheet (--prices) overrides them."
    ]


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
        results = _from_clickhouse(args, custom, options)
    else:
        bundled = [dataset_path(d) for d in args.dataset or []]
        paths = [*bundled, *(args.measurements or [])] or None
        results = comparisons(paths, custom, options, as_of=args.as_of, refresh=args.refresh_prices, engine=args.engine)
        check_baseline(args.baseline, {str(m) for _, r in results for m in r.summary["model"]})
    for _, result in results:
        if args.cost_of_pass and result.sums is not None and (note := cost_of_pass_note(result.sums.tasks)):
            print(f"note: {note}", file=sys.stderr)
        for model, reason in result.unpriced.items():
            print(
                f"note: no list price for {model} ({reason}); its observed cost_usd is used if it has one",
                file=sys.stderr,
            )
        for note in result.notes.values():
            print(f"note: {note}", file=sys.stderr)
        for warning in stale_prices(result.prices_in_use, args.stale_days):
            print(f"warning: {warning}", file=sys.stderr)
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
