"""Every reader of user files by name, for the bad-file corpus and the fuzz test: bytes in, result out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness.importers import ImportOptions, import_log, parse_results
from harness.log_formats import convert
from harness.log_formats._read import Source
from harness.tasks import parse_tasks
from inputs.safe_json import decode_text
from inputs.scenario_file import parse_scenario
from measurements.load import parse_measurements, read_measurements
from pricing.custom import parse_sheet


def _text(data: bytes, name: str) -> str:
    return decode_text(data, name)


READERS: dict[str, Callable[[bytes, str], Any]] = {
    "measurements": parse_measurements,
    "prices": parse_sheet,
    "scenario": parse_scenario,
    "tasks": lambda data, name: parse_tasks(_text(data, name), name),
    # The task id is always named (a response id names a call); these files use "id" for it.
    "import-openai": lambda data, name: import_log(
        _text(data, name), name, ImportOptions("openai", "ok", task_field="id")
    ),
    # The other import formats as the Compare page reads an upload: detected, then converted.
    "import-formats": lambda data, name: convert(Source(name, data), {}),
    "import-csv": lambda data, name: import_log(_text(data, name), name, ImportOptions("csv")),
    "results": lambda data, name: parse_results(_text(data, name), name),
}


def read(reader: str, path: Path) -> Any:
    """Read a file with the named reader (``store``: a measurement store, read from its path)."""
    if reader == "store":
        return read_measurements(path)
    return READERS[reader](path.read_bytes(), str(path))
