"""Reading a what-if scenario (a file, an upload, a link); the arithmetic lives in ``tokenomics.scenario*``."""

from __future__ import annotations

from pathlib import Path

from inputs.safe_json import decode_text, loads
from tokenomics.errors import InputError
from tokenomics.scenario import Scenario, scenario_from_data

EXPECTED = "a UTF-8 JSON scenario (see docs/whatif.md)"


def parse_scenario(text: str | bytes, name: str) -> Scenario:
    """A scenario from JSON text or bytes (a byte-order mark is fine); any problem is an ``InputError``.

    >>> parse_scenario(b'\\xef\\xbb\\xbf{"max_attempts": 2}', "s.json").max_attempts
    2
    >>> try:
    ...     parse_scenario('{"haircut": 0.1, "haircut": 0.2}', "s.json")
    ... except InputError as exc:
    ...     print(exc.message)
    not accepted JSON: the key 'haircut' twice in one object
    """
    if isinstance(text, bytes):
        text = decode_text(text, name, EXPECTED)
    return scenario_from_data(loads(text, name), name)


def read_scenario(path: str | None) -> Scenario:
    """The scenario in a JSON file (no file: the neutral scenario)."""
    if path is None:
        return Scenario()
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the scenario: {exc.strerror}", file=path) from None
    return parse_scenario(data, path)
