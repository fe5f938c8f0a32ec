"""The procurement report: the comparison and its scenario as HTML, XLSX or CSV, built in memory.

Every format carries the same tables with the CLI's CSV column names, the inputs (scenario,
data, prices and their dates) and the assumptions, so a colleague sees the same numbers.
Writing the bytes to a file is the caller's job (``tokenomics/commands/report.py``, the page).
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from inputs.safe_cells import csv_text, neutralise_frame
from reports.tables import output_frame
from reports.whatif_charts import pareto_whatif_figure, tornado_figure
from tokenomics.format import money
from tokenomics.scenario import Scenario, tier_factor_table
from tokenomics.scenario_analysis import crossovers, headline, leader, tornado
from tokenomics.scenario_apply import SCENARIO_COLUMNS, WhatIfBase, evaluate, ranking_name

ASSUMPTIONS = (
    "Money entered in the scenario (verifier cost, failure cost, hourly rate) is in USD; results are "
    "converted at the stated exchange rate.",
    "Token multipliers scale the cost of each token kind; the long-context tier of each call stays as measured.",
    "Runs costed from an observed total (no token split) move with whole-bill price factors only.",
    "Retries stop at the first verified success; with per-task samples the retry curve is the tasks' own "
    "(pass@k), otherwise tries are independent with the aggregate success rate.",
    "Scenario results are point values: the measured 95% intervals are in the comparison table.",
)


@dataclass
class ReportContent:
    """Everything a report shows; each table keeps the CLI's column names."""

    scenario: Scenario
    whatif: pd.DataFrame
    """``scenario_apply.evaluate`` output."""
    summary: pd.DataFrame
    """``compare.summarise`` output (the measured comparison)."""
    context: dict[str, str]
    """Inputs besides the scenario: data source, price data and its age, generated on..."""
    prices: pd.DataFrame | None = None
    """Prices in use with source and as-of date."""
    extra_tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Further tables by title (haircut presets, tier factors, tornado, crossovers)."""
    headline: str = ""
    notes: list[str] = field(default_factory=list)
    """Sentences shown under the headline (crossovers)."""
    figures: dict[str, go.Figure] = field(default_factory=dict)


def whatif_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The what-if table with the CLI's columns, in order."""
    return table[SCENARIO_COLUMNS]


def inputs_frame(content: ReportContent) -> pd.DataFrame:
    """Key/value rows: every scenario field (defaults included) then the context."""
    fields = content.scenario.model_dump(mode="json")
    rows = [("scenario." + k, _text(v)) for k, v in fields.items()]
    rows += list(content.context.items())
    rows += [("assumption", a) for a in ASSUMPTIONS]
    return pd.DataFrame(rows, columns=["input", "value"])


def _text(value: object) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return "" if value is None else str(value)


def _tables(content: ReportContent) -> dict[str, pd.DataFrame]:
    tables = {"what-if": whatif_frame(content.whatif), "comparison": output_frame(content.summary)}
    if content.prices is not None:
        tables["prices"] = content.prices
    tables.update(content.extra_tables)
    return tables


def _for_sheet(frame: pd.DataFrame) -> pd.DataFrame:
    """inf as the text "inf" (spreadsheets have no infinity), unknown as empty: the CSV's convention."""
    out = frame.astype(object)
    numeric = frame.select_dtypes("number").columns
    for col in numeric:
        values = frame[col].to_numpy(dtype=float)
        out[col] = np.where(np.isposinf(values), "inf", np.where(np.isneginf(values), "-inf", out[col]))
    return out.where(frame.notna(), None)


def to_xlsx(content: ReportContent) -> bytes:
    """One sheet per table plus an ``inputs`` sheet; sheet names as in ``_tables``.

    Values only: every text cell a spreadsheet would run as a formula is quoted first, so the
    workbook holds no formula cell whatever the model names or file names were.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise_frame(inputs_frame(content)).to_excel(writer, sheet_name="inputs", index=False)
        for name, frame in _tables(content).items():
            sheet = neutralise_frame(_for_sheet(frame.reset_index(drop=True)))
            sheet.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def to_csv(content: ReportContent) -> str:
    """The what-if table as CSV (inf as ``inf``, unknown empty), the same as ``compare --scenario``."""
    return csv_text(whatif_frame(content.whatif))


def _html_table(frame: pd.DataFrame, table_id: str) -> str:
    shown = frame.copy()
    for col in shown.select_dtypes("float").columns:
        shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else ("inf" if np.isinf(v) else f"{v:.6g}"))
    return shown.to_html(index=False, table_id=table_id, classes="data", na_rep="", escape=True)


def to_html(content: ReportContent) -> str:
    """A self-contained page: inputs, assumptions, price provenance, tables and the charts (plotly.js inline)."""
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>tokenomics procurement report</title>",
        "<style>body{font-family:sans-serif;margin:2em;max-width:1400px}table.data{border-collapse:collapse;"
        "font-size:12px}table.data td,table.data th{border:1px solid #ccc;padding:3px 6px}"
        "h2{margin-top:1.6em}</style></head><body>",
        "<h1>Cost per solved task: procurement report</h1>",
    ]
    if content.headline:
        parts.append(f"<p class='headline'><b>{html.escape(content.headline)}</b></p>")
    parts += [f"<p>{html.escape(n)}</p>" for n in content.notes]
    parts.append("<h2>Inputs</h2>")
    parts.append(_html_table(inputs_frame(content), "inputs"))
    parts.append("<h2>Scenario (JSON)</h2>")
    parts.append(f"<pre id='scenario-json'>{html.escape(content.scenario.model_dump_json(indent=2))}</pre>")
    first = True
    for title, fig in content.figures.items():
        parts.append(f"<h2>{html.escape(title)}</h2>")
        parts.append(fig.to_html(full_html=False, include_plotlyjs="inline" if first else False))
        first = False
    for name, frame in _tables(content).items():
        parts.append(f"<h2>{html.escape(name)}</h2>")
        parts.append(_html_table(frame, name.replace(" ", "-")))
    parts.append("</body></html>")
    return "\n".join(parts)


def assemble(
    base: WhatIfBase,
    scenario: Scenario,
    summary: pd.DataFrame,
    context: dict[str, str],
    prices: pd.DataFrame | None = None,
    presets: pd.DataFrame | None = None,
) -> ReportContent:
    """The whole what-if answer for one scenario: table, headline, crossovers, tornado and charts."""
    table = evaluate(base, scenario)
    # The sensitivity analyses the answer the headline gives: the cheapest row, a cascade included.
    best = leader(table, scenario)
    extra: dict[str, pd.DataFrame] = {}
    figures = {"Success vs cost per solved task (scenario)": pareto_whatif_figure(table, scenario.currency)}
    notes: list[str] = []
    if best is not None:
        bars = tornado(base, scenario, best)
        cross = crossovers(base, scenario, table)
        notes = cross["sentence"].tolist()
        extra["tornado"] = bars
        extra["crossovers"] = cross
        figures["Which knob moves the winner most"] = tornado_figure(
            bars, best, ranking_name(scenario), scenario.currency
        )
    providers = sorted(p for p in base.models["provider"].astype(str).unique() if p)
    extra["service tiers"] = tier_factor_table(providers, scenario)
    if presets is not None:
        extra["haircut presets"] = presets
    return ReportContent(
        scenario=scenario,
        whatif=table,
        summary=summary,
        context=context,
        prices=prices,
        extra_tables=extra,
        headline=headline(table, scenario),
        notes=notes,
        figures=figures,
    )


def whatif_text(table: pd.DataFrame, scenario: Scenario) -> str:
    """A fixed-width what-if table for a terminal, best first."""
    cur = scenario.currency
    ordered = table.sort_values("rank", na_position="last")
    view = pd.DataFrame(
        {
            "rank": ordered["rank"].astype("string").fillna(""),
            "model": ordered["model"],
            "P(solved)": ordered["p_solved"].map("{:.1%}".format),
            "E[attempts]": ordered["expected_attempts"].map("{:.2f}".format),
            "cost/task": ordered["cost_per_task"].map(lambda v: money(v, cur)),
            "cost/solved task": ordered["cost_per_success"].map(lambda v: money(v, cur)),
            "incl. failures": ordered["cost_per_task_with_failures"].map(lambda v: money(v, cur)),
            "monthly total": ordered["monthly_total"].map(lambda v: money(v, cur)),
            "method": ordered["method"],
        }
    )
    return view.to_string(index=False)
