"""``python -m tokenomics report``: the comparison under a scenario as an HTML, XLSX or CSV file.

Also the file-reading edge of scenarios for ``compare --scenario``: reading the scenario JSON
and the bundled haircut presets happens here, the arithmetic in ``tokenomics.scenario*``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pricing.run import Comparison
from tokenomics.cli import BUNDLED, parse_date
from tokenomics.errors import InputError
from tokenomics.scenario import Scenario, haircut_presets, parse_scenario, with_presets
from tokenomics.scenario_apply import WhatIfBase, check_labels, prepare

ROOT = Path(__file__).resolve().parents[2]
HAIRCUTS = ROOT / "data" / "haircuts.csv"
FORMATS = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".csv": "csv"}


def read_scenario(path: str | None) -> Scenario:
    """The scenario in a JSON file (no file: the neutral scenario)."""
    if path is None:
        return Scenario()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the scenario: {exc.strerror}", file=path) from None
    return parse_scenario(text, path)


def read_haircut_table() -> pd.DataFrame:
    """``data/haircuts.csv``: AIME 2024 vs 2025 falls per model, with origin group and source."""
    return pd.read_csv(HAIRCUTS)


def scenario_inputs(
    comparison: Comparison, scenario: Scenario, path: str | None = None
) -> tuple[WhatIfBase, Scenario, pd.DataFrame]:
    """The prepared base, the scenario with its presets resolved, and the presets shown in reports."""
    base = prepare(comparison.summary, comparison.rows, comparison.table)
    check_labels(base, scenario, path)
    presets = haircut_presets(comparison.summary[["model", "model_id"]], read_haircut_table())
    return base, with_presets(scenario, presets), presets


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
    from measurements.load import combine, read_measurements
    from pricing.custom import load_sheet
    from pricing.run import compare_measurements
    from pricing.snapshot import bundled, describe
    from tokenomics.compare import CompareOptions
    from tokenomics.procurement import assemble, to_csv, to_html, to_xlsx

    out = Path(args.out)
    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise InputError("unknown report format", file=args.out, expected="a name ending .html, .xlsx or .csv")
    scenario = read_scenario(args.scenario)
    paths = args.measurements or [BUNDLED]
    sets = [read_measurements(p) for p in paths]
    for m in sets:
        for note in m.notes:
            print(f"note: {note}", file=sys.stderr)
    custom = [entry for path in args.prices or [] for entry in load_sheet(path)]
    options = CompareOptions(baseline=args.baseline, resamples=args.resamples, seed=args.seed)
    snapshot = bundled()
    comparison = compare_measurements(combine(sets), snapshot, custom, as_of=args.as_of, options=options)
    base, resolved, presets = scenario_inputs(comparison, scenario, args.scenario)
    today = datetime.now(tz=UTC).date()
    context = {
        "measurements": "; ".join(str(p) for p in paths),
        "prices": describe(snapshot, today).label() + "".join(f"; custom sheet {p}" for p in args.prices or []),
        "priced as of": args.as_of.isoformat() if args.as_of else "each run's own date (today if undated)",
        "scenario file": args.scenario or "(none: measured figures)",
        "generated on": today.isoformat(),
    }
    content = assemble(base, resolved, comparison.summary, context, comparison.prices_in_use, presets)
    if kind == "xlsx":
        out.write_bytes(to_xlsx(content))
    else:
        out.write_text(to_html(content) if kind == "html" else to_csv(content), encoding="utf-8")
    return f"wrote {out} ({kind}, {len(content.whatif)} rows): {content.headline}"


def scenario_output(comparison: Comparison, path: str, fmt: str) -> str:
    """``compare --scenario FILE``: the what-if table as text, CSV or JSON."""
    from tokenomics.procurement import whatif_frame, whatif_text
    from tokenomics.report import frame_to_json
    from tokenomics.scenario_analysis import headline
    from tokenomics.scenario_apply import evaluate

    base, resolved, _ = scenario_inputs(comparison, read_scenario(path), path)
    table = evaluate(base, resolved)
    if fmt == "csv":
        return whatif_frame(table).to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return frame_to_json(whatif_frame(table))
    return headline(table, resolved) + "\n\n" + whatif_text(table, resolved)
