"""Reading a what-if scenario file; the arithmetic lives in ``tokenomics.scenario*``."""

from __future__ import annotations

from pathlib import Path

from tokenomics.errors import InputError
from tokenomics.scenario import Scenario, parse_scenario


def read_scenario(path: str | None) -> Scenario:
    """The scenario in a JSON file (no file: the neutral scenario)."""
    if path is None:
        return Scenario()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the scenario: {exc.strerror}", file=path) from None
    return parse_scenario(text, path)
