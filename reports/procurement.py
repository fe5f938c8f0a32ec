"""The procurement report: the comparison and its scenario as HTML, XLSX or CSV, built in memory.

Page one is a summary a buyer can forward as it is: the question, the candidates, the answer
with its interval, the discount per token against the discount per solved task, the assumptions
the answer rests on, where the prices come from and how old they are, and the exchange rate.
Appendices follow, each sorted and in the app's one number format: the charts, the scenario's
table, the measured comparison, the prices in use, the sensitivities and the inputs. The HTML
has a fixed width and print styles (A4, one appendix per page, table headers repeated), so the
browser's "print to PDF" gives a readable document; it embeds Plotly's basic bundle once
(about 1.2 MB). The XLSX opens on the same summary, then one sheet per table with the CLI's
column names, number formats and frozen headers. Every text cell of every export is
formula-neutralised. Writing the bytes to a file is the caller's job (``cli/commands/report.py``,
the What-if page).
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from inputs.report_assets import plotly_basic
from inputs.safe_cells import csv_text, neutralise_frame
from reports.format import as_text
from reports.tables import output_frame
from reports.views import COMPARE, WHATIF, compare_frame, headers, kinds, whatif_frame
from reports.whatif_charts import pareto_whatif_figure, tornado_figure
from tokenomics.compare import headline as discount_sentence
from tokenomics.format import interval, money, pct, upper_first
from tokenomics.scenario import Scenario, tier_factor_table
from tokenomics.scenario_analysis import (
    assumption,
    crossovers,
    headline,
    leader,
    solved_share,
    tornado,
    winner,
)
from tokenomics.scenario_apply import CASCADE_ARROW, SCENARIO_COLUMNS, WhatIfBase, evaluate, ranking_name

ASSUMPTIONS = (
    "Money entered in the scenario (verifier cost, failure cost, hourly rate) is in USD; results are "
    "converted at the stated exchange rate.",
    "Token multipliers scale the cost of each token kind; the long-context tier of each call stays as measured.",
    "Runs costed from an observed total (no token split) move with whole-bill price factors only.",
    "Retries stop at the first verified success; with per-task samples the retry curve is the tasks' own "
    "(pass@k), otherwise tries are independent with the aggregate success rate. Past the samples per task "
    "(aggregated runs: one) the data cannot say what retries bring: p_solved_no_gain and "
    "p_solved_if_independent give both figures.",
    "Scenario results are point values: the measured 95% intervals are in the comparison table. For "
    "aggregated runs (no per-task data) the cost-per-success interval reflects success-rate uncertainty "
    "only (column cps_interval).",
)
SHORTLIST = 8
CHART_WIDTH = 680
"""Pixels: the printable width of an A4 page with 14 mm margins at 96 dpi."""


@dataclass
class ReportContent:
    """Everything a report shows; each table keeps the CLI's column names."""

    scenario: Scenario
    whatif: pd.DataFrame
    """``scenario_apply.evaluate`` output (with ``vendor``, ``origin``, ``open_weights`` where known)."""
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
    leader: str | None = None
    """The row the headline names (a cascade included); the tornado analyses it."""


def whatif_table(table: pd.DataFrame) -> pd.DataFrame:
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


# ---- page one -------------------------------------------------------------------------------------


def scenario_in_words(s: Scenario) -> list[str]:
    """What the scenario changes against the measured figures, one short phrase per knob.

    >>> scenario_in_words(Scenario(price_multiplier=1.3, max_attempts=2, tasks_per_month=5e4))
    ['all prices x1.3', 'up to 2 attempts per task with a verifier', '50,000 tasks a month']
    """
    words = []
    if s.price_multiplier != 1:
        words.append(f"all prices x{s.price_multiplier:g}")
    words += [f"{kind} prices x{f:g}" for kind, f in s.kind_price_multipliers.items()]
    words += [f"{p} prices x{f:g}" for p, f in s.provider_price_multipliers.items()]
    words += [f"{m} prices x{f:g}" for m, f in s.model_price_multipliers.items()]
    words += [f"{kind} tokens x{f:g}" for kind, f in s.token_multipliers.items()]
    if s.haircut > 0:
        words.append(f"success rates cut by {pct(s.haircut)} (fresh data)")
    if s.haircut_presets:
        words.append("AIME 2024 to 2025 haircut presets")
    words += [f"{m}: success cut by {pct(h)}" for m, h in s.model_haircuts.items()]
    if s.max_attempts > 1:
        words.append(f"up to {s.max_attempts} attempts per task with a verifier")
    if s.verifier_cost > 0:
        words.append(f"verifier {money(s.verifier_cost)} per attempt")
    if s.cascade:
        words.append("cascade " + CASCADE_ARROW.join(s.cascade))
    if s.failure_usd > 0:
        words.append(f"a failed task costs {money(s.failure_usd)}")
    if s.service_tier != "standard":
        words.append(f"{s.service_tier} tier")
    words += [f"{p}: {t} tier" for p, t in s.provider_tiers.items()]
    if s.tasks_per_month > 0:
        words.append(f"{s.tasks_per_month:,.0f} tasks a month")
    return words


def summary_items(content: ReportContent) -> list[tuple[str, str]]:
    """Page one as (heading, text) pairs: the HTML summary and the XLSX summary sheet both read them."""
    s, table, summary = content.scenario, content.whatif, content.summary
    cur = s.currency
    changes = scenario_in_words(s)
    question = (
        "Which model solves these tasks at the lowest cost per solved task"
        + (", under this scenario: " + "; ".join(changes) if changes else ", as measured")
        + "?"
    )
    items = [("Question", question), ("Data", content.context.get("measurements", ""))]
    items.append(("Answer", content.headline))
    best = content.leader
    if best is not None and best in set(table["model"]):
        row = table[table["model"] == best].iloc[0]
        measured = summary[summary["model"] == best]
        answer = (
            f"{best}: {money(row['cost_per_success'], cur)} per solved task, {solved_share(row['p_solved'])} solved"
        )
        if not measured.empty:
            m = measured.iloc[0]
            low, high = float(m["cps_low"]) * s.rate, float(m["cps_high"]) * s.rate
            answer += (
                f". Measured without the scenario: {money(m['cost_per_success'] * s.rate, cur)} per solved task "
                f"(95% interval {interval(low, high, lambda v: money(v, cur))}), success {pct(m['success_rate'])} "
                f"({interval(m['success_low'], m['success_high'], pct)}) over {int(m['attempts']):,} attempts."
            )
        else:
            answer += " (a cascade: its models' measured intervals are in the comparison appendix)."
        items.append(("Winner", answer))
    single = winner(table, s)
    reference = (
        str(summary["baseline"].iloc[0]) if "baseline" in summary and summary["baseline"].notna().any() else None
    )
    if single is not None and reference is not None and single != reference and single in set(summary["model"]):
        items.append(
            (
                "Per token against per solved task",
                discount_sentence(summary, single, reference)
                + " Measured, without the scenario; the reference is the most successful model unless one is chosen.",
            )
        )
    methods = [str(m) for m in table.loc[table["model"] == best, "method"]] if best else []
    if best and CASCADE_ARROW in best:
        methods += table.loc[table["model"].isin(s.cascade), "method"].astype(str).tolist()
    assumed = assumption(methods, s)
    rests = ([assumed[0].upper() + assumed[1:] + "."] if assumed else []) + list(ASSUMPTIONS)
    items.append(("Assumptions", " ".join(rests)))
    items.append(("Prices", _price_provenance(content)))
    items.append(("Exchange rate", upper_first(s.rate_note) + "." if s.rate_note else "All amounts in USD."))
    items.append(("Generated", content.context.get("generated on", "")))
    return items


def _price_provenance(content: ReportContent) -> str:
    """Where the shortlisted models' prices come from, how old they are and what the repricing check found."""
    summary = content.summary
    parts = [content.context.get("prices", "")]
    layers = summary["price_layer"].dropna().astype(str)
    layers = layers[layers != ""]
    if not layers.empty:
        counts = layers.value_counts()
        parts.append("price layers in use: " + ", ".join(f"{layer} {n}" for layer, n in counts.items()))
    basis = summary["cost_basis"].value_counts()
    if basis.get("observed", 0):
        parts.append(f"{basis['observed']} model(s) costed from their published cost")
    if basis.get("unpriced", 0):
        parts.append(f"{basis['unpriced']} unpriced (not ranked, never $0)")
    if content.prices is not None and "checked_on" in content.prices:
        dated = content.prices["checked_on"].dropna().astype(str)
        dated = dated[dated != ""]
        if not dated.empty:
            parts.append(f"oldest price in use last changed or checked {dated.min()}")
    flags = summary["repricing_flag"].fillna("").astype(str) if "repricing_flag" in summary else pd.Series(dtype=str)
    flagged = summary.loc[flags != "", "model"].tolist()
    if flagged:
        parts.append(
            f"repricing flags on {len(flagged)} model(s) (repriced and published cost more than 10% apart; "
            "the cause per model is in the comparison appendix)"
        )
    parts.append(f"priced as of {content.context.get('priced as of', 'each run’s own date')}")
    return "; ".join(p for p in parts if p) + "."


def candidates_frame(content: ReportContent) -> pd.DataFrame:
    """The shortlist on page one: the best-ranked rows as text, in the scenario's currency."""
    s = content.scenario
    ranked = whatif_frame(content.whatif, monthly=s.tasks_per_month > 0, failures=s.failure_usd > 0)
    columns = [
        c
        for c in (
            "rank",
            "model",
            "vendor",
            "origin",
            "p_solved",
            "cost_per_success",
            "cost_per_task_with_failures",
            "monthly_total",
        )
        if c in ranked.columns
    ]
    top = ranked[columns].head(SHORTLIST)
    return as_text(top, kinds(WHATIF), s.currency).rename(columns=headers(WHATIF))


# ---- appendices -----------------------------------------------------------------------------------

APPENDIX_WHATIF = [
    "rank",
    "model",
    "p_solved",
    "cost_per_success",
    "cost_per_task_with_failures",
    "expected_attempts",
    "cost_per_attempt",
    "monthly_total",
    "method",
]
APPENDIX_COMPARE = [
    "model",
    "success_rate",
    "success_range",
    "cost_per_success",
    "cps_range",
    "discount_per_token",
    "discount_per_success",
    "cost_basis",
    "price_layer",
    "repricing_flag",
]
APPENDIX_PRICES = [
    "models",
    "provider",
    "model",
    "input_mtok",
    "cache_read_mtok",
    "output_mtok",
    "layer",
    "as_of",
    "checked_on",
    "source",
]


def appendix_tables(content: ReportContent) -> dict[str, pd.DataFrame]:
    """Each appendix table as text, sorted and in the app's formats (the HTML shows these)."""
    s = content.scenario
    ranked = whatif_frame(content.whatif, monthly=s.tasks_per_month > 0, failures=s.failure_usd > 0)
    out = {
        "The scenario, every model": as_text(
            ranked[[c for c in APPENDIX_WHATIF if c in ranked.columns]], kinds(WHATIF), s.currency
        ).rename(columns=headers(WHATIF)),
    }
    measured = compare_frame(content.summary)
    out["The measured comparison (USD)"] = as_text(
        measured[[c for c in APPENDIX_COMPARE if c in measured.columns]], kinds(COMPARE)
    ).rename(columns=headers(COMPARE))
    if content.prices is not None and not content.prices.empty:
        prices = content.prices.sort_values(["provider", "model"], na_position="last")
        prices = prices[[c for c in APPENDIX_PRICES if c in prices.columns]]
        out["Prices in use (USD per million tokens)"] = as_text(
            prices, dict.fromkeys(("input_mtok", "cache_read_mtok", "output_mtok"), "decimal")
        ).rename(
            columns={
                "models": "measured as",
                "input_mtok": "input",
                "cache_read_mtok": "cached input",
                "output_mtok": "output",
                "as_of": "price as of",
                "checked_on": "checked on",
            }
        )
    bars = content.extra_tables.get("tornado")
    if bars is not None and not bars.empty:
        out[f"Sensitivity of {content.leader}"] = as_text(
            bars[["knob", "low", "high", "swing"]], {"low": "money", "high": "money", "swing": "money"}, s.currency
        ).rename(columns={"low": "knob down", "high": "knob up"})
    cross = content.extra_tables.get("crossovers")
    if cross is not None and not cross.empty:
        out["Crossovers"] = cross[["sentence"]].rename(columns={"sentence": "when the cheapest single model loses"})
    for name in ("service tiers", "haircut presets"):
        if name in content.extra_tables:
            out[name.capitalize()] = as_text(content.extra_tables[name], {"factor": "decimal", "haircut": "pct"})
    out["Inputs"] = as_text(inputs_frame(content), {})
    return out


def figures(content: ReportContent) -> dict[str, go.Figure]:
    """The report's charts, drawn at a printable width."""
    s = content.scenario
    picks = [content.leader, *s.cascade] if content.leader else list(s.cascade)
    out: dict[str, go.Figure] = {}
    pareto = pareto_whatif_figure(content.whatif, s.currency, picks, s.rate_note)
    if pareto is not None:
        out["Share of tasks solved against cost per solved task"] = pareto
    bars = content.extra_tables.get("tornado")
    if bars is not None and content.leader is not None:
        spread = tornado_figure(bars, content.leader, ranking_name(s), s.currency, s.rate_note)
        if spread is not None:
            out[f"What moves {content.leader}'s {ranking_name(s)} most"] = spread
    for fig in out.values():
        fig.update_layout(width=CHART_WIDTH, autosize=False, paper_bgcolor="white", plot_bgcolor="white")
    return out


# ---- HTML -----------------------------------------------------------------------------------------

STYLE = """
body{font-family:"Source Sans 3","Source Sans Pro","Segoe UI",Helvetica,Arial,sans-serif;color:#222;
 width:760px;margin:24px auto;font-size:14px;line-height:1.45}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid #ddd;padding-bottom:3px}
.meta{color:#666;font-size:12px}.answer{background:#f3f7fb;border-left:4px solid #1f77b4;padding:10px 14px;
 font-size:16px;font-weight:600;margin:12px 0}
dl.summary{display:grid;grid-template-columns:150px 1fr;gap:6px 14px;margin:10px 0}
dl.summary dt{font-weight:600;color:#444}dl.summary dd{margin:0}
table.data{border-collapse:collapse;width:100%;font-size:12px;margin:6px 0 14px}
table.data th{background:#f4f4f4;text-align:left;font-weight:600}
table.data td,table.data th{border:1px solid #ddd;padding:3px 6px;vertical-align:top;overflow-wrap:anywhere}
table.data td.num{text-align:right;white-space:nowrap}
.appendix{margin-top:28px}.chart{margin:8px 0 18px}pre{font-size:11px;white-space:pre-wrap}
@page{size:A4;margin:14mm}
@media print{body{width:auto;margin:0;font-size:11px}.answer{font-size:13px}
 .appendix{break-before:page}thead{display:table-header-group}tr{break-inside:avoid}
 .chart{break-inside:avoid}h2{break-after:avoid}table.data{font-size:9.5px}}
"""


def _numeric_like(values: pd.Series) -> pd.Series:
    """Cells that read as figures (money, shares, counts) are right-aligned."""
    return values.astype(str).str.match(r"^[-$€¥]?[\d.,]+(%|x|[kMB])?$|^—$|^unbounded$")


def _html_table(frame: pd.DataFrame, table_id: str) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    numeric = {c: _numeric_like(frame[c]).all() for c in frame.columns}
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            cls = " class='num'" if numeric[column] else ""
            cells.append(f"<td{cls}>{html.escape(str(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table class='data' id='{table_id}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def to_html(content: ReportContent) -> str:
    """A self-contained, printable page: the one-page summary, then the appendices (Plotly's basic bundle once)."""
    items = summary_items(content)
    by_heading = dict(items)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width'>",
        "<title>Cost per solved task: procurement report</title>",
        f"<style>{STYLE}</style>",
        f"<script>{plotly_basic()}</script>",
        "</head><body>",
        "<h1>Cost per solved task: procurement report</h1>",
        f"<p class='meta'>tokenomics · generated {html.escape(by_heading.get('Generated', ''))} · "
        f"{html.escape(by_heading.get('Data', ''))}</p>",
        f"<p class='question'>{html.escape(by_heading['Question'])}</p>",
        f"<div class='answer headline'>{html.escape(content.headline)}</div>",
        "<h2>Candidates, cheapest first</h2>",
        _html_table(candidates_frame(content), "candidates"),
        "<dl class='summary'>",
    ]
    for heading, text in items:
        if heading in ("Question", "Answer", "Generated", "Data"):
            continue
        parts.append(f"<dt>{html.escape(heading)}</dt><dd>{html.escape(text)}</dd>")
    parts.append("</dl>")
    charts = figures(content)
    if charts:
        parts.append("<section class='appendix' id='charts'><h2>Appendix: charts</h2>")
        for title, fig in charts.items():
            parts.append(f"<h3>{html.escape(title)}</h3><div class='chart'>")
            parts.append(
                fig.to_html(
                    full_html=False, include_plotlyjs=False, config={"displayModeBar": False, "responsive": False}
                )
            )
            parts.append("</div>")
        parts.append("</section>")
    for number, (title, frame) in enumerate(appendix_tables(content).items(), start=1):
        anchor = f"appendix-{number}"
        parts.append(f"<section class='appendix' id='{anchor}'><h2>Appendix {number}: {html.escape(title)}</h2>")
        parts.append(_html_table(frame, anchor + "-table"))
        if title == "Inputs":
            parts.append(f"<pre id='scenario-json'>{html.escape(content.scenario.model_dump_json(indent=2))}</pre>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


# ---- XLSX -----------------------------------------------------------------------------------------


def _for_sheet(frame: pd.DataFrame) -> pd.DataFrame:
    """inf as the text "inf" (spreadsheets have no infinity), unknown as empty: the CSV's convention."""
    out = frame.astype(object)
    numeric = frame.select_dtypes("number").columns
    for col in numeric:
        values = frame[col].to_numpy(dtype=float)
        out[col] = np.where(np.isposinf(values), "inf", np.where(np.isneginf(values), "-inf", out[col]))
    return out.where(frame.notna(), None)


def number_formats(currency: str) -> dict[str, str]:
    """Excel number formats by kind; money by magnitude, as on the page (two conditions per format)."""
    sign = {"USD": '"$"', "EUR": '"€"', "CNY": '"¥"'}.get(currency, f'"{currency} "')
    return {
        "money": f"[<0.01]{sign}0.000000;[<1]{sign}0.0000;{sign}#,##0.00",
        "pct": "0.0%",
        "ratio": '0.00"x"',
        "count": "#,##0",
        "tokens": "#,##0",
        "seconds": "0.0",
        "decimal": "0.00",
    }


SHEET_KINDS: dict[str, dict[str, str]] = {
    "what-if": {c: col.kind for c, col in WHATIF.items()},
    "comparison": {
        **{c: col.kind for c, col in COMPARE.items()},
        "success_low": "pct",
        "success_high": "pct",
        "cps_low": "money",
        "cps_high": "money",
        **dict.fromkeys(("cost_input", "cost_cache_read", "cost_cache_write", "cost_output"), "money"),
        **dict.fromkeys(("cost_reasoning", "cost_requests", "repriced_vs_published"), "money"),
    },
    "prices": dict.fromkeys(("input_mtok", "cache_read_mtok", "cache_write_mtok", "output_mtok"), "decimal"),
    "tornado": {"low": "money", "high": "money", "base": "money", "swing": "money"},
    "crossovers": {"a_output_rise": "pct", "a_price_rise": "pct", "b_price_fall": "pct"},
}


def _tables(content: ReportContent) -> dict[str, pd.DataFrame]:
    tables = {
        "what-if": whatif_table(content.whatif).sort_values(["rank", "model"], na_position="last"),
        "comparison": output_frame(content.summary).sort_values(["cost_per_success", "model"], na_position="last"),
    }
    if content.prices is not None:
        tables["prices"] = content.prices.sort_values(["provider", "model"], na_position="last")
    tables.update(content.extra_tables)
    return tables


def _format_sheet(sheet, frame: pd.DataFrame, kinds_of: dict[str, str], formats: dict[str, str]) -> None:
    """Bold, filled and frozen header, column widths, and a number format on every figure column."""
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F2F2F2")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2" if "model" in frame.columns[:2].tolist() else "A2"
    for i, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        text = frame[column].astype(str)
        width = max([len(str(column)), *text.str.len().head(200).tolist()])
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        fmt = formats.get(kinds_of.get(str(column), ""))
        if fmt is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = fmt


def to_xlsx(content: ReportContent) -> bytes:
    """A ``summary`` sheet first (page one of the HTML), then one sheet per table (CLI column names,
    number formats, frozen headers) and the ``inputs``.

    Values only: every text cell a spreadsheet would run as a formula is quoted first, so the
    workbook holds no formula cell whatever the model names or file names were.
    """
    formats = number_formats(content.scenario.currency)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        summary = pd.DataFrame(summary_items(content), columns=["", "summary"])
        neutralise_frame(summary).to_excel(writer, sheet_name="summary", index=False)
        sheet = writer.sheets["summary"]
        sheet.column_dimensions["A"].width = 30
        sheet.column_dimensions["B"].width = 110
        for row in sheet.iter_rows(min_row=2):
            row[0].font = Font(bold=True)
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        candidates = candidates_frame(content)
        start = len(summary) + 3
        neutralise_frame(candidates).to_excel(writer, sheet_name="summary", index=False, startrow=start)
        for cell in sheet[start + 1]:
            cell.font = Font(bold=True)
        for name, frame in _tables(content).items():
            shown = neutralise_frame(_for_sheet(frame.reset_index(drop=True)))
            shown.to_excel(writer, sheet_name=name[:31], index=False)
            _format_sheet(writer.sheets[name[:31]], frame, SHEET_KINDS.get(name, {}), formats)
        neutralise_frame(inputs_frame(content)).to_excel(writer, sheet_name="inputs", index=False)
        _format_sheet(writer.sheets["inputs"], inputs_frame(content), {}, formats)
    return buffer.getvalue()


def to_csv(content: ReportContent) -> str:
    """The what-if table as CSV (inf as ``inf``, unknown empty), the same as ``compare --scenario``."""
    return csv_text(whatif_table(content.whatif))


# ---- assembling -----------------------------------------------------------------------------------


def assemble(
    base: WhatIfBase,
    scenario: Scenario,
    summary: pd.DataFrame,
    context: dict[str, str],
    prices: pd.DataFrame | None = None,
    presets: pd.DataFrame | None = None,
    origins: pd.DataFrame | None = None,
) -> ReportContent:
    """The whole what-if answer for one scenario: table, headline, crossovers and the tornado's table.

    ``origins`` (``model``, ``vendor``, ``origin``, ``open_weights``) adds who made each model.
    Charts are drawn only when a report is written (``figures``).
    """
    table = evaluate(base, scenario)
    if origins is not None:
        table = table.merge(origins.drop_duplicates("model"), on="model", how="left")
    # The sensitivity analyses the answer the headline gives: the cheapest row, a cascade included.
    best = leader(table, scenario)
    extra: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    if best is not None:
        bars = tornado(base, scenario, best)
        cross = crossovers(base, scenario, table)
        notes = cross["sentence"].tolist()
        extra["tornado"] = bars
        extra["crossovers"] = cross
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
        leader=best,
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
