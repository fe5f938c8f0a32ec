"""Procurement report: the XLSX parses back to the page's numbers, the HTML carries tables and charts,
and the CLI writes both (``report``) and prints the scenario's table (``compare --scenario``)."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from strategies import measurement_rows, price_table
from test_scenario import make_base, records

from cli.main import main
from reports.procurement import ReportContent, assemble, to_csv, to_html, to_xlsx
from tokenomics.compare import OUTPUT_COLUMNS, CompareOptions, summarise
from tokenomics.scenario import Scenario
from tokenomics.scenario_apply import SCENARIO_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "attempts.csv"
SCENARIO = {
    "max_attempts": 2,
    "failure_minutes": 10,
    "hourly_rate": 60,
    "tasks_per_month": 1000,
    "currency": "EUR",
    "exchange_rate": 0.5,
    "rate_date": "2026-11-20",
}


@pytest.fixture(scope="module")
def content() -> ReportContent:
    base = make_base()
    table = price_table([{"input_mtok": 1.0, "output_mtok": 2.0}, {"input_mtok": 0.5, "output_mtok": 1.0}])
    summary = summarise(measurement_rows(records(True)), table, CompareOptions(resamples=20))
    return assemble(base, Scenario.model_validate(SCENARIO), summary, {"measurements": "hand-built"})


def test_xlsx_opens_on_the_summary_then_one_sheet_per_table_with_the_cli_columns(content):
    sheets = pd.read_excel(io.BytesIO(to_xlsx(content)), sheet_name=None)
    assert list(sheets)[:3] == ["summary", "what-if", "comparison"]
    assert list(sheets)[-1] == "inputs"
    assert {"tornado", "crossovers", "service tiers"} <= set(sheets)
    assert list(sheets["what-if"].columns) == SCENARIO_COLUMNS
    assert list(sheets["comparison"].columns)[: len(OUTPUT_COLUMNS)] == OUTPUT_COLUMNS
    whatif = sheets["what-if"].set_index("model")
    # A with k = 2: cost per task $3 (see test_scenario), with failures 3 + 0.5 x 10 = $8, in EUR at 0.5: 4.
    assert whatif.loc["A", "cost_per_task_with_failures"] == pytest.approx(4.0)
    assert whatif.loc["B", "cost_per_success"] == pytest.approx(2.25 * 0.5)
    assert (whatif["currency"] == "EUR").all()
    assert sheets["what-if"]["rank"].tolist() == sorted(sheets["what-if"]["rank"].tolist())  # best first
    inputs = dict(zip(sheets["inputs"]["input"], sheets["inputs"]["value"].astype(str), strict=True))
    assert inputs["scenario.max_attempts"] == "2"
    assert inputs["scenario.rate_date"] == "2026-11-20"
    assert inputs["measurements"] == "hand-built"
    summary = dict(zip(sheets["summary"].iloc[:, 0], sheets["summary"].iloc[:, 1], strict=False))
    assert summary["Answer"] == content.headline
    assert summary["Exchange rate"].startswith("Amounts in EUR at 1 USD = 0.5000 EUR (rate as entered, 2026-11-20)")


def test_xlsx_figures_carry_number_formats_under_a_frozen_header(content):
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(content)))
    assert book.sheetnames[0] == "summary"
    sheet = book["what-if"]
    assert sheet.freeze_panes == "B2"
    header = [c.value for c in sheet[1]]
    column = header.index("cost_per_success") + 1
    assert sheet.cell(row=2, column=column).number_format == '[<0.01]"€"0.000000;[<1]"€"0.0000;"€"#,##0.00'
    assert sheet.cell(row=2, column=header.index("p_solved") + 1).number_format == "0.0%"
    assert sheet.cell(row=1, column=1).font.bold


def test_html_page_one_is_a_summary_a_buyer_can_forward(content):
    page = to_html(content)
    first = page[: page.index("<section class='appendix'")]
    # Question, candidates, answer, discount, assumptions, prices and rate all come before the first appendix.
    assert "Which model solves these tasks at the lowest cost per solved task, under this scenario" in first
    assert "up to 2 attempts per task with a verifier" in html.unescape(first)
    assert "id='candidates'" in first
    assert html.escape(content.headline) in first
    for heading in ("Winner", "Assumptions", "Prices", "Exchange rate"):
        assert f"<dt>{heading}</dt>" in first
    assert "1 USD = 0.5000 EUR" in first
    # Appendices follow, each on its own printed page; the tables are the formatted ones, best first.
    assert "@media print" in page and "break-before:page" in page and "@page{size:A4" in page
    assert page.count("Plotly.newPlot") == 2  # the Pareto chart and the tornado
    assert "<script src=" not in page and page.count("plotly.js (basic - minified) v4.1.1") == 1
    assert "€1.12" in page  # B's cost per solved task, 2.25 x 0.5 = 1.125 EUR, in the app's format
    text = re.sub(r"<script.*?</script>", "", page[page.index("<body>") :], flags=re.S)
    for blank in ("None", ">nan<", "<td></td>"):
        assert blank not in text, text[max(0, text.find(blank) - 200) : text.find(blank) + 40]


def test_csv_is_the_what_if_table(content):
    frame = pd.read_csv(io.StringIO(to_csv(content)))
    assert list(frame.columns) == SCENARIO_COLUMNS
    assert frame.set_index("model").loc["B", "p_solved"] == 1.0


def test_cli_report_writes_html_and_xlsx(tmp_path: Path, capsys):
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({**SCENARIO, "cascade": ["gpt-4.1", "claude-sonnet-4-0"]}))
    for name in ("report.xlsx", "report.html"):
        out = tmp_path / name
        assert main(["report", "--measurements", str(EXAMPLE), "--scenario", str(scenario), "--out", str(out)]) == 0
        assert out.stat().st_size > 0
    sheets = pd.read_excel(tmp_path / "report.xlsx", sheet_name=None)
    assert "gpt-4.1 → claude-sonnet-4-0" in set(sheets["what-if"]["model"])
    assert "wrote" in capsys.readouterr().out
    assert "gpt-4.1 → claude-sonnet-4-0" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_cli_compare_with_a_scenario_prints_the_same_numbers(tmp_path: Path, capsys):
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO))
    assert main(["compare", "--measurements", str(EXAMPLE), "--scenario", str(scenario), "--format", "csv"]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(printed.columns) == SCENARIO_COLUMNS
    out = tmp_path / "r.xlsx"
    assert main(["report", "--measurements", str(EXAMPLE), "--scenario", str(scenario), "--out", str(out)]) == 0
    sheet = pd.read_excel(out, sheet_name="what-if").set_index("model").sort_index()
    printed = printed.set_index("model").sort_index()
    pd.testing.assert_series_equal(printed["cost_per_success"], sheet["cost_per_success"], check_exact=False)


def test_cli_rejects_a_bad_scenario_naming_the_key(tmp_path: Path, capsys):
    scenario = tmp_path / "bad.json"
    scenario.write_text('{"token_multipliers": {"output": -1}}')
    assert main(["compare", "--measurements", str(EXAMPLE), "--scenario", str(scenario)]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and "token_multipliers.output" in err


def test_cli_rejects_an_unknown_report_format(tmp_path: Path, capsys):
    assert main(["report", "--measurements", str(EXAMPLE), "--out", str(tmp_path / "r.pdf")]) == 2
    assert ".html, .xlsx or .csv" in capsys.readouterr().err


def html_table(page: str, table_id: str) -> pd.DataFrame:
    """A table of the report by its id, as text cells (the report writes plain <th> and <td> cells)."""
    body = re.search(rf"<table class='data' id='{table_id}'>(.*?)</table>", page, flags=re.S).group(1)
    head = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", body)]
    rows = [
        [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in re.findall(r"<tr>(.*?)</tr>", body)
    ]
    return pd.DataFrame([r for r in rows if r], columns=head)


def test_the_bundled_report_is_under_1_5_mb_with_plotly_once_and_a_full_summary(tmp_path: Path, capsys):
    out = tmp_path / "report.html"
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"max_attempts": 2, "tasks_per_month": 10000}))
    assert main(["report", "--scenario", str(scenario), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert out.stat().st_size < 1_500_000, out.stat().st_size
    assert page.count("plotly.js (basic - minified)") == 1 and page.count("Plotly.newPlot") == 2
    first = html.unescape(page[: page.index("<section class='appendix'")])
    # The Aider board, k = 2 on aggregates: the answer rests on independent retries and says so.
    assert "(assuming retries are independent)" in first
    # Its winner was costed from its published total (no tokens): the discount per solved task only, said so.
    assert "DeepSeek Chat V3 (prev) is 48.3x cheaper per solved task than gpt-5 (high)" in first
    assert "Measured, without the scenario" in first
    assert "95% interval $" in first
    assert "price layers in use: " in first and "repricing flags on" in first and "oldest price in use" in first
    assert "All amounts in USD." in first
    # Vendor and origin beside each candidate; the appendix tables are sorted.
    candidates = html_table(page, "candidates")
    assert candidates.columns.tolist()[:4] == ["rank", "model", "vendor", "origin"]
    assert candidates["rank"].astype(int).tolist() == sorted(candidates["rank"].astype(int).tolist())
    measured = html_table(page, "appendix-2-table")
    costs = pd.to_numeric(measured["per solved task"].str.lstrip("$").str.replace(",", ""), errors="coerce")
    assert costs.dropna().is_monotonic_increasing


def test_formulas_in_model_names_are_neutralised_on_every_sheet(tmp_path: Path):
    rows = tmp_path / "evil.csv"
    rows.write_text(
        'model,attempts,successes,cost_usd\n"=HYPERLINK(""http://x"",""click"")",10,5,1.0\nplain,10,6,2.0\n'
    )
    out = tmp_path / "r.xlsx"
    assert main(["report", "--measurements", str(rows), "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), (sheet.title, cell.value)
                assert cell.data_type != "f"


def test_the_embedded_plotly_matches_the_python_package():
    """The report's figures are written by plotly.py for its own plotly.js: the embedded bundle is that version."""
    import plotly.offline

    from inputs.report_assets import plotly_basic_version

    assert plotly_basic_version() == plotly.offline.get_plotlyjs_version()
