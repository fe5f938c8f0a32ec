"""Procurement report: the XLSX parses back to the page's numbers, the HTML carries tables and charts,
and the CLI writes both (``report``) and prints the scenario's table (``compare --scenario``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

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


def test_xlsx_has_one_sheet_per_table_with_the_cli_columns(content):
    sheets = pd.read_excel(io.BytesIO(to_xlsx(content)), sheet_name=None)
    assert list(sheets)[:3] == ["inputs", "what-if", "comparison"]
    assert {"tornado", "crossovers", "service tiers"} <= set(sheets)
    assert list(sheets["what-if"].columns) == SCENARIO_COLUMNS
    assert list(sheets["comparison"].columns)[: len(OUTPUT_COLUMNS)] == OUTPUT_COLUMNS
    whatif = sheets["what-if"].set_index("model")
    # A with k = 2: cost per task $3 (see test_scenario), with failures 3 + 0.5 x 10 = $8, in EUR at 0.5: 4.
    assert whatif.loc["A", "cost_per_task_with_failures"] == pytest.approx(4.0)
    assert whatif.loc["B", "cost_per_success"] == pytest.approx(2.25 * 0.5)
    assert (whatif["currency"] == "EUR").all()
    inputs = dict(zip(sheets["inputs"]["input"], sheets["inputs"]["value"].astype(str), strict=True))
    assert inputs["scenario.max_attempts"] == "2"
    assert inputs["scenario.rate_date"] == "2026-11-20"
    assert inputs["measurements"] == "hand-built"


def test_html_is_self_contained_with_tables_and_charts(content):
    page = to_html(content)
    assert "<table" in page and 'id="what-if"' in page and 'id="inputs"' in page
    assert page.count("Plotly.newPlot") == 2  # the Pareto chart and the tornado
    assert "<script src=" not in page and "* plotly.js v" in page  # plotly.js is inline, no download
    assert content.headline in page
    assert "1.125" in page  # B's cost per solved task, 2.25 x 0.5 EUR


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
    sheet = pd.read_excel(out, sheet_name="what-if")
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
