"""``tokenomics report``: the comparison under a scenario as an HTML, XLSX or CSV file.

Also the scenario table of ``compare --scenario``; the arithmetic lives in ``tokenomics.scenario*``
and the report's bytes are built in ``reports.procurement``.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from cli.common import parse_date, read_frames
from inputs.bundled import read_haircut_table
from inputs.scenario_file import read_scenario
from pricing.comparison import Comparison
from tokenomics.errors import InputError
from tokenomics.scenario import Scenario, haircut_presets, with_presets
from tokenomics.scenario_apply import WhatIfBase, check_labels

FORMATS = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".csv": "csv"}


def scenario_inputs(
    comparison: Comparison, scenario: Scenario, path: str | None = None
) -> tuple[WhatIfBase, Scenario, pd.DataFrame]:
    """The prepared base, the scenario with its presets resolved, and the presets shown in reports."""
    base = comparison.base()
    check_labels(base, scenario, path)
    presets = haircut_presets(comparison.summary[["model", "model_id"]], read_haircut_table())
    return base, with_presets(scenario, presets), presets


def origins_of(summary: pd.DataFrame) -> pd.DataFrame:
    """Vendor, origin and open weights of each model (``data/model_origins.csv``), for the report."""
    from inputs.model_origins import load_origins
    from tokenomics.origins import match_origins

    found = match_origins(summary["model"], summary["model_id"], load_origins())
    return pd.concat([summary[["model"]], found[["vendor", "origin", "open_weights"]]], axis=1)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help="procurement report (HTML, XLSX or CSV) of the comparison under a scenario"
    )
    parser.add_argument("--measurements", action="append", metavar="FILE", help="CSV or JSONL (repeatable)")
    parser.add_argument("--prices", action="append", metavar="FILE", help="custom price sheet (repeatable)")
    parser.add_argument("--as-of", type=parse_date, help="price every row at this date (YYYY-MM-DD)")
    parser.add_argument("--baseline", help="model label to compare against (default: the highest success rate)")
    parser.add_argument("--scenario", metavar="FILE", help="scenario JSON (see docs/whatif.md)")
    parser.add_argument("--out", required=True, metavar="FILE", help="report.html, report.xlsx or report.csv")
    parser.add_argument("--seed", type=int, default=0, help="seed of the task bootstrap (default 0)")
    parser.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    parser.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> str:
    from pricing.book import default_sources
    from pricing.comparison import compare_measurements
    from pricing.custom import load_sheet
    from reports.procurement import assemble, to_csv, to_html, to_xlsx
    from tokenomics.compare import CompareOptions

    out = Path(args.out)
    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise InputError("unknown report format", file=args.out, expected="a name ending .html, .xlsx or .csv")
    scenario = read_scenario(args.scenario)
    frame = read_frames(args.measurements)
    custom = [entry for path in args.prices or [] for entry in load_sheet(path)]
    options = CompareOptions(baseline=args.baseline, resamples=args.resamples, seed=args.seed)
    sources = default_sources()
    comparison = compare_measurements(frame, sources, custom, as_of=args.as_of, options=options)
    base, resolved, presets = scenario_inputs(comparison, scenario, args.scenario)
    today = datetime.now(tz=UTC).date()
    context = {
        "measurements": "; ".join(args.measurements or ["the bundled Aider polyglot leaderboard"]),
        "prices": sources.label(today) + "".join(f"; custom sheet {p}" for p in args.prices or []),
        "priced as of": args.as_of.isoformat() if args.as_of else "each run's own date (today if undated)",
        "scenario file": args.scenario or "(none: measured figures)",
        "generated on": today.isoformat(),
    }
    content = assemble(
        base, resolved, comparison.summary, context, comparison.prices_in_use, presets, origins_of(comparison.summary)
    )
    if kind == "xlsx":
        out.write_bytes(to_xlsx(content))
    else:
        out.write_text(to_html(content) if kind == "html" else to_csv(content), encoding="utf-8")
    return f"wrote {out} ({kind}, {len(content.whatif)} rows): {content.headline}"


def scenario_output(comparison: Comparison, path: str, fmt: str) -> str:
    """``compare --scenario FILE``: the what-if table as text, CSV or JSON."""
    from inputs.safe_cells import csv_text
    from reports.procurement import whatif_table, whatif_text
    from reports.tables import frame_to_json
    from tokenomics.scenario_analysis import headline
    from tokenomics.scenario_apply import evaluate

    base, resolved, _ = scenario_inputs(comparison, read_scenario(path), path)
    table = evaluate(base, resolved)
    if fmt == "csv":
        return csv_text(whatif_table(table))
    if fmt == "json":
        return frame_to_json(whatif_table(table))
    return headline(table, resolved) + "\n\n" + whatif_text(table, resolved)
