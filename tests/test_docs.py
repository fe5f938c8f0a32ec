"""The README documents every input column, its examples parse, and CI runs its test command."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
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
    """After the virtual-environment line, the two commands: start the dashboard, run the tests."""
    venv, start, tests = (b.strip() for b in blocks("bash")[:3])
    assert venv == "python3 -m venv .venv && . .venv/bin/activate"
    assert start == "pip install -r requirements.txt && streamlit run serve.py"
    assert tests == "bash scripts/test.sh"
    assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def runnable_commands() -> list[str]:
    """Commands of the README's bash blocks marked ``<!-- runnable -->``, continuations joined."""
    found = re.findall(r"<!-- runnable -->\n```bash\n(.*?)```", README, flags=re.S)
    commands = []
    for block in found:
        for command in block.replace("\\\n", " ").splitlines():
            if command.strip():
                commands.append(command.strip())
    return commands


def test_the_readme_marks_its_runnable_blocks() -> None:
    assert len(runnable_commands()) >= 8


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository to run the README's commands in (they write output files)."""
    target = tmp_path_factory.mktemp("readme") / "checkout"
    skip = shutil.ignore_patterns(".git", "__pycache__", ".*_cache", ".hypothesis", "tests", "bench", ".venv")
    shutil.copytree(ROOT, target, ignore=skip)
    return target


@pytest.mark.parametrize("command", runnable_commands())
def test_every_runnable_readme_command_works_as_written(checkout: Path, command: str) -> None:
    assert command.startswith("python -m tokenomics ")
    run = subprocess.run(
        ["bash", "-c", command.replace("python -m", f"{shlex.quote(sys.executable)} -m", 1)],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() or ">" in command, "says nothing"
    assert "Traceback" not in run.stderr


def test_the_readme_lead_is_what_the_first_screen_says_on_the_bundled_data() -> None:
    """scripts/readme_lead.py recomputes the Findings page's first lines; the README must hold them."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_lead.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
