"""The one JSON reader: bounded in size, depth and numbers, strict about keys.

``json.loads`` alone accepts ``NaN``, ``Infinity`` and ``1e999`` (as inf), lets the last of two
equal keys win silently, recurses until the interpreter gives up on deep nesting, and spends
quadratic time on huge integers. Here each of those is a clean ``InputError``. JSON Lines are split
on ``\\n`` only: ``str.splitlines`` would also split on U+2028 and other separators that JSON
allows inside strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from tokenomics.errors import InputError

MAX_DOCUMENT_BYTES = 1_000_000
"""A whole JSON document (scenario, price sheet entry, endpoint reply)."""
MAX_LINE_BYTES = 1_000_000
"""One line of a JSON Lines or CSV file."""
MAX_DEPTH = 32
"""Nesting of objects and arrays."""
MAX_NUMBER_CHARS = 40
"""Characters of one number literal (a float needs at most 24)."""
MAX_INTEGER = 2**63 - 1
"""Largest integer accepted (beyond it pandas and SQLite lose it)."""
EXPECTED_LINES = "one JSON object per line"

_OPENERS = re.compile(r'[\[{"\\]')


class _Refused(ValueError):
    """A number or key the strict decoder refuses; the message says which."""


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"a number of {len(text)} characters")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"a number too large to be finite ({text[:MAX_NUMBER_CHARS]})")
    return value


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"a number of {len(text)} characters")
    value = int(text)
    if abs(value) > MAX_INTEGER:
        raise _Refused(f"an integer beyond 2^63-1 ({text})")
    return value


def _parse_constant(name: str) -> float:
    raise _Refused(f"{name}, which is not a JSON number")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"the key {key[:60]!r} twice in one object")
        out[key] = value
    return out


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_float=_parse_float, parse_int=_parse_int, parse_constant=_parse_constant
)
DECODER = _DECODER
"""The strict decoder itself, for readers that walk a document with ``raw_decode`` (a JSON array
whose elements must keep their line numbers); its refusals are ``ValueError``s."""


def _depth(text: str) -> int:
    """Deepest nesting of ``[``/``{`` outside strings; linear, no recursion."""
    depth = deepest = 0
    in_string = escaped = False
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0  # the common case: too few openers to nest too deeply, no character loop
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def loads(
    text: str, name: str, *, line: int | None = None, max_chars: int = MAX_DOCUMENT_BYTES, expected: str | None = None
) -> Any:
    """Parse one JSON document; any problem is an ``InputError`` naming ``name`` (and ``line``)."""
    if len(text) > max_chars:
        raise InputError(
            f"JSON of {len(text):,} characters", file=name, line=line, expected=f"at most {max_chars:,} characters"
        )
    text = text.removeprefix("\ufeff")
    if _depth(text) > MAX_DEPTH:
        raise InputError(
            "JSON nested too deeply", file=name, line=line, expected=f"at most {MAX_DEPTH} levels of objects and arrays"
        )
    try:
        return _DECODER.decode(text)
    except _Refused as exc:
        raise InputError(
            f"not accepted JSON: {exc}", file=name, line=line, expected="finite numbers, unique keys"
        ) from None
    except json.JSONDecodeError as exc:
        where = f" at line {exc.lineno}, column {exc.colno}" if line is None else f" at column {exc.colno}"
        raise InputError(f"not valid JSON ({exc.msg}{where})", file=name, line=line, expected=expected) from None
    except (ValueError, RecursionError) as exc:  # int digit limits, surrogate trouble
        raise InputError(f"not valid JSON ({type(exc).__name__})", file=name, line=line) from None


def lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of JSON Lines text, split on ``\\n`` only (a trailing ``\\r`` is dropped)."""
    for number, line in enumerate(text.split("\n"), start=1):
        yield number, line.removesuffix("\r")


def json_objects(text: str, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; raise ``InputError`` at the first bad one."""
    for number, line in lines(text.removeprefix("\ufeff")):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_BYTES:
            raise InputError(
                f"a line of {len(line):,} characters",
                file=name,
                line=number,
                expected=f"at most {MAX_LINE_BYTES:,} characters per line",
            )
        record = loads(line, name, line=number, max_chars=MAX_LINE_BYTES, expected=EXPECTED_LINES)
        if not isinstance(record, dict):
            raise InputError("not a JSON object", file=name, line=number, found=record, expected=EXPECTED_LINES)
        yield number, record


def decode_text(data: bytes, name: str, what: str = "a UTF-8 file") -> str:
    """UTF-8 text (a byte-order mark is accepted); an ``InputError`` naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", file=name, line=line, expected=what
        ) from None
