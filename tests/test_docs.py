"""The README documents every input column, its examples parse, and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from measurements.load import AGGREGATED_SHAPE, PER_ATTEMPT_SHAPE, parse_measurements
from measurements.schema import AGGREGATED, PER_ATTEMPT
from pricing.custom import CustomPrice, parse_sheet
from tokenomics.compare import OUTPUT_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


@pytest.mark.parametrize("column", sorted({c.name for c in (*PER_ATTEMPT, *AGGREGATED)}))
def test_every_measurement_column_is_documented(column: str) -> None:
    assert f"`{column}`" in README


@pytest.mark.parametrize("column", OUTPUT_COLUMNS)
def test_every_output_column_is_documented(column: str) -> None:
    assert column in README


@pytest.mark.parametrize("field", sorted(set(CustomPrice.model_fields) - {"tiers"}))
def test_every_price_sheet_field_is_documented(field: str) -> None:
    assert field in README


def test_readme_examples_parse() -> None:
    csvs = [b for b in blocks("csv") if b.startswith("model,") or b.startswith("label,")]
    shapes = {parse_measurements(b.encode(), "example.csv").shape for b in csvs}
    assert shapes == {PER_ATTEMPT_SHAPE, AGGREGATED_SHAPE}
    (jsonl,) = blocks("json")
    assert parse_measurements(jsonl.encode(), "example.jsonl").shape == PER_ATTEMPT_SHAPE
    sheet = next(b for b in blocks("csv") if b.lstrip().startswith("provider,"))
    assert parse_sheet(sheet.strip().encode(), "prices.csv")[0].output_mtok == 0.42


def test_ci_runs_the_readme_test_command() -> None:
    command = blocks("bash")[1].strip()
    assert command == "bash scripts/test.sh"
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -r requirements.txt && streamlit run app.py" in blocks("bash")[0]
