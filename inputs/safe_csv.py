"""The one CSV reader's rules: a stated field size limit, Excel's trailing empty columns ignored.

Python's ``csv`` module refuses fields over 131,072 characters with a bare ``_csv.Error``; here
the limit is raised to ``MAX_FIELD_CHARS`` for every reader and a longer line or field is a clean
``InputError``. Excel often saves a sheet with empty columns at the right (``a,b,c,,,``): those
are not columns of the data and are dropped, not refused as duplicates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from inputs.safe_json import MAX_LINE_BYTES
from tokenomics.errors import InputError

MAX_FIELD_CHARS = MAX_LINE_BYTES
"""Characters of one field, and of one line of a CSV file."""

csv.field_size_limit(MAX_FIELD_CHARS)


def check_line_lengths(text: str, name: str) -> None:
    """Refuse a line longer than ``MAX_LINE_BYTES`` characters."""
    if len(text) <= MAX_LINE_BYTES:
        return
    lengths = [len(line) for line in text.split("\n")]
    longest = max(lengths)
    if longest > MAX_LINE_BYTES:
        raise InputError(
            f"a line of {longest:,} characters",
            file=name,
            line=lengths.index(longest) + 1,
            expected=f"at most {MAX_LINE_BYTES:,} characters per line",
        )


def header(text: str, name: str) -> tuple[list[str], int]:
    """The stripped header names without Excel's trailing empty ones, and how many were dropped.

    A duplicate or an empty name among the columns kept is an ``InputError``.

    >>> header("model,task_id,success,,,\\n", "f.csv")
    (['model', 'task_id', 'success'], 3)
    """
    first = text.split("\n", 1)[0].removesuffix("\r")
    try:
        names = [h.strip() for h in next(csv.reader(io.StringIO(first)), [])]
    except csv.Error as exc:
        raise InputError(f"malformed CSV header ({exc})", file=name, line=1) from None
    kept = len(names)
    while kept and not names[kept - 1]:
        kept -= 1
    names, dropped = names[:kept], len(names) - kept
    if "" in names:
        raise InputError("an empty column name in the header", file=name, line=1, column=f"#{names.index('') + 1}")
    dupes = sorted({h for h in names if names.count(h) > 1})
    if dupes:
        raise InputError("duplicate column in the header", file=name, line=1, column=dupes[0])
    return names, dropped


def records(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of each record after the header, blank records skipped.

    The line is where the record starts as an editor counts lines (quoted newlines followed).
    """
    reader = csv.reader(io.StringIO(text))
    last = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if start == 1:
                continue
            if any(field.strip() for field in record):
                yield start, record
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", file=name, line=last + 1) from None


def trim(record: list[str], width: int, dropped: int) -> list[str]:
    """A record without the trailing empty fields of Excel's dropped columns."""
    if dropped and len(record) > width and not any(f.strip() for f in record[width:]):
        return record[:width]
    return record
