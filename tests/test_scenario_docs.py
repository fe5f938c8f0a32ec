"""docs/whatif.md documents every scenario key, and its example scenario runs on the example data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli.main import main
from inputs.scenario_file import parse_scenario
from tokenomics.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "whatif.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(Scenario.model_fields))
def test_every_scenario_key_is_documented(key: str) -> None:
    assert f"`{key}`" in DOC


def test_the_documented_example_is_a_valid_scenario_that_runs(tmp_path: Path, capsys) -> None:
    (example,) = re.findall(r"```json\n(.*?)```", DOC, flags=re.S)
    scenario = parse_scenario(example, "docs/whatif.md")
    assert scenario.cascade == ["gpt-4.1", "claude-sonnet-4-0"]
    path = tmp_path / "scenario.json"
    path.write_text(example)
    assert main(["compare", "--measurements", str(ROOT / "examples" / "attempts.csv"), "--scenario", str(path)]) == 0
    assert "gpt-4.1 → claude-sonnet-4-0" in capsys.readouterr().out
