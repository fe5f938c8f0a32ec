"""Exports neutralise formulas, reads leave SQLite files alone, and the bounds hold (issue 10,
findings 2, 3 and 7)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from pathlib import Path

import openpyxl
import pytest

from cli.main import main
from harness.store import Attempt, Run, Store
from inputs import safe_yaml
from inputs.limits import current
from inputs.safe_cells import TRIGGERS
from pricing.custom import parse_sheet
from tokenomics.errors import InputError

EVIL = ['=HYPERLINK("http://evil.example","click")', "+1+1", "@SUM(A1:A9)", "-2+3", "\tTAB", "\rCR"]


def evil_measurements(tmp_path: Path) -> Path:
    """Per-attempt rows of a priced model under labels a spreadsheet would run as formulas."""
    lines = ["label,model,provider,task_id,attempt,success,input_tokens,output_tokens"]
    for i, label in enumerate(EVIL):
        quoted = '"' + label.replace('"', '""') + '"'
        lines += [f"{quoted},gpt-4o,openai,t{k},1,{'true' if k <= i % 2 else 'false'},1000,200" for k in range(3)]
    path = tmp_path / "evil.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def assert_neutral(cells: list[str], where: str) -> None:
    for cell in cells:
        if cell.startswith(TRIGGERS):
            assert cell.startswith("-") and cell.lstrip("-").replace(".", "", 1).replace("e", "", 1).isdigit(), (
                where,
                cell,
            )
    for label in EVIL:
        assert label not in cells, (where, label)
        if not label[0].isspace():  # readers strip surrounding whitespace from names
            assert "'" + label in cells, (where, label)


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_every_csv_writer_neutralises_formulas(tmp_path: Path, capsys) -> None:
    evil = str(evil_measurements(tmp_path))
    assert main(["compare", "--measurements", evil, "--format", "csv"]) == 0
    assert_neutral(csv_cells(capsys.readouterr().out), "compare csv")
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"max_attempts": 2}))
    assert main(["compare", "--measurements", evil, "--scenario", str(scenario), "--format", "csv"]) == 0
    assert_neutral(csv_cells(capsys.readouterr().out), "compare --scenario csv")
    assert main(["report", "--measurements", evil, "--out", str(tmp_path / "r.csv")]) == 0
    assert_neutral(csv_cells((tmp_path / "r.csv").read_text()), "report csv")

    log = tmp_path / "log.csv"
    log.write_text(Path(evil).read_text().replace("label,", "", 1).replace('"', ""), encoding="utf-8")
    rows = ["model,task_id,success,input_tokens,output_tokens"]
    rows += [f'"{m.replace(chr(34), chr(34) * 2)}",t1,true,10,2' for m in EVIL]
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["import", "--format", "csv", str(log), "--out", str(tmp_path / "imported.csv")]) == 0
    assert_neutral(csv_cells((tmp_path / "imported.csv").read_text()), "import csv")

    store = tmp_path / "runs.sqlite"
    assert main(["import", "--format", "csv", str(log), "--store", str(store)]) == 0
    assert main(["export", "--store", str(store), "--out", str(tmp_path / "exported.csv")]) == 0
    assert_neutral(csv_cells((tmp_path / "exported.csv").read_text()), "export csv")
    capsys.readouterr()


def test_xlsx_report_holds_values_only(tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.xlsx"
    assert main(["report", "--measurements", str(evil_measurements(tmp_path)), "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert cells
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert_neutral([c.value for c in cells if isinstance(c.value, str)], "xlsx")
    numbers = [c.value for c in cells if isinstance(c.value, int | float)]
    assert numbers  # numbers stay numbers


def test_tab_and_carriage_return_cells_are_quoted_too() -> None:
    import pandas as pd

    from inputs.safe_cells import csv_text, neutralise

    assert neutralise("\t=1+1") == "'\t=1+1"
    assert neutralise("\r@x") == "'\r@x"
    assert neutralise("-1.5e3") == "-1.5e3"
    assert csv_text(pd.DataFrame({"m": ["\t=x", "ok"], "v": [-1.0, 2.0]})).splitlines()[1:] == ["'\t=x,-1.0", "ok,2.0"]


def test_alias_bomb_is_refused_in_under_a_second() -> None:
    bomb = Path(__file__).parent.joinpath("bad_files", "alias_bomb.yaml").read_bytes()
    assert len(bomb) < 500
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"line 2: aliases \(\*name\) are not accepted"):
        parse_sheet(bomb, "bomb.yaml")
    assert time.perf_counter() - started < 1.0


def test_yaml_dates_stay_text_for_the_validator() -> None:
    assert safe_yaml.load("d: 2025-01-01\n", "x.yaml") == {"d": "2025-01-01"}


def store_with_a_run(path: Path) -> None:
    with Store(path) as store:
        run = Run("r1", "2025-01-01T00:00:00Z", "m", "gpt-4o", "openai", None, None, None, 1, 1, "import", "{}")
        attempt = Attempt(
            "t1", 0, "ok", True, 10, None, None, 2, None, None, None, None, None, "2025-01-01", None, None
        )
        store.record_runs([(run, [attempt])])
    with sqlite3.connect(path) as db:  # a store handed over in rollback-journal mode
        db.execute("PRAGMA journal_mode=DELETE")


def test_reading_commands_leave_sqlite_files_untouched(tmp_path: Path, capsys) -> None:
    """Finding 7: compare and export open stores read-only: no table, no WAL, no file created."""
    store = tmp_path / "runs.sqlite"
    store_with_a_run(store)
    foreign = tmp_path / "other_app.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    assert main(["compare", "--measurements", str(store), "--format", "csv"]) == 0
    assert main(["export", "--store", str(store), "--out", str(tmp_path / "out.csv")]) == 0
    assert main(["compare", "--measurements", str(foreign)]) == 2
    assert "not a tokenomics store (its tables: invoices)" in capsys.readouterr().err
    assert main(["export", "--store", str(empty), "--out", str(tmp_path / "x.csv")]) == 2
    assert "not an SQLite file" in capsys.readouterr().err
    assert main(["compare", "--measurements", str(tmp_path / "missing.sqlite")]) == 2

    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "out.csv"}
    assert after == before
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_a_writer_refuses_a_foreign_database(tmp_path: Path, capsys) -> None:
    foreign = tmp_path / "other_app.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    log = tmp_path / "log.csv"
    log.write_text("model,task_id,success,input_tokens,output_tokens\nm,t1,true,1,1\n")
    assert main(["import", "--format", "csv", str(log), "--store", str(foreign)]) == 2
    assert "not a tokenomics store" in capsys.readouterr().err
    with sqlite3.connect(foreign) as db:
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["invoices"]


def test_messages_never_grow_with_the_input() -> None:
    huge = "x" * 1_000_000
    text = str(InputError(huge, file=huge, line=1, column=huge, found=[huge] * 10**6, expected=huge))
    assert len(text) < 1100 and "\n" not in text
    assert "(found a list of 1000000 items)" in text


def test_a_bound_can_be_raised_where_a_real_user_exceeds_it(monkeypatch) -> None:
    from measurements.load import parse_measurements

    data = b"model,task_id,success,input_tokens\nm,t1,true,2000000000\n"
    with pytest.raises(InputError, match="more than 1e\\+09 tokens per attempt"):
        parse_measurements(data, "big.csv")
    monkeypatch.setenv("TOKENOMICS_MAX_TOKENS_PER_ATTEMPT", "5e9")
    assert current().max_tokens_per_attempt == 5e9
    assert parse_measurements(data, "big.csv").frame["input_tokens"].iloc[0] == 2e9
    monkeypatch.setenv("TOKENOMICS_MAX_TOKENS_PER_ATTEMPT", "lots")
    with pytest.raises(InputError, match="TOKENOMICS_MAX_TOKENS_PER_ATTEMPT is not a positive number"):
        current()


def test_the_largest_scenario_stays_finite_for_models_that_solved_tasks(tmp_path: Path, capsys) -> None:
    """Every knob at its bound: large figures, never inf for a model that solved tasks, never 300 digits."""
    scenario = {
        "price_multiplier": 100,
        "kind_price_multipliers": {"output": 100, "input": 100},
        "model_price_multipliers": {"gpt-4.1": 100},
        "token_multipliers": {"output": 100, "reasoning": 100},
        "haircut": 0.99,
        "max_attempts": 50,
        "verifier_cost": 1e6,
        "failure_cost": 1e6,
        "failure_minutes": 1e5,
        "hourly_rate": 1e6,
        "service_tier": "priority",
        "tier_factors": {"openai": {"priority": 100}},
        "tasks_per_month": 1e10,
    }
    path = tmp_path / "max.json"
    path.write_text(json.dumps(scenario))
    example = str(Path(__file__).resolve().parents[1] / "examples" / "attempts.csv")
    assert main(["compare", "--measurements", example, "--scenario", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    solved = [r for r in rows if float(r["success_rate"]) > 0]
    assert solved
    for row in solved:
        for column in ("cost_per_success", "cost_per_task_with_failures", "monthly_total"):
            assert row[column] not in ("inf", ""), (row["model"], column)
    assert main(["compare", "--measurements", example, "--scenario", str(path)]) == 0
    headline = capsys.readouterr().out.splitlines()[0]
    assert len(headline) < 300 and "e+" in headline  # powers of ten, not a 30-digit figure
