"""Reading the files importers are handed: bounded, strict JSON, and records that know their line.

JSON goes through the project's strict reader (``inputs.safe_json``: ``NaN``, numbers too large
to be finite and a key given twice in one object are refused, nesting is bounded) and CSV through
its CSV rules (``inputs.safe_csv``), with larger bounds: a log line may carry a whole prompt, and
a leaderboard file is one document of several MB. Lines are split on ``\\n`` only.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from inputs import safe_csv, safe_json
from inputs.limits import current
from tokenomics.errors import InputError

MAX_FILE_BYTES = 512 * 2**20
"""One input file (a whole leaderboard file is a few MB; a month of spend logs may be hundreds)."""
MAX_LINE_CHARS = 16 * 2**20
"""One JSON line or CSV cell (Langfuse and LiteLLM exports may hold a whole conversation in one)."""
SHOWN = 60
BIGGEST_AMOUNT = 1e12
"""Dollars or milliseconds of one call past which a value is a typo or an attempt to overflow; the
loader applies the stated per-attempt bounds (``inputs.limits``) to what the import writes."""


@dataclass(frozen=True)
class Source:
    """One input: its name as the user gave it and its bytes."""

    name: str
    data: bytes


class Bad(Exception):
    """A record that cannot be read; says which field, what was found and what was expected."""

    def __init__(self, message: str, field: str | None = None, found: object = None, expected: str | None = None):
        super().__init__(message)
        self.message, self.field, self.found, self.expected = message, field, _short(found), expected


class RequestError(Exception):
    """A record of a request that failed (rate limit, timeout...): not an attempt of the model."""


def _short(value: object) -> object:
    if isinstance(value, str) and len(value) > SHOWN:
        return value[:SHOWN] + "..."
    if isinstance(value, dict | list):
        text = json.dumps(value)
        return text if len(text) <= SHOWN else text[:SHOWN] + "..."
    return value


@dataclass
class Log:
    """What an import met besides attempts: bad records, failed requests, notes for the user."""

    skip_bad: bool = False
    bad: list[tuple[str, int | None, Bad]] = field(default_factory=list)
    request_errors: int = 0
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def check(self) -> None:
        """All-or-nothing: the first bad record is the error unless ``skip_bad``."""
        if not self.bad or self.skip_bad:
            return
        file, line, exc = self.bad[0]
        more = f" ({len(self.bad)} bad records; --skip-bad imports the rest)" if len(self.bad) > 1 else ""
        raise InputError(
            exc.message + more,
            file=file,
            line=line,
            column=exc.field,
            column_word="field",
            found=exc.found,
            expected=exc.expected,
        )


def decode(source: Source) -> str:
    if len(source.data) > MAX_FILE_BYTES:
        raise InputError(
            f"a file of {len(source.data):,} bytes", file=source.name, expected=f"at most {MAX_FILE_BYTES:,} bytes"
        )
    return safe_json.decode_text(source.data, source.name)


_SPACE = re.compile(r"[ \t\r\n]*")
_DECODER = safe_json.DECODER


def _problem(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg})"
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply"
    return f"not accepted JSON: {exc}"


def loads(text: str, name: str, line: int | None = None) -> Any:
    """One JSON document; any problem is an ``InputError`` naming the file (and line)."""
    return safe_json.loads(text, name, line=line, max_chars=MAX_FILE_BYTES)


def _line(text: str, name: str, number: int) -> Any:
    if len(text) > MAX_LINE_CHARS:
        return Bad(f"a line of {len(text):,} characters", expected=f"at most {MAX_LINE_CHARS:,} characters per line")
    try:
        return safe_json.loads(text, name, line=number, max_chars=MAX_LINE_CHARS)
    except InputError as exc:
        return Bad(exc.message, expected="one JSON object per line")


def records(source: Source, text: str | None = None) -> Iterator[tuple[int, Any]]:
    """(line, value) of each record of a JSON Lines file, a JSON array, or a single JSON document.

    A value that does not parse is yielded as a ``Bad``; the caller decides whether it stops the
    import. Elements of an array get the line their text starts on.
    """
    text = decode(source) if text is None else text
    start = _SPACE.match(text).end()  # type: ignore[union-attr]
    if text.startswith("[", start):
        yield from _array(text, start, source.name)
        return
    if text.startswith("{", start) and "\n" in text.strip():  # a pretty-printed document, or JSON Lines
        try:
            whole, end = _DECODER.raw_decode(text, start)
            if _SPACE.match(text, end).end() == len(text):  # type: ignore[union-attr]
                yield text.count("\n", 0, start) + 1, whole
                return
        except (ValueError, RecursionError):
            pass
    for number, line in safe_json.lines(text):
        if line.strip():
            yield number, _line(line, source.name, number)


def _array(text: str, pos: int, name: str) -> Iterator[tuple[int, Any]]:
    pos += 1
    while True:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith("]", pos):
            return
        line = text.count("\n", 0, pos) + 1
        try:
            value, pos = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError) as exc:
            raise InputError(_problem(exc), file=name, line=line) from None
        yield line, value
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos += 1
        elif not text.startswith("]", pos):
            raise InputError("not valid JSON (expected ',' or ']' in the array)", file=name, line=line)


def csv_records(source: Source, text: str | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of a CSV file with a header; the line is where the row starts, as an editor shows it."""
    text = decode(source) if text is None else text
    names, dropped = safe_csv.header(text, source.name)
    old = csv.field_size_limit(MAX_LINE_CHARS)
    try:
        for start, record in safe_csv.records(text, source.name):
            record = safe_csv.trim(record, len(names), dropped)
            if len(record) > len(names):
                raise InputError(
                    f"{len(record)} fields where the header has {len(names)}",
                    file=source.name,
                    line=start,
                    expected="the same number of fields on every line",
                )
            yield start, dict(zip(names, record, strict=False))
    finally:
        csv.field_size_limit(old)


def is_csv(source: Source, text: str) -> bool:
    """CSV by name, or by content when the name says nothing (an upload without extension)."""
    name = source.name.lower()
    if name.endswith((".csv", ".tsv")):
        return True
    if name.endswith((".json", ".jsonl", ".ndjson")):
        return False
    return not text.lstrip().startswith(("{", "["))


def table(source: Source) -> Iterator[tuple[int, Any]]:
    """Rows of an export that may be CSV, a JSON array or JSON Lines (Langfuse, LiteLLM...).

    CSV cells holding JSON (maps, lists) stay text; importers decode the ones they need with
    ``cell_json``.
    """
    text = decode(source)
    if is_csv(source, text):
        yield from csv_records(source, text)
    else:
        yield from records(source, text)


def cell_json(value: Any, field: str) -> Any:
    """A JSON value that a CSV export stored as text (or that a JSON export kept as is)."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    try:
        return safe_json.loads(value, "cell", max_chars=MAX_LINE_CHARS)
    except InputError as exc:
        raise Bad(exc.message, field=field, found=value, expected="JSON") from None


def dig(data: Any, path: str) -> Any:
    """The value at a dotted path (``metadata.spend_logs_metadata.task_id``); None when absent.

    A key holding dots itself (``gen_ai.usage.input_tokens``) is found whole first.
    """
    if not isinstance(data, dict):
        return None
    if path in data:
        return data[path]
    parts = path.split(".")
    for cut in range(1, len(parts)):
        head = ".".join(parts[:cut])
        if head not in data:
            continue
        value = data[head]
        if isinstance(value, str) and value.lstrip().startswith("{"):
            try:  # a JSON cell of a CSV export
                value = _DECODER.decode(value)
            except (ValueError, RecursionError):
                continue
        found = dig(value, ".".join(parts[cut:]))
        if found is not None:
            return found
    return None


def count(value: Any, field: str, *, nullable: bool = True) -> int | None:
    """A token count: a non-negative whole number (JSON number or text); None when absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if nullable:
            return None
        raise Bad("missing token count", field=field, expected="a whole number >= 0")
    if isinstance(value, bool):
        raise Bad("true/false where a count belongs", field=field, found=value, expected="a whole number >= 0")
    number: float
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            raise Bad("not a number", field=field, found=value, expected="a whole number >= 0") from None
    if not math.isfinite(number) or number < 0 or number != int(number):
        raise Bad("not a token count", field=field, found=value, expected="a whole number >= 0")
    bound = current().max_tokens_per_attempt
    if number > bound:
        raise Bad(
            f"{number:.3g} tokens, above the {bound:.3g} an attempt may plausibly use",
            field=field,
            expected="a plausible count (TOKENOMICS_MAX_TOKENS_PER_ATTEMPT raises the bound)",
        )
    return int(number)


def amount(value: Any, field: str) -> float | None:
    """A non-negative finite number (USD, seconds...); None when absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise Bad("true/false where a number belongs", field=field, found=value, expected="a number >= 0")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Bad("not a number", field=field, found=value, expected="a number >= 0") from None
    if not math.isfinite(number) or number < 0:
        raise Bad("not a non-negative number", field=field, found=value, expected="a number >= 0")
    if number > BIGGEST_AMOUNT:
        raise Bad(f"{number:.3g}, beyond any plausible cost or time", field=field, expected="a plausible value")
    return number


def text_field(value: Any, field: str, *, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Bad("missing", field=field, expected="a non-empty text")
        return None
    if isinstance(value, dict | list | bool):
        raise Bad("not a text", field=field, found=value, expected="a text")
    return str(value).strip()


def obj(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (for optional nested blocks)."""
    return value if isinstance(value, dict) else {}


def arr(value: Any) -> list[Any]:
    """``value`` if it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []
