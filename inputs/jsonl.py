"""Reading JSON Lines: one object per line, blank lines skipped, errors naming the line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tokenomics.errors import InputError

EXPECTED = "one JSON object per line"


def json_objects(text: str, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; raise ``InputError`` at the first bad one."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg})", file=name, line=number, expected=EXPECTED) from None
        if not isinstance(record, dict):
            raise InputError("not a JSON object", file=name, line=number, found=record, expected=EXPECTED)
        yield number, record
